"""Negative control: two conformance checks run against the stock grpcio server, which is known
to answer a non-gRPC content type with RST_STREAM instead of 415 and to send BDP PINGs. The
checks must fail there, or they could not fail anywhere."""
import pytest

from conformance import test_http2_conformance as conformance
from support import interop_servers, targets


@pytest.fixture(scope="module")
def grpcio(tmp_path_factory):
    with interop_servers.grpcio_interop_server(tmp_path_factory.mktemp("grpcio")) as server:
        yield targets.Target("grpcio", server.port, server.process, True,
                             "/grpc.testing.TestService/EmptyCall", "/grpc.testing.TestService/FullDuplexCall", 0)


def test_415_check_fails_on_grpcio(grpcio):
    with pytest.raises(AssertionError, match="content-type"):
        conformance.test_non_grpc_content_type_gets_415_with_a_text_body(grpcio, "application/json")


def test_unsolicited_frames_check_fails_on_grpcio(grpcio):
    with pytest.raises(AssertionError, match="PingFrame|unsolicited"):
        conformance.test_no_unsolicited_frames(grpcio)
