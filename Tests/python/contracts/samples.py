"""The sample messages of Tests/ContractsProbe/Samples.swift, built again in Python.

Both sides spell out the same values independently; the tests check that each side reads the
other's bytes as these values.
"""
import importlib.util

from support import stubs


def _load(kind: str, relative_path: str, name: str):
    """A generated module by file, so `grpc/...` stubs never shadow the grpcio package."""
    spec = importlib.util.spec_from_file_location(name, stubs.generate(kind) / relative_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


orders = stubs.load("orderhub.v1.orders_pb2")
payments = stubs.load("orderhub.v1.payments_pb2")
health = _load("contracts", "grpc/health/v1/health_pb2.py", "orderhub_test_health_pb2")
messages = _load("interop", "grpc/testing/messages_pb2.py", "orderhub_test_interop_messages_pb2")

INT32_MAX, INT32_MIN = 2**31 - 1, -(2**31)
INT64_MAX, INT64_MIN = 2**63 - 1, -(2**63)

# Fully qualified name → Python class, for the probe's `decode TYPE HEX`.
TYPES = {
    cls.DESCRIPTOR.full_name: cls
    for cls in [
        orders.LineItem, orders.Order, orders.CreateOrderRequest, orders.GetOrderRequest, orders.CancelOrderRequest,
        orders.ListOrdersRequest, orders.ListOrdersResponse, orders.WatchOrderRequest,
        payments.Payment, payments.ProcessPaymentRequest, payments.RefundPaymentRequest, payments.GetPaymentRequest,
        health.HealthCheckRequest, health.HealthCheckResponse,
        messages.SimpleRequest, messages.SimpleResponse, messages.StreamingOutputCallRequest,
    ]
}


def _items(*triples):
    return [orders.LineItem(sku=s, quantity=q, unit_price_cents=p) for s, q, p in triples]


SAMPLES = {
    "order_empty": orders.Order(),
    "order_full": orders.Order(
        id="0b7c7f4e-2f7e-4a51-9a55-6f0d1c6f1d2a", state=orders.ORDER_STATE_CONFIRMED, customer_id="customer-42",
        items=_items(("sku-1", 2, 1999), ("sku-2", 1, 0)),
        total_cents=3998, currency="EUR", cancel_reason=orders.CANCEL_REASON_UNSPECIFIED, payment_id="pay-7",
        created_at=1_700_000_000_000, updated_at=1_700_000_000_500, deliver_at=1_700_000_005_500, request_id="req-1"),
    "order_unicode": orders.Order(
        id="Grüße 日本 😀 𝄞", customer_id="🇩🇪🇯🇵", items=[orders.LineItem(sku="ümlaut-ß")], currency="€",
        payment_id="\ufeffbom", request_id="\U0010ffff"),
    "order_nul": orders.Order(
        id="a\x00b", customer_id="\x00", items=[orders.LineItem(sku="x\x00y", quantity=1)], currency="EUR"),
    "order_limits": orders.Order(
        state=99,
        items=_items(("max", INT32_MAX, INT64_MAX), ("min", INT32_MIN, INT64_MIN), ("minus-one", -1, -1)),
        total_cents=INT64_MIN, cancel_reason=-7, created_at=INT64_MAX, updated_at=-1),
    "order_cancelled": orders.Order(
        id="o-1", state=orders.ORDER_STATE_CANCELLED, cancel_reason=orders.CANCEL_REASON_PAYMENT_DECLINED),
    "order_many_items": orders.Order(
        id="many", items=_items(*[(f"sku-{i}", i % 9, i * 250) for i in range(1000)])),
    "create_order_request": orders.CreateOrderRequest(
        customer_id="customer-42", items=_items(("sku-1", 3, 500)), currency="USD",
        payment_token="tok_approve", request_id="3f2b1d4e-idem"),
    "list_orders_request": orders.ListOrdersRequest(
        page_size=50, page_token="cursor==", state=orders.ORDER_STATE_DELIVERED, customer_id="c-9"),
    "list_orders_response": orders.ListOrdersResponse(
        orders=[orders.Order(id="o-1", state=orders.ORDER_STATE_CREATED),
                orders.Order(id="o-2", state=orders.ORDER_STATE_DELIVERED, items=[orders.LineItem(sku="s")])],
        next_page_token="next"),
    "payment_declined": payments.Payment(
        id="pay-1", order_id="o-1", status=payments.PAYMENT_STATUS_DECLINED, amount_cents=12_345, currency="EUR",
        decline_reason="insufficient funds", created_at=1, updated_at=2),
    "refund_payment_request": payments.RefundPaymentRequest(payment_id="pay-1", reason="user cancel"),
    "health_serving": health.HealthCheckResponse(status=health.HealthCheckResponse.SERVING),
    "health_service_unknown": health.HealthCheckResponse(status=health.HealthCheckResponse.SERVICE_UNKNOWN),
    "simple_request": messages.SimpleRequest(
        response_type=messages.COMPRESSABLE, response_size=314_159,
        payload=messages.Payload(body=bytes([0, 1, 2, 0xFE, 0xFF])), fill_username=True,
        response_compressed=messages.BoolValue(value=False),
        response_status=messages.EchoStatus(
            code=2, message="\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n")),
    "streaming_output_call_request": messages.StreamingOutputCallRequest(
        response_parameters=[messages.ResponseParameters(size=s) for s in (31415, 9, 2653, 58979)],
        payload=messages.Payload(body=b"")),
}
