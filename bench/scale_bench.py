#!/usr/bin/env python3
"""`make bench-scale`: CreateOrder throughput on PostgreSQL with one and with two Orders
replicas, and on SQLite, in one run, through the real `orderhub` processes (release build)
driven by h2load; and, to choose how the PostgreSQL store commits creates, the store alone
(`scale-bench`) with each commit setting. Prints a table and writes it, with the raw numbers,
to bench/results/scale-*.md and .json.

Every process (h2load, the Orders replicas, Payments, PostgreSQL) shares this machine's cores:
the numbers say what one machine does, and the report says what they predict for more."""
import argparse
import json
import os
import pathlib
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "Tests" / "python"))
from support import processes, stubs  # noqa: E402

SECRET = "bench-service-secret-0123456789abcdef0123456789"
# Orders verifies a customer token on every call; the benchmarks call as an admin (they create
# for a named customer and read any order), signed with this secret by `orderhub token`.
USER_SECRET = "bench-user-token-secret-0123456789abcdef0123456789"
STORE_SETTINGS = [  # (concurrent batches, max batch, pool)
    (1, 256, 4), (2, 256, 4), (4, 256, 8), (16, 1, 16),
]


def run(args, **kwargs):
    return subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True, **kwargs)


CONFIG = "release"


def binary(name):
    return ROOT / ".build" / CONFIG / name


def authorization() -> str:
    """`authorization: Bearer <admin token>` for h2load, from `orderhub token` (valid a day)."""
    token = subprocess.run([str(binary("orderhub")), "token", "--customer", "bench-admin", "--admin", "--ttl", "86400"],
                           env={**os.environ, "ORDERHUB_USER_JWT_SECRET": USER_SECRET}, capture_output=True, text=True,
                           check=True).stdout.strip()
    return f"authorization: Bearer {token}"


def psql(url, sql):
    return run(["psql", url.split("?")[0], "-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql]).stdout.strip()


def with_schema(url, schema):
    return url + ("&" if "?" in url else "?") + f"schema={schema}"


class Server:
    """One orderhub service process."""

    def __init__(self, role, name, db, workdir, args=()):
        self.role, self.name, self.db, self.workdir = role, name, db, pathlib.Path(workdir)
        self.port, self.args, self.process = processes.free_port(), list(args), None

    def start(self):
        log = open(self.workdir / f"{self.name}.log", "ab")
        self.process = subprocess.Popen(
            [str(binary("orderhub")), self.role, "--listen", f"127.0.0.1:{self.port}", "--db", self.db,
             "--log-level", "warning", *self.args],
            env={**os.environ, "ORDERHUB_SERVICE_SECRET": SECRET, "ORDERHUB_USER_JWT_SECRET": USER_SECRET,
                 # A free health port each: replicas on one machine cannot share the default.
                 "ORDERHUB_METRICS_LISTEN": "127.0.0.1:0"}, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        processes.wait_for_port(self.port, process=self.process)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def h2load(ports, body_file, seconds, clients, streams, workdir):
    """h2load against every port at once (clients split between them); summed rate."""
    runs = []
    for index, port in enumerate(ports):
        log = pathlib.Path(workdir) / f"h2load-{index}.log"
        log.unlink(missing_ok=True)
        runs.append((subprocess.Popen(
            ["h2load", "-D", str(seconds), "--warm-up-time", "1", "-c", str(max(1, clients // len(ports))), "-m", str(streams),
             "-t", "1", "-H", "content-type: application/grpc", "-H", "te: trailers", "-H", authorization(), "-d", str(body_file),
             "--log-file", str(log), f"http://127.0.0.1:{port}/orderhub.v1.Orders/CreateOrder"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True), log))
    rate, succeeded, failed, latencies = 0.0, 0, 0, []
    for process, log in runs:
        out = process.communicate()[0]
        rate += float(out.split(" req/s")[0].rsplit(",", 1)[1])
        counts = out.split("requests: ")[1].split("\n")[0]
        succeeded += int(counts.split(" succeeded")[0].rsplit(",", 1)[1])
        failed += int(counts.split(" failed")[0].rsplit(",", 1)[1]) + int(counts.split(" errored")[0].rsplit(",", 1)[1])
        latencies += [int(line.split("\t")[2]) for line in log.read_text().splitlines() if line.strip()]
    latencies.sort()
    percentile = lambda p: latencies[min(len(latencies) - 1, int(len(latencies) * p))] / 1000.0 if latencies else 0.0
    return {"req_per_s": rate, "succeeded": succeeded, "failed": failed, "p50_ms": percentile(0.5), "p99_ms": percentile(0.99)}


def create_body(workdir):
    orders_pb2 = stubs.load("orderhub.v1.orders_pb2")
    message = orders_pb2.CreateOrderRequest(
        customer_id="bench-customer", currency="EUR", payment_token="tok_approve",
        items=[orders_pb2.LineItem(sku="sku-a", quantity=2, unit_price_cents=250),
               orders_pb2.LineItem(sku="sku-b", quantity=1, unit_price_cents=99)])
    data = message.SerializeToString()
    path = pathlib.Path(workdir) / "create.bin"
    path.write_bytes(b"\x00" + len(data).to_bytes(4, "big") + data)
    return path


def store_runs(options, url, workdir):
    """The PostgreSQL store alone under each commit setting, and the SQLite store."""
    results = []
    for batches, max_batch, pool in STORE_SETTINGS:
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        try:
            out = run([binary("scale-bench"), "postgres", with_schema(url, schema), options.seconds, options.store_concurrency,
                       batches, max_batch, pool]).stdout
            results.append(json.loads(out.strip().splitlines()[-1]))
        finally:
            psql(url, f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    path = pathlib.Path(workdir) / f"store-{uuid.uuid4().hex[:6]}.db"
    results.append(json.loads(run([binary("scale-bench"), "sqlite", path, options.seconds, options.store_concurrency])
                              .stdout.strip().splitlines()[-1]))
    return results


def scenario(name, options, workdir, body, url):
    """Payments and one or two Orders replicas; h2load CreateOrder over all replicas; `runs` runs."""
    replicas = 2 if name == "postgres-2" else 1
    schemas = []
    if url:
        schemas = [f"bench_orders_{uuid.uuid4().hex[:8]}", f"bench_payments_{uuid.uuid4().hex[:8]}"]
        orders_db, payments_db = with_schema(url, schemas[0]), with_schema(url, schemas[1])
    else:
        orders_db, payments_db = f"sqlite:{workdir}/{name}-orders.db", f"sqlite:{workdir}/{name}-payments.db"
    payments = Server("payments", f"{name}-payments", payments_db, workdir).start()
    orders = [Server("orders", f"{name}-orders{i}", orders_db, workdir,
                     args=["--payments-address", f"127.0.0.1:{payments.port}"]).start() for i in range(replicas)]
    try:
        runs = []
        for _ in range(options.runs):
            runs.append(h2load([o.port for o in orders], body, options.seconds, options.clients, options.streams, workdir))
            time.sleep(1)
        return {"scenario": name, "orders_replicas": replicas, "runs": runs,
                "median_req_per_s": statistics.median(r["req_per_s"] for r in runs),
                "min_req_per_s": min(r["req_per_s"] for r in runs), "max_req_per_s": max(r["req_per_s"] for r in runs),
                "p50_ms": statistics.median(r["p50_ms"] for r in runs), "p99_ms": statistics.median(r["p99_ms"] for r in runs),
                "failed": sum(r["failed"] for r in runs)}
    finally:
        for server in orders + [payments]:
            server.stop()
        for schema in schemas:
            psql(url, f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def report(results, options):
    stamp = time.strftime("%Y%m%d-%H%M%S")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"scale-{stamp}.json").write_text(json.dumps(results, indent=2) + "\n")
    lines = [f"# make bench-scale, {stamp}", "",
             f"{results['machine']['cores']} cores; load average before / after: {results['load_before']} / {results['load_after']}.", "",
             f"## CreateOrder through the orderhub processes (h2load, {options.config} build)", "",
             "| database | Orders replicas | orders/s (median, min–max) | p50 / p99 ms | failed |", "|---|---|---|---|---|"]
    for s in results["scenarios"]:
        lines.append(f"| {s['scenario'].split('-')[0]} | {s['orders_replicas']} | {s['median_req_per_s']:,.0f} "
                     f"({s['min_req_per_s']:,.0f}–{s['max_req_per_s']:,.0f}) | {s['p50_ms']:.1f} / {s['p99_ms']:.1f} | {s['failed']} |")
    lines += ["", f"{options.runs} runs × {options.seconds} s after a 1 s warm-up, {options.clients} h2load connections × "
              f"{options.streams} streams, split evenly over the replicas; one Payments process charges every order meanwhile.",
              "", "## Creates straight into the store (scale-bench, "
              f"{options.store_concurrency} concurrent creators)", "",
              "| store | commit setting | orders/s |", "|---|---|---|"]
    for r in results["store"]:
        setting = ("one process, group commit" if r["backend"] == "sqlite" else
                   f"{r['concurrent_batches']} batch(es) in flight, ≤ {r['max_batch']} per transaction, pool {r['pool']}")
        lines.append(f"| {r['backend']} | {setting} | {r['per_second']:,.0f} |")
    text = "\n".join(lines) + "\n"
    (out / f"scale-{stamp}.md").write_text(text)
    print(text)
    print(f"written to bench/results/scale-{stamp}.md and .json")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--streams", type=int, default=32)
    parser.add_argument("--store-concurrency", type=int, default=64)
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--config", default="release", help="build configuration of the binaries (debug only to check the script)")
    options = parser.parse_args()
    global CONFIG
    CONFIG = options.config
    if not options.no_build:
        for product in ("orderhub", "scale-bench"):
            print(f"building {product} (release)…", flush=True)
            subprocess.run(["swift", "build", "-c", CONFIG, "--product", product], cwd=ROOT, check=True)
    url, started = os.environ.get("ORDERHUB_TEST_POSTGRES_URL", ""), False
    if not url:
        url, started = run([ROOT / "scripts" / "test-postgres.sh", "start"]).stdout.strip(), True
    workdir = tempfile.mkdtemp(prefix="scale-bench-")
    try:
        results = {"machine": {"cores": os.cpu_count()}, "options": vars(options),
                   "load_before": round(os.getloadavg()[0], 1)}
        body = create_body(workdir)
        results["scenarios"] = [scenario("sqlite-1", options, workdir, body, None),
                                scenario("postgres-1", options, workdir, body, url),
                                scenario("postgres-2", options, workdir, body, url)]
        results["store"] = store_runs(options, url, workdir)
        results["load_after"] = round(os.getloadavg()[0], 1)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if started:
            run([ROOT / "scripts" / "test-postgres.sh", "stop"])
    report(results, options)


if __name__ == "__main__":
    main()
