"""Shared helpers for orderhub's Python tests: stub generation, binaries, processes, ports."""
