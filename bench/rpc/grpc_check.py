"""One call sent exactly as h2load sends it, read back frame by frame with Python `h2`.

h2load counts a response as succeeded on :status alone; a gRPC server reports failure in the
grpc-status trailer, so each gRPC server is checked once here for grpc-status 0 and a
HealthCheckResponse{SERVING} body.
"""
import socket
import ssl

import h2.config
import h2.connection
import h2.events

from config import METHOD_PATH, REQUEST_FRAME, REQUEST_HEADERS, SERVING_FRAME


def _connect(port: int, timeout: float, tls: bool):
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    if not tls:
        return sock
    # The benchmark's server has a throwaway certificate: encrypted, not verified (as h2load).
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.set_alpn_protocols(["h2"])
    return context.wrap_socket(sock, server_hostname="localhost")


def exchange(port: int, timeout: float = 5.0, tls: bool = False) -> dict:
    """Sends one POST of the empty-request frame; returns the response headers, body, trailers."""
    conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
    with _connect(port, timeout, tls) as sock:
        conn.initiate_connection()
        stream = conn.get_next_available_stream_id()
        headers = [(":method", "POST"), (":scheme", "https" if tls else "http"), (":authority", f"127.0.0.1:{port}"),
                   (":path", METHOD_PATH), *REQUEST_HEADERS.items()]
        conn.send_headers(stream, headers)
        conn.send_data(stream, REQUEST_FRAME, end_stream=True)
        sock.sendall(conn.data_to_send())
        result = {"headers": {}, "body": b"", "trailers": {}}
        ended = False
        while not ended:
            data = sock.recv(65536)
            if not data:
                raise ConnectionError("connection closed before the response ended")
            for event in conn.receive_data(data):
                if isinstance(event, h2.events.ResponseReceived):
                    result["headers"] = dict(event.headers)
                elif isinstance(event, h2.events.DataReceived):
                    result["body"] += event.data
                    conn.acknowledge_received_data(event.flow_controlled_length, stream)
                elif isinstance(event, h2.events.TrailersReceived):
                    result["trailers"] = dict(event.headers)
                elif isinstance(event, h2.events.StreamReset):
                    raise ConnectionError(f"stream reset with code {event.error_code}")
                elif isinstance(event, h2.events.StreamEnded):
                    ended = True
            sock.sendall(conn.data_to_send())
        return result


def verify(port: int, grpc: bool, tls: bool = False) -> str:
    """Raises unless the server answers as a healthy gRPC server (or, for nghttpd, with 200 + the
    file); returns a one-line description of what was seen."""
    r = exchange(port, tls=tls)
    status = r["headers"].get(":status")
    if status != "200":
        raise AssertionError(f":status {status}, headers {r['headers']}")
    if r["body"] != SERVING_FRAME:
        raise AssertionError(f"body {r['body'].hex()} is not the SERVING response frame")
    if not grpc:
        return ":status 200, body = SERVING frame (static file)"
    # A Trailers-Only response puts grpc-status in the headers; a normal one in the trailers.
    grpc_status = r["trailers"].get("grpc-status", r["headers"].get("grpc-status"))
    if grpc_status != "0":
        raise AssertionError(f"grpc-status {grpc_status}, trailers {r['trailers']}")
    return ":status 200, grpc-status 0, body = SERVING frame"
