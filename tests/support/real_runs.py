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

import shutil
from collections.abc import Callable, Hashable
from pathlib import Path


class RealRuns:
    """``template(key, make)``: the folder ``make(folder)`` filled, made on the first call
    for ``key`` and kept for the rest of the worker's session."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.made: dict[Hashable, Path] = {}

    def template(self, key: Hashable, make: Callable[[Path], object]) -> Path:
        folder = self.made.get(key)
        if folder is None:
            folder = self.root / f"run-{len(self.made)}"
            folder.mkdir(mode=0o700)
            make(folder)
            self.made[key] = folder
        return folder


def copy_run(source: Path, target: Path) -> None:
    """Copy what a real run wrote in ``source`` into ``target`` (which may exist), modes and
    times kept. Refused when a plain-text file names ``source`` (the sidecar, a settings
    file): the copy would point at the template, not at itself."""
    named = [str(path.relative_to(source)) for path in sorted(source.rglob("*"))
             if path.is_file() and str(source).encode() in path.read_bytes()]
    assert named == [], f"files that name the folder of their run: {named}"
    shutil.copytree(source, target, symlinks=True, dirs_exist_ok=True)
