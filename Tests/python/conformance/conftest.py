"""The conformance tests share one rpc-test-server per module."""
import pytest

from support import targets


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with targets.rpc_test_server(tmp_path_factory.mktemp("rpc-test-server")) as target:
        target.baseline_rss_kib = target.rss_kib()
        yield target


@pytest.fixture(scope="module")
def nghttpd(tmp_path_factory):
    with targets.nghttpd(tmp_path_factory.mktemp("nghttpd")) as target:
        yield target
