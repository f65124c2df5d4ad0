"""Hundreds of open event streams must not starve anyone: with 500 SSE streams open through
the gateway (five clients at their per-client cap of 100), /readyz, GetOrder and CreateOrder
still answer within their deadline, and a client past its cap gets 429."""
import json
import resource
import socket
import urllib.request

from .conftest import Gateway, serve

CLIENTS = [f"127.0.0.{n}" for n in range(2, 7)]
PER_CLIENT = 100


def open_stream(port: int, order_id: str, source: str, token: str) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=30, source_address=(source, 0))
    sock.sendall(f"GET /v1/orders/{order_id}/events?access_token={token} HTTP/1.1\r\nHost: t\r\n\r\n".encode())
    return sock


def complete_error(data: bytes) -> bool:
    """An error answer whose whole body (Content-Length) has arrived."""
    if not data.startswith(b"HTTP/1.1 4") or b"\r\n\r\n" not in data:
        return False
    head, body = data.split(b"\r\n\r\n", 1)
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:"))
    return len(body) >= length


def read_until_event(sock: socket.socket) -> bytes:
    """Reads until the first SSE event, or a complete error answer, or the close."""
    data = b""
    while b"data: " not in data and not complete_error(data):
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def test_500_open_event_streams_leave_unary_calls_alone(tmp_path):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 4096)), hard))
    port, _, context = serve(tmp_path, delivery_delay=600)
    with context:
        gateway = Gateway(f"http://127.0.0.1:{port}")
        body = {"items": [{"sku": "s", "quantity": 1, "unitPriceCents": "5"}], "currency": "EUR", "paymentToken": "tok_approve"}
        # Five customers, each on an address of its own, each watching its order 100 times: at
        # the per-client cap whether the gateway counts clients by token or by address.
        watchers = []
        for index, source in enumerate(CLIENTS):
            token = gateway.sign_in(f"watcher-{index}")
            status, _, order = gateway.call("POST", "/v1/orders", body, token=token)
            assert status == 201, order
            watchers.append((source, token, order["id"]))
        streams = []
        try:
            for source, token, order_id in watchers:
                batch = [open_stream(port, order_id, source, token) for _ in range(PER_CLIENT)]
                for sock in batch:
                    first = read_until_event(sock)
                    assert first.startswith(b"HTTP/1.1 200") and b"data: " in first, first[:200]
                streams += batch
            assert len(streams) == 500
            # Everyone else is served as usual (each call has the gateway's 5 s deadline).
            source, token, order_id = watchers[0]
            for _ in range(20):
                status, _, ready = gateway.call("GET", "/readyz")
                assert status == 200, ready
                status, _, same = gateway.call("GET", f"/v1/orders/{order_id}", token=token)
                assert status == 200 and same["id"] == order_id, same
            status, _, created = gateway.call("POST", "/v1/orders", body, token=gateway.sign_in("other"))
            assert status == 201, created
            # A client at its cap gets a clear 429.
            extra = open_stream(port, order_id, source, token)
            answer = read_until_event(extra)
            extra.close()
            assert answer.startswith(b"HTTP/1.1 429"), answer[:200]
            body = json.loads(answer.split(b"\r\n\r\n", 1)[1].decode())
            assert body["code"] == 8 and "event streams" in body["message"]
        finally:
            for sock in streams:
                sock.close()
