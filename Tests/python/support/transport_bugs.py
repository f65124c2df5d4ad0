"""Confirmed RPCHTTP2 transport bugs that some tests currently meet, one marker each, so that
the failing tests are listed in one place. Each was reproduced with a raw-frame probe and, where
it is nghttp2 behaviour, calibrated on nghttpd. Remove a marker once the transport is fixed:
the strict ones then fail as XPASS, as a reminder."""
import pytest

# When a deadline expires after the response headers went out (e.g. a bidirectional call that
# already answered), the server sends only RST_STREAM(CANCEL), with no trailers carrying
# grpc-status 4; DESIGN.md §3 wants DEADLINE_EXCEEDED, and grpcio clients read a bare
# RST_STREAM(CANCEL) as CANCELLED. (Before the headers, a Trailers-Only DEADLINE_EXCEEDED is sent.)
DEADLINE_AFTER_HEADERS_WITHOUT_STATUS = pytest.mark.xfail(
    strict=True, reason="transport bug: a deadline that expires after the response headers sends "
                        "RST_STREAM(CANCEL) without grpc-status 4 trailers")

# nghttp2_option_set_no_closed_streams(1) drops closed streams at once, and nghttp2 then ignores
# DATA for a stream it no longer knows (NGHTTP2_ERR_IGN_PAYLOAD) instead of the STREAM_CLOSED
# error RFC 9113 §5.1 requires after END_STREAM; nghttpd (closed streams kept) sends
# GOAWAY(STREAM_CLOSED).
DATA_ON_CLOSED_STREAM_IGNORED = pytest.mark.xfail(
    strict=True, reason="transport bug: DATA after END_STREAM is ignored (no_closed_streams), not STREAM_CLOSED")

# Once the client has acknowledged SETTINGS_MAX_CONCURRENT_STREAMS, nghttp2 treats one stream
# too many as a connection error (GOAWAY PROTOCOL_ERROR, "request HEADERS: max concurrent
# streams exceeded"); it sends REFUSED_STREAM only before the ACK. Calibrated on nghttpd.
# DESIGN.md §3 and the RPCServer.Config doc promise REFUSED_STREAM.
CONCURRENT_STREAMS_GOAWAY = pytest.mark.xfail(
    strict=True, reason="transport bug: stream 101 gets GOAWAY(PROTOCOL_ERROR) from nghttp2, not REFUSED_STREAM")
