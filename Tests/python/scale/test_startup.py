"""Start-up when PostgreSQL is down: a service retries the connection with backoff for
`--db-connect-timeout` (or ORDERHUB_DB_CONNECT_TIMEOUT), logging each failed attempt, then exits
non-zero with a message naming the server, and never shows the password."""
import os
import subprocess

import pytest

from support import processes

PASSWORD = "not-a-real-password-7f3a"


@pytest.mark.parametrize("service, timeout_from", [("orders", "flag"), ("payments", "env")])
def test_a_service_gives_up_on_an_unreachable_database(tmp_path, service, timeout_from):
    port = processes.free_port()  # bound and released: nothing listens there
    args = [str(processes.bin_path("orderhub")), service, "--listen", f"127.0.0.1:{processes.free_port()}",
            "--db", f"postgres://orderhub:{PASSWORD}@127.0.0.1:{port}/orderhub"]
    env = dict(os.environ, ORDERHUB_SERVICE_SECRET="startup-test-secret-0123456789abcdef", ORDERHUB_LOG_LEVEL="info",
               ORDERHUB_USER_JWT_SECRET="startup-test-user-token-secret-0123456789")
    env.pop("ORDERHUB_DB_PASSWORD_FILE", None)
    if timeout_from == "flag":
        args += ["--db-connect-timeout", "2"]
    else:
        env["ORDERHUB_DB_CONNECT_TIMEOUT"] = "2"
    # A liveness bound, not a timing assertion: the process must end by itself.
    done = subprocess.run(args, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert f"PostgreSQL at 127.0.0.1:{port} did not accept a connection" in output, output
    retries = [line for line in output.splitlines() if "PostgreSQL is unreachable; retrying" in line]
    assert len(retries) >= 2, output
    assert all(f"server=127.0.0.1:{port}" in line for line in retries), output
    assert PASSWORD not in output
