"""The order feed (WatchOrders) through a stock grpcio client against the real services on
SQLite: cursor errors, ownership and filters, and a consumer that stops reading being cut with
RESOURCE_EXHAUSTED, resuming with nothing lost, while the server's memory stays bounded."""
import queue
import threading
import time

import grpc
import pytest

from orders.harness import create_request, orders_stub, pb, state_name, system, wait_until
from support import user_tokens


def feed(stub, after="", states=(), customer="", metadata=None, timeout=None):
    orders_pb2, _, _, _ = pb()
    request = orders_pb2.WatchOrdersRequest(after_cursor=after, states=list(states), customer_id=customer)
    return stub.WatchOrders(request, metadata=metadata, timeout=timeout)


class Reader:
    """Reads a feed call on a thread into a queue: events, then the call's error (or None)."""

    def __init__(self, call):
        self.call, self.events = call, queue.Queue()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        try:
            for event in self.call:
                self.events.put(event)
            self.events.put(None)
        except grpc.RpcError as error:
            self.events.put(error)

    def take(self, count, timeout=60):
        got = []
        deadline = time.monotonic() + timeout
        while len(got) < count:
            item = self.events.get(timeout=max(0.1, deadline - time.monotonic()))
            assert not isinstance(item, grpc.RpcError) and item is not None, f"the feed ended after {len(got)} events: {item}"
            got.append(item)
        return got


def first_cursor(stub):
    """A cursor at the feed's current end: the cursor of a marker order's creation event."""
    reader = Reader(feed(stub))
    time.sleep(0.3)  # not an assertion: the marker below must come after the subscription
    stub.CreateOrder(create_request(customer="marker", token="tok_decline"), timeout=10)
    event = next(e for e in iter(lambda: reader.take(1)[0], None) if e.order.customer_id == "marker")
    reader.call.cancel()
    return event.cursor


def test_garbage_cursor_is_invalid_argument_and_pruned_is_out_of_range(tmp_path):
    with system(tmp_path, orders_args=["--event-retention", "1", "--retention-sweep-interval", "0.3"]) as (orders, _):
        channel, stub = orders_stub(orders)
        with channel:
            for garbage in ("nonsense", "AAAAAAAAAAAA", "AQAAAAAAAAAA9"):
                with pytest.raises(grpc.RpcError) as raised:
                    list(feed(stub, after=garbage, timeout=10))
                assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT, raised.value.details()
                assert "after_cursor" in raised.value.details()
            cursor = first_cursor(stub)
            stub.CreateOrder(create_request(token="tok_decline"), timeout=10)

            def out_of_range():
                try:
                    next(iter(feed(stub, after=cursor, timeout=2)))
                except grpc.RpcError as error:
                    if error.code() == grpc.StatusCode.OUT_OF_RANGE:
                        return error
                    assert error.code() == grpc.StatusCode.DEADLINE_EXCEEDED, error
                return None
            error = wait_until(out_of_range, timeout=60, what="OUT_OF_RANGE once the events after the cursor are pruned")
            assert "no longer retained" in error.details()
            # Still serving: a fresh feed works.
            reader = Reader(feed(stub))
            time.sleep(0.3)
            order = stub.CreateOrder(create_request(customer="after"), timeout=10)
            assert any(e.order.id == order.id for e in reader.take(1, timeout=30))
            reader.call.cancel()


def test_customer_sees_own_orders_admin_filters_by_customer_and_state(tmp_path):
    orders_pb2, _, _, _ = pb()
    with system(tmp_path, start_payments=False) as (orders, _):
        channel, stub = orders_stub(orders)
        with channel:
            cursor = first_cursor(stub)
            alice = stub.CreateOrder(create_request(customer="alice"), timeout=10)
            bob = stub.CreateOrder(create_request(customer="bob"), timeout=10)
            stub.CancelOrder(orders_pb2.CancelOrderRequest(id=bob.id), timeout=10)
            carol = stub.CreateOrder(create_request(customer="carol"), timeout=10)
            admin = Reader(feed(stub, after=cursor))
            assert [(e.order.id, state_name(e.order)) for e in admin.take(4)] == [
                (alice.id, "ORDER_STATE_CREATED"), (bob.id, "ORDER_STATE_CREATED"),
                (bob.id, "ORDER_STATE_CANCELLED"), (carol.id, "ORDER_STATE_CREATED")]
            admin.call.cancel()
            as_bob = Reader(feed(stub, after=cursor, metadata=user_tokens.metadata(user_tokens.token("bob"))))
            assert [e.order.id for e in as_bob.take(2)] == [bob.id, bob.id]
            assert as_bob.events.empty()
            as_bob.call.cancel()
            with pytest.raises(grpc.RpcError) as raised:
                list(feed(stub, after=cursor, customer="alice", metadata=user_tokens.metadata(user_tokens.token("bob")), timeout=10))
            assert raised.value.code() == grpc.StatusCode.PERMISSION_DENIED
            by_customer = Reader(feed(stub, after=cursor, customer="carol"))
            assert [e.order.id for e in by_customer.take(1)] == [carol.id]
            by_customer.call.cancel()
            cancelled = Reader(feed(stub, after=cursor, states=[orders_pb2.ORDER_STATE_CANCELLED]))
            assert [e.order.id for e in cancelled.take(1)] == [bob.id]
            cancelled.call.cancel()


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def test_stalled_consumer_is_cut_resumes_without_loss_and_memory_stays_bounded(tmp_path):
    # A small buffer, and no BDP probing so grpcio's flow-control window stays at 64 KiB: with
    # the server's own 64 KiB of queued output, about a thousand events fill everything.
    with system(tmp_path, start_payments=False, orders_args=["--feed-buffer", "16"]) as (orders, _):
        channel = grpc.intercept_channel(grpc.insecure_channel(orders.address, options=[("grpc.http2.bdp_probe", 0)]),
                                         user_tokens._Authorization(user_tokens.admin_token()))
        with channel:
            _, orders_grpc, _, _ = pb()
            stub = orders_grpc.OrdersStub(channel)
            cursor = first_cursor(stub)
            baseline = rss_bytes(orders.process.pid)
            stalled = [iter(feed(stub, after=cursor)) for _ in range(3)]
            created = [stub.CreateOrder(create_request(customer="first"), timeout=10).id]
            first = [next(call) for call in stalled]  # then nobody reads
            assert {event.order.id for event in first} == {created[0]}
            for batch in range(30):
                futures = [stub.CreateOrder.future(create_request(customer=f"c{batch % 7}"), timeout=30) for _ in range(100)]
                created += [future.result().id for future in futures]
            # The server is still serving, and its memory did not grow with the stalled streams'
            # backlog (the margin is generous: the orders themselves take some).
            grown = rss_bytes(orders.process.pid) - baseline
            assert grown < 96 * 1024 * 1024, f"RSS grew by {grown} bytes"
            for call in stalled:
                with pytest.raises(grpc.RpcError) as raised:
                    for _ in call:
                        pass
                assert raised.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, raised.value
            # Resume the first consumer from its last cursor: every later order, once.
            reader = Reader(feed(stub, after=first[0].cursor))
            got = [e.order.id for e in reader.take(len(created) - 1)]
            assert sorted(got) == sorted(created[1:])
            reader.call.cancel()
