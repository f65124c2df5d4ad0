"""A payment job keeps the trace of the call that created it. An order is created while Payments
is away: the first attempt (started by CreateOrder) and the retries the job loop claims fail.
Orders then restarts, so the job's context survives only in its row, and Payments comes back.
The attempt that finally charges, claimed by the new Orders process, its call to Payments and
Payments' server span are all in the order's trace, children of Orders' CreateOrder span."""
import contextlib
import secrets

from observed import otlp_receiver, wait_for
from orders.harness import Service, create_request, orders_stub, pb, state_name
from support import processes

SERVER, CLIENT, INTERNAL = 2, 3, 1  # opentelemetry.proto.trace.v1.Span.SpanKind
PROCESS_PAYMENT = "orderhub.v1.Payments/ProcessPayment"


def int_attribute(span, key):
    return next((a.value.int_value for a in span.attributes if a.key == key), None)


def test_a_retried_payment_after_a_restart_joins_the_orders_trace(tmp_path):
    orders_pb2, _, _, _ = pb()
    trace_id, caller_span = secrets.token_hex(16), secrets.token_hex(8)
    with otlp_receiver() as (endpoint, sink):
        env = {"OTEL_EXPORTER_OTLP_ENDPOINT": endpoint, "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
               "OTEL_BSP_SCHEDULE_DELAY": "200"}
        payments = Service("payments", tmp_path, processes.free_port(), env=env)
        orders = Service("orders", tmp_path, processes.free_port(), env=env,
                         args=["--payments-address", payments.address, "--payment-timeout", "300"])
        try:
            orders.start()
            channel, stub = orders_stub(orders)
            with channel:
                created = stub.CreateOrder(create_request(), metadata=(("traceparent", f"00-{trace_id}-{caller_span}-01"),),
                                           timeout=10)
            # The kicked attempt and at least one the loop claimed have failed.
            wait_for(lambda: orders.logs().count("payment call failed; retrying") >= 2, timeout=60,
                     what="two failed payment attempts")
            # A graceful stop exports the spans it holds; the job's context is now only in its row.
            assert orders.stop() == 0
            payments.start()
            orders.start()
            channel, stub = orders_stub(orders)
            with channel:
                def confirmed():
                    order = stub.GetOrder(orders_pb2.GetOrderRequest(id=created.id), timeout=10)
                    return state_name(order) in ("ORDER_STATE_CONFIRMED", "ORDER_STATE_DELIVERED")
                wait_for(confirmed, timeout=90, what="the order to be confirmed once Payments is back")

            def trace():
                # Each process exports on its own schedule, so Payments' server span can arrive
                # before the Orders spans it points at: wait until every charge's chain (server
                # span, Orders' client span, the attempt) is in, or time out and fail.
                spans = [s for s in sink.snapshot() if s.trace_id.hex() == trace_id]
                parents = {s.span_id: s.parent_span_id for s in spans}
                served = [s for s in spans if s.name == PROCESS_PAYMENT and s.kind == SERVER]
                complete = all(s.parent_span_id in parents and parents[s.parent_span_id] in parents for s in served)
                return spans if served and complete else None
            spans = wait_for(trace, timeout=60,
                             what="Payments' ProcessPayment span, its Orders client span and attempt, in the order's trace")
        finally:
            for service in (orders, payments):
                with contextlib.suppress(Exception):
                    service.stop()
                service.kill9()

    by_id = {span.span_id: span for span in spans}
    creates = [s for s in spans if s.name == "orderhub.v1.Orders/CreateOrder" and s.kind == SERVER]
    assert len(creates) == 1, [(s.name, s.kind) for s in spans]
    create = creates[0]
    assert create.parent_span_id == bytes.fromhex(caller_span)

    # Every attempt, before and after the restart, is a child of CreateOrder's span: at least
    # the kicked one, a claimed retry, and the one that charged.
    attempts = [s for s in spans if s.name == "payment attempt"]
    assert len(attempts) >= 3, [int_attribute(s, "orderhub.attempt") for s in attempts]
    assert all(a.parent_span_id == create.span_id and a.kind == INTERNAL for a in attempts)

    # The charge that reached Payments: server span ← Orders' client span ← a retried attempt.
    served = [s for s in spans if s.name == PROCESS_PAYMENT and s.kind == SERVER]
    for server in served:
        assert sink.service(server) == "orderhub-payments"
        client = by_id[server.parent_span_id]
        assert (client.name, client.kind) == (PROCESS_PAYMENT, CLIENT)
        attempt = by_id[client.parent_span_id]
        assert attempt.name == "payment attempt"
        assert int_attribute(attempt, "orderhub.attempt") > 2
        assert sink.service(attempt) == "orderhub-orders"
