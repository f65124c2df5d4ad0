"""A stock grpcio client (our Python interop client) against our Swift `interop-server`."""
import pytest

from interop import interop_client


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
