"""CreateOrder side by side: Orders and Payments of each build, fresh per round, h2load 8 × 32
streams for SECONDS_ (default 6), builds alternating for ROUNDS rounds (default 3). Prints
orders/s and each process's CPU per order written (utime + stime from /proc over the orders in
the database), then the median and min–max of each build.

    python3 bench/create_ab.py old=/path/to/orderhub new=.build/release/orderhub
"""
import os
import pathlib
import sqlite3
import statistics
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import orders_bench as ob  # noqa: E402
from support import processes, stubs  # noqa: E402


def cpu_seconds(pid):
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text()
    fields = fields[fields.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    builds = dict(argument.split("=", 1) for argument in sys.argv[1:])
    if not builds:
        sys.exit(__doc__)
    pb = stubs.load("orderhub.v1.orders_pb2")
    create = pb.CreateOrderRequest(
        customer_id="bench-customer", currency="EUR", payment_token="tok_approve",
        items=[pb.LineItem(sku="sku-a", quantity=2, unit_price_cents=250), pb.LineItem(sku="sku-b", quantity=1, unit_price_cents=99)])
    seconds = int(os.environ.get("SECONDS_", "6"))
    results = {label: [] for label in builds}
    for round_index in range(int(os.environ.get("ROUNDS", "3"))):
        for label, executable in builds.items():
            directory = pathlib.Path(tempfile.mkdtemp(prefix="create-ab-"))
            payments = ob.Service("payments", directory, processes.free_port(), executable=pathlib.Path(executable)).start()
            orders = ob.Service("orders", directory, processes.free_port(), executable=pathlib.Path(executable),
                                args=["--payments-address", f"127.0.0.1:{payments.port}"]).start()
            try:
                before = cpu_seconds(orders.process.pid), cpu_seconds(payments.process.pid)
                load = ob.h2load(orders.port, "/orderhub.v1.Orders/CreateOrder", ob.frame(create), seconds, 8, 32, directory)
                time.sleep(1)  # the payments and deliveries of the last creates
                after = cpu_seconds(orders.process.pid), cpu_seconds(payments.process.pid)
                with sqlite3.connect(str(directory / "orders.db")) as db:
                    written = db.execute("SELECT COUNT(*) FROM orders").fetchone()[0]
            finally:
                orders.stop()
                payments.stop()
            row = (load["req_per_s"], (after[0] - before[0]) / written * 1e6, (after[1] - before[1]) / written * 1e6)
            results[label].append(row)
            print(f"round {round_index} {label}: {row[0]:,.0f} orders/s, Orders {row[1]:.1f} µs/order, "
                  f"Payments {row[2]:.1f} µs/order, load {os.getloadavg()[0]:.1f}", flush=True)
    for label, rows in results.items():
        def spread(index):
            values = [row[index] for row in rows]
            return f"{statistics.median(values):,.1f} ({min(values):,.1f}–{max(values):,.1f})"
        print(f"{label}: orders/s {spread(0)}, Orders µs/order {spread(1)}, Payments µs/order {spread(2)}")


if __name__ == "__main__":
    main()
