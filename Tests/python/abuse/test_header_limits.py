"""Header lists over 8 KiB (counted as name + value + 32 per field) are refused per stream:
RST_STREAM or a RESOURCE_EXHAUSTED status, never served; the connection and server live on."""
import pytest

from support import probes, targets

REFUSED_STATUS = 8  # RESOURCE_EXHAUSTED


def assert_refused(outcome, what):
    response = outcome.response
    assert response is not None and response.complete, f"{what}: no complete answer ({outcome.describe()})"
    refused = response.reset is not None or response.grpc_status == REFUSED_STATUS or response.status == "431"
    assert refused, f"{what}: served with :status {response.status} grpc-status {response.grpc_status}"


def test_header_list_just_under_the_limit_is_served(server):
    """Control: about 7.5 KiB of headers in total is an ordinary request."""
    outcome = probes.request_with_headers(server, [("x-big", "a" * 7000)], body=b"hi")
    assert outcome.response is not None and outcome.response.grpc_status == 0, outcome.describe()


@pytest.mark.parametrize("headers", [
    pytest.param([("x-big", "a" * 9000)], id="one-9KiB-header"),
    pytest.param([(f"x-h{i}", "b" * 100) for i in range(200)], id="200-headers-of-100B"),
    pytest.param([("x-huge", "c" * 65536)], id="one-64KiB-header"),
])
def test_header_list_over_8kib_is_refused(server, headers):
    assert sum(len(k) + len(v) + 32 for k, v in headers) > targets.MAX_HEADER_LIST
    outcome = probes.request_with_headers(server, headers, body=b"hi")
    assert_refused(outcome, "oversized header list")
    server.assert_still_healthy(server.baseline_rss_kib)


def test_hpack_amplified_headers_are_refused(server):
    """A ~70-byte header block that HPACK expands to 64 × 3.8 KiB."""
    first, second = probes.hpack_amplified(server, references=64)
    assert first.response is not None and first.response.grpc_status == 0, \
        f"the request that fills the dynamic table should be served: {first.describe()}"
    assert_refused(second, "HPACK-amplified header list")
    server.assert_still_healthy(server.baseline_rss_kib)
