"""`make run` as the README says, then create/get/cancel through the orderhub CLI, then Ctrl-C.

The test builds the debug configuration (RUN_CONFIG=debug) that `make test` has already
built; `make run` itself defaults to release."""
import json
import os
import signal
import stat
import subprocess

from support import processes


def cli(*args, env, command="order"):
    done = subprocess.run([str(processes.bin_path("orderhub")), command, *args], env=env, capture_output=True, text=True, timeout=60)
    return done.returncode, done.stdout, done.stderr


def test_make_run_then_cli(tmp_path):
    orders_port, payments_port, gateway_port = processes.free_port(), processes.free_port(), processes.free_port()
    env = {
        **os.environ,
        "ORDERHUB_DATA_DIR": str(tmp_path / "data"),
        "ORDERHUB_ORDERS_LISTEN": f"127.0.0.1:{orders_port}",
        "ORDERHUB_PAYMENTS_LISTEN": f"127.0.0.1:{payments_port}",
        "ORDERHUB_GATEWAY_LISTEN": f"127.0.0.1:{gateway_port}",
        "ORDERHUB_ORDERS_ADDRESS": f"127.0.0.1:{orders_port}",
        "ORDERHUB_DELIVERY_DELAY": "30",
    }
    log = open(tmp_path / "make-run.log", "wb")
    make = subprocess.Popen(["make", "--no-print-directory", "run", "RUN_CONFIG=debug"], cwd=processes.ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        processes.wait_for_port(orders_port, timeout=300, process=make)
        # `serve` made the customer-token key, readable by its owner only.
        key = tmp_path / "data" / "user-token.key"
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
        code, out, err = cli("create", "--item", "book:1:1250", env=env)
        assert code == 1 and "UNAUTHENTICATED" in err
        code, token, err = cli("--customer", "alice", env=env, command="token")
        assert code == 0, err
        env["ORDERHUB_TOKEN"] = token.strip()
        code, out, err = cli("create", "--item", "book:1:1250", "--currency", "EUR", "--payment-token", "tok_approve", env=env)
        assert code == 0, err
        order = json.loads(out)
        assert order["state"] == "ORDER_STATE_CREATED" and order["totalCents"] == "1250" and order["customerId"] == "alice"
        code, out, _ = cli("get", order["id"], env=env)
        assert code == 0 and json.loads(out)["id"] == order["id"]
        code, out, _ = cli("cancel", order["id"], env=env)
        assert code == 0 and json.loads(out)["state"] == "ORDER_STATE_CANCELLED"
        code, out, _ = cli("list", env=env)
        assert code == 0 and json.loads(out.splitlines()[0])["id"] == order["id"]
        code, _, err = cli("get", "missing", env=env)
        assert code == 1 and "NOT_FOUND" in err
        # Another customer's token does not see Alice's order.
        code, other, _ = cli("--customer", "bob", env=env, command="token")
        code, _, err = cli("get", order["id"], "--token", other.strip(), env=env)
        assert code == 1 and "NOT_FOUND" in err
        assert (tmp_path / "data" / "orders.db").exists() and (tmp_path / "data" / "payments.db").exists()
    finally:
        # Ctrl-C: SIGINT to the whole foreground group, as a terminal does.
        os.killpg(make.pid, signal.SIGINT)
        try:
            make.wait(timeout=30)
        finally:
            if make.poll() is None:
                os.killpg(make.pid, signal.SIGKILL)
            log.close()
    output = (tmp_path / "make-run.log").read_text()
    assert "orderhub is running" in output and f"grpc://127.0.0.1:{orders_port}" in output
    assert f"http://127.0.0.1:{gateway_port}" in output
    assert "msg=stopped" in output, output[-2000:]
