"""The order feed across Orders replicas on PostgreSQL: a consumer reads the feed from replica
0 while orders are created on both replicas and move on; replica 0 is killed with SIGKILL; the
consumer reconnects to replica 1 with its last cursor. At the end, what the consumer got is
exactly the feed as replica 1 reads it from the same starting point: every change of every
order, once, in the same (commit) order, with nothing missed across the kill."""
import threading
import time

import grpc

from orders.harness import create_request, pb, wait_until
from scale import postgres
from scale.test_replicas import FINAL, client_loop, History, replicas
from support import user_tokens


def read_feed(address, after, got, stop, errors):
    """Appends (cursor, order id, version, state) until `stop` or the call fails."""
    orders_pb2, orders_grpc, _, _ = pb()
    with user_tokens.channel(address) as channel:
        call = orders_grpc.OrdersStub(channel).WatchOrders(orders_pb2.WatchOrdersRequest(after_cursor=after))
        stopper = threading.Thread(target=lambda: (stop.wait(), call.cancel()), daemon=True)
        stopper.start()
        try:
            for event in call:
                got.append((event.cursor, event.order.id, event.order.updated_at, orders_pb2.OrderState.Name(event.order.state)))
        except grpc.RpcError as error:
            errors.append(error)


def test_feed_consumer_moves_to_another_replica_after_kill9_and_misses_nothing(tmp_path):
    orders_pb2, orders_grpc, _, _ = pb()
    base = postgres.base_url()
    orders_schema, payments_schema = postgres.fresh_schema("feed_orders"), postgres.fresh_schema("feed_payments")
    orders_url, payments_url = postgres.with_schema(base, orders_schema), postgres.with_schema(base, payments_schema)
    try:
        with replicas(tmp_path, orders_url, payments_url) as (orders, payments):
            # A starting cursor: the creation event of a first order.
            got, stop, errors = [], threading.Event(), []
            first_reader = threading.Thread(target=read_feed, args=(orders[0].address, "", got, stop, errors))
            first_reader.start()
            time.sleep(0.5)  # not an assertion: the first order must come after the subscription
            with user_tokens.channel(orders[1].address) as channel:
                orders_grpc.OrdersStub(channel).CreateOrder(create_request(token="tok_decline"), timeout=10)
            wait_until(lambda: got, what="the first event", timeout=30)
            start = got[0][0]

            history, stop_client = History(), threading.Event()
            client = threading.Thread(target=client_loop, args=(orders, history, stop_client))
            client.start()
            try:
                wait_until(lambda: len(got) > 40, what="events on replica 0", timeout=60)
                orders[0].kill9()
                first_reader.join(timeout=30)
                assert errors and errors[0].code() == grpc.StatusCode.UNAVAILABLE, errors
                # Reconnect to the survivor from the last cursor received.
                before_kill = len(got)
                second_reader = threading.Thread(target=read_feed, args=(orders[1].address, got[-1][0], got, stop, errors))
                second_reader.start()
                time.sleep(3)
            finally:
                stop_client.set()
                client.join()
            acknowledged = history.acknowledged()
            with user_tokens.channel(orders[1].address) as channel:
                stub = orders_grpc.OrdersStub(channel)
                for request_id in history.indeterminate():
                    acknowledged[request_id] = stub.CreateOrder(create_request(request_id=request_id), timeout=10).id

                def all_final():
                    return all(orders_pb2.OrderState.Name(stub.GetOrder(orders_pb2.GetOrderRequest(id=order_id), timeout=10).state) in FINAL
                               for order_id in acknowledged.values())
                wait_until(all_final, what="every acknowledged order final", timeout=120, interval=0.5)
            final_events = {order_id: None for order_id in acknowledged.values()}
            wait_until(lambda: {e[1] for e in got if e[3] in FINAL} >= set(final_events), timeout=60,
                       what="the consumer saw every order reach a final state")
            # The feed as the survivor reads it now, from the same start.
            truth, truth_stop, truth_errors = [], threading.Event(), []
            truth_reader = threading.Thread(target=read_feed, args=(orders[1].address, start, truth, truth_stop, truth_errors))
            truth_reader.start()
            wait_until(lambda: len(truth) >= len(got) - 1, what="the survivor's full feed", timeout=60)
            time.sleep(0.5)  # not an assertion: lets anything extra arrive, which would fail below
            truth_stop.set()
            stop.set()
            truth_reader.join(timeout=30)
            second_reader.join(timeout=30)
            consumed = got[1:]
            assert len(consumed) == len(set(e[0] for e in consumed)), "an event arrived twice"
            assert consumed == truth[:len(consumed)] and len(truth) == len(consumed), (len(consumed), len(truth))
            assert before_kill < len(consumed), "the consumer got nothing from the survivor"
            print(f"feed: {len(consumed)} events, {before_kill - 1} before the kill; {len(acknowledged)} orders")
    finally:
        postgres.drop_schemas(base, orders_schema, payments_schema)
