"""Our Swift `interop-client` (HTTP2ClientTransport) against the stock grpcio TestService server."""
import subprocess

import pytest

from interop import interop_client
from support import processes

# timeout_on_sleeping_server may too: its 1 ms deadline can expire before the UNIMPLEMENTED reply.
MAY_PASS_WITHOUT_SERVICE = {"unimplemented_method", "unimplemented_service", "cancel_after_begin",
                            "timeout_on_sleeping_server"}


def run_swift_client(port: int, case: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(processes.bin_path("interop-client")), "--server_port", str(port), "--test_case", case],
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("case", interop_client.CASES)
def test_case(grpcio_server, case):
    if case in interop_client.NEEDS_COMPRESSION_AWARE_SERVER:
        pytest.skip("grpcio's server cannot see whether a request was compressed (no CompressedRequest)")
    result = run_swift_client(grpcio_server.port, case)
    assert result.returncode == 0, f"interop-client {case} exited {result.returncode}:\n{result.stdout}{result.stderr}"


@pytest.mark.parametrize("case", sorted(set(interop_client.CASES) - MAY_PASS_WITHOUT_SERVICE))
def test_negative_control_fails_without_service(grpcio_empty_server, case):
    result = run_swift_client(grpcio_empty_server.port, case)
    assert result.returncode != 0, f"interop-client {case} passed against a server with no TestService:\n{result.stdout}"
