"""TLS test plumbing: certificates from `orderhub dev-certs`, the services started with TLS
flags, stock grpcio channels and raw `ssl` sockets against them.

Orders' customer authentication: ORDERS_ARGS is added to every `orders`/`serve` command line,
CALL_METADATA to every Orders RPC and REST_ARGS to every REST call on orders, so turning on
user tokens is a change here alone."""
import atexit
import contextlib
import os
import pathlib
import shutil
import socket
import ssl
import subprocess
import tempfile

import grpc

from orders import harness
from support import processes, user_tokens


def _user_secret_file() -> str:
    """The test customer-token secret as a file, for `--user-jwt-secret-file`."""
    descriptor, path = tempfile.mkstemp(prefix="orderhub-user-secret-")
    with os.fdopen(descriptor, "w") as file:
        file.write(user_tokens.SECRET)
    atexit.register(os.unlink, path)
    return path


# What an Orders call needs besides TLS lives here: Orders (and `serve`) trust the tests'
# customer-token secret; gRPC calls carry an admin token, REST calls alice's token (the gateway
# passes it on; alice creates her own orders).
ORDERS_ARGS: list = ["--user-jwt-secret-file", _user_secret_file()]
CALL_METADATA: tuple = user_tokens.metadata(user_tokens.admin_token())
REST_ARGS: list = ["-H", f"Authorization: Bearer {user_tokens.token('alice')}"]
# `gateway` needs the customer-token keys too (it counts clients by verified subject).
GATEWAY_ARGS: list = ORDERS_ARGS


class Certs:
    """One `orderhub dev-certs` directory."""

    def __init__(self, directory: pathlib.Path):
        self.dir = directory
        self.ca = directory / "ca.pem"
        self.server = directory / "server.pem"
        self.server_key = directory / "server-key.pem"
        self.client = directory / "client.pem"
        self.client_key = directory / "client-key.pem"

    def listener_args(self, client_ca=None):
        args = ["--tls-cert-file", self.server, "--tls-key-file", self.server_key]
        if client_ca is not None:
            args += ["--tls-client-ca-file", client_ca]
        return [str(a) for a in args]

    def client_args(self, with_certificate=False):
        args = ["--tls-ca-file", self.ca]
        if with_certificate:
            args += ["--tls-client-cert-file", self.client, "--tls-client-key-file", self.client_key]
        return [str(a) for a in args]

    def credentials(self, with_certificate=False, certificate_of=None):
        """grpcio credentials trusting this CA; presenting this (or `certificate_of`'s) client certificate."""
        owner = certificate_of or (self if with_certificate else None)
        return grpc.ssl_channel_credentials(
            root_certificates=self.ca.read_bytes(),
            private_key=owner.client_key.read_bytes() if owner else None,
            certificate_chain=owner.client.read_bytes() if owner else None)


def dev_certs(directory: pathlib.Path) -> Certs:
    subprocess.run([str(processes.bin_path("orderhub")), "dev-certs", str(directory)], check=True, capture_output=True, timeout=60)
    return Certs(directory)


def install(source: Certs, target: Certs):
    """Puts `source`'s server certificate and key where `target`'s are, each by rename (as a
    Secret update swaps files), key first so no check sees a certificate without its key twice."""
    for src, dst in ((source.server_key, target.server_key), (source.server, target.server)):
        staging = dst.with_suffix(".staging")
        shutil.copyfile(src, staging)
        os.replace(staging, dst)


def secure_channel(port: int, certs: Certs, **kwargs):
    """A stock grpcio channel to 127.0.0.1:port over TLS, verifying the certificate against certs' CA."""
    return grpc.secure_channel(f"127.0.0.1:{port}", certs.credentials(**kwargs))


def served_certificate(port: int, alpn=("h2",)) -> bytes:
    """The DER certificate a new TLS connection to the port is served. Not verified: the caller
    compares it with the file it expects (during a rotation either CA's may be served)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.set_alpn_protocols(list(alpn))
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as tls:
            return tls.getpeercert(binary_form=True)


def tls_context(certs: Certs, alpn=("h2",)) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(certs.ca))
    if alpn:
        context.set_alpn_protocols(list(alpn))
    return context


def pem_to_der(path: pathlib.Path) -> bytes:
    return ssl.PEM_cert_to_DER_cert(path.read_text())


@contextlib.contextmanager
def services(tmp_path, *, payments_args=(), orders_args=(), start_payments=True):
    """Payments and Orders as separate processes on free ports, each with its own cleartext
    health port; Orders calls Payments. Both stopped at the end."""
    payments = harness.Service("payments", tmp_path, processes.free_port(),
                               args=["--metrics-listen", f"127.0.0.1:{processes.free_port()}", *payments_args])
    orders_health = processes.free_port()
    orders = harness.Service("orders", tmp_path, processes.free_port(),
                             args=["--payments-address", payments.address, "--metrics-listen", f"127.0.0.1:{orders_health}",
                                   *ORDERS_ARGS, *orders_args])
    orders.health_port = orders_health
    try:
        if start_payments:
            payments.start()
        orders.start()
        yield orders, payments
    finally:
        for service in (orders, payments):
            with contextlib.suppress(Exception):
                service.stop()
            if service.process and service.process.poll() is None:
                service.kill9()
