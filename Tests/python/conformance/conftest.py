"""The conformance tests share one rpc-test-server per module."""
import pytest

from conformance import rfc9113
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


@pytest.fixture(scope="module", params=["rpc-test-server", "nghttpd"])
def target(request):
    """The RFC 9113 suite's target: our server, and nghttpd as calibration."""
    if request.param == "nghttpd":
        target = request.getfixturevalue("nghttpd")
        if not hasattr(target, "baseline_rss_kib"):
            target.baseline_rss_kib = target.rss_kib()
        return target
    return request.getfixturevalue("server")


@pytest.fixture(autouse=True)
def rfc9113_case(request):
    """For the RFC 9113 cases: marks nghttpd's known deviations, and afterwards checks that the
    target still serves an ordinary call on a new connection (and its RSS stayed put)."""
    if "target" not in request.fixturenames:
        yield
        return
    target = request.getfixturevalue("target")
    rfc9113.mark_deviation(request, target)
    yield
    target.assert_still_healthy(target.baseline_rss_kib)
