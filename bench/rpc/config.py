"""Every setting of the RPC benchmark in one place, including how to build and start our server.

Our server's command line lives here (OURS); environment variables override it without an edit:
  OURS_PRODUCT   the SwiftPM product to build with `swift build -c release --product …`
  OURS_CMD       its command line; `{port}` is replaced by the port to listen on (127.0.0.1)
  OURS_VARIANTS  extra runs of the same binary with more arguments, `key=ARGS;key=ARGS`
                 (empty: none); the targets are judged on plain `ours`
"""
import dataclasses
import os
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
OUT = BENCH / ".out"            # built peers, nghttpd's docroot, h2load logs (not committed)
RESULTS = BENCH / "results"

METHOD_PATH = "/grpc.health.v1.Health/Check"
# The 5-byte gRPC frame of an empty HealthCheckRequest: uncompressed flag 0, length 0.
REQUEST_FRAME = bytes(5)
# The frame of HealthCheckResponse{status: SERVING}: field 1 varint 1.
SERVING_FRAME = bytes([0, 0, 0, 0, 2, 0x08, 0x01])
REQUEST_HEADERS = {"content-type": "application/grpc", "te": "trailers"}


@dataclasses.dataclass(frozen=True)
class Shape:
    """One h2load load shape: clients (connections) × max concurrent streams per client."""
    clients: int
    streams: int

    @property
    def label(self) -> str:
        return f"c={self.clients} m={self.streams}"


@dataclasses.dataclass(frozen=True)
class Ours:
    """How to build and start our server, and the variants (key, extra arguments) also measured."""
    product: str
    command: str
    variants: tuple


def _variants(text: str) -> tuple:
    pairs = (item.split("=", 1) for item in text.split(";") if item.strip())
    return tuple((key.strip(), args.strip()) for key, args in pairs)


# Where handlers run in bench-health-server: the default is the connection's event loop (no
# hop); the variants answer the question of which executor wins. `ours-tls` is the
# default server over TLS (a throwaway certificate made at start-up), next to plaintext.
# `ours` records metrics (the default, as the services do); `ours-no-metrics` is the same server
# without them, `ours-tracing` exports a span per call over OTLP/HTTP to a local sink (run.py),
# `ours-tracing-1pct` samples 1 % of the calls, as a production deployment would.
DEFAULT_VARIANTS = ("ours-global=--executor global;ours-nio-global=--executor nioGlobal;ours-tls=--tls on;"
                    "ours-no-metrics=--metrics off;ours-tracing=--tracing on;ours-tracing-1pct=--tracing on --trace-ratio 0.01")


@dataclasses.dataclass(frozen=True)
class Config:
    """The benchmark's knobs; `Config.defaults()` is what `make bench-rpc` runs."""
    shapes: tuple
    rounds: int
    warmup_seconds: int
    measure_seconds: int
    server_core: int
    client_core: int
    soak_calls: int
    soak_checkpoints: int
    soak_growth_limit_kib: int
    ours: Ours

    @staticmethod
    def defaults() -> "Config":
        return Config(
            shapes=(Shape(8, 16), Shape(64, 1)),
            rounds=3,
            warmup_seconds=2,
            measure_seconds=10,
            server_core=0,
            client_core=1,
            soak_calls=2_000_000,
            soak_checkpoints=4,
            # RSS may move by allocator noise; more than this after 2 M calls counts as growth.
            soak_growth_limit_kib=1024,
            ours=Ours(
                product=os.environ.get("OURS_PRODUCT", "bench-health-server"),
                command=os.environ.get("OURS_CMD", ".build/release/bench-health-server --port {port}"),
                variants=_variants(os.environ.get("OURS_VARIANTS", DEFAULT_VARIANTS)),
            ),
        )


# The targets, checked against the C++ server.
TARGET_RPS_RATIO = 2.0          # ours ≥ 2.0× C++ req/s on c=8 m=16
TARGET_CPU_RATIO = 0.5          # ours ≤ 0.5× C++ CPU time per call on c=8 m=16
TARGET_RSS_RATIO = 1.5          # ours ≤ 1.5× C++ peak RSS on c=64 m=1
TARGET_SHAPE = Shape(8, 16)
MEMORY_SHAPE = Shape(64, 1)
