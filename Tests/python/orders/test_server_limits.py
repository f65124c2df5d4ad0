"""The gRPC server limits are operator settings: flags (and ORDERHUB_* variables) on the service
commands, checked here with stock clients against the real processes."""
import socket
import subprocess
import threading
import time

import grpc
import h2.config
import h2.connection
import h2.events

from orders.harness import SECRET, Service
from support import processes

HEALTH_CHECK = "/grpc.health.v1.Health/Check"
SERVING = b"\x08\x01"  # Raw bytes: health.proto must not be registered twice in one process.


def test_a_lowered_receive_limit_refuses_larger_messages_and_keeps_serving(tmp_path):
    payments = Service("payments", tmp_path, processes.free_port(), args=["--max-receive-message-bytes", "2048"]).start()
    try:
        with grpc.insecure_channel(payments.address) as channel:
            call = channel.unary_unary("/orderhub.v1.Payments/ProcessPayment")
            # Field 5 (customer_id), 3000 bytes: over the limit, refused before anything reads it.
            big = b"\x2a" + bytes([0xb8, 0x17]) + b"x" * 3000
            try:
                call(big, timeout=10)
                raise AssertionError("a 3 KB message passed a 2 KiB limit")
            except grpc.RpcError as error:
                assert error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, error
            assert channel.unary_unary(HEALTH_CHECK)(b"", timeout=10) == SERVING
    finally:
        payments.stop()


def test_max_connection_age_sends_goaway_and_stock_clients_see_no_failure(tmp_path):
    payments = Service("payments", tmp_path, processes.free_port(),
                       env={"ORDERHUB_MAX_CONNECTION_AGE": "0.3"}).start()
    try:
        # A plain HTTP/2 peer that makes no call is sent GOAWAY(NO_ERROR) once the age passes
        # (the idle timeout is minutes away).
        with socket.create_connection(("127.0.0.1", payments.port), timeout=5) as raw:
            connection = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
            connection.initiate_connection()
            raw.sendall(connection.data_to_send())
            goaway = None
            deadline = time.monotonic() + 5
            while goaway is None and time.monotonic() < deadline:
                data = raw.recv(65536)
                if not data:
                    break
                for event in connection.receive_data(data):
                    if isinstance(event, h2.events.ConnectionTerminated):
                        goaway = event
                raw.sendall(connection.data_to_send())
            assert goaway is not None and goaway.error_code == 0, goaway

        # grpcio calling steadily from four threads across many connection ages: the drained
        # connections end gracefully, so no call fails.
        failures, calls = [], [0]
        lock = threading.Lock()
        end = time.monotonic() + 3
        with grpc.insecure_channel(payments.address) as channel:
            check = channel.unary_unary(HEALTH_CHECK)

            def caller():
                while time.monotonic() < end:
                    try:
                        assert check(b"", timeout=10) == SERVING
                        with lock:
                            calls[0] += 1
                    except grpc.RpcError as error:
                        with lock:
                            failures.append(f"{error.code()}: {error.details()}")

            threads = [threading.Thread(target=caller) for _ in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        assert calls[0] > 100
        assert failures == [], f"{len(failures)} of {calls[0] + len(failures)} calls failed, first: {failures[0]}"
    finally:
        payments.stop()


def test_a_limit_that_is_not_a_positive_number_stops_the_service_with_a_message(tmp_path):
    result = subprocess.run(
        [str(processes.bin_path("orderhub")), "payments", "--listen", f"127.0.0.1:{processes.free_port()}",
         "--db", f"sqlite:{tmp_path / 'p.db'}", "--max-concurrent-streams", "0"],
        env={"ORDERHUB_SERVICE_SECRET": SECRET, "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert "--max-concurrent-streams must be greater than zero" in result.stdout + result.stderr


def test_a_negative_order_cache_size_stops_orders_with_a_message(tmp_path):
    result = subprocess.run(
        [str(processes.bin_path("orderhub")), "orders", "--listen", f"127.0.0.1:{processes.free_port()}",
         "--db", f"sqlite:{tmp_path / 'o.db'}", "--payments-address", "127.0.0.1:9", "--insecure-no-user-auth"],
        env={"ORDERHUB_SERVICE_SECRET": SECRET, "ORDERHUB_ORDER_CACHE_SIZE": "-1", "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert "--order-cache-size must not be negative" in result.stdout + result.stderr
