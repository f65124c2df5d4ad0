"""Idle HTTP/2 connections cannot lock a server: at the connection limit, a new client still
gets in, because the longest-idle connection is sent GOAWAY to make room; and a connection
that never asks for anything is closed soon after the preface window."""
import resource

from hyperframe import frame as hf

from support import h2probe, targets

LIMIT = 300


def goaway_seen(probe) -> bool:
    """Reads what the server sent until GOAWAY, a close, or a quiet second."""
    try:
        while True:
            if isinstance(probe.read_frame(timeout=1.0), hf.GoAwayFrame):
                return True
    except (h2probe.ConnectionClosed, TimeoutError, OSError):
        return False


def test_idle_connections_at_the_limit_make_room_for_a_new_client(tmp_path):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 4 * LIMIT)), hard))
    with targets.rpc_test_server(tmp_path, extra_args=("--max-connections", LIMIT)) as server:
        probes = []
        try:
            for _ in range(LIMIT):
                probe = h2probe.H2Probe(server.port)
                probe.handshake()
                probes.append(probe)
            # The server is full of idle connections; a stock client still gets its call done.
            server.normal_call()
            server.normal_call()
            # Room was made by evicting the longest-idle connections, the first ones opened.
            assert goaway_seen(probes[0])
            assert server.process.poll() is None
        finally:
            for probe in probes:
                probe.close()


def test_a_connection_that_never_sends_a_request_is_closed(tmp_path):
    # Preface window 1 s, plus the 5 s grace for a connection that asks for nothing.
    with targets.rpc_test_server(tmp_path, preface_timeout=1.0) as server:
        with h2probe.H2Probe(server.port, timeout=15) as probe:
            probe.handshake()
            frames = []
            try:
                while True:
                    frames.append(probe.read_frame(timeout=15))
            except (h2probe.ConnectionClosed, OSError):
                pass
            assert any(isinstance(f, hf.GoAwayFrame) for f in frames), frames
        server.normal_call()
