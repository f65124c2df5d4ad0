"""Payments accepts only calls carrying a valid service token (HS256 JWT from the shared
secret, issuer orderhub-orders, audience orderhub-payments, not expired)."""
import time

import grpc
import jwt
import pytest

from orders.harness import SECRET, Service, pb


@pytest.fixture
def payments(tmp_path):
    from support import processes

    service = Service("payments", tmp_path, processes.free_port()).start()
    yield service
    service.stop()


def token(secret=SECRET, iss="orderhub-orders", aud="orderhub-payments", exp_in=60, algorithm="HS256"):
    now = int(time.time())
    return jwt.encode({"iss": iss, "aud": aud, "iat": now, "exp": now + exp_in}, secret, algorithm=algorithm)


def call(payments, metadata):
    _, _, payments_pb2, payments_grpc = pb()
    with grpc.insecure_channel(payments.address) as channel:
        stub = payments_grpc.PaymentsStub(channel)
        return stub.ProcessPayment(
            payments_pb2.ProcessPaymentRequest(order_id="order-1", amount_cents=500, currency="EUR",
                                               payment_token="tok_approve", customer_id="c"),
            metadata=metadata, timeout=10)


def code_of(payments, metadata):
    try:
        call(payments, metadata)
        return grpc.StatusCode.OK
    except grpc.RpcError as error:
        return error.code()


def test_valid_token_is_accepted(payments):
    payment = call(payments, [("authorization", f"Bearer {token()}")])
    _, _, payments_pb2, _ = pb()
    assert payments_pb2.PaymentStatus.Name(payment.status) == "PAYMENT_STATUS_APPROVED"


def test_token_without_issued_at_is_accepted(payments):
    # `iat` is optional in RFC 7519 and many JWT libraries leave it out unless asked.
    bare = jwt.encode({"iss": "orderhub-orders", "aud": "orderhub-payments", "exp": int(time.time()) + 60},
                      SECRET, algorithm="HS256")
    assert code_of(payments, [("authorization", f"Bearer {bare}")]) == grpc.StatusCode.OK


def test_missing_token(payments):
    assert code_of(payments, []) == grpc.StatusCode.UNAUTHENTICATED


def test_bad_signature(payments):
    assert code_of(payments, [("authorization", f"Bearer {token(secret='not-the-shared-secret-000000000000')}")]) \
        == grpc.StatusCode.UNAUTHENTICATED


def test_expired_token(payments):
    assert code_of(payments, [("authorization", f"Bearer {token(exp_in=-30)}")]) == grpc.StatusCode.UNAUTHENTICATED


def test_wrong_audience_issuer_or_algorithm(payments):
    assert code_of(payments, [("authorization", f"Bearer {token(aud='orderhub-gateway')}")]) == grpc.StatusCode.UNAUTHENTICATED
    assert code_of(payments, [("authorization", f"Bearer {token(iss='someone')}")]) == grpc.StatusCode.UNAUTHENTICATED
    assert code_of(payments, [("authorization", f"Bearer {token(algorithm='HS512')}")]) == grpc.StatusCode.UNAUTHENTICATED
    unsigned = jwt.encode({"iss": "orderhub-orders", "aud": "orderhub-payments", "exp": int(time.time()) + 60}, None, algorithm="none")
    assert code_of(payments, [("authorization", f"Bearer {unsigned}")]) == grpc.StatusCode.UNAUTHENTICATED
    assert code_of(payments, [("authorization", token())]) == grpc.StatusCode.UNAUTHENTICATED


def test_refund_and_get_need_a_token_too(payments):
    _, _, payments_pb2, payments_grpc = pb()
    with grpc.insecure_channel(payments.address) as channel:
        stub = payments_grpc.PaymentsStub(channel)
        for method, request in ((stub.RefundPayment, payments_pb2.RefundPaymentRequest(order_id="order-1")),
                                (stub.GetPayment, payments_pb2.GetPaymentRequest(order_id="order-1"))):
            with pytest.raises(grpc.RpcError) as error:
                method(request, timeout=10)
            assert error.value.code() == grpc.StatusCode.UNAUTHENTICATED


def test_health_needs_no_token(payments):
    # Raw bytes: grpcio-health-checking's health_pb2 and the stubs generated from Protos/ both
    # register grpc/health/v1/health.proto, so neither is imported here.
    with grpc.insecure_channel(payments.address) as channel:
        check = channel.unary_unary("/grpc.health.v1.Health/Check")
        for service in (b"", b"orderhub.v1.Payments"):
            request = (b"\x0a" + bytes([len(service)]) + service) if service else b""
            answer = check(request, timeout=10)
            assert answer == b"\x08\x01", answer  # status: SERVING


def health_status(service, name: bytes) -> bytes:
    """grpc.health.v1 Check for `name`, as raw bytes (see test_health_needs_no_token)."""
    with grpc.insecure_channel(service.address) as channel:
        check = channel.unary_unary("/grpc.health.v1.Health/Check")
        return check((b"\x0a" + bytes([len(name)]) + name) if name else b"", timeout=10)


SERVING, NOT_SERVING = b"\x08\x01", b"\x08\x02"


def test_orders_with_a_wrong_secret_keeps_the_order_and_retries_until_fixed(tmp_path):
    """A wrong service secret is a deployment fault, not the customer's payment being declined:
    the order waits in CREATED while Orders retries (logging an error) and reports itself not
    ready (liveness stays SERVING), and is confirmed, and ready, once Orders runs with the
    right secret."""
    from orders.harness import create_request, orders_stub, state_name, system, wait_until

    with system(tmp_path) as (orders, payments):
        orders.stop()
        orders.env["ORDERHUB_SERVICE_SECRET"] = "a-different-secret-than-payments-0123456789"
        orders.start()
        channel, stub = orders_stub(orders)
        with channel:
            order = stub.CreateOrder(create_request(token="tok_approve"), timeout=10)
            wait_until(lambda: orders.logs().count("Payments refused the call") >= 2, timeout=30,
                       what="Orders logging the refused service token twice")
            assert state_name(stub.GetOrder(pb()[0].GetOrderRequest(id=order.id), timeout=10)) == "ORDER_STATE_CREATED"
            assert health_status(orders, b"orderhub.v1.Orders") == NOT_SERVING
            assert health_status(orders, b"") == SERVING
            assert "NOT_SERVING until a call succeeds" in orders.logs()
        orders.stop()
        orders.env["ORDERHUB_SERVICE_SECRET"] = SECRET
        orders.start()
        channel, stub = orders_stub(orders)
        with channel:
            wait_until(lambda: state_name(stub.GetOrder(pb()[0].GetOrderRequest(id=order.id), timeout=10))
                       in ("ORDER_STATE_CONFIRMED", "ORDER_STATE_DELIVERED"),
                       timeout=60, what="the order confirmed once the secret is right")
            assert health_status(orders, b"orderhub.v1.Orders") == SERVING


def test_a_replayed_refund_is_logged_as_already_refunded(payments):
    """RefundPayment is idempotent; a retry returns the first refund and its log line says so
    instead of claiming a second refund."""
    _, _, payments_pb2, payments_grpc = pb()
    metadata = [("authorization", f"Bearer {token()}")]
    with grpc.insecure_channel(payments.address) as channel:
        stub = payments_grpc.PaymentsStub(channel)
        stub.ProcessPayment(payments_pb2.ProcessPaymentRequest(
            order_id="order-r", amount_cents=500, currency="EUR", payment_token="tok_approve", customer_id="c"),
            metadata=metadata, timeout=10)
        first = stub.RefundPayment(payments_pb2.RefundPaymentRequest(order_id="order-r", reason="USER_REQUESTED"),
                                   metadata=metadata, timeout=10)
        again = stub.RefundPayment(payments_pb2.RefundPaymentRequest(order_id="order-r", reason="retry"),
                                   metadata=metadata, timeout=10)
    assert first == again
    from orders.harness import wait_until
    wait_until(lambda: "payment already refunded" in payments.logs(), timeout=10, what="the replay's log line")
    assert payments.logs().count("payment refunded") == 1, payments.logs()
