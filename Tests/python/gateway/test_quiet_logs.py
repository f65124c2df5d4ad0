"""What clients do wrong is not an error of ours: a client that disconnects mid-body, or
sends a malformed chunked body, leaves no `level=error` line in the gateway's log."""
import socket
import time

from support import processes

from .conftest import serve


def test_client_faults_are_not_logged_as_errors(tmp_path):
    port, _, context = serve(tmp_path)
    with context:
        for _ in range(20):
            with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                sock.sendall(b"POST /v1/orders HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                             b"Content-Length: 100\r\n\r\n{\"cust")
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(b"POST /v1/orders HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                         b"Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n")
            assert sock.recv(4096).startswith(b"HTTP/1.1 400")
        # A request after them is still served, so the faults above were handled by now.
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(b"GET /livez HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            assert sock.recv(4096).startswith(b"HTTP/1.1 200")
    log = (tmp_path / "orderhub.log").read_text(errors="replace")
    errors = [line for line in log.splitlines() if "level=error" in line]
    assert not errors, errors
