"""The gateway cut off from Orders under REST load: each request answers 503 or 504 within the
gateway's deadline to Orders (never hangs), and creates succeed again once the partition heals."""
from faults import scenario
from faults.load import History, Load

RPC_TIMEOUT = 3.0


def test_gateway_orders_partition(net, tmp_path):
    history = History()
    with scenario.system(net, tmp_path, with_gateway=True) as system:
        url = f"http://{system.gateway.address}"
        load = Load(system.orders.address, history, workers=3, rate=3.0, deadline=RPC_TIMEOUT, rest=url)
        result = scenario.run(
            "gateway-orders-partition", "Gateway ↔ Orders partitioned (packets dropped both ways)", system,
            inject=lambda: net.partition("gateway", "orders"), heal=lambda: net.heal("gateway"),
            load=load, history_=history)
    scenario.assert_clean(result)
    during = result["during"]
    assert set(during["codes"]) <= {"OK", "HTTP 503", "HTTP 504"}, during
    assert set(during["codes"]) & {"HTTP 503", "HTTP 504"}, during
    # Within the gateway's own deadline (plus scheduling slack on a loaded machine): no hang.
    assert during["failed_max_seconds"] < RPC_TIMEOUT + 2, during
