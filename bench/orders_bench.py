#!/usr/bin/env python3
"""`make bench-orders`: CreateOrder and GetOrder through h2load against the release binaries,
next to the machine's own limit measured in the same run (one-row durable SQLite insert
transactions of the same size, `orders-bench baseline`). Prints a table and writes it, with
the raw numbers, to bench/results/.

Targets (issue 4): CreateOrder ≥ 3× the single-transaction insert rate; GetOrder ≥ 0.75× the
runtime's own Health/Check rate; GetOrder p99 with 1 M orders within 1.2× of that with 1 k.
Issue 10: the cost of verifying the customer token on GetOrder ≤ 10 % req/s (`--only auth`
runs that part alone): the same Orders binary with a user-token key and a valid bearer token on
every call, next to one started with `--insecure-no-user-auth` and no token, in alternation."""
import argparse
import json
import os
import pathlib
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "Tests" / "python"))
from support import processes, stubs  # noqa: E402

SECRET = "bench-service-secret-0123456789abcdef0123456789"
# Orders verifies a customer token on every call; the benchmarks call as an admin (they create
# for a named customer and read any order), signed with this secret by `orderhub token`.
USER_SECRET = "bench-user-token-secret-0123456789abcdef0123456789"


def run(args, **kwargs):
    return subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True, **kwargs)


def build():
    for product in ("orderhub", "orders-bench"):
        print(f"building {product} (release)…", flush=True)
        subprocess.run(["swift", "build", "-c", "release", "--product", product], cwd=ROOT, check=True)


def binary(name):
    return ROOT / ".build" / "release" / name


def authorization() -> str:
    """`authorization: Bearer <admin token>` for h2load, from `orderhub token` (valid a day)."""
    token = subprocess.run([str(binary("orderhub")), "token", "--customer", "bench-admin", "--admin", "--ttl", "86400"],
                           env={**os.environ, "ORDERHUB_USER_JWT_SECRET": USER_SECRET}, capture_output=True, text=True,
                           check=True).stdout.strip()
    return f"authorization: Bearer {token}"


def frame(message) -> bytes:
    """One gRPC length-prefixed message."""
    data = message.SerializeToString()
    return b"\x00" + len(data).to_bytes(4, "big") + data


class Service:
    def __init__(self, role, directory, port, args=(), core=None, executable=None):
        self.role, self.directory, self.port, self.args = role, pathlib.Path(directory), port, list(args)
        self.core = core
        self.executable = executable or binary("orderhub")
        self.process = None

    def start(self):
        log = open(self.directory / f"{self.role}.log", "ab")
        # taskset execs the command: the process's pid stays the service's own.
        pinned = [] if self.core is None else ["taskset", "-c", str(self.core)]
        self.process = subprocess.Popen(
            [*pinned, str(self.executable), self.role, "--listen", f"127.0.0.1:{self.port}",
             "--db", f"sqlite:{self.directory / (self.role + '.db')}", "--log-level", "warning", *self.args],
            env={**os.environ, "ORDERHUB_SERVICE_SECRET": SECRET, "ORDERHUB_USER_JWT_SECRET": USER_SECRET,
                 # A free health port each: replicas on one machine cannot share the default.
                 "ORDERHUB_METRICS_LISTEN": "127.0.0.1:0"}, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        processes.wait_for_port(self.port, process=self.process)
        return self

    def memory(self):
        status = pathlib.Path(f"/proc/{self.process.pid}/status").read_text().splitlines()
        values = {line.split(":")[0]: int(line.split()[1]) for line in status if line.startswith(("VmRSS", "VmHWM"))}
        return {"rss_mib": round(values["VmRSS"] / 1024, 1), "peak_rss_mib": round(values["VmHWM"] / 1024, 1)}

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=60)


def h2load(port, path, body: bytes, seconds, clients, streams, workdir, core=None):
    body_file = pathlib.Path(workdir) / "body.bin"
    body_file.write_bytes(body)
    log_file = pathlib.Path(workdir) / "h2load.log"
    log_file.unlink(missing_ok=True)
    pinned = [] if core is None else ["taskset", "-c", str(core)]
    done = run([*pinned, "h2load", "-D", str(seconds), "--warm-up-time", "1", "-c", str(clients), "-m", str(streams), "-t", "1",
                "-H", "content-type: application/grpc", "-H", "te: trailers", "-H", authorization(), "-d", body_file,
                "--log-file", log_file, f"http://127.0.0.1:{port}{path}"])
    out = done.stdout
    rate = float(out.split(" req/s")[0].rsplit(",", 1)[1])
    counts = out.split("requests: ")[1].split("\n")[0]
    succeeded = int(counts.split(" succeeded")[0].rsplit(",", 1)[1])
    failed = int(counts.split(" failed")[0].rsplit(",", 1)[1]) + int(counts.split(" errored")[0].rsplit(",", 1)[1])
    latencies = sorted(int(line.split("\t")[2]) for line in log_file.read_text().splitlines() if line.strip())
    percentile = lambda p: latencies[min(len(latencies) - 1, int(len(latencies) * p))] / 1000.0
    return {"req_per_s": rate, "succeeded": succeeded, "failed": failed, "p50_ms": percentile(0.50), "p99_ms": percentile(0.99)}


def cpu_seconds(pid) -> float:
    """utime + stime of a process so far, from /proc/PID/stat."""
    stat = pathlib.Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def h2load_cpu(port, path, body_file, seconds, clients, streams, headers, pid, core):
    """One h2load run pinned to `core` (connections opened once and reused), with the server's CPU
    time per call and the response DATA bytes per call: a GetOrder answered with the order carries
    its frame, an error (e.g. UNAUTHENTICATED, still HTTP 200) is trailers-only and carries none."""
    argv = ["taskset", "-c", str(core), "h2load", "-D", str(seconds), "-c", str(clients), "-m", str(streams), "-t", "1",
            "-H", "content-type: application/grpc", "-H", "te: trailers", "-d", str(body_file)]
    for header in headers:
        argv += ["-H", header]
    before = cpu_seconds(pid)
    out = run(argv + [f"http://127.0.0.1:{port}{path}"]).stdout
    used = cpu_seconds(pid) - before
    rate = float(out.split(" req/s")[0].rsplit(",", 1)[1])
    counts = out.split("requests: ")[1].split("\n")[0]
    done = int(counts.split(" done")[0].rsplit(",", 1)[1])
    failed = int(counts.split(" failed")[0].rsplit(",", 1)[1]) + int(counts.split(" errored")[0].rsplit(",", 1)[1])
    data = int(out.split("traffic: ")[1].split("\n")[0].rsplit("(", 1)[1].split(")")[0])
    return {"req_per_s": rate, "done": done, "failed": failed, "data_bytes": data, "cpu_seconds": used,
            "cpu_us_per_call": used / max(done, 1) * 1e6}


def measure_auth(options, workdir, results, orders_pb2):
    """GetOrder with token verification vs without (issue 10), the same binary, in alternation.

    Orders `auth` has the user-token key and gets `authorization: Bearer <admin token>` on every
    call; Orders `none` runs with `--insecure-no-user-auth` and gets no token. Each serves its own
    store of 1 000 orders, pinned to core 0, h2load pinned to core 1."""
    import grpc
    orders_grpc = stubs.load("orderhub.v1.orders_pb2_grpc")
    token = authorization()
    services = {}
    try:
        for key, extra in (("auth", []), ("none", ["--insecure-no-user-auth"])):
            directory = pathlib.Path(workdir) / f"auth-{key}"
            run([binary("orders-bench"), "fill", directory, 1000])
            services[key] = Service("orders", directory, processes.free_port(),
                                    args=["--payments-address", "127.0.0.1:9", *extra], core=0).start()
        bodies, expected = {}, {}
        import sqlite3
        for key, service in services.items():
            with sqlite3.connect(f"file:{service.directory / 'orders.db'}?mode=ro", uri=True) as db:
                order_id = db.execute("SELECT id FROM orders LIMIT 1").fetchone()[0]
            request = orders_pb2.GetOrderRequest(id=order_id)
            body_file = pathlib.Path(workdir) / f"get-{key}.bin"
            body_file.write_bytes(frame(request))
            bodies[key] = body_file
            # One stock grpcio call first: the token is accepted (and needed), so h2load's 200s are
            # answers with the order; their frame size is what every measured call must carry.
            with grpc.insecure_channel(f"127.0.0.1:{service.port}") as channel:
                stub = orders_grpc.OrdersStub(channel)
                metadata = [tuple(token.split(": ", 1))] if key == "auth" else []
                order = stub.GetOrder(request, timeout=5, metadata=metadata)
                assert order.id == order_id
                expected[key] = len(frame(order))
                if key == "auth":
                    try:
                        stub.GetOrder(request, timeout=5)
                        raise RuntimeError("Orders with a user-token key answered GetOrder without a token")
                    except grpc.RpcError as error:
                        assert error.code() == grpc.StatusCode.UNAUTHENTICATED, error.code()
        # A third row: the unverifying Orders sent the same header, which it ignores; the gap
        # between it and `none` is carrying the header (HPACK, reading it), the rest is verifying.
        headers = {"auth": [token], "none": [], "none-header": [token]}
        services_of = {"auth": services["auth"], "none": services["none"], "none-header": services["none"]}
        bodies["none-header"], expected["none-header"] = bodies["none"], expected["none"]
        seconds = options.seconds
        runs = {key: [] for key in services_of}
        print(f"GetOrder with and without token verification, {options.runs} alternating rounds…", flush=True)
        for round_number in range(1, options.runs + 1):
            for key, service in services_of.items():
                path = "/orderhub.v1.Orders/GetOrder"
                h2load_cpu(service.port, path, bodies[key], 1, options.clients, options.streams, headers[key],
                           service.process.pid, 1)  # warm-up
                result = h2load_cpu(service.port, path, bodies[key], seconds, options.clients, options.streams,
                                    headers[key], service.process.pid, 1)
                result["round"], result["load1"] = round_number, os.getloadavg()[0]
                result["answered_with_order"] = result["data_bytes"] // expected[key]
                result["data_per_call"] = result["data_bytes"] / max(result["done"], 1)
                runs[key].append(result)
                print(f"  round {round_number} {key:11} {result['req_per_s']:>9,.0f} req/s  "
                      f"{result['cpu_us_per_call']:6.1f} µs/call  {result['data_per_call']:.1f} B/call "
                      f"(order frame {expected[key]} B)  failed {result['failed']}", flush=True)
        ratios = [a["req_per_s"] / n["req_per_s"] for a, n in zip(runs["auth"], runs["none"])]
        cpu_ratios = [a["cpu_us_per_call"] / n["cpu_us_per_call"] for a, n in zip(runs["auth"], runs["none"])]
        header_ratios = [h["req_per_s"] / n["req_per_s"] for h, n in zip(runs["none-header"], runs["none"])]
        results["auth_cost"] = {
            "runs": runs, "order_frame_bytes": expected, "seconds": seconds,
            "none_header_req_per_s": summary(runs["none-header"], "req_per_s"),
            "none_header_cpu_us_per_call": summary(runs["none-header"], "cpu_us_per_call"),
            "header_only_rps_ratio": {"median": statistics.median(header_ratios), "min": min(header_ratios),
                                      "max": max(header_ratios)},
            "clients": options.clients, "streams": options.streams,
            "auth_req_per_s": summary(runs["auth"], "req_per_s"), "none_req_per_s": summary(runs["none"], "req_per_s"),
            "auth_cpu_us_per_call": summary(runs["auth"], "cpu_us_per_call"),
            "none_cpu_us_per_call": summary(runs["none"], "cpu_us_per_call"),
            "rps_ratio": {"median": statistics.median(ratios), "min": min(ratios), "max": max(ratios)},
            "cpu_ratio": {"median": statistics.median(cpu_ratios), "min": min(cpu_ratios), "max": max(cpu_ratios)},
            "all_answered_with_order": all(r["data_bytes"] == r["done"] * expected[k] for k in runs for r in runs[k]),
            "failed": sum(r["failed"] for k in runs for r in runs[k]),
        }
    finally:
        for service in services.values():
            service.stop()


def auth_report(results) -> list:
    """The token-verification rows of the report (Markdown lines)."""
    cost = results["auth_cost"]
    spread = lambda s, d=0: f"{s['median']:,.{d}f} ({s['min']:,.{d}f}–{s['max']:,.{d}f})"
    ratio, cpu, hr = cost["rps_ratio"], cost["cpu_ratio"], cost["header_only_rps_ratio"]
    verdict = "met" if ratio["median"] >= 0.90 else "NOT met"
    frames = cost["order_frame_bytes"]
    return [
        "GetOrder with token verification (user-token key, `authorization: Bearer <admin token>` on every call) next to "
        "the same binary with `--insecure-no-user-auth` and no token; h2load "
        f"{cost['clients']} connections × {cost['streams']} streams, connections reused, {cost['seconds']} s per run after a "
        f"1 s warm-up, {len(cost['runs']['auth'])} alternating rounds; Orders pinned to core 0, h2load to core 1; "
        "median (min–max); the ratio is each round's.", "",
        "| Orders | GetOrder req/s | CPU µs/call |", "|---|---|---|",
        f"| token verified | {spread(cost['auth_req_per_s'])} | {spread(cost['auth_cpu_us_per_call'], 1)} |",
        f"| `--insecure-no-user-auth` | {spread(cost['none_req_per_s'])} | {spread(cost['none_cpu_us_per_call'], 1)} |",
        f"| `--insecure-no-user-auth`, the same header sent (ignored) | {spread(cost['none_header_req_per_s'])} | "
        f"{spread(cost['none_header_cpu_us_per_call'], 1)} |",
        f"| **verified ÷ unverified** | {ratio['median']:.2f}× ({ratio['min']:.2f}–{ratio['max']:.2f}) | "
        f"{cpu['median']:.2f}× ({cpu['min']:.2f}–{cpu['max']:.2f}) |",
        f"| unverified with the header ÷ without (carrying the header alone) | {hr['median']:.2f}× "
        f"({hr['min']:.2f}–{hr['max']:.2f}) | |", "",
        f"Target: token verification costs ≤ 10 % of GetOrder req/s ({verdict}: {(1 - ratio['median']) * 100:.0f} % cost). "
        f"Checked: one grpcio call per server first (with the token: the order; without it: UNAUTHENTICATED); every "
        f"measured call's answer carried the order's frame ({frames['auth']} / {frames['none']} B of DATA per call): "
        f"{'yes' if cost['all_answered_with_order'] else 'NO'}; h2load failures: {cost['failed']}. Orders keeps a "
        "verified token until it expires, so one token on every call measures the cached path.",
    ]


def summary(runs, key):
    values = [r[key] for r in runs]
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def count_orders(directory):
    import sqlite3
    with sqlite3.connect(f"file:{pathlib.Path(directory) / 'orders.db'}?mode=ro", uri=True) as db:
        return db.execute("SELECT COUNT(*) FROM orders").fetchone()[0]


def wait_idle(directory, timeout=300):
    """Waits until the previous run's orders are paid and delivered, so a baseline run does
    not share the machine with their background work."""
    import sqlite3
    deadline = time.monotonic() + timeout
    with sqlite3.connect(f"file:{pathlib.Path(directory) / 'orders.db'}?mode=ro", uri=True) as db:
        while time.monotonic() < deadline:
            jobs = db.execute("SELECT COUNT(*) FROM payment_jobs").fetchone()[0]
            open_orders = db.execute("SELECT COUNT(*) FROM orders WHERE state IN ('created', 'confirmed')").fetchone()[0]
            if jobs == 0 and open_orders == 0:
                return
            time.sleep(0.5)
    raise RuntimeError("the services did not finish the previous run's orders")


class EmptyMessage:
    """HealthCheckRequest{} as raw bytes (no second registration of health.proto)."""

    @staticmethod
    def SerializeToString():
        return b""


def health_available(port):
    import grpc
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        try:
            channel.unary_unary("/grpc.health.v1.Health/Check")(b"", timeout=5)
            return True
        except grpc.RpcError:
            return False


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--streams", type=int, default=32, help="concurrent streams per h2load client")
    parser.add_argument("--large", type=int, default=int(os.environ.get("ORDERS_BENCH_LARGE", "1000000")))
    parser.add_argument("--latency-runs", type=int, default=5, help="alternations of the 1 k / large GetOrder runs")
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--only", choices=["auth", "latency"],
                        help="run only the token-verification cost on GetOrder, or only the GetOrder 1 k / large latency")
    parser.add_argument("--stores", help="keep the filled 1 k / large stores in this directory and reuse them on later runs")
    parser.add_argument("--baseline-binary", help="another orderhub build measured next to ours in the latency rounds")
    parser.add_argument("--pin", action="store_true", help="latency rounds: Orders on core 0, the load on core 1")
    options = parser.parse_args()
    if not options.no_build:
        build()
    orders_pb2 = stubs.load("orderhub.v1.orders_pb2")
    results = {"machine": {"cores": os.cpu_count(), "load_before": os.getloadavg()}, "options": vars(options)}
    workdir = tempfile.mkdtemp(prefix="orders-bench-", dir=os.environ.get("ORDERS_BENCH_DIR"))
    try:
        if options.only == "latency":
            measure_latency(options, workdir, results, orders_pb2)
        else:
            if options.only != "auth":
                measure(options, workdir, results, orders_pb2)
            measure_auth(options, workdir, results, orders_pb2)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    results["machine"]["load_after"] = os.getloadavg()
    report(results, options)


def measure(options, workdir, results, orders_pb2):
    baseline = []

    def measure_baseline(index):
        out = run([binary("orders-bench"), "baseline", pathlib.Path(workdir) / f"baseline-{index}", options.seconds])
        baseline.append(json.loads(out.stdout))

    service_dir = pathlib.Path(workdir) / "services"
    service_dir.mkdir()
    payments = Service("payments", service_dir, processes.free_port()).start()
    orders = Service("orders", service_dir, processes.free_port(),
                     args=["--payments-address", f"127.0.0.1:{payments.port}"]).start()
    try:
        create = orders_pb2.CreateOrderRequest(
            customer_id="bench-customer", currency="EUR", payment_token="tok_approve",
            items=[orders_pb2.LineItem(sku="sku-a", quantity=2, unit_price_cents=250),
                   orders_pb2.LineItem(sku="sku-b", quantity=1, unit_price_cents=99)])
        print("one-row durable insert transactions, then CreateOrder through h2load, in pairs…", flush=True)
        creates = []
        # Each CreateOrder run right after a baseline run: the pair sees the same machine.
        for index in range(options.runs):
            wait_idle(service_dir)
            measure_baseline(index)
            before = count_orders(service_dir)
            result = h2load(orders.port, "/orderhub.v1.Orders/CreateOrder", frame(create), options.seconds,
                            options.clients, options.streams, workdir)
            # h2load counts HTTP 200; the rows say how many creates really committed.
            result["orders_written"] = count_orders(service_dir) - before
            result["vs_baseline"] = result["req_per_s"] / baseline[-1]["per_second"]
            creates.append(result)
        results["baseline"] = {"runs": baseline, "per_second": summary(baseline, "per_second")}
        results["create"] = {"runs": creates, "req_per_s": summary(creates, "req_per_s"), "p50_ms": summary(creates, "p50_ms"),
                             "p99_ms": summary(creates, "p99_ms"), "vs_baseline": summary(creates, "vs_baseline")}
        results["create_memory"] = {"orders": orders.memory(), "payments": payments.memory()}

        import sqlite3
        with sqlite3.connect(f"file:{service_dir / 'orders.db'}?mode=ro", uri=True) as db:
            some_id = db.execute("SELECT id FROM orders LIMIT 1").fetchone()[0]
        get = orders_pb2.GetOrderRequest(id=some_id)
        print("GetOrder through h2load…", flush=True)
        gets = [h2load(orders.port, "/orderhub.v1.Orders/GetOrder", frame(get), options.seconds, options.clients,
                       options.streams, workdir) for _ in range(options.runs)]
        results["get"] = {"runs": gets, "req_per_s": summary(gets, "req_per_s"), "p50_ms": summary(gets, "p50_ms"),
                          "p99_ms": summary(gets, "p99_ms")}
        has_health = health_available(orders.port)
        if has_health:
            print("Health/Check through h2load…", flush=True)
            checks = [h2load(orders.port, "/grpc.health.v1.Health/Check", frame(EmptyMessage),
                             options.seconds, options.clients, options.streams, workdir) for _ in range(options.runs)]
            results["health"] = {"runs": checks, "req_per_s": summary(checks, "req_per_s")}
        # The many-connections shape of every RPC table: 64 connections, one call in flight on each.
        print("GetOrder and Health/Check at 64 connections × 1 stream, alternating…", flush=True)
        wide_gets, wide_checks = [], []
        for _ in range(options.runs):
            wide_gets.append(h2load(orders.port, "/orderhub.v1.Orders/GetOrder", frame(get), options.seconds, 64, 1, workdir))
            if has_health:
                wide_checks.append(h2load(orders.port, "/grpc.health.v1.Health/Check", frame(EmptyMessage),
                                          options.seconds, 64, 1, workdir))
        results["get_wide"] = {"runs": wide_gets, "req_per_s": summary(wide_gets, "req_per_s"),
                               "p50_ms": summary(wide_gets, "p50_ms"), "p99_ms": summary(wide_gets, "p99_ms")}
        if has_health:
            results["health_wide"] = {"runs": wide_checks, "req_per_s": summary(wide_checks, "req_per_s")}
        results["memory"] = {"orders": orders.memory(), "payments": payments.memory()}
    finally:
        orders.stop()
        payments.stop()

    measure_latency(options, workdir, results, orders_pb2)

    print("CreateOrder in-process through the store (no RPC, no payments)…", flush=True)
    in_process = []
    for index in range(options.runs):
        paired = json.loads(run([binary("orders-bench"), "baseline", pathlib.Path(workdir) / f"pair-{index}", options.seconds]).stdout)
        result = json.loads(run([binary("orders-bench"), "store", pathlib.Path(workdir) / f"store-{index}", options.seconds, 256]).stdout)
        result["vs_baseline"] = result["per_second"] / paired["per_second"]
        in_process.append(result)
    results["store_create"] = {"runs": in_process, "per_second": summary(in_process, "per_second"),
                               "vs_baseline": summary(in_process, "vs_baseline")}


def filled_store(options, workdir, size) -> pathlib.Path:
    """A directory whose orders.db holds `size` orders: under `--stores DIR` one filled before is
    reused (a 1 M store takes minutes to fill), otherwise a fresh one in the run's workdir."""
    directory = pathlib.Path(options.stores or workdir) / f"size-{size}"
    if (directory / "orders.db").exists():
        if count_orders(directory) == size:
            print(f"reusing the store of {size:,} orders in {directory}", flush=True)
            return directory
        shutil.rmtree(directory)
    print(f"filling a store with {size:,} orders…", flush=True)
    run([binary("orders-bench"), "fill", directory, size])
    return directory


def page_cache_share(path: pathlib.Path):
    """The share of `path` in the page cache (util-linux `fincore`), or None without it."""
    if not shutil.which("fincore"):
        return None
    out = subprocess.run(["fincore", "--bytes", "--noheadings", "--output", "RES,SIZE", str(path)],
                         capture_output=True, text=True)
    try:
        resident, size = (int(x) for x in out.stdout.split())
    except ValueError:
        return None
    return resident / size if size else 1.0


def measure_latency(options, workdir, results, orders_pb2):
    """GetOrder latency with 1 000 and with `--large` orders in the store (issue 13, item 5).

    Both database files are read once first (page cache). Per round, per store size and per
    binary (ours, and `--baseline-binary` if given): a fresh
    Orders process, a 1 s warm-up of random keys, then h2load on one key and `orders-bench
    get-load` on random keys (4 calls in flight, so latency is service time, not queueing), with
    Orders' CPU time per call. With `--pin`, Orders runs on core 0 and the load on core 1 (steady
    CPU per call; but on a shared machine the pinned 1 k tail is whatever else runs on core 0).
    Sizes and binaries alternate inside each round, so a busy neighbour weighs on all alike.
    Ours also runs with `--order-cache-size 0` ("ours-no-cache"): at 1 k every order fits Orders'
    in-memory cache and at 1 M most reads miss it, so the product's ratio is a cache hit against a
    query; with the cache off both sizes run the same query, which measures the store's own
    scaling."""
    import sqlite3
    sizes = (1000, options.large)
    directories = {size: filled_store(options, workdir, size) for size in sizes}
    binaries = {"ours": (binary("orderhub"), []), "ours-no-cache": (binary("orderhub"), ["--order-cache-size", "0"])}
    if options.baseline_binary:
        binaries["baseline"] = (pathlib.Path(options.baseline_binary).resolve(), [])
    bodies = {}
    for size in sizes:
        with sqlite3.connect(f"file:{directories[size] / 'orders.db'}?mode=ro", uri=True) as db:
            bodies[size] = frame(orders_pb2.GetOrderRequest(id=db.execute("SELECT id FROM orders ORDER BY random() LIMIT 1").fetchone()[0]))
    bearer = authorization().split(": ", 1)[1]   # orders-bench get-load sends it on every call
    env = {**os.environ, "ORDERS_BENCH_AUTHORIZATION": bearer}
    # Both databases are read once first, so that both sizes start from the page cache, as the
    # file of a database in use does. Left cold (this VM drops the cache of a file it has not
    # read for a while), the large store's first touches are disk reads, and the ratio measures
    # the disk rather than the store's lookups. How much was cached is reported either way.
    results["page_cache"] = {}
    for size in sizes:
        before = page_cache_share(directories[size] / "orders.db")
        with open(directories[size] / "orders.db", "rb") as database:
            while database.read(1 << 20):
                pass
        results["page_cache"][str(size)] = {"before": before, "after": page_cache_share(directories[size] / "orders.db")}
    runs = {(label, size): {"one_key": [], "random_keys": [], "memory": None} for label in binaries for size in sizes}
    seconds = max(2, options.seconds // 2)
    print(f"GetOrder at {', '.join(f'{size:,}' for size in sizes)} orders ({', '.join(binaries)}), "
          f"{options.latency_runs} alternating rounds…", flush=True)
    for round_number in range(1, options.latency_runs + 1):
        for size in sizes:
            for label, (executable, extra) in binaries.items():
                service = Service("orders", directories[size], processes.free_port(), core=0 if options.pin else None,
                                  executable=executable,
                                  args=["--payments-address", "127.0.0.1:9", *extra]).start()
                try:
                    address = f"127.0.0.1:{service.port}"
                    pinned = ["taskset", "-c", "1"] if options.pin else []
                    load = [*pinned, binary("orders-bench"), "get-load", directories[size], address]
                    run(load + [1, 4], env=env)  # warm-up
                    entry = runs[(label, size)]
                    entry["one_key"].append(h2load(service.port, "/orderhub.v1.Orders/GetOrder", bodies[size], seconds, 1, 4,
                                                   workdir, core=1 if options.pin else None))
                    before = cpu_seconds(service.process.pid)
                    result = json.loads(run(load + [seconds, 4], env=env).stdout)
                    result["cpu_us_per_call"] = (cpu_seconds(service.process.pid) - before) / max(result["calls"], 1) * 1e6
                    result["load1"] = os.getloadavg()[0]
                    entry["random_keys"].append(result)
                    entry["memory"] = service.memory()
                    print(f"  round {round_number} {label:13} {size:>9,} orders: random keys p50 {result['p50_us']:6.0f} µs "
                          f"p99 {result['p99_us']:6.0f} µs, {result['cpu_us_per_call']:5.1f} µs CPU/call; one key p99 "
                          f"{entry['one_key'][-1]['p99_ms'] * 1000:5.0f} µs", flush=True)
                finally:
                    service.stop()
    for (label, size), entry in runs.items():
        key = f"get_{size}" if label == "ours" else f"get_{size}_{label}"
        results[key] = {
            "h2load_one_key": {"p50_ms": summary(entry["one_key"], "p50_ms"), "p99_ms": summary(entry["one_key"], "p99_ms"),
                               "req_per_s": summary(entry["one_key"], "req_per_s")},
            "random_keys": {"p50_us": summary(entry["random_keys"], "p50_us"), "p99_us": summary(entry["random_keys"], "p99_us"),
                            "per_second": summary(entry["random_keys"], "per_second"),
                            "cpu_us_per_call": summary(entry["random_keys"], "cpu_us_per_call"), "runs": entry["random_keys"]},
            "memory": entry["memory"],
            "database_mib": round((directories[size] / "orders.db").stat().st_size / 2**20, 1),
        }
    for label in binaries:
        ratios = [b["p99_us"] / a["p99_us"] for a, b in zip(runs[(label, 1000)]["random_keys"], runs[(label, options.large)]["random_keys"])]
        results[f"latency_ratio_{label}"] = {"median": statistics.median(ratios), "min": min(ratios), "max": max(ratios)}
    results["latency_binaries"] = {label: " ".join([str(path), *extra]) for label, (path, extra) in binaries.items()}


def latency_report(results, options) -> list:
    """The GetOrder 1 k / large rows (Markdown lines), one block per binary measured."""
    large_label = "1 M" if options.large == 1_000_000 else f"{options.large:,}"
    lines = [f"GetOrder latency, 1 k and {large_label} orders (`orders-bench get-load`: random keys of a 20 000-id sample, 4 "
             f"calls in flight; h2load: one key, 1 connection × 4 streams); a fresh Orders per run"
             f"{', pinned to core 0, the load on core 1' if options.pin else ', not pinned'}; {options.latency_runs} rounds alternating sizes and binaries; median (min–max); the ratio is each "
             f"round's {large_label} p99 ÷ 1 k p99.", "",
             "| binary | orders | random keys p50 µs | random keys p99 µs | Orders CPU µs/call | one key p99 µs |",
             "|---|---|---|---|---|---|"]
    spread = lambda s, scale=1, d=0: f"{s['median'] * scale:,.{d}f} ({s['min'] * scale:,.{d}f}–{s['max'] * scale:,.{d}f})"
    for label in results["latency_binaries"]:
        for size in (1000, options.large):
            entry = results[f"get_{size}" if label == "ours" else f"get_{size}_{label}"]
            keys = entry["random_keys"]
            lines.append(f"| {label} | {size:,} | {spread(keys['p50_us'])} | {spread(keys['p99_us'])} | "
                         f"{spread(keys['cpu_us_per_call'], d=1)} | {spread(entry['h2load_one_key']['p99_ms'], 1000)} |")
    lines.append("")
    cached = results.get("page_cache", {})
    if cached:
        share = lambda x: "unknown" if x is None else f"{x:.0%}"
        lines.append("Databases in the page cache before the rounds (read once first, `fincore`): " + "; ".join(
            f"{int(size):,} orders {share(entry['before'])} → {share(entry['after'])}" for size, entry in cached.items()) + ".")
        lines.append("")
    for label, path in results["latency_binaries"].items():
        ratio = results[f"latency_ratio_{label}"]
        verdict = "met" if ratio["median"] <= 1.2 else "NOT met"
        judged = ("the store alone, every read a query (the target is judged on ours)" if label == "ours-no-cache"
                  else f"target ≤ 1.2× ({verdict})")
        lines.append(f"- {label} (`{path}`): random-key p99 {large_label} ÷ 1 k = {ratio['median']:.2f}× "
                     f"({ratio['min']:.2f}–{ratio['max']:.2f}); {judged}.")
    return lines


def report(results, options):
    load = (f"Machine: {os.cpu_count()} cores, shared; 1/5/15-minute load average before "
            f"{', '.join(f'{x:.2f}' for x in results['machine']['load_before'])}, after "
            f"{', '.join(f'{x:.2f}' for x in results['machine']['load_after'])}.")
    if options.only == "latency":
        write_report(results, "\n".join(latency_report(results, options) + ["", load]))
        return
    if "create" not in results:
        write_report(results, "\n".join(auth_report(results) + ["", load]))
        return
    base = results["baseline"]["per_second"]["median"]
    create = results["create"]
    get = results["get"]
    small, large = results["get_1000"], results[f"get_{options.large}"]
    health = results.get("health", {}).get("req_per_s", {}).get("median")
    wide_get = results["get_wide"]
    wide_health = results.get("health_wide", {}).get("req_per_s", {}).get("median")
    large_label = "1 M" if options.large == 1_000_000 else f"{options.large:,}"
    rows = [
        ("one-row durable INSERT transactions/s (this disk; median, min–max)",
         f"{base:,.0f} ({results['baseline']['per_second']['min']:,.0f}–{results['baseline']['per_second']['max']:,.0f})", "—"),
        ("CreateOrder orders/s through gRPC (median, min–max)",
         f"{create['req_per_s']['median']:,.0f} ({create['req_per_s']['min']:,.0f}–{create['req_per_s']['max']:,.0f})",
         f"{create['vs_baseline']['median']:.1f}× its paired baseline run (min {create['vs_baseline']['min']:.1f}×; target ≥ 3×)"),
        ("CreateOrder in-process, store only (orders/s)", f"{results['store_create']['per_second']['median']:,.0f}",
         f"{results['store_create']['vs_baseline']['median']:.1f}× its paired baseline: group commit alone"),
        ("CreateOrder p50 / p99 ms", f"{create['p50_ms']['median']:.2f} / {create['p99_ms']['median']:.2f}", ""),
        (f"GetOrder req/s, c={options.clients} m={options.streams} (median, min–max)",
         f"{get['req_per_s']['median']:,.0f} ({get['req_per_s']['min']:,.0f}–{get['req_per_s']['max']:,.0f})",
         f"{get['req_per_s']['median'] / health:.2f}× Health/Check (target ≥ 0.8×)" if health else "Health/Check not served"),
        (f"Health/Check req/s, c={options.clients} m={options.streams} (same server)", f"{health:,.0f}" if health else "n/a", ""),
        ("GetOrder req/s, c=64 m=1 (median, min–max)",
         f"{wide_get['req_per_s']['median']:,.0f} ({wide_get['req_per_s']['min']:,.0f}–{wide_get['req_per_s']['max']:,.0f})",
         f"{wide_get['req_per_s']['median'] / wide_health:.2f}× Health/Check (target ≥ 0.8×)" if wide_health else "Health/Check not served"),
        ("Health/Check req/s, c=64 m=1 (same server)", f"{wide_health:,.0f}" if wide_health else "n/a", ""),
        ("GetOrder p50 / p99 ms", f"{get['p50_ms']['median']:.2f} / {get['p99_ms']['median']:.2f}", ""),
        (f"GetOrder p99, one key, 1 k → {large_label} orders (ms; median of runs / best run)",
         f"{small['h2load_one_key']['p99_ms']['median']:.2f} → {large['h2load_one_key']['p99_ms']['median']:.2f} / "
         f"{small['h2load_one_key']['p99_ms']['min']:.2f} → {large['h2load_one_key']['p99_ms']['min']:.2f}",
         f"{large['h2load_one_key']['p99_ms']['median'] / small['h2load_one_key']['p99_ms']['median']:.2f}× / "
         f"{large['h2load_one_key']['p99_ms']['min'] / small['h2load_one_key']['p99_ms']['min']:.2f}× (target ≤ 1.2×)"),
        (f"GetOrder p99, random keys, 1 k → {large_label} orders (µs; median of runs / best run)",
         f"{small['random_keys']['p99_us']['median']:.0f} → {large['random_keys']['p99_us']['median']:.0f} / "
         f"{small['random_keys']['p99_us']['min']:.0f} → {large['random_keys']['p99_us']['min']:.0f}",
         f"{large['random_keys']['p99_us']['median'] / small['random_keys']['p99_us']['median']:.2f}× / "
         f"{large['random_keys']['p99_us']['min'] / small['random_keys']['p99_us']['min']:.2f}×"),
        ("RSS orders / payments after the load (MiB, peak)",
         f"{results['memory']['orders']['rss_mib']} / {results['memory']['payments']['rss_mib']}",
         f"peak {results['memory']['orders']['peak_rss_mib']} / {results['memory']['payments']['peak_rss_mib']}"),
        (f"RSS orders serving {options.large:,} orders (MiB)", f"{large['memory']['rss_mib']}",
         f"database {large['database_mib']} MiB"),
    ]
    written = sum(r["orders_written"] for r in create["runs"])
    succeeded = sum(r["succeeded"] for r in create["runs"])
    lines = ["| measure | value | vs target |", "|---|---|---|"] + [f"| {a} | {b} | {c} |" for a, b, c in rows]
    lines.append("")
    lines.append(f"CreateOrder: h2load counted {succeeded:,} successful responses after its 1 s warm-up; {written:,} orders "
                 f"were written including the warm-up ({options.runs} runs × {options.seconds} s, {options.clients} connections × "
                 f"{options.streams} streams); Payments, the payment dispatcher and deliveries run meanwhile on the same 2 cores "
                 f"as h2load. The GetOrder 1 k / 1 M rows use 4 calls in flight, so latency is service time, not queueing; the "
                 f"two stores are measured in alternation ({options.latency_runs} runs each), and the best run shows the "
                 f"least-disturbed tail on a shared machine. Machine load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.")
    lines += ["", *latency_report(results, options), "", *auth_report(results), "", load]
    write_report(results, "\n".join(lines))


def write_report(results, table):
    print("\n" + table)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"orders-{stamp}.json").write_text(json.dumps(results, indent=2))
    (out / f"orders-{stamp}.md").write_text(f"# make bench-orders, {stamp}\n\n{table}\n")
    print(f"\nwritten to bench/results/orders-{stamp}.md and .json")


if __name__ == "__main__":
    main()
