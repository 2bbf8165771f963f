"""Owner-only files and folders.

Everything the register writes (the database and its -wal/-shm, backups, sidecars, the recovery
key, exports) is readable by the person who made it and nobody else: 0600 files and 0700
folders on POSIX, created that way rather than narrowed afterwards, so there is no moment at
which another account can open them. SQLite gives -wal, -shm and -journal files the mode of
their database file, so a database created here keeps them owner-only too. On Windows the
modes do not apply; files inherit the user profile folder's permissions.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation under the file object


def make_private_dir(path: Path) -> None:
    """Create `path` and its missing parents as 0700. An existing folder is left as it is
    (it may be one the user chose, shared on purpose)."""
    path = Path(path)
    missing: list[Path] = []
    while not path.exists():
        missing.append(path)
        if path.parent == path:
            break
        path = path.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:
            pass


def create_private_file(path: Path, *, exclusive: bool = False) -> None:
    """Make sure `path` exists and is owner-only before a writer (reportlab, zipfile, SQLite)
    opens it; writers that truncate keep the mode. With `exclusive`, refuse an existing file.
    """
    flags = os.O_WRONLY | os.O_CREAT | _BINARY | (os.O_EXCL if exclusive else 0)
    descriptor = os.open(path, flags, PRIVATE_FILE)
    try:
        if os.name == "posix":
            os.fchmod(descriptor, PRIVATE_FILE)  # an existing file keeps its mode otherwise
    finally:
        os.close(descriptor)


def open_private(path: Path, mode: str = "wb", encoding: str | None = None) -> IO:
    """Open `path` for writing (truncated), created or narrowed to owner-only."""
    if mode not in ("wb", "w"):
        raise ValueError("open_private writes only: mode 'wb' or 'w'")
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _BINARY, PRIVATE_FILE)
    if os.name == "posix":
        os.fchmod(descriptor, PRIVATE_FILE)
    return os.fdopen(descriptor, mode, encoding=encoding)
