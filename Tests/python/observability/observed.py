"""What the observability tests run: `orderhub serve` with its metrics port, a real Prometheus
server scraping it, and an OTLP/HTTP receiver collecting its spans."""
import contextlib
import http.server
import json
import pathlib
import shutil
import subprocess
import threading
import time
import urllib.parse
import urllib.request

import pytest

from support import processes, user_tokens


class Serve:
    """One `orderhub serve` process and its ports."""

    def __init__(self, gateway: int, orders: int, metrics: int, process):
        self.gateway, self.orders, self.metrics, self.process = gateway, orders, metrics, process

    def scrape(self) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.metrics}/metrics", timeout=10) as response:
            return response.read().decode()


@contextlib.contextmanager
def serve(tmp_path: pathlib.Path, env=None, args=()):
    ports = [processes.free_port() for _ in range(4)]
    orders, payments, gateway, metrics = ports
    command = [processes.bin_path("orderhub"), "serve", "--data-dir", tmp_path / "data",
               "--orders-listen", f"127.0.0.1:{orders}", "--payments-listen", f"127.0.0.1:{payments}",
               "--gateway-listen", f"127.0.0.1:{gateway}", "--metrics-listen", f"127.0.0.1:{metrics}",
               "--delivery-delay", "120", *args]
    environment = {"ORDERHUB_USER_JWT_SECRET": user_tokens.SECRET, **(env or {})}
    with processes.running(command, gateway, env=environment, log_path=tmp_path / "serve.log") as process:
        processes.wait_for_port(metrics, process=process)
        yield Serve(gateway, orders, metrics, process)


def prometheus_binary() -> str:
    binary = shutil.which("prometheus")
    if binary is None:
        pytest.fail("the Debian package prometheus is not installed (make deps installs it)")
    return binary


class Prometheus:
    def __init__(self, port: int):
        self.url = f"http://127.0.0.1:{port}"

    def query(self, promql: str):
        """The instant vector of a query, as {labels-json: value}."""
        url = f"{self.url}/api/v1/query?" + urllib.parse.urlencode({"query": promql})
        with urllib.request.urlopen(url, timeout=10) as response:
            body = json.load(response)
        assert body["status"] == "success", body
        return {json.dumps(sample["metric"], sort_keys=True): float(sample["value"][1]) for sample in body["data"]["result"]}

    def scalar(self, promql: str):
        """The single value of a query, or None when it has no sample."""
        values = list(self.query(promql).values())
        assert len(values) <= 1, f"{promql} gave {values}"
        return values[0] if values else None


@contextlib.contextmanager
def prometheus(tmp_path: pathlib.Path, targets):
    """A Prometheus server on loopback scraping `targets` (host:port) every second."""
    port = processes.free_port()
    config = tmp_path / "prometheus.yml"
    listed = ", ".join(f"'{target}'" for target in targets)
    config.write_text(
        "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
        f"scrape_configs:\n  - job_name: orderhub\n    static_configs:\n      - targets: [{listed}]\n")
    command = [prometheus_binary(), f"--config.file={config}", f"--storage.tsdb.path={tmp_path / 'tsdb'}",
               f"--web.listen-address=127.0.0.1:{port}"]
    with processes.running(command, port, log_path=tmp_path / "prometheus.log"):
        yield Prometheus(port)


class SpanSink:
    """An OTLP/HTTP (protobuf) trace receiver: every span it was sent, decoded, and the
    `service.name` of the process that sent each (by span id)."""

    def __init__(self):
        self.spans = []
        self.services = {}
        self.lock = threading.Lock()

    def add(self, body: bytes):
        from opentelemetry.proto.collector.trace.v1 import trace_service_pb2
        request = trace_service_pb2.ExportTraceServiceRequest()
        request.ParseFromString(body)
        with self.lock:
            for resource in request.resource_spans:
                service = next((a.value.string_value for a in resource.resource.attributes if a.key == "service.name"), None)
                for scope in resource.scope_spans:
                    self.spans.extend(scope.spans)
                    self.services.update((span.span_id, service) for span in scope.spans)

    def snapshot(self):
        with self.lock:
            return list(self.spans)

    def service(self, span) -> str:
        """The `service.name` of the process that exported `span`."""
        with self.lock:
            return self.services.get(span.span_id)


@contextlib.contextmanager
def otlp_receiver():
    """Yields (endpoint URL, SpanSink)."""
    sink = SpanSink()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.path == "/v1/traces":
                sink.add(body)
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", sink
    finally:
        server.shutdown()
        server.server_close()


def wait_for(condition, timeout=90.0, what="condition", interval=0.5):
    """Polls until `condition()` is truthy; returns its value, or fails naming `what` and the last value."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = condition()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"{what} did not happen within {timeout}s (last: {last})")
