"""What an open register offers the rest of the program, whichever engine holds it.

A register is the encrypted SQLCipher file (db.vault.Vault) or a database on a PostgreSQL
server (db.server.ServerRegister). The CLI, the GUI and the background tasks work with either
through this one interface and never ask which it is: where the two differ, the register
itself says so (a server refuses `backup` with a Dutch explanation, has no file to check, and
keeps no backups of ours). tests/db/test_open_register.py holds both classes to it, name for
name and argument for argument, and runs the interface on both engines.

What only a file has (rekey, restore, recovery_key, discard) is not part of it: the CLI
refuses those commands for --server before it opens anything.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol, TypeVar, runtime_checkable

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from db.clock import Clock
from db.permissions import Actor

T = TypeVar("T")


@runtime_checkable
class OpenRegister(Protocol):
    """An open register: db.vault.Vault (the file) or db.server.ServerRegister (a server)."""

    engine: Engine
    database_id: str
    clock: Clock
    migrated_from: str | None  # the schema revision it was upgraded from when opened
    path: Path | None          # the file; None on a server
    backup_dir: Path | None    # where the file's rotating backups go; None on a server

    @property
    def key_mode(self) -> str:
        """"keyring" or "passphrase" for the file, "server" for a server."""

    def session(self) -> AbstractContextManager[Session]:
        """A unit of work: commits on success, rolls back on any error."""

    def new_session(self) -> Session:
        """A session the caller manages (commit/rollback/close)."""

    def worker_session(self) -> AbstractContextManager[Session]:
        """A unit of work on a connection of its own, for a background thread."""

    def reader(self) -> AbstractContextManager[Connection]:
        """A connection of its own for reading beside other work (a check on two cores)."""

    def backup(self, actor: Actor, to: Path | None = None, *, reason: str = "handmatig",
               own_connection: bool = False) -> Path:
        """A backup of the file; a server refuses (ServerBackupError: pg_dump is its own)."""

    def backup_then(self, actor: Actor, work: Callable[[Session], T], *,
                    reason: str = "voor verwijderen", own_connection: bool = False,
                    ) -> tuple[Any, T]:
        """Deleting safely: the backup (None on a server), then `work` in one transaction."""

    def list_backups(self) -> list[Path]:
        """The register's own backups, newest first (none on a server)."""

    def integrity_problems(self, *, own_connection: bool = False) -> list[str]:
        """What the check of the storage itself found; empty when sound."""

    def integrity_report(self, problems: list[str]) -> str | None:
        """Those problems in Dutch for the user, or None where there is nothing to check."""

    def derive_backup_key_ahead(self) -> None:
        """For a caller that closes with a backup after its work (an import): the backup's
        key is derived beside that work (a passphrase file only; nothing on a server)."""

    def keep_pages(self, kib: int = 65_536) -> None:
        """For a process that writes much and then closes with a backup: the file's pages
        stay in memory for that backup (nothing on a server, which makes no backup here)."""

    def close(self, *, backup: bool = True) -> None:
        """Close every connection (the file makes its rotating backup first)."""
