"""The history checker every fault scenario ends with, once the fault has healed.

It reads what the services wrote (Orders' and Payments' databases, SQLite files or PostgreSQL
schemas) and holds it against what the load was told (load.History):

- every acknowledged create is an order, and every order (acknowledged or not) ends final:
  delivered or cancelled;
- one order per idempotency key, and one payment per order (Payments' idempotency key is the
  order id: a charge whose reply was lost and was sent again must not charge twice);
- a delivered order was paid: an approved, unrefunded payment of its total;
- a cancelled order holds no money: its payment is absent, declined or refunded, so an order
  cancelled after confirmation was refunded (once: a payment is refunded at most once, and the
  refund is the whole payment);
- every acknowledged cancel left the order cancelled; an order paid with `tok_decline` never
  delivered; no payment belongs to an order Orders does not know;
- no payment job is left in Orders' job table (nothing stuck).
"""
import dataclasses
import sqlite3
import time

from faults.load import History


@dataclasses.dataclass
class Outcome:
    orders: int
    acknowledged: int
    lost: int
    delivered: int
    cancelled: int
    refunded: int
    settle_seconds: float
    violations: list[str]


class Stores:
    """Reads the two services' tables: SQLite files, or PostgreSQL schemas through `postgres`."""

    def __init__(self, orders_db=None, payments_db=None, postgres=None, orders_schema="orders", payments_schema="payments"):
        self.orders_db, self.payments_db, self.postgres = orders_db, payments_db, postgres
        self.orders_schema, self.payments_schema = orders_schema, payments_schema

    def _sqlite(self, path, sql):
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
        try:
            return [tuple("" if v is None else str(v) for v in row) for row in connection.execute(sql)]
        finally:
            connection.close()

    def orders(self, sql: str):
        if self.postgres:
            return self.postgres.query(sql, schema=self.orders_schema)
        return self._sqlite(self.orders_db, sql)

    def payments(self, sql: str):
        if self.postgres:
            return self.postgres.query(sql, schema=self.payments_schema)
        return self._sqlite(self.payments_db, sql)


def _unsettled(stores: Stores) -> int:
    open_orders = stores.orders("SELECT count(*) FROM orders WHERE state NOT IN ('delivered', 'cancelled')")[0][0]
    jobs = stores.orders("SELECT count(*) FROM payment_jobs")[0][0]
    return int(open_orders) + int(jobs)


def wait_settled(stores: Stores, timeout: float) -> float:
    """Seconds until every order is final and no payment job is left; the bounded wait ends
    with whatever is left, which `check` then reports."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        try:
            if _unsettled(stores) == 0:
                return time.monotonic() - began
        except Exception:  # noqa: BLE001 - the database may be coming back; look again
            pass
        time.sleep(0.25)
    return time.monotonic() - began


def check(history: History, stores: Stores, settle_timeout: float = 60.0) -> Outcome:
    settle = wait_settled(stores, settle_timeout)
    violations: list[str] = []
    orders = {row[0]: row for row in stores.orders(
        "SELECT id, state, coalesce(cancel_reason, ''), coalesce(payment_id, ''), cast(total_cents AS text), coalesce(request_id, '') FROM orders")}
    payments: dict[str, list[tuple]] = {}
    for row in stores.payments("SELECT order_id, id, status, amount_cents, coalesce(cast(refunded_at AS text), '') FROM payments"):
        payments.setdefault(row[0], []).append(row)
    jobs = stores.orders("SELECT order_id, kind, cast(attempts AS text), cast(next_attempt_at AS text) FROM payment_jobs")

    acknowledged = history.acknowledged()
    lost = [c for c in acknowledged.values() if c.order_id not in orders]
    violations += [f"acknowledged order {c.order_id} (key {c.request_id}) is missing" for c in lost[:5]]

    keys: dict[str, str] = {}
    for order_id, (_, state, reason, payment_id, total, request_id) in orders.items():
        if request_id:
            if request_id in keys:
                violations.append(f"key {request_id} made two orders: {keys[request_id]} and {order_id}")
            keys[request_id] = order_id
        if state not in ("delivered", "cancelled"):
            violations.append(f"order {order_id} stuck in {state}")
        paid = payments.get(order_id, [])
        if len(paid) > 1:
            violations.append(f"order {order_id} has {len(paid)} payments")
        payment = paid[0] if paid else None
        if state == "delivered":
            if payment is None or payment[2] != "approved" or payment[1] != payment_id or payment[3] != total:
                violations.append(f"delivered order {order_id} (total {total}, payment {payment_id}) has payment {payment}")
        if state == "cancelled" and payment is not None and payment[2] == "approved":
            violations.append(f"cancelled order {order_id} ({reason}) keeps an approved payment {payment[1]}")
        if reason == "PAYMENT_DECLINED" and (payment is None or payment[2] != "declined"):
            violations.append(f"order {order_id} cancelled as declined, but its payment is {payment}")
    for order_id in payments:
        if order_id not in orders:
            violations.append(f"payment for unknown order {order_id}")
    for call in history.snapshot():
        if call.kind == "cancel" and call.code == "OK" and orders.get(call.order_id, ("", ""))[1] != "cancelled":
            violations.append(f"acknowledged cancel of {call.order_id} but the order is {orders.get(call.order_id)}")
        if call.kind == "create" and call.code == "OK" and call.token == "tok_decline" \
                and orders.get(call.order_id, ("", ""))[1] == "delivered":
            violations.append(f"order {call.order_id} paid with tok_decline was delivered")
    violations += [f"payment job left (now {int(time.time() * 1000)}): {job}" for job in jobs[:5]]
    states = [row[1] for row in orders.values()]
    refunded = sum(1 for paid in payments.values() for p in paid if p[2] == "refunded")
    return Outcome(orders=len(orders), acknowledged=len(acknowledged), lost=len(lost), delivered=states.count("delivered"),
                   cancelled=states.count("cancelled"), refunded=refunded, settle_seconds=round(settle, 1), violations=violations)
