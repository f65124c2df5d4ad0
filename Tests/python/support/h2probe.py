"""A raw HTTP/2 client for crafted-frame tests: it writes exactly the frames a test asks for
(hyperframe + hpack, no h2 state machine to correct us) and reads back every frame the peer sends.

    with H2Probe(port) as probe:
        probe.handshake()
        probe.send_headers(1, probe.grpc_request("/pkg.Svc/Method"))
        probe.send_data(1, grpc_frame(b""), end_stream=True)
        response = probe.read_response(1)
"""
import dataclasses
import socket
import struct
import time

import hpack
from hyperframe import frame as hf

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

# RFC 9113 §7 error codes.
NO_ERROR, PROTOCOL_ERROR, INTERNAL_ERROR, FLOW_CONTROL_ERROR = 0x0, 0x1, 0x2, 0x3
SETTINGS_TIMEOUT, STREAM_CLOSED, FRAME_SIZE_ERROR, REFUSED_STREAM = 0x4, 0x5, 0x6, 0x7
CANCEL, COMPRESSION_ERROR, CONNECT_ERROR, ENHANCE_YOUR_CALM = 0x8, 0x9, 0xA, 0xB
INADEQUATE_SECURITY, HTTP_1_1_REQUIRED = 0xC, 0xD
ERROR_NAMES = {v: k for k, v in dict(
    NO_ERROR=0, PROTOCOL_ERROR=1, INTERNAL_ERROR=2, FLOW_CONTROL_ERROR=3, SETTINGS_TIMEOUT=4,
    STREAM_CLOSED=5, FRAME_SIZE_ERROR=6, REFUSED_STREAM=7, CANCEL=8, COMPRESSION_ERROR=9,
    CONNECT_ERROR=10, ENHANCE_YOUR_CALM=11, INADEQUATE_SECURITY=12, HTTP_1_1_REQUIRED=13).items()}

SETTINGS_MAX_CONCURRENT_STREAMS = hf.SettingsFrame.MAX_CONCURRENT_STREAMS
SETTINGS_MAX_HEADER_LIST_SIZE = hf.SettingsFrame.MAX_HEADER_LIST_SIZE
SETTINGS_ENABLE_PUSH = hf.SettingsFrame.ENABLE_PUSH
SETTINGS_INITIAL_WINDOW_SIZE = hf.SettingsFrame.INITIAL_WINDOW_SIZE


def grpc_frame(message: bytes, compressed: bool = False, declared_length=None) -> bytes:
    """One gRPC length-prefixed message; `declared_length` lies about the length."""
    length = len(message) if declared_length is None else declared_length
    return struct.pack(">BI", 1 if compressed else 0, length) + message


def error_name(code: int) -> str:
    return ERROR_NAMES.get(code, hex(code))


class ConnectionClosed(Exception):
    """The peer closed the TCP connection (EOF or reset)."""


@dataclasses.dataclass
class Response:
    """Everything received on one stream."""

    headers: list = dataclasses.field(default_factory=list)   # list of header lists, in order
    data: bytes = b""
    ended: bool = False            # END_STREAM seen
    reset: int | None = None       # RST_STREAM error code, if any
    frames: list = dataclasses.field(default_factory=list)

    @property
    def status(self):
        return _header(self.headers[0], ":status") if self.headers else None

    @property
    def grpc_status(self):
        """grpc-status from the trailers (or a Trailers-Only HEADERS)."""
        for block in reversed(self.headers):
            value = _header(block, "grpc-status")
            if value is not None:
                return int(value)
        return None

    @property
    def grpc_message(self):
        for block in reversed(self.headers):
            value = _header(block, "grpc-message")
            if value is not None:
                return value
        return None

    def header(self, name: str):
        for block in self.headers:
            value = _header(block, name)
            if value is not None:
                return value
        return None

    @property
    def complete(self) -> bool:
        return self.ended or self.reset is not None


def _header(block, name):
    for key, value in block:
        if key == name:
            return value
    return None


class H2Probe:
    """One TCP connection speaking raw HTTP/2 frames (h2c, prior knowledge)."""

    def __init__(self, port: int, host: str = "127.0.0.1", timeout: float = 5.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.timeout = timeout
        self.host = f"{host}:{port}"
        self.encoder = hpack.Encoder()
        self.decoder = hpack.Decoder()
        self.decoder.max_header_list_size = 1 << 24  # see what the peer really sends
        self._buffer = b""
        self.closed = False
        self.received = []        # every frame read, in order
        self.server_settings = {}
        self.goaway = None        # the last GOAWAY frame received
        self._header_block = {}   # stream id -> fragments of a block in progress

    # -- lifecycle -------------------------------------------------------------------------

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    # -- writing ---------------------------------------------------------------------------

    def send_bytes(self, data: bytes) -> None:
        try:
            self.sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError) as error:
            self.closed = True
            raise ConnectionClosed(str(error)) from error

    def send_frame(self, frame: hf.Frame) -> None:
        self.send_bytes(frame.serialize())

    def send_frames(self, frames) -> None:
        self.send_bytes(b"".join(f.serialize() for f in frames))

    def send_settings(self, settings=None, ack: bool = False) -> None:
        frame = hf.SettingsFrame(0, settings=settings or {})
        if ack:
            frame = hf.SettingsFrame(0)
            frame.flags.add("ACK")
        self.send_frame(frame)

    def handshake(self, settings=None) -> None:
        """Client preface + SETTINGS, waits for the server's SETTINGS and ACKs them, then makes
        sure our SETTINGS were acknowledged (so the server's limits are in force)."""
        self.send_bytes(PREFACE)
        self.send_settings(settings or {SETTINGS_ENABLE_PUSH: 0})
        got_settings = got_ack = False
        deadline = time.monotonic() + self.timeout
        while not (got_settings and got_ack):
            frame = self.read_frame(deadline - time.monotonic())
            if isinstance(frame, hf.SettingsFrame):
                if "ACK" in frame.flags:
                    got_ack = True
                else:
                    got_settings = True
                    self.send_settings(ack=True)

    def header_block(self, headers) -> bytes:
        return self.encoder.encode(headers)

    def grpc_request(self, path: str, content_type: str = "application/grpc", method: str = "POST",
                     extra=()) -> list:
        headers = [(":method", method), (":scheme", "http"), (":path", path), (":authority", self.host),
                   ("content-type", content_type), ("te", "trailers")]
        return headers + list(extra)

    def send_headers(self, stream_id: int, headers, end_stream: bool = False) -> None:
        frame = hf.HeadersFrame(stream_id, data=self.header_block(headers))
        frame.flags.add("END_HEADERS")
        if end_stream:
            frame.flags.add("END_STREAM")
        self.send_frame(frame)

    def send_data(self, stream_id: int, data: bytes, end_stream: bool = False) -> None:
        frame = hf.DataFrame(stream_id, data=data)
        if end_stream:
            frame.flags.add("END_STREAM")
        self.send_frame(frame)

    def send_rst(self, stream_id: int, code: int = CANCEL) -> None:
        self.send_frame(hf.RstStreamFrame(stream_id, error_code=code))

    def ping(self, payload: bytes = b"probe!!!") -> None:
        """Sends a PING and waits for its ACK: every frame sent before it has been processed."""
        self.send_frame(hf.PingFrame(0, opaque_data=payload))
        self.read_until(lambda f: isinstance(f, hf.PingFrame) and "ACK" in f.flags and f.opaque_data == payload)

    # -- reading ---------------------------------------------------------------------------

    def _fill(self, need: int, timeout: float) -> None:
        deadline = time.monotonic() + max(timeout, 0)
        while len(self._buffer) < need:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no frame from the peer within {timeout:.1f}s")
            self.sock.settimeout(remaining)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                raise TimeoutError(f"no frame from the peer within {timeout:.1f}s") from None
            except (ConnectionResetError, BrokenPipeError) as error:
                self.closed = True
                raise ConnectionClosed(str(error)) from error
            if not chunk:
                self.closed = True
                raise ConnectionClosed("EOF")
            self._buffer += chunk

    def read_frame(self, timeout=None) -> hf.Frame:
        """The next frame; raises TimeoutError or ConnectionClosed."""
        timeout = self.timeout if timeout is None else timeout
        self._fill(9, timeout)
        frame, length = hf.Frame.parse_frame_header(memoryview(self._buffer[:9]))
        self._fill(9 + length, timeout)
        body = self._buffer[9:9 + length]
        self._buffer = self._buffer[9 + length:]
        frame.parse_body(memoryview(body))
        self.received.append(frame)
        self._note(frame)
        return frame

    def _note(self, frame) -> None:
        if isinstance(frame, hf.SettingsFrame) and "ACK" not in frame.flags:
            self.server_settings.update(frame.settings)
        elif isinstance(frame, hf.GoAwayFrame):
            self.goaway = frame
        elif isinstance(frame, (hf.HeadersFrame, hf.PushPromiseFrame, hf.ContinuationFrame)):
            fragments = self._header_block.setdefault(frame.stream_id, [])
            fragments.append(frame.data)
            if "END_HEADERS" in frame.flags:
                block = b"".join(self._header_block.pop(frame.stream_id))
                frame.decoded_headers = [(k.decode() if isinstance(k, bytes) else k,
                                          v.decode() if isinstance(v, bytes) else v)
                                         for k, v in self.decoder.decode(block)]
                self._last_headers_frame(frame.stream_id).decoded_headers = frame.decoded_headers

    def _last_headers_frame(self, stream_id):
        for frame in reversed(self.received):
            if isinstance(frame, (hf.HeadersFrame, hf.PushPromiseFrame)) and frame.stream_id == stream_id:
                return frame
        raise AssertionError("CONTINUATION without HEADERS")

    def read_until(self, predicate, timeout=None) -> hf.Frame:
        """Reads frames until one matches `predicate`; returns it."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            frame = self.read_frame(deadline - time.monotonic())
            if predicate(frame):
                return frame

    def read_response(self, stream_id: int, timeout=None, window_updates: bool = True) -> Response:
        """Reads until the stream ends (END_STREAM or RST_STREAM), replenishing flow control."""
        response = Response()
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while not response.complete:
            frame = self.read_frame(deadline - time.monotonic())
            if frame.stream_id != stream_id:
                continue
            response.frames.append(frame)
            if isinstance(frame, hf.HeadersFrame) and hasattr(frame, "decoded_headers"):
                response.headers.append(frame.decoded_headers)
            elif isinstance(frame, hf.ContinuationFrame) and "END_HEADERS" in frame.flags:
                response.headers.append(self._last_headers_frame(stream_id).decoded_headers)
            elif isinstance(frame, hf.DataFrame):
                response.data += frame.data
                if window_updates and frame.flow_controlled_length:
                    self.send_frames([hf.WindowUpdateFrame(0, window_increment=frame.flow_controlled_length),
                                      hf.WindowUpdateFrame(stream_id, window_increment=frame.flow_controlled_length)])
            elif isinstance(frame, hf.RstStreamFrame):
                response.reset = frame.error_code
            if "END_STREAM" in frame.flags:
                response.ended = True
        return response

    def drain(self, quiet: float = 1.0, limit: float = 10.0) -> list:
        """Reads until the peer is quiet for `quiet` seconds or closes; returns the new frames."""
        start = len(self.received)
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            try:
                self.read_frame(min(quiet, deadline - time.monotonic()))
            except (TimeoutError, ConnectionClosed):
                break
        return self.received[start:]

    def wait_closed(self, timeout: float) -> list:
        """Reads until the peer closes the connection; raises TimeoutError if it does not."""
        start = len(self.received)
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"the peer kept the connection open for {timeout:.1f}s")
            try:
                self.read_frame(remaining)
            except ConnectionClosed:
                return self.received[start:]
