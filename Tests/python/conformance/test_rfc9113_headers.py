"""RFC 9113 §4.3, §6.10, §8.1–§8.3: field blocks, CONTINUATION, and the rules of HTTP fields.
A malformed request is a stream error PROTOCOL_ERROR (§8.1.1)."""
import pytest
from hyperframe import frame as hf

from conformance import rfc9113 as r
from support import h2probe


# -- §4.3 field block decoding ---------------------------------------------------------------

@pytest.mark.parametrize("block", [b"\x80", b"\xff\xff\xff\xff\x0f", b"\x3f\xe1\xff\x03"],
                         ids=["index-0", "index-beyond-table", "table-size-above-setting"])
def test_undecodable_field_block_is_compression_error(target, block):
    """§4.3: a field block that cannot be decoded is a connection error COMPRESSION_ERROR."""
    with r.connect(target) as probe:
        r.send(probe, r.raw_frame(r.HEADERS, r.END_HEADERS | r.END_STREAM, 1, block))
        r.expect_connection_error(probe, h2probe.COMPRESSION_ERROR)


def test_field_block_of_a_malformed_request_still_updates_the_table(target):
    """§4.3: every field block is decoded, also one whose request is rejected; the next block may
    refer to what it added to the dynamic table."""
    with r.connect(target) as probe:
        shared = ("x-shared", "remember me")
        malformed = r.request_headers(target, probe) + [shared, ("X-Upper", "1")]
        first = r.headers_frame(probe, 1, malformed) + r.finish_request(target, 1)
        # Encoded after the first block: x-shared is now a one-byte dynamic-table reference.
        second = r.headers_frame(probe, 3, r.request_headers(target, probe) + [shared]) + r.finish_request(target, 3)
        r.send(probe, first, second)
        r.expect_stream_error(probe, 1, h2probe.PROTOCOL_ERROR)
        r.expect_answer(target, probe, 3)


def test_field_block_of_a_refused_stream_still_updates_the_table(target):
    """§4.3, §5.1.2: a stream refused for the concurrency limit still had its field block decoded.
    (A connection error PROTOCOL_ERROR for the extra stream is allowed too, §5.4.1.)"""
    with r.connect(target) as probe:
        limit = probe.server_settings[h2probe.SETTINGS_MAX_CONCURRENT_STREAMS]
        opens = [r.open_request(target, probe, stream_id=1 + 2 * i) for i in range(limit)]
        shared = ("x-shared", "remember me")
        extra = r.headers_frame(probe, 1 + 2 * limit, r.request_headers(target, probe) + [shared])
        r.send(probe, *opens, extra)
        verdict, frames = r.read_until_verdict(probe, lambda f: (
            True if isinstance(f, hf.RstStreamFrame) and f.stream_id == 1 + 2 * limit
            else False if isinstance(f, hf.GoAwayFrame) else None))
        if verdict is False and probe.goaway.error_code == h2probe.PROTOCOL_ERROR:
            return
        assert verdict, f"stream {1 + 2 * limit} beyond the limit: {r.describe(frames, probe.closed)}"
        r.send(probe, r.finish_request(target, 1))
        r.expect_answer(target, probe, 1)
        stream_id = 3 + 2 * limit
        r.send(probe, r.headers_frame(probe, stream_id, r.request_headers(target, probe) + [shared]),
               r.finish_request(target, stream_id))
        r.expect_answer(target, probe, stream_id)


# -- §6.10 CONTINUATION ----------------------------------------------------------------------

def _split(target, probe, stream_id=1):
    block = probe.header_block(r.request_headers(target, probe))
    return block[:len(block) // 2], block[len(block) // 2:]


def test_headers_split_over_continuations_is_served(target):
    with r.connect(target) as probe:
        first, rest = _split(target, probe)
        r.send(probe, r.raw_frame(r.HEADERS, 0, 1, first), r.raw_frame(r.CONTINUATION, 0, 1, rest[:1]),
               r.raw_frame(r.CONTINUATION, r.END_HEADERS, 1, rest[1:]), r.finish_request(target))
        r.expect_answer(target, probe)


@pytest.mark.parametrize("interloper", ["DATA", "PING", "PRIORITY", "unknown type", "HEADERS"])
def test_other_frame_inside_a_field_block_is_protocol_error(target, interloper):
    """§6.10, §4.3: a field block is contiguous; any other frame before END_HEADERS is a
    connection error PROTOCOL_ERROR."""
    frames = {
        "DATA": r.raw_frame(r.DATA, 0, 1, b"x"),
        "PING": r.raw_frame(r.PING, 0, 0, b"\0" * 8),
        "PRIORITY": r.raw_frame(r.PRIORITY, 0, 1, r.priority_payload(0)),
        "unknown type": r.raw_frame(0xFA, 0, 0, b"x"),
        "HEADERS": r.raw_frame(r.HEADERS, r.END_HEADERS, 3, b"\x82"),
    }
    with r.connect(target) as probe:
        first, rest = _split(target, probe)
        r.send(probe, r.raw_frame(r.HEADERS, 0, 1, first), frames[interloper],
               r.raw_frame(r.CONTINUATION, r.END_HEADERS, 1, rest))
        r.expect_connection_error(probe, h2probe.PROTOCOL_ERROR)


def test_continuation_on_another_stream_is_protocol_error(target):
    with r.connect(target) as probe:
        first, rest = _split(target, probe)
        r.send(probe, r.raw_frame(r.HEADERS, 0, 1, first), r.raw_frame(r.CONTINUATION, r.END_HEADERS, 3, rest))
        r.expect_connection_error(probe, h2probe.PROTOCOL_ERROR)


def test_continuation_after_end_headers_is_protocol_error(target):
    """§6.10: CONTINUATION must follow a frame without END_HEADERS."""
    with r.connect(target) as probe:
        r.send(probe, r.open_request(target, probe), r.raw_frame(r.CONTINUATION, r.END_HEADERS, 1, b"\x82"))
        r.expect_connection_error(probe, h2probe.PROTOCOL_ERROR)


def test_continuation_after_a_closed_stream_is_protocol_error(target):
    with r.connect(target) as probe:
        r.send(probe, r.whole_request(target, probe))
        r.expect_answer(target, probe)
        r.send(probe, r.raw_frame(r.CONTINUATION, r.END_HEADERS, 1, b"\x82"))
        r.expect_connection_error(probe, h2probe.PROTOCOL_ERROR)


# -- §8.1 message framing --------------------------------------------------------------------

def test_second_headers_without_end_stream_is_malformed(target):
    """§8.1: trailers must carry END_STREAM; a second HEADERS without it is malformed."""
    with r.connect(target) as probe:
        request = r.open_request(target, probe)
        r.send(probe, request, r.headers_frame(probe, 1, [("x-trailer", "1")]))
        r.expect_stream_error(probe, 1, h2probe.PROTOCOL_ERROR)


def test_trailers_are_accepted(target):
    with r.connect(target) as probe:
        request = r.open_request(target, probe) + r.raw_frame(r.DATA, 0, 1, r.body(target))
        r.send(probe, request, r.headers_frame(probe, 1, [("x-trailer", "1")], end_stream=True))
        r.expect_answer(target, probe)


@pytest.mark.parametrize("pseudo", [":path", ":method", ":status", ":unknown"])
def test_pseudo_header_in_trailers_is_malformed(target, pseudo):
    """§8.3: pseudo-header fields MUST NOT appear in a trailer section."""
    with r.connect(target) as probe:
        request = r.open_request(target, probe) + r.raw_frame(r.DATA, 0, 1, r.body(target))
        r.send(probe, request, r.headers_frame(probe, 1, [(pseudo, "/x")], end_stream=True))
        r.expect_stream_error(probe, 1, h2probe.PROTOCOL_ERROR)


@pytest.mark.parametrize("declared", [+10, -1, "zero"], ids=["more-than-sent", "less-than-sent", "zero"])
def test_content_length_contradicted_by_data_is_malformed(target, declared):
    """§8.1.1: a content-length that does not equal the sum of the DATA payloads is malformed."""
    sent = r.body(target) * 2
    length = 0 if declared == "zero" else len(sent) + declared
    with r.connect(target) as probe:
        request = r.open_request(target, probe, extra=[("content-length", str(length))])
        half = len(sent) // 2
        r.send(probe, request, r.raw_frame(r.DATA, 0, 1, sent[:half]), r.raw_frame(r.DATA, r.END_STREAM, 1, sent[half:]))
        r.expect_stream_error(probe, 1, h2probe.PROTOCOL_ERROR)


def test_matching_content_length_is_accepted(target):
    with r.connect(target) as probe:
        request = r.open_request(target, probe, extra=[("content-length", str(len(r.body(target))))])
        r.send(probe, request, r.finish_request(target))
        r.expect_answer(target, probe)


# -- §8.2, §8.3 fields -----------------------------------------------------------------------

def _request_with(target, probe, fields):
    """A complete request whose header block is exactly `fields` (HPACK literals, unchecked)."""
    return r.headers_frame(probe, 1, fields) + r.finish_request(target)


def _base(target, probe):
    return r.request_headers(target, probe)


def _malformed(target, probe, fields):
    r.send(probe, _request_with(target, probe, fields))
    r.expect_stream_error(probe, 1, h2probe.PROTOCOL_ERROR)


@pytest.mark.parametrize("missing", [":method", ":scheme", ":path"])
def test_missing_pseudo_header_is_malformed(target, missing):
    """§8.3.1: a request includes exactly one :method, :scheme and :path."""
    with r.connect(target) as probe:
        _malformed(target, probe, [f for f in _base(target, probe) if f[0] != missing])


@pytest.mark.parametrize("duplicate", [":method", ":scheme", ":path", ":authority"])
def test_duplicated_pseudo_header_is_malformed(target, duplicate):
    with r.connect(target) as probe:
        fields = _base(target, probe)
        value = dict(fields)[duplicate]
        _malformed(target, probe, fields[:4] + [(duplicate, value)] + fields[4:])


@pytest.mark.parametrize("pseudo", [":unknown", ":status"])
def test_unknown_or_response_pseudo_header_is_malformed(target, pseudo):
    """§8.3: undefined pseudo-headers, and response ones in a request, are malformed."""
    with r.connect(target) as probe:
        fields = _base(target, probe)
        _malformed(target, probe, fields[:4] + [(pseudo, "200")] + fields[4:])


def test_pseudo_header_after_a_regular_field_is_malformed(target):
    """§8.3: every pseudo-header comes before the regular fields."""
    with r.connect(target) as probe:
        fields = _base(target, probe)
        pseudo = [f for f in fields if f[0].startswith(":")]
        regular = [f for f in fields if not f[0].startswith(":")] + [("x-extra", "1")]
        _malformed(target, probe, pseudo[:-1] + regular + pseudo[-1:])


def test_empty_path_is_malformed(target):
    """§8.3.1: :path MUST NOT be empty for http or https URIs."""
    with r.connect(target) as probe:
        _malformed(target, probe, [(k, "" if k == ":path" else v) for k, v in _base(target, probe)])


@pytest.mark.parametrize("name", ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"])
def test_connection_specific_field_is_malformed(target, name):
    """§8.2.2: connection-specific fields are malformed in HTTP/2."""
    with r.connect(target) as probe:
        _malformed(target, probe, _base(target, probe) + [(name, "chunked" if name == "transfer-encoding" else "keep-alive")])


@pytest.mark.parametrize("value", ["gzip", "trailers, gzip", "chunked"])
def test_te_other_than_trailers_is_malformed(target, value):
    """§8.2.2: te may only be "trailers"."""
    with r.connect(target) as probe:
        _malformed(target, probe, [f for f in _base(target, probe) if f[0] != "te"] + [("te", value)])


def test_te_trailers_is_accepted(target):
    with r.connect(target) as probe:
        fields = [f for f in _base(target, probe) if f[0] != "te"] + [("te", "trailers")]
        r.send(probe, _request_with(target, probe, fields))
        r.expect_answer(target, probe)


@pytest.mark.parametrize("name", ["X-Upper", "content-Type", "x-sp ace", "x-colon:", "x-\x7f", ""],
                         ids=["upper", "mixed", "space", "colon", "del", "empty"])
def test_invalid_field_name_is_malformed(target, name):
    """§8.2.1: field names are lowercase tokens; anything else is malformed."""
    with r.connect(target) as probe:
        _malformed(target, probe, _base(target, probe) + [(name, "1")])


@pytest.mark.parametrize("value", ["a\x00b", "a\rb", "a\nb"], ids=["nul", "cr", "lf"])
def test_invalid_field_value_is_malformed(target, value):
    """§8.2.1: NUL, CR and LF are never allowed in a field value."""
    with r.connect(target) as probe:
        _malformed(target, probe, _base(target, probe) + [("x-value", value)])


@pytest.mark.parametrize("value", [" leading", "trailing ", "\ttab"], ids=["leading-space", "trailing-space", "leading-tab"])
def test_field_value_with_surrounding_whitespace_is_malformed(target, value):
    """§8.2.1: a field value MUST NOT start or end with whitespace."""
    with r.connect(target) as probe:
        _malformed(target, probe, _base(target, probe) + [("x-value", value)])
