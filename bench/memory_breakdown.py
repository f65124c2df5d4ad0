#!/usr/bin/env python3
"""Where a gRPC server's resident memory goes (issue 13, item 6).

    python3 bench/memory_breakdown.py -- .build/release/orderhub orders --listen 127.0.0.1:PORT \
        --db sqlite:/tmp/m/orders.db --payments-address 127.0.0.1:9
    python3 bench/memory_breakdown.py -- bench/.out/cpp-health-server PORT

PORT in the command is replaced by a free port. For each connection count (`--connections`,
default 1, 64 and 512) a fresh server is started pinned to core 0, h2load (core 1) sends
Health/Check with one stream per connection for `--seconds`, and, with the connections still
open, the script reads /proc/PID/smaps: RSS and anonymous memory, and the growth of anonymous
memory per extra connection. For the largest count it also prints RSS by mapped file, and
which ELF sections of the server's own binary are resident (from /proc/PID/pagemap), since
code pages count in RSS as soon as they are mapped.
"""
import argparse, collections, os, pathlib, re, socket, struct, subprocess, sys, time

ROOT = pathlib.Path(__file__).resolve().parents[1]
REQUEST = ROOT / "bench" / ".out" / "empty-request.bin"
SECRETS = {"ORDERHUB_SERVICE_SECRET": "bench-service-secret-0123456789abcdef0123456789",
           "ORDERHUB_USER_JWT_SECRET": "bench-user-token-secret-0123456789abcdef0123456789"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_listener(port: int, process: subprocess.Popen) -> None:
    for _ in range(300):
        if process.poll() is not None:
            sys.exit(f"the server exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    sys.exit("the server did not listen")


def rss_by_mapping(pid: int) -> collections.Counter:
    """KiB resident per mapped file name ("[anon]" for anonymous memory, stacks and heap)."""
    totals, name = collections.Counter(), None
    for line in open(f"/proc/{pid}/smaps"):
        header = re.match(r"^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$", line)
        if header:
            name = os.path.basename(header.group(1)) or "[anon]"
        elif line.startswith("Rss:"):
            totals[name] += int(line.split()[1])
    return totals


def rollup(pid: int) -> dict:
    return {line.split(":")[0]: int(line.split()[1]) for line in open(f"/proc/{pid}/smaps_rollup")
            if line.split(":")[0] in ("Rss", "Anonymous")}


def resident_sections(pid: int, binary: str) -> collections.Counter:
    """KiB of the binary's resident pages, by the ELF section each page starts in."""
    sections = []
    for line in subprocess.run(["readelf", "-SW", binary], capture_output=True, text=True).stdout.splitlines():
        field = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)", line)
        if field and int(field.group(2), 16) > 0:
            sections.append((int(field.group(2), 16), int(field.group(3), 16), field.group(1)))
    sections.sort()
    real = os.path.realpath(binary)
    mappings, base = [], None
    for line in open(f"/proc/{pid}/maps"):
        parts = line.split()
        if len(parts) >= 6 and parts[5] == real:
            low, high = (int(x, 16) for x in parts[0].split("-"))
            base = low - int(parts[2], 16) if base is None else base
            mappings.append((low, high))
    counts = collections.Counter()
    with open(f"/proc/{pid}/pagemap", "rb") as pagemap:
        for low, high in mappings:
            pagemap.seek(low // 4096 * 8)
            entries = pagemap.read((high - low) // 4096 * 8)
            for index in range(0, len(entries), 8):
                if struct.unpack_from("<Q", entries, index)[0] >> 63:
                    address = low + index // 8 * 4096 - base
                    name = next((n for start, size, n in reversed(sections) if start <= address + 4095 and address < start + size), "?")
                    counts[name] += 4
    return counts


def measure(command: list, connections: int, seconds: int, details: bool) -> dict:
    port = free_port()
    argv = [part.replace("PORT", str(port)) for part in command]
    server = subprocess.Popen(["taskset", "-c", "0", *argv], env=dict(os.environ, **SECRETS),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_listener(port, server)
        # h2load -D keeps its connections open until it exits; read the server meanwhile.
        load = subprocess.Popen(["taskset", "-c", "1", "h2load", "-D", str(seconds), "-c", str(connections), "-m", "1",
                                 "-t", "1", "-d", str(REQUEST), "-H", "content-type: application/grpc", "-H", "te: trailers",
                                 f"http://127.0.0.1:{port}/grpc.health.v1.Health/Check"], stdout=subprocess.PIPE, text=True)
        time.sleep(seconds - 0.5)
        result = {"connections": connections, **rollup(server.pid)}
        if details:
            result["by_mapping"] = rss_by_mapping(server.pid)
            result["sections"] = resident_sections(server.pid, argv[0])
        output = load.communicate()[0]
        result["succeeded"] = int(re.search(r"(\d+) succeeded", output).group(1))
        return result
    finally:
        server.kill()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", default="1,64,512")
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    options = parser.parse_args()
    command = options.command[1:] if options.command[:1] == ["--"] else options.command
    counts = [int(c) for c in options.connections.split(",")]
    # An empty HealthCheckRequest in its gRPC frame: flag 0, length 0.
    REQUEST.parent.mkdir(parents=True, exist_ok=True)
    REQUEST.write_bytes(bytes(5))
    runs = [measure(command, c, options.seconds, details=(c == max(counts))) for c in counts]
    print(f"{command[0]} (Health/Check, h2load -m 1, {options.seconds} s, connections still open when read)")
    for run in runs:
        print(f"  {run['connections']:4} connections: RSS {run['Rss'] / 1024:6.1f} MiB, anonymous "
              f"{run['Anonymous'] / 1024:5.1f} MiB ({run['succeeded']:,} calls)")
    first, last = runs[0], runs[-1]
    if last["connections"] > first["connections"]:
        slope = (last["Anonymous"] - first["Anonymous"]) / (last["connections"] - first["connections"])
        print(f"  anonymous memory per extra connection: {slope:.1f} KiB")
    print(f"  RSS by mapping at {last['connections']} connections:")
    for name, kib in last["by_mapping"].most_common(12):
        print(f"    {kib / 1024:6.1f} MiB  {name}")
    print(f"  resident pages of {os.path.basename(command[0])}, by ELF section:")
    for name, kib in last["sections"].most_common(8):
        print(f"    {kib / 1024:6.2f} MiB  {name}")


if __name__ == "__main__":
    main()
