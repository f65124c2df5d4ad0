"""The fault tests' network: one Linux network namespace per test host, each joined by a veth
pair to a bridge that lives in a namespace of its own, and packet filters (nftables) that
partition hosts or drop a share of their packets.

    ohf-client (the pytest process, in the root namespace, via a veth)  10.213.14.1
    ohf-payments 10.213.14.2   ohf-orders 10.213.14.3   ohf-gateway 10.213.14.4   ohf-postgres 10.213.14.5
    ohf-net: the bridge, and the delaying relay (see relay.py)          10.213.14.254

Nothing routes out of the 10.213.14.0/24 subnet: no host has a default route and the bridge
namespace forwards nothing. Deleting a namespace deletes its veth ends and its rules, so
`Network.remove` (and the sweep of a crashed earlier run, `remove_stale`) always leaves the
machine as it was.
"""
import contextlib
import subprocess

PREFIX = "ohf-"
BRIDGE_NS = f"{PREFIX}net"
SUBNET = "10.213.14"
BRIDGE_ADDRESS = f"{SUBNET}.254"
CLIENT_ADDRESS = f"{SUBNET}.1"
CLIENT_LINK = f"{PREFIX}client"
HOSTS = {"payments": 2, "orders": 3, "gateway": 4, "postgres": 5}


def run(*args, check=True, input=None):
    """Runs one command (ip, nft, tc) and returns its stdout; raises with its stderr on failure."""
    result = subprocess.run([str(a) for a in args], input=input, capture_output=True, text=True, timeout=30)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args))}: {result.stderr.strip()}")
    return result.stdout


def namespaces() -> list[str]:
    return [line.split()[0] for line in run("ip", "netns", "list").splitlines() if line.strip()]


def remove_stale() -> None:
    """Deletes every namespace (and so every veth and rule) an earlier run left behind."""
    for name in namespaces():
        if name.startswith(PREFIX):
            run("ip", "netns", "del", name, check=False)
    run("ip", "link", "del", CLIENT_LINK, check=False)


class Network:
    """The test hosts. `address(host)` is a host's IP; `exec(host)` the command prefix that runs
    a program on it; `partition`, `drop_share` and `heal` change what the wire lets through."""

    def __init__(self):
        self.rules: dict[str, list[str]] = {}

    def create(self) -> "Network":
        remove_stale()
        run("ip", "netns", "add", BRIDGE_NS)
        bridge = ["ip", "-n", BRIDGE_NS]
        run(*bridge, "link", "add", "br0", "type", "bridge")
        run(*bridge, "addr", "add", f"{BRIDGE_ADDRESS}/24", "dev", "br0")
        run(*bridge, "link", "set", "br0", "up")
        run(*bridge, "link", "set", "lo", "up")
        for host, number in HOSTS.items():
            namespace = PREFIX + host
            run("ip", "netns", "add", namespace)
            run("ip", "link", "add", "eth0", "netns", namespace, "type", "veth", "peer", "name", f"p-{host}", "netns", BRIDGE_NS)
            run(*bridge, "link", "set", f"p-{host}", "master", "br0", "up")
            run("ip", "-n", namespace, "addr", "add", f"{SUBNET}.{number}/24", "dev", "eth0")
            run("ip", "-n", namespace, "link", "set", "eth0", "up")
            run("ip", "-n", namespace, "link", "set", "lo", "up")
        # The test process itself is the client host: one veth end in the root namespace.
        run("ip", "link", "add", CLIENT_LINK, "type", "veth", "peer", "name", "p-client", "netns", BRIDGE_NS)
        run(*bridge, "link", "set", "p-client", "master", "br0", "up")
        run("ip", "addr", "add", f"{CLIENT_ADDRESS}/24", "dev", CLIENT_LINK)
        run("ip", "link", "set", CLIENT_LINK, "up")
        return self

    def remove(self) -> None:
        for host in [*HOSTS, "net"]:
            run("ip", "netns", "del", PREFIX + host, check=False)
        run("ip", "link", "del", CLIENT_LINK, check=False)

    @staticmethod
    def address(host: str) -> str:
        return BRIDGE_ADDRESS if host == "net" else f"{SUBNET}.{HOSTS[host]}"

    @staticmethod
    def exec(host: str) -> list[str]:
        return ["ip", "netns", "exec", PREFIX + host]

    def _nft(self, host: str, rules: list[str]) -> None:
        """Replaces `host`'s fault rules with `rules` (nft statements for its input and output)."""
        namespace = PREFIX + host
        run("ip", "netns", "exec", namespace, "nft", "delete", "table", "inet", "faults", check=False)
        self.rules[host] = rules
        if not rules:
            return
        script = ["table inet faults {",
                  "  chain input { type filter hook input priority 0; policy accept;",
                  *[f"    {rule}" for rule in rules if not rule.startswith("out:")],
                  "  }",
                  "  chain output { type filter hook output priority 0; policy accept;",
                  *[f"    {rule[4:]}" for rule in rules if rule.startswith("out:")],
                  "  }",
                  "}"]
        run("ip", "netns", "exec", namespace, "nft", "-f", "-", input="\n".join(script) + "\n")

    def partition(self, host: str, *peers: str) -> None:
        """Drops, silently in both directions, every packet between `host` and `peers` (a
        partition, not a refusal: connections hang until deadlines or keepalives notice)."""
        rules = []
        for peer in peers:
            address = CLIENT_ADDRESS if peer == "client" else self.address(peer)
            rules += [f"ip saddr {address} drop", f"out:ip daddr {address} drop"]
        self._nft(host, rules)

    def drop_share(self, host: str, percent: int) -> None:
        """Drops `percent` % of the packets `host` sends and receives on its veth, at random."""
        self._nft(host, [f'iifname "eth0" numgen random mod 100 < {percent} drop',
                         f'out:oifname "eth0" numgen random mod 100 < {percent} drop'])

    def run_in(self, host: str, *command) -> str:
        return run(*self.exec(host), *command)

    def heal(self, host: str) -> None:
        self._nft(host, [])

    @staticmethod
    def netem_available() -> bool:
        """Whether the kernel has sch_netem (many minimal VM kernels leave it out)."""
        namespace = PREFIX + "net"
        ok = subprocess.run(["ip", "netns", "exec", namespace, "tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms"],
                            capture_output=True).returncode == 0
        if ok:
            run("ip", "netns", "exec", namespace, "tc", "qdisc", "del", "dev", "lo", "root", check=False)
        return ok


@contextlib.contextmanager
def network():
    """The test hosts for one block; always removed after it, pass or fail."""
    net = Network()
    try:
        yield net.create()
    finally:
        net.remove()
