"""Our server: built with `swift build -c release --product …` and started with Config.ours."""
import re
import shlex
import subprocess
import time

from config import OUT, ROOT, Ours
from peers import Server

TITLE = "ours (orderhub RPCHTTP2)"


def _declared(product: str) -> bool:
    """Whether Package.swift declares an executable product or target by this name."""
    manifest = (ROOT / "Package.swift").read_text()
    return re.search(r'(executable|executableTarget)\(\s*name:\s*"' + re.escape(product) + '"', manifest) is not None


def prepare(ours: Ours, build: bool = True) -> list:
    """Builds our server (release); returns it and its variants, marked missing with the reason
    when they cannot run."""
    server = _prepare(ours, build)
    variants = [Server(key, f"{TITLE} {args}", _argv(ours.command, args), grpc=True, missing=server.missing,
                       tls="--tls" in args.split())
                for key, args in ours.variants]
    return [server, *variants]


def _argv(command: str, extra: str = ""):
    return lambda port: shlex.split(command.format(port=port)) + shlex.split(extra)


def _prepare(ours: Ours, build: bool) -> Server:
    argv = _argv(ours.command)
    server = Server("ours", TITLE, argv, grpc=True)
    if not _declared(ours.product):
        server.missing = f"no product `{ours.product}` in Package.swift yet (set OURS_PRODUCT / OURS_CMD)"
        return server
    if build:
        log = OUT / "ours-build.log"
        print(f"building ours: swift build -c release --product {ours.product} (log: {log})", flush=True)
        started = time.monotonic()
        with open(log, "wb") as out:
            done = subprocess.run(["swift", "build", "-c", "release", "--product", ours.product],
                                  cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        if done.returncode != 0:
            server.missing = f"release build of `{ours.product}` failed (see {log})"
            return server
        print(f"built ours in {time.monotonic() - started:.0f} s", flush=True)
    binary = ROOT / argv(0)[0]
    if not binary.exists():
        server.missing = f"{binary} does not exist after the build"
    return server
