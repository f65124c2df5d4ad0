"""The clients in examples/ against a running system (`orderhub serve` on free ports): the Swift
package on the OrderhubClient library (built by `make examples`, which `make test` runs) and the
Python script on stock grpcio stubs. Each creates an order with a customer token from
`orderhub token` and watches it until it is final; the order is then read back with the CLI to
show it is real and the token's customer's. Without a token Orders refuses them."""
import json
import os
import pathlib
import subprocess
import sys

import pytest

from gateway.conftest import serve
from support import processes

EXAMPLES = processes.ROOT / "examples"
# `make examples` builds the Swift example here (its own scratch path, under the package's .build).
SWIFT_CLIENT = pathlib.Path(os.environ.get("ORDERHUB_EXAMPLES_BUILD", processes.ROOT / ".build" / "examples")) \
    / "debug" / "orderhub-swift-client"


def client_command(client: str) -> list:
    if client == "swift":
        if not SWIFT_CLIENT.exists():
            raise FileNotFoundError(f"{SWIFT_CLIENT} is missing: run `make examples` (make test does)")
        return [str(SWIFT_CLIENT)]
    return [sys.executable, str(EXAMPLES / "python-client" / "orderhub_client.py")]


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    """`orderhub serve` with a short delivery delay: (Orders' port, its data directory)."""
    tmp_path = tmp_path_factory.mktemp("examples")
    _, orders_port, context = serve(tmp_path, delivery_delay=0.5)
    with context:
        yield orders_port, tmp_path / "data"


def orderhub(*args) -> str:
    done = subprocess.run([str(processes.bin_path("orderhub")), *map(str, args)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def run_client(client: str, orders_port: int, *args) -> subprocess.CompletedProcess:
    # No ORDERHUB_TOKEN from the environment: the token is what the test passes.
    env = {key: value for key, value in os.environ.items() if key != "ORDERHUB_TOKEN"}
    return subprocess.run([*client_command(client), "--address", f"127.0.0.1:{orders_port}", *args],
                          capture_output=True, text=True, timeout=120, env=env)


@pytest.mark.parametrize("client", ["swift", "python"])
@pytest.mark.parametrize("payment, final", [("tok_approve", "ORDER_STATE_DELIVERED"), ("tok_decline", "ORDER_STATE_CANCELLED")])
def test_creates_an_order_and_watches_it_until_final(system, client, payment, final):
    orders_port, data_dir = system
    customer = f"example-{client}"
    token = orderhub("token", "--customer", customer, "--data-dir", data_dir).strip()

    done = run_client(client, orders_port, "--token", token, "--payment-token", payment)

    assert done.returncode == 0, done.stderr
    lines = [line.split() for line in done.stdout.splitlines()]
    assert {len(line) for line in lines} == {2}, done.stdout
    ids = {order_id for order_id, _ in lines}
    states = [state for _, state in lines]
    assert len(ids) == 1, done.stdout
    # The create's answer, then WatchOrder: the current state and every change to the end.
    assert states[0] == "ORDER_STATE_CREATED", done.stdout
    assert states[-1] == final, done.stdout
    if final == "ORDER_STATE_DELIVERED":
        assert "ORDER_STATE_CONFIRMED" in states, done.stdout
    order = json.loads(orderhub("order", "get", ids.pop(), "--address", f"127.0.0.1:{orders_port}", "--token", token))
    assert order["state"] == final
    assert order["customerId"] == customer


@pytest.mark.parametrize("client", ["swift", "python"])
def test_without_a_token_orders_refuses_and_the_client_says_so(system, client):
    orders_port, _ = system
    done = run_client(client, orders_port)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "UNAUTHENTICATED" in done.stderr
    assert done.stdout == ""


def test_no_target_has_unsafe_flags():
    """SwiftPM refuses a package whose product needs a target with unsafe flags (`unsafeFlags`
    in swiftSettings, cSettings, cxxSettings or linkerSettings) as a versioned dependency; a
    path dependency, as the example uses, is let through, so the example build alone cannot
    show it. The manifest as SwiftPM reads it must have none, and offer the library."""
    done = subprocess.run(["swift", "package", "--package-path", str(processes.ROOT), "dump-package"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    manifest = json.loads(done.stdout)
    # Each target's settings are {"tool": "swift"|"c"|"cxx"|"linker", "kind": {"<setting>": …}}.
    settings = [(target["name"], setting["tool"], kind) for target in manifest["targets"]
                for setting in target["settings"] for kind in setting["kind"]]
    assert ("RPCHTTP2", "swift", "treatAllWarnings") in settings  # the shape is as read
    assert [entry for entry in settings if entry[2] == "unsafeFlags"] == []
    libraries = {product["name"]: product["targets"] for product in manifest["products"] if "library" in product["type"]}
    assert libraries == {"OrderhubClient": ["OrderhubClient"]}
