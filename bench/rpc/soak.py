"""The memory soak: millions of calls against one server process, RSS read between batches."""
import h2load
import procstats
from config import OUT, ROOT, Config, TARGET_SHAPE
from grpc_check import verify
from peers import Server
from server_process import free_port, pinned_server

BODY = OUT / "empty-request.bin"


def _batch(port: int, calls: int, config: Config, tls: bool) -> dict:
    return h2load.run(h2load.command(port, TARGET_SHAPE, BODY, config.client_core, calls=calls, tls=tls))


def run(server: Server, config: Config) -> dict:
    """Sends config.soak_calls calls (c=8 m=16) in config.soak_checkpoints batches, after a warm-up
    of one batch that lets the allocator and the connection buffers reach their working size
    (the C++ server's RSS rises ~1.5 MiB over its first half-million calls, then stays flat).
    RSS is read after the warm-up and after each batch; growth is the last reading minus the first.
    A leak of even 8 bytes per call would show as 16 MB over 2 M calls."""
    port = free_port()
    per_batch = config.soak_calls // config.soak_checkpoints
    with pinned_server(server.argv(port), config.server_core, port,
                       OUT / f"soak-{server.key}.log", cwd=ROOT, env=server.env) as process:
        check = verify(port, grpc=server.grpc, tls=server.tls)
        _batch(port, per_batch, config, server.tls)
        readings = [procstats.memory_kib(process.pid)["VmRSS"]]
        calls = failures = 0
        for _ in range(config.soak_checkpoints):
            summary = _batch(port, per_batch, config, server.tls)
            calls += summary["done"]
            failures += summary["failed"] + summary["errored"] + summary["timeout"] + summary["status_non_2xx"]
            readings.append(procstats.memory_kib(process.pid)["VmRSS"])
            print(f"  soak {server.key}: {calls:,} calls, RSS {readings[-1]} KiB", flush=True)
        check_after = verify(port, grpc=server.grpc, tls=server.tls)
        peak = procstats.memory_kib(process.pid)["VmHWM"]
    growth = readings[-1] - readings[0]
    return {
        "server": server.key, "calls": calls, "warmup_calls": per_batch, "failures": failures,
        "rss_kib_after_warmup_then_each_batch": readings, "peak_rss_kib": peak,
        "growth_kib": growth, "growth_limit_kib": config.soak_growth_limit_kib,
        "passed": failures == 0 and growth <= config.soak_growth_limit_kib,
        "check_before": check, "check_after": check_after,
    }
