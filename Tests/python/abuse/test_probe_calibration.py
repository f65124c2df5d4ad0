"""Calibration: the crafted-frame probes run against Debian's nghttpd (nghttp2 without gRPC) and
provoke exactly what nghttp2 is known to do. This proves each probe really sends what it claims
(a flood that is not a flood would let any server pass). Outcomes are nghttpd 1.52's."""
from hyperframe import frame as hf

from support import h2probe, probes


def test_rapid_reset_provokes_goaway(nghttpd):
    outcome = probes.rapid_reset(nghttpd, streams=3000)
    assert outcome.goaway is not None and outcome.goaway_code == h2probe.INTERNAL_ERROR, outcome.describe()
    assert outcome.closed
    nghttpd.assert_still_healthy(nghttpd.baseline_rss_kib)


def test_continuation_probe_crosses_nghttp2s_limit_of_8(nghttpd):
    within = probes.continuation_flood(nghttpd, continuations=8)
    assert within.response is not None and within.response.status == "200", within.describe()
    beyond = probes.continuation_flood(nghttpd, continuations=9)
    assert beyond.closed and (beyond.response is None or not beyond.response.headers), beyond.describe()


def test_header_probes_deliver_large_header_lists(nghttpd):
    """nghttpd has no 8 KiB limit: a 9 KiB list is served, and 64 KiB hits nghttp2's own limit."""
    served = probes.request_with_headers(nghttpd, [("x-big", "a" * 9000)])
    assert served.response is not None and served.response.status == "200", served.describe()
    refused = probes.request_with_headers(nghttpd, [("x-huge", "c" * 70000)])
    assert refused.response is not None and refused.response.reset is not None, refused.describe()


def test_hpack_amplification_really_expands(nghttpd):
    first, small = probes.hpack_amplified(nghttpd, references=2)
    assert first.response.status == "200" and small.response.status == "200", small.describe()
    first, large = probes.hpack_amplified(nghttpd, references=64)
    assert first.response.status == "200"
    assert large.response is not None and large.response.reset is not None, large.describe()


def test_data_on_closed_stream_provokes_stream_closed(nghttpd):
    first, outcome = probes.data_on_closed_stream(nghttpd)
    assert first.status == "200"
    assert outcome.goaway_code == h2probe.STREAM_CLOSED, outcome.describe()


def test_garbage_preface_is_closed(nghttpd):
    outcome, closed_after = probes.garbage_preface(nghttpd, b"GET / HTTP/1.1\r\n\r\n")
    assert closed_after is not None
    assert all(isinstance(f, (hf.SettingsFrame, hf.GoAwayFrame)) for f in outcome.frames), outcome.describe()


def test_silent_client_probe_sees_a_server_without_preface_timeout(nghttpd):
    """nghttpd has no preface timeout: the probe must report the connection as still open."""
    _, closed_after = probes.silent_client(nghttpd, send_magic=True, timeout=2)
    assert closed_after is None


def test_concurrent_streams_probe_exceeds_the_limit(nghttpd):
    """After SETTINGS are acknowledged, nghttp2 treats stream 101 as a connection error."""
    limit, outcome, probe = probes.exceed_concurrent_streams(nghttpd)
    probe.close()
    assert limit == 100
    assert outcome.goaway_code == h2probe.PROTOCOL_ERROR, outcome.describe()
