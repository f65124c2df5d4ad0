"""TLS on the real binaries with certificates from `orderhub dev-certs`: stock grpcio clients
over TLS, refusals that leave the server serving, mutual TLS on Payments, certificate rotation
without dropping an open stream, the gateway over HTTPS with HTTP/2 and HTTP/1.1, and the whole
chain gateway → Orders → Payments encrypted end to end."""
import json
import signal
import socket
import ssl
import stat
import subprocess

import grpc
import pytest
from orders import harness
from support import processes, stubs
from tls import tlsenv

# The health stubs generated from Protos/ like every other stub here (grpcio-health-checking's
# own module would register the same proto names a second time).
health_pb2 = stubs.load("grpc.health.v1.health_pb2")
health_pb2_grpc = stubs.load("grpc.health.v1.health_pb2_grpc")


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    return tlsenv.dev_certs(tmp_path_factory.mktemp("certs"))


@pytest.fixture(scope="module")
def other_certs(tmp_path_factory):
    """A second, unrelated CA and its certificates."""
    return tlsenv.dev_certs(tmp_path_factory.mktemp("other-certs"))


def check(channel, service="", timeout=10):
    return health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=service), timeout=timeout).status


def test_dev_certs_writes_the_five_files_with_private_keys(certs):
    for name in ("ca.pem", "server.pem", "client.pem"):
        assert (certs.dir / name).read_text().startswith("-----BEGIN CERTIFICATE-----")
    for key in (certs.server_key, certs.client_key):
        assert "PRIVATE KEY-----" in key.read_text()
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
    # (The certificates' names are checked by use: grpcio verifies 127.0.0.1, curl localhost.)


def test_grpcio_over_tls_unary_and_server_streaming(tmp_path, certs):
    with tlsenv.services(tmp_path, orders_args=certs.listener_args()) as (orders, _):
        with tlsenv.secure_channel(orders.port, certs) as channel:
            assert check(channel) == health_pb2.HealthCheckResponse.SERVING
            assert check(channel, "orderhub.v1.Orders") == health_pb2.HealthCheckResponse.SERVING
            orders_pb2, orders_grpc, _, _ = harness.pb()
            stub = orders_grpc.OrdersStub(channel)
            created = stub.CreateOrder(harness.create_request(), timeout=10, metadata=tlsenv.CALL_METADATA)
            assert stub.GetOrder(orders_pb2.GetOrderRequest(id=created.id), timeout=10, metadata=tlsenv.CALL_METADATA).id == created.id
            watch = stub.WatchOrder(orders_pb2.WatchOrderRequest(id=created.id), timeout=60, metadata=tlsenv.CALL_METADATA)
            states = []
            for order in watch:
                states.append(harness.state_name(order))
                if states[-1] == "ORDER_STATE_CONFIRMED":
                    watch.cancel()
                    break
            assert states[-1] == "ORDER_STATE_CONFIRMED"
        # The probes' port speaks cleartext and shares the status board.
        with grpc.insecure_channel(f"127.0.0.1:{orders.health_port}") as plain:
            assert check(plain, "orderhub.v1.Orders") == health_pb2.HealthCheckResponse.SERVING


def test_cleartext_and_non_h2_clients_fail_cleanly_and_the_server_keeps_serving(tmp_path, certs):
    with tlsenv.services(tmp_path, orders_args=certs.listener_args()) as (orders, _):
        with grpc.insecure_channel(orders.address) as plain:
            with pytest.raises(grpc.RpcError) as refused:
                check(plain, timeout=5)
            assert refused.value.code() == grpc.StatusCode.UNAVAILABLE
        for alpn in (None, ("http/1.1",)):
            context = tlsenv.tls_context(certs, alpn)
            with socket.create_connection(("127.0.0.1", orders.port), timeout=10) as raw:
                with context.wrap_socket(raw, server_hostname="localhost") as tls:
                    assert tls.selected_alpn_protocol() is None
                    # The handshake is accepted, then the connection is closed at once: no HTTP/2.
                    tls.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
                    try:
                        assert tls.recv(1024) == b""
                    except (ConnectionResetError, ssl.SSLError):
                        pass
        assert orders.process.poll() is None
        with tlsenv.secure_channel(orders.port, certs) as channel:
            assert check(channel) == health_pb2.HealthCheckResponse.SERVING


def test_payments_with_a_client_ca_accepts_only_certificates_it_signed(tmp_path, certs, other_certs):
    with tlsenv.services(tmp_path, payments_args=certs.listener_args(client_ca=certs.ca),
                         orders_args=certs.client_args(with_certificate=True)) as (orders, payments):
        refusals = {
            "no client certificate": certs.credentials(),
            "a certificate from another CA": certs.credentials(certificate_of=other_certs),
        }
        for what, credentials in refusals.items():
            with grpc.secure_channel(payments.address, credentials) as channel:
                with pytest.raises(grpc.RpcError) as refused:
                    check(channel, timeout=5)
                assert refused.value.code() == grpc.StatusCode.UNAVAILABLE, what
        with tlsenv.secure_channel(payments.port, certs, with_certificate=True) as channel:
            assert check(channel, "orderhub.v1.Payments") == health_pb2.HealthCheckResponse.SERVING
        assert payments.process.poll() is None


def test_rotation_serves_the_new_certificate_to_new_connections_and_keeps_open_streams(tmp_path, certs, other_certs):
    live = tlsenv.Certs(tmp_path / "live")
    live.dir.mkdir()
    for name in ("ca.pem", "server.pem", "server-key.pem"):
        (live.dir / name).write_bytes((certs.dir / name).read_bytes())
    # A long poll interval: the rotation below is picked up by SIGHUP.
    with tlsenv.services(tmp_path, orders_args=[*live.listener_args(), "--tls-reload-seconds", "3600"]) as (orders, _):
        assert tlsenv.served_certificate(orders.port) == tlsenv.pem_to_der(certs.server)
        channel = tlsenv.secure_channel(orders.port, certs)
        watch = health_pb2_grpc.HealthStub(channel).Watch(health_pb2.HealthCheckRequest(service="orderhub.v1.Orders"), timeout=120)
        assert next(watch).status == health_pb2.HealthCheckResponse.SERVING

        tlsenv.install(other_certs, live)
        orders.process.send_signal(signal.SIGHUP)
        harness.wait_until(lambda: tlsenv.served_certificate(orders.port) == tlsenv.pem_to_der(other_certs.server),
                           timeout=30, what="the new certificate served")

        # The old connection still takes calls, and its open stream still delivers: SIGTERM
        # turns the status NOT_SERVING before the drain, and the watcher sees it.
        assert check(channel, "orderhub.v1.Orders") == health_pb2.HealthCheckResponse.SERVING
        orders.process.send_signal(signal.SIGTERM)
        assert next(watch).status == health_pb2.HealthCheckResponse.NOT_SERVING
        channel.close()
        assert "TLS certificates reloaded" in orders.logs()


def test_a_bad_new_certificate_is_logged_and_the_old_one_kept(tmp_path, certs):
    live = tlsenv.Certs(tmp_path / "live")
    live.dir.mkdir()
    for name in ("ca.pem", "server.pem", "server-key.pem"):
        (live.dir / name).write_bytes((certs.dir / name).read_bytes())
    with tlsenv.services(tmp_path, orders_args=[*live.listener_args(), "--tls-reload-seconds", "0.2"]) as (orders, _):
        live.server.write_text("-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n")
        harness.wait_until(lambda: "cannot be used; keeping the previous ones" in orders.logs(), timeout=30, what="the error logged")
        assert tlsenv.served_certificate(orders.port) == tlsenv.pem_to_der(certs.server)


def curl(*args):
    result = subprocess.run(["curl", "--silent", "--show-error", "--max-time", "20", *map(str, args)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_gateway_over_https_speaks_http2_and_http11(tmp_path, certs):
    with tlsenv.services(tmp_path, orders_args=certs.listener_args()) as (orders, _):
        port, probes = processes.free_port(), processes.free_port()
        args = [processes.bin_path("orderhub"), "gateway", "--listen", f"127.0.0.1:{port}", "--orders", orders.address,
                "--metrics-listen", f"127.0.0.1:{probes}", *certs.listener_args(), *certs.client_args(), *tlsenv.GATEWAY_ARGS]
        with processes.running(args, port, log_path=tmp_path / "gateway.log"):
            url = f"https://localhost:{port}/healthz"
            for flag, version in (("--http2", "2"), ("--http1.1", "1.1")):
                out = curl("--cacert", certs.ca, flag, "--write-out", "\n%{http_code} %{http_version}", url)
                body, status = out.rsplit("\n", 1)
                assert status == f"200 {version}", out
                assert json.loads(body)["status"] == "SERVING"
            # Cleartext HTTP on the TLS port gets nothing useful, and the gateway goes on.
            plain = subprocess.run(["curl", "--silent", "--max-time", "5", f"http://127.0.0.1:{port}/healthz"], capture_output=True)
            assert plain.returncode != 0
            # The probes' port: cleartext HTTP/1.1.
            assert json.loads(curl(f"http://127.0.0.1:{probes}/livez"))["status"] == "SERVING"
            assert json.loads(curl(f"http://127.0.0.1:{probes}/readyz"))["status"] == "SERVING"
            assert curl("--cacert", certs.ca, "--write-out", "%{http_code}", "--output", "/dev/null", url) == "200"


def test_order_through_tls_gateway_tls_orders_and_mutual_tls_payments_is_confirmed(tmp_path, certs):
    with tlsenv.services(tmp_path, payments_args=certs.listener_args(client_ca=certs.ca),
                         orders_args=[*certs.listener_args(), *certs.client_args(with_certificate=True)]) as (orders, _):
        port = processes.free_port()
        args = [processes.bin_path("orderhub"), "gateway", "--listen", f"127.0.0.1:{port}", "--orders", orders.address,
                "--metrics-listen", f"127.0.0.1:{processes.free_port()}", *certs.listener_args(), *certs.client_args(),
                *tlsenv.GATEWAY_ARGS]
        with processes.running(args, port, log_path=tmp_path / "gateway.log"):
            base = f"https://localhost:{port}"
            assert_order_confirmed(base, certs)


def assert_order_confirmed(base, certs):
    """Creates an order with tok_approve through the gateway at `base` and waits for it to be
    confirmed (or already delivered): Orders reached Payments."""
    body = {"customerId": "alice", "currency": "EUR", "paymentToken": "tok_approve",
            "items": [{"sku": "book", "quantity": 1, "unitPriceCents": 1250}]}
    created = json.loads(curl("--cacert", certs.ca, "--http2", "-H", "Content-Type: application/json", *tlsenv.REST_ARGS,
                              "--data", json.dumps(body), f"{base}/v1/orders"))
    assert created["state"] == "ORDER_STATE_CREATED", created

    def state():
        return json.loads(curl("--cacert", certs.ca, *tlsenv.REST_ARGS, f"{base}/v1/orders/{created['id']}"))["state"]
    harness.wait_until(lambda: state() in ("ORDER_STATE_CONFIRMED", "ORDER_STATE_DELIVERED"), timeout=60,
                       what="the order confirmed through mutual TLS to Payments")


def test_serve_puts_tls_on_every_hop(tmp_path, certs):
    orders, payments, gateway = processes.free_port(), processes.free_port(), processes.free_port()
    args = [processes.bin_path("orderhub"), "serve", "--data-dir", tmp_path / "data",
            "--orders-listen", f"127.0.0.1:{orders}", "--payments-listen", f"127.0.0.1:{payments}",
            "--gateway-listen", f"127.0.0.1:{gateway}", *tlsenv.ORDERS_ARGS,
            *certs.listener_args(client_ca=certs.ca), *certs.client_args(with_certificate=True)]
    with processes.running(args, gateway, log_path=tmp_path / "serve.log"):
        for port in (orders, payments):
            with grpc.insecure_channel(f"127.0.0.1:{port}") as plain:
                with pytest.raises(grpc.RpcError) as refused:
                    check(plain, timeout=5)
                assert refused.value.code() == grpc.StatusCode.UNAVAILABLE
        with tlsenv.secure_channel(orders, certs) as channel:
            assert check(channel, "orderhub.v1.Orders") == health_pb2.HealthCheckResponse.SERVING
        # Only Payments asks for a client certificate (as in k8s/).
        with tlsenv.secure_channel(payments, certs) as channel:
            with pytest.raises(grpc.RpcError):
                check(channel, timeout=5)
        with tlsenv.secure_channel(payments, certs, with_certificate=True) as channel:
            assert check(channel, "orderhub.v1.Payments") == health_pb2.HealthCheckResponse.SERVING
        assert_order_confirmed(f"https://localhost:{gateway}", certs)
