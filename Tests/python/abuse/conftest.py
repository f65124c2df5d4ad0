"""Each abuse test gets a fresh rpc-test-server, so RSS and failures never carry over."""
import pytest

from support import targets


@pytest.fixture
def server(tmp_path):
    with targets.rpc_test_server(tmp_path) as target:
        target.baseline_rss_kib = target.rss_kib()
        yield target


@pytest.fixture(scope="module")
def nghttpd(tmp_path_factory):
    with targets.nghttpd(tmp_path_factory.mktemp("nghttpd")) as target:
        target.baseline_rss_kib = target.rss_kib()
        yield target
