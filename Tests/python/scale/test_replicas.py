"""Two Orders and two Payments processes on one PostgreSQL database; a client creates orders
at a steady rate through both Orders replicas; one replica of each is killed with SIGKILL
mid-run and stays dead. Then, from the client's history and the database:

- every acknowledged order reaches a final state (the survivors take over the dead Orders
  replica's payment jobs once their leases end, and deliver what it confirmed);
- no order is charged twice, and no cancelled order stays charged;
- each confirmed order is delivered exactly once (created → confirmed → delivered: version 3);
- a watcher on one Orders replica sees the changes the other one makes (LISTEN/NOTIFY)."""
import contextlib
import os
import subprocess
import threading
import time
import uuid

import grpc

from orders.harness import Service, create_request, pb, state_name, wait_until
from support import processes, user_tokens
from scale import postgres

FINAL = ("ORDER_STATE_DELIVERED", "ORDER_STATE_CANCELLED")


class History:
    """invoke/ok/fail/info per create, as in a Jepsen history; which replica took each."""

    def __init__(self):
        self.lock = threading.Lock()
        self.ops = []

    def record(self, kind, request_id, replica, order_id=None):
        with self.lock:
            self.ops.append((kind, request_id, replica, order_id))

    def acknowledged(self):
        return {op[1]: op[3] for op in self.ops if op[0] == "ok"}

    def indeterminate(self):
        return [op[1] for op in self.ops if op[0] == "info"]


def client_loop(replicas, history, stop, rate=40):
    """Creates orders at a steady rate, alternating between the Orders replicas."""
    orders_pb2, orders_grpc, _, _ = pb()
    channels = [user_tokens.channel(replica.address) for replica in replicas]
    stubs = [orders_grpc.OrdersStub(channel) for channel in channels]
    tokens = ["tok_approve", "tok_approve", "tok_approve", "tok_decline"]
    index, next_at = 0, time.monotonic()
    while not stop.is_set():
        replica = index % len(stubs)
        request_id = str(uuid.uuid4())
        history.record("invoke", request_id, replica)
        try:
            order = stubs[replica].CreateOrder(create_request(token=tokens[index % 4], request_id=request_id), timeout=2)
            history.record("ok", request_id, replica, order.id)
        except grpc.RpcError as error:
            # Refused before it was sent is a clean failure; anything else may have committed.
            clean = error.code() == grpc.StatusCode.UNAVAILABLE and "connect" in (error.details() or "").lower()
            history.record("fail" if clean else "info", request_id, replica)
        index += 1
        next_at += 1.0 / rate
        time.sleep(max(0.0, next_at - time.monotonic()))
    for channel in channels:
        channel.close()


def watch(replica, order_id, states):
    orders_pb2, orders_grpc, _, _ = pb()
    with user_tokens.channel(replica.address) as channel:
        for order in orders_grpc.OrdersStub(channel).WatchOrder(orders_pb2.WatchOrderRequest(id=order_id), timeout=60):
            states.append(state_name(order))
            if states[-1] in FINAL:
                return


class Replica(Service):
    """One orderhub service process on a PostgreSQL database, named for its logs."""

    def __init__(self, role, index, data_dir, url, args=()):
        super().__init__(role, data_dir, processes.free_port(), args=args)
        self.name, self.url = f"{role}{index}", url

    def start(self, wait=True):
        log = open(self.data_dir / f"{self.name}.log", "ab")
        self.process = subprocess.Popen(
            [str(processes.bin_path("orderhub")), self.role, "--listen", self.address, "--db", self.url, *self.args],
            env={**os.environ, **self.env}, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        if wait:
            processes.wait_for_port(self.port, process=self.process)
        return self


@contextlib.contextmanager
def replicas(tmp_path, orders_url, payments_url):
    """Payments ×2 and Orders ×2; each Orders replica calls its own Payments replica."""
    payments = [Replica("payments", i, tmp_path, payments_url) for i in range(2)]
    orders = [Replica("orders", i, tmp_path, orders_url,
                      args=["--payments-address", payments[i].address, "--delivery-delay", "1", "--payment-timeout", "30"])
              for i in range(2)]
    try:
        for service in payments + orders:
            service.start()
        yield orders, payments
    finally:
        for service in orders + payments:
            with contextlib.suppress(Exception):
                service.stop()
            if service.process and service.process.poll() is None:
                service.kill9()


def test_two_replicas_of_each_survive_a_kill9_of_one(tmp_path):
    orders_pb2, orders_grpc, _, _ = pb()
    base = postgres.base_url()
    orders_schema, payments_schema = postgres.fresh_schema("e2e_orders"), postgres.fresh_schema("e2e_payments")
    orders_url, payments_url = postgres.with_schema(base, orders_schema), postgres.with_schema(base, payments_schema)
    try:
        with replicas(tmp_path, orders_url, payments_url) as (orders, payments):
            # A watcher on replica 1 follows an order that replica 0 then cancels.
            with user_tokens.channel(orders[1].address) as channel:
                watched = orders_grpc.OrdersStub(channel).CreateOrder(create_request(request_id=str(uuid.uuid4())), timeout=5)
            seen = []
            watcher = threading.Thread(target=watch, args=(orders[1], watched.id, seen))
            watcher.start()
            wait_until(lambda: seen, what="the watcher's first message", timeout=10)
            with user_tokens.channel(orders[0].address) as channel:
                orders_grpc.OrdersStub(channel).CancelOrder(orders_pb2.CancelOrderRequest(id=watched.id), timeout=5)
            watcher.join(timeout=30)
            assert seen[-1:] == ["ORDER_STATE_CANCELLED"], f"replica 1's watcher did not see replica 0's cancel: {seen}"

            history, stop = History(), threading.Event()
            client = threading.Thread(target=client_loop, args=(orders, history, stop))
            client.start()
            try:
                time.sleep(3)
                # Payments 0 first: replica 0's charges in flight fail and wait in the table
                # for their retry, then replica 0 dies with them leased to it.
                payments[0].kill9()
                payments_0_killed_at = int(time.time() * 1000)
                time.sleep(0.5)
                orders[0].kill9()
                time.sleep(3)
            finally:
                stop.set()
                client.join()

            acknowledged = history.acknowledged()
            assert len(acknowledged) > 50, f"few orders got through: {len(acknowledged)}"
            assert {op[2] for op in history.ops if op[0] == "ok"} == {0, 1}, "both replicas took orders"
            with user_tokens.channel(orders[1].address) as channel:
                stub = orders_grpc.OrdersStub(channel)
                # An indeterminate create is settled by its idempotency key on the survivor.
                for request_id in history.indeterminate():
                    acknowledged[request_id] = stub.CreateOrder(create_request(request_id=request_id), timeout=10).id

                def all_final():
                    finals = {}
                    for order_id in acknowledged.values():
                        order = stub.GetOrder(orders_pb2.GetOrderRequest(id=order_id), timeout=10)
                        if state_name(order) not in FINAL:
                            return None
                        finals[order_id] = state_name(order)
                    return finals

                finals = wait_until(all_final, what="every acknowledged order final", timeout=120, interval=0.5)

            versions = dict(postgres.query(base, f"SELECT id, version FROM {orders_schema}.orders"))
            payments_rows = postgres.query(base, f"SELECT order_id, status FROM {payments_schema}.payments")
            per_order = {}
            for order_id, status in payments_rows:
                per_order.setdefault(order_id, []).append(status)
            assert set(per_order) <= set(versions), "a payment for an order that does not exist"
            assert all(len(statuses) == 1 for statuses in per_order.values()), "an order charged twice"
            delivered = [order_id for order_id, state in finals.items() if state == "ORDER_STATE_DELIVERED"]
            assert delivered, "no order was delivered"
            for order_id in delivered:
                assert per_order.get(order_id) == ["approved"], (order_id, per_order.get(order_id))
                assert versions[order_id] == "3", f"{order_id}: version {versions[order_id]}, not created → confirmed → delivered"
            cancelled = [order_id for order_id, state in finals.items() if state == "ORDER_STATE_CANCELLED"]
            # Replica 0 only ever called Payments 0: a payment made for one of its orders after
            # Payments 0 died was made by replica 1, which took the job over.
            from_replica_0 = {op[3] for op in history.ops if op[0] == "ok" and op[2] == 0}
            taken_over = [order_id for order_id, created_at in
                          postgres.query(base, f"SELECT order_id, created_at FROM {payments_schema}.payments")
                          if order_id in from_replica_0 and int(created_at) > payments_0_killed_at]
            assert taken_over, "replica 1 took over none of replica 0's payment jobs"

            def settled():
                rows = dict(postgres.query(base, f"SELECT order_id, status FROM {payments_schema}.payments"))
                jobs = postgres.query(base, f"SELECT COUNT(*) FROM {orders_schema}.payment_jobs")[0][0]
                return jobs == "0" and all(rows.get(order_id) in (None, "declined", "refunded") for order_id in cancelled)

            wait_until(settled, what="every payment job done and no cancelled order left charged", timeout=60)
            reasons = postgres.query(base, f"SELECT cancel_reason, COUNT(*) FROM {orders_schema}.orders "
                                           "WHERE state = 'cancelled' GROUP BY cancel_reason ORDER BY 1")
            kinds = [op[0] for op in history.ops]
            print(f"history: {kinds.count('ok')} ok, {kinds.count('fail')} fail, {kinds.count('info')} info; "
                  f"{len(delivered)} delivered, {len(cancelled)} cancelled {dict(reasons)}; {len(taken_over)} of replica 0's "
                  f"payments made by replica 1; watcher saw {seen}")
    finally:
        postgres.drop_schemas(base, orders_schema, payments_schema)
