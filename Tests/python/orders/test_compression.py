"""gRPC message compression against the real Orders service: a stock grpcio channel with
`compression=grpc.Compression.Gzip` works for every kind of call, and a hand-made gzip bomb
is refused with RESOURCE_EXHAUSTED (the 1 MiB limit applies after inflating) while the
server goes on serving."""
import gzip

import grpc

from orders.harness import create_request, orders_stub, pb, state_name, system
from support import h2probe
from support.h2probe import H2Probe

RESOURCE_EXHAUSTED = 8


def test_gzip_channel_creates_gets_lists_and_watches(tmp_path):
    orders_pb2, _, _, _ = pb()
    # Enough line items that the request is well over the size compression starts at.
    items = tuple((f"sku-{index:03d}".encode(), 1, 100 + index) for index in range(20))
    with system(tmp_path) as (orders, _):
        channel, stub = orders_stub(orders, compression=grpc.Compression.Gzip)
        with channel:
            order = stub.CreateOrder(create_request(items=items), timeout=10)
            assert len(order.items) == 20 and order.total_cents == sum(100 + index for index in range(20))
            fetched = stub.GetOrder(orders_pb2.GetOrderRequest(id=order.id), timeout=10)
            assert fetched.id == order.id and [item.sku for item in fetched.items] == [sku.decode() for sku, _, _ in items]
            listed = stub.ListOrders(orders_pb2.ListOrdersRequest(page_size=10), timeout=10)
            assert order.id in [each.id for each in listed.orders]
            first = next(iter(stub.WatchOrder(orders_pb2.WatchOrderRequest(id=order.id), timeout=10)))
            assert first.id == order.id and state_name(first).startswith("ORDER_STATE_")
            missing = None
            try:
                stub.GetOrder(orders_pb2.GetOrderRequest(id="00000000-0000-0000-0000-000000000000"), timeout=10)
            except grpc.RpcError as error:
                missing = error.code()
            assert missing in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.UNAUTHENTICATED)


def gzip_bomb(inflated_size: int) -> bytes:
    """`inflated_size` zero bytes, gzipped: about a thousandth of the size."""
    return gzip.compress(bytes(inflated_size), compresslevel=9, mtime=0)


def test_gzip_bomb_is_resource_exhausted_and_the_server_still_serves(tmp_path):
    # 15 MiB once inflated, 15 KiB on the wire: one DATA frame, far under the 1 MiB limit.
    bomb = gzip_bomb(15 << 20)
    assert len(bomb) < 16_000
    with system(tmp_path) as (orders, _):
        with H2Probe(orders.port, timeout=10) as probe:
            probe.handshake()
            probe.send_headers(1, probe.grpc_request("/orderhub.v1.Orders/CreateOrder",
                                                     extra=[("grpc-encoding", "gzip")]))
            probe.send_data(1, h2probe.grpc_frame(bomb, compressed=True), end_stream=True)
            response = probe.read_response(1)
        assert response.grpc_status == RESOURCE_EXHAUSTED, \
            f":status {response.status} grpc-status {response.grpc_status} ({response.grpc_message})"
        assert "after decompression" in (response.grpc_message or "")
        channel, stub = orders_stub(orders, compression=grpc.Compression.Gzip)
        with channel:
            assert stub.CreateOrder(create_request(), timeout=10).id
        assert orders.process.poll() is None
