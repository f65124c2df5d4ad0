"""Running h2load (Debian nghttp2-client) and reading its summary and per-request log."""
import pathlib
import re
import subprocess

from config import METHOD_PATH, REQUEST_HEADERS, Shape

_UNITS = {"us": 1.0, "ms": 1_000.0, "s": 1_000_000.0}


def command(port: int, shape: Shape, body: pathlib.Path, core: int, seconds=None, calls=None,
            log_file=None, tls=False) -> list:
    """The one h2load command every server gets: POST of `body` with gRPC's request headers, for
    `seconds` (timed) or `calls` requests, on one thread pinned to `core`. With `tls`, over
    https (h2load offers ALPN h2; each connection's handshake happens once, then it is reused)."""
    amount = ["-D", str(seconds)] if seconds is not None else ["-n", str(calls)]
    argv = ["taskset", "-c", str(core), "h2load", *amount,
            "-c", str(shape.clients), "-m", str(shape.streams), "-t", "1", "-d", str(body)]
    for name, value in REQUEST_HEADERS.items():
        argv += ["-H", f"{name}: {value}"]
    if log_file is not None:
        argv.append(f"--log-file={log_file}")
    return argv + [f"{'https' if tls else 'http'}://127.0.0.1:{port}{METHOD_PATH}"]


def run(argv: list) -> dict:
    """Runs h2load and returns its summary numbers; raises if it fails or prints no summary."""
    done = subprocess.run(argv, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"h2load exited with {done.returncode}: {done.stderr.strip()[-500:]}")
    return parse_summary(done.stdout)


def _micros(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def parse_summary(out: str) -> dict:
    """req/s, request counts, status classes and the mean request time from h2load's summary."""
    finished = re.search(r"finished in ([\d.]+)s, ([\d.]+) req/s", out)
    requests = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, "
                         r"(\d+) failed, (\d+) errored, (\d+) timeout", out)
    statuses = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", out)
    timing = re.search(r"time for request:\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)", out)
    if not (finished and requests and statuses and timing):
        raise RuntimeError(f"unexpected h2load output:\n{out[-1500:]}")
    return {
        "seconds": float(finished[1]),
        "rps": float(finished[2]),
        "done": int(requests[3]),
        "succeeded": int(requests[4]),
        "failed": int(requests[5]),
        "errored": int(requests[6]),
        "timeout": int(requests[7]),
        "status_2xx": int(statuses[1]),
        "status_non_2xx": int(statuses[2]) + int(statuses[3]) + int(statuses[4]),
        "latency_min_us": _micros(timing[1]),
        "latency_max_us": _micros(timing[2]),
        "latency_mean_us": _micros(timing[3]),
    }


def percentiles(log_file: pathlib.Path, points=(50, 99)) -> dict:
    """Latency percentiles (µs) from h2load's --log-file (3rd column: µs until the response ended)."""
    with open(log_file) as f:
        times = sorted(int(line.split("\t")[2]) for line in f if line.strip())
    if not times:
        return {}
    return {f"latency_p{p}_us": float(times[min(len(times) - 1, len(times) * p // 100)]) for p in points}
