"""The server binary allocates with jemalloc, not glibc's malloc: the benchmarks' CPU per call
and per created order assume it (bench/README.md, "The allocator"). A build that lost the link
(the library missing from the link line, or glibc's malloc resolved first) would still run, only
slower, so this checks the allocator that actually answers `malloc`."""
import subprocess

from support import processes


def test_orderhub_allocates_with_jemalloc():
    # jemalloc prints its statistics at exit when MALLOC_CONF asks; glibc ignores the variable.
    result = subprocess.run(
        [str(processes.bin_path("orderhub")), "--help"], env={"MALLOC_CONF": "stats_print:true", "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "jemalloc statistics" in result.stderr, result.stderr[-2000:]
    assert "Version: \"5." in result.stderr
