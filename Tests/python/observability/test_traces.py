"""One REST create is one trace: the gateway's HTTP span, its call to Orders, Orders' server
span with the storage commit under it, and the asynchronous charge (the payment attempt, its
call to Payments and Payments' server span), all linked parent to child, exported over
OTLP/HTTP to a receiver in the test. The trace starts from the caller's `traceparent`."""
import json
import secrets
import urllib.request

from observed import otlp_receiver, serve, wait_for
from support import user_tokens

SERVER, CLIENT = 2, 3  # opentelemetry.proto.trace.v1.Span.SpanKind


def create_over_rest(port: int, traceparent: str):
    body = {"items": [{"sku": "tea", "quantity": 1, "unitPriceCents": "450"}], "currency": "EUR", "paymentToken": "tok_approve"}
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/v1/orders", data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {user_tokens.token('alice')}",
                 "traceparent": traceparent})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status in (200, 201)
        return json.load(response)


def only(spans, what, **wanted):
    found = [span for span in spans if all(getattr(span, key) == value for key, value in wanted.items())]
    assert len(found) == 1, f"{what}: expected one span, found {[(s.name, s.kind) for s in found]}"
    return found[0]


def test_rest_create_is_one_linked_trace(tmp_path):
    trace_id, caller_span = secrets.token_hex(16), secrets.token_hex(8)
    with otlp_receiver() as (endpoint, sink):
        env = {"OTEL_EXPORTER_OTLP_ENDPOINT": endpoint, "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
               "OTEL_BSP_SCHEDULE_DELAY": "200"}
        with serve(tmp_path, env=env) as system:
            create_over_rest(system.gateway, f"00-{trace_id}-{caller_span}-01")

            def trace():
                spans = [s for s in sink.snapshot() if s.trace_id.hex() == trace_id]
                names = {(s.name, s.kind) for s in spans}
                return spans if ("orderhub.v1.Payments/ProcessPayment", SERVER) in names else None
            spans = wait_for(trace, timeout=60, what="the charge's Payments span to arrive")
            logs = (tmp_path / "serve.log").read_text(errors="replace")

    http = only(spans, "the gateway's HTTP span", kind=SERVER, parent_span_id=bytes.fromhex(caller_span))
    orders_client = only(spans, "the gateway's call to Orders", name="orderhub.v1.Orders/CreateOrder", kind=CLIENT)
    orders_server = only(spans, "Orders' CreateOrder", name="orderhub.v1.Orders/CreateOrder", kind=SERVER)
    commit = only(spans, "the storage commit", name="storage commit")
    attempt = only(spans, "the payment attempt", name="payment attempt")
    payments_client = only(spans, "Orders' call to Payments", name="orderhub.v1.Payments/ProcessPayment", kind=CLIENT)
    payments_server = only(spans, "Payments' ProcessPayment", name="orderhub.v1.Payments/ProcessPayment", kind=SERVER)

    assert orders_client.parent_span_id == http.span_id
    assert orders_server.parent_span_id == orders_client.span_id
    assert commit.parent_span_id == orders_server.span_id
    assert attempt.parent_span_id == orders_server.span_id
    assert payments_client.parent_span_id == attempt.span_id
    assert payments_server.parent_span_id == payments_client.span_id
    attributes = {a.key: a.value.string_value for a in orders_server.attributes}
    assert attributes["rpc.system"] == "grpc" and attributes["rpc.method"] == "CreateOrder"
    # Log lines written inside the trace carry its id.
    assert f"trace_id={trace_id}" in logs
