"""The servers the benchmark compares: ours and the three peers prepare.sh builds or installs."""
import dataclasses
import typing

from config import OUT, BENCH


@dataclasses.dataclass
class Server:
    """A server under test: how to start it on a port and whether it speaks gRPC (nghttpd does not).

    `missing` holds why it cannot run, in which case it appears in the table marked as missing.
    """
    key: str
    title: str
    argv: typing.Callable[[int], list]
    grpc: bool
    missing: typing.Optional[str] = None
    # Serves TLS (ALPN h2) instead of cleartext HTTP/2: h2load and the check use https.
    tls: bool = False
    # Variables added to the server's environment (secrets a service needs to start).
    env: typing.Optional[dict] = None


def cpp() -> Server:
    return Server("cpp", "C++ gRPC 1.51 (Debian)", lambda port: [OUT / "cpp-health-server", port], grpc=True)


def python() -> Server:
    return Server("python", "Python grpcio", lambda port: ["python3", BENCH / "peers" / "health_server.py", port],
                  grpc=True)


def nghttpd() -> Server:
    return Server("nghttpd", "nghttpd static file (floor)",
                  lambda port: ["nghttpd", "--no-tls", "-d", OUT / "nghttpd-root", port], grpc=False)


def baseline(binary: str, label: str) -> Server:
    """Another build of our health server (`--baseline`), to compare two commits in one run."""
    return Server("baseline", f"ours, {label}", lambda port: [binary, "--port", port], grpc=True)
