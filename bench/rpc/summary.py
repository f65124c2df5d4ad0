"""Per server and shape: medians and spreads over the rounds, and ratios to the C++ server."""
import statistics

from config import (MEMORY_SHAPE, TARGET_CPU_RATIO, TARGET_RPS_RATIO, TARGET_RSS_RATIO, TARGET_SHAPE)

BASELINE = "cpp"


def _spread(values: list) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def _median(runs: list, key: str):
    values = [r[key] for r in runs if key in r]
    return statistics.median(values) if values else None


def summarize(runs: list, servers: list, shapes: list) -> list:
    """One row per (server, shape) with at least one good run; missing servers get a marker row."""
    rows = []
    for shape in shapes:
        for server in servers:
            row = {"server": server.key, "title": server.title, "shape": shape.label}
            if server.missing:
                rows.append({**row, "missing": server.missing})
                continue
            mine = [r for r in runs if r["server"] == server.key and r["shape"] == shape.label]
            good = [r for r in mine if "error" not in r]
            row["errors"] = [r["error"] for r in mine if "error" in r]
            if not good:
                rows.append({**row, "missing": "; ".join(row["errors"]) or "no run"})
                continue
            row.update({
                "rounds": len(good),
                "rps": _spread([r["rps"] for r in good]),
                "cpu_us_per_call": _spread([r["cpu_us_per_call"] for r in good]),
                "latency_mean_us": _median(good, "latency_mean_us"),
                "latency_p50_us": _median(good, "latency_p50_us"),
                "latency_p99_us": _median(good, "latency_p99_us"),
                "peak_rss_kib": max(r["peak_rss_kib"] for r in good),
                "server_core_percent": _median(good, "server_core_percent"),
                "failures": sum(r["failures"] for r in good),
                "calls": sum(r["done"] for r in good),
            })
            rows.append(row)
    _add_ratios(rows)
    return rows


def _add_ratios(rows: list) -> None:
    base = {r["shape"]: r for r in rows if r["server"] == BASELINE and "rps" in r}
    for r in rows:
        b = base.get(r["shape"])
        if b is None or "rps" not in r:
            continue
        r["rps_ratio"] = r["rps"]["median"] / b["rps"]["median"]
        r["cpu_ratio"] = r["cpu_us_per_call"]["median"] / b["cpu_us_per_call"]["median"]
        r["rss_ratio"] = r["peak_rss_kib"] / b["peak_rss_kib"]


def targets(rows: list, soak) -> list:
    """The issue's four targets for our server, each with what was measured and a verdict."""
    def ours_at(shape):
        return next((r for r in rows if r["server"] == "ours" and r["shape"] == shape.label), None)

    def check(name, required, shape, key, limit, at_least):
        row = ours_at(shape)
        if row is None or key not in row:
            reason = (row or {}).get("missing", "no result")
            return {"target": name, "required": required, "measured": None, "verdict": f"not measured: {reason}"}
        value = row[key]
        ok = value >= limit if at_least else value <= limit
        return {"target": name, "required": required, "measured": value, "verdict": "PASS" if ok else "MISS"}

    result = [
        check(f"req/s vs C++ ({TARGET_SHAPE.label})", f"≥ {TARGET_RPS_RATIO}×", TARGET_SHAPE, "rps_ratio",
              TARGET_RPS_RATIO, True),
        check(f"CPU per call vs C++ ({TARGET_SHAPE.label})", f"≤ {TARGET_CPU_RATIO}×", TARGET_SHAPE, "cpu_ratio",
              TARGET_CPU_RATIO, False),
        check(f"peak RSS vs C++ ({MEMORY_SHAPE.label})", f"≤ {TARGET_RSS_RATIO}×", MEMORY_SHAPE, "rss_ratio",
              TARGET_RSS_RATIO, False),
    ]
    if soak is None or "growth_kib" not in soak:
        reason = (soak or {}).get("skipped", "soak not run")
        result.append({"target": "RSS growth over 2 M calls", "required": "none", "measured": None,
                       "verdict": f"not measured: {reason}"})
    else:
        result.append({"target": f"RSS growth over {soak['calls']:,} calls ({soak['server']})",
                       "required": f"≤ {soak['growth_limit_kib']} KiB (noise)",
                       "measured": soak["growth_kib"], "verdict": "PASS" if soak["passed"] else "MISS"})
    return result


PLAIN, TLS = "ours", "ours-tls"
TARGET_TLS_RPS_RATIO = 0.75     # TLS may cost at most 25 % of plaintext req/s (issue 10)


def tls_cost(runs: list, shapes: list) -> list:
    """Per shape: ours over TLS next to plaintext ours, from the same run. The ratio is the median
    of each round's ratio (the two ran seconds apart), with its spread; CPU per call likewise."""
    result = []
    for shape in shapes:
        def good(key):
            return {r["round"]: r for r in runs
                    if r["server"] == key and r["shape"] == shape.label and "error" not in r}
        plain, tls = good(PLAIN), good(TLS)
        paired = sorted(set(plain) & set(tls))
        if not paired:
            result.append({"shape": shape.label, "missing": "no round with both ours and ours-tls"})
            continue
        rps_ratios = [tls[n]["rps"] / plain[n]["rps"] for n in paired]
        cpu_ratios = [tls[n]["cpu_us_per_call"] / plain[n]["cpu_us_per_call"] for n in paired]
        result.append({
            "shape": shape.label, "rounds": len(paired),
            "plain_rps": _spread([plain[n]["rps"] for n in paired]),
            "tls_rps": _spread([tls[n]["rps"] for n in paired]),
            "rps_ratio": _spread(rps_ratios),
            "plain_cpu_us_per_call": _spread([plain[n]["cpu_us_per_call"] for n in paired]),
            "tls_cpu_us_per_call": _spread([tls[n]["cpu_us_per_call"] for n in paired]),
            "cpu_ratio": _spread(cpu_ratios),
            "failures": sum(plain[n]["failures"] + tls[n]["failures"] for n in paired),
        })
    return result


def variant_cost(runs: list, shapes: list, base: str, variant: str) -> list:
    """Per shape: `variant` next to `base` from the same run: CPU per call and req/s, each
    round's ratio (median and spread over the rounds)."""
    result = []
    for shape in shapes:
        def good(key):
            return {r["round"]: r for r in runs
                    if r["server"] == key and r["shape"] == shape.label and "error" not in r}
        first, second = good(base), good(variant)
        paired = sorted(set(first) & set(second))
        if not paired:
            result.append({"shape": shape.label, "base": base, "variant": variant,
                           "missing": f"no round with both {base} and {variant}"})
            continue
        result.append({
            "shape": shape.label, "base": base, "variant": variant, "rounds": len(paired),
            "base_cpu_us_per_call": _spread([first[n]["cpu_us_per_call"] for n in paired]),
            "variant_cpu_us_per_call": _spread([second[n]["cpu_us_per_call"] for n in paired]),
            "cpu_ratio": _spread([second[n]["cpu_us_per_call"] / first[n]["cpu_us_per_call"] for n in paired]),
            "rps_ratio": _spread([second[n]["rps"] / first[n]["rps"] for n in paired]),
        })
    return result


def observability_cost(runs: list, shapes: list) -> list:
    """What metrics cost (ours over ours-no-metrics) and what exporting traces costs on top
    (ours-tracing over ours; ours-tracing-1pct, one call in a hundred sampled, over ours)."""
    return (variant_cost(runs, shapes, "ours-no-metrics", "ours") + variant_cost(runs, shapes, "ours", "ours-tracing")
            + variant_cost(runs, shapes, "ours", "ours-tracing-1pct"))


def metrics_target(costs: list) -> dict:
    """The issue-12 target: metrics cost ≤ 5 % CPU per call at c=8 m=16."""
    name = f"metrics CPU per call vs none ({TARGET_SHAPE.label})"
    row = next((c for c in costs if c["shape"] == TARGET_SHAPE.label and c["variant"] == "ours"), None)
    if row is None or "cpu_ratio" not in row:
        return {"target": name, "required": "≤ 1.05×", "measured": None,
                "verdict": f"not measured: {(row or {}).get('missing', 'no result')}"}
    value = row["cpu_ratio"]["median"]
    return {"target": name, "required": "≤ 1.05×", "measured": value, "verdict": "PASS" if value <= 1.05 else "MISS"}


def tls_target(costs: list) -> dict:
    """The issue-10 target on the RPC path: TLS costs ≤ 25 % req/s at c=8 m=16."""
    name = f"TLS req/s vs plaintext ({TARGET_SHAPE.label}, connections reused)"
    required = f"≥ {TARGET_TLS_RPS_RATIO}× (≤ 25 % cost)"
    row = next((c for c in costs if c["shape"] == TARGET_SHAPE.label), None)
    if row is None or "rps_ratio" not in row:
        return {"target": name, "required": required, "measured": None,
                "verdict": f"not measured: {(row or {}).get('missing', 'no result')}"}
    value = row["rps_ratio"]["median"]
    return {"target": name, "required": required, "measured": value,
            "verdict": "PASS" if value >= TARGET_TLS_RPS_RATIO else "MISS"}


FLOOR = "nghttpd"
# Issue 13: the product's Orders process against the nghttp2 floor, per shape (req/s ratio).
FLOOR_TARGETS = {"c=8 m=16": 0.67, "c=64 m=1": 0.8}
FLOOR_SERVERS = ("ours-orders", "ours")


def floor_ratios(runs: list, shapes: list) -> list:
    """Per shape: ours-orders (and ours) next to nghttpd, each round's req/s and CPU-per-call ratio."""
    result = []
    for server in FLOOR_SERVERS:
        for cost in variant_cost(runs, shapes, FLOOR, server):
            if "missing" not in cost:
                result.append(cost)
    return result


def floor_targets(runs: list, rows: list) -> list:
    """Issue 13's RPC targets, judged on ours-orders: its median req/s ÷ nghttpd's, per shape
    (each round's ratio is in `floor`)."""
    result = []
    for shape, limit in FLOOR_TARGETS.items():
        name = f"Orders process req/s vs nghttpd ({shape})"
        required = f"≥ {limit}×"
        mine = next((r for r in rows if r["server"] == "ours-orders" and r["shape"] == shape), None)
        floor = next((r for r in rows if r["server"] == FLOOR and r["shape"] == shape), None)
        if mine is None or floor is None or "rps" not in mine or "rps" not in floor:
            reason = "; ".join(r.get("missing", "no result") for r in (mine, floor) if r is not None and "rps" not in r)
            result.append({"target": name, "required": required, "measured": None,
                           "verdict": f"not measured: {reason or 'ours-orders or nghttpd not run'}"})
            continue
        value = mine["rps"]["median"] / floor["rps"]["median"]
        result.append({"target": name, "required": required, "measured": value,
                       "verdict": "PASS" if value >= limit else "MISS"})
    return result
