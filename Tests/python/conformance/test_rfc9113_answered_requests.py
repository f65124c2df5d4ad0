"""RFC 9113 §6.9 and §8.1 errors in frames that arrive right after a request the server answers
at once (ours: a non-gRPC content type is 415, GET is 405, an unknown method UNIMPLEMENTED, a
header list over the limit RESOURCE_EXHAUSTED; nghttpd answers each only at END_STREAM).

The request and the offending frame go out in ONE TCP write, so the server has both before it
writes anything: the protocol error must win over the ready answer (the stream error is sent, the
answer is not, or is followed by the stream error). The `split-reads` variants put 4 KiB of an
unknown frame type (ignored, §5.5) between them, so the server reads them in separate reads of
the same batch."""
import pytest
from hyperframe import frame as hf

from conformance import rfc9113 as r
from support import h2probe

KINDS = {
    "ordinary": {},
    "non-grpc-content-type": {"extra": [("content-type", "text/plain")]},
    "get": {"method": "GET"},
    "unknown-method": {"path": "/no.such.Service/Call"},
    "header-list-too-large": {"extra": [("x-large", "a" * 9000)]},
}


def _request(target, probe, kind, extra=()):
    options = dict(KINDS[kind])
    fields = r.request_headers(target, probe, path=options.get("path"), method=options.get("method"))
    replaced = {name for name, _ in options.get("extra", [])}
    fields = [f for f in fields if f[0] not in replaced] + list(options.get("extra", [])) + list(extra)
    return r.headers_frame(probe, 1, fields)


def _zero_window_update(target, probe):
    return (), r.window_update(1, 0), h2probe.PROTOCOL_ERROR


def _window_overflow(target, probe):
    return (), r.window_update(1, r.MAX_WINDOW), h2probe.FLOW_CONTROL_ERROR


def _headers_without_end_stream(target, probe):
    return (), lambda: r.headers_frame(probe, 1, [("x-trailer", "1")]), h2probe.PROTOCOL_ERROR


def _pseudo_header_in_trailers(target, probe):
    return (), lambda: (r.raw_frame(r.DATA, 0, 1, r.body(target))
                        + r.headers_frame(probe, 1, [(":path", "/x")], end_stream=True)), h2probe.PROTOCOL_ERROR


def _content_length_contradicted(target, probe):
    return [("content-length", "1000")], r.finish_request(target), h2probe.PROTOCOL_ERROR


FOLLOW_UPS = {
    "zero-window-update": _zero_window_update,
    "window-update-overflow": _window_overflow,
    "headers-without-end-stream": _headers_without_end_stream,
    "pseudo-header-in-trailers": _pseudo_header_in_trailers,
    "content-length-contradicted": _content_length_contradicted,
}


@pytest.mark.parametrize("reads", ["one-read", "split-reads"])
@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("follow_up", list(FOLLOW_UPS))
def test_protocol_error_after_an_answered_request_wins(target, follow_up, kind, reads):
    with r.connect(target) as probe:
        extra, frame, code = FOLLOW_UPS[follow_up](target, probe)
        request = _request(target, probe, kind, extra)
        # Field blocks are encoded in the order they are sent (HPACK state).
        frame = frame() if callable(frame) else frame
        filler = r.unknown_frame(4096) if reads == "split-reads" else b""
        r.send(probe, request, filler, frame)
        r.expect_stream_error(probe, 1, code)


@pytest.mark.parametrize("kind", ["ordinary", "non-grpc-content-type", "get"])
def test_answer_data_obeys_a_one_octet_window(target, kind):
    """§6.9.2: with SETTINGS_INITIAL_WINDOW_SIZE 1 the answer's first DATA frame carries one
    octet, then the rest follows a WINDOW_UPDATE. This holds for the answers that are not gRPC too
    (ours: 415 and 405 with a short text body), never a HEADERS frame with END_STREAM alone."""
    settings = {h2probe.SETTINGS_INITIAL_WINDOW_SIZE: 1, h2probe.SETTINGS_ENABLE_PUSH: 0}
    with r.connect(target, settings=settings) as probe:
        r.send(probe, _request(target, probe, kind), r.finish_request(target))
        frame = probe.read_until(lambda f: f.stream_id == 1)
        assert isinstance(frame, hf.HeadersFrame) and "END_STREAM" not in frame.flags, f"first frame {frame!r}"
        frame = probe.read_until(lambda f: f.stream_id == 1)
        assert isinstance(frame, hf.DataFrame) and len(frame.data) == 1, f"then {frame!r}"
        r.send(probe, r.window_update(1, 1 << 20))
        rest = probe.read_response(1)
        assert rest.ended and rest.reset is None
