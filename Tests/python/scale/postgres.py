"""The PostgreSQL server the scale tests share with the Swift store tests
(ORDERHUB_TEST_POSTGRES_URL, started by `make test`), and fresh schemas on it."""
import os
import subprocess
import uuid

import pytest

ENV = "ORDERHUB_TEST_POSTGRES_URL"


def base_url() -> str:
    """The server's URL; in CI a missing one fails the test, locally it skips it (with the reason)."""
    url = os.environ.get(ENV, "")
    if url:
        return url
    message = f"{ENV} is unset: the PostgreSQL scale tests need a server (make test starts one with scripts/test-postgres.sh)"
    if os.environ.get("CI", "").lower() in ("true", "1"):
        pytest.fail(message)
    pytest.skip(message)


def with_schema(url: str, schema: str) -> str:
    return url + ("&" if "?" in url else "?") + f"schema={schema}"


def fresh_schema(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def query(url: str, sql: str):
    """Rows of one statement, as tuples of strings (psql's unaligned output)."""
    done = subprocess.run(["psql", url.split("?")[0], "-X", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql],
                          check=True, capture_output=True, text=True)
    return [tuple(line.split("\t")) for line in done.stdout.splitlines() if line]


def drop_schemas(url: str, *schemas: str):
    for schema in schemas:
        query(url, f"DROP SCHEMA IF EXISTS {schema} CASCADE")
