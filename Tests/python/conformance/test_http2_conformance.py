"""HTTP/2 conformance toward any peer, not only gRPC clients: every request gets a complete
response, SETTINGS limits are enforced as RFC 9113 says, and the server sends nothing unasked."""
import pytest
from hyperframe import frame as hf

from support import h2probe, probes
from support.h2probe import H2Probe

UNIMPLEMENTED = 12


def one_request(server, headers, body=None) -> h2probe.Response:
    with H2Probe(server.port) as probe:
        probe.handshake()
        probe.send_headers(1, headers(probe), end_stream=body is None)
        if body is not None:
            probe.send_data(1, body, end_stream=True)
        return probe.read_response(1)


def ended_by_headers_or_data(response) -> bool:
    """The response ends with END_STREAM (not a bare RST_STREAM)."""
    return response.ended and response.reset is None


def has_text_body(response) -> bool:
    """A non-gRPC answer carries a short text body in DATA (as grpc-go answers), so a peer
    waiting for DATA on the stream gets some: never a HEADERS frame with END_STREAM alone."""
    headers_only = any(isinstance(f, hf.HeadersFrame) and "END_STREAM" in f.flags for f in response.frames)
    return (response.header("content-type") or "").startswith("text/plain") and len(response.data) > 0 \
        and not headers_only and response.header("content-length") == str(len(response.data))


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", "application/grpc-web", "application/grpc+json", None])
def test_non_grpc_content_type_gets_415_with_a_text_body(server, content_type):
    def headers(probe):
        request = probe.grpc_request(server.unary_path)
        request = [(k, v) for k, v in request if k != "content-type"]
        return request + ([("content-type", content_type)] if content_type else [])

    response = one_request(server, headers, body=b"{}")
    assert response.status == "415", f"content-type {content_type!r}: :status {response.status}"
    assert ended_by_headers_or_data(response), f"response not ended with END_STREAM (reset {response.reset})"
    assert has_text_body(response), f"content-type {content_type!r}: no text body: {response.frames}"
    assert "unsupported content type" in response.data.decode()
    if content_type:
        assert content_type in response.data.decode()


def test_get_on_an_rpc_path_gets_405_with_a_text_body(server):
    response = one_request(server, lambda probe: [(":method", "GET"), (":scheme", "http"),
                                                  (":path", server.unary_path), (":authority", probe.host)])
    assert response.status == "405", f":status {response.status}"
    assert ended_by_headers_or_data(response)
    assert has_text_body(response), f"no text body: {response.frames}"
    assert response.header("allow") == "POST"
    assert "method GET is not allowed" in response.data.decode()


@pytest.mark.parametrize("path", ["/grpc.testing.TestService/NoSuchMethod", "/no.such.Service/Call", "/"])
def test_unknown_path_is_unimplemented(server, path):
    response = one_request(server, lambda probe: probe.grpc_request(path), body=h2probe.grpc_frame(b""))
    assert response.status == "200", f":status {response.status}"
    assert response.grpc_status == UNIMPLEMENTED, f"grpc-status {response.grpc_status} ({response.grpc_message})"
    assert ended_by_headers_or_data(response)


def test_streams_beyond_max_concurrent_streams_are_refused(server):
    limit, outcome, probe = probes.exceed_concurrent_streams(server)
    try:
        refused = outcome.resets(1 + 2 * limit)
        assert refused and refused[0].error_code == h2probe.REFUSED_STREAM, \
            f"stream {limit + 1} of a {limit}-stream limit: {outcome.describe()}"
        assert outcome.goaway is None and not outcome.closed, f"the connection was ended: {outcome.describe()}"
        assert not outcome.resets(1), "a stream within the limit was reset"
        # The connection stays usable: end stream 1 properly and get its answer.
        probe.send_data(1, h2probe.grpc_frame(b"after the refusal"), end_stream=True)
        response = probe.read_response(1)
        assert response.grpc_status == 0 and response.data == h2probe.grpc_frame(b"after the refusal")
    finally:
        probe.close()
    server.assert_still_healthy(server.baseline_rss_kib)


def test_no_unsolicited_frames(server):
    """An ordinary call, then 3 s of idle: nothing arrives that the client did not ask for (no
    PING, no PUSH_PROMISE, no GOAWAY, nothing on a stream the client did not open)."""
    with H2Probe(server.port) as probe:
        probe.handshake()
        probe.send_headers(1, probe.grpc_request(server.unary_path))
        probe.send_data(1, h2probe.grpc_frame(b""), end_stream=True)  # an empty message suits any method
        response = probe.read_response(1)
        idle = probe.drain(quiet=3.0, limit=5.0)
        frames = probe.received
    assert response.grpc_status == 0
    # A late WINDOW_UPDATE answers our DATA; anything else while idle was not asked for.
    idle = [f for f in idle if not isinstance(f, hf.WindowUpdateFrame)]
    assert not idle, f"unsolicited frames while idle: {[type(f).__name__ for f in idle]}"
    for frame in frames:
        assert not isinstance(frame, (hf.PingFrame, hf.PushPromiseFrame, hf.GoAwayFrame)), f"unsolicited {frame!r}"
        assert frame.stream_id in (0, 1), f"frame on a stream the client never opened: {frame!r}"
    assert probe.server_settings.get(h2probe.SETTINGS_ENABLE_PUSH, 0) == 0
