"""Small helpers shared by the db tests."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Connection, create_engine
from sqlalchemy.pool import NullPool

from db import keystore
from db.audit import audit
from db.clock import Clock
from db.schema import Guardian, Pupil, PupilGuardian, User
from db.server import ServerAddress, ServerRegister, load_password, make_engine
from db.vault import Vault
from tests.support.postgres import OWNER


def sha256_file(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def add_family(session, actor: User | None, clock: Clock, *, last_name: str = "Jansen",
               guardian_first: str = "Fatima") -> Pupil:
    """One pupil with one guardian, written and audited like a use-case would."""
    now = clock()
    pupil = Pupil(first_name="Sem", last_name=last_name, date_of_birth=date(2017, 5, 3),
                  year_group=4, group_name="4A", enrolled_on=date(2021, 8, 30), created_at=now)
    guardian = Guardian(first_name=guardian_first, last_name=last_name, created_at=now)
    session.add_all([pupil, guardian])
    session.flush()
    session.add(PupilGuardian(pupil_id=pupil.id, guardian_id=guardian.id, relation="moeder",
                              has_authority=True))
    audit(session, actor, "pupil.create", pupil, clock=clock)
    audit(session, actor, "guardian.create", guardian, clock=clock)
    audit(session, actor, "guardian.link", table_name="pupil_guardian",
          record_id=f"{pupil.id}/{guardian.id}", clock=clock)
    return pupil


# --- the same test on either engine (see the `vault` fixture in tests/conftest.py) -----------

def on_server(vault) -> bool:
    """True for the register on the PostgreSQL server, False for the SQLCipher file."""
    return isinstance(vault, ServerRegister)


def owner_address(vault: ServerRegister) -> ServerAddress:
    """The server register's address as its owner (the test keyring holds the password)."""
    return dataclasses.replace(vault.address, user=OWNER)


def reopen(vault, *, as_owner: bool = False):
    """The same register opened again after it was closed: the file with its key from the
    keyring, the server with its password from the keyring. `as_owner`: on the server as the
    owner of the database, who may do what the application role may not (the file has one
    user, who may do everything)."""
    if on_server(vault):
        return ServerRegister.open(owner_address(vault) if as_owner else vault.address)
    return Vault.open(vault.path)


def cli_location(vault) -> list[str]:
    """The CLI's arguments that name this register."""
    if on_server(vault):
        return ["--server", str(vault.address)]
    return ["--database", str(vault.path)]


@contextmanager
def tamper(vault, *, keep: bool = True) -> Iterator[Connection]:
    """Tampering past the program, as someone who holds the key (file) or the owner's password
    (server) could: a connection of its own, in a transaction, committed at the end (rolled
    back when `keep` is False, or on an error). On the server it is the database's owner: the
    application role the program works as may not UPDATE or DELETE the audit log. SQL through
    SQLAlchemy's text() with :named parameters reads the same on both engines."""
    if on_server(vault):
        address = owner_address(vault)
        engine = make_engine(address, load_password(address))
    else:
        raw = keystore.load_key(vault.database_id)

        def connect() -> sqlcipher.Connection:
            conn = sqlcipher.connect(str(vault.path), check_same_thread=False)
            conn.execute(f"PRAGMA key = \"x'{raw.hex()}'\"")
            return conn

        engine = create_engine("sqlite+pysqlite://", creator=connect, module=sqlcipher,
                               poolclass=NullPool)
    try:
        with engine.connect() as connection:
            transaction = connection.begin()
            try:
                yield connection
            except BaseException:
                transaction.rollback()
                raise
            if keep:
                transaction.commit()
            else:
                transaction.rollback()
    finally:
        engine.dispose()
