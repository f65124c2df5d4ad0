"""A stock grpcio client (our Python interop client) against our Swift `interop-server`."""
import struct

import pytest

from interop import interop_client
from support.h2probe import H2Probe, grpc_frame


@pytest.mark.parametrize("case", interop_client.CASES)
def test_case(our_server, case):
    interop_client.run_case("127.0.0.1", our_server.port, case)


def test_cancel_after_begin_cancels_the_handler(our_server):
    """cancel_after_begin passes against any server on the client side alone; here the server's
    own record proves the client's RST_STREAM cancelled the running StreamingInputCall handler."""
    client = interop_client.InteropClient("127.0.0.1", our_server.port)
    pipe = interop_client.RequestPipe()
    mark = len(our_server.events())
    try:
        future = client.stub.StreamingInputCall.future(pipe, timeout=interop_client.CALL_TIMEOUT)
        started = our_server.wait_for_event("StreamingInputCall started", after=mark)
        future.cancel()
        assert future.code() == interop_client.grpc.StatusCode.CANCELLED
        our_server.wait_for_event("StreamingInputCall cancelled", after=started)
        assert "StreamingInputCall ended" not in our_server.events()[started:], "the handler finished normally"
    finally:
        pipe.close()
        client.close()


def test_deadline_cancels_the_handler(our_server):
    """timeout_on_sleeping_server, seen from the server: the expired deadline cancels the running
    FullDuplexCall handler. (0.5 s rather than 1 ms, so the call surely reaches the server.)"""
    client = interop_client.InteropClient("127.0.0.1", our_server.port)
    pipe = interop_client.RequestPipe()
    mark = len(our_server.events())
    try:
        responses = client.stub.FullDuplexCall(pipe, timeout=0.5)
        pipe.add(interop_client.messages_pb2.StreamingOutputCallRequest(payload=interop_client._payload(27182)))
        with pytest.raises(interop_client.grpc.RpcError) as failure:
            next(responses)
        started = our_server.wait_for_event("FullDuplexCall started", after=mark)
        our_server.wait_for_event("FullDuplexCall cancelled", after=started)
        assert failure.value.code() == interop_client.grpc.StatusCode.DEADLINE_EXCEEDED, failure.value.details()
    finally:
        pipe.close()
        client.close()


def _response_flags(server, path: str, request) -> list:
    """The compressed flag of each response message, read off the wire with a raw HTTP/2 client."""
    with H2Probe(server.port, timeout=20) as probe:
        probe.handshake()
        probe.send_headers(1, probe.grpc_request(path, extra=[("grpc-accept-encoding", "identity,deflate,gzip")]))
        probe.send_data(1, grpc_frame(request.SerializeToString()), end_stream=True)
        response = probe.read_response(1, timeout=20)
    assert response.grpc_status == 0, f"{path}: grpc-status {response.grpc_status} ({response.grpc_message})"
    flags, data = [], response.data
    while data:
        flag, length = struct.unpack(">BI", data[:5])
        flags.append(flag)
        data = data[5 + length:]
    return flags


def test_compressed_flags_on_the_wire_follow_the_request(our_server):
    """server_compressed_unary and server_compressed_streaming as the descriptions ask where a
    client can see the flags: set exactly on the messages asked to be compressed."""
    messages_pb2 = interop_client.messages_pb2
    for compressed in (True, False):
        request = messages_pb2.SimpleRequest(response_type=messages_pb2.COMPRESSABLE, response_size=314159,
                                             response_compressed=messages_pb2.BoolValue(value=compressed))
        flags = _response_flags(our_server, "/grpc.testing.TestService/UnaryCall", request)
        assert flags == [1 if compressed else 0], f"UnaryCall response_compressed={compressed}: flags {flags}"
    request = messages_pb2.StreamingOutputCallRequest(response_type=messages_pb2.COMPRESSABLE, response_parameters=[
        messages_pb2.ResponseParameters(size=31415, compressed=messages_pb2.BoolValue(value=True)),
        messages_pb2.ResponseParameters(size=92653, compressed=messages_pb2.BoolValue(value=False))])
    flags = _response_flags(our_server, "/grpc.testing.TestService/StreamingOutputCall", request)
    assert flags == [1, 0], f"StreamingOutputCall: flags {flags}"
