"""Interop servers under test: the stock grpcio TestService server and our Swift `interop-server`,
each with the event log its handlers write (`FullDuplexCall started`, `… cancelled`, …)."""
import contextlib
import dataclasses
import pathlib
import sys
import time

from support import processes

GRPCIO_SERVER = pathlib.Path(__file__).resolve().parents[1] / "interop" / "grpcio_server.py"


@dataclasses.dataclass
class InteropServer:
    """A running interop server: its port, process and handler event log."""

    port: int
    process: object
    event_log: pathlib.Path

    def events(self) -> list[str]:
        if not self.event_log.exists():
            return []
        return [line for line in self.event_log.read_text().splitlines() if line]

    def wait_for_event(self, event: str, after: int = 0, timeout: float = 10.0) -> int:
        """Waits until `event` is logged at an index ≥ `after`; returns that index."""
        deadline = time.monotonic() + timeout
        while True:
            events = self.events()
            for index in range(after, len(events)):
                if events[index] == event:
                    return index
            if time.monotonic() > deadline:
                raise AssertionError(f"server never logged {event!r} (events from {after}: {events[after:]})")
            time.sleep(0.02)


@contextlib.contextmanager
def grpcio_interop_server(directory: pathlib.Path, empty: bool = False):
    """The stock grpcio TestService server (`empty`: nothing registered, the negative control)."""
    port = processes.free_port()
    event_log = directory / f"grpcio-events-{port}.log"
    args = [sys.executable, GRPCIO_SERVER, "--port", port, "--event_log", event_log]
    if empty:
        args.append("--empty")
    with processes.running(args, port, log_path=directory / f"grpcio-server-{port}.log") as process:
        yield InteropServer(port, process, event_log)


@contextlib.contextmanager
def swift_interop_server(directory: pathlib.Path):
    """Our `interop-server` (grpc.testing.TestService on RPCServer)."""
    port = processes.free_port()
    event_log = directory / f"swift-events-{port}.log"
    args = [processes.bin_path("interop-server"), "--port", port, "--event_log", event_log]
    with processes.running(args, port, log_path=directory / f"interop-server-{port}.log") as process:
        yield InteropServer(port, process, event_log)
