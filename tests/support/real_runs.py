"""Registers made by real runs (`init`, `import`, ... as processes or through cli.main), once
per xdist worker for each distinct recipe, then copied into each test that works on one.

A real `init` costs a test 1.5 to 2.5 seconds (a Python process, Alembic's ten revisions,
argon2 at the production cost); dozens of tests only need its result to work on. The copy
is byte for byte, file modes and times included, of everything the run wrote in its folders
(the register, its .json sidecar, the data folder with backups), so such a test works on
what a real run left behind. Tests whose subject is the run itself (what init writes, its
messages, its file modes, Ctrl-C during it) keep their own run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Hashable
from pathlib import Path

import keyring
import pytest

from tests.support.memkeyring import MemoryKeyring


class RealRuns:
    """``template(key, make)``: the folder ``make(folder)`` filled, made on the first call
    for ``key`` and kept for the rest of the worker's session. ``make`` runs with the app's
    data folder in ``template / "data"`` and an empty in-memory keyring of its own; what it
    stored there (a register's key) goes with each copy. With ``files``, ``make``
    gets the subfolder ``template / files`` (an in-process run, its data folder apart)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.made: dict[Hashable, Path] = {}
        self.keys: dict[Hashable, dict[tuple[str, str], str]] = {}

    def template(self, key: Hashable, make: Callable[[Path], object], files: str = "") -> Path:
        folder = self.made.get(key)
        if folder is None:
            folder = Path(tempfile.mkdtemp(prefix="run-", dir=self.root))  # mode 0700
            (folder / files).mkdir(mode=0o700, exist_ok=True)
            previous, backend = keyring.get_keyring(), MemoryKeyring()
            keyring.set_keyring(backend)
            try:
                with pytest.MonkeyPatch.context() as patch:
                    patch.setenv("XDG_DATA_HOME", str(folder / "data"))
                    patch.setenv("LOCALAPPDATA", str(folder / "data"))
                    make(folder / files)
            finally:
                keyring.set_keyring(previous)
            self.made[key], self.keys[key] = folder, dict(backend.entries)
        return folder

    def copy(self, key: Hashable, make: Callable[[Path], object], target: Path,
             *, files: str = "", keyring_backend: MemoryKeyring | None = None) -> None:
        """The run for ``key`` into this test: the template into ``target``; for an
        in-process run, whose files are in ``template / files``, those into ``target`` and
        its data folder into this test's (XDG_DATA_HOME); its keyring entries into
        ``keyring_backend``."""
        template = self.template(key, make, files)
        copy_run(template / files if files else template, target)
        if files and (template / "data").exists():
            copy_run(template / "data", Path(os.environ["XDG_DATA_HOME"]))
        if keyring_backend is not None:
            keyring_backend.entries.update(self.keys[key])


def copy_run(source: Path, target: Path) -> None:
    """Copy what a real run wrote in ``source`` into ``target`` (which may exist), modes and
    times kept. Refused when a plain-text file names ``source`` (the sidecar, a settings
    file): the copy would point at the template, not at itself."""
    named = [str(path.relative_to(source)) for path in sorted(source.rglob("*"))
             if path.is_file() and str(source).encode() in path.read_bytes()]
    assert named == [], f"files that name the folder of their run: {named}"
    shutil.copytree(source, target, symlinks=True, dirs_exist_ok=True)
