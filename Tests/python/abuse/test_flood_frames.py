"""Frame floods: rapid reset (CVE-2023-44487) and CONTINUATION flood (CVE-2024-27316 family).
Each asserts the specific outcome, then that the server still answers with RSS bounded."""
from support import h2probe, probes


def test_rapid_reset_gets_goaway(server):
    outcome = probes.rapid_reset(server, streams=3000)
    assert outcome.goaway is not None, f"no GOAWAY after {outcome.sent} HEADERS+RST_STREAM: {outcome.describe()}"
    assert outcome.goaway_code != h2probe.NO_ERROR, f"GOAWAY code {outcome.goaway_code}"
    assert outcome.closed, "the connection stayed open after the GOAWAY"
    # The rate limit is a burst of 1000 resets: the GOAWAY must come long before 3000.
    assert outcome.goaway.last_stream_id < 2 * 2000, f"GOAWAY last_stream_id {outcome.goaway.last_stream_id}"
    server.assert_still_healthy(server.baseline_rss_kib)


def test_continuation_within_limit_is_served(server):
    """Control: 8 CONTINUATION frames (the limit) carry an ordinary request."""
    outcome = probes.continuation_flood(server, continuations=8)
    assert outcome.response is not None and outcome.response.complete, outcome.describe()
    assert not outcome.closed


def test_continuation_flood_is_a_connection_error(server):
    for continuations in (9, 1000):
        outcome = probes.continuation_flood(server, continuations=continuations)
        assert outcome.closed, f"{continuations} CONTINUATIONs: connection still open ({outcome.describe()})"
        assert outcome.response is None or not outcome.response.headers, \
            f"{continuations} CONTINUATIONs: the request was served ({outcome.describe()})"
        if outcome.goaway is not None:
            assert outcome.goaway_code != h2probe.NO_ERROR
    server.assert_still_healthy(server.baseline_rss_kib)
