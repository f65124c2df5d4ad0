"""RFC 9113 §5.1–§5.3: stream states, stream identifiers, concurrency, self-dependency."""
import pytest
from hyperframe import frame as hf

from conformance import rfc9113 as r
from support import h2probe


# -- §5.1 idle -------------------------------------------------------------------------------

@pytest.mark.parametrize("frame", ["DATA", "RST_STREAM", "WINDOW_UPDATE", "CONTINUATION"])
def test_frame_on_an_idle_stream_is_protocol_error(target, frame):
    """§5.1 idle: anything but HEADERS or PRIORITY is a connection error PROTOCOL_ERROR."""
    frames = {
        "DATA": r.raw_frame(r.DATA, 0, 1, b"x"),
        "RST_STREAM": r.raw_frame(r.RST_STREAM, 0, 1, b"\0\0\0\x08"),
        "WINDOW_UPDATE": r.window_update(1, 1),
        "CONTINUATION": r.raw_frame(r.CONTINUATION, r.END_HEADERS, 1, b"\x82"),
    }
    with r.connect(target) as probe:
        r.send(probe, frames[frame])
        r.expect_connection_error(probe, h2probe.PROTOCOL_ERROR)


def test_priority_on_an_idle_stream_is_allowed(target):
    """§5.1 idle: PRIORITY may be sent on an idle stream; the stream can still be opened."""
    with r.connect(target) as probe:
        r.send(probe, r.raw_frame(r.PRIORITY, 0, 3, r.priority_payload(0)), r.whole_request(target, probe))
        r.expect_answer(target, probe)


# -- §5.1 half-closed (remote) ---------------------------------------------------------------

def _ended_request(target, probe) -> bytes:
    """A complete request that the server is still answering (its stream is half-closed (remote))."""
    return r.whole_request(target, probe)


def test_data_on_half_closed_remote_is_stream_closed(target):
    """§5.1 half-closed (remote): frames other than WINDOW_UPDATE, PRIORITY and RST_STREAM are a
    stream error STREAM_CLOSED."""
    with r.connect(target) as probe:
        r.send(probe, _ended_request(target, probe), r.raw_frame(r.DATA, 0, 1, r.body(target)))
        r.expect_stream_error(probe, 1, h2probe.STREAM_CLOSED)


def test_headers_on_half_closed_remote_is_stream_closed(target):
    with r.connect(target) as probe:
        request = _ended_request(target, probe)
        r.send(probe, request, r.headers_frame(probe, 1, [("x-late", "1")], end_stream=True))
        r.expect_stream_error(probe, 1, h2probe.STREAM_CLOSED)


@pytest.mark.parametrize("frame", ["WINDOW_UPDATE", "PRIORITY"])
def test_window_update_and_priority_on_half_closed_remote_are_allowed(target, frame):
    with r.connect(target) as probe:
        extra = r.window_update(1, 1024) if frame == "WINDOW_UPDATE" else r.raw_frame(r.PRIORITY, 0, 1, r.priority_payload(0))
        r.send(probe, _ended_request(target, probe), extra)
        r.expect_answer(target, probe)


def test_rst_stream_on_half_closed_remote_closes_the_stream(target):
    """§5.1: RST_STREAM moves any state to closed; the connection goes on."""
    with r.connect(target) as probe:
        r.send(probe, r.open_request(target, probe), r.raw_frame(r.RST_STREAM, 0, 1, b"\0\0\0\x08"))
        r.expect_alive(probe)
        r.send(probe, r.whole_request(target, probe, stream_id=3))
        r.expect_answer(target, probe, 3)


# -- §5.1 closed -----------------------------------------------------------------------------

def _closed_by_reset(target, probe) -> bytes:
    return r.open_request(target, probe) + r.raw_frame(r.RST_STREAM, 0, 1, b"\0\0\0\x08")


def test_data_after_rst_stream_is_stream_closed(target):
    """§5.1 closed: DATA on a stream the client reset is STREAM_CLOSED."""
    with r.connect(target) as probe:
        r.send(probe, _closed_by_reset(target, probe), r.raw_frame(r.DATA, 0, 1, r.body(target)))
        r.expect_stream_error(probe, 1, h2probe.STREAM_CLOSED)


def test_headers_after_rst_stream_is_stream_closed(target):
    with r.connect(target) as probe:
        request = _closed_by_reset(target, probe)
        r.send(probe, request, r.headers_frame(probe, 1, [("x-late", "1")], end_stream=True))
        r.expect_stream_error(probe, 1, h2probe.STREAM_CLOSED)


def test_data_after_the_stream_ended_is_stream_closed(target):
    """§5.1 closed: after both sides ended the stream, DATA is STREAM_CLOSED."""
    with r.connect(target) as probe:
        r.send(probe, r.whole_request(target, probe))
        r.expect_answer(target, probe)
        r.send(probe, r.raw_frame(r.DATA, 0, 1, r.body(target)))
        r.expect_stream_error(probe, 1, h2probe.STREAM_CLOSED)


def test_headers_after_the_stream_ended_is_stream_closed(target):
    with r.connect(target) as probe:
        r.send(probe, r.whole_request(target, probe))
        r.expect_answer(target, probe)
        r.send(probe, r.headers_frame(probe, 1, [("x-late", "1")], end_stream=True))
        r.expect_stream_error(probe, 1, h2probe.STREAM_CLOSED)


@pytest.mark.parametrize("frame", ["WINDOW_UPDATE", "PRIORITY", "RST_STREAM"])
def test_late_window_update_priority_and_rst_on_a_closed_stream_are_ignored(target, frame):
    """§5.1 closed: WINDOW_UPDATE or RST_STREAM shortly after closing, and PRIORITY at any time,
    must not end the connection."""
    frames = {
        "WINDOW_UPDATE": r.window_update(1, 1),
        "PRIORITY": r.raw_frame(r.PRIORITY, 0, 1, r.priority_payload(0)),
        "RST_STREAM": r.raw_frame(r.RST_STREAM, 0, 1, b"\0\0\0\x08"),
    }
    with r.connect(target) as probe:
        r.send(probe, r.whole_request(target, probe))
        r.expect_answer(target, probe)
        r.send(probe, frames[frame])
        r.expect_alive(probe)


# -- §5.1.1 stream identifiers ---------------------------------------------------------------

def test_even_stream_identifier_is_protocol_error(target):
    """§5.1.1: a client stream has an odd identifier."""
    with r.connect(target) as probe:
        r.send(probe, r.whole_request(target, probe, stream_id=2))
        r.expect_connection_error(probe, h2probe.PROTOCOL_ERROR)


def test_decreasing_stream_identifier_is_protocol_error(target):
    """§5.1.1: a new stream's identifier is larger than every one the client opened before."""
    with r.connect(target) as probe:
        r.send(probe, r.whole_request(target, probe, stream_id=5), r.whole_request(target, probe, stream_id=3))
        r.expect_connection_error(probe, h2probe.PROTOCOL_ERROR)


def test_skipped_identifiers_are_closed(target):
    """§5.1.1: opening stream 5 closes idle stream 3; HEADERS on 3 is then a connection error."""
    with r.connect(target) as probe:
        r.send(probe, r.whole_request(target, probe, stream_id=5))
        r.expect_answer(target, probe, 5)
        r.send(probe, r.whole_request(target, probe, stream_id=3))
        r.expect_connection_error(probe, h2probe.PROTOCOL_ERROR)


@pytest.mark.parametrize("frame", ["DATA", "HEADERS", "PRIORITY", "RST_STREAM", "CONTINUATION"])
def test_stream_frames_on_stream_zero_are_protocol_error(target, frame):
    """§6.1–§6.4, §6.10: these frames name a stream; on stream 0 they are a PROTOCOL_ERROR."""
    with r.connect(target) as probe:
        frames = {
            "DATA": r.raw_frame(r.DATA, 0, 0, b"x"),
            "HEADERS": r.raw_frame(r.HEADERS, r.END_HEADERS | r.END_STREAM, 0, b"\x83\x86\x84"),
            "PRIORITY": r.raw_frame(r.PRIORITY, 0, 0, r.priority_payload(1)),
            "RST_STREAM": r.raw_frame(r.RST_STREAM, 0, 0, b"\0\0\0\x08"),
            "CONTINUATION": r.raw_frame(r.CONTINUATION, r.END_HEADERS, 0, b"\x82"),
        }
        r.send(probe, frames[frame])
        r.expect_connection_error(probe, h2probe.PROTOCOL_ERROR)


@pytest.mark.parametrize("frame", ["SETTINGS", "PING", "GOAWAY"])
def test_connection_frames_on_a_stream_are_protocol_error(target, frame):
    """§6.5, §6.7, §6.8: these frames belong to stream 0."""
    frames = {
        "SETTINGS": r.raw_frame(r.SETTINGS, 0, 1, b""),
        "PING": r.raw_frame(r.PING, 0, 1, b"\0" * 8),
        "GOAWAY": r.raw_frame(r.GOAWAY, 0, 1, b"\0" * 8),
    }
    with r.connect(target) as probe:
        r.send(probe, frames[frame])
        r.expect_connection_error(probe, h2probe.PROTOCOL_ERROR)


def test_push_promise_from_a_client_is_protocol_error(target):
    """§8.4: a client cannot push; the server treats PUSH_PROMISE as a connection error."""
    with r.connect(target) as probe:
        # The block is one static-table reference (:method GET), so HPACK state stays in step.
        r.send(probe, r.open_request(target, probe), r.raw_frame(r.PUSH_PROMISE, r.END_HEADERS, 1, b"\0\0\0\x02\x82"))
        r.expect_connection_error(probe, h2probe.PROTOCOL_ERROR)


# -- §5.1.2 concurrency ----------------------------------------------------------------------

def _limit(probe) -> int:
    limit = probe.server_settings.get(h2probe.SETTINGS_MAX_CONCURRENT_STREAMS)
    assert limit is not None and limit < 10_000, f"MAX_CONCURRENT_STREAMS={limit}"
    return limit


def _expect_refused(probe, stream_id) -> None:
    """§5.1.2: a stream beyond the limit is a stream error PROTOCOL_ERROR or REFUSED_STREAM; a
    connection error PROTOCOL_ERROR is allowed too (§5.4.1)."""
    def done(frame):
        if isinstance(frame, hf.RstStreamFrame) and frame.stream_id == stream_id:
            return frame.error_code in (h2probe.REFUSED_STREAM, h2probe.PROTOCOL_ERROR)
        if isinstance(frame, hf.RstStreamFrame):
            return False
        if isinstance(frame, hf.GoAwayFrame):
            return frame.error_code == h2probe.PROTOCOL_ERROR
        return None

    verdict, frames = r.read_until_verdict(probe, done)
    assert verdict, f"stream {stream_id} beyond the limit: {r.describe(frames, probe.closed)}"


def test_stream_beyond_max_concurrent_streams_is_refused(target):
    with r.connect(target) as probe:
        limit = _limit(probe)
        r.send(probe, *(r.open_request(target, probe, stream_id=1 + 2 * i) for i in range(limit + 1)))
        _expect_refused(probe, 1 + 2 * limit)


def test_stream_beyond_the_limit_with_a_zero_window_is_refused(target):
    """Streams whose responses are stuck behind a zero window still count (they are open)."""
    with r.connect(target, settings={h2probe.SETTINGS_INITIAL_WINDOW_SIZE: 0, h2probe.SETTINGS_ENABLE_PUSH: 0}) as probe:
        limit = _limit(probe)
        r.send(probe, *(r.whole_request(target, probe, stream_id=1 + 2 * i) for i in range(limit + 1)))
        _expect_refused(probe, 1 + 2 * limit)


def test_closed_streams_do_not_count_against_the_limit(target):
    with r.connect(target) as probe:
        limit = _limit(probe)
        for batch in range(2):
            ids = [1 + 2 * (batch * limit + i) for i in range(limit)]
            r.send(probe, *(r.whole_request(target, probe, stream_id=i) for i in ids))
            r.expect_answers(target, probe, ids)


# -- §5.3.1 dependencies ---------------------------------------------------------------------

def test_headers_depending_on_itself_is_protocol_error(target):
    """§5.3.1: a stream cannot depend on itself: a stream error PROTOCOL_ERROR."""
    with r.connect(target) as probe:
        block = probe.header_block(r.request_headers(target, probe))
        r.send(probe, r.raw_frame(r.HEADERS, r.PRIORITY_FLAG | r.END_HEADERS | r.END_STREAM, 1,
                                  r.priority_payload(1) + block))
        r.expect_stream_error(probe, 1, h2probe.PROTOCOL_ERROR)


def test_priority_depending_on_itself_is_protocol_error(target):
    with r.connect(target) as probe:
        r.send(probe, r.open_request(target, probe), r.raw_frame(r.PRIORITY, 0, 1, r.priority_payload(1)))
        r.expect_stream_error(probe, 1, h2probe.PROTOCOL_ERROR)
