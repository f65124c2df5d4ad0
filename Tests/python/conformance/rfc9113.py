"""Shared pieces of the RFC 9113 conformance suite (test_rfc9113_*.py).

Every case runs against two targets: our `rpc-test-server` and Debian's `nghttpd` (the same
nghttp2, without gRPC), as calibration. A case sends its whole scenario in ONE TCP write, right
after the handshake, then waits (bounded) for the outcome the RFC requires:

- `expect_connection_error(probe, code)`: GOAWAY with that code (RFC 9113 §5.4.1);
- `expect_stream_error(probe, stream, code)`: RST_STREAM on that stream with that code, or a
  GOAWAY with that code (§5.4.1 lets an endpoint treat a stream error as a connection error);
- `expect_answer(target, probe, stream)`: the ordinary answer to the request;
- `expect_alive(probe)`: a PING round trip, and no GOAWAY.

A request is one each target serves: a gRPC POST to the echo method for ours, a POST or GET of a
static file for nghttpd. `open_request` leaves the stream open (the server waits for the body);
`finish_request` sends the body with END_STREAM.

Known deviations are listed in DEVIATIONS, per target, with the reason; those cases are
marked xfail (strict) on that target only, so a deviation that disappears is noticed too.
"""
import struct
import time

import pytest
from hyperframe import frame as hf

from support import h2probe
from support.h2probe import H2Probe, ConnectionClosed

# RFC 9113 §6 frame types.
DATA, HEADERS, PRIORITY, RST_STREAM, SETTINGS, PUSH_PROMISE = 0x0, 0x1, 0x2, 0x3, 0x4, 0x5
PING, GOAWAY, WINDOW_UPDATE, CONTINUATION = 0x6, 0x7, 0x8, 0x9
END_STREAM, ACK, END_HEADERS, PADDED, PRIORITY_FLAG = 0x1, 0x1, 0x4, 0x8, 0x20

MAX_WINDOW = 2**31 - 1
DEFAULT_MAX_FRAME_SIZE = 16384
OUTCOME_TIMEOUT = 5.0

# nghttp2 1.52 ignores HEADERS that would open a stream numerically below the last one it saw
# instead of the PROTOCOL_ERROR §5.1.1 asks for (nghttp2_session_on_request_headers_received:
# "we are very conservative here"); both targets run on it.
_NGHTTP2_OLD_STREAM_IDS = "nghttp2 ignores HEADERS on a lower, never-opened stream id (no PROTOCOL_ERROR)"

# RFC 9113 §6.9.2 makes a SETTINGS_INITIAL_WINDOW_SIZE change that overflows a stream window a
# connection error; nghttp2 1.52 resets only the streams it overflows (RST_STREAM FLOW_CONTROL_ERROR).
_NGHTTP2_SETTINGS_OVERFLOW = "nghttp2 answers a window overflowed by SETTINGS with RST_STREAM, not GOAWAY"

# Target name → test name (without parameters) → why that target does not do what the RFC asks.
# Such cases are xfail (strict) on that target only, so a deviation that disappears is noticed.
DEVIATIONS: dict[str, dict[str, str]] = {
    "nghttpd": {
        "test_initial_window_size_change_overflowing_a_stream_is_flow_control_error": _NGHTTP2_SETTINGS_OVERFLOW,
        "test_decreasing_stream_identifier_is_protocol_error": _NGHTTP2_OLD_STREAM_IDS,
        "test_skipped_identifiers_are_closed": _NGHTTP2_OLD_STREAM_IDS,
    },
    "rpc-test-server": {
        "test_initial_window_size_change_overflowing_a_stream_is_flow_control_error": _NGHTTP2_SETTINGS_OVERFLOW,
        "test_decreasing_stream_identifier_is_protocol_error": _NGHTTP2_OLD_STREAM_IDS,
        "test_skipped_identifiers_are_closed": _NGHTTP2_OLD_STREAM_IDS,
    },
}


def mark_deviation(request, target) -> None:
    """Marks the running case xfail (strict) when it is a known deviation of this target."""
    reason = DEVIATIONS.get(target.name, {}).get(request.node.originalname)
    if reason:
        request.applymarker(pytest.mark.xfail(reason=f"{target.name}: {reason}", strict=True))


def raw_frame(frame_type: int, flags: int = 0, stream_id: int = 0, payload: bytes = b"") -> bytes:
    """One frame exactly as given: any length, type, flags or stream (hyperframe refuses bad ones)."""
    length = len(payload)
    return struct.pack(">BHBBI", length >> 16, length & 0xFFFF, frame_type, flags, stream_id) + payload


def settings_payload(settings: dict) -> bytes:
    return b"".join(struct.pack(">HI", key, value) for key, value in settings.items())


def window_update(stream_id: int, increment: int) -> bytes:
    return raw_frame(WINDOW_UPDATE, 0, stream_id, struct.pack(">I", increment))


def priority_payload(depends_on: int, weight: int = 15, exclusive: bool = False) -> bytes:
    return struct.pack(">IB", depends_on | (0x8000_0000 if exclusive else 0), weight)


def unknown_frame(size: int, frame_type: int = 0xFA) -> bytes:
    """A frame of an unknown type, which a receiver must ignore (§4.1, §5.5): filler that makes the
    rest of a write arrive in a later read."""
    return raw_frame(frame_type, 0, 0, b"\0" * size)


def connect(target, settings=None) -> H2Probe:
    probe = H2Probe(target.port)
    probe.handshake(settings)
    return probe


def request_headers(target, probe, path=None, method=None, extra=()) -> list:
    """Headers of a request the target serves: gRPC for ours, a static file for nghttpd."""
    if target.grpc:
        return probe.grpc_request(path or target.unary_path, method=method or "POST", extra=extra)
    return [(":method", method or "POST"), (":scheme", "http"), (":path", path or target.unary_path),
            (":authority", probe.host), *extra]


def body(target) -> bytes:
    return h2probe.grpc_frame(b"conformance") if target.grpc else b"conformance"


def headers_frame(probe, stream_id, headers, end_stream=False, end_headers=True, flags=0, prefix=b"") -> bytes:
    flags |= (END_STREAM if end_stream else 0) | (END_HEADERS if end_headers else 0)
    return raw_frame(HEADERS, flags, stream_id, prefix + probe.header_block(headers))


def open_request(target, probe, stream_id=1, **kwargs) -> bytes:
    """HEADERS of a request whose body is still to come (the stream stays open)."""
    return headers_frame(probe, stream_id, request_headers(target, probe, **kwargs))


def finish_request(target, stream_id=1) -> bytes:
    """The request's body, with END_STREAM."""
    return raw_frame(DATA, END_STREAM, stream_id, body(target))


def whole_request(target, probe, stream_id=1, **kwargs) -> bytes:
    return open_request(target, probe, stream_id, **kwargs) + finish_request(target, stream_id)


def send(probe, *chunks: bytes) -> None:
    """Everything in one TCP write; a peer that already closed is fine (the outcome says why)."""
    try:
        probe.send_bytes(b"".join(chunks))
    except ConnectionClosed:
        pass


def describe(frames, closed) -> str:
    kinds = [f"{type(f).__name__}({f.stream_id}"
             + (f",{h2probe.error_name(f.error_code)}" if hasattr(f, "error_code") else "") + ")"
             for f in frames[-12:]]
    return f"closed={closed} frames={kinds}"


def read_until_verdict(probe, done, timeout=OUTCOME_TIMEOUT):
    """Reads frames until `done(frame)` returns a verdict (True/False); None when the peer
    closed first or time ran out. Returns (verdict, frames read)."""
    start = len(probe.received)
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None, probe.received[start:]
        try:
            frame = probe.read_frame(remaining)
        except (TimeoutError, ConnectionClosed):
            return None, probe.received[start:]
        verdict = done(frame)
        if verdict is not None:
            return verdict, probe.received[start:]


def expect_connection_error(probe, code: int) -> None:
    """A GOAWAY with `code` (§5.4.1), and then the connection closes."""
    verdict, frames = read_until_verdict(probe, lambda f: f.error_code == code if isinstance(f, hf.GoAwayFrame) else None)
    assert verdict, f"expected GOAWAY({h2probe.error_name(code)}): {describe(frames, probe.closed)}"
    try:
        probe.wait_closed(OUTCOME_TIMEOUT)
    except ConnectionClosed:
        pass


def expect_stream_error(probe, stream_id: int, code: int) -> None:
    """RST_STREAM(`code`) on the stream, or GOAWAY(`code`): §5.4.1 allows either."""
    def done(frame):
        if isinstance(frame, hf.RstStreamFrame) and frame.stream_id == stream_id:
            return frame.error_code == code
        if isinstance(frame, hf.GoAwayFrame):
            return frame.error_code == code
        return None

    verdict, frames = read_until_verdict(probe, done)
    assert verdict, (f"expected RST_STREAM({h2probe.error_name(code)}) on stream {stream_id}: "
                     f"{describe(frames, probe.closed)}")


def expect_answer(target, probe, stream_id=1) -> h2probe.Response:
    """The ordinary answer: 200 (and grpc-status 0 with the echo, for a gRPC target)."""
    response = probe.read_response(stream_id, timeout=OUTCOME_TIMEOUT)
    assert response.reset is None, f"stream {stream_id} reset with {h2probe.error_name(response.reset)}"
    assert response.status == "200", f"stream {stream_id} answered :status {response.status}"
    if target.grpc:
        assert response.grpc_status == 0, f"grpc-status {response.grpc_status} ({response.grpc_message})"
    return response


def expect_alive(probe) -> None:
    """The connection still works: a PING round trip, and no GOAWAY on the way."""
    payload = b"alive?!!"
    send(probe, raw_frame(PING, 0, 0, payload))
    verdict, frames = read_until_verdict(probe, lambda f: (
        False if isinstance(f, hf.GoAwayFrame)
        else True if isinstance(f, hf.PingFrame) and "ACK" in f.flags and f.opaque_data == payload else None))
    assert verdict, f"the connection did not stay usable: {describe(frames, probe.closed)}"


def expect_answers(target, probe, stream_ids) -> None:
    """The ordinary answer on every one of `stream_ids`, in whatever order they come."""
    responses = {stream_id: h2probe.Response() for stream_id in stream_ids}
    deadline = time.monotonic() + OUTCOME_TIMEOUT
    while not all(response.complete for response in responses.values()):
        frame = probe.read_frame(deadline - time.monotonic())
        response = responses.get(frame.stream_id)
        if response is None:
            continue
        if isinstance(frame, hf.HeadersFrame) and hasattr(frame, "decoded_headers"):
            response.headers.append(frame.decoded_headers)
        elif isinstance(frame, hf.DataFrame):
            response.data += frame.data
            if frame.flow_controlled_length:
                probe.send_frames([hf.WindowUpdateFrame(0, window_increment=frame.flow_controlled_length),
                                   hf.WindowUpdateFrame(frame.stream_id, window_increment=frame.flow_controlled_length)])
        elif isinstance(frame, hf.RstStreamFrame):
            response.reset = frame.error_code
        if "END_STREAM" in frame.flags:
            response.ended = True
    for stream_id, response in responses.items():
        assert response.reset is None and response.status == "200", \
            f"stream {stream_id}: :status {response.status}, reset {response.reset}"
        if target.grpc:
            assert response.grpc_status == 0, f"stream {stream_id}: grpc-status {response.grpc_status}"
