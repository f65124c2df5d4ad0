"""Starting and stopping the project's binaries in tests: free ports, readiness, cleanup."""
import contextlib
import os
import pathlib
import signal
import socket
import subprocess
import time

ROOT = pathlib.Path(__file__).resolve().parents[3]


def bin_path(name: str) -> pathlib.Path:
    """A built product of the Swift package (`make test` builds them before pytest).
    ORDERHUB_BIN_DIR points at another build's products (e.g. a release build elsewhere)."""
    configuration = os.environ.get("ORDERHUB_BUILD_CONFIG", "debug")
    directory = os.environ.get("ORDERHUB_BIN_DIR")
    path = (pathlib.Path(directory) if directory else ROOT / ".build" / configuration) / name
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `swift build` (make test does)")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, host: str = "127.0.0.1", timeout: float = 20.0, process=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before listening on {port}")
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {host}:{port} after {timeout}s")


@contextlib.contextmanager
def running(args, port: int, env=None, log_path=None):
    """Runs a server process until the block ends; SIGTERM, then SIGKILL after 10 s."""
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL
    process = subprocess.Popen([str(a) for a in args], env={**os.environ, **(env or {})},
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, process=process)
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if log_path:
            log.close()


def rss_kib(pid: int) -> int:
    """Resident set size of a process, from /proc."""
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0
