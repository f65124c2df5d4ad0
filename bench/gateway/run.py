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

Throughput is measured in rounds (--rounds, default 3), each a direct run then a gateway run;
the reported pair is the round with the median ratio, and every round is listed.

Options: --seconds S (per measurement, default 10), --rounds N (default 3), --inflight N (default 32), --no-build,
--binary PATH (measure another orderhub build).
Results: bench/results/gateway-<UTC time>.md and .json.
"""
import argparse
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
    args = parser.parse_args()
    for tool in ("wrk", "h2load"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: run `make deps`")
    if args.binary:
        binary = pathlib.Path(args.binary)
    else:
        if not args.no_build:
            subprocess.run(["swift", "build", "-c", "release", "--product", "orderhub"], cwd=ROOT, check=True)
        os.environ["ORDERHUB_BUILD_CONFIG"] = "release"
        binary = processes.bin_path("orderhub")

    orders_pb2 = stubs.load("orderhub.v1.orders_pb2")
    work = pathlib.Path(tempfile.mkdtemp(prefix="orderhub-bench-gateway-"))
    orders_port, payments_port, gateway_port = processes.free_port(), processes.free_port(), processes.free_port()
    serve = [binary, "serve", "--data-dir", work / "data", "--orders-listen", f"127.0.0.1:{orders_port}",
             "--payments-listen", f"127.0.0.1:{payments_port}", "--gateway-listen", f"127.0.0.1:{gateway_port}",
             "--metrics-listen", "127.0.0.1:0"]
    results = {"when": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
               "machine": {"cpus": os.cpu_count(), "load_before": os.getloadavg(), "kernel": platform.release()},
               "seconds": args.seconds, "rounds": args.rounds, "inflight": args.inflight}
    gateway = f"http://127.0.0.1:{gateway_port}"
    direct = f"http://127.0.0.1:{orders_port}"
    with processes.running(serve, gateway_port, log_path=work / "orderhub.log"):
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

        results["get_tls"] = measure_tls(binary, work, orders_port, order_id, args)

        print("Half the maximum rate, paced", flush=True)
        for key, url, script, env in (
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


def write_report(results: dict):
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    get_ratio = results["get_gateway"]["rps"] / results["get_direct"]["rps"]
    create_ratio = results["create_gateway"]["rps"] / results["create_direct"]["rps"]
    results["get_ratio"], results["create_ratio"] = get_ratio, create_ratio
    lines = [
        f"# Gateway benchmark, {results['when']}",
        "",
        f"{results['machine']['cpus']} CPUs shared by orderhub (all three roles), the load tools and whatever else runs; "
        f"load average before {results['machine']['load_before'][0]:.2f}, after {results['machine']['load_after'][0]:.2f}. "
        f"{results['seconds']} s per measurement, {results['inflight']} requests in flight "
        f"(wrk: {results['inflight']} connections; h2load: {results['get_direct']['connections']} connections × "
        f"{results['get_direct']['streams']} streams).",
        "",
        "| call | direct RPC (h2load) req/s | gateway (wrk) req/s | ratio | gateway p50 | gateway p99 |",
        "|---|---|---|---|---|---|",
    ]
    for name, key in (("GetOrder", "get"), ("CreateOrder", "create")):
        direct, gateway = results[f"{key}_direct"], results[f"{key}_gateway"]
        lines.append(f"| {name} | {direct['rps']:.0f} | {gateway['rps']:.0f} | {gateway['rps'] / direct['rps']:.2f}× | "
                     f"{gateway['p50_ms']:.2f} ms | {gateway['p99_ms']:.2f} ms |")
    for name, key in (("GetOrder", "get"), ("CreateOrder", "create")):
        listed = ", ".join(f"{r['gateway_rps']:.0f}/{r['direct_rps']:.0f} = {r['ratio']:.2f}×" for r in results[f"{key}_rounds"])
        lines.append(f"\n{name} rounds (gateway/direct req/s; the table shows the median round): {listed}.")
    lines += ["", "At half the gateway's maximum rate (8 connections, each paced by a wrk `delay()`):", "",
              "| call | target req/s | achieved req/s | p50 | p90 | p99 |", "|---|---|---|---|---|---|"]
    for name, key in (("GET /v1/orders/{id}", "get_gateway_half"), ("POST /v1/orders", "create_gateway_half")):
        run = results[key]
        lines.append(f"| {name} | {run['target_rps']:.0f} | {run['rps']:.0f} | {run['p50_ms']:.2f} ms | "
                     f"{run['p90_ms']:.2f} ms | {run['p99_ms']:.2f} ms |")
    tls = results["get_tls"]
    lines += ["", "GetOrder through the gateway over HTTPS next to cleartext: two more gateway processes (`orderhub gateway`, "
              "the same binary; one with `--tls-cert-file/--tls-key-file` from `orderhub dev-certs`), both in front of the same "
              f"Orders over a {tls['hop_to_orders']} hop; wrk, {results['inflight']} connections kept open (one handshake each), "
              f"{len(tls['rounds'])} alternating rounds; median (min–max); CPU is the gateway process's utime+stime ÷ requests.", "",
              "| gateway | req/s | CPU µs/call |", "|---|---|---|"]
    for name, key in (("cleartext (http)", "plain"), ("TLS (https)", "tls")):
        rps, cpu = tls[f"{key}_rps"], tls[f"{key}_cpu_us_per_call"]
        lines.append(f"| {name} | {rps['median']:.0f} ({rps['min']:.0f}–{rps['max']:.0f}) | "
                     f"{cpu['median']:.1f} ({cpu['min']:.1f}–{cpu['max']:.1f}) |")
    rr, cr = tls["rps_ratio"], tls["cpu_ratio"]
    lines.append(f"| **TLS ÷ cleartext** (each round's ratio) | {rr['median']:.2f}× ({rr['min']:.2f}–{rr['max']:.2f}) | "
                 f"{cr['median']:.2f}× ({cr['min']:.2f}–{cr['max']:.2f}) |")
    results["get_tls_ratio"] = rr["median"]
    failures = [f"{k}: {v['non2xx']} non-2xx, socket errors {v['socket_errors'] or 'none'}"
                for k, v in results.items() if isinstance(v, dict) and "non2xx" in v and (v["non2xx"] or v["socket_errors"])]
    failures += [f"{k}: {v['failed']} failed" for k, v in results.items() if isinstance(v, dict) and v.get("failed")]
    for key in ("get", "create"):
        for number, entry in enumerate(results[f"{key}_rounds"], 1):
            gateway, direct = entry["gateway"], entry["direct"]
            if gateway["non2xx"] or gateway["socket_errors"]:
                failures.append(f"{key} round {number} gateway: {gateway['non2xx']} non-2xx, socket errors {gateway['socket_errors'] or 'none'}")
            if direct.get("failed"):
                failures.append(f"{key} round {number} direct: {direct['failed']} failed")
    for number, entry in enumerate(tls["rounds"], 1):
        for key in ("plain", "tls"):
            if entry[key]["non2xx"] or entry[key]["socket_errors"]:
                failures.append(f"TLS round {number} {key} gateway: {entry[key]['non2xx']} non-2xx, "
                                f"socket errors {entry[key]['socket_errors'] or 'none'}")
    lines += ["", "Targets: GetOrder through the gateway ≥ 0.5× direct RPC "
              f"({'met' if get_ratio >= 0.5 else 'NOT met'}: {get_ratio:.2f}×); p99 < 5 ms at half the maximum rate "
              f"({'met' if results['get_gateway_half']['p99_ms'] < 5 else 'NOT met'} for GET: "
              f"{results['get_gateway_half']['p99_ms']:.2f} ms).",
              "", "Errors: " + ("; ".join(failures) if failures else "none.")]
    text = "\n".join(lines) + "\n"
    (RESULTS / f"gateway-{stamp}.md").write_text(text)
    (RESULTS / f"gateway-{stamp}.json").write_text(json.dumps(results, indent=2))
    print(text)


if __name__ == "__main__":
    sys.exit(main())
