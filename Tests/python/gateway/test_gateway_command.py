"""`orderhub gateway`: the gateway on its own, in front of an Orders server started elsewhere."""
import pytest

from support import processes

from .conftest import Gateway


def test_gateway_subcommand_fronts_a_separate_orders(gateway, tmp_path):
    if gateway.orders_port is None:
        pytest.skip("needs the Orders port of a gateway this test session started")
    port = processes.free_port()
    args = [processes.bin_path("orderhub"), "gateway", "--listen", f"127.0.0.1:{port}",
            "--orders", f"127.0.0.1:{gateway.orders_port}", "--rpc-timeout", "3"]
    with processes.running(args, port, log_path=tmp_path / "gateway.log") as process:
        alone = Gateway(f"http://127.0.0.1:{port}")
        status, _, health = alone.call("GET", "/healthz")
        assert (status, health["status"]) == (200, "SERVING")
        status, _, order = alone.call("POST", "/v1/orders", {
            "customerId": "solo", "items": [{"sku": "s", "quantity": 1, "unitPriceCents": "5"}],
            "currency": "EUR", "paymentToken": "tok_approve"})
        assert status == 201
        # The same Orders answers through the all-in-one gateway.
        status, _, same = gateway.call("GET", f"/v1/orders/{order['id']}")
        assert (status, same["id"]) == (200, order["id"])
        assert process.poll() is None


def test_gateway_subcommand_reports_orders_down(tmp_path):
    port, nobody = processes.free_port(), processes.free_port()
    args = [processes.bin_path("orderhub"), "gateway", "--listen", f"127.0.0.1:{port}", "--orders", f"127.0.0.1:{nobody}"]
    with processes.running(args, port, log_path=tmp_path / "gateway.log"):
        status, _, health = Gateway(f"http://127.0.0.1:{port}").call("GET", "/healthz")
        assert status == 503
        assert health["checks"]["orders"] == "UNAVAILABLE"
        status, _, error = Gateway(f"http://127.0.0.1:{port}").call("GET", "/v1/orders/x")
        assert (status, error["code"]) == (503, 14)
