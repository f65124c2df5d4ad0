"""`make bench-gateway`: the REST gateway next to direct RPC, in the same run, on the same machine.

Starts `orderhub serve` (release build, SQLite in a temporary directory), then measures:

- GetOrder:    wrk on `GET /v1/orders/{id}`  vs  h2load on `/orderhub.v1.Orders/GetOrder`
- CreateOrder: wrk on `POST /v1/orders`      vs  h2load on `/orderhub.v1.Orders/CreateOrder`

at the same number of requests in flight (wrk: one per connection; h2load: connections ×
streams). The gateway's throughput is reported as a ratio to direct RPC (target ≥ 0.5× for
GetOrder). Then GetOrder through the gateway over HTTPS next to the same gateway in cleartext:
two more gateway processes (`orderhub gateway`, one with `--tls-cert-file/--tls-key-file` from
`orderhub dev-certs`), both in front of the same Orders over a cleartext hop, measured with wrk
in alternation; req/s, the gateway process's CPU per call and the TLS ÷ cleartext ratio. wrk
keeps its connections open, so each pays its handshake once. Then each gateway call is run at half its measured maximum rate, paced by a wrk Lua
`delay()` per connection (wrk2 is not in Debian), and its p99 is reported (target < 5 ms).
wrk measures latency from each request's send, so pacing hides no queueing at half load.

The floor under the gateway (issue 13): `GET /v1/orders/{id}` through a separate cleartext
`orderhub gateway` process next to a plain SwiftNIO HTTP/1.1 handler (`bench-rest-floor`), one
Hummingbird route (`bench-rest-floor --server hummingbird`) and nginx (Debian,
`master_process off`), all three answering the same bytes from a file, and nginx as a reverse
proxy in front of that SwiftNIO handler (`proxy_pass` to an upstream `keepalive` pool over
HTTP/1.1: one hop, as the gateway's); the same wrk shape for the five, alternating in rounds;
CPU µs per request of each server process and each round's ÷ SwiftNIO ratio (target for the
gateway ≤ 2×), with the CPU of the hop's far side (Orders, or the SwiftNIO handler behind the
proxy) beside it. `--perf FILE` then profiles the gateway.

Throughput is measured in rounds (--rounds, default 3), each a direct run then a gateway run;
the reported pair is the round with the median ratio, and every round is listed.

Options: --seconds S (per measurement, default 10), --rounds N (default 3), --inflight N (default 32), --no-build,
--binary PATH (measure another orderhub build), --only get,create,floor,tls,paced (sections to run),
--perf FILE (with floor: a perf profile of the gateway).
Results: bench/results/gateway-<UTC time>.md and .json.
"""
import argparse
import contextlib
import datetime
import json
import os
import pathlib
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests" / "python"))
from support import processes, stubs  # noqa: E402

RESULTS = ROOT / "bench" / "results"
HERE = pathlib.Path(__file__).resolve().parent
# What a run measures (`--only`): direct vs gateway GetOrder and CreateOrder, the gateway over
# TLS, the gateway next to its floor (plain SwiftNIO, nginx), and each call at half its maximum.
SECTIONS = ("get", "create", "floor", "tls", "paced")


def grpc_frame(message: bytes) -> bytes:
    return b"\x00" + len(message).to_bytes(4, "big") + message


# `Authorization: Bearer <token>` of the customer every measured call acts as (the dev sign-in
# of `serve`): set once the services run, sent by every client below.
AUTHORIZATION = []


def http_json(url: str, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="POST" if body is not None else "GET")
    request.add_header("Content-Type", "application/json")
    for header in AUTHORIZATION:
        name, value = header.split(": ", 1)
        request.add_header(name, value)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


CREATE_BODY = {"customerId": "bench", "items": [{"sku": "bench-item", "quantity": 1, "unitPriceCents": "100"}],
               "currency": "EUR", "paymentToken": "tok_approve"}


def parse_duration_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(url: str, seconds: int, connections: int, script: pathlib.Path = None, env=None) -> dict:
    threads = min(2, connections)
    args = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency", "--timeout", "5s"]
    if script:
        args += ["-s", str(script)]
    for header in AUTHORIZATION:
        args += ["-H", header]
    output = subprocess.run(args + [url], capture_output=True, text=True, env={**os.environ, **(env or {})}, check=True).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)), "raw": output}
    for percentile in ("50", "90", "99"):
        match = re.search(rf"^\s+{percentile}%\s+(\S+)", output, re.M)
        result[f"p{percentile}_ms"] = parse_duration_ms(match.group(1)) if match else None
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    result["non2xx"] = int(errors.group(1)) if errors else 0
    result["socket_errors"] = socket_errors.group(1) if socket_errors else ""
    return result


def run_h2load(url: str, body: pathlib.Path, seconds: int, inflight: int) -> dict:
    connections = max(1, inflight // 8)
    streams = max(1, inflight // connections)
    args = ["h2load", "-D", str(seconds), "--warm-up-time", "1", "-c", str(connections), "-m", str(streams),
            "-H", "content-type: application/grpc", "-H", "te: trailers", "-d", str(body), url]
    for header in AUTHORIZATION:
        name, value = header.split(": ", 1)
        args[-1:-1] = ["-H", f"{name.lower()}: {value}"]
    output = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"finished in [\d.]+\w+, ([\d.]+) req/s", output).group(1))
    mean = re.search(r"time for request:\s+(\S+)\s+(\S+)\s+(\S+)", output)
    succeeded = re.search(r"requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed", output)
    return {"rps": rps, "mean_ms": parse_duration_ms(mean.group(3)) if mean else None,
            "failed": int(succeeded.group(2)) if succeeded else None, "connections": connections,
            "streams": streams, "raw": output}


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process so far, from /proc/PID/stat."""
    stat = pathlib.Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_wrk_cpu(url: str, seconds: int, connections: int, pid: int) -> dict:
    """wrk against one gateway process, with that process's CPU time per request."""
    before = cpu_seconds(pid)
    result = run_wrk(url, seconds, connections)
    used = cpu_seconds(pid) - before
    requests = int(re.search(r"(\d+) requests in", result["raw"]).group(1))
    result.update({"requests": requests, "cpu_seconds": used, "cpu_us_per_call": used / max(requests, 1) * 1e6})
    return result


def median_spread(values: list) -> dict:
    ordered = sorted(values)
    return {"median": ordered[len(ordered) // 2] if len(ordered) % 2 else (ordered[len(ordered) // 2 - 1] + ordered[len(ordered) // 2]) / 2,
            "min": ordered[0], "max": ordered[-1]}


def measure_tls(binary, work: pathlib.Path, orders_port: int, order_id: str, args) -> dict:
    """GetOrder through a cleartext and a TLS gateway process (same binary, same Orders, cleartext
    hop to Orders for both), alternating in rounds; per round the TLS ÷ cleartext ratio."""
    certs = work / "certs"
    subprocess.run([binary, "dev-certs", certs], check=True, capture_output=True)
    plain_port, tls_port = processes.free_port(), processes.free_port()

    def gateway(port, extra, name):
        return processes.running([binary, "gateway", "--listen", f"127.0.0.1:{port}", "--orders", f"127.0.0.1:{orders_port}",
                                  "--metrics-listen", "127.0.0.1:0", "--log-level", "warning",
                                  # serve's customer-token key: both gateways verify tokens alike.
                                  "--user-jwt-secret-file", work / "data" / "user-token.key", *extra], port,
                                 log_path=work / f"gateway-{name}.log")

    with gateway(plain_port, [], "plain") as plain, \
            gateway(tls_port, ["--tls-cert-file", certs / "server.pem", "--tls-key-file", certs / "server-key.pem"], "tls") as tls:
        plain_url, tls_url = f"http://127.0.0.1:{plain_port}/v1/orders/{order_id}", f"https://127.0.0.1:{tls_port}/v1/orders/{order_id}"
        # One call each first: the TLS gateway answers the order over https (certificate checked).
        import ssl
        context = ssl.create_default_context(cafile=str(certs / "ca.pem"))
        for url in (plain_url, tls_url):
            request = urllib.request.Request(url)
            for header in AUTHORIZATION:
                name, value = header.split(": ", 1)
                request.add_header(name, value)
            with urllib.request.urlopen(request, timeout=10, context=context if url.startswith("https") else None) as response:
                assert json.loads(response.read())["id"] == order_id, url
        rounds = []
        for number in range(1, args.rounds + 1):
            print(f"GetOrder TLS round {number}/{args.rounds}: cleartext gateway, then TLS gateway (wrk)", flush=True)
            entry = {"plain": run_wrk_cpu(plain_url, args.seconds, args.inflight, plain.pid),
                     "tls": run_wrk_cpu(tls_url, args.seconds, args.inflight, tls.pid),
                     "load1": os.getloadavg()[0]}
            entry["rps_ratio"] = entry["tls"]["rps"] / entry["plain"]["rps"]
            entry["cpu_ratio"] = entry["tls"]["cpu_us_per_call"] / entry["plain"]["cpu_us_per_call"]
            rounds.append(entry)
    return {"rounds": rounds, "hop_to_orders": "cleartext (h2c)",
            "plain_rps": median_spread([r["plain"]["rps"] for r in rounds]),
            "tls_rps": median_spread([r["tls"]["rps"] for r in rounds]),
            "rps_ratio": median_spread([r["rps_ratio"] for r in rounds]),
            "plain_cpu_us_per_call": median_spread([r["plain"]["cpu_us_per_call"] for r in rounds]),
            "tls_cpu_us_per_call": median_spread([r["tls"]["cpu_us_per_call"] for r in rounds]),
            "cpu_ratio": median_spread([r["cpu_ratio"] for r in rounds])}


NGINX_CONF = """daemon off;
master_process off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    keepalive_requests 10000000;
    client_body_temp_path {work}/nginx-body;
    proxy_temp_path {work}/nginx-proxy;
    fastcgi_temp_path {work}/nginx-fastcgi;
    uwsgi_temp_path {work}/nginx-uwsgi;
    scgi_temp_path {work}/nginx-scgi;
    server {{
        listen 127.0.0.1:{port};
        root {work}/static;
        location /v1/orders/ {{ default_type application/json; try_files /order.json =404; }}
    }}
}}
"""


# nginx as a reverse proxy in front of the plain SwiftNIO handler: one more hop on the same
# shape as the gateway's (a client connection in, a kept-alive upstream connection out), so the
# floor table shows what a proxy hop costs the best-known proxy.
NGINX_PROXY_CONF = """daemon off;
master_process off;
worker_processes 1;
pid {work}/nginx-proxy.pid;
error_log {work}/nginx-proxy-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    keepalive_requests 10000000;
    client_body_temp_path {work}/nginx-proxy-body;
    proxy_temp_path {work}/nginx-proxy-proxy;
    fastcgi_temp_path {work}/nginx-proxy-fastcgi;
    uwsgi_temp_path {work}/nginx-proxy-uwsgi;
    scgi_temp_path {work}/nginx-proxy-scgi;
    upstream floor_nio {{
        server 127.0.0.1:{upstream};
        keepalive 64;
        keepalive_requests 10000000;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://floor_nio;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }}
    }}
}}
"""


def process_tree_cpu(pid: int) -> float:
    """utime + stime of a process and its direct children (nginx's workers), so far."""
    total = cpu_seconds(pid)
    children = pathlib.Path(f"/proc/{pid}/task/{pid}/children")
    for child in (children.read_text().split() if children.exists() else []):
        try:
            total += cpu_seconds(int(child))
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total


def measure_floor(binary, floor_binary, work: pathlib.Path, serve_pid: int, orders_port: int, order_id: str, args) -> dict:
    """The gateway next to the floor under it: a plain SwiftNIO HTTP/1.1 server (`bench-rest-floor`)
    and nginx, both answering the same bytes as the gateway's `GET /v1/orders/{id}` from a file.
    Same wrk shape for the four, alternating in rounds; per server its CPU µs per request, and
    per round the gateway ÷ NIO and nginx ÷ NIO ratios. The gateway's RPC hop costs Orders CPU
    too (the serve process): reported beside it."""
    static = work / "static"
    static.mkdir(exist_ok=True)
    gateway_port, hb_port, nio_port, nginx_port, proxy_port = (processes.free_port() for _ in range(5))
    with processes.running([binary, "gateway", "--listen", f"127.0.0.1:{gateway_port}", "--orders", f"127.0.0.1:{orders_port}",
                            "--metrics-listen", "127.0.0.1:0", "--log-level", "warning",
                            "--user-jwt-secret-file", work / "data" / "user-token.key"], gateway_port,
                           log_path=work / "gateway-floor.log") as gateway:
        url = f"http://127.0.0.1:{gateway_port}/v1/orders/{order_id}"
        request = urllib.request.Request(url)
        for header in AUTHORIZATION:
            name, value = header.split(": ", 1)
            request.add_header(name, value)
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        assert json.loads(body)["id"] == order_id
        (static / "order.json").write_bytes(body)
        servers = {"gateway": (url, gateway.pid)}
        hummingbird = processes.running([floor_binary, "--port", hb_port, "--body-file", static / "order.json", "--server", "hummingbird"],
                                        hb_port, log_path=work / "floor-hummingbird.log")
        nio = processes.running([floor_binary, "--port", nio_port, "--body-file", static / "order.json"], nio_port,
                                log_path=work / "floor-nio.log")
        nginx = proxy = None
        if shutil.which("nginx"):
            conf = work / "nginx.conf"
            conf.write_text(NGINX_CONF.format(work=work, port=nginx_port))
            nginx = processes.running(["nginx", "-p", work, "-c", conf, "-e", work / "nginx-error.log"], nginx_port,
                                      log_path=work / "floor-nginx.log")
            proxy_conf = work / "nginx-proxy.conf"
            proxy_conf.write_text(NGINX_PROXY_CONF.format(work=work, port=proxy_port, upstream=nio_port))
            proxy = processes.running(["nginx", "-p", work, "-c", proxy_conf, "-e", work / "nginx-proxy-error.log"], proxy_port,
                                      log_path=work / "floor-nginx-proxy.log")
        with hummingbird as hb_process, nio as nio_process, (nginx if nginx else contextlib.nullcontext()) as nginx_process, \
                (proxy if proxy else contextlib.nullcontext()) as proxy_process:
            servers["hummingbird"] = (f"http://127.0.0.1:{hb_port}/v1/orders/{order_id}", hb_process.pid)
            servers["nio"] = (f"http://127.0.0.1:{nio_port}/v1/orders/{order_id}", nio_process.pid)
            if nginx_process:
                servers["nginx"] = (f"http://127.0.0.1:{nginx_port}/v1/orders/{order_id}", nginx_process.pid)
            if proxy_process:
                servers["nginx_proxy"] = (f"http://127.0.0.1:{proxy_port}/v1/orders/{order_id}", proxy_process.pid)
            for key, (server_url, _) in servers.items():
                with urllib.request.urlopen(urllib.request.Request(server_url, headers=dict(
                        header.split(": ", 1) for header in AUTHORIZATION)), timeout=10) as response:
                    assert response.read() == body, f"{key} answers other bytes than the gateway"
            rounds = []
            for number in range(1, args.rounds + 1):
                print(f"GetOrder floor round {number}/{args.rounds}: {', '.join(servers)} (wrk)", flush=True)
                entry = {"load1": os.getloadavg()[0]}
                for key, (server_url, pid) in servers.items():
                    # What the hop behind the server costs there: Orders for the gateway, the
                    # SwiftNIO handler for the nginx proxy.
                    upstream_pid = {"gateway": serve_pid, "nginx_proxy": nio_process.pid}.get(key)
                    upstream_before = cpu_seconds(upstream_pid) if upstream_pid else 0
                    before = process_tree_cpu(pid)
                    run = run_wrk(server_url, args.seconds, args.inflight)
                    used = process_tree_cpu(pid) - before
                    requests = int(re.search(r"(\d+) requests in", run["raw"]).group(1))
                    run.update({"requests": requests, "cpu_seconds": used, "cpu_us_per_call": used / max(requests, 1) * 1e6})
                    if upstream_pid:
                        run["upstream_cpu_us_per_call"] = (cpu_seconds(upstream_pid) - upstream_before) / max(requests, 1) * 1e6
                    entry[key] = run
                for key in servers:
                    entry[f"{key}_nio_ratio"] = entry[key]["cpu_us_per_call"] / entry["nio"]["cpu_us_per_call"]
                rounds.append(entry)
            if args.perf:
                profile_gateway(url, gateway.pid, pathlib.Path(args.perf), args)
    result = {"rounds": rounds, "body_bytes": len(body), "servers": list(servers)}
    for key in servers:
        result[f"{key}_rps"] = median_spread([r[key]["rps"] for r in rounds])
        result[f"{key}_cpu_us_per_call"] = median_spread([r[key]["cpu_us_per_call"] for r in rounds])
        result[f"{key}_nio_ratio"] = median_spread([r[f"{key}_nio_ratio"] for r in rounds])
    result["orders_cpu_us_per_call"] = median_spread([r["gateway"]["upstream_cpu_us_per_call"] for r in rounds])
    if "nginx_proxy" in servers:
        result["proxy_upstream_cpu_us_per_call"] = median_spread([r["nginx_proxy"]["upstream_cpu_us_per_call"] for r in rounds])
    return result


def profile_gateway(url: str, pid: int, output: pathlib.Path, args):
    """`perf record -e cpu-clock -g` on the gateway process during one more wrk run of the same
    shape (not one of the measured rounds: sampling costs CPU), then the flat profile by module
    and by symbol (`perf report --no-children`) next to the data file."""
    print(f"Profiling the gateway (perf record, {args.seconds} s) into {output}", flush=True)
    output.parent.mkdir(parents=True, exist_ok=True)
    recorder = subprocess.Popen(["perf", "record", "-q", "-e", "cpu-clock", "-F", "999", "-g", "-p", str(pid), "-o", str(output),
                                 "--", "sleep", str(args.seconds + 1)], stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    run = run_wrk(url, args.seconds, args.inflight)
    recorder.wait()
    for sort, suffix in (("dso", "dso"), ("dso,sym", "sym")):
        report = subprocess.run(["perf", "report", "-i", str(output), "--no-children", "--sort", sort, "--stdio", "-g", "none",
                                 "--percent-limit", "0.3"], capture_output=True, text=True).stdout
        output.with_suffix(f".{suffix}.txt").write_text(f"wrk during the profile: {run['rps']:.0f} req/s\n" + report)
    print(f"profile: {output.with_suffix('.dso.txt')}, {output.with_suffix('.sym.txt')}", flush=True)


def check_direct(port: int, order_id: str):
    """A stock grpcio call first, so h2load's 200s are known to be gRPC successes."""
    import grpc

    orders_pb2 = stubs.load("orderhub.v1.orders_pb2")
    orders_grpc = stubs.load("orderhub.v1.orders_pb2_grpc")
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        metadata = [(name.lower(), value) for name, value in (header.split(": ", 1) for header in AUTHORIZATION)]
        order = orders_grpc.OrdersStub(channel).GetOrder(orders_pb2.GetOrderRequest(id=order_id), timeout=5, metadata=metadata)
        assert order.id == order_id


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--inflight", type=int, default=32)
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--binary", help="an orderhub binary to measure instead of the release build")
    parser.add_argument("--perf", metavar="FILE",
                        help="with the floor section: perf record the gateway during one more run into FILE (and FILE's .dso.txt/.sym.txt)")
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"comma-separated sections to run, of {','.join(SECTIONS)} (default: all)")
    args = parser.parse_args()
    sections = set(args.only.split(","))
    if not sections <= set(SECTIONS) or ("paced" in sections and not {"get", "create"} <= sections):
        sys.exit(f"--only takes {','.join(SECTIONS)}; paced needs get and create")
    for tool in ("wrk", "h2load"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: run `make deps`")
    if not args.no_build:
        products = (["orderhub"] if not args.binary else []) + (["bench-rest-floor"] if "floor" in sections else [])
        for product in products:
            subprocess.run(["swift", "build", "-c", "release", "--product", product], cwd=ROOT, check=True)
    os.environ["ORDERHUB_BUILD_CONFIG"] = "release"
    binary = pathlib.Path(args.binary) if args.binary else processes.bin_path("orderhub")

    orders_pb2 = stubs.load("orderhub.v1.orders_pb2")
    work = pathlib.Path(tempfile.mkdtemp(prefix="orderhub-bench-gateway-"))
    orders_port, payments_port, gateway_port = processes.free_port(), processes.free_port(), processes.free_port()
    serve = [binary, "serve", "--data-dir", work / "data", "--orders-listen", f"127.0.0.1:{orders_port}",
             "--payments-listen", f"127.0.0.1:{payments_port}", "--gateway-listen", f"127.0.0.1:{gateway_port}",
             "--metrics-listen", "127.0.0.1:0"]
    results = {"when": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
               "machine": {"cpus": os.cpu_count(), "load_before": os.getloadavg(), "kernel": platform.release()},
               "seconds": args.seconds, "rounds": args.rounds, "inflight": args.inflight, "sections": sorted(sections)}
    gateway = f"http://127.0.0.1:{gateway_port}"
    direct = f"http://127.0.0.1:{orders_port}"
    with processes.running(serve, gateway_port, log_path=work / "orderhub.log") as serve_process:
        processes.wait_for_port(orders_port)
        token = http_json(f"{gateway}/v1/dev/sign-in", {"customerId": CREATE_BODY["customerId"]})["token"]
        AUTHORIZATION.append(f"Authorization: Bearer {token}")
        order_id = http_json(f"{gateway}/v1/orders", CREATE_BODY)["id"]
        check_direct(orders_port, order_id)
        get_body = work / "get.bin"
        get_body.write_bytes(grpc_frame(orders_pb2.GetOrderRequest(id=order_id).SerializeToString()))
        create_body = work / "create.bin"
        create = orders_pb2.CreateOrderRequest(customer_id="bench", currency="EUR", payment_token="tok_approve",
                                               items=[orders_pb2.LineItem(sku="bench-item", quantity=1, unit_price_cents=100)])
        create_body.write_bytes(grpc_frame(create.SerializeToString()))
        post_env = {"BENCH_BODY": json.dumps(CREATE_BODY)}

        # Direct and gateway measurements alternate, round after round, and the ratio is the
        # median of each round's ratio: on a shared machine the load drifts within seconds, and
        # one direct run followed by one gateway run measures the drift as much as the gateway.
        for key, name, measure_direct, measure_gateway in (
            ("get", "GetOrder",
             lambda: run_h2load(f"{direct}/orderhub.v1.Orders/GetOrder", get_body, args.seconds, args.inflight),
             lambda: run_wrk(f"{gateway}/v1/orders/{order_id}", args.seconds, args.inflight)),
            ("create", "CreateOrder",
             lambda: run_h2load(f"{direct}/orderhub.v1.Orders/CreateOrder", create_body, args.seconds, args.inflight),
             lambda: run_wrk(f"{gateway}/v1/orders", args.seconds, args.inflight, HERE / "post.lua", post_env)),
        ):
            if key not in sections:
                continue
            rounds = []
            for number in range(1, args.rounds + 1):
                print(f"{name} round {number}/{args.rounds}: direct (h2load), then through the gateway (wrk)", flush=True)
                rounds.append({"direct": measure_direct(), "gateway": measure_gateway()})
            for entry in rounds:
                entry["ratio"] = entry["gateway"]["rps"] / entry["direct"]["rps"]
            median = sorted(rounds, key=lambda entry: entry["ratio"])[len(rounds) // 2]
            results[f"{key}_rounds"] = [{"direct_rps": r["direct"]["rps"], "gateway_rps": r["gateway"]["rps"],
                                         "ratio": r["ratio"], "direct": r["direct"], "gateway": r["gateway"]} for r in rounds]
            results[f"{key}_direct"], results[f"{key}_gateway"] = median["direct"], median["gateway"]

        if "floor" in sections:
            results["get_floor"] = measure_floor(binary, processes.bin_path("bench-rest-floor"), work, serve_process.pid,
                                                 orders_port, order_id, args)
        if "tls" in sections:
            results["get_tls"] = measure_tls(binary, work, orders_port, order_id, args)

        if "paced" in sections:
            print("Half the maximum rate, paced", flush=True)
        for key, url, script, env in () if "paced" not in sections else (
            ("get_gateway_half", f"{gateway}/v1/orders/{order_id}", HERE / "paced.lua", {}),
            ("create_gateway_half", f"{gateway}/v1/orders", HERE / "paced.lua", post_env),
        ):
            maximum = results[key.removesuffix("_half")]["rps"]
            connections = 8
            target = maximum / 2
            delay_ms = 1000.0 * connections / target
            run = run_wrk(url, args.seconds, connections, script, {**env, "BENCH_DELAY_MS": f"{delay_ms:.3f}"})
            run["target_rps"] = target
            results[key] = run
    results["machine"]["load_after"] = os.getloadavg()
    write_report(results)
    return 0


def spread(value: dict, digits: int = 0, suffix: str = "") -> str:
    return f"{value['median']:.{digits}f}{suffix} ({value['min']:.{digits}f}–{value['max']:.{digits}f})"


def write_report(results: dict):
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    calls = [(name, key) for name, key in (("GetOrder", "get"), ("CreateOrder", "create")) if f"{key}_gateway" in results]
    lines = [
        f"# Gateway benchmark, {results['when']}",
        "",
        f"{results['machine']['cpus']} CPUs shared by orderhub (all three roles), the load tools and whatever else runs; "
        f"load average before {results['machine']['load_before'][0]:.2f}, after {results['machine']['load_after'][0]:.2f}. "
        f"{results['seconds']} s per measurement, {results['inflight']} requests in flight "
        f"(wrk: {results['inflight']} connections"
        + (f"; h2load: {results[calls[0][1] + '_direct']['connections']} connections × "
           f"{results[calls[0][1] + '_direct']['streams']} streams" if calls else "") + "). "
        f"Sections: {', '.join(results['sections'])}.",
    ]
    targets, failures = [], []
    if calls:
        lines += ["", "| call | direct RPC (h2load) req/s | gateway (wrk) req/s | ratio | gateway p50 | gateway p99 |",
                  "|---|---|---|---|---|---|"]
    for name, key in calls:
        direct, gateway = results[f"{key}_direct"], results[f"{key}_gateway"]
        results[f"{key}_ratio"] = gateway["rps"] / direct["rps"]
        lines.append(f"| {name} | {direct['rps']:.0f} | {gateway['rps']:.0f} | {gateway['rps'] / direct['rps']:.2f}× | "
                     f"{gateway['p50_ms']:.2f} ms | {gateway['p99_ms']:.2f} ms |")
    for name, key in calls:
        listed = ", ".join(f"{r['gateway_rps']:.0f}/{r['direct_rps']:.0f} = {r['ratio']:.2f}×" for r in results[f"{key}_rounds"])
        lines.append(f"\n{name} rounds (gateway/direct req/s; the table shows the median round): {listed}.")
        for number, entry in enumerate(results[f"{key}_rounds"], 1):
            gateway, direct = entry["gateway"], entry["direct"]
            if gateway["non2xx"] or gateway["socket_errors"]:
                failures.append(f"{key} round {number} gateway: {gateway['non2xx']} non-2xx, socket errors {gateway['socket_errors'] or 'none'}")
            if direct.get("failed"):
                failures.append(f"{key} round {number} direct: {direct['failed']} failed")
    if "get" in results["sections"]:
        ratio = results["get_ratio"]
        targets.append(f"GetOrder through the gateway ≥ 0.5× direct RPC ({'met' if ratio >= 0.5 else 'NOT met'}: {ratio:.2f}×)")
    if "get_gateway_half" in results:
        lines += ["", "At half the gateway's maximum rate (8 connections, each paced by a wrk `delay()`):", "",
                  "| call | target req/s | achieved req/s | p50 | p90 | p99 |", "|---|---|---|---|---|---|"]
        for name, key in (("GET /v1/orders/{id}", "get_gateway_half"), ("POST /v1/orders", "create_gateway_half")):
            run = results[key]
            lines.append(f"| {name} | {run['target_rps']:.0f} | {run['rps']:.0f} | {run['p50_ms']:.2f} ms | "
                         f"{run['p90_ms']:.2f} ms | {run['p99_ms']:.2f} ms |")
            if run["non2xx"] or run["socket_errors"]:
                failures.append(f"{key}: {run['non2xx']} non-2xx, socket errors {run['socket_errors'] or 'none'}")
        p99 = results["get_gateway_half"]["p99_ms"]
        targets.append(f"p99 < 5 ms at half the maximum rate ({'met' if p99 < 5 else 'NOT met'} for GET: {p99:.2f} ms)")
    if "get_floor" in results:
        floor = results["get_floor"]
        names = {"gateway": "gateway (`orderhub gateway`, cleartext)", "nio": "plain SwiftNIO HTTP/1.1 (`bench-rest-floor`)",
                 "hummingbird": "one Hummingbird 2 route, no middleware (`bench-rest-floor --server hummingbird`)",
                 "nginx": "nginx (Debian, one process, static file)",
                 "nginx_proxy": "nginx as a reverse proxy in front of the SwiftNIO handler (`proxy_pass`, upstream `keepalive`, HTTP/1.1)"}
        lines += ["", f"GetOrder through the gateway next to its floor: a plain SwiftNIO HTTP/1.1 handler and nginx answering "
                  f"the same {floor['body_bytes']}-byte body (the gateway's own answer, saved to a file); wrk, "
                  f"{results['inflight']} connections kept open, the same shape for all, {len(floor['rounds'])} alternating rounds; "
                  "median (min–max); CPU is the server process's utime+stime ÷ requests (for nginx, its process and workers; for "
                  "the nginx proxy, the proxy alone, with the SwiftNIO handler behind it below, as Orders is for the gateway). "
                  "The machine is shared: compare the ratios of one run.", "",
                  "| server | req/s | CPU µs/request | ÷ SwiftNIO (each round's ratio) |", "|---|---|---|---|"]
        for key in floor["servers"]:
            lines.append(f"| {names[key]} | {spread(floor[f'{key}_rps'])} | {spread(floor[f'{key}_cpu_us_per_call'], 1)} | "
                         f"{spread(floor[f'{key}_nio_ratio'], 2, '×')} |")
        lines.append(f"| Orders (the `serve` process) while the gateway runs, per request | | "
                     f"{spread(floor['orders_cpu_us_per_call'], 1)} | |")
        if "proxy_upstream_cpu_us_per_call" in floor:
            lines.append(f"| the SwiftNIO handler behind the nginx proxy, per request | | "
                         f"{spread(floor['proxy_upstream_cpu_us_per_call'], 1)} | |")
        ratio = floor["gateway_nio_ratio"]["median"]
        targets.append(f"gateway CPU per GET ≤ 2× the plain SwiftNIO handler ({'met' if ratio <= 2 else 'NOT met'}: {ratio:.2f}×)")
        for number, entry in enumerate(floor["rounds"], 1):
            for key in floor["servers"]:
                if entry[key]["non2xx"] or entry[key]["socket_errors"]:
                    failures.append(f"floor round {number} {key}: {entry[key]['non2xx']} non-2xx, "
                                    f"socket errors {entry[key]['socket_errors'] or 'none'}")
    if "get_tls" in results:
        tls = results["get_tls"]
        lines += ["", "GetOrder through the gateway over HTTPS next to cleartext: two more gateway processes (`orderhub gateway`, "
                  "the same binary; one with `--tls-cert-file/--tls-key-file` from `orderhub dev-certs`), both in front of the same "
                  f"Orders over a {tls['hop_to_orders']} hop; wrk, {results['inflight']} connections kept open (one handshake each), "
                  f"{len(tls['rounds'])} alternating rounds; median (min–max); CPU is the gateway process's utime+stime ÷ requests.", "",
                  "| gateway | req/s | CPU µs/call |", "|---|---|---|"]
        for name, key in (("cleartext (http)", "plain"), ("TLS (https)", "tls")):
            lines.append(f"| {name} | {spread(tls[f'{key}_rps'])} | {spread(tls[f'{key}_cpu_us_per_call'], 1)} |")
        lines.append(f"| **TLS ÷ cleartext** (each round's ratio) | {spread(tls['rps_ratio'], 2, '×')} | {spread(tls['cpu_ratio'], 2, '×')} |")
        results["get_tls_ratio"] = tls["rps_ratio"]["median"]
        for number, entry in enumerate(tls["rounds"], 1):
            for key in ("plain", "tls"):
                if entry[key]["non2xx"] or entry[key]["socket_errors"]:
                    failures.append(f"TLS round {number} {key} gateway: {entry[key]['non2xx']} non-2xx, "
                                    f"socket errors {entry[key]['socket_errors'] or 'none'}")
    lines += ["", "Targets: " + ("; ".join(targets) if targets else "none in these sections") + ".",
              "", "Errors: " + ("; ".join(failures) if failures else "none.")]
    text = "\n".join(lines) + "\n"
    (RESULTS / f"gateway-{stamp}.md").write_text(text)
    (RESULTS / f"gateway-{stamp}.json").write_text(json.dumps(results, indent=2))
    print(text)


if __name__ == "__main__":
    sys.exit(main())
