"""Validates our Python interop client itself: all 18 cases pass against the stock grpcio server
(but the two client_compressed cases, whose probe that server cannot answer: skipped), and the
cases that need a TestService fail against a server with nothing registered."""
import pytest

from interop import interop_client

# Against an empty server only these can pass: UNIMPLEMENTED is what they expect, and
# cancel_after_begin cancels locally (a weak signal on its own; see the server-side check).
# timeout_on_sleeping_server may too: its 1 ms deadline can expire before the UNIMPLEMENTED reply.
MAY_PASS_WITHOUT_SERVICE = {"unimplemented_method", "unimplemented_service", "cancel_after_begin",
                            "timeout_on_sleeping_server"}


@pytest.mark.parametrize("case", interop_client.CASES)
def test_case(grpcio_server, case):
    if case in interop_client.NEEDS_COMPRESSION_AWARE_SERVER:
        pytest.skip("grpcio's server cannot see whether a request was compressed (no CompressedRequest)")
    interop_client.run_case("127.0.0.1", grpcio_server.port, case)


@pytest.mark.parametrize("case", sorted(set(interop_client.CASES) - MAY_PASS_WITHOUT_SERVICE))
def test_negative_control_fails_without_service(grpcio_empty_server, case):
    with pytest.raises((AssertionError, interop_client.grpc.RpcError)):
        interop_client.run_case("127.0.0.1", grpcio_empty_server.port, case)


def test_server_side_cancel_checks_hold_on_the_stock_server(grpcio_server):
    """The server-side checks run against our interop-server hold on the stock grpcio server
    too, so a failure there points at our server, not at the checks."""
    from interop import test_grpcio_client_vs_our_server as checks

    checks.test_cancel_after_begin_cancels_the_handler(grpcio_server)
    checks.test_deadline_cancels_the_handler(grpcio_server)
    checks.test_compressed_flags_on_the_wire_follow_the_request(grpcio_server)
