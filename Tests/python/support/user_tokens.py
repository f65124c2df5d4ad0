"""Customer tokens (docs/security.md) for tests that call Orders: signing with PyJWT, and grpcio
channels that send a token on every call.

Orders started by the harnesses trusts `SECRET` (HS256); `token()` signs with it by default.
"""
import time

import grpc
import jwt

SECRET = "python-tests-user-token-secret-0123456789abcdef"


def token(customer="alice", admin=False, ttl=3600, key=SECRET, algorithm="HS256", headers=None, **claims) -> str:
    """A token for `customer` valid for `ttl` seconds; `claims` add or override claims (a value of
    None removes the claim)."""
    now = int(time.time())
    payload = {"sub": customer, "iat": now, "exp": now + ttl}
    if admin:
        payload["scope"] = "orders:admin"
    payload.update(claims)
    payload = {name: value for name, value in payload.items() if value is not None}
    return jwt.encode(payload, key, algorithm=algorithm, headers=headers)


def admin_token() -> str:
    return token("test-admin", admin=True)


def metadata(value: str):
    """gRPC metadata carrying `value` as a bearer token."""
    return (("authorization", f"Bearer {value}"),)


class _Authorization(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor):
    """Adds `authorization: Bearer <token>` to every call that does not carry one."""

    def __init__(self, value: str):
        self.value = value

    def _with_token(self, details):
        metadata = list(details.metadata or [])
        if not any(name == "authorization" for name, _ in metadata):
            metadata.append(("authorization", f"Bearer {self.value}"))
        return details._replace(metadata=metadata)

    def intercept_unary_unary(self, continuation, details, request):
        return continuation(self._with_token(details), request)

    def intercept_unary_stream(self, continuation, details, request):
        return continuation(self._with_token(details), request)


def channel(address: str, value: str = None, compression=None):
    """An insecure channel to `address` whose calls carry `value` (default: an admin token);
    `compression` (a grpc.Compression) compresses every request."""
    return grpc.intercept_channel(grpc.insecure_channel(address, compression=compression), _Authorization(value or admin_token()))
