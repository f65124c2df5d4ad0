"""The system under fault: Payments, Orders, the gateway and (for the database scenarios)
PostgreSQL, each started on its own test host (network.py), with SQLite files or schemas of
their own, and stopped again whatever happens."""
import contextlib
import os
import pathlib
import signal
import socket
import subprocess
import time

from support import processes, user_tokens

from faults.network import Network

SERVICE_SECRET = "fault-tests-service-secret-0123456789abcdef"
PORTS = {"payments": 50052, "orders": 50051, "gateway": 8000, "postgres": 5432}
PGBIN = pathlib.Path("/usr/lib/postgresql/15/bin")


def wait_for_tcp(host: str, port: int, timeout: float = 30, process=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before listening on {host}:{port}")
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on {host}:{port} after {timeout}s")


class Service:
    """One orderhub service on its test host; SIGSTOP/SIGCONT reach the process itself
    (`ip netns exec` execs the program, so the pid is the service's)."""

    def __init__(self, net: Network, role: str, log_dir: pathlib.Path, args=(), env=None):
        self.net, self.role, self.log_dir = net, role, log_dir
        self.args = list(args)
        self.env = {"ORDERHUB_SERVICE_SECRET": SERVICE_SECRET, "ORDERHUB_USER_JWT_SECRET": user_tokens.SECRET,
                    "ORDERHUB_LOG_LEVEL": "info", "ORDERHUB_METRICS_LISTEN": "127.0.0.1:0", **(env or {})}
        self.process = None
        self.starts = 0

    @property
    def host(self) -> str:
        return self.net.address(self.role)

    @property
    def port(self) -> int:
        return PORTS[self.role]

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self) -> "Service":
        log = open(self.log_dir / f"{self.role}-{self.starts}.log", "wb")
        self.starts += 1
        listen = ["--listen", self.address]
        self.process = subprocess.Popen([*self.net.exec(self.role), str(processes.bin_path("orderhub")), self.role, *listen, *self.args],
                                        env={**os.environ, **self.env}, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        wait_for_tcp(self.host, self.port, process=self.process)
        return self

    def freeze(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def stop(self, timeout=20) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.thaw()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def rss_kib(self) -> int:
        return processes.rss_kib(self.process.pid)

    def logs(self) -> str:
        return "".join((self.log_dir / f"{self.role}-{i}.log").read_text(errors="replace") for i in range(self.starts))


class Postgres:
    """A throwaway PostgreSQL 15 cluster on the postgres host, trusting the test subnet."""

    def __init__(self, net: Network, directory: pathlib.Path):
        self.net, self.directory = net, directory
        self.data = directory / "data"

    @property
    def url(self) -> str:
        return f"postgres://postgres@{self.net.address('postgres')}:{PORTS['postgres']}/orderhub"

    def _as_postgres(self, *args, check=True):
        command = [*self.net.exec("postgres"), "runuser", "-u", "postgres", "--", *map(str, args)]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)

    def start(self) -> "Postgres":
        self.directory.mkdir(parents=True, exist_ok=True)
        os.chown(self.directory, *_postgres_ids())
        self._as_postgres(PGBIN / "initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "--no-sync")
        with open(self.data / "pg_hba.conf", "a") as hba:
            hba.write(f"host all all {self.net.address('postgres').rsplit('.', 1)[0]}.0/24 trust\n")
        self._ctl("start")
        self.query("CREATE DATABASE orderhub", database="postgres")
        return self

    def _ctl(self, action: str, *extra):
        options = f"-h {self.net.address('postgres')} -p {PORTS['postgres']} -k {self.directory} -c max_connections=100"
        self._as_postgres(PGBIN / "pg_ctl", "-D", self.data, "-l", self.directory / "server.log", "-w", "-t", "60",
                          "-o", options, *extra, action)

    def restart(self) -> None:
        self._ctl("restart", "-m", "fast")

    def stop_fast(self) -> None:
        """Stops the server as an operator's restart does: open connections are closed."""
        self._as_postgres(PGBIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def start_again(self) -> None:
        self._ctl("start")

    def terminate_backends(self) -> int:
        """pg_terminate_backend on every connection of the services; returns how many."""
        rows = self.query("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                          "WHERE datname = 'orderhub' AND pid <> pg_backend_pid()")
        return int(rows[0][0])

    def stop(self) -> None:
        self._as_postgres(PGBIN / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop", check=False)

    def query(self, sql: str, database="orderhub", schema=None) -> list[tuple]:
        url = f"postgres://postgres@{self.net.address('postgres')}:{PORTS['postgres']}/{database}"
        env = {**os.environ, **({"PGOPTIONS": f"-c search_path={schema}"} if schema else {})}
        done = subprocess.run(["psql", url, "-X", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql],
                              check=True, capture_output=True, text=True, timeout=30, env=env)
        return [tuple(line.split("\t")) for line in done.stdout.splitlines() if line]


def _postgres_ids():
    import pwd
    entry = pwd.getpwnam("postgres")
    return entry.pw_uid, entry.pw_gid
