"""Three times the measured capacity offered to Orders (gRPC) and to the gateway (REST), with
small admission limits so capacity is reached on any machine: the calls admitted keep a
bounded latency, the rest are refused at once (RESOURCE_EXHAUSTED; 503 with Retry-After),
memory stays bounded, and the next calls succeed as soon as the load drops."""
import http.client
import json
import threading
import time
import uuid

import grpc

from support import user_tokens

from faults import scenario
from faults.load import Call, History, Load
from faults.overload import OpenLoop, capacity, summary
from orders.harness import create_request, pb

QUEUE_WAIT = 0.5
ORDERS_ADMISSION = ["--max-concurrent-calls", "4", "--max-queued-calls", "8", "--max-queue-wait", str(QUEUE_WAIT)]
GATEWAY_ADMISSION = ["--max-concurrent-requests", "4", "--max-queued-requests", "8", "--max-request-queue-wait", str(QUEUE_WAIT)]
# The machine runs the load generator too; these bounds hold with room to spare on 2 busy cores.
ADMITTED_P99_SECONDS = QUEUE_WAIT + 2.5
SHED_P99_SECONDS = QUEUE_WAIT + 1.0
RSS_GROWTH_KIB = 150 * 1024


def _grpc_caller(address: str, history: History):
    _, orders_grpc, _, _ = pb()
    stub = orders_grpc.OrdersStub(user_tokens.channel(address))

    def call():
        request_id = uuid.uuid4().hex
        started = time.monotonic()
        try:
            order = stub.CreateOrder(create_request(request_id=request_id), timeout=10)
            history.add(Call("create", started, time.monotonic(), "OK", request_id, order.id, "tok_approve"))
            return "OK", ""
        except grpc.RpcError as error:
            return error.code().name, ""
    return call


def _rest_caller(host: str, port: int, history: History):
    local = threading.local()
    token = user_tokens.admin_token()
    body = json.dumps({"customerId": "alice", "currency": "EUR", "paymentToken": "tok_approve",
                       "items": [{"sku": "book", "quantity": 1, "unitPriceCents": 1250}]})

    def call():
        connection = getattr(local, "connection", None) or http.client.HTTPConnection(host, port, timeout=10)
        local.connection = connection
        request_id = uuid.uuid4().hex
        started = time.monotonic()
        try:
            connection.request("POST", "/v1/orders", body, {"Content-Type": "application/json", "Idempotency-Key": request_id,
                                                           "Authorization": f"Bearer {token}"})
            response = connection.getresponse()
            answer = response.read()
        except (OSError, http.client.HTTPException):
            connection.close()
            local.connection = None
            return "NETWORK", ""
        if response.status == 201:
            history.add(Call("create", started, time.monotonic(), "OK", request_id, json.loads(answer)["id"], "tok_approve"))
            return "OK", ""
        return f"HTTP {response.status}", response.getheader("Retry-After") or ""
    return call


def _overload(name, fault, system, service, call, history):
    measured = capacity(call, clients=8, seconds=3)
    assert measured > 0
    rss_before = service.rss_kib()
    extra = {"capacity_per_second": round(measured, 1), "offered_per_second": round(3 * measured, 1)}
    loop = OpenLoop(call, rate=3 * measured)

    def heal():
        loop.stop()
        extra["overload"] = summary(loop.answers)
        extra["rss_growth_kib"] = service.rss_kib() - rss_before

    result = scenario.run(name, fault, system, inject=loop.start, heal=heal, fault_seconds=8,
                          load=Load(system.orders.address, history, workers=1, rate=2.0, deadline=5.0), history_=history,
                          extra=extra)
    scenario.assert_clean(result)
    overload = result["overload"]
    assert overload["codes"].get("OK", 0) > 0, overload
    shed = sum(count for code, count in overload["codes"].items() if code in ("RESOURCE_EXHAUSTED", "HTTP 503"))
    assert shed > 0, overload
    assert set(overload["codes"]) <= {"OK", "RESOURCE_EXHAUSTED", "HTTP 503"}, overload
    assert overload["ok_p99"] < ADMITTED_P99_SECONDS, overload
    assert overload["shed_p99"] < SHED_P99_SECONDS, overload
    assert overload["shed_without_retry_after"] == 0, overload
    assert result["rss_growth_kib"] < RSS_GROWTH_KIB, result
    return result


def test_orders_overload(net, tmp_path):
    history = History()
    with scenario.system(net, tmp_path, orders_args=ORDERS_ADMISSION) as system:
        _overload("orders-overload", "3× measured capacity offered to Orders (gRPC CreateOrder)", system, system.orders,
                  _grpc_caller(system.orders.address, history), history)


def test_gateway_overload(net, tmp_path):
    history = History()
    with scenario.system(net, tmp_path, with_gateway=True, gateway_args=GATEWAY_ADMISSION) as system:
        _overload("gateway-overload", "3× measured capacity offered to the gateway (REST POST /v1/orders)", system, system.gateway,
                  _rest_caller(system.gateway.host, system.gateway.port, history), history)
