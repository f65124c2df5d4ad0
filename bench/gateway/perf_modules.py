"""Attributes a `perf record -g` profile to modules: each sample goes to the first frame, from
the leaf up, that belongs to a named Swift module (read from its mangled name) or a C library,
so the runtime's work (retain/release, malloc, metadata lookups, generic specialisations of
the standard library) counts against the module that asked for it. Kernel samples stay kernel
(the socket calls and scheduling every server pays); samples whose nearest owner is Swift's
concurrency runtime (task switches, executor lookups) are `swift-concurrency`.

    python3 bench/gateway/perf_modules.py FILE.perf [--symbols N]

prints each module's share of the samples and, with --symbols, the N frames that own the most
samples among our own modules (Gateway, RPC, RPCHTTP2, Contracts, Observability, …) or those
given with --modules.
"""
import argparse
import collections
import re
import subprocess

MANGLED = re.compile(r"^\$s(\d+)([A-Za-z_][A-Za-z0-9_]*)")
C_LIBRARIES = {"libnghttp2": "nghttp2", "libprotobuf-c": "protobuf-c", "libssl": "openssl", "libcrypto": "openssl"}
RUNTIME = ("libswiftCore", "libc.so", "ld-linux", "libFoundation", "libswiftDispatch", "libdispatch", "libstdc++", "[unknown]")
OURS = {"Gateway", "RPC", "RPCHTTP2", "Contracts", "Observability", "EventLoopExecution", "TLSSupport"}
# The layers of one gateway request, by module. NIO's core serves both connections (HTTP/1.1 in,
# HTTP/2 out to Orders), so it is its own layer.
LAYERS = {
    "HTTP server (Hummingbird, HTTP types, NIO's HTTP/1.1 codec)": {
        "Hummingbird", "HummingbirdCore", "HTTPTypes", "NIOHTTP1", "NIOHTTPTypes", "NIOHTTPTypesHTTP1", "NIO (C parts: llhttp, …)",
        "DequeModule"},
    "NIO channels and event loops (both connections)": {"NIOCore", "NIOPosix", "NIOConcurrencyHelpers", "_NIODataStructures", "Atomics"},
    "Swift concurrency runtime (tasks, executors)": {"swift-concurrency", "EventLoopExecution"},
    "kernel (sockets, scheduling)": {"kernel"},
    "gRPC client hop to Orders (RPC, RPCHTTP2, nghttp2, protobuf)": {"RPC", "RPCHTTP2", "nghttp2", "protobuf-c", "Contracts"},
    "gateway's own code (routing, JSON, middleware)": {"Gateway"},
    "metrics and logging": {"Observability", "Prometheus", "CoreMetrics", "Logging", "Metrics"},
}


def module_of(symbol: str, dso: str):
    for prefix, name in C_LIBRARIES.items():
        if prefix in dso:
            return name
    if "libswift_Concurrency" in dso:
        return "swift-concurrency"
    if any(part in dso for part in RUNTIME):
        return None
    if symbol.startswith("c_nio_"):
        return "NIO (C parts: llhttp, …)"
    # An extension the Gateway declares on another module's type (`Order.write(to:)`, the
    # generated JSON coding) is the gateway's code.
    if "7GatewayE" in symbol[:80]:
        return "Gateway"
    match = MANGLED.match(symbol)
    if match:
        length, rest = int(match.group(1)), match.group(2)
        return rest[:length]
    return None


def samples(path: str):
    """Each sample's frames, leaf first, as (symbol, dso)."""
    output = subprocess.run(["perf", "script", "-i", path, "-F", "ip,sym,dso", "--no-demangle"],
                            capture_output=True, text=True, check=True).stdout
    for block in output.split("\n\n"):
        frames = []
        for line in block.strip().splitlines():
            parts = line.strip().split(None, 1)
            if len(parts) < 2:
                continue
            rest = parts[1]
            dso = rest[rest.rfind("(") + 1:-1] if rest.endswith(")") else ""
            symbol = rest[:rest.rfind("(")].strip() if "(" in rest else rest
            symbol = re.sub(r"\+0x[0-9a-f]+$", "", symbol)
            frames.append((symbol, dso))
        if frames:
            yield frames


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("perf_data")
    parser.add_argument("--symbols", type=int, default=0)
    parser.add_argument("--modules", default=",".join(sorted(OURS)), help="whose frames --symbols lists (comma-separated)")
    args = parser.parse_args()
    listed = set(args.modules.split(","))
    modules, owners, total = collections.Counter(), collections.Counter(), 0
    for frames in samples(args.perf_data):
        total += 1
        if "kernel" in frames[0][1]:
            modules["kernel"] += 1
            continue
        owner = None
        for symbol, dso in frames:
            owner = module_of(symbol, dso)
            if owner:
                if owner in listed:
                    owners[(owner, symbol)] += 1
                break
        modules[owner or "runtime, no owner found"] += 1
    print(f"{total} samples\n\nBy layer:")
    layered = collections.Counter()
    for name, count in modules.items():
        layer = next((layer for layer, members in LAYERS.items() if name in members), "other (runtime without an owner, …)")
        layered[layer] += count
    for name, count in layered.most_common():
        print(f"{100 * count / total:6.1f}%  {name}")
    print("\nBy module:")
    for name, count in modules.most_common():
        print(f"{100 * count / total:6.1f}%  {name}")
    if args.symbols:
        print(f"\nFrames of {', '.join(sorted(listed))} owning the most samples:")
        for (module, symbol), count in owners.most_common(args.symbols):
            demangled = subprocess.run(["swift", "demangle", "--simplified", symbol], capture_output=True, text=True).stdout.strip()
            print(f"{100 * count / total:6.1f}%  {module}: {demangled[:160]}")


if __name__ == "__main__":
    main()
