"""Fixtures for the gateway's end-to-end tests: the real services behind the real gateway.

`orderhub serve` runs Payments, Orders and the gateway in one process on free ports with its
SQLite files and its customer-token key in a temporary directory; its gateway offers the dev
sign-in, which `Gateway.sign_in` uses. ORDERHUB_GATEWAY_URL points the tests at a gateway that
is already running instead (for working on the page).
"""
import json
import os
import pathlib
import subprocess
import urllib.error
import urllib.request

import pytest

from support import processes

OUTPUT = pathlib.Path(os.environ.get("ORDERHUB_TEST_OUTPUT", processes.ROOT / ".build" / "test-output")) / "gateway"


class Gateway:
    """A running gateway: its base URL and a tiny JSON client. `data_dir` is `serve`'s data
    directory (with user-token.key) when this session started it."""

    def __init__(self, url: str, orders_port: int = None, data_dir: pathlib.Path = None):
        self.url = url.rstrip("/")
        self.orders_port = orders_port
        self.data_dir = data_dir

    def call(self, method: str, path: str, body=None, headers=None, token: str = None):
        """Returns (status, headers, parsed JSON or text). `token` goes in as a bearer token."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        if body is not None:
            request.add_header("Content-Type", "application/json")
        if token is not None:
            request.add_header("Authorization", f"Bearer {token}")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.headers, _decode(response)
        except urllib.error.HTTPError as error:
            return error.code, error.headers, _decode(error)


    def sign_in(self, customer: str) -> str:
        """A customer token from the gateway's dev sign-in."""
        status, _, answer = self.call("POST", "/v1/dev/sign-in", {"customerId": customer})
        assert status == 200, answer
        return answer["token"]

    def user_secret(self) -> str:
        """The HS256 secret `serve` made (./data/user-token.key), to forge tokens with."""
        assert self.data_dir is not None, "needs a gateway this test session started"
        return (self.data_dir / "user-token.key").read_text().strip()


def _decode(response):
    text = response.read().decode()
    if response.headers.get("Content-Type", "").startswith("application/json"):
        return json.loads(text)
    return text


def serve(tmp_path, delivery_delay: float = 5):
    """Starts `orderhub serve` with every port free and its data in tmp_path."""
    orders, payments, gateway = processes.free_port(), processes.free_port(), processes.free_port()
    args = [
        processes.bin_path("orderhub"), "serve",
        "--data-dir", tmp_path / "data",
        "--orders-listen", f"127.0.0.1:{orders}", "--payments-listen", f"127.0.0.1:{payments}",
        "--gateway-listen", f"127.0.0.1:{gateway}",
        "--delivery-delay", str(delivery_delay),
    ]
    return gateway, orders, processes.running(args, gateway, log_path=tmp_path / "orderhub.log")


@pytest.fixture(scope="module")
def gateway(tmp_path_factory, request):
    """The gateway in front of real services. A module may set DELIVERY_DELAY (seconds, default 5)."""
    if os.environ.get("ORDERHUB_GATEWAY_URL"):
        yield Gateway(os.environ["ORDERHUB_GATEWAY_URL"])
        return
    help_text = subprocess.run([processes.bin_path("orderhub"), "serve", "--help"], capture_output=True, text=True).stdout
    if "--gateway-listen" not in help_text:
        pytest.skip("this build's `orderhub serve` has no gateway yet (it arrives with the services)")
    tmp_path = tmp_path_factory.mktemp("orderhub")
    port, orders_port, context = serve(tmp_path, getattr(request.module, "DELIVERY_DELAY", 5))
    with context:
        yield Gateway(f"http://127.0.0.1:{port}", orders_port, tmp_path / "data")
