#!/usr/bin/env python3
"""Renders the fault harness's results (`make test-faults` writes one JSON line per scenario to
.build/test-output/faults/results.jsonl) into the table of docs/failure-modes.md.

    scripts/render-failure-modes.py [RESULTS] [OUTPUT]
"""
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
RESULTS = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / ".build/test-output/faults/results.jsonl"
OUTPUT = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "docs/failure-modes.md"
ORDER = ["orders-payments-partition", "payments-frozen", "payments-slow", "postgres-restart", "postgres-backends-killed",
         "gateway-orders-partition", "sqlite-disk-full", "orders-overload", "gateway-overload"]
BEGIN, END = "<!-- results: begin -->", "<!-- results: end -->"


def codes(summary: dict) -> str:
    return ", ".join(f"{code} {count}" for code, count in sorted(summary["codes"].items(), key=lambda item: -item[1])) or "none"


def seen(result: dict) -> str:
    during = result["during"]
    text = f"creates: {codes(during)}; slowest {during['max_seconds']} s"
    if during["failed_max_seconds"]:
        text += f", slowest failure {during['failed_max_seconds']} s"
    if "overload" in result:
        overload = result["overload"]
        text = (f"{result['offered_per_second']}/s offered (capacity {result['capacity_per_second']}/s): {codes(overload)}; "
                f"admitted p50 {overload['ok_p50']} s, p99 {overload['ok_p99']} s; refused p99 {overload['shed_p99']} s")
    return text


def recovery(result: dict) -> str:
    parts = []
    if result.get("first_ok_after_heal_seconds") is not None:
        parts.append(f"first create OK {result['first_ok_after_heal_seconds']} s after")
    if result.get("payments_resumed_after_heal_seconds") is not None:
        parts.append(f"Payments answering {result['payments_resumed_after_heal_seconds']} s after")
    parts.append(f"every order final {result['settled_after_heal_seconds']} s after")
    if "rss_growth_kib" in result:
        parts.append(f"RSS +{result['rss_growth_kib'] // 1024} MiB under the overload")
    return "; ".join(parts)


def outcome(result: dict) -> str:
    ok = "checker ok" if not result["violations"] else f"**{len(result['violations'])} violations**"
    return (f"{result['orders']} orders: {result['delivered']} delivered, {result['cancelled']} cancelled, "
            f"{result['refunded']} refunded; {ok}")


def main() -> None:
    latest = {}
    for line in RESULTS.read_text().splitlines():
        if line.strip():
            result = json.loads(line)
            latest[result["scenario"]] = result
    rows = ["| Fault | Lasted | What clients saw | Acknowledged, lost | Recovery after the fault healed | History checker |",
            "|---|---|---|---|---|---|"]
    for name in sorted(latest, key=lambda n: ORDER.index(n) if n in ORDER else len(ORDER)):
        result = latest[name]
        rows.append(f"| {result['fault']} | {result['fault_seconds']:g} s | {seen(result)} | "
                    f"{result['acknowledged']}, **{result['lost']}** | {recovery(result)} | {outcome(result)} |")
    text = OUTPUT.read_text()
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    OUTPUT.write_text(head + BEGIN + "\n" + "\n".join(rows) + "\n" + END + tail)


if __name__ == "__main__":
    main()
