"""Makes `support` importable for every Python test under Tests/python, and gives every
service process the tests start a free cleartext health port (`--metrics-listen` defaults to
fixed ports, which two processes on one machine cannot share).

The fault tests (faults/) build network namespaces as root and take minutes: they run only from
`make test-faults` (which sets ORDERHUB_FAULT_TESTS=1), not a second time from `make test`."""
import os
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
os.environ.setdefault("ORDERHUB_METRICS_LISTEN", "127.0.0.1:0")

collect_ignore = [] if os.environ.get("ORDERHUB_FAULT_TESTS") == "1" else ["faults"]
