"""Customer authentication through the REST gateway (docs/security.md), against `orderhub serve`:
the gateway passes the caller's `Authorization` header (or, on the SSE route only, the
`access_token` query parameter) to Orders, which decides. 401 comes with `WWW-Authenticate:
Bearer` (plus `error="invalid_token"` when a token was sent); another customer's order is 404
like a missing one; a create for another customer is 403; no other header is identity.

After every refused request the gateway is checked to still serve.
"""
import json
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import jwt
import pytest

from support import processes

MISSING = "00000000-0000-0000-0000-000000000000"
ITEMS = [{"sku": "tea", "quantity": 1, "unitPriceCents": "450"}]


def new_order(gateway, token, **fields):
    body = {"items": ITEMS, "currency": "EUR", "paymentToken": "tok_approve", **fields}
    return gateway.call("POST", "/v1/orders", body, token=token)


def still_serves(gateway):
    status, _, health = gateway.call("GET", "/healthz")
    assert (status, health["status"]) == (200, "SERVING")
    status, _, _ = gateway.call("GET", "/v1/orders", token=gateway.sign_in("liveness"))
    assert status == 200


def first_event(gateway, order_id, token=None, query_token=None, headers=None):
    """Opens the order's SSE stream; returns (status, first data payload or error body)."""
    url = f"{gateway.url}/v1/orders/{urllib.parse.quote(order_id)}/events"
    if query_token is not None:
        url += "?access_token=" + urllib.parse.quote(query_token)
    request = urllib.request.Request(url)
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            for line in response:
                if line.startswith(b"data:"):
                    return response.status, json.loads(line[5:])
            return response.status, None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def forged(gateway, customer="alice", **claims):
    """A token signed with serve's own key, with `claims` changed (None removes one)."""
    now = int(time.time())
    payload = {"sub": customer, "iat": now, "exp": now + 600, **claims}
    return jwt.encode({k: v for k, v in payload.items() if v is not None}, gateway.user_secret(), algorithm="HS256")


def bad_tokens(gateway):
    now = int(time.time())
    return {
        "malformed": "not.a.jwt",
        "wrong signature": jwt.encode({"sub": "alice", "exp": now + 600}, "another-secret-of-sufficient-length-0000000", algorithm="HS256"),
        "alg none": jwt.encode({"sub": "alice", "exp": now + 600}, None, algorithm="none"),
        "expired": forged(gateway, exp=now - 5, iat=now - 60),
        "no exp": forged(gateway, exp=None),
        "nbf in the future": forged(gateway, nbf=now + 600),
    }


ROUTES = [
    ("GET", "/v1/orders", None),
    ("GET", f"/v1/orders/{MISSING}", None),
    ("POST", "/v1/orders", {"items": ITEMS, "currency": "EUR", "paymentToken": "tok_approve"}),
    ("POST", f"/v1/orders/{MISSING}:cancel", None),
    ("GET", "/api/v1/order", None),
    ("POST", "/api/v1/order", {"orderItems": ["tea"]}),
    ("GET", f"/api/v1/order/{MISSING}", None),
    ("PUT", f"/api/v1/order/{MISSING}", None),
]


def test_no_token_is_401_with_a_bearer_challenge(gateway):
    for method, path, body in ROUTES:
        status, headers, answer = gateway.call(method, path, body)
        assert status == 401, (method, path, answer)
        assert headers["WWW-Authenticate"] == "Bearer", (method, path)
    status, answer = first_event(gateway, MISSING)
    assert status == 401 and answer["code"] == 16
    still_serves(gateway)


@pytest.mark.parametrize("name", ["malformed", "wrong signature", "alg none", "expired", "no exp", "nbf in the future"])
def test_a_bad_token_is_401_invalid_token(gateway, name):
    token = bad_tokens(gateway)[name]
    for method, path, body in ROUTES:
        status, headers, answer = gateway.call(method, path, body, token=token)
        assert status == 401, (name, method, path, answer)
        assert headers["WWW-Authenticate"] == 'Bearer error="invalid_token"', (name, method, path)
    assert first_event(gateway, MISSING, query_token=token)[0] == 401
    still_serves(gateway)


def test_other_identity_headers_are_ignored(gateway):
    spoof = {"X-User-Id": "alice", "X-Customer-Id": "alice", "X-Forwarded-User": "alice", "X-Remote-User": "alice"}
    alice = gateway.sign_in("spoof-alice")
    status, _, order = new_order(gateway, alice)
    assert status == 201
    status, _, _ = gateway.call("GET", f"/v1/orders/{order['id']}", headers=spoof)
    assert status == 401
    spoof = {name: "spoof-alice" for name in spoof}
    status, _, _ = gateway.call("GET", f"/v1/orders/{order['id']}", headers=spoof, token=gateway.sign_in("spoof-bob"))
    assert status == 404
    still_serves(gateway)


def test_another_customers_order_is_404_like_a_missing_one(gateway):
    alice, bob = gateway.sign_in("rest-alice"), gateway.sign_in("rest-bob")
    status, _, order = new_order(gateway, alice)
    assert (status, order["customerId"]) == (201, "rest-alice")
    for method, path in [("GET", "/v1/orders/{}"), ("POST", "/v1/orders/{}:cancel")]:
        status, _, hidden = gateway.call(method, path.format(order["id"]), token=bob)
        _, _, missing = gateway.call(method, path.format(MISSING), token=bob)
        assert status == 404 and hidden["message"].replace(order["id"], MISSING) == missing["message"]
    status, hidden = first_event(gateway, order["id"], token=bob)
    assert status == 404 and hidden["code"] == 5
    assert first_event(gateway, order["id"], query_token=bob)[0] == 404
    # The seed's routes too.
    status, _, legacy = gateway.call("GET", f"/api/v1/order/{order['id']}", token=bob)
    assert status == 404 and legacy["message"] == "No order found with that ID!"
    assert gateway.call("PUT", f"/api/v1/order/{order['id']}", token=bob)[0] == 404
    _, _, bobs_list = gateway.call("GET", "/v1/orders?pageSize=100", token=bob)
    assert order["id"] not in [o["id"] for o in bobs_list["orders"]]
    _, _, bobs_legacy = gateway.call("GET", "/api/v1/order", token=bob)
    assert order["id"] not in [o["_id"] for o in bobs_legacy["data"]["orders"]]
    # Alice's order is untouched, and hers to watch and cancel.
    status, first = first_event(gateway, order["id"], token=alice)
    assert (status, first["id"]) == (200, order["id"])
    status, _, cancelled = gateway.call("POST", f"/v1/orders/{order['id']}:cancel", token=alice)
    assert (status, cancelled["state"]) == (200, "ORDER_STATE_CANCELLED")
    still_serves(gateway)


def test_creating_for_another_customer_is_403(gateway):
    alice = gateway.sign_in("rest-carol")
    status, _, answer = new_order(gateway, alice, customerId="rest-dave")
    assert (status, answer["code"]) == (403, 7)
    status, _, answer = gateway.call("GET", "/v1/orders?customerId=rest-dave", token=alice)
    assert (status, answer["code"]) == (403, 7)
    status, _, own = new_order(gateway, alice, customerId="rest-carol")
    assert (status, own["customerId"]) == (201, "rest-carol")
    # The seed's create takes the customer from the token.
    status, _, legacy = gateway.call("POST", "/api/v1/order", {"orderItems": ["tea"]}, token=alice)
    assert status == 201
    status, _, same = gateway.call("GET", f"/v1/orders/{legacy['data']['results']['id']}", token=alice)
    assert (status, same["customerId"]) == (200, "rest-carol")
    still_serves(gateway)


def test_the_query_token_is_for_the_event_stream_only(gateway):
    alice = gateway.sign_in("rest-erin")
    status, _, order = new_order(gateway, alice)
    status, first = first_event(gateway, order["id"], query_token=alice)
    assert (status, first["id"]) == (200, order["id"])
    status, _, _ = gateway.call("GET", f"/v1/orders/{order['id']}?access_token={alice}")
    assert status == 401
    still_serves(gateway)


def test_an_admin_sees_and_acts_on_every_order(gateway):
    alice, bob = gateway.sign_in("admin-alice"), gateway.sign_in("admin-bob")
    admin = forged(gateway, "ops", scope="orders:admin")
    mine = new_order(gateway, alice)[2]
    theirs = new_order(gateway, bob)[2]
    status, _, everyone = gateway.call("GET", "/v1/orders?pageSize=100", token=admin)
    assert status == 200 and {mine["id"], theirs["id"]} <= {o["id"] for o in everyone["orders"]}
    assert gateway.call("GET", f"/v1/orders/{mine['id']}", token=admin)[0] == 200
    assert first_event(gateway, theirs["id"], token=admin)[0] == 200
    status, _, answer = new_order(gateway, admin)
    assert (status, answer["code"]) == (400, 3)
    status, _, for_bob = new_order(gateway, admin, customerId="admin-bob")
    assert (status, for_bob["customerId"]) == (201, "admin-bob")


def test_dev_sign_in(gateway):
    status, headers, answer = gateway.call("POST", "/v1/dev/sign-in", {"customerId": "dev-frank"})
    assert status == 200 and headers["Cache-Control"] == "no-store"
    assert answer["customerId"] == "dev-frank" and answer["expiresAt"].endswith("Z")
    claims = jwt.decode(answer["token"], gateway.user_secret(), algorithms=["HS256"])
    assert claims["sub"] == "dev-frank" and "scope" not in claims, "the dev sign-in never makes an admin"
    for body in [{}, {"customerId": ""}, {"customerId": "x" * 65}, {"customerId": "frank", "admin": True}, {"customerId": 7}]:
        status, _, answer = gateway.call("POST", "/v1/dev/sign-in", body)
        assert status == 400, (body, answer)
    still_serves(gateway)


def test_serve_keeps_its_key_across_restarts(tmp_path):
    """`serve` makes user-token.key once (mode 0600) and reuses it: a token from before a
    restart still works after it, and `orderhub token` signs with the same key."""
    from .conftest import Gateway, serve
    port, _, context = serve(tmp_path)
    with context:
        first = Gateway(f"http://127.0.0.1:{port}", data_dir=tmp_path / "data")
        token = first.sign_in("restart-alice")
        status, _, order = new_order(first, token)
        assert status == 201
    key = tmp_path / "data" / "user-token.key"
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    secret = key.read_text()
    port, _, context = serve(tmp_path)
    with context:
        again = Gateway(f"http://127.0.0.1:{port}", data_dir=tmp_path / "data")
        assert key.read_text() == secret
        status, _, same = again.call("GET", f"/v1/orders/{order['id']}", token=token)
        assert (status, same["customerId"]) == (200, "restart-alice")
        printed = subprocess.run([str(processes.bin_path("orderhub")), "token", "--customer", "restart-alice",
                                  "--data-dir", str(tmp_path / "data")], capture_output=True, text=True, timeout=60)
        assert printed.returncode == 0, printed.stderr
        status, _, same = again.call("GET", f"/v1/orders/{order['id']}", token=printed.stdout.strip())
        assert status == 200
