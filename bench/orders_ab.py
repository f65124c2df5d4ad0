#!/usr/bin/env python3
"""Before/after of two `orderhub` builds on the Orders hot path (issue 13):

    python3 bench/orders_ab.py before=/tmp/before/.build/release/orderhub after=.build/release/orderhub

Per round, a fresh `orderhub orders` of each build (pinned to core 0) on a copy of the same
1 000-order SQLite store (`orders-bench fill`, release build); h2load (core 1) sends GetOrder
with the admin bearer token as bench-orders does, then Health/Check, to the same process, in
both RPC shapes. Prints each run, then each round's after ÷ before CPU per call and req/s
(median, min–max) and GetOrder ÷ Health/Check per build. CPU per call from /proc/PID/stat.
Environment: ROUNDS (3), SECONDS_ (5 per measured run), SHAPES=one (only 8 × 32)."""
import os, shutil, signal, socket, statistics, subprocess, sys, time, pathlib, sqlite3
ROOT = pathlib.Path(__file__).resolve().parents[1]
SECRET = "bench-service-secret-0123456789abcdef0123456789"
USER_SECRET = "bench-user-token-secret-0123456789abcdef0123456789"
W = ROOT / "bench" / ".out" / "orders-ab"

def cpu(pid):
    stat = pathlib.Path(f"/proc/{pid}/stat").read_text()
    f = stat[stat.rindex(")") + 2:].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); return s.getsockname()[1]

def wait(port, proc):
    for _ in range(400):
        if proc.poll() is not None: raise RuntimeError("exited")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close(); return
        except OSError: time.sleep(0.05)
    raise RuntimeError("no listen")

def h2load(port, path, body, seconds, c, m, headers):
    argv = ["taskset", "-c", "1", "h2load", "-D", str(seconds), "-c", str(c), "-m", str(m), "-t", "1",
            "-H", "content-type: application/grpc", "-H", "te: trailers", "-d", str(body)]
    for h in headers: argv += ["-H", h]
    out = subprocess.run(argv + [f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True).stdout
    rate = float(out.split(" req/s")[0].rsplit(",", 1)[1])
    counts = out.split("requests: ")[1].split("\n")[0]
    done = int(counts.split(" done")[0].rsplit(",", 1)[1])
    failed = int(counts.split(" failed")[0].rsplit(",", 1)[1]) + int(counts.split(" errored")[0].rsplit(",", 1)[1])
    data = int(out.split("traffic: ")[1].split("\n")[0].rsplit("(", 1)[1].split(")")[0])
    return rate, done, failed, data

def main():
    binaries = dict(a.split("=", 1) for a in sys.argv[1:3])
    rounds = int(os.environ.get("ROUNDS", "3")); seconds = int(os.environ.get("SECONDS_", "5"))
    shapes = [(8, 32), (64, 1)] if os.environ.get("SHAPES", "both") == "both" else [(8, 32)]
    token = subprocess.run([list(binaries.values())[0], "token", "--customer", "bench-admin", "--admin", "--ttl", "86400"],
                           env={**os.environ, "ORDERHUB_USER_JWT_SECRET": USER_SECRET}, capture_output=True, text=True, check=True).stdout.strip()
    auth = f"authorization: Bearer {token}"
    store = W / "store"
    if not (store / "orders.db").exists():
        shutil.rmtree(W, ignore_errors=True); W.mkdir(parents=True)
        subprocess.run([str(ROOT / ".build" / "release" / "orders-bench"), "fill", str(store), "1000"], check=True, capture_output=True)
    with sqlite3.connect(f"file:{store / 'orders.db'}?mode=ro", uri=True) as db:
        order_id = db.execute("SELECT id FROM orders LIMIT 1").fetchone()[0]
    data = order_id.encode()
    msg = bytes([0x0a, len(data)]) + data
    get_body = W / "get.bin"; get_body.write_bytes(b"\x00" + len(msg).to_bytes(4, "big") + msg)
    health_body = W / "health.bin"; health_body.write_bytes(bytes(5))
    results = {}
    print(f"load {os.getloadavg()}", flush=True)
    for r in range(1, rounds + 1):
        for key, binary in binaries.items():
            d = W / f"run-{key}"
            shutil.rmtree(d, ignore_errors=True); shutil.copytree(store, d)
            port = free_port()
            log = open(W / f"{key}.log", "ab")
            proc = subprocess.Popen(["taskset", "-c", "0", binary, "orders", "--listen", f"127.0.0.1:{port}", "--db", f"sqlite:{d / 'orders.db'}",
                                     "--payments-address", "127.0.0.1:9", "--metrics-listen", "127.0.0.1:0", "--log-level", "warning"],
                                    env={**os.environ, "ORDERHUB_SERVICE_SECRET": SECRET, "ORDERHUB_USER_JWT_SECRET": USER_SECRET},
                                    stdout=log, stderr=subprocess.STDOUT)
            try:
                wait(port, proc)
                for (c, m) in shapes:
                    for what, path, body, headers in (("get", "/orderhub.v1.Orders/GetOrder", get_body, [auth]),
                                                      ("health", "/grpc.health.v1.Health/Check", health_body, [])):
                        h2load(port, path, body, 1, c, m, headers)
                        before = cpu(proc.pid)
                        rate, done, failed, nbytes = h2load(port, path, body, seconds, c, m, headers)
                        us = (cpu(proc.pid) - before) / max(done, 1) * 1e6
                        k = (key, what, f"c={c} m={m}")
                        results.setdefault(k, []).append((rate, us, failed, nbytes / max(done, 1), os.getloadavg()[0]))
                        print(f"round {r} {key:5} {what:6} c={c:<2} m={m:<2} {rate:>9,.0f} req/s {us:6.2f} µs/call failed {failed} {nbytes / max(done,1):.1f} B/call load {os.getloadavg()[0]:.1f}", flush=True)
            finally:
                proc.send_signal(signal.SIGTERM); proc.wait(timeout=30); log.close()
    keys = list(binaries)
    for (c, m) in shapes:
        shape = f"c={c} m={m}"
        for what in ("get", "health"):
            a = results[(keys[0], what, shape)]; b = results[(keys[1], what, shape)]
            cr = [y[1] / x[1] for x, y in zip(a, b)]; rr = [y[0] / x[0] for x, y in zip(a, b)]
            print(f"{shape} {what}: {keys[1]} ÷ {keys[0]} CPU/call {statistics.median(cr):.3f}× ({min(cr):.3f}–{max(cr):.3f}), "
                  f"req/s {statistics.median(rr):.3f}× ({min(rr):.3f}–{max(rr):.3f}); µs/call {statistics.median([x[1] for x in a]):.2f} → {statistics.median([y[1] for y in b]):.2f}; "
                  f"req/s {statistics.median([x[0] for x in a]):,.0f} → {statistics.median([y[0] for y in b]):,.0f}")
        for key in keys:
            g = results[(key, "get", shape)]; h = results[(key, "health", shape)]
            ratio = [x[0] / y[0] for x, y in zip(g, h)]
            print(f"{shape} {key}: GetOrder ÷ Health/Check req/s {statistics.median(ratio):.2f}× ({min(ratio):.2f}–{max(ratio):.2f})")

main()
