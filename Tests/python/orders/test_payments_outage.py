"""Orders keeps accepting orders while Payments is away: they wait in `created`, then resolve
when Payments is back; if it never comes back they are cancelled with PAYMENT_TIMEOUT."""
import time

from orders.harness import create_request, orders_stub, pb, state_name, system, wait_until


def test_payments_down_for_a_while_then_back(tmp_path):
    orders_pb2, _, _, _ = pb()
    with system(tmp_path, orders_args=["--delivery-delay", "1", "--payment-timeout", "120"], start_payments=False) as (orders, payments):
        channel, stub = orders_stub(orders)
        with channel:
            tokens = ["tok_approve", "tok_decline"] * 5
            created = [stub.CreateOrder(create_request(token=token), timeout=10) for token in tokens]
            # Retries run meanwhile; nothing moves without Payments.
            wait_until(lambda: orders.logs().count("payment call failed; retrying") >= 20, what="retries", timeout=30)
            states = {state_name(stub.GetOrder(orders_pb2.GetOrderRequest(id=o.id), timeout=10)) for o in created}
            assert states == {"ORDER_STATE_CREATED"}
            payments.start()

            def settled():
                finals = [stub.GetOrder(orders_pb2.GetOrderRequest(id=o.id), timeout=10) for o in created]
                return finals if all(state_name(f) in ("ORDER_STATE_DELIVERED", "ORDER_STATE_CANCELLED") for f in finals) else None

            finals = wait_until(settled, what="every order final", timeout=60)
            for token, final in zip(tokens, finals):
                if token == "tok_approve":
                    assert state_name(final) == "ORDER_STATE_DELIVERED"
                else:
                    assert orders_pb2.CancelReason.Name(final.cancel_reason) == "CANCEL_REASON_PAYMENT_DECLINED"


def test_payments_never_up_cancels_with_payment_timeout(tmp_path):
    orders_pb2, _, _, _ = pb()
    with system(tmp_path, orders_args=["--payment-timeout", "2"], start_payments=False) as (orders, _):
        channel, stub = orders_stub(orders)
        with channel:
            started = time.time() * 1000
            created = [stub.CreateOrder(create_request(), timeout=10) for _ in range(3)]
            for order in created:
                final = wait_until(
                    lambda: (lambda o: o if state_name(o) == "ORDER_STATE_CANCELLED" else None)(
                        stub.GetOrder(orders_pb2.GetOrderRequest(id=order.id), timeout=10)),
                    what="timeout", timeout=30)
                assert orders_pb2.CancelReason.Name(final.cancel_reason) == "CANCEL_REASON_PAYMENT_TIMEOUT"
                assert final.updated_at >= started + 2000
