"""A server process's CPU time and memory, read from /proc."""
import os
import pathlib
import threading

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """utime + stime of every thread of the process so far (fields 14 and 15 of /proc/PID/stat)."""
    stat = pathlib.Path(f"/proc/{pid}/stat").read_text()
    # The command name (field 2) may hold spaces; the fields after it follow its closing ')'.
    fields = stat[stat.rindex(")") + 2:].split()
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / CLOCK_TICKS


def memory_kib(pid: int) -> dict:
    """VmRSS (now) and VmHWM (peak since the process started), in KiB."""
    values = {}
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


class RSSSampler:
    """Samples VmRSS every `interval` seconds on a thread; `peak_kib` is the largest seen."""

    def __init__(self, pid: int, interval: float = 0.1):
        self.pid = pid
        self.interval = interval
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "RSSSampler":
        self._thread.start()
        return self

    def __exit__(self, *_) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak_kib = max(self.peak_kib, memory_kib(self.pid).get("VmRSS", 0))
            except FileNotFoundError:
                return
            self._stop.wait(self.interval)
