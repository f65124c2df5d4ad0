"""Fixtures for the interop suite, and a closing `N passed, N failed` line per client × server pairing."""
import collections

import pytest

from support import interop_servers

# Test module → the pairing it exercises, for the summary lines.
PAIRINGS = {
    "test_grpcio_client_vs_grpcio_server.py": "grpcio client x grpcio server",
    "test_grpcio_client_vs_our_server.py": "grpcio client x our server",
    "test_our_client_vs_grpcio_server.py": "our client x grpcio server",
    "test_our_client_vs_our_server.py": "our client x our server",
}
_outcomes: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)


@pytest.fixture(scope="module")
def grpcio_server(tmp_path_factory):
    with interop_servers.grpcio_interop_server(tmp_path_factory.mktemp("grpcio")) as server:
        yield server


@pytest.fixture(scope="module")
def grpcio_empty_server(tmp_path_factory):
    with interop_servers.grpcio_interop_server(tmp_path_factory.mktemp("grpcio-empty"), empty=True) as server:
        yield server


@pytest.fixture(scope="module")
def our_server(tmp_path_factory):
    with interop_servers.swift_interop_server(tmp_path_factory.mktemp("swift")) as server:
        yield server


def pytest_runtest_logreport(report):
    """Counts the 18-case runs (tests named test_case[...]) per pairing."""
    module = report.nodeid.split("::")[0].rsplit("/", 1)[-1]
    if module not in PAIRINGS or "::test_case[" not in report.nodeid:
        return
    if report.when == "call" or (report.when == "setup" and not report.passed):
        if hasattr(report, "wasxfail"):
            # A known transport bug (see support/transport_bugs.py): still a failure of the case.
            outcome = "passed" if report.passed else "xfailed"
        else:
            outcome = "passed" if report.passed else "skipped" if report.skipped else "failed"
        _outcomes[PAIRINGS[module]][outcome] += 1


def pytest_terminal_summary(terminalreporter):
    for pairing, counts in _outcomes.items():
        line = f"interop {pairing}: {counts['passed']} passed, {counts['failed'] + counts['xfailed']} failed"
        if counts["xfailed"]:
            line += f" ({counts['xfailed']} a known transport bug, marked xfail)"
        if counts["skipped"]:
            line += f", {counts['skipped']} skipped"
        terminalreporter.write_line(line)
