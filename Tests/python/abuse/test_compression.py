"""gRPC message compression on the wire, against our rpc-test-server's echo method, read with a
raw HTTP/2 client so the compressed flag and the headers are visible: what is accepted, what
the server answers with, the 1 MiB limit applied after inflating (zip bombs), corrupt input."""
import gzip
import struct
import zlib

import pytest

from support import h2probe
from support.h2probe import H2Probe

INTERNAL, RESOURCE_EXHAUSTED, UNIMPLEMENTED = 13, 8, 12
LIMIT = 1 << 20
COMPRESSORS = {"gzip": lambda data: gzip.compress(data, mtime=0), "deflate": zlib.compress}
INFLATERS = {"gzip": gzip.decompress, "deflate": zlib.decompress}


def call(server, frame: bytes, extra=()):
    """One unary echo call with a raw request body; the whole response."""
    with H2Probe(server.port, timeout=10) as probe:
        probe.handshake()
        probe.send_headers(1, probe.grpc_request(server.unary_path, extra=list(extra)))
        for start in range(0, len(frame), 16_384):
            probe.send_data(1, frame[start:start + 16_384], end_stream=start + 16_384 >= len(frame))
        return probe.read_response(1, timeout=10)


def messages(response) -> list:
    """(compressed flag, bytes) for each message of a response body."""
    found, data = [], response.data
    while data:
        flag, length = struct.unpack(">BI", data[:5])
        found.append((flag, data[5:5 + length]))
        data = data[5 + length:]
    return found


def text(size: int) -> bytes:
    return bytes((index * 7 + index // 13) % 251 for index in range(size))


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_compressed_request_is_inflated_and_the_response_compressed_alike(server, encoding):
    original = text(5000)
    frame = h2probe.grpc_frame(COMPRESSORS[encoding](original), compressed=True)
    response = call(server, frame, [("grpc-encoding", encoding), ("grpc-accept-encoding", "identity,deflate,gzip")])
    assert response.grpc_status == 0, f"grpc-status {response.grpc_status} ({response.grpc_message})"
    assert response.header("grpc-encoding") == encoding
    assert set(response.header("grpc-accept-encoding").replace(" ", "").split(",")) >= {"gzip", "deflate", "identity"}
    [(flag, body)] = messages(response)
    assert flag == 1 and INFLATERS[encoding](body) == original


def test_response_stays_uncompressed_unless_the_client_accepts_the_algorithm(server):
    original = text(5000)
    frame = h2probe.grpc_frame(gzip.compress(original), compressed=True)
    for accept in ([], [("grpc-accept-encoding", "identity, deflate")]):
        response = call(server, frame, [("grpc-encoding", "gzip"), *accept])
        assert response.grpc_status == 0, f"grpc-status {response.grpc_status} ({response.grpc_message})"
        assert response.header("grpc-encoding") is None
        assert messages(response) == [(0, original)]


def test_small_responses_are_not_compressed(server):
    frame = h2probe.grpc_frame(gzip.compress(b"tiny"), compressed=True)
    response = call(server, frame, [("grpc-encoding", "gzip"), ("grpc-accept-encoding", "gzip")])
    assert response.grpc_status == 0 and messages(response) == [(0, b"tiny")]


def test_uncompressed_message_in_a_gzip_call_is_accepted(server):
    response = call(server, h2probe.grpc_frame(b"plain"), [("grpc-encoding", "gzip")])
    assert response.grpc_status == 0 and messages(response) == [(0, b"plain")]


def test_unsupported_encoding_is_unimplemented_and_names_what_works(server):
    response = call(server, h2probe.grpc_frame(b"abc", compressed=True), [("grpc-encoding", "br")])
    assert response.grpc_status == UNIMPLEMENTED
    assert "gzip" in response.header("grpc-accept-encoding")


def test_compressed_flag_without_encoding_names_what_works(server):
    response = call(server, h2probe.grpc_frame(gzip.compress(b"abc"), compressed=True))
    assert response.grpc_status == UNIMPLEMENTED
    assert "gzip" in response.header("grpc-accept-encoding")


@pytest.mark.parametrize("damage", ["garbage", "truncated", "trailing", "flipped"])
def test_corrupt_compressed_message_is_internal(server, damage):
    good = gzip.compress(text(5000))
    body = {"garbage": b"this is not gzip", "truncated": good[:-8], "trailing": good + b"\0",
            "flipped": good[:40] + bytes([good[40] ^ 0xFF]) + good[41:]}[damage]
    response = call(server, h2probe.grpc_frame(body, compressed=True), [("grpc-encoding", "gzip")])
    assert response.grpc_status == INTERNAL, f"grpc-status {response.grpc_status} ({response.grpc_message})"
    server.assert_still_healthy(server.baseline_rss_kib)


def test_exactly_the_limit_once_inflated_is_accepted_and_one_more_byte_is_not(server):
    exact = call(server, h2probe.grpc_frame(gzip.compress(bytes(LIMIT)), compressed=True), [("grpc-encoding", "gzip")])
    assert exact.grpc_status == 0 and messages(exact) == [(0, bytes(LIMIT))]
    over = call(server, h2probe.grpc_frame(gzip.compress(bytes(LIMIT + 1)), compressed=True), [("grpc-encoding", "gzip")])
    assert over.grpc_status == RESOURCE_EXHAUSTED, f"grpc-status {over.grpc_status} ({over.grpc_message})"


def test_gzip_bomb_is_resource_exhausted_with_bounded_memory(server):
    # 48 MiB of zeros in about 48 KiB (within the 64 KiB stream window this raw client does
    # not wait on): inflating must stop just past the 1 MiB limit.
    bomb = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = bytes(1 << 20)
    compressed = b"".join(bomb.compress(chunk) for _ in range(48)) + bomb.flush()
    assert len(compressed) < 60_000
    response = call(server, h2probe.grpc_frame(compressed, compressed=True), [("grpc-encoding", "gzip")])
    assert response.grpc_status == RESOURCE_EXHAUSTED, f"grpc-status {response.grpc_status} ({response.grpc_message})"
    server.assert_still_healthy(server.baseline_rss_kib, growth_limit_mib=16)
