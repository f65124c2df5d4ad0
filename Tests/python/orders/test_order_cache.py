"""`--order-cache-size` reaches the store: Orders answers recently read orders from memory,
unless the size is 0, when every GetOrder reads the database. Seen by changing a finished
order's row behind Orders' back (Orders itself never writes a cancelled order again): a cached
order keeps its first answer, an uncached one shows the row."""
import sqlite3

import pytest

from orders.harness import create_request, orders_stub, pb, state_name, system, wait_until


@pytest.mark.parametrize("args, currency_seen", [((), "EUR"), (("--order-cache-size", "0"), "USD")],
                         ids=["default cache", "cache off"])
def test_order_cache_size_decides_where_get_order_reads(tmp_path, args, currency_seen):
    orders_pb2 = pb()[0]
    with system(tmp_path, orders_args=args) as (orders, _):
        channel, stub = orders_stub(orders)
        with channel:
            # A declined payment cancels the order, after which Orders never writes it again.
            order = stub.CreateOrder(create_request(token="tok_decline"), timeout=10)

            def cancelled():
                current = stub.GetOrder(orders_pb2.GetOrderRequest(id=order.id), timeout=10)
                return current if state_name(current) == "ORDER_STATE_CANCELLED" else None

            assert wait_until(cancelled, what="the declined order's cancellation").currency == "EUR"
            with sqlite3.connect(tmp_path / "orders.db", timeout=10) as db:
                changed = db.execute("UPDATE orders SET currency = 'USD' WHERE id = ?", (order.id,)).rowcount
            assert changed == 1
            again = stub.GetOrder(orders_pb2.GetOrderRequest(id=order.id), timeout=10)
            assert again.currency == currency_seen
        assert orders.stop() == 0
