"""A small filesystem for a SQLite database that a test can fill up and free again: a tmpfs
with a size, mounted under /tmp and always unmounted (a crashed run's leftovers too)."""
import contextlib
import errno
import os
import pathlib
import subprocess
import tempfile

PREFIX = "ohf-disk-"


def remove_stale() -> None:
    for line in pathlib.Path("/proc/mounts").read_text().splitlines():
        mount_point = line.split()[1]
        if mount_point.startswith(f"/tmp/{PREFIX}"):
            subprocess.run(["umount", "-l", mount_point], check=False)


class SmallDisk:
    def __init__(self, path: pathlib.Path):
        self.path = path
        self.filler = path / "filler"

    def fill(self) -> int:
        """Writes a file until the filesystem is full (unbuffered, down to single bytes);
        returns the bytes it took."""
        written = 0
        descriptor = os.open(self.filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            for size in (65536, 4096, 512, 1):
                block = b"\0" * size
                while written < 1 << 30:
                    try:
                        written += os.write(descriptor, block)
                    except OSError as error:
                        if error.errno != errno.ENOSPC:
                            raise
                        break
        finally:
            os.close(descriptor)
        return written

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)

    def available(self) -> int:
        stats = os.statvfs(self.path)
        return stats.f_bavail * stats.f_frsize


@contextlib.contextmanager
def small_disk(size_mib: int = 16):
    remove_stale()
    path = pathlib.Path(tempfile.mkdtemp(prefix=PREFIX))
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mib}m,mode=0755", "tmpfs", str(path)], check=True)
    try:
        yield SmallDisk(path)
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)
        path.rmdir()
