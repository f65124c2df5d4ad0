"""One measured run: a fresh pinned server, a gRPC check, a warm-up, then the measured h2load."""
import os

import h2load
import procstats
from config import OUT, ROOT, Config, Shape
from grpc_check import verify
from peers import Server
from server_process import free_port, pinned_server

BODY = OUT / "empty-request.bin"


def run_once(server: Server, shape: Shape, config: Config, round_number: int) -> dict:
    """Measures `server` under `shape`; returns h2load's numbers plus the server's CPU and memory.

    The server is started fresh for every run so VmHWM is the peak of this shape alone.
    CPU time is read just before and just after the measured h2load, so the warm-up and the
    start-up are not charged to the calls.
    """
    port = free_port()
    log_file = OUT / "h2load-requests.log"
    result = {"server": server.key, "shape": shape.label, "round": round_number,
              "load1_at_start": os.getloadavg()[0]}
    with pinned_server(server.argv(port), config.server_core, port,
                       OUT / f"server-{server.key}.log", cwd=ROOT, env=server.env) as process:
        result["check"] = verify(port, grpc=server.grpc, tls=server.tls)
        h2load.run(h2load.command(port, shape, BODY, config.client_core, seconds=config.warmup_seconds, tls=server.tls))
        cpu_before = procstats.cpu_seconds(process.pid)
        with procstats.RSSSampler(process.pid) as sampler:
            summary = h2load.run(h2load.command(port, shape, BODY, config.client_core,
                                                seconds=config.measure_seconds, log_file=log_file, tls=server.tls))
        cpu_used = procstats.cpu_seconds(process.pid) - cpu_before
        memory = procstats.memory_kib(process.pid)
    result.update(summary)
    result.update(h2load.percentiles(log_file))
    log_file.unlink(missing_ok=True)
    calls = max(summary["done"], 1)
    result["cpu_seconds"] = cpu_used
    result["cpu_us_per_call"] = cpu_used / calls * 1e6
    # How busy the server's core was: well below 100% means the client or the machine was the limit.
    result["server_core_percent"] = 100.0 * cpu_used / summary["seconds"]
    result["peak_rss_kib"] = max(memory.get("VmHWM", 0), sampler.peak_kib)
    result["end_rss_kib"] = memory.get("VmRSS", 0)
    result["failures"] = (summary["failed"] + summary["errored"] + summary["timeout"]
                          + summary["status_non_2xx"])
    return result
