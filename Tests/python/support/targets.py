"""HTTP/2 servers that the abuse and conformance probes run against.

- `rpc-test-server` (built by the Swift package): RPCServer with a raw-bytes echo service and
  the default limits of RPCServer.Config (docs/rpc-runtime.md).
- `nghttpd --no-tls` (Debian's nghttp2-server): the calibration target. It is nghttp2 without
  gRPC, so the generic probes can be checked against it to show they provoke what they claim.
"""
import contextlib
import dataclasses
import pathlib
import shutil

import grpc

from support import h2probe, processes

# rpc-test-server's raw-bytes echo service: a unary method answering its request's bytes, and
# a bidirectional one that echoes each message until the client half-closes.
ECHO_UNARY = "/rpc.test.Echo/Unary"
ECHO_BIDI = "/rpc.test.Echo/Bidi"

# RPCServer's default limits (docs/rpc-runtime.md) the probes check against.
MAX_HEADER_LIST = 8192
MAX_RECEIVE_MESSAGE = 1 << 20
PREFACE_TIMEOUT = 10.0


@dataclasses.dataclass
class Target:
    """A server under test: where it listens and how to make one ordinary request to it."""

    name: str
    port: int
    process: object
    grpc: bool
    unary_path: str          # a gRPC unary method (or, for nghttpd, a static file)
    streaming_path: str | None
    preface_timeout: float   # how long the server waits for the client preface + SETTINGS

    def normal_call(self) -> None:
        """One ordinary request on a fresh connection; raises unless it is answered correctly."""
        if self.grpc:
            with grpc.insecure_channel(f"127.0.0.1:{self.port}") as channel:
                echo = channel.unary_unary(self.unary_path)
                reply = echo(b"still here", timeout=10)
            assert reply == b"still here", f"echo answered {reply!r}"
        else:
            with h2probe.H2Probe(self.port) as probe:
                probe.handshake()
                probe.send_headers(1, [(":method", "GET"), (":scheme", "http"), (":path", self.unary_path),
                                       (":authority", probe.host)], end_stream=True)
                response = probe.read_response(1)
            assert response.status == "200" and response.ended, f"GET answered {response.status}"

    def rss_kib(self) -> int:
        return processes.rss_kib(self.process.pid)

    def assert_still_healthy(self, baseline_rss_kib: int, growth_limit_mib: int = 64) -> None:
        """The server is alive, answers an ordinary call, and its RSS grew by less than the limit."""
        assert self.process.poll() is None, f"{self.name} exited with {self.process.returncode}"
        self.normal_call()
        grown = (self.rss_kib() - baseline_rss_kib) / 1024
        assert grown < growth_limit_mib, f"{self.name} RSS grew by {grown:.1f} MiB (limit {growth_limit_mib} MiB)"


@contextlib.contextmanager
def rpc_test_server(directory: pathlib.Path, preface_timeout: float = 2.0, extra_args=()):
    """Our RPCServer (`rpc-test-server --port N`), with a short preface timeout for the tests."""
    port = processes.free_port()
    args = [processes.bin_path("rpc-test-server"), "--port", port,
            "--preface-timeout-ms", int(preface_timeout * 1000), *extra_args]
    with processes.running(args, port, log_path=directory / f"rpc-test-server-{port}.log") as process:
        target = Target("rpc-test-server", port, process, True, ECHO_UNARY, ECHO_BIDI, preface_timeout)
        target.normal_call()
        yield target


@contextlib.contextmanager
def nghttpd(directory: pathlib.Path):
    """Debian's nghttpd serving one small static file over h2c."""
    binary = shutil.which("nghttpd") or "/usr/sbin/nghttpd"
    if not pathlib.Path(binary).exists():
        raise FileNotFoundError("nghttpd is missing: `make deps` installs nghttp2-server")
    htdocs = directory / "htdocs"
    htdocs.mkdir(exist_ok=True)
    (htdocs / "index.html").write_text("hello\n")
    port = processes.free_port()
    args = [binary, "--no-tls", "-d", htdocs, port]
    with processes.running(args, port, log_path=directory / f"nghttpd-{port}.log") as process:
        yield Target("nghttpd", port, process, False, "/index.html", None, float("inf"))
