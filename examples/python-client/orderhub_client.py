#!/usr/bin/env python3
"""Creates an order on a running orderhub with stock grpcio, then prints each state it passes
through until it is final, one line each: `<order id> <state>`.

    python3 orderhub_client.py [--address HOST:PORT] [--token JWT] [--payment-token tok_approve]

The stubs come from the repository's Protos/ at run time (grpcio-tools' protoc, into a
temporary directory), so this file is all there is: `pip install grpcio grpcio-tools`. Only the
customer token is orderhub's own: `orderhub token --customer alice` prints one.

Exits 0 once the order is final, 1 with the status on standard error when a call fails.
"""
import argparse
import importlib
import os
import pathlib
import sys
import tempfile

import grpc
import grpc_tools
from grpc_tools import protoc

PROTOS = pathlib.Path(__file__).resolve().parents[2] / "Protos"


def generate_stubs(out: pathlib.Path):
    """orders_pb2 and orders_pb2_grpc for orderhub/v1/orders.proto (and google/api, which it
    imports), written to `out` and imported from there."""
    well_known = pathlib.Path(grpc_tools.__file__).parent / "_proto"
    args = ["protoc", f"-I{PROTOS}", f"-I{well_known}", f"--python_out={out}", f"--grpc_python_out={out}",
            "orderhub/v1/orders.proto", "google/api/annotations.proto", "google/api/http.proto"]
    if protoc.main(args) != 0:
        raise RuntimeError("protoc failed: " + " ".join(args))
    # No __init__.py: as namespace packages, the generated google.api joins the installed
    # google.protobuf instead of hiding it.
    sys.path.insert(0, str(out))
    return (importlib.import_module("orderhub.v1.orders_pb2"),
            importlib.import_module("orderhub.v1.orders_pb2_grpc"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--address", default=os.environ.get("ORDERHUB_ORDERS_ADDRESS", "127.0.0.1:50051"))
    parser.add_argument("--token", default=os.environ.get("ORDERHUB_TOKEN", ""),
                        help="customer token (ORDERHUB_TOKEN)")
    parser.add_argument("--payment-token", default="tok_approve")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="orderhub-stubs-") as stubs:
        orders_pb2, orders_pb2_grpc = generate_stubs(pathlib.Path(stubs))
        metadata = [("authorization", f"Bearer {options.token}")] if options.token else []
        with grpc.insecure_channel(options.address) as channel:
            orders = orders_pb2_grpc.OrdersStub(channel)
            try:
                order = orders.CreateOrder(orders_pb2.CreateOrderRequest(
                    items=[orders_pb2.LineItem(sku="tea", quantity=2, unit_price_cents=450)],
                    currency="EUR", payment_token=options.payment_token), metadata=metadata, timeout=10)
                print(order.id, orders_pb2.OrderState.Name(order.state), flush=True)
                # The current state, then every change; the stream ends when the order is final.
                for change in orders.WatchOrder(orders_pb2.WatchOrderRequest(id=order.id), metadata=metadata):
                    print(change.id, orders_pb2.OrderState.Name(change.state), flush=True)
            except grpc.RpcError as error:
                print(f"orderhub_client.py: {error.code().name}: {error.details()}", file=sys.stderr)
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
