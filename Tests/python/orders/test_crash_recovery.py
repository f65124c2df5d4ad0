"""kill -9 of Orders and of Payments while a client creates orders at a steady rate, then a
restart. Checked from the history the client records and from the two databases:
every acknowledged order exists and reaches a final state, no order is charged twice or kept
charged when cancelled, and each confirmed order is delivered exactly once."""
import sqlite3
import threading
import time
import uuid

import grpc

from orders.harness import create_request, orders_stub, pb, state_name, system, wait_until

FINAL = ("ORDER_STATE_DELIVERED", "ORDER_STATE_CANCELLED")


class History:
    """invoke/ok/fail/info per create, as in a Jepsen history."""

    def __init__(self):
        self.lock = threading.Lock()
        self.ops = []
        # The payment token each create used: a retry must send the same request.
        self.tokens = {}

    def record(self, kind, request_id, order_id=None, detail=""):
        with self.lock:
            self.ops.append((time.monotonic(), kind, request_id, order_id, detail))

    def acknowledged(self):
        return {op[2]: op[3] for op in self.ops if op[1] == "ok"}

    def indeterminate(self):
        return [op[2] for op in self.ops if op[1] == "info"]


def client_loop(orders, history, stop, rate=50):
    """Creates orders at a steady rate; reconnects as needed."""
    interval = 1.0 / rate
    tokens = ["tok_approve", "tok_approve", "tok_approve", "tok_decline"]
    index = 0
    channel, stub = orders_stub(orders)
    next_at = time.monotonic()
    while not stop.is_set():
        request_id = str(uuid.uuid4())
        history.tokens[request_id] = tokens[index % 4]
        history.record("invoke", request_id)
        try:
            order = stub.CreateOrder(create_request(token=tokens[index % 4], request_id=request_id), timeout=2)
            history.record("ok", request_id, order.id)
        except grpc.RpcError as error:
            # UNAVAILABLE before sending is a clean failure; anything else may have committed.
            kind = "fail" if error.code() == grpc.StatusCode.UNAVAILABLE and "connect" in (error.details() or "").lower() else "info"
            history.record(kind, request_id, detail=error.code().name)
        index += 1
        next_at += interval
        time.sleep(max(0.0, next_at - time.monotonic()))
    channel.close()


def test_kill9_orders_and_payments_under_load(tmp_path):
    orders_pb2, _, _, _ = pb()
    with system(tmp_path, orders_args=["--delivery-delay", "1", "--payment-timeout", "30"]) as (orders, payments):
        history, stop = History(), threading.Event()
        client = threading.Thread(target=client_loop, args=(orders, history, stop))
        client.start()
        try:
            time.sleep(2)
            orders.kill9()
            time.sleep(1)
            orders.start()
            time.sleep(2)
            payments.kill9()
            time.sleep(1.5)
            payments.start()
            time.sleep(2)
            orders.kill9()
            payments.kill9()
            orders.start()
            payments.start()
            time.sleep(1.5)
        finally:
            stop.set()
            client.join()

        acknowledged = history.acknowledged()
        assert len(acknowledged) > 20, f"the client got few orders through: {len(acknowledged)}"
        channel, stub = orders_stub(orders)
        with channel:
            # Indeterminate creates are resolved with their idempotency key: the retry either
            # returns the order made before the crash or makes it now.
            for request_id in history.indeterminate():
                # The same request as before (same payment token), or the key is ALREADY_EXISTS.
                order = stub.CreateOrder(create_request(token=history.tokens[request_id], request_id=request_id), timeout=10)
                acknowledged[request_id] = order.id

            def all_final():
                finals = {}
                for request_id, order_id in acknowledged.items():
                    order = stub.GetOrder(orders_pb2.GetOrderRequest(id=order_id), timeout=10)
                    if state_name(order) not in FINAL:
                        return None
                    finals[order_id] = order
                return finals

            finals = wait_until(all_final, what="every acknowledged order final", timeout=90, interval=0.5)

        orders_db = sqlite3.connect(f"file:{tmp_path / 'orders.db'}?mode=ro", uri=True)
        payments_db = sqlite3.connect(f"file:{tmp_path / 'payments.db'}?mode=ro", uri=True)
        versions = dict(orders_db.execute("SELECT id, version FROM orders"))
        payment_rows = payments_db.execute("SELECT order_id, status FROM payments").fetchall()
        per_order = {}
        for order_id, status in payment_rows:
            per_order.setdefault(order_id, []).append(status)
        # Every payment belongs to a real order, and no order was charged twice.
        assert set(per_order) <= set(versions)
        assert all(len(statuses) == 1 for statuses in per_order.values())
        for order_id, order in finals.items():
            status = per_order.get(order_id, [None])[0]
            if state_name(order) == "ORDER_STATE_DELIVERED":
                # Paid and kept; created → confirmed → delivered, each once.
                assert status == "approved", (order_id, status)
                assert versions[order_id] == 3, (order_id, versions[order_id])
        # Cancelled orders are never left charged: once refund jobs settle, none is approved.
        cancelled = [order_id for order_id, order in finals.items() if state_name(order) == "ORDER_STATE_CANCELLED"]

        def refunds_done():
            rows = dict(payments_db.execute("SELECT order_id, status FROM payments"))
            return all(rows.get(order_id) in (None, "declined", "refunded") for order_id in cancelled)

        wait_until(refunds_done, what="refunds of cancelled orders", timeout=60)
        kinds = [op[1] for op in history.ops]
        print(f"history: {kinds.count('ok')} ok, {kinds.count('fail')} fail, {kinds.count('info')} info; "
              f"{len(finals)} final orders, {len(cancelled)} cancelled, {len(per_order)} payments")
