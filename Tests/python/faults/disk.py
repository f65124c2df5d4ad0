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
        """Writes a file until the filesystem is full; returns the bytes it took."""
        written = 0
        chunk = b"\0" * 65536
        with open(self.filler, "ab") as out:
            while written < 1 << 30:
                try:
                    out.write(chunk)
                    out.flush()
                    written += len(chunk)
                except OSError as error:
                    if error.errno != errno.ENOSPC:
                        raise
                    break
            # Whatever is left below a chunk goes too, byte by byte in small pieces.
            for size in (4096, 512, 1):
                while True:
                    try:
                        out.write(b"\0" * size)
                        out.flush()
                        written += size
                    except OSError:
                        break
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
