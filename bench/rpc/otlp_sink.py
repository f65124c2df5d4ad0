"""A local OTLP/HTTP endpoint that accepts span batches and drops them: what `ours-tracing`
exports to, so the benchmark measures the server's cost of tracing, not a collector's."""
import http.server
import threading


class _Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def start() -> str:
    """Serves on a free loopback port in a daemon thread; returns its URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Sink)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"
