"""/metrics as Prometheus sees it: a real Prometheus server scrapes `orderhub serve` while
orders are created (some declined), and some confirmed ones cancelled; its query API must
return exactly what happened. Also: the Grafana dashboard asks only for metrics /metrics
really exports, and no label carries an id."""
import json
import pathlib
import re
import time
import urllib.error
import urllib.request

import grpc

from observed import prometheus, serve, wait_for
from orders import harness
from support import processes, stubs, user_tokens

ROOT = pathlib.Path(__file__).resolve().parents[3]
APPROVED, DECLINED, CANCELLED = 7, 3, 2


def create_orders(stub, orders_pb2):
    ids = []
    for index in range(APPROVED + DECLINED):
        token = "tok_decline" if index < DECLINED else "tok_approve"
        ids.append(stub.CreateOrder(harness.create_request(customer=f"customer{index}", token=token), timeout=30).id)
    return ids


def state(stub, order_id):
    return stub.GetOrder(harness.pb()[0].GetOrderRequest(id=order_id), timeout=30).state


def test_prometheus_counts_what_happened(tmp_path):
    orders_pb2 = harness.pb()[0]
    with serve(tmp_path) as system, prometheus(tmp_path, [f"127.0.0.1:{system.metrics}"]) as prom:
        channel = user_tokens.channel(f"127.0.0.1:{system.orders}", user_tokens.admin_token())
        stub = harness.pb()[1].OrdersStub(channel)
        ids = create_orders(stub, orders_pb2)
        declined, approved = ids[:DECLINED], ids[DECLINED:]
        wait_for(lambda: all(state(stub, i) == orders_pb2.ORDER_STATE_CANCELLED for i in declined), what="declines")
        wait_for(lambda: all(state(stub, i) == orders_pb2.ORDER_STATE_CONFIRMED for i in approved), what="approvals")
        for order_id in approved[:CANCELLED]:
            stub.CancelOrder(orders_pb2.CancelOrderRequest(id=order_id), timeout=30)
        # One failing call: its code is counted under its own label.
        try:
            stub.GetOrder(orders_pb2.GetOrderRequest(id="ord_missing"), timeout=30)
        except grpc.RpcError as error:
            assert error.code() == grpc.StatusCode.NOT_FOUND
        # The refunds are asynchronous: wait until both went through, as /metrics says.
        wait_for(lambda: "orderhub_refunds_total 2" in system.scrape(), what="two refunds")
        # One REST read, for the HTTP metrics and their route template.
        request = urllib.request.Request(f"http://127.0.0.1:{system.gateway}/v1/orders/{approved[-1]}",
                                         headers={"Authorization": f"Bearer {user_tokens.admin_token()}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200

        expected = {
            'sum(grpc_server_handled_total{grpc_method="CreateOrder",grpc_code="OK"})': APPROVED + DECLINED,
            'sum(grpc_server_started_total{grpc_method="CreateOrder"})': APPROVED + DECLINED,
            'sum(grpc_server_handling_seconds_count{grpc_method="CreateOrder"})': APPROVED + DECLINED,
            'sum(grpc_server_handled_total{grpc_method="GetOrder",grpc_code="NOT_FOUND"})': 1,
            'sum(grpc_server_handled_total{grpc_method="CancelOrder",grpc_code="OK"})': CANCELLED,
            'sum(grpc_client_handled_total{grpc_method="ProcessPayment",grpc_code="OK"})': APPROVED + DECLINED,
            'sum(grpc_client_handled_total{grpc_method="RefundPayment",grpc_code="OK"})': CANCELLED,
            'sum(orderhub_orders_created_total)': APPROVED + DECLINED,
            'sum(orderhub_order_transitions_total{from="created",to="confirmed",reason="PAYMENT_APPROVED"})': APPROVED,
            'sum(orderhub_order_transitions_total{from="created",to="cancelled",reason="PAYMENT_DECLINED"})': DECLINED,
            'sum(orderhub_order_transitions_total{from="confirmed",to="cancelled",reason="USER_REQUESTED"})': CANCELLED,
            'sum(orderhub_payments_total{outcome="approved"})': APPROVED,
            'sum(orderhub_payments_total{outcome="declined"})': DECLINED,
            'sum(orderhub_refunds_total)': CANCELLED,
            'sum(http_server_requests_total{method="GET",route="/v1/orders/{id}",code="200"})': 1,
        }

        def differences():
            got = {query: prom.scalar(query) for query in expected}
            return {query: (got[query], expected[query]) for query in expected if got[query] != expected[query]}
        deadline = time.monotonic() + 60
        while (missing := differences()) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert missing == {}, "Prometheus's answers (got, expected) that differ"
        # Every order passed through the storage histogram; nothing was delivered yet (delay 120 s).
        assert prom.scalar("sum(orderhub_storage_commit_batch_size_count)") >= APPROVED + DECLINED
        assert prom.scalar('sum(orderhub_order_transitions_total{to="delivered"})') is None
        assert prom.scalar("process_resident_memory_bytes") > 0
        assert prom.scalar("process_open_fds") > 0

        text = system.scrape()
        for order_id in ids:
            assert order_id not in text, "an order id leaked into a label"


def metric_families(text: str) -> dict:
    """{name: type} from the # TYPE lines of a Prometheus text exposition."""
    return dict(re.findall(r"^# TYPE (\S+) (\S+)$", text, re.MULTILINE))


def metric_names_in(expr: str) -> set:
    """The metric names a PromQL expression reads (our prefixes only): label matchers and
    `by (…)` / `without (…)` lists removed first, their label names are not metrics."""
    bare = re.sub(r"\{[^}]*\}", "", expr)
    bare = re.sub(r"\b(by|without)\s*\([^)]*\)", "", bare)
    return set(re.findall(r"\b((?:grpc|http|orderhub|process)_[a-z0-9_]+)", bare))


def test_dashboard_queries_only_exported_metrics(tmp_path):
    dashboard = json.loads((ROOT / "k8s" / "observability" / "grafana-dashboard.json").read_text())
    exprs = [target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])]
    assert len(exprs) >= 8
    with serve(tmp_path) as system:
        channel = user_tokens.channel(f"127.0.0.1:{system.orders}", user_tokens.admin_token())
        stub = harness.pb()[1].OrdersStub(channel)
        order = stub.CreateOrder(harness.create_request(), timeout=30)
        wait_for(lambda: 'orderhub_payments_total{outcome="approved"} 1' in system.scrape(), what="a payment")
        stub.CancelOrder(harness.pb()[0].CancelOrderRequest(id=order.id), timeout=30)
        wait_for(lambda: "orderhub_refunds_total 1" in system.scrape(), what="the refund")
        request = urllib.request.Request(f"http://127.0.0.1:{system.gateway}/v1/orders/{order.id}",
                                         headers={"Authorization": f"Bearer {user_tokens.admin_token()}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200
        families = metric_families(system.scrape())
    # The start-up banner (what `make run` prints) says where the metrics are.
    assert f"metrics: http://127.0.0.1:{system.metrics}/metrics" in (tmp_path / "serve.log").read_text(errors="replace")
    for expr in exprs:
        for name in metric_names_in(expr):
            base = re.sub(r"_(bucket|sum|count)$", "", name)
            assert name in families or families.get(base) == "histogram", f"{name} (in {expr!r}) is not exported"


def test_metrics_port_still_serves_grpc_health(tmp_path):
    """The probe port speaks both: HTTP/1.1 GET /metrics and gRPC health over HTTP/2."""
    health_pb2 = stubs.load("grpc.health.v1.health_pb2")
    health_pb2_grpc = stubs.load("grpc.health.v1.health_pb2_grpc")
    payments_metrics = processes.free_port()
    with harness.system(tmp_path, payments_args=["--metrics-listen", f"127.0.0.1:{payments_metrics}"]) as (_, payments):
        with urllib.request.urlopen(f"http://127.0.0.1:{payments_metrics}/metrics", timeout=10) as response:
            assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
            assert "# TYPE process_open_fds gauge" in response.read().decode()
        with grpc.insecure_channel(f"127.0.0.1:{payments_metrics}") as channel:
            answer = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=""), timeout=10)
            assert answer.status == health_pb2.HealthCheckResponse.SERVING
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{payments_metrics}/nothing", timeout=10)
            raise AssertionError("an unknown path answered")
        except urllib.error.HTTPError as error:
            assert error.code == 404


def test_metrics_port_refuses_an_oversized_request_head_and_still_serves(tmp_path):
    """A request head beyond 8 KiB gets 431 and the connection closes; the port serves on."""
    import socket
    metrics = processes.free_port()
    with harness.system(tmp_path, payments_args=["--metrics-listen", f"127.0.0.1:{metrics}"]):
        with socket.create_connection(("127.0.0.1", metrics), timeout=10) as sock:
            sock.sendall(b"GET /metrics HTTP/1.1\r\nX-Padding: " + b"a" * 9000)
            answer = b""
            while chunk := sock.recv(4096):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 431 "), answer[:100]
        with urllib.request.urlopen(f"http://127.0.0.1:{metrics}/metrics", timeout=10) as response:
            assert response.status == 200
