"""Stock grpcio-health-checking client (`grpc_health.v1`) against a server, one action per run.

It runs as its own process because PyPI's grpc_health.v1 and the stubs generated from our
Protos/grpc/health/v1/health.proto define the same protobuf symbols and cannot share one
descriptor pool.

    python grpc_health_probe.py --port N check SERVICE        -> prints SERVING / NOT_FOUND / …
    python grpc_health_probe.py --port N watch SERVICE COUNT  -> prints the first COUNT statuses
"""
import argparse
import sys

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("action", choices=("check", "watch"))
    parser.add_argument("service")
    parser.add_argument("count", type=int, nargs="?", default=1)
    args = parser.parse_args()
    with grpc.insecure_channel(f"127.0.0.1:{args.port}") as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        request = health_pb2.HealthCheckRequest(service=args.service)
        try:
            if args.action == "check":
                response = stub.Check(request, timeout=10)
                print(health_pb2.HealthCheckResponse.ServingStatus.Name(response.status), flush=True)
            else:
                responses = stub.Watch(request, timeout=20)
                for index, response in enumerate(responses):
                    print(health_pb2.HealthCheckResponse.ServingStatus.Name(response.status), flush=True)
                    if index + 1 == args.count:
                        responses.cancel()
                        break
        except grpc.RpcError as error:
            if error.code() == grpc.StatusCode.CANCELLED and args.action == "watch":
                return 0
            print(error.code().name, flush=True)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
