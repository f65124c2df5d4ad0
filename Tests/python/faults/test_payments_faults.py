"""Payments cut off, frozen, or slow and lossy, under steady load: Orders keeps acknowledging
creates (the charge is a durable job), and once the fault heals every order ends final with
exactly the money it should hold."""
import subprocess
import pathlib
import sys

from faults import scenario
from faults.cluster import wait_for_tcp
from faults.load import History, Load


def _load(system, history):
    return Load(system.orders.address, history, workers=3, rate=3.0, deadline=3.0)


def test_orders_payments_partition(net, tmp_path):
    history = History()
    with scenario.system(net, tmp_path) as system:
        result = scenario.run(
            "orders-payments-partition", "Orders ↔ Payments partitioned (packets dropped both ways)", system,
            inject=lambda: net.partition("orders", "payments"), heal=lambda: net.heal("orders"),
            load=_load(system, history), history_=history)
    scenario.assert_clean(result)
    # Creates never needed Payments: every one during the partition was acknowledged.
    assert result["during"]["codes"] == {"OK": sum(result["during"]["codes"].values())}, result["during"]


def test_payments_frozen(net, tmp_path):
    history = History()
    with scenario.system(net, tmp_path) as system:
        result = scenario.run(
            "payments-frozen", "Payments frozen (SIGSTOP, then SIGCONT)", system,
            inject=system.payments.freeze, heal=system.payments.thaw, load=_load(system, history), history_=history)
    scenario.assert_clean(result)
    assert result["during"]["codes"] == {"OK": sum(result["during"]["codes"].values())}, result["during"]


def test_payments_slow_and_lossy(net, tmp_path):
    """500 ms each way and 10 % of packets dropped between Orders and Payments: with sch_netem
    on Payments' interface where the kernel has it, else through the delaying relay on the
    bridge host (relay.py) plus nftables drops on Payments' interface."""
    history = History()
    netem = net.netem_available()
    delay_file = tmp_path / "relay-delay"
    delay_file.write_text("0")
    relay_address = f"{net.address('net')}:50060"
    relay = None
    try:
        if not netem:
            relay = subprocess.Popen([*net.exec("net"), sys.executable, str(pathlib.Path(__file__).with_name("relay.py")),
                                      relay_address, f"{net.address('payments')}:50052", str(delay_file)])
            wait_for_tcp(net.address("net"), 50060, process=relay)
        with scenario.system(net, tmp_path, payments_address=None if netem else relay_address) as system:
            def inject():
                if netem:
                    net.run_in("payments", "tc", "qdisc", "add", "dev", "eth0", "root", "netem", "delay", "500ms", "loss", "10%")
                else:
                    delay_file.write_text("0.5")
                    net.drop_share("payments", 10)

            def heal():
                if netem:
                    net.run_in("payments", "tc", "qdisc", "del", "dev", "eth0", "root")
                delay_file.write_text("0")
                net.heal("payments")

            result = scenario.run(
                "payments-slow", "Payments slow: 500 ms delay each way, 10 % packet loss", system,
                inject=inject, heal=heal, load=_load(system, history), history_=history,
                extra={"delay_by": "netem" if netem else "relay.py + nftables"})
    finally:
        if relay:
            relay.terminate()
            relay.wait(timeout=10)
    scenario.assert_clean(result)
    assert result["during"]["codes"] == {"OK": sum(result["during"]["codes"].values())}, result["during"]
