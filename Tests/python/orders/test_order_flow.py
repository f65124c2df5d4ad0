"""The whole order flow through a stock grpcio client against the real orderhub binaries."""
import threading

import grpc
import pytest

from orders.harness import create_request, orders_stub, pb, state_name, system, wait_until


def test_create_watch_confirm_deliver(tmp_path):
    orders_pb2, _, _, _ = pb()
    with system(tmp_path, orders_args=["--delivery-delay", "1"]) as (orders, _):
        channel, stub = orders_stub(orders)
        with channel:
            order = stub.CreateOrder(create_request(), timeout=10)
            assert state_name(order) == "ORDER_STATE_CREATED"
            assert order.total_cents == 1250 + 3 * 99
            assert len(order.id) == 36
            seen = [state_name(update) for update in stub.WatchOrder(orders_pb2.WatchOrderRequest(id=order.id), timeout=30)]
            # The watch starts at the current state: created, or confirmed if Payments was quicker.
            assert seen[-2:] == ["ORDER_STATE_CONFIRMED", "ORDER_STATE_DELIVERED"]
            assert seen[0] in ("ORDER_STATE_CREATED", "ORDER_STATE_CONFIRMED")
            final = stub.GetOrder(orders_pb2.GetOrderRequest(id=order.id), timeout=10)
            assert state_name(final) == "ORDER_STATE_DELIVERED"
            assert final.payment_id and final.deliver_at >= final.created_at + 1000
            assert [item.sku for item in final.items] == ["book", "pen"]


def test_watch_sees_created_confirmed_delivered_when_payments_answers_later(tmp_path):
    orders_pb2, _, _, _ = pb()
    with system(tmp_path, orders_args=["--delivery-delay", "1"], start_payments=False) as (orders, payments):
        channel, stub = orders_stub(orders)
        with channel:
            order = stub.CreateOrder(create_request(), timeout=10)
            seen = []
            stream = stub.WatchOrder(orders_pb2.WatchOrderRequest(id=order.id), timeout=60)
            first = next(stream)
            seen.append(state_name(first))
            payments.start()
            seen += [state_name(update) for update in stream]
            assert seen == ["ORDER_STATE_CREATED", "ORDER_STATE_CONFIRMED", "ORDER_STATE_DELIVERED"]


def test_decline_cancel_and_refund(tmp_path):
    orders_pb2, _, _, _ = pb()
    with system(tmp_path, orders_args=["--delivery-delay", "30"]) as (orders, payments):
        channel, stub = orders_stub(orders)
        with channel:
            declined = stub.CreateOrder(create_request(token="tok_decline"), timeout=10)
            approved = stub.CreateOrder(create_request(token="tok_approve"), timeout=10)
            get = lambda order_id: stub.GetOrder(orders_pb2.GetOrderRequest(id=order_id), timeout=10)
            wait_until(lambda: state_name(get(declined.id)) == "ORDER_STATE_CANCELLED", what="decline")
            assert orders_pb2.CancelReason.Name(get(declined.id).cancel_reason) == "CANCEL_REASON_PAYMENT_DECLINED"
            # Payments answered (with a declined payment), so the order names that payment.
            assert get(declined.id).payment_id != ""
            wait_until(lambda: state_name(get(approved.id)) == "ORDER_STATE_CONFIRMED", what="confirm")
            cancelled = stub.CancelOrder(orders_pb2.CancelOrderRequest(id=approved.id), timeout=10)
            assert state_name(cancelled) == "ORDER_STATE_CANCELLED"
            assert orders_pb2.CancelReason.Name(cancelled.cancel_reason) == "CANCEL_REASON_USER_REQUESTED"
            # Idempotent: the same order back.
            assert stub.CancelOrder(orders_pb2.CancelOrderRequest(id=approved.id), timeout=10) == cancelled
            wait_until(lambda: "payment refunded" in orders.logs(), what="refund")


def test_errors_have_their_codes(tmp_path):
    orders_pb2, _, _, _ = pb()
    with system(tmp_path, orders_args=["--delivery-delay", "1"]) as (orders, _):
        channel, stub = orders_stub(orders)
        with channel:
            with pytest.raises(grpc.RpcError) as bad:
                stub.CreateOrder(create_request(items=((b"book", 0, 100),)), timeout=10)
            assert bad.value.code() == grpc.StatusCode.INVALID_ARGUMENT
            assert "items[0].quantity" in bad.value.details()
            with pytest.raises(grpc.RpcError) as currency:
                stub.CreateOrder(orders_pb2.CreateOrderRequest(customer_id="c", currency="euro", payment_token="tok_approve",
                                                               items=[orders_pb2.LineItem(sku="s", quantity=1)]), timeout=10)
            assert currency.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "currency" in currency.value.details()
            with pytest.raises(grpc.RpcError) as missing:
                stub.GetOrder(orders_pb2.GetOrderRequest(id="no-such-order"), timeout=10)
            assert missing.value.code() == grpc.StatusCode.NOT_FOUND
            order = stub.CreateOrder(create_request(), timeout=10)
            wait_until(lambda: state_name(stub.GetOrder(orders_pb2.GetOrderRequest(id=order.id), timeout=10)) == "ORDER_STATE_DELIVERED")
            with pytest.raises(grpc.RpcError) as delivered:
                stub.CancelOrder(orders_pb2.CancelOrderRequest(id=order.id), timeout=10)
            assert delivered.value.code() == grpc.StatusCode.FAILED_PRECONDITION


def test_idempotent_create(tmp_path):
    with system(tmp_path) as (orders, _):
        channel, stub = orders_stub(orders)
        with channel:
            first = stub.CreateOrder(create_request(request_id="req-42"), timeout=10)
            again = stub.CreateOrder(create_request(request_id="req-42"), timeout=10)
            assert again.id == first.id and again.request_id == "req-42"
            with pytest.raises(grpc.RpcError) as reused:
                stub.CreateOrder(create_request(request_id="req-42", token="tok_decline"), timeout=10)
            assert reused.value.code() == grpc.StatusCode.ALREADY_EXISTS
            # Keys belong to the order's customer: another customer's order with the same key
            # is a new order, neither finding nor blocked by alice's.
            other = stub.CreateOrder(create_request(request_id="req-42", customer="mallory"), timeout=10)
            assert other.id != first.id and other.customer_id == "mallory"


def test_concurrent_idempotent_creates_make_one_order(tmp_path):
    with system(tmp_path) as (orders, _):
        channel, stub = orders_stub(orders)
        with channel:
            ids, errors = [], []

            def create():
                try:
                    ids.append(stub.CreateOrder(create_request(request_id="same-key"), timeout=10).id)
                except grpc.RpcError as error:
                    errors.append(error)

            threads = [threading.Thread(target=create) for _ in range(16)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert not errors and len(ids) == 16 and len(set(ids)) == 1


def test_list_orders_pages_filters(tmp_path):
    orders_pb2, _, _, _ = pb()
    with system(tmp_path, start_payments=False) as (orders, _):
        channel, stub = orders_stub(orders)
        with channel:
            created = [stub.CreateOrder(create_request(customer="alice" if i % 3 else "bob"), timeout=10).id for i in range(25)]
            stub.CancelOrder(orders_pb2.CancelOrderRequest(id=created[0]), timeout=10)
            listed, token = [], ""
            while True:
                page = stub.ListOrders(orders_pb2.ListOrdersRequest(page_size=10, page_token=token), timeout=10)
                listed += [order.id for order in page.orders]
                # A new order between pages must not shift the pages.
                stub.CreateOrder(create_request(customer="carol"), timeout=10)
                token = page.next_page_token
                if not token:
                    break
            assert listed == sorted(created, reverse=True)  # UUIDv7: newest first is descending id here
            default = stub.ListOrders(orders_pb2.ListOrdersRequest(), timeout=10)
            assert len(default.orders) == 20
            cancelled = stub.ListOrders(orders_pb2.ListOrdersRequest(state=orders_pb2.ORDER_STATE_CANCELLED), timeout=10)
            assert [order.id for order in cancelled.orders] == [created[0]]
            bob = stub.ListOrders(orders_pb2.ListOrdersRequest(customer_id="bob", page_size=100), timeout=10)
            assert {order.id for order in bob.orders} == {created[i] for i in range(25) if i % 3 == 0}
            with pytest.raises(grpc.RpcError) as bad_token:
                stub.ListOrders(orders_pb2.ListOrdersRequest(page_token="not-a-token"), timeout=10)
            assert bad_token.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_sigterm_drains_and_exits_zero(tmp_path):
    with system(tmp_path) as (orders, payments):
        channel, stub = orders_stub(orders)
        with channel:
            stub.CreateOrder(create_request(), timeout=10)
        assert orders.stop() == 0
        assert payments.stop() == 0
        assert "orders stopped" in orders.logs()


def test_sigterm_with_an_open_watch_ends_it_and_exits_promptly(tmp_path):
    orders_pb2, _, _, _ = pb()
    with system(tmp_path, start_payments=False) as (orders, _):
        channel, stub = orders_stub(orders)
        with channel:
            order = stub.CreateOrder(create_request(), timeout=10)
            stream = stub.WatchOrder(orders_pb2.WatchOrderRequest(id=order.id), timeout=60)
            assert state_name(next(stream)) == "ORDER_STATE_CREATED"
            import signal
            import time
            started = time.monotonic()
            orders.process.send_signal(signal.SIGTERM)
            with pytest.raises(grpc.RpcError) as ended:
                next(stream)
            assert ended.value.code() == grpc.StatusCode.UNAVAILABLE
            assert orders.process.wait(timeout=20) == 0
            # Well inside the 30 s drain period: the open watch did not hold it.
            assert time.monotonic() - started < 15
