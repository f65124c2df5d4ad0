"""Starting one server pinned to a core, waiting until it listens, stopping it."""
import contextlib
import os
import signal
import socket
import subprocess
import time


def free_port() -> int:
    """A port nothing listens on right now (127.0.0.1)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before listening on {port}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


@contextlib.contextmanager
def pinned_server(argv: list, core: int, port: int, log_path, cwd, timeout: float = 20.0, env=None):
    """Runs `argv` under `taskset -c core` until the block ends; SIGTERM, then SIGKILL after 10 s.

    taskset execs the command, so the yielded process's pid is the server's own pid. `env` is
    added to this process's environment; a variable set to None there is removed.
    """
    with open(log_path, "wb") as log:
        process = subprocess.Popen(["taskset", "-c", str(core), *map(str, argv)], cwd=cwd,
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                   env={k: v for k, v in {**os.environ, **(env or {})}.items() if v is not None})
        try:
            wait_for_port(port, process, timeout)
            yield process
        finally:
            if process.poll() is None:
                os.kill(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
