"""PostgreSQL restarted under load, then every service connection killed: both services
reconnect on their own; while the database is away, calls fail fast with UNAVAILABLE (never
waiting past their deadline), and nothing acknowledged is lost."""
import pathlib
import shutil
import tempfile

import pytest

from faults import history, scenario
from faults.cluster import Postgres
from faults.load import History, Load

DEADLINE = 3.0


@pytest.fixture
def postgres(net):
    # Not under tmp_path: pytest's directory is root's alone, and PostgreSQL runs as postgres.
    directory = pathlib.Path(tempfile.mkdtemp(prefix="ohf-pg-"))
    server = Postgres(net, directory)
    try:
        yield server.start()
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)


def _system(net, tmp_path, postgres):
    stores = history.Stores(postgres=postgres)
    return scenario.system(net, tmp_path, orders_db=f"{postgres.url}?schema=orders",
                           payments_db=f"{postgres.url}?schema=payments", stores=stores)


def _assert_fail_fast(result):
    during = result["during"]
    assert set(during["codes"]) <= {"OK", "UNAVAILABLE"}, during
    # No hang: a failed call ends well inside the client's deadline.
    assert during["failed_max_seconds"] < DEADLINE, during


def test_postgres_restart_then_backends_killed(net, tmp_path, postgres):
    with _system(net, tmp_path, postgres) as system:
        restart_history = History()
        restarted = scenario.run(
            "postgres-restart", "PostgreSQL stopped (fast) for 5 s, then started again", system,
            inject=postgres.stop_fast, heal=postgres.start_again, fault_seconds=5,
            load=Load(system.orders.address, restart_history, workers=3, rate=3.0, deadline=DEADLINE),
            history_=restart_history)
        killed_history = History()
        killed = {}
        terminated = scenario.run(
            "postgres-backends-killed", "pg_terminate_backend on every service connection", system,
            inject=lambda: killed.update(count=postgres.terminate_backends()), heal=lambda: None, fault_seconds=3,
            load=Load(system.orders.address, killed_history, workers=3, rate=3.0, deadline=DEADLINE),
            history_=killed_history)
    for result in (restarted, terminated):
        scenario.assert_clean(result)
        _assert_fail_fast(result)
    assert killed["count"] > 0
    assert "UNAVAILABLE" in restarted["during"]["codes"], restarted["during"]
