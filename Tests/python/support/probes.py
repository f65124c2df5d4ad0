"""Crafted-frame probes shared by the abuse tests, the conformance tests and their calibration on
nghttpd. Each probe does one hostile or unusual thing on a fresh connection and returns what the
server did; the tests decide what is right."""
import dataclasses
import time

from hyperframe import frame as hf

from support import h2probe
from support.h2probe import H2Probe, ConnectionClosed


@dataclasses.dataclass
class Outcome:
    """What a connection saw after a probe."""

    frames: list                 # every frame received after the handshake
    closed: bool                 # the server closed the TCP connection
    goaway: object = None        # the GOAWAY frame, if any
    response: h2probe.Response | None = None
    sent: int = 0                # how many units (streams, frames) the probe managed to send

    @property
    def goaway_code(self):
        return None if self.goaway is None else self.goaway.error_code

    def resets(self, stream_id=None):
        return [f for f in self.frames if isinstance(f, hf.RstStreamFrame)
                and (stream_id is None or f.stream_id == stream_id)]

    def describe(self) -> str:
        kinds = [f"{type(f).__name__}({f.stream_id}"
                 + (f",{h2probe.error_name(f.error_code)}" if hasattr(f, "error_code") else "") + ")"
                 for f in self.frames[:20]]
        return f"closed={self.closed} goaway={self.goaway_code} frames={kinds}"


def request_headers(target, probe: H2Probe, path=None, extra=()) -> list:
    """A request the target serves: a gRPC POST for our servers, a GET for nghttpd."""
    if target.grpc:
        return probe.grpc_request(path or target.unary_path, extra=extra)
    return [(":method", "GET"), (":scheme", "http"), (":path", path or target.unary_path),
            (":authority", probe.host), *extra]


def _finish(probe: H2Probe, start: int, response=None, sent=0) -> Outcome:
    return Outcome(probe.received[start:], probe.closed, probe.goaway, response, sent)


def _read_until_closed(probe: H2Probe, timeout: float) -> None:
    try:
        probe.wait_closed(timeout)
    except TimeoutError:
        pass


def rapid_reset(target, streams: int = 3000, batch: int = 50) -> Outcome:
    """Opens `streams` streams, each HEADERS immediately followed by RST_STREAM(CANCEL)."""
    with H2Probe(target.port) as probe:
        probe.handshake()
        start = len(probe.received)
        sent = 0
        try:
            while sent < streams:
                frames = []
                for _ in range(batch):
                    stream_id = 1 + 2 * sent
                    headers = hf.HeadersFrame(stream_id, data=probe.header_block(request_headers(target, probe)))
                    headers.flags.add("END_HEADERS")
                    frames += [headers, hf.RstStreamFrame(stream_id, error_code=h2probe.CANCEL)]
                    sent += 1
                probe.send_frames(frames)
        except ConnectionClosed:
            pass
        _read_until_closed(probe, 10)
        return _finish(probe, start, sent=sent)


def continuation_flood(target, continuations: int) -> Outcome:
    """One request whose header block is split over HEADERS + `continuations` CONTINUATIONs."""
    with H2Probe(target.port) as probe:
        probe.handshake()
        start = len(probe.received)
        first = hf.HeadersFrame(1, data=probe.header_block(request_headers(target, probe)))
        first.flags.add("END_STREAM")
        frames = [first]
        for index in range(continuations):
            frames.append(hf.ContinuationFrame(1, data=probe.header_block([(f"x-filler-{index}", "a" * 10)])))
        frames[-1].flags.add("END_HEADERS")
        response = None
        try:
            probe.send_frames(frames)
            response = probe.read_response(1, timeout=5)
        except (ConnectionClosed, TimeoutError):
            _read_until_closed(probe, 5)
        return _finish(probe, start, response, sent=continuations)


def request_with_headers(target, extra_headers, body: bytes | None = b"") -> Outcome:
    """One request with extra headers, split into CONTINUATIONs when the block is large."""
    with H2Probe(target.port) as probe:
        probe.handshake()
        start = len(probe.received)
        block = probe.header_block(request_headers(target, probe, extra=extra_headers))
        chunks = [block[i:i + 16384] for i in range(0, len(block), 16384)] or [b""]
        end_on_headers = body is None or not target.grpc
        frames = []
        for index, chunk in enumerate(chunks):
            frame = hf.HeadersFrame(1, data=chunk) if index == 0 else hf.ContinuationFrame(1, data=chunk)
            if index == 0 and end_on_headers:
                frame.flags.add("END_STREAM")
            if index == len(chunks) - 1:
                frame.flags.add("END_HEADERS")
            frames.append(frame)
        if not end_on_headers:
            data = hf.DataFrame(1, data=h2probe.grpc_frame(body))
            data.flags.add("END_STREAM")
            frames.append(data)
        response = None
        try:
            probe.send_frames(frames)
            response = probe.read_response(1, timeout=5)
        except (ConnectionClosed, TimeoutError):
            _read_until_closed(probe, 2)
        return _finish(probe, start, response)


def hpack_amplified(target, value_size: int = 3800, references: int = 64) -> tuple[Outcome, Outcome]:
    """Stream 1 stores one large header in the HPACK dynamic table (a normal-sized request;
    3800 bytes leaves room in the default 4096-byte table for the other request headers);
    stream 3 then refers to it `references` times, one byte each: a tiny block that decodes to
    `references × value_size` bytes of headers."""
    with H2Probe(target.port) as probe:
        probe.handshake()
        start = len(probe.received)
        big = ("x-amplify", "z" * value_size)
        # The encoder adds the big header to the dynamic table (literal with incremental indexing).
        first = probe.encoder.encode(request_headers(target, probe) + [big])
        second = probe.encoder.encode(request_headers(target, probe))
        index = probe.encoder.header_table.search(big[0].encode(), big[1].encode())[0]
        second += bytes(_indexed(index)) * references
        first_outcome = _send_block_request(target, probe, 1, first, start)
        start = len(probe.received)
        second_outcome = _send_block_request(target, probe, 3, second, start)
        return first_outcome, second_outcome


def _send_block_request(target, probe, stream_id, block, start) -> Outcome:
    headers = hf.HeadersFrame(stream_id, data=block)
    headers.flags.add("END_HEADERS")
    frames = [headers]
    if target.grpc:
        frames.append(hf.DataFrame(stream_id, data=h2probe.grpc_frame(b"")))
        frames[-1].flags.add("END_STREAM")
    else:
        headers.flags.add("END_STREAM")
    response = None
    try:
        probe.send_frames(frames)
        response = probe.read_response(stream_id, timeout=5)
    except (ConnectionClosed, TimeoutError):
        pass
    return _finish(probe, start, response)


def _integer(value: int, prefix_bits: int, first_byte_flags: int) -> list:
    limit = (1 << prefix_bits) - 1
    if value < limit:
        return [first_byte_flags | value]
    out = [first_byte_flags | limit]
    value -= limit
    while value >= 128:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return out


def _indexed(index: int) -> list:
    return _integer(index, 7, 0x80)


def data_on_closed_stream(target) -> tuple[h2probe.Response, Outcome]:
    """A complete request on stream 1, then a DATA frame on the closed stream 1."""
    with H2Probe(target.port) as probe:
        probe.handshake()
        probe.send_headers(1, request_headers(target, probe), end_stream=not target.grpc)
        if target.grpc:
            probe.send_data(1, h2probe.grpc_frame(b"hello"), end_stream=True)
        first = probe.read_response(1)
        start = len(probe.received)
        try:
            probe.send_data(1, h2probe.grpc_frame(b"late"))
            probe.drain(quiet=1.5, limit=5)
        except ConnectionClosed:
            pass
        return first, _finish(probe, start)


def garbage_preface(target, garbage: bytes, timeout: float = 5.0) -> tuple[Outcome, float | None]:
    """Sends `garbage` instead of the client preface; returns what came back and when it closed."""
    with H2Probe(target.port) as probe:
        began = time.monotonic()
        try:
            probe.send_bytes(garbage)
        except ConnectionClosed:
            pass
        closed_after = None
        try:
            probe.wait_closed(timeout)
            closed_after = time.monotonic() - began
        except (TimeoutError, ConnectionClosed):
            closed_after = time.monotonic() - began if probe.closed else None
        return _finish(probe, 0), closed_after


def silent_client(target, send_magic: bool, timeout: float) -> tuple[Outcome, float | None]:
    """Connects and never sends SETTINGS (optionally after the 24-byte preface magic)."""
    with H2Probe(target.port) as probe:
        began = time.monotonic()
        if send_magic:
            probe.send_bytes(h2probe.PREFACE)
        try:
            probe.wait_closed(timeout)
            return _finish(probe, 0), time.monotonic() - began
        except TimeoutError:
            return _finish(probe, 0), None


def exceed_concurrent_streams(target, path=None) -> tuple[int, Outcome, H2Probe]:
    """Opens SETTINGS_MAX_CONCURRENT_STREAMS + 1 streams that stay open (no END_STREAM), after
    acknowledging the server's SETTINGS. Returns the limit, the outcome and the open probe
    (the caller closes it)."""
    probe = H2Probe(target.port)
    probe.handshake()
    limit = probe.server_settings.get(h2probe.SETTINGS_MAX_CONCURRENT_STREAMS)
    assert limit is not None and limit < 10_000, f"server advertises MAX_CONCURRENT_STREAMS={limit}"
    start = len(probe.received)
    try:
        probe.send_frames([_headers_frame(probe, 1 + 2 * i, request_headers(target, probe, path))
                           for i in range(limit + 1)])
        probe.ping()
        probe.drain(quiet=1.0, limit=5)
    except (ConnectionClosed, TimeoutError):
        pass
    return limit, _finish(probe, start), probe


def _headers_frame(probe, stream_id, headers, end_stream=False):
    frame = hf.HeadersFrame(stream_id, data=probe.header_block(headers))
    frame.flags.add("END_HEADERS")
    if end_stream:
        frame.flags.add("END_STREAM")
    return frame
