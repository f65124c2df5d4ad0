"""Starts the real orderhub services for the Orders/Payments tests, and talks to them with
stock grpcio stubs generated from Protos/ at test time."""
import contextlib
import os
import pathlib
import signal
import subprocess
import time

import grpc

from support import processes, stubs, user_tokens

SECRET = "python-tests-service-secret-0123456789abcdef"


def pb():
    """The generated message and service modules: (orders_pb2, orders_grpc, payments_pb2, payments_grpc)."""
    return (stubs.load("orderhub.v1.orders_pb2"), stubs.load("orderhub.v1.orders_pb2_grpc"),
            stubs.load("orderhub.v1.payments_pb2"), stubs.load("orderhub.v1.payments_pb2_grpc"))


class Service:
    """One orderhub service process that can be started, SIGKILLed and restarted on the same
    port and database."""

    def __init__(self, role: str, data_dir: pathlib.Path, port: int, args=(), env=None):
        self.role = role
        self.port = port
        self.data_dir = data_dir
        self.args = list(args)
        # Orders trusts the tests' customer-token secret; Payments ignores it.
        self.env = {"ORDERHUB_SERVICE_SECRET": SECRET, "ORDERHUB_USER_JWT_SECRET": user_tokens.SECRET,
                    "ORDERHUB_LOG_LEVEL": "info", **(env or {})}
        self.process = None
        self.starts = 0

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, wait=True):
        log = open(self.data_dir / f"{self.role}-{self.starts}.log", "wb")
        self.starts += 1
        db = self.data_dir / f"{self.role}.db"
        self.process = subprocess.Popen(
            [str(processes.bin_path("orderhub")), self.role, "--listen", self.address, "--db", f"sqlite:{db}", *self.args],
            env={**os.environ, **self.env}, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        if wait:
            processes.wait_for_port(self.port, process=self.process)
        return self

    def kill9(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self, timeout=15) -> int:
        """SIGTERM and wait; returns the exit code."""
        if self.process is None:
            return 0
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise
        return self.process.returncode

    def logs(self) -> str:
        return "".join((self.data_dir / f"{self.role}-{i}.log").read_text(errors="replace") for i in range(self.starts))


@contextlib.contextmanager
def system(tmp_path, orders_args=(), payments_args=(), start_payments=True):
    """Payments and Orders on free ports with their own databases under tmp_path."""
    payments = Service("payments", tmp_path, processes.free_port(), args=payments_args)
    orders = Service("orders", tmp_path, processes.free_port(),
                     args=["--payments-address", payments.address, *orders_args])
    try:
        if start_payments:
            payments.start()
        orders.start()
        yield orders, payments
    finally:
        for service in (orders, payments):
            with contextlib.suppress(Exception):
                service.stop()
            if service.process and service.process.poll() is None:
                service.kill9()


def orders_stub(orders: Service, token: str = None, compression=None):
    """A channel and stub whose calls carry `token` (default: an admin token, so the lifecycle
    tests act on every order as before; tests/orders/test_customer_auth.py covers customers);
    `compression` (a grpc.Compression) compresses every request."""
    _, orders_grpc, _, _ = pb()
    channel = user_tokens.channel(orders.address, token, compression=compression)
    return channel, orders_grpc.OrdersStub(channel)


def create_request(customer="alice", token="tok_approve", request_id="", items=((b"book", 1, 1250), (b"pen", 3, 99))):
    orders_pb2, _, _, _ = pb()
    return orders_pb2.CreateOrderRequest(
        customer_id=customer, currency="EUR", payment_token=token, request_id=request_id,
        items=[orders_pb2.LineItem(sku=sku.decode(), quantity=quantity, unit_price_cents=price)
               for sku, quantity, price in items])


def wait_until(condition, timeout=60.0, what="condition", interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"{what} did not happen within {timeout}s")


def state_name(order) -> str:
    orders_pb2, _, _, _ = pb()
    return orders_pb2.OrderState.Name(order.state)
