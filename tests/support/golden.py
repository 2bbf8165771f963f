"""Golden files of the output tests (issue 14: faster, the same bytes): the fixed register
they render from, reading a golden file, and writing it again when an output is meant to
change (``python -m <test module> --write``)."""

from __future__ import annotations

import gzip
import json
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from db.clock import Clock, fixed_clock
from db.register import NewSchool, set_up_register
from db.schema import Role
from db.vault import Vault


@contextmanager
def fixed_register(folder: Path, now: datetime) -> Iterator[tuple[Vault, Clock]]:
    """A register set up in `folder` (OBS De Klimop, one beheerder) on a clock fixed at `now`;
    its connections are closed afterwards."""
    clock = fixed_clock(now)
    vault, _ = Vault.create(folder / "register.db", backup_dir=folder / "backups", clock=clock)
    try:
        with vault.session() as session:
            set_up_register(session, NewSchool("OBS De Klimop", "12AB", "beheer",
                                               "geheim-wachtwoord",
                                               admin_role=Role.BEHEERDER), clock=clock)
        yield vault, clock
    finally:
        vault.engine.dispose()


def read_golden(path: Path) -> dict:
    return json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))


def write_golden(path: Path, render: Callable[[Path], dict]) -> dict:
    """Render in a temporary folder (with an in-memory keyring) and store it at `path`."""
    import keyring

    from tests.support.memkeyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())
    with tempfile.TemporaryDirectory() as tmp:
        written = render(Path(tmp))
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(gzip.compress(json.dumps(written, ensure_ascii=False, indent=0,
                                              sort_keys=True).encode("utf-8"), mtime=0))
    return written
