#!/usr/bin/env python3
"""`make bench-feed`: the order feed (WatchOrders) under load, against the release binaries of
`orderhub orders` and `orderhub payments` on SQLite. Prints a table and writes it, with the raw
numbers, to bench/results/feed-*.

Three parts, one run:

1. **Feed**: N feed consumers (grpc.aio, 100 streams per connection) while orders are created at
   R orders/s for S seconds. Most consumers are customers (each sees its own orders; the orders
   go round-robin over their customers), `--admins` are `orders:admin` consumers that see every
   event. Delivery latency per event = receive time − the order's `updated_at` (stamped just
   before its transaction commits, same clock): p50/p99. Orders' CPU (utime+stime) and RSS.
2. **WatchOrder per order, same information**: the same creation rate with no feed; for each
   order, one WatchOrder stream from its creation until it is final (what a client without the
   feed has to do). Same latency, CPU and RSS measures.
3. **Idle streams**: M feed streams open with nothing happening; Orders' RSS before and after,
   per stream.

Options: --consumers 1000 --admins 4 --rate 1000 --seconds 20 --idle 10000 --no-build. A
loaded or shared machine makes every number here noisy; the load generator (Python) shares the
machine with the server.
"""
import argparse
import asyncio
import json
import os
import pathlib
import statistics
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "Tests" / "python"))
sys.path.insert(0, str(ROOT / "bench"))
import grpc  # noqa: E402
import jwt  # noqa: E402
from orders_bench import USER_SECRET, Service, cpu_seconds, processes  # noqa: E402
from support import stubs  # noqa: E402

FINAL = (3, 4)  # ORDER_STATE_DELIVERED, ORDER_STATE_CANCELLED
STREAMS_PER_CHANNEL = 90  # under the server's 100 concurrent streams per connection


def token(customer, admin=False):
    now = int(time.time())
    claims = {"sub": customer, "iat": now, "exp": now + 86400}
    if admin:
        claims["scope"] = "orders:admin"
    return jwt.encode(claims, USER_SECRET, algorithm="HS256")


def metadata(value):
    return (("authorization", f"Bearer {value}"),)


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


class Channels:
    """grpc.aio channels to one address, handing out one per STREAMS_PER_CHANNEL streams."""

    def __init__(self, address):
        self.address, self.channels, self.used = address, [], 0

    def next(self):
        if not self.channels or self.used >= STREAMS_PER_CHANNEL:
            self.channels.append(grpc.aio.insecure_channel(self.address, options=[("grpc.use_local_subchannel_pool", 1)]))
            self.used = 0
        self.used += 1
        return self.channels[-1]

    async def close(self):
        for channel in self.channels:
            await channel.close()


async def create_orders(pb2, grpc_mod, address, rate, seconds, customers, on_created=None):
    """Creates orders at `rate` per second for `seconds`, round-robin over `customers`."""
    admin = metadata(token("bench-admin", admin=True))
    channel = grpc.aio.insecure_channel(address)
    stub = grpc_mod.OrdersStub(channel)
    created, failed, pending = [], 0, set()
    start = time.monotonic()
    total = int(rate * seconds)

    async def one(index):
        nonlocal failed
        request = pb2.CreateOrderRequest(
            customer_id=customers[index % len(customers)], currency="EUR", payment_token="tok_approve",
            items=[pb2.LineItem(sku="bench", quantity=1, unit_price_cents=100)])
        try:
            order = await stub.CreateOrder(request, metadata=admin, timeout=30)
            created.append(order.id)
            if on_created:
                on_created(order)
        except grpc.RpcError:
            failed += 1

    for index in range(total):
        due = start + index / rate
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.ensure_future(one(index))
        pending.add(task)
        task.add_done_callback(pending.discard)
    await asyncio.gather(*pending)
    await channel.close()
    return created, failed, time.monotonic() - start


async def feed_part(pb2, grpc_mod, orders, options):
    customers = [f"bench-c{index}" for index in range(max(1, options.consumers - options.admins))]
    channels = Channels(f"127.0.0.1:{orders.port}")
    latencies, received, errors = [], [0], []
    ready = asyncio.Event()
    opened = [0]
    consumers = len(customers) + options.admins

    async def consume(caller, admin):
        stub = grpc_mod.OrdersStub(channels.next())
        call = stub.WatchOrders(pb2.WatchOrdersRequest(), metadata=metadata(token(caller, admin)))
        await call.initial_metadata()
        opened[0] += 1
        if opened[0] == consumers:
            ready.set()
        try:
            async for event in call:
                latencies.append(time.time() * 1000 - event.order.updated_at)
                received[0] += 1
        except grpc.RpcError as error:
            if error.code() != grpc.StatusCode.CANCELLED:
                errors.append(error.code().name)

    tasks = [asyncio.ensure_future(consume(customer, False)) for customer in customers]
    tasks += [asyncio.ensure_future(consume(f"bench-admin-{index}", True)) for index in range(options.admins)]
    await asyncio.wait_for(ready.wait(), timeout=300)
    rss_open = orders.memory()
    cpu_before = cpu_seconds(orders.process.pid)
    created, failed, elapsed = await create_orders(pb2, grpc_mod, f"127.0.0.1:{orders.port}", options.rate, options.seconds, customers)
    # Deliveries follow confirmations by --delivery-delay: wait for the events to drain.
    expected = 3 * len(created) * (1 + options.admins)
    deadline = time.monotonic() + 60
    while received[0] < expected and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    cpu = cpu_seconds(orders.process.pid) - cpu_before
    rss_end = orders.memory()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await channels.close()
    return {
        "consumers": consumers, "admin_consumers": options.admins, "orders": len(created), "create_failed": failed,
        "create_rate": len(created) / elapsed, "events_expected": expected, "events_received": received[0],
        "latency_p50_ms": percentile(latencies, 0.5), "latency_p99_ms": percentile(latencies, 0.99),
        "orders_cpu_seconds": cpu, "orders_cpu_ms_per_order": cpu / max(1, len(created)) * 1000,
        "rss_streams_open_mib": rss_open["rss_mib"], "rss_end_mib": rss_end["rss_mib"], "peak_rss_mib": rss_end["peak_rss_mib"],
        "errors": sorted(set(errors)),
    }


async def watch_order_part(pb2, grpc_mod, orders, options):
    customers = [f"bench-w{index}" for index in range(max(1, options.consumers - options.admins))]
    channels = Channels(f"127.0.0.1:{orders.port}")
    latencies, received, errors, watches = [], [0], [], set()

    async def watch(order):
        stub = grpc_mod.OrdersStub(channels.next())
        try:
            async for update in stub.WatchOrder(pb2.WatchOrderRequest(id=order.id), metadata=metadata(token(order.customer_id))):
                latencies.append(time.time() * 1000 - update.updated_at)
                received[0] += 1
                if update.state in FINAL:
                    return
        except grpc.RpcError as error:
            errors.append(error.code().name)

    def started(order):
        task = asyncio.ensure_future(watch(order))
        watches.add(task)
        task.add_done_callback(watches.discard)

    cpu_before = cpu_seconds(orders.process.pid)
    created, failed, elapsed = await create_orders(pb2, grpc_mod, f"127.0.0.1:{orders.port}", options.rate, options.seconds, customers, started)
    peak_watches = len(watches)
    await asyncio.wait_for(asyncio.gather(*list(watches), return_exceptions=True), timeout=120)
    cpu = cpu_seconds(orders.process.pid) - cpu_before
    rss = orders.memory()
    await channels.close()
    return {
        "orders": len(created), "create_failed": failed, "create_rate": len(created) / elapsed,
        "events_received": received[0], "watch_streams_open_at_end_of_creation": peak_watches,
        "latency_p50_ms": percentile(latencies, 0.5), "latency_p99_ms": percentile(latencies, 0.99),
        "orders_cpu_seconds": cpu, "orders_cpu_ms_per_order": cpu / max(1, len(created)) * 1000,
        "rss_end_mib": rss["rss_mib"], "peak_rss_mib": rss["peak_rss_mib"], "errors": sorted(set(errors)),
    }


async def idle_part(pb2, grpc_mod, orders, options):
    channels = Channels(f"127.0.0.1:{orders.port}")
    before = orders.memory()["rss_mib"]
    calls = []
    value = metadata(token("bench-idle"))
    for index in range(options.idle):
        call = grpc_mod.OrdersStub(channels.next()).WatchOrders(pb2.WatchOrdersRequest(), metadata=value)
        calls.append(call)
        if index % 500 == 499:
            await asyncio.gather(*(c.initial_metadata() for c in calls[-500:]))
    await asyncio.gather(*(c.initial_metadata() for c in calls[-(options.idle % 500 or 500):]))
    await asyncio.sleep(2)
    after = orders.memory()["rss_mib"]
    for call in calls:
        call.cancel()
    await channels.close()
    return {"streams": options.idle, "connections": len(channels.channels), "rss_before_mib": before, "rss_after_mib": after,
            "kib_per_stream": (after - before) * 1024 / max(1, options.idle)}


def start_system(workdir, options):
    payments = Service("payments", workdir, processes.free_port()).start()
    orders = Service("orders", workdir, processes.free_port(), args=[
        "--payments-address", f"127.0.0.1:{payments.port}", "--delivery-delay", str(options.delivery_delay)]).start()
    return orders, payments


async def run_all(options):
    pb2, grpc_mod = stubs.load("orderhub.v1.orders_pb2"), stubs.load("orderhub.v1.orders_pb2_grpc")
    results = {"options": vars(options), "machine": {"cpus": os.cpu_count(), "load_average": os.getloadavg()}}
    for name, part in (("feed", feed_part), ("watch_order_per_order", watch_order_part), ("idle", idle_part)):
        with tempfile.TemporaryDirectory() as workdir:
            orders, payments = start_system(workdir, options)
            try:
                print(f"{name}…", flush=True)
                results[name] = await part(pb2, grpc_mod, orders, options)
            finally:
                orders.stop()
                payments.stop()
    return results


def report(results):
    feed, watch, idle = results["feed"], results["watch_order_per_order"], results["idle"]
    rows = [
        "| | feed (WatchOrders) | one WatchOrder per order |",
        "|---|---|---|",
        f"| consumers / streams | {feed['consumers']} feed streams ({feed['admin_consumers']} admin) | one per order "
        f"({watch['watch_streams_open_at_end_of_creation']} open when creation ended) |",
        f"| orders created (rate) | {feed['orders']} ({feed['create_rate']:.0f}/s) | {watch['orders']} ({watch['create_rate']:.0f}/s) |",
        f"| events delivered | {feed['events_received']} of {feed['events_expected']} | {watch['events_received']} |",
        f"| latency p50 / p99 (ms) | {feed['latency_p50_ms']:.1f} / {feed['latency_p99_ms']:.1f} | "
        f"{watch['latency_p50_ms']:.1f} / {watch['latency_p99_ms']:.1f} |",
        f"| Orders CPU (s; ms per order) | {feed['orders_cpu_seconds']:.1f}; {feed['orders_cpu_ms_per_order']:.2f} | "
        f"{watch['orders_cpu_seconds']:.1f}; {watch['orders_cpu_ms_per_order']:.2f} |",
        f"| Orders RSS at end (peak) MiB | {feed['rss_end_mib']} ({feed['peak_rss_mib']}) | {watch['rss_end_mib']} ({watch['peak_rss_mib']}) |",
        f"| errors | {', '.join(feed['errors']) or 'none'} | {', '.join(watch['errors']) or 'none'} |",
        "",
        f"Idle: {idle['streams']} feed streams on {idle['connections']} connections: Orders RSS {idle['rss_before_mib']} → "
        f"{idle['rss_after_mib']} MiB, {idle['kib_per_stream']:.1f} KiB per stream.",
        "",
        f"Machine: {results['machine']['cpus']} CPUs, load average at start {results['machine']['load_average']}"
        " (shared: the numbers are noisy).",
    ]
    return "\n".join(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--consumers", type=int, default=1000)
    parser.add_argument("--admins", type=int, default=4)
    parser.add_argument("--rate", type=float, default=1000)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--idle", type=int, default=10000)
    parser.add_argument("--delivery-delay", type=float, default=1)
    parser.add_argument("--no-build", action="store_true")
    options = parser.parse_args()
    if not options.no_build:
        import subprocess
        subprocess.run(["swift", "build", "-c", "release", "--product", "orderhub"], cwd=ROOT, check=True)
    results = asyncio.run(run_all(options))
    table = report(results)
    print("\n" + table)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"feed-{stamp}.json").write_text(json.dumps(results, indent=2))
    (out / f"feed-{stamp}.md").write_text(f"# make bench-feed, {stamp}\n\n{table}\n")
    print(f"\nwritten to bench/results/feed-{stamp}.md and .json")


if __name__ == "__main__":
    main()
