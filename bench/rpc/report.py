"""The results as a Markdown table and a JSON file under bench/results/, named by date and time."""
import json

from config import RESULTS


def _num(value, digits=0, suffix=""):
    return "–" if value is None else f"{value:,.{digits}f}{suffix}"


def _ratio(row, key):
    return f"{row[key]:.2f}×" if key in row else "–"


def table(rows: list) -> str:
    head = ("| server | shape | req/s median | req/s min–max | ×C++ | latency mean / p50 / p99 (µs) "
            "| CPU µs/call (min–max) | ×C++ | peak RSS MiB | ×C++ | server core | failed |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        if "missing" in r:
            lines.append(f"| {r['title']} | {r['shape']} | **MISSING**: {r['missing']} |" + " |" * 9)
            continue
        rps, cpu = r["rps"], r["cpu_us_per_call"]
        lines.append(
            f"| {r['title']} | {r['shape']} | {_num(rps['median'])} | {_num(rps['min'])}–{_num(rps['max'])} "
            f"| {_ratio(r, 'rps_ratio')} "
            f"| {_num(r['latency_mean_us'])} / {_num(r['latency_p50_us'])} / {_num(r['latency_p99_us'])} "
            f"| {_num(cpu['median'], 2)} ({_num(cpu['min'], 2)}–{_num(cpu['max'], 2)}) | {_ratio(r, 'cpu_ratio')} "
            f"| {_num(r['peak_rss_kib'] / 1024, 1)} | {_ratio(r, 'rss_ratio')} "
            f"| {_num(r['server_core_percent'])}% | {r['failures']} |")
    return "\n".join(lines)


def targets_table(targets: list) -> str:
    lines = ["| target (ours) | required | measured | verdict |", "|---|---|---|---|"]
    for t in targets:
        m = t["measured"]
        shown = "–" if m is None else (f"{m:.2f}×" if isinstance(m, float) else f"{m:,} KiB")
        lines.append(f"| {t['target']} | {t['required']} | {shown} | {t['verdict']} |")
    return "\n".join(lines)


def tls_table(costs: list) -> str:
    """ours-tls next to plaintext ours: req/s and CPU per call, each round's ratio."""
    lines = ["| shape | ours req/s | ours-tls req/s | TLS ÷ plaintext req/s (min–max) | ours CPU µs/call "
             "| ours-tls CPU µs/call | TLS ÷ plaintext CPU/call (min–max) | rounds |", "|---|---|---|---|---|---|---|---|"]
    for c in costs:
        if "missing" in c:
            lines.append(f"| {c['shape']} | **not measured**: {c['missing']} |" + " |" * 6)
            continue
        rr, cr = c["rps_ratio"], c["cpu_ratio"]
        lines.append(
            f"| {c['shape']} | {_num(c['plain_rps']['median'])} | {_num(c['tls_rps']['median'])} "
            f"| {rr['median']:.2f}× ({rr['min']:.2f}–{rr['max']:.2f}) "
            f"| {_num(c['plain_cpu_us_per_call']['median'], 2)} | {_num(c['tls_cpu_us_per_call']['median'], 2)} "
            f"| {cr['median']:.2f}× ({cr['min']:.2f}–{cr['max']:.2f}) | {c['rounds']} |")
    return "\n".join(lines)


def observability_table(costs: list) -> str:
    """Metrics on next to off, tracing exporting next to metrics only: CPU per call and req/s."""
    lines = ["| shape | compared | CPU µs/call | ÷ base CPU/call (min–max) | ÷ base req/s (min–max) | rounds |",
             "|---|---|---|---|---|---|"]
    for c in costs:
        compared = f"{c['variant']} vs {c['base']}"
        if "missing" in c:
            lines.append(f"| {c['shape']} | {compared} | **not measured**: {c['missing']} | | | |")
            continue
        cr, rr = c["cpu_ratio"], c["rps_ratio"]
        lines.append(
            f"| {c['shape']} | {compared} | {_num(c['base_cpu_us_per_call']['median'], 2)} → "
            f"{_num(c['variant_cpu_us_per_call']['median'], 2)} | {cr['median']:.3f}× ({cr['min']:.3f}–{cr['max']:.3f}) "
            f"| {rr['median']:.3f}× ({rr['min']:.3f}–{rr['max']:.3f}) | {c['rounds']} |")
    return "\n".join(lines)


def _load_range(runs: list) -> str:
    loads = [r["load1_at_start"] for r in runs if "load1_at_start" in r]
    return f"{min(loads):.1f}–{max(loads):.1f}" if loads else "–"


def markdown(result: dict) -> str:
    env, settings = result["environment"], result["settings"]
    parts = [
        f"# RPC benchmark, {result['started']}",
        "",
        f"Command: `{result['command']}`  ",
        f"h2load: `{result['h2load_command']}`  ",
        f"{settings['rounds']} interleaved rounds; per run a fresh server pinned to core {settings['server_core']} "
        f"(taskset), h2load on core {settings['client_core']}, {settings['warmup_seconds']} s warm-up, "
        f"{settings['measure_seconds']} s measured. Median over rounds; spread is min–max; peak RSS is the "
        f"largest VmHWM of the rounds; CPU/call is the server's utime+stime over the measured run ÷ calls; "
        f"server core = that CPU time ÷ wall time (well below 100% means the server was not the limit).",
        "",
        f"Machine: {env['cpu']}, {env['cores']} cores, kernel {env['kernel']}, load average at start "
        f"{', '.join(f'{x:.2f}' for x in env['load_average_at_start'])}. {env['h2load']}, gRPC C++ {env['grpc++']}, "
        f"grpcio {env['grpcio']}, commit {env['git_commit']}.",
        "",
        f"**Noisy**: the machine is shared with other jobs (builds) while this runs (1-minute load average "
        f"at the start of the runs: {_load_range(result['runs'])} on {env['cores']} cores); compare ratios "
        "within one table, not absolute numbers across tables.",
        "",
        table(result["rows"]),
        "",
        "Checks (one call sent as h2load sends it, read with Python h2): " +
        "; ".join(f"{k}: {v}" for k, v in result["checks"].items()),
        "",
        targets_table(result["targets"]),
    ]
    if result.get("observability"):
        parts += ["", "Observability: `ours` (metrics on, the default) next to `ours-no-metrics` (`--metrics off`), "
                      "`ours-tracing` (a span per call exported over OTLP/HTTP to a local sink) and `ours-tracing-1pct` "
                      "(1 % of the calls sampled) next to `ours`; "
                      "each round's ratio, median and min–max.", "", observability_table(result["observability"])]
    if result.get("baseline"):
        parts += ["", f"Before/after: `baseline` is {result['baseline_label']} (`--baseline`), run in the same rounds; "
                      "each round's ours ÷ baseline ratio, median and min–max (below 1× CPU per call is cheaper now).",
                  "", observability_table(result["baseline"])]
    if result.get("floor"):
        parts += ["", "Against the nghttp2 floor (issue 13; the targets are judged on `ours-orders`, the product's "
                      "Orders process answering Health/Check): each round's server ÷ nghttpd, median and min–max.", "",
                  observability_table(result["floor"])]
    if result.get("orders_baseline"):
        parts += ["", f"Before/after, Orders: `orders-baseline` is {result['orders_baseline_label']} "
                      "(`--orders-baseline`), run in the same rounds; each round's ours-orders ÷ orders-baseline, "
                      "median and min–max (below 1× CPU per call is cheaper now).", "",
                  observability_table(result["orders_baseline"])]
    if result.get("tls"):
        parts += ["", "TLS next to plaintext (the same binary, `--tls on`, ALPN h2; each h2load connection "
                      "does its handshake once and then carries all its calls): each round's ours-tls ÷ ours, median "
                      "and min–max over the rounds.", "", tls_table(result["tls"])]
    soak = result.get("soak")
    if soak and "growth_kib" in soak:
        parts += ["", f"Soak ({soak['server']}, c=8 m=16, {soak['calls']:,} calls after {soak['warmup_calls']:,} "
                      f"warm-up, {soak['failures']} failed): VmRSS KiB after warm-up then each batch: "
                      f"{soak['rss_kib_after_warmup_then_each_batch']}; VmHWM {soak['peak_rss_kib']} KiB."]
    return "\n".join(parts) + "\n"


def write(result: dict) -> tuple:
    """Writes rpc-<date>-<time>.md and .json; returns their paths."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = RESULTS / f"rpc-{result['started'].replace(':', '').replace(' ', '-')}"
    md, js = stem.with_suffix(".md"), stem.with_suffix(".json")
    md.write_text(markdown(result))
    js.write_text(json.dumps(result, indent=2, default=str) + "\n")
    return md, js
