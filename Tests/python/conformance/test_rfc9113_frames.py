"""RFC 9113 §4 and §6: frame format, frame sizes and the fixed lengths of control frames."""
import pytest

from conformance import rfc9113 as r
from support import h2probe


def test_unknown_frame_type_is_ignored(target):
    """§4.1, §5.5: frames of unknown types are ignored and discarded."""
    with r.connect(target) as probe:
        r.send(probe, r.unknown_frame(64), r.whole_request(target, probe))
        r.expect_answer(target, probe)


def test_unknown_frame_type_on_a_stream_is_ignored(target):
    with r.connect(target) as probe:
        r.send(probe, r.open_request(target, probe), r.raw_frame(0xFB, 0xFF, 1, b"xyz"), r.finish_request(target))
        r.expect_answer(target, probe)


def test_unknown_flags_are_ignored(target):
    """§4.1: flags with no meaning for a frame type are ignored."""
    with r.connect(target) as probe:
        headers = r.headers_frame(probe, 1, r.request_headers(target, probe), flags=0x10 | 0x40)
        data = r.raw_frame(r.DATA, r.END_STREAM | 0x2 | 0x4 | 0x10 | 0x80, 1, r.body(target))
        r.send(probe, headers, data)
        r.expect_answer(target, probe)


def test_reserved_bit_of_the_stream_identifier_is_ignored(target):
    """§4.1: the reserved bit MUST remain unset when sending and MUST be ignored when receiving."""
    with r.connect(target) as probe:
        frame = r.whole_request(target, probe)
        frame = frame[:5] + bytes([frame[5] | 0x80]) + frame[6:]
        r.send(probe, frame)
        r.expect_answer(target, probe)


def test_data_larger_than_max_frame_size_is_frame_size_error(target):
    """§4.2: a frame exceeding SETTINGS_MAX_FRAME_SIZE is a FRAME_SIZE_ERROR."""
    with r.connect(target) as probe:
        big = r.raw_frame(r.DATA, r.END_STREAM, 1, b"\0" * (r.DEFAULT_MAX_FRAME_SIZE + 1))
        r.send(probe, r.open_request(target, probe), big)
        r.expect_stream_error(probe, 1, h2probe.FRAME_SIZE_ERROR)


def test_headers_larger_than_max_frame_size_is_connection_error(target):
    """§4.2: a too-large frame that carries a field block is a connection error."""
    with r.connect(target) as probe:
        headers = r.request_headers(target, probe, extra=[("x-filler", "a" * 9000), ("x-more", "b" * 8000)])
        block = probe.encoder.encode(headers, huffman=False)
        assert len(block) > r.DEFAULT_MAX_FRAME_SIZE
        r.send(probe, r.raw_frame(r.HEADERS, r.END_HEADERS | r.END_STREAM, 1, block))
        r.expect_connection_error(probe, h2probe.FRAME_SIZE_ERROR)


def test_frame_of_exactly_max_frame_size_is_accepted(target):
    """§4.2: every implementation MUST be capable of receiving frames up to 2^14 octets."""
    payload = h2probe.grpc_frame(b"x" * (r.DEFAULT_MAX_FRAME_SIZE - 5)) if target.grpc else b"x" * r.DEFAULT_MAX_FRAME_SIZE
    with r.connect(target) as probe:
        r.send(probe, r.open_request(target, probe), r.raw_frame(r.DATA, r.END_STREAM, 1, payload))
        r.expect_answer(target, probe)


@pytest.mark.parametrize("length", [0, 7, 9])
def test_ping_of_wrong_length_is_frame_size_error(target, length):
    """§6.7: a PING with a length other than 8 is a connection error FRAME_SIZE_ERROR."""
    with r.connect(target) as probe:
        r.send(probe, r.raw_frame(r.PING, 0, 0, b"\0" * length))
        r.expect_connection_error(probe, h2probe.FRAME_SIZE_ERROR)


@pytest.mark.parametrize("length", [1, 5, 7])
def test_settings_length_not_a_multiple_of_six_is_frame_size_error(target, length):
    """§6.5: a SETTINGS length that is not a multiple of 6 is a connection error FRAME_SIZE_ERROR."""
    with r.connect(target) as probe:
        r.send(probe, r.raw_frame(r.SETTINGS, 0, 0, b"\0" * length))
        r.expect_connection_error(probe, h2probe.FRAME_SIZE_ERROR)


def test_settings_ack_with_payload_is_frame_size_error(target):
    """§6.5: a SETTINGS ACK with a payload is a connection error FRAME_SIZE_ERROR."""
    with r.connect(target) as probe:
        r.send(probe, r.raw_frame(r.SETTINGS, r.ACK, 0, r.settings_payload({0x3: 100})))
        r.expect_connection_error(probe, h2probe.FRAME_SIZE_ERROR)


@pytest.mark.parametrize("length", [0, 3, 5])
def test_window_update_of_wrong_length_is_frame_size_error(target, length):
    """§6.9: a WINDOW_UPDATE with a length other than 4 is a connection error FRAME_SIZE_ERROR."""
    with r.connect(target) as probe:
        r.send(probe, r.raw_frame(r.WINDOW_UPDATE, 0, 0, b"\0\0\0\1\0"[:length]))
        r.expect_connection_error(probe, h2probe.FRAME_SIZE_ERROR)


def test_window_update_of_wrong_length_on_a_stream_is_frame_size_error(target):
    with r.connect(target) as probe:
        r.send(probe, r.open_request(target, probe), r.raw_frame(r.WINDOW_UPDATE, 0, 1, b"\0\0\0\1\0"))
        r.expect_connection_error(probe, h2probe.FRAME_SIZE_ERROR)


@pytest.mark.parametrize("length", [4, 6])
def test_priority_of_wrong_length_is_frame_size_error(target, length):
    """§6.3: a PRIORITY with a length other than 5 is a stream error FRAME_SIZE_ERROR."""
    with r.connect(target) as probe:
        r.send(probe, r.open_request(target, probe), r.raw_frame(r.PRIORITY, 0, 1, b"\0" * length))
        r.expect_stream_error(probe, 1, h2probe.FRAME_SIZE_ERROR)


@pytest.mark.parametrize("length", [3, 5])
def test_rst_stream_of_wrong_length_is_frame_size_error(target, length):
    """§6.4: a RST_STREAM with a length other than 4 is a connection error FRAME_SIZE_ERROR."""
    with r.connect(target) as probe:
        r.send(probe, r.open_request(target, probe), r.raw_frame(r.RST_STREAM, 0, 1, b"\0" * length))
        r.expect_connection_error(probe, h2probe.FRAME_SIZE_ERROR)


def test_data_with_padding_longer_than_the_frame_is_protocol_error(target):
    """§6.1: padding that is as long as the payload or longer is a connection error PROTOCOL_ERROR."""
    with r.connect(target) as probe:
        r.send(probe, r.open_request(target, probe), r.raw_frame(r.DATA, r.PADDED | r.END_STREAM, 1, bytes([8]) + b"\0" * 4))
        r.expect_connection_error(probe, h2probe.PROTOCOL_ERROR)


def test_headers_with_padding_longer_than_the_frame_is_protocol_error(target):
    """§6.2: the same rule for HEADERS."""
    with r.connect(target) as probe:
        r.send(probe, r.raw_frame(r.HEADERS, r.PADDED | r.END_HEADERS, 1, bytes([200]) + b"\x82"))
        r.expect_connection_error(probe, h2probe.PROTOCOL_ERROR)


def test_padded_data_is_accepted(target):
    """§6.1: padding is removed; the body is what is left."""
    with r.connect(target) as probe:
        payload = bytes([10]) + r.body(target) + b"\0" * 10
        r.send(probe, r.open_request(target, probe), r.raw_frame(r.DATA, r.PADDED | r.END_STREAM, 1, payload))
        r.expect_answer(target, probe)


def test_padded_headers_with_priority_are_accepted(target):
    """§6.2: PADDED and PRIORITY flags on HEADERS are honoured."""
    with r.connect(target) as probe:
        block = probe.header_block(r.request_headers(target, probe))
        payload = bytes([4]) + r.priority_payload(0) + block + b"\0" * 4
        r.send(probe, r.raw_frame(r.HEADERS, r.PADDED | r.PRIORITY_FLAG | r.END_HEADERS, 1, payload),
               r.finish_request(target))
        r.expect_answer(target, probe)
