"""Customer authentication and ownership on Orders itself, with a stock grpcio client
(docs/security.md, "Customer tokens"): every RPC but health needs a valid bearer token; a customer
sees and acts on their own orders only; another customer's order is NOT_FOUND exactly like a
missing one; `orders:admin` acts on every order. Orders here trusts an HS256 secret and a JWKS
file with an RS256 and an ES256 key, and checks `iss` and `aud`.

After every refused call the server is checked to still serve.
"""
import base64
import hashlib
import hmac
import json
import os
import subprocess
import time

import grpc
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from orders.harness import create_request, pb, system
from support import processes, user_tokens

ISSUER = "https://id.orderhub.test"
AUDIENCE = "orderhub-orders"
MISSING = "00000000-0000-0000-0000-000000000000"


class Keys:
    """The signing halves of the JWKS keys Orders trusts."""

    def __init__(self):
        self.rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.ec = ec.generate_private_key(ec.SECP256R1())

    def jwks(self) -> str:
        rsa_jwk = json.loads(RSAAlgorithm.to_jwk(self.rsa.public_key()))
        ec_jwk = json.loads(ECAlgorithm.to_jwk(self.ec.public_key()))
        rsa_jwk.update(kid="rsa-1", use="sig")
        ec_jwk.update(kid="ec-1", use="sig")
        return json.dumps({"keys": [rsa_jwk, ec_jwk]})


def tok(customer="alice", admin=False, **claims):
    """An HS256 token with the issuer and audience Orders wants (override to break them)."""
    return user_tokens.token(customer, admin=admin, **{"iss": ISSUER, "aud": AUDIENCE, **claims})


@pytest.fixture(scope="module")
def keys():
    return Keys()


@pytest.fixture(scope="module")
def orders(tmp_path_factory, keys):
    tmp_path = tmp_path_factory.mktemp("customer-auth")
    (tmp_path / "jwks.json").write_text(keys.jwks())
    args = ["--user-jwks-file", str(tmp_path / "jwks.json"), "--user-jwt-issuer", ISSUER, "--user-jwt-audience", AUDIENCE]
    with system(tmp_path, orders_args=args, start_payments=False) as (orders, _):
        yield orders


@pytest.fixture(scope="module")
def stub(orders):
    _, orders_grpc, _, _ = pb()
    channel = grpc.insecure_channel(orders.address)
    yield orders_grpc.OrdersStub(channel)
    channel.close()


def messages():
    orders_pb2, _, _, _ = pb()
    return orders_pb2


def call(stub, method, request, token=None, extra=()):
    """Calls `method`; returns (status code, details, reply). Watch returns its first message."""
    metadata = (user_tokens.metadata(token) if token else ()) + tuple(extra)
    try:
        if method == "WatchOrder":
            stream = stub.WatchOrder(request, metadata=metadata, timeout=10)
            reply = next(stream)
            stream.cancel()
            return grpc.StatusCode.OK, "", reply
        return grpc.StatusCode.OK, "", getattr(stub, method)(request, metadata=metadata, timeout=10)
    except grpc.RpcError as error:
        return error.code(), error.details(), None


def still_serves(stub):
    """The server answers a valid call after whatever came before."""
    code, details, _ = call(stub, "ListOrders", messages().ListOrdersRequest(), tok("liveness"))
    assert code == grpc.StatusCode.OK, details


def every_rpc(order_id="x"):
    pb2 = messages()
    return [
        ("CreateOrder", create_request(customer="")),
        ("GetOrder", pb2.GetOrderRequest(id=order_id)),
        ("ListOrders", pb2.ListOrdersRequest()),
        ("CancelOrder", pb2.CancelOrderRequest(id=order_id)),
        ("WatchOrder", pb2.WatchOrderRequest(id=order_id)),
    ]


def test_every_rpc_needs_a_token(stub):
    for method, request in every_rpc():
        code, _, _ = call(stub, method, request)
        assert code == grpc.StatusCode.UNAUTHENTICATED, method
        still_serves(stub)


def test_identity_headers_are_never_identity(stub):
    spoof = (("x-user-id", "alice"), ("x-customer-id", "alice"), ("x-forwarded-user", "alice"), ("x-remote-user", "alice"))
    for method, request in every_rpc():
        code, _, _ = call(stub, method, request, extra=spoof)
        assert code == grpc.StatusCode.UNAUTHENTICATED, method
    order = call(stub, "CreateOrder", create_request(customer=""), tok("alice"))[2]
    code, _, _ = call(stub, "GetOrder", messages().GetOrderRequest(id=order.id), tok("bob"), extra=spoof)
    assert code == grpc.StatusCode.NOT_FOUND
    still_serves(stub)


def hand_signed(header: dict, payload: dict, secret: bytes) -> str:
    """HS256 over `header` and `payload` with any bytes as the secret (PyJWT refuses a PEM)."""
    def part(value: bytes) -> str:
        return base64.urlsafe_b64encode(value).rstrip(b"=").decode()
    signing_input = part(json.dumps(header).encode()) + "." + part(json.dumps(payload).encode())
    return signing_input + "." + part(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest())


def bad_tokens(keys):
    now = int(time.time())
    rsa_public_pem = keys.rsa.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return {
        "not a jwt": "not-a-jwt",
        "two parts": "eyJhbGciOiJIUzI1NiJ9.e30",
        "wrong signature": tok(key="another-secret-of-sufficient-length-000000000"),
        "alg none": jwt.encode({"sub": "alice", "exp": now + 3600, "iss": ISSUER, "aud": AUDIENCE}, None, algorithm="none"),
        "expired": tok(exp=now - 10, iat=now - 100),
        "no exp": tok(exp=None),
        "nbf in the future": tok(nbf=now + 600),
        "wrong issuer": tok(iss="https://evil.test"),
        "no issuer": tok(iss=None),
        "wrong audience": tok(aud="someone-else"),
        "no subject": tok(sub=None),
        "HS384": tok(algorithm="HS384"),
        # The RS256 key's public PEM used as an HMAC secret under the RSA key's id.
        "alg confusion": hand_signed({"alg": "HS256", "kid": "rsa-1"},
                                     {"sub": "alice", "exp": now + 3600, "iss": ISSUER, "aud": AUDIENCE}, rsa_public_pem),
        "unknown kid": tok(key=keys.rsa, algorithm="RS256", headers={"kid": "rsa-2"}),
        "RS256 under the EC key's id": tok(key=keys.rsa, algorithm="RS256", headers={"kid": "ec-1"}),
        "RS256 by another key": tok(key=rsa.generate_private_key(public_exponent=65537, key_size=2048), algorithm="RS256",
                                   headers={"kid": "rsa-1"}),
    }


@pytest.mark.parametrize("name", [
    "not a jwt", "two parts", "wrong signature", "alg none", "expired", "no exp", "nbf in the future", "wrong issuer",
    "no issuer", "wrong audience", "no subject", "HS384", "alg confusion", "unknown kid", "RS256 under the EC key's id",
    "RS256 by another key",
])
def test_bad_tokens_are_unauthenticated(stub, keys, name):
    token = bad_tokens(keys)[name]
    for method, request in every_rpc():
        code, _, _ = call(stub, method, request, token)
        assert code == grpc.StatusCode.UNAUTHENTICATED, f"{name}: {method} gave {code}"
    still_serves(stub)


def test_not_a_bearer_scheme_is_unauthenticated(stub):
    # ("Bearer " with a trailing space is not a valid HTTP/2 field value: refused by the transport.)
    for value in ("Basic YWxpY2U6cHc=", "Bearer", "bearer", "Token " + tok(), tok()):
        code, _, _ = call(stub, "ListOrders", messages().ListOrdersRequest(), extra=(("authorization", value),))
        assert code == grpc.StatusCode.UNAUTHENTICATED, value
    still_serves(stub)


def test_rs256_and_es256_keys_from_the_jwks(stub, keys):
    by_rsa = tok("carol", key=keys.rsa, algorithm="RS256", headers={"kid": "rsa-1"})
    by_ec = tok("carol", key=keys.ec, algorithm="ES256", headers={"kid": "ec-1"})
    code, details, order = call(stub, "CreateOrder", create_request(customer=""), by_rsa)
    assert code == grpc.StatusCode.OK, details
    assert order.customer_id == "carol"
    code, details, same = call(stub, "GetOrder", messages().GetOrderRequest(id=order.id), by_ec)
    assert code == grpc.StatusCode.OK and same.id == order.id, details


def test_another_customers_order_is_not_found_like_a_missing_one(stub):
    pb2 = messages()
    order = call(stub, "CreateOrder", create_request(customer=""), tok("alice"))[2]
    assert order.customer_id == "alice"
    for method, request in every_rpc(order.id)[1:]:
        if method == "ListOrders":
            continue
        code, details, _ = call(stub, method, request, tok("bob"))
        missing_code, missing_details, _ = call(stub, method, type(request)(id=MISSING), tok("bob"))
        assert code == missing_code == grpc.StatusCode.NOT_FOUND, method
        assert details.replace(order.id, MISSING) == missing_details, method
    # Bob's cancel changed nothing; Alice still sees and cancels her order.
    code, _, mine = call(stub, "GetOrder", pb2.GetOrderRequest(id=order.id), tok("alice"))
    assert code == grpc.StatusCode.OK and pb2.OrderState.Name(mine.state) == "ORDER_STATE_CREATED"
    code, _, first = call(stub, "WatchOrder", pb2.WatchOrderRequest(id=order.id), tok("alice"))
    assert code == grpc.StatusCode.OK and first.id == order.id
    code, _, cancelled = call(stub, "CancelOrder", pb2.CancelOrderRequest(id=order.id), tok("alice"))
    assert code == grpc.StatusCode.OK and pb2.OrderState.Name(cancelled.state) == "ORDER_STATE_CANCELLED"


def test_lists_hold_only_the_callers_orders(stub):
    pb2 = messages()
    alices = call(stub, "CreateOrder", create_request(customer=""), tok("list-alice"))[2]
    bobs = call(stub, "CreateOrder", create_request(customer=""), tok("list-bob"))[2]
    listed = call(stub, "ListOrders", pb2.ListOrdersRequest(page_size=100), tok("list-bob"))[2]
    assert [o.id for o in listed.orders] == [bobs.id]
    own = call(stub, "ListOrders", pb2.ListOrdersRequest(customer_id="list-bob"), tok("list-bob"))[2]
    assert [o.id for o in own.orders] == [bobs.id]
    code, _, _ = call(stub, "ListOrders", pb2.ListOrdersRequest(customer_id="list-alice"), tok("list-bob"))
    assert code == grpc.StatusCode.PERMISSION_DENIED
    everyone = call(stub, "ListOrders", pb2.ListOrdersRequest(page_size=100), tok("ops", admin=True))[2]
    assert {alices.id, bobs.id} <= {o.id for o in everyone.orders}
    filtered = call(stub, "ListOrders", pb2.ListOrdersRequest(customer_id="list-alice"), tok("ops", admin=True))[2]
    assert [o.id for o in filtered.orders] == [alices.id]


def test_create_takes_the_customer_from_the_token(stub):
    code, _, order = call(stub, "CreateOrder", create_request(customer="dave"), tok("dave"))
    assert code == grpc.StatusCode.OK and order.customer_id == "dave"
    code, details, _ = call(stub, "CreateOrder", create_request(customer="erin"), tok("dave"))
    assert code == grpc.StatusCode.PERMISSION_DENIED, details
    still_serves(stub)


def test_admin_acts_on_every_order(stub):
    pb2 = messages()
    admin = tok("ops", admin=True)
    code, details, _ = call(stub, "CreateOrder", create_request(customer=""), admin)
    assert code == grpc.StatusCode.INVALID_ARGUMENT and "customer_id" in details
    code, _, for_frank = call(stub, "CreateOrder", create_request(customer="frank"), admin)
    assert code == grpc.StatusCode.OK and for_frank.customer_id == "frank"
    frank_own = call(stub, "CreateOrder", create_request(customer=""), tok("frank"))[2]
    code, _, seen = call(stub, "GetOrder", pb2.GetOrderRequest(id=frank_own.id), admin)
    assert code == grpc.StatusCode.OK and seen.customer_id == "frank"
    code, _, first = call(stub, "WatchOrder", pb2.WatchOrderRequest(id=frank_own.id), admin)
    assert code == grpc.StatusCode.OK and first.id == frank_own.id
    code, _, cancelled = call(stub, "CancelOrder", pb2.CancelOrderRequest(id=frank_own.id), admin)
    assert code == grpc.StatusCode.OK and pb2.OrderState.Name(cancelled.state) == "ORDER_STATE_CANCELLED"
    # A scope among others still counts; a look-alike does not.
    code, _, _ = call(stub, "GetOrder", pb2.GetOrderRequest(id=frank_own.id), tok("ops", scope="openid orders:admin"))
    assert code == grpc.StatusCode.OK
    code, _, _ = call(stub, "GetOrder", pb2.GetOrderRequest(id=frank_own.id), tok("ops", scope="orders:administrator"))
    assert code == grpc.StatusCode.NOT_FOUND


def test_idempotency_keys_belong_to_one_customer(stub):
    key = "shared-key-1"
    alices = call(stub, "CreateOrder", create_request(customer="", request_id=key), tok("idem-alice"))[2]
    code, _, retry = call(stub, "CreateOrder", create_request(customer="", request_id=key), tok("idem-alice"))
    assert code == grpc.StatusCode.OK and retry.id == alices.id
    # The same key and items from Bob: his own order, not Alice's, and no ALREADY_EXISTS.
    code, details, bobs = call(stub, "CreateOrder", create_request(customer="", request_id=key), tok("idem-bob"))
    assert code == grpc.StatusCode.OK, details
    assert bobs.id != alices.id and bobs.customer_id == "idem-bob"


def test_health_needs_no_token(orders):
    # Raw bytes: which health stubs a session has loaded varies, and both spell the same wire.
    with grpc.insecure_channel(orders.address) as channel:
        reply = channel.unary_unary("/grpc.health.v1.Health/Check")(b"", timeout=10)
        assert reply == b"\x08\x01", "HealthCheckResponse{status: SERVING}"


def test_orders_refuses_to_start_without_a_customer_token_key(tmp_path):
    env = {name: value for name, value in os.environ.items() if not name.startswith("ORDERHUB_USER_JWT")}
    env.update(ORDERHUB_SERVICE_SECRET="startup-secret-0123456789abcdef0123456789")
    args = [str(processes.bin_path("orderhub")), "orders", "--listen", f"127.0.0.1:{processes.free_port()}",
            "--db", f"sqlite:{tmp_path / 'orders.db'}"]
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "--insecure-no-user-auth" in done.stdout + done.stderr
    short = subprocess.run(args, env={**env, "ORDERHUB_USER_JWT_SECRET": "short"}, capture_output=True, text=True, timeout=60)
    assert short.returncode != 0 and "at least 32 bytes" in short.stdout + short.stderr


def test_insecure_no_user_auth_treats_every_caller_as_admin(tmp_path):
    with system(tmp_path, orders_args=["--insecure-no-user-auth"], start_payments=False) as (orders, _):
        _, orders_grpc, _, _ = pb()
        with grpc.insecure_channel(orders.address) as channel:
            stub = orders_grpc.OrdersStub(channel)
            order = stub.CreateOrder(create_request(customer="zoe"), timeout=10)
            assert stub.GetOrder(messages().GetOrderRequest(id=order.id), timeout=10).customer_id == "zoe"
        assert "customer authentication is OFF" in orders.logs()
