"""Makes `support` importable for every Python test under Tests/python."""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
