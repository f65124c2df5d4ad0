"""Connection-level abuse: a garbage preface, a client that never sends SETTINGS, a stream that
never ends, and DATA on a closed stream."""
import pytest
from hyperframe import frame as hf

from support import h2probe, probes
from support.h2probe import H2Probe

DEADLINE_EXCEEDED = 4


@pytest.mark.parametrize("garbage", [
    pytest.param(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", id="http1-request"),
    pytest.param(bytes(range(256)) * 4, id="binary-noise"),
    pytest.param(b"PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n", id="corrupt-magic"),
])
def test_garbage_preface_closes_the_connection(server, garbage):
    outcome, closed_after = probes.garbage_preface(server, garbage, timeout=5)
    assert closed_after is not None, f"connection still open 5 s after a garbage preface ({outcome.describe()})"
    # The server's own preface (SETTINGS, a connection WINDOW_UPDATE) may already be on its way.
    unexpected = [f for f in outcome.frames if not isinstance(f, (hf.SettingsFrame, hf.GoAwayFrame))
                  and not (isinstance(f, hf.WindowUpdateFrame) and f.stream_id == 0)]
    assert not unexpected, f"answered a garbage preface with {outcome.describe()}"
    if outcome.goaway is not None:
        assert outcome.goaway_code != h2probe.NO_ERROR
    server.assert_still_healthy(server.baseline_rss_kib)


@pytest.mark.parametrize("send_magic", [False, True], ids=["nothing", "magic-without-settings"])
def test_client_without_settings_is_closed_after_the_preface_timeout(server, send_magic):
    outcome, closed_after = probes.silent_client(server, send_magic, timeout=server.preface_timeout + 5)
    assert closed_after is not None, \
        f"connection open {server.preface_timeout + 5:.0f} s without the client's SETTINGS ({outcome.describe()})"
    server.assert_still_healthy(server.baseline_rss_kib)


def test_unary_request_that_never_ends_hits_its_deadline(server):
    """HEADERS with grpc-timeout 1S, then half a message, then silence: the server alone must end it."""
    with H2Probe(server.port, timeout=15) as probe:
        probe.handshake()
        probe.send_headers(1, probe.grpc_request(server.unary_path, extra=[("grpc-timeout", "1S")]))
        probe.send_data(1, h2probe.grpc_frame(b"abc", declared_length=10))
        response = probe.read_response(1, timeout=10)
        probe.drain(quiet=0.3, limit=2)
        resets = [f.error_code for f in probe.received if f.stream_id == 1 and isinstance(f, hf.RstStreamFrame)]
    # docs/rpc-runtime.md: the expired deadline ends the call with DEADLINE_EXCEEDED. A bare
    # RST_STREAM(CANCEL) is read by grpcio clients as CANCELLED, not a deadline.
    assert response.grpc_status == DEADLINE_EXCEEDED, \
        f"grpc-status {response.grpc_status}, reset {response.reset and h2probe.error_name(response.reset)}"
    # The client is still sending, so a reset follows the status; the response is complete, so it
    # only stops the upload (RFC 9113 §8.1): NO_ERROR, as gRPC core servers send. grpcio reads a
    # CANCEL arriving with the status as CANCELLED.
    assert resets == [h2probe.NO_ERROR], f"resets {[h2probe.error_name(r) for r in resets]}"
    server.assert_still_healthy(server.baseline_rss_kib)


def test_streaming_request_that_never_ends_hits_its_deadline_and_stays_bounded(server):
    """A bidirectional stream fed 40 messages of 1 KiB over 2 s (inside the 64 KiB window) under
    a 3 s deadline, then left open: the server alone ends it with DEADLINE_EXCEEDED."""
    with H2Probe(server.port, timeout=15) as probe:
        probe.handshake()
        probe.send_headers(1, probe.grpc_request(server.streaming_path, extra=[("grpc-timeout", "3S")]))
        for _ in range(40):
            probe.send_data(1, h2probe.grpc_frame(b"m" * 1024))
            probe.drain(quiet=0.05, limit=0.05)
        try:
            probe.read_response(1, timeout=10)
        except h2probe.ConnectionClosed:
            pass
        stream = [f for f in probe.received if f.stream_id == 1]
    statuses = [dict(f.decoded_headers).get("grpc-status") for f in stream if getattr(f, "decoded_headers", None)]
    resets = [f.error_code for f in stream if isinstance(f, hf.RstStreamFrame)]
    echoed = sum(len(f.data) for f in stream if isinstance(f, hf.DataFrame))
    assert str(DEADLINE_EXCEEDED) in statuses, \
        f"statuses {statuses}, resets {[h2probe.error_name(r) for r in resets]}, {echoed} bytes echoed"
    server.assert_still_healthy(server.baseline_rss_kib)


def test_data_on_a_closed_stream_is_stream_closed(server):
    first, outcome = probes.data_on_closed_stream(server)
    assert first.grpc_status == 0, f"the ordinary call failed: {first.grpc_status} {first.grpc_message}"
    codes = [f.error_code for f in outcome.resets(1)] + ([outcome.goaway_code] if outcome.goaway else [])
    assert h2probe.STREAM_CLOSED in codes, f"DATA on closed stream 1: {outcome.describe()}"
    server.assert_still_healthy(server.baseline_rss_kib)
