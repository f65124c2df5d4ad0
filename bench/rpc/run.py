"""`make bench-rpc`: h2load against our server and three peers, interleaved rounds, then a soak.

Options (pass through make as BENCH_ARGS="…"):
  --rounds N --seconds S --warmup S   override the defaults in config.py
  --only KEY[,KEY]                    servers to run: ours (and its variants, see config.py),
                                      ours-orders (the product's Orders process), cpp, python,
                                      nghttpd, baseline, orders-baseline
  --no-soak                           skip the memory soak
  --soak-only                         run only the soak
  --soak-server KEY                   soak another server instead of ours (to compare)
  --no-build                          use the already built release binaries of ours
  --baseline BINARY                   another bench-health-server build, run as `baseline`
  --orders-baseline BINARY            another `orderhub` build, run as Orders (`orders-baseline`)
"""
import argparse
import dataclasses
import os
import datetime
import shlex
import sys
import time

import environment
import h2load
import orders
import otlp_sink
import ours
import peers
import report
import soak
import summary
from config import OUT, REQUEST_FRAME, Config, Shape
from measure import BODY, run_once

RUN_OVERHEAD_SECONDS = 3          # start-up, check and stop of a server, per run
SOAK_CALLS_PER_SECOND_GUESS = 50_000


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", type=int)
    p.add_argument("--seconds", type=int)
    p.add_argument("--warmup", type=int)
    p.add_argument("--only")
    p.add_argument("--no-soak", action="store_true")
    p.add_argument("--soak-only", action="store_true")
    p.add_argument("--soak-server", default="ours")
    p.add_argument("--no-build", action="store_true")
    p.add_argument("--baseline", metavar="BINARY",
                   help="another build of bench-health-server (e.g. from an older commit), run as `baseline` "
                        "in the same rounds; the report compares ours with it")
    p.add_argument("--baseline-label", default="an older build", help="what --baseline is, for the report")
    p.add_argument("--orders-baseline", metavar="BINARY",
                   help="another build of orderhub, run as Orders (`orders-baseline`) in the same rounds; the report "
                        "compares ours-orders with it")
    p.add_argument("--orders-baseline-label", default="an older build", help="what --orders-baseline is")
    return p.parse_args()


def configure(args) -> Config:
    config = Config.defaults()
    overrides = {"rounds": args.rounds, "measure_seconds": args.seconds, "warmup_seconds": args.warmup}
    return dataclasses.replace(config, **{k: v for k, v in overrides.items() if v is not None})


def main() -> int:
    args = parse_args()
    config = configure(args)
    OUT.mkdir(parents=True, exist_ok=True)
    # prepare.sh writes it too; here as well, so a run of ours alone needs no prepare.sh.
    BODY.write_bytes(REQUEST_FRAME)
    # `ours-tracing` exports its spans here (the variable reaches every server; only a server
    # started with `--tracing on` reads it). A thread of this process, not on the server's core.
    os.environ["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp_sink.start()
    keep = set(args.only.split(",")) if args.only else None
    # The bench-health-server build only when one of its runs is asked for.
    health_keys = {"ours", "baseline", *(key for key, _ in config.ours.variants)}
    servers = [*ours.prepare(config.ours, build=not args.no_build and (keep is None or bool(keep & health_keys)))]
    if keep is None or orders.KEY in keep:
        servers.append(orders.prepare(build=not args.no_build))
    servers += [peers.cpp(), peers.python(), peers.nghttpd()]
    if args.baseline:
        servers.append(peers.baseline(args.baseline, args.baseline_label))
    if args.orders_baseline:
        servers.append(orders.baseline(args.orders_baseline, args.orders_baseline_label))
    if keep is not None:
        servers = [s for s in servers if s.key in keep]
    for s in servers:
        if s.missing:
            print(f"MISSING {s.title}: {s.missing}", flush=True)
    runnable = [s for s in servers if not s.missing]

    runs_total = 0 if args.soak_only else config.rounds * len(config.shapes) * len(runnable)
    per_run = config.warmup_seconds + config.measure_seconds + RUN_OVERHEAD_SECONDS
    soak_target = next((s for s in servers if s.key == args.soak_server and not s.missing), None)
    do_soak = not args.no_soak and soak_target is not None
    soak_estimate = (config.soak_calls // SOAK_CALLS_PER_SECOND_GUESS + 10) if do_soak else 0
    print(f"expected duration: about {(runs_total * per_run + soak_estimate) / 60:.1f} min "
          f"({runs_total} runs × ~{per_run} s" + (f" + soak ~{soak_estimate} s)" if do_soak else ")"), flush=True)

    started = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    env = environment.describe()
    runs = []
    checks = {}
    if not args.soak_only:
        for round_number in range(1, config.rounds + 1):
            for shape in config.shapes:
                for server in runnable:
                    runs.append(_one(server, shape, config, round_number, checks))

    soak_result = None
    if do_soak:
        print(f"soak: {config.soak_calls:,} calls against {soak_target.title}", flush=True)
        try:
            soak_result = soak.run(soak_target, config)
        except Exception as error:  # the soak's failure is a result, reported in the table
            soak_result = {"server": soak_target.key, "skipped": f"soak failed: {error}"}
    elif not args.no_soak:
        soak_result = {"skipped": f"{args.soak_server} is missing"}

    rows = summary.summarize(runs, servers, list(config.shapes))
    tls_costs = summary.tls_cost(runs, list(config.shapes))
    observability = summary.observability_cost(runs, list(config.shapes))
    soak_for_targets = soak_result if (soak_result or {}).get("server") == "ours" else \
        {"skipped": "ours was not soaked"}
    result = {
        "started": started,
        "command": "make bench-rpc" + (f" BENCH_ARGS={shlex.quote(' '.join(sys.argv[1:]))}" if sys.argv[1:] else ""),
        "h2load_command": shlex.join(map(str, h2load.command("PORT", Shape(8, 16), BODY, config.client_core,
                                                          seconds=config.measure_seconds))),
        "settings": {k: v for k, v in dataclasses.asdict(config).items() if k != "shapes"} |
                    {"shapes": [s.label for s in config.shapes]},
        "environment": env,
        "checks": checks,
        "rows": rows,
        "targets": summary.targets(rows, soak_for_targets) + summary.floor_targets(runs, rows)
                   + [summary.tls_target(tls_costs), summary.metrics_target(observability)],
        "floor": summary.floor_ratios(runs, list(config.shapes)),
        "tls": tls_costs,
        "observability": observability,
        "baseline": (summary.variant_cost(runs, list(config.shapes), "baseline", "ours-no-metrics")
                     + summary.variant_cost(runs, list(config.shapes), "baseline", "ours")) if args.baseline else None,
        "baseline_label": args.baseline_label,
        "orders_baseline": summary.variant_cost(runs, list(config.shapes), orders.BASELINE_KEY, orders.KEY)
                           if args.orders_baseline else None,
        "orders_baseline_label": args.orders_baseline_label,
        "soak": soak_result,
        "runs": runs,
    }
    md, js = report.write(result)
    print()
    print(report.markdown(result))
    print(f"written: {md.relative_to(OUT.parent.parent)} and {js.relative_to(OUT.parent.parent)}")
    return 0


def _one(server, shape, config, round_number, checks) -> dict:
    t0 = time.monotonic()
    try:
        r = run_once(server, shape, config, round_number)
        checks.setdefault(server.key, r["check"])
        print(f"round {round_number} {shape.label:10} {server.key:8} {r['rps']:>10,.0f} req/s  "
              f"{r['cpu_us_per_call']:6.2f} µs/call  peak RSS {r['peak_rss_kib'] / 1024:6.1f} MiB  "
              f"failed {r['failures']}  ({time.monotonic() - t0:.0f} s)", flush=True)
        return r
    except Exception as error:  # a failed run is a result: it shows in the table as an error
        print(f"round {round_number} {shape.label:10} {server.key:8} ERROR {error}", flush=True)
        return {"server": server.key, "shape": shape.label, "round": round_number, "error": str(error)}


if __name__ == "__main__":
    sys.exit(main())
