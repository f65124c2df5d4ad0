"""The fault tests need root (network namespaces, nftables, mounts) and run only from
`make test-faults` (ORDERHUB_FAULT_TESTS=1; see Tests/python/conftest.py)."""
import os
import shutil

import pytest

from faults import network


@pytest.fixture(scope="session")
def net():
    if os.geteuid() != 0 or not shutil.which("ip") or not shutil.which("nft"):
        pytest.fail("the fault tests need root, iproute2 and nftables (make deps installs them)")
    with network.network() as hosts:
        yield hosts
