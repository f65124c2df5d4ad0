"""Load beyond capacity for the overload scenario: measure what a target serves with a few
closed-loop clients, then offer a multiple of it at a fixed rate (open loop: a slow answer does
not slow the offered load down), recording every answer and its latency."""
import concurrent.futures
import threading
import time


class Answer:
    __slots__ = ("code", "seconds", "retry_after")

    def __init__(self, code: str, seconds: float, retry_after: str = ""):
        self.code, self.seconds, self.retry_after = code, seconds, retry_after


def timed(call) -> Answer:
    started = time.monotonic()
    code, retry_after = call()
    return Answer(code, time.monotonic() - started, retry_after)


def capacity(call, clients: int, seconds: float) -> float:
    """Successful calls per second of `clients` threads calling back to back."""
    done = []
    lock = threading.Lock()
    end = time.monotonic() + seconds

    def client():
        while time.monotonic() < end:
            answer = timed(call)
            with lock:
                done.append(answer)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 30)
    return sum(1 for a in done if a.code == "OK") / seconds


class OpenLoop:
    """Calls `call` `rate` times a second until `stop()` (or `max_seconds`)."""

    def __init__(self, call, rate: float, workers: int = 96, max_seconds: float = 120):
        self.call, self.rate, self.max_seconds = call, rate, max_seconds
        self.answers: list[Answer] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers)
        self.thread = threading.Thread(target=self._offer, daemon=True)
        self.offered = 0

    def start(self) -> "OpenLoop":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=30)
        self.pool.shutdown(wait=True, cancel_futures=True)

    def _one(self):
        answer = timed(self.call)
        with self.lock:
            self.answers.append(answer)

    def _offer(self):
        began = time.monotonic()
        while not self.stopping.is_set() and time.monotonic() - began < self.max_seconds:
            self.offered += 1
            self.pool.submit(self._one)
            self.stopping.wait(max(0.0, began + self.offered / self.rate - time.monotonic()))


def percentile(values, share: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(share * len(values)))], 3) if values else 0.0


def summary(answers) -> dict:
    ok = [a.seconds for a in answers if a.code == "OK"]
    shed = [a for a in answers if a.code in ("RESOURCE_EXHAUSTED", "HTTP 503")]
    codes: dict[str, int] = {}
    for answer in answers:
        codes[answer.code] = codes.get(answer.code, 0) + 1
    return {"codes": codes, "ok_p50": percentile(ok, 0.5), "ok_p99": percentile(ok, 0.99),
            "shed_p50": percentile([a.seconds for a in shed], 0.5), "shed_p99": percentile([a.seconds for a in shed], 0.99),
            "shed_without_retry_after": sum(1 for a in shed if a.code == "HTTP 503" and not a.retry_after)}
