"""A stock grpcio grpc.testing.TestService server, the real counterpart our Swift client runs against.

It implements the server features of grpc/grpc doc/interop-test-descriptions.md that the 18
cases need: EmptyCall, UnaryCall (response_size, Echo Status, CompressedResponse),
StreamingOutputCall (CompressedResponse) and FullDuplexCall (ResponseParameters with
interval_us, Echo Status), HalfDuplexCall,
StreamingInputCall, and Echo Metadata (`x-grpc-test-echo-initial` back in the headers,
`x-grpc-test-echo-trailing-bin` back in the trailers). UnimplementedCall is left to grpcio's
generated base class, which answers UNIMPLEMENTED. CompressedRequest (`expect_compressed`) is
not: grpcio's server API cannot see whether a request was compressed, so the two
client_compressed cases are skipped against this server.

    python grpcio_server.py --port 50051 [--event_log PATH] [--empty]

`--event_log` appends one line per handler start and end (`StreamingInputCall started`,
`StreamingInputCall cancelled`, …), so a test can prove a cancellation reached the handler.
`--empty` registers no service at all: the negative control the client must fail against.
"""
import argparse
import contextlib
import pathlib
import signal
import sys
import threading
import time
from concurrent import futures

import grpc

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import stubs  # noqa: E402

empty_pb2 = stubs.load("grpc.testing.empty_pb2", kind="interop")
messages_pb2 = stubs.load("grpc.testing.messages_pb2", kind="interop")
test_pb2_grpc = stubs.load("grpc.testing.test_pb2_grpc", kind="interop")

ECHO_INITIAL_KEY = "x-grpc-test-echo-initial"
ECHO_TRAILING_KEY = "x-grpc-test-echo-trailing-bin"


class EventLog:
    """Appends handler lifecycle lines to a file (or nowhere), one write + flush per line."""

    def __init__(self, path):
        self._lock = threading.Lock()
        self._file = open(path, "a", buffering=1) if path else None

    def record(self, method: str, what: str) -> None:
        if self._file is None:
            return
        with self._lock:
            self._file.write(f"{method} {what}\n")
            self._file.flush()

    @contextlib.contextmanager
    def lifecycle(self, method: str, context):
        """Records `started`, then `cancelled` when the client cancelled the call (RST_STREAM or
        deadline) while the handler ran, else `ended` (or `failed` for an echoed status)."""
        self.record(method, "started")
        try:
            yield
        except grpc.RpcError:
            self.record(method, "cancelled")
            raise
        except GeneratorExit:
            # grpcio closes a response generator whose call was cancelled mid-stream.
            self.record(method, "cancelled")
            raise
        except Exception:
            self.record(method, "failed")  # an echoed status (context.abort) lands here
            raise
        # grpcio's request iterator may simply stop when the call was cancelled, before the
        # call itself knows: give the cancellation a moment to land, then ask the call.
        if context.is_active():
            time.sleep(0.05)
        self.record(method, "ended" if context.is_active() else "cancelled")


def _payload(size: int):
    return messages_pb2.Payload(type=messages_pb2.COMPRESSABLE, body=bytes(size))


def _echo_metadata(context) -> None:
    """Echo Metadata: the initial key back in the headers, the trailing key in the trailers."""
    received = dict(context.invocation_metadata())
    if ECHO_INITIAL_KEY in received:
        context.send_initial_metadata(((ECHO_INITIAL_KEY, received[ECHO_INITIAL_KEY]),))
    if ECHO_TRAILING_KEY in received:
        context.set_trailing_metadata(((ECHO_TRAILING_KEY, received[ECHO_TRAILING_KEY]),))


def _echo_status(request, context) -> None:
    """Echo Status: a non-zero response_status ends the call with that code and message."""
    if request.HasField("response_status") and request.response_status.code != 0:
        code = next((c for c in grpc.StatusCode if c.value[0] == request.response_status.code),
                    grpc.StatusCode.UNKNOWN)
        context.abort(code, request.response_status.message)


class TestService(test_pb2_grpc.TestServiceServicer):
    """grpc.testing.TestService as the interop descriptions define its server features."""

    def __init__(self, events: EventLog):
        self.events = events

    def EmptyCall(self, request, context):
        return empty_pb2.Empty()

    def UnaryCall(self, request, context):
        _echo_metadata(context)
        _echo_status(request, context)
        if request.response_type != messages_pb2.COMPRESSABLE:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "unsupported response_type")
        if request.HasField("response_compressed"):
            context.set_compression(grpc.Compression.Gzip if request.response_compressed.value
                                    else grpc.Compression.NoCompression)
        return messages_pb2.SimpleResponse(payload=_payload(request.response_size))

    def StreamingOutputCall(self, request, context):
        _echo_metadata(context)
        _echo_status(request, context)
        if any(parameters.compressed.value for parameters in request.response_parameters):
            context.set_compression(grpc.Compression.Gzip)
        for parameters in request.response_parameters:
            if parameters.interval_us > 0:
                time.sleep(parameters.interval_us / 1_000_000)
            if parameters.HasField("compressed") and not parameters.compressed.value:
                context.disable_next_message_compression()
            yield messages_pb2.StreamingOutputCallResponse(payload=_payload(parameters.size))

    def StreamingInputCall(self, request_iterator, context):
        total = 0
        with self.events.lifecycle("StreamingInputCall", context):
            for request in request_iterator:
                total += len(request.payload.body)
        return messages_pb2.StreamingInputCallResponse(aggregated_payload_size=total)

    def FullDuplexCall(self, request_iterator, context):
        _echo_metadata(context)
        with self.events.lifecycle("FullDuplexCall", context):
            for request in request_iterator:
                _echo_status(request, context)
                for parameters in request.response_parameters:
                    if parameters.interval_us > 0:
                        time.sleep(parameters.interval_us / 1_000_000)
                    yield messages_pb2.StreamingOutputCallResponse(payload=_payload(parameters.size))

    def HalfDuplexCall(self, request_iterator, context):
        _echo_metadata(context)
        requests = list(request_iterator)
        for request in requests:
            _echo_status(request, context)
        for request in requests:
            for parameters in request.response_parameters:
                if parameters.interval_us > 0:
                    time.sleep(parameters.interval_us / 1_000_000)
                yield messages_pb2.StreamingOutputCallResponse(payload=_payload(parameters.size))


def serve(port: int, event_log=None, empty: bool = False) -> grpc.Server:
    """Starts the server on 127.0.0.1:port and returns it (call `.stop(grace)` to end it)."""
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=16), options=(("grpc.so_reuseport", 0),))
    if not empty:
        test_pb2_grpc.add_TestServiceServicer_to_server(TestService(EventLog(event_log)), server)
    if server.add_insecure_port(f"127.0.0.1:{port}") != port:
        raise RuntimeError(f"cannot listen on 127.0.0.1:{port}")
    server.start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--event_log")
    parser.add_argument("--empty", action="store_true", help="register no service (negative control)")
    args = parser.parse_args()
    server = serve(args.port, args.event_log, args.empty)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    stopped.wait()
    server.stop(grace=1).wait()


if __name__ == "__main__":
    main()
