"""The product's Orders process (`orderhub orders`) answering Health/Check: issue 13's RPC target
is judged on it, not on the bare health server.

It runs as deployed by default, with what Orders needs to start and nothing switched off:
plaintext, metrics on (its /metrics port on a free local port), no trace export, customer tokens verified
(a user-token secret; Health/Check needs no token), a fresh SQLite store per run (created at
start-up), and a Payments address nobody answers (Health/Check never calls Payments).
"""
import os
import shutil
import subprocess
import time

from config import OUT, ROOT
from peers import Server

KEY = "ours-orders"
BASELINE_KEY = "orders-baseline"
TITLE = "ours: orderhub orders (the product process)"
PRODUCT = "orderhub"
BINARY = ROOT / ".build" / "release" / PRODUCT
# Only for this benchmark's throwaway processes. No OTLP endpoint: run.py sets one for
# `ours-tracing`, and the services export a span per call whenever it is set, which is not the
# default deployment measured here.
ENV = {
    "ORDERHUB_SERVICE_SECRET": "bench-rpc-service-secret-0123456789abcdef0123456789",
    "ORDERHUB_USER_JWT_SECRET": "bench-rpc-user-token-secret-0123456789abcdef012345",
    "OTEL_EXPORTER_OTLP_ENDPOINT": None,
    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": None,
}


def _argv(binary, key: str):
    def argv(port: int) -> list:
        data = OUT / f"{key}-data"
        # A fresh store per run: nothing of an earlier run is loaded or swept.
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir(parents=True)
        return [binary, "orders", "--listen", f"127.0.0.1:{port}", "--db", f"sqlite:{data / 'orders.db'}",
                "--payments-address", "127.0.0.1:9", "--metrics-listen", "127.0.0.1:0", "--log-level", "warning"]
    return argv


def prepare(build: bool = True) -> Server:
    """Builds `orderhub` (release); returns the Orders server, marked missing when it cannot run."""
    server = Server(KEY, TITLE, _argv(BINARY, KEY), grpc=True, env=ENV)
    if build:
        log = OUT / "orders-build.log"
        print(f"building ours-orders: swift build -c release --product {PRODUCT} (log: {log})", flush=True)
        started = time.monotonic()
        with open(log, "wb") as out:
            done = subprocess.run(["swift", "build", "-c", "release", "--product", PRODUCT],
                                  cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        if done.returncode != 0:
            server.missing = f"release build of `{PRODUCT}` failed (see {log})"
            return server
        print(f"built orderhub in {time.monotonic() - started:.0f} s", flush=True)
    if not BINARY.exists():
        server.missing = f"{BINARY} does not exist"
    return server


def baseline(binary: str, label: str) -> Server:
    """Another build of `orderhub` (`--orders-baseline`), run as Orders in the same rounds."""
    server = Server(BASELINE_KEY, f"orderhub orders, {label}", _argv(binary, BASELINE_KEY), grpc=True, env=ENV)
    if not os.path.exists(binary):
        server.missing = f"{binary} does not exist"
    return server
