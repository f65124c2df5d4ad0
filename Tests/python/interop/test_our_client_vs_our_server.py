"""Our Swift `interop-client` against our Swift `interop-server`: the whole stack on both ends."""
import pytest

from interop import interop_client
from interop.test_our_client_vs_grpcio_server import run_swift_client


@pytest.mark.parametrize("case", interop_client.CASES)
def test_case(our_server, case):
    result = run_swift_client(our_server.port, case)
    assert result.returncode == 0, f"interop-client {case} exited {result.returncode}:\n{result.stdout}{result.stderr}"
