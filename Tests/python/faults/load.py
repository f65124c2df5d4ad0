"""Steady load for the fault scenarios: a few client threads create orders at a fixed pace
through gRPC (or the gateway's REST API), cancel some of them a moment later, and write down
every call: when it started and ended, what it answered. The history checker (history.py) then
holds the system to what was acknowledged."""
import dataclasses
import json
import random
import threading
import time
import urllib.error
import urllib.request
import uuid

import grpc

from support import user_tokens

from orders.harness import create_request, pb


@dataclasses.dataclass
class Call:
    kind: str            # "create" or "cancel"
    started: float       # time.monotonic()
    ended: float
    code: str            # "OK", a gRPC status name, or "HTTP 503"
    request_id: str = ""
    order_id: str = ""
    token: str = ""
    message: str = ""
    retry_after: str = ""

    @property
    def seconds(self) -> float:
        return self.ended - self.started


class History:
    """Every call the load made, in the order they ended (thread-safe append)."""

    def __init__(self):
        self.calls: list[Call] = []
        self.lock = threading.Lock()

    def add(self, call: Call) -> None:
        with self.lock:
            self.calls.append(call)

    def snapshot(self) -> list[Call]:
        with self.lock:
            return list(self.calls)

    def between(self, start: float, end: float, kind="create") -> list[Call]:
        return [c for c in self.snapshot() if c.kind == kind and start <= c.started < end]

    def acknowledged(self) -> dict[str, Call]:
        """request id → the create that acknowledged it (an order id came back)."""
        return {c.request_id: c for c in self.snapshot() if c.kind == "create" and c.code == "OK"}

    def codes(self, calls) -> dict[str, int]:
        counts: dict[str, int] = {}
        for call in calls:
            counts[call.code] = counts.get(call.code, 0) + 1
        return counts


class Load:
    """`workers` threads, each creating about `rate` orders a second (tokens: 80 % approve,
    20 % decline), every call with `deadline` seconds; `cancel_share` of the acknowledged orders
    get a CancelOrder 0.2–2 s later. `rest` (a gateway URL) sends the creates over REST instead.
    Runs until `stop()` or `max_seconds`, whichever comes first."""

    def __init__(self, target: str, history: History, workers=3, rate=3.0, deadline=3.0, cancel_share=0.15,
                 rest: str = None, max_seconds=300.0):
        self.target, self.history, self.workers, self.rate = target, history, workers, rate
        self.deadline, self.cancel_share, self.rest, self.max_seconds = deadline, cancel_share, rest, max_seconds
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []
        self.cancels: list[tuple[float, str]] = []
        self.cancel_lock = threading.Lock()
        self.token = user_tokens.admin_token()

    def start(self) -> "Load":
        for index in range(self.workers):
            self.threads.append(threading.Thread(target=self._creates, args=(index,), daemon=True))
        self.threads.append(threading.Thread(target=self._cancels, daemon=True))
        for thread in self.threads:
            thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=self.deadline + 10)

    def _creates(self, index: int) -> None:
        rng = random.Random(index)
        channel = user_tokens.channel(self.target)
        _, orders_grpc, _, _ = pb()
        stub = orders_grpc.OrdersStub(channel)
        began = time.monotonic()
        period = 1.0 / self.rate
        n = 0
        while not self.stopping.is_set() and time.monotonic() - began < self.max_seconds:
            n += 1
            token = "tok_approve" if rng.random() < 0.8 else "tok_decline"
            request_id = uuid.uuid4().hex
            call = self._rest_create(request_id, token) if self.rest else self._grpc_create(stub, request_id, token)
            self.history.add(call)
            if call.code == "OK" and rng.random() < self.cancel_share:
                with self.cancel_lock:
                    self.cancels.append((time.monotonic() + rng.uniform(0.2, 2.0), call.order_id))
            # A fixed pace, not a closed loop: a slow answer does not slow the offered load down.
            self.stopping.wait(max(0.0, began + n * period - time.monotonic()))
        channel.close()

    def _grpc_create(self, stub, request_id: str, token: str) -> Call:
        started = time.monotonic()
        try:
            order = stub.CreateOrder(create_request(token=token, request_id=request_id), timeout=self.deadline)
            return Call("create", started, time.monotonic(), "OK", request_id, order.id, token)
        except grpc.RpcError as error:
            return Call("create", started, time.monotonic(), error.code().name, request_id, token=token, message=error.details() or "")

    def _rest_create(self, request_id: str, token: str) -> Call:
        body = json.dumps({"customerId": "alice", "currency": "EUR", "paymentToken": token,
                           "items": [{"sku": "book", "quantity": 1, "unitPriceCents": 1250}]}).encode()
        request = urllib.request.Request(self.rest + "/v1/orders", data=body, method="POST", headers={
            "Content-Type": "application/json", "Idempotency-Key": request_id, "Authorization": f"Bearer {self.token}"})
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=self.deadline + 5) as response:
                order = json.loads(response.read())
                return Call("create", started, time.monotonic(), "OK", request_id, order["id"], token)
        except urllib.error.HTTPError as error:
            return Call("create", started, time.monotonic(), f"HTTP {error.code}", request_id, token=token,
                        message=error.read().decode(errors="replace")[:200], retry_after=error.headers.get("Retry-After") or "")
        except (urllib.error.URLError, OSError) as error:
            return Call("create", started, time.monotonic(), "NETWORK", request_id, token=token, message=str(error)[:200])

    def _cancels(self) -> None:
        channel = user_tokens.channel(self.target)
        orders_pb2, orders_grpc, _, _ = pb()
        stub = orders_grpc.OrdersStub(channel)
        began = time.monotonic()
        while not self.stopping.is_set() and time.monotonic() - began < self.max_seconds:
            now = time.monotonic()
            with self.cancel_lock:
                due = [order_id for at, order_id in self.cancels if at <= now]
                self.cancels = [(at, order_id) for at, order_id in self.cancels if at > now]
            for order_id in due:
                started = time.monotonic()
                try:
                    stub.CancelOrder(orders_pb2.CancelOrderRequest(id=order_id), timeout=self.deadline)
                    self.history.add(Call("cancel", started, time.monotonic(), "OK", order_id=order_id))
                except grpc.RpcError as error:
                    self.history.add(Call("cancel", started, time.monotonic(), error.code().name, order_id=order_id,
                                          message=error.details() or ""))
            self.stopping.wait(0.1)
        channel.close()
