"""The servers raise their soft open-file limit to the hard limit: every connection is a file
descriptor, and a soft limit of 1024 (the usual default for shells and containers) would run out
before the default limit of 1000 connections does."""
import resource
import socket
import subprocess

import grpc

from orders.harness import SECRET
from support import processes


def test_payments_raises_its_soft_open_file_limit_and_serves_past_the_old_one(tmp_path):
    soft, hard = 256, 4096
    if resource.getrlimit(resource.RLIMIT_NOFILE)[1] < hard:
        hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    port = processes.free_port()
    log = open(tmp_path / "payments.log", "wb")
    process = subprocess.Popen(
        [str(processes.bin_path("orderhub")), "payments", "--listen", f"127.0.0.1:{port}", "--db", f"sqlite:{tmp_path / 'p.db'}"],
        env={"ORDERHUB_SERVICE_SECRET": SECRET, "PATH": "/usr/bin:/bin"}, stdout=log, stderr=subprocess.STDOUT,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard)))
    sockets = []
    try:
        processes.wait_for_port(port, process=process)
        limits = open(f"/proc/{process.pid}/limits").read()
        line = next(line for line in limits.splitlines() if line.startswith("Max open files"))
        assert line.split()[3:5] == [str(hard), str(hard)], line
        # More connections than the soft limit it was started with, all open at once.
        for _ in range(soft + 100):
            connection = socket.create_connection(("127.0.0.1", port), timeout=10)
            connection.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + b"\x00\x00\x00\x04\x00\x00\x00\x00\x00")
            sockets.append(connection)
        # Raw bytes: health.proto must not be registered twice in one Python process.
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            assert channel.unary_unary("/grpc.health.v1.Health/Check")(b"", timeout=10) == b"\x08\x01"  # SERVING
        assert process.poll() is None
    finally:
        for connection in sockets:
            connection.close()
        process.kill()
        process.wait()
        log.close()
