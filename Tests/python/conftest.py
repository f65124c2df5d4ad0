"""Makes `support` importable for every Python test under Tests/python, and gives every
service process the tests start a free cleartext health port (`--metrics-listen` defaults to
fixed ports, which two processes on one machine cannot share)."""
import os
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
os.environ.setdefault("ORDERHUB_METRICS_LISTEN", "127.0.0.1:0")
