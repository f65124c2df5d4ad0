"""`orderhub gateway`: the gateway on its own, in front of an Orders server started elsewhere."""
import os
import subprocess

import pytest

from support import processes

from .conftest import Gateway


def test_gateway_subcommand_fronts_a_separate_orders(gateway, tmp_path):
    if gateway.orders_port is None:
        pytest.skip("needs the Orders port of a gateway this test session started")
    port = processes.free_port()
    args = [processes.bin_path("orderhub"), "gateway", "--listen", f"127.0.0.1:{port}",
            "--orders", f"127.0.0.1:{gateway.orders_port}", "--rpc-timeout", "3",
            "--user-jwt-secret-file", gateway.data_dir / "user-token.key"]
    token = gateway.sign_in("solo")
    with processes.running(args, port, log_path=tmp_path / "gateway.log") as process:
        alone = Gateway(f"http://127.0.0.1:{port}")
        status, _, health = alone.call("GET", "/healthz")
        assert (status, health["status"]) == (200, "SERVING")
        body = {"items": [{"sku": "s", "quantity": 1, "unitPriceCents": "5"}], "currency": "EUR", "paymentToken": "tok_approve"}
        # This gateway checks no token itself: it passes the header on and Orders decides.
        status, headers, _ = alone.call("POST", "/v1/orders", body)
        assert (status, headers["WWW-Authenticate"]) == (401, "Bearer")
        status, _, order = alone.call("POST", "/v1/orders", body, token=token)
        assert (status, order["customerId"]) == (201, "solo")
        # Without --dev-sign-in it hands out no tokens.
        status, _, _ = alone.call("POST", "/v1/dev/sign-in", {"customerId": "solo"})
        assert status == 404
        # The same Orders answers through the all-in-one gateway.
        status, _, same = gateway.call("GET", f"/v1/orders/{order['id']}", token=token)
        assert (status, same["id"]) == (200, order["id"])
        assert process.poll() is None


def test_gateway_dev_sign_in_needs_the_secret(tmp_path):
    args = [processes.bin_path("orderhub"), "gateway", "--listen", f"127.0.0.1:{processes.free_port()}", "--dev-sign-in"]
    env = {name: value for name, value in os.environ.items() if not name.startswith("ORDERHUB_USER_JWT")}
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "--user-jwt-secret-file" in done.stdout + done.stderr


def test_gateway_subcommand_reports_orders_down(tmp_path):
    port, nobody = processes.free_port(), processes.free_port()
    args = [processes.bin_path("orderhub"), "gateway", "--listen", f"127.0.0.1:{port}", "--orders", f"127.0.0.1:{nobody}",
            "--insecure-no-user-auth"]
    with processes.running(args, port, log_path=tmp_path / "gateway.log"):
        status, _, health = Gateway(f"http://127.0.0.1:{port}").call("GET", "/healthz")
        assert status == 503
        assert health["checks"]["orders"] == "UNAVAILABLE"
        status, _, error = Gateway(f"http://127.0.0.1:{port}").call("GET", "/v1/orders/x")
        assert (status, error["code"]) == (503, 14)


def test_gateway_refuses_to_start_without_the_customer_token_keys(tmp_path):
    """Like `orders`: a gateway deployed without the keys is a mistake caught at start-up;
    --insecure-no-user-auth (a flag, no variable) starts it anyway, with a warning."""
    port = processes.free_port()
    args = [processes.bin_path("orderhub"), "gateway", "--listen", f"127.0.0.1:{port}", "--orders", "127.0.0.1:1"]
    env = {name: value for name, value in os.environ.items() if not name.startswith("ORDERHUB_USER_J")}
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "customer-token keys are required" in done.stdout + done.stderr
    with processes.running([*args, "--insecure-no-user-auth"], port, env=env, log_path=tmp_path / "gateway.log"):
        assert Gateway(f"http://127.0.0.1:{port}").call("GET", "/livez")[0] == 200
    assert "without customer-token keys" in (tmp_path / "gateway.log").read_text()
