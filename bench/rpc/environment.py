"""What the numbers were measured on: machine, load, tool and library versions, git commit."""
import os
import pathlib
import platform
import subprocess

from config import ROOT


def _out(argv: list) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30, cwd=ROOT)
        return (done.stdout or done.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "unknown"


def _cpu_model() -> str:
    for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def describe() -> dict:
    import grpc
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "kernel": platform.release(),
        "load_average_at_start": os.getloadavg(),
        "h2load": _out(["h2load", "--version"]),
        "nghttpd": _out(["nghttpd", "--version"]),
        "grpc++": _out(["pkg-config", "--modversion", "grpc++"]),
        "grpcio": grpc.__version__,
        "swift": _out(["swift", "--version"]),
        "git_commit": _out(["git", "rev-parse", "--short", "HEAD"]),
        "git_dirty": _out(["git", "status", "--porcelain", "--untracked-files=no"]) != "unknown",
    }
