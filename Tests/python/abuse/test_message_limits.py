"""gRPC message framing abuse: length prefixes beyond the 1 MiB receive limit are refused from
the prefix alone (the body is never sent, so an answer proves nothing was buffered), and a
compressed flag without grpc-encoding is UNIMPLEMENTED."""
import pytest

from support import h2probe
from support.h2probe import H2Probe

RESOURCE_EXHAUSTED, UNIMPLEMENTED = 8, 12


def send_message_start(server, prefix_and_body: bytes, end_stream: bool = False, extra=()):
    probe = H2Probe(server.port)
    probe.handshake()
    probe.send_headers(1, probe.grpc_request(server.unary_path, extra=extra))
    probe.send_data(1, prefix_and_body, end_stream=end_stream)
    return probe


@pytest.mark.parametrize("declared", [
    pytest.param((1 << 20) + 1, id="1MiB+1"),
    pytest.param(2 << 20, id="2MiB"),
    pytest.param((1 << 32) - 1, id="4GiB-1"),
])
def test_oversized_length_prefix_is_refused_before_buffering(server, declared):
    with send_message_start(server, h2probe.grpc_frame(b"x" * 100, declared_length=declared)) as probe:
        response = probe.read_response(1, timeout=10)
    assert response.grpc_status == RESOURCE_EXHAUSTED, \
        f"declared {declared} B: :status {response.status} grpc-status {response.grpc_status} reset {response.reset}"
    server.assert_still_healthy(server.baseline_rss_kib)


def test_compressed_flag_without_encoding_is_unimplemented(server):
    with send_message_start(server, h2probe.grpc_frame(b"abc", compressed=True), end_stream=True) as probe:
        response = probe.read_response(1, timeout=10)
    assert response.grpc_status == UNIMPLEMENTED, \
        f":status {response.status} grpc-status {response.grpc_status} ({response.grpc_message}) reset {response.reset}"
    server.assert_still_healthy(server.baseline_rss_kib)


def test_compressed_flag_with_unsupported_encoding_is_unimplemented(server):
    frame = h2probe.grpc_frame(b"abc", compressed=True)
    with send_message_start(server, frame, end_stream=True, extra=[("grpc-encoding", "snappy-9000")]) as probe:
        response = probe.read_response(1, timeout=10)
    assert response.grpc_status == UNIMPLEMENTED, \
        f":status {response.status} grpc-status {response.grpc_status} ({response.grpc_message}) reset {response.reset}"
