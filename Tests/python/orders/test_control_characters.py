"""Ids and SKUs with control characters (a NUL above all, which C strings would cut) are
refused with INVALID_ARGUMENT on both services, and nothing is stored; the services go on
serving."""
import grpc
import pytest

from orders.harness import create_request, orders_stub, pb, system
from orders.test_service_auth import token

TEXTS = ["z\x00y", "a\tb", "new\nline", "del\x7f"]


@pytest.mark.parametrize("text", TEXTS)
def test_orders_refuses_control_characters(tmp_path, text):
    orders_pb2, _, _, _ = pb()
    with system(tmp_path) as (orders, _):
        channel, stub = orders_stub(orders)
        with channel:
            for request, field in ((create_request(customer=text), "customer_id"),
                                   (create_request(items=((text.encode(), 1, 100),)), "items[0].sku"),
                                   (create_request(request_id=text), "request_id")):
                with pytest.raises(grpc.RpcError) as refused:
                    stub.CreateOrder(request, timeout=10)
                assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT, refused.value
                assert field in refused.value.details() and "control characters" in refused.value.details()
            with pytest.raises(grpc.RpcError) as lookup:
                stub.GetOrder(orders_pb2.GetOrderRequest(id=text), timeout=10)
            assert lookup.value.code() == grpc.StatusCode.INVALID_ARGUMENT
            # Nothing was stored, and the service still serves.
            assert not stub.ListOrders(orders_pb2.ListOrdersRequest(), timeout=10).orders
            assert stub.CreateOrder(create_request(), timeout=10).id


def test_payments_refuses_control_characters(tmp_path):
    _, _, payments_pb2, payments_grpc = pb()
    with system(tmp_path) as (_, payments):
        with grpc.insecure_channel(payments.address) as channel:
            stub = payments_grpc.PaymentsStub(channel)
            metadata = [("authorization", f"Bearer {token()}")]
            with pytest.raises(grpc.RpcError) as refused:
                stub.ProcessPayment(payments_pb2.ProcessPaymentRequest(
                    order_id="o\x00rder", amount_cents=5, currency="EUR", payment_token="tok_approve", customer_id="c"),
                    metadata=metadata, timeout=10)
            assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
            assert "order_id" in refused.value.details()
            payment = stub.ProcessPayment(payments_pb2.ProcessPaymentRequest(
                order_id="order-ok", amount_cents=5, currency="EUR", payment_token="tok_approve", customer_id="c"),
                metadata=metadata, timeout=10)
            assert payment.order_id == "order-ok"
