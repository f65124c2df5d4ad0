"""Benchmark peer: a stock Python grpcio server with grpcio-health-checking.

Usage: python3 health_server.py PORT

The synchronous grpcio server with a 4-thread pool and the package's HealthServicer ("" reports
SERVING). Measured pinned to one core, this beat the asyncio server (grpc.aio + health.aio) by
about 30% at both load shapes, so it is the shape a user would pick; more threads did not help.
SIGTERM stops the server at once.
"""
import signal
import sys
from concurrent import futures

import grpc
from grpc_health.v1 import health, health_pb2_grpc

WORKERS = 4


def main(port: int) -> None:
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=WORKERS))
    health_pb2_grpc.add_HealthServicer_to_server(health.HealthServicer(), server)
    server.add_insecure_port(f"127.0.0.1:{port}")
    signal.signal(signal.SIGTERM, lambda *_: server.stop(0))
    server.start()
    print(f"listening on 127.0.0.1:{port}", flush=True)
    server.wait_for_termination()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: health_server.py PORT")
    main(int(sys.argv[1]))
