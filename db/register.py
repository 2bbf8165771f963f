"""Creating a register: the one way `init`, the first-run dialog and `demo` make a new one
(a file with `create_register`, a register on a PostgreSQL server with
`create_server_register`).

A new register gets, in one transaction, the school, its first user and every default the
areas rely on (the consent purposes and the retention terms from resources/texts). A register
that fails or is cancelled half-way is removed again, file, -wal, -shm, sidecar and keyring
entry, by `Vault.discard`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from db.clock import Clock, system_clock
from db.permissions import SYSTEM, Actor, Permission, require
from db.processing import seed_default_activities
from db.purposes import seed_default_purposes
from db.retention import seed_default_rules
from db.schema import Role, User
from db.school import initialise_register
from db.server import ServerAddress, ServerRegister
from db.vault import Vault


@dataclass(frozen=True)
class NewSchool:
    """What the person creating a register fills in."""

    school_name: str
    brin: str
    admin_username: str
    admin_password: str
    admin_display_name: str = ""
    admin_role: Role = Role.BEHEERDER


@dataclass(frozen=True)
class DefaultsAdded:
    purposes: int
    retention_terms: int
    activities: int = 0

    @property
    def total(self) -> int:
        return self.purposes + self.retention_terms + self.activities


def add_missing_defaults(session: Session, actor: Actor, *,
                         clock: Clock = system_clock) -> DefaultsAdded:
    """Add each default consent purpose, retention term and processing activity (register
    art. 30) the register does not have yet.

    A default is matched by its code (purpose, activity) or category (term): one the school
    changed or retired is left as it is, so calling this again adds nothing.
    """
    require(actor, Permission.SETTINGS)
    purposes = seed_default_purposes(session, actor, clock=clock)
    terms = seed_default_rules(session, actor, clock=clock)
    activities = seed_default_activities(session, actor, clock=clock)  # after the terms
    return DefaultsAdded(len(purposes), terms, len(activities))


def set_up_register(session: Session, school: NewSchool, *,
                    clock: Clock = system_clock) -> User:
    """Fill an empty register: the school, its first user and all defaults. Returns the user."""
    admin = initialise_register(
        session, school_name=school.school_name, brin=school.brin,
        admin_username=school.admin_username, admin_password=school.admin_password,
        admin_display_name=school.admin_display_name, admin_role=school.admin_role,
        clock=clock)
    add_missing_defaults(session, SYSTEM, clock=clock)
    return admin


def add_school(session: Session, school: NewSchool, *, clock: Clock = system_clock) -> User:
    """Add a further school of the board to a register on a server, with its first user and
    all defaults, as set_up_register does for the first. Run by the database's owner (the
    board's IT partner): the program's own role may not add schools. The session works for
    the new school afterwards (db.tenancy). Returns the school's first user."""
    admin = initialise_register(
        session, school_name=school.school_name, brin=school.brin,
        admin_username=school.admin_username, admin_password=school.admin_password,
        admin_display_name=school.admin_display_name, admin_role=school.admin_role,
        clock=clock, another_school=True)
    add_missing_defaults(session, SYSTEM, clock=clock)
    return admin


def create_register(path: Path, school: NewSchool, *, passphrase: str | None = None,
                    backup_dir: Path | None = None, clock: Clock = system_clock,
                    then: Callable[[Vault, str | None], None] | None = None,
                    ) -> tuple[Vault, str | None]:
    """Create the encrypted file and set it up; returns the open vault and its recovery key.

    `then(vault, recovery_key)` runs last (the caller prints the recovery key there, or fills
    the demo school); when it or anything before it fails or is interrupted, the half-made
    register is discarded and the error raised.
    """
    vault, recovery = Vault.create(path, passphrase=passphrase, backup_dir=backup_dir,
                                   clock=clock)
    try:
        with vault.session() as session:
            set_up_register(session, school, clock=clock)
        if then is not None:
            then(vault, recovery)
    except BaseException:
        vault.discard()
        raise
    return vault, recovery


def create_server_register(address: ServerAddress, school: NewSchool, *, application_role: str,
                           password: str | None = None, clock: Clock = system_clock,
                           ) -> ServerRegister:
    """Create the register in an empty database on a PostgreSQL server and set it up, as the
    database's owner, in one transaction: a failure leaves the database empty. The
    `application_role` (not the owner) gets its grants; the program works as that role."""
    return ServerRegister.create(
        address, database_id=uuid.uuid4().hex, password=password,
        application_role=application_role, clock=clock,
        fill=lambda session: set_up_register(session, school, clock=clock))
