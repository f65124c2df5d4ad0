"""The stock grpcio health client (PyPI grpcio-health-checking) against our HealthStatusService,
mounted on interop-server: Check per service, NOT_FOUND for unknown names, and Watch seeing the
current status, a change, and SERVICE_UNKNOWN for unknown names (the call stays open)."""
import pathlib
import signal
import subprocess
import sys
import time

import pytest

from support import interop_servers

PROBE = pathlib.Path(__file__).with_name("grpc_health_probe.py")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with interop_servers.swift_interop_server(tmp_path_factory.mktemp("health")) as server:
        yield server


def probe(port, *args, timeout=30):
    result = subprocess.run([sys.executable, PROBE, "--port", str(port), *args],
                            capture_output=True, text=True, timeout=timeout)
    return result.returncode, result.stdout.split()


@pytest.mark.parametrize("service", ["", "grpc.testing.TestService"])
def test_check_known_service_is_serving(server, service):
    assert probe(server.port, "check", service) == (0, ["SERVING"])


def test_check_unknown_service_is_not_found(server):
    assert probe(server.port, "check", "no.such.Service") == (1, ["NOT_FOUND"])


def test_watch_unknown_service_sends_service_unknown_and_stays_open(server):
    watcher = subprocess.Popen([sys.executable, PROBE, "--port", str(server.port), "watch", "no.such.Service", "2"],
                               stdout=subprocess.PIPE, text=True)
    try:
        assert watcher.stdout.readline().strip() == "SERVICE_UNKNOWN"
        time.sleep(1)
        assert watcher.poll() is None, "the Watch call ended after SERVICE_UNKNOWN; it must keep watching"
    finally:
        watcher.kill()
        watcher.wait()


def test_watch_sees_a_status_change(server):
    watcher = subprocess.Popen([sys.executable, PROBE, "--port", str(server.port), "watch",
                                "grpc.testing.TestService", "3"], stdout=subprocess.PIPE, text=True)
    try:
        assert watcher.stdout.readline().strip() == "SERVING"
        server.process.send_signal(signal.SIGUSR1)      # the server marks the TestService NOT_SERVING
        assert watcher.stdout.readline().strip() == "NOT_SERVING"
        server.process.send_signal(signal.SIGUSR2)      # and SERVING again
        assert watcher.stdout.readline().strip() == "SERVING"
        assert watcher.wait(timeout=20) == 0
    finally:
        if watcher.poll() is None:
            watcher.kill()
            watcher.wait()
    assert probe(server.port, "check", "grpc.testing.TestService") == (0, ["SERVING"])
