"""The gateway's per-client rate limit (`--rate-limit`, `--rate-burst`): a client over it gets
429 with Retry-After and the error body; another client (another source address) is served
as before, and so are health probes."""
import http.client
import json

import pytest

from support import processes


def get(port: int, path: str, source: str, token: str = None):
    """GET over a fresh connection from `source` (a loopback address of its own)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(source, 0))
    try:
        connection.request("GET", path, headers={"Authorization": f"Bearer {token}"} if token else {})
        response = connection.getresponse()
        return response.status, response.getheader("Retry-After"), response.read().decode()
    finally:
        connection.close()


@pytest.fixture
def limited_gateway(gateway, tmp_path):
    if gateway.orders_port is None:
        pytest.skip("needs the Orders port of a gateway this test session started")
    port = processes.free_port()
    args = [processes.bin_path("orderhub"), "gateway", "--listen", f"127.0.0.1:{port}",
            "--orders", f"127.0.0.1:{gateway.orders_port}", "--rate-limit", "0.2", "--rate-burst", "3",
            "--insecure-no-user-auth"]
    token = gateway.sign_in("limited")
    with processes.running(args, port, log_path=tmp_path / "gateway.log") as process:
        yield port, process, token


def test_a_burst_over_the_limit_gets_429_and_others_are_unaffected(limited_gateway):
    port, process, token = limited_gateway
    # This gateway has no key to verify tokens with, so clients are counted by address.
    answers = [get(port, "/v1/orders", "127.0.0.2", token) for _ in range(5)]
    assert [status for status, _, _ in answers[:3]] == [200, 200, 200], answers
    status, retry_after, body = answers[3]
    assert status == 429, answers[3]
    assert retry_after is not None and 1 <= int(retry_after) <= 5, retry_after
    error = json.loads(body)
    assert error["code"] == 8 and "rate limit exceeded" in error["message"], error
    assert answers[4][0] == 429
    # Another client has its own bucket; probes are never limited.
    assert get(port, "/v1/orders", "127.0.0.3", token)[0] == 200
    assert get(port, "/healthz", "127.0.0.2")[0] == 200
    assert process.poll() is None


def test_bad_rate_limit_values_are_refused_at_start(tmp_path):
    import subprocess
    for flags in (["--rate-limit", "-1"], ["--rate-limit", "5", "--rate-burst", "0"]):
        result = subprocess.run([processes.bin_path("orderhub"), "gateway", "--listen", "127.0.0.1:0", "--insecure-no-user-auth", *flags],
                                capture_output=True, text=True, timeout=30)
        assert result.returncode != 0
        assert "rate-" in result.stderr + result.stdout, result


def test_with_the_token_keys_clients_are_counted_by_verified_subject(tmp_path):
    """`serve`'s gateway can verify tokens, so two customers behind one address have a bucket
    each; a token that does not verify is counted by address, never by the subject it claims."""
    import jwt
    from support import user_tokens
    orders, payments, port = processes.free_port(), processes.free_port(), processes.free_port()
    args = [processes.bin_path("orderhub"), "serve", "--data-dir", tmp_path / "data",
            "--orders-listen", f"127.0.0.1:{orders}", "--payments-listen", f"127.0.0.1:{payments}",
            "--gateway-listen", f"127.0.0.1:{port}", "--rate-limit", "0.2", "--rate-burst", "2"]
    with processes.running(args, port, log_path=tmp_path / "serve.log") as process:
        secret = (tmp_path / "data" / "user-token.key").read_text().strip()
        alice = user_tokens.token("alice", key=secret)
        bob = user_tokens.token("bob", key=secret)
        assert [get(port, "/v1/orders", "127.0.0.2", alice)[0] for _ in range(3)] == [200, 200, 429]
        # Bob, from the same address, has his own bucket.
        assert [get(port, "/v1/orders", "127.0.0.2", bob)[0] for _ in range(2)] == [200, 200]
        # Forged tokens claiming ever new subjects share their address's bucket (and get 401
        # from Orders while they are admitted).
        forged = [jwt.encode({"sub": f"mallory-{n}", "exp": 4102444800}, "not-the-key-0123456789abcdef0123456789", algorithm="HS256")
                  for n in range(3)]
        assert [get(port, "/v1/orders", "127.0.0.3", token)[0] for token in forged] == [401, 401, 429]
        assert process.poll() is None
