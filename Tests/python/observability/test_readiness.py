"""Readiness tells the truth about the database: Orders' own health name turns NOT_SERVING
while its PostgreSQL server is down and SERVING again once it is back, while the empty name
(liveness) stays SERVING throughout. Uses a PostgreSQL server of its own, never the shared one."""
import contextlib
import os
import pathlib
import shutil
import subprocess
import tempfile

import grpc

from observed import wait_for
from orders import harness
from support import processes, stubs, user_tokens

# The stubs generated from Protos/: grpcio-health-checking's health_pb2 registers the same proto
# file, and the two cannot share one process.
health_pb2 = stubs.load("grpc.health.v1.health_pb2")
health_pb2_grpc = stubs.load("grpc.health.v1.health_pb2_grpc")

ROOT = pathlib.Path(__file__).resolve().parents[3]


@contextlib.contextmanager
def own_postgres(tmp_path):
    # Not under tmp_path: pytest's directories are private to root, and the server runs as postgres.
    directory = tempfile.mkdtemp(prefix="orderhub-readiness-pg-")
    env = {**os.environ, "ORDERHUB_TEST_PG_DIR": directory, "ORDERHUB_TEST_PG_PORT": str(processes.free_port())}
    script = str(ROOT / "scripts" / "test-postgres.sh")

    def run(action):
        return subprocess.run([script, action], env=env, check=True, capture_output=True, text=True, timeout=120).stdout.strip()
    url = run("start")
    try:
        yield url, (lambda: run("stop")), (lambda: run("start"))
    finally:
        run("stop")
        shutil.rmtree(directory, ignore_errors=True)


def status(channel, service):
    try:
        return health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=service), timeout=5).status
    except grpc.RpcError as error:
        return error.code()


def test_readiness_follows_the_database(tmp_path):
    serving, not_serving = health_pb2.HealthCheckResponse.SERVING, health_pb2.HealthCheckResponse.NOT_SERVING
    probes = processes.free_port()
    with own_postgres(tmp_path) as (url, stop_db, start_db):
        port = processes.free_port()
        command = [processes.bin_path("orderhub"), "orders", "--listen", f"127.0.0.1:{port}", "--db", url,
                   "--payments-address", f"127.0.0.1:{processes.free_port()}", "--metrics-listen", f"127.0.0.1:{probes}"]
        env = {"ORDERHUB_SERVICE_SECRET": harness.SECRET, "ORDERHUB_USER_JWT_SECRET": user_tokens.SECRET}
        with processes.running(command, port, env=env, log_path=tmp_path / "orders.log"):
            with grpc.insecure_channel(f"127.0.0.1:{probes}") as channel:
                wait_for(lambda: status(channel, "orderhub.v1.Orders") == serving, timeout=30, what="ready")
                stop_db()
                wait_for(lambda: status(channel, "orderhub.v1.Orders") == not_serving, timeout=30, what="not ready without PostgreSQL")
                assert status(channel, "") == serving
                start_db()
                wait_for(lambda: status(channel, "orderhub.v1.Orders") == serving, timeout=60, what="ready again")
                assert status(channel, "") == serving
        assert "orderhub.v1.Orders is NOT_SERVING: the database fails" in (tmp_path / "orders.log").read_text(errors="replace")
