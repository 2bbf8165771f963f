"""Folders a print cannot be written to: read-only and full, made for real.

Tests run as root here, and root ignores permission bits; so as root a small tmpfs is mounted
on the folder (read-only, or so small that a print does not fit). Without root, a read-only
folder is made by taking its write bits away, and a full one cannot be made (the caller skips).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _mount_tmpfs(folder: Path, options: str) -> None:
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                             capture_output=True)
    assert mounted.returncode == 0, "root without mount: " + mounted.stderr.decode()


@contextmanager
def read_only_folder(folder: Path) -> Iterator[Path]:
    """A folder nobody can write to: a read-only tmpfs as root, chmod 0555 otherwise."""
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)
        return
    _mount_tmpfs(folder, "ro,size=1m")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def can_fill_a_folder() -> bool:
    return os.geteuid() == 0


@contextmanager
def full_folder(folder: Path, size: str = "64k") -> Iterator[Path]:
    """A folder on a tmpfs of `size` (root only: see can_fill_a_folder)."""
    folder.mkdir()
    _mount_tmpfs(folder, f"size={size},mode=0700")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)
