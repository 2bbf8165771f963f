"""A fake but realistic Dutch primary school, for demonstrations and load tests.

``privacyregister --demo`` opens (or first creates) a separate demo register; the CLI's
``demo --pupils N`` fills one with N pupils. Everything is generated from ``random.Random(seed)``
and the injected clock, so the same seed and clock give the same school. All names are
invented combinations; e-mail addresses use the reserved ``example`` domains.

Record timestamps simulate a register that has been in use for years (enrolments, consent
forms, breaches back to two years ago); the audit entries say when the generator wrote them
(``demo.create`` by the system, user id empty).

Pupils, guardians, links, consent events and special-category records are written with bulk
inserts (no ORM object per row) and audited with ``audit_many``; 20,000 pupils take seconds."""

from __future__ import annotations

import os
import random
from dataclasses import replace
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db import keystore
from db.audit import audit, count_entries
from db.clock import Clock, system_clock
from db.demo.history import _breaches, _exchanges, _requests, _suppliers, _vulnerability_reports
from db.demo.people import _Generator, _plan_families, _plan_slots
from db.demo.settings import (
    CHUNK,
    DEMO_BRIN,
    DEMO_PASSPHRASE,
    DEMO_SCHOOL_NAME,
    DEMO_TEACHER_GROUP,
    DEMO_USERS,
    DemoSummary,
    DemoUser,
    Progress,
)
from db.errors import Cancelled, MissingKeyError, WrongKeyError
from db.permissions import SYSTEM, Permission, may
from db.processing import link_suggested_suppliers
from db.purposes import list_purposes
from db.register import NewSchool, add_missing_defaults, create_register, set_up_register
from db.schema import Pupil, RetentionRule, Role, School, User
from db.school import get_school, put_setting, school_contact, set_school_contact
from db.users import create_user, hash_password, user_count
from db.vault import PASSPHRASE_ENV, Vault, read_sidecar, remove_register_files, write_sidecar

__all__ = ["CHUNK", "DEMO_BRIN", "DEMO_PASSPHRASE", "DEMO_SCHOOL_NAME", "DEMO_TEACHER_GROUP",
           "DEMO_USERS", "DemoSummary", "DemoUser", "Progress", "create_demo_vault",
           "demo_passphrase", "demo_school", "open_or_create_demo", "populate_demo"]


def _ensure_school_and_users(session: Session, clock: Clock) -> int:
    """A fresh register gets the demo school; every register gets the missing demo users."""
    created = 0
    if get_school(session) is None and user_count(session) == 0:
        set_up_register(session, demo_school(), clock=clock)
        created += 1
    elif get_school(session) is None:
        school = School(name=DEMO_SCHOOL_NAME, brin=DEMO_BRIN, created_at=clock())
        session.add(school)
        audit(session, SYSTEM, "demo.create", school, clock=clock)
    school = get_school(session)
    if school.name == DEMO_SCHOOL_NAME and not school.fg_name:
        school.fg_name = "mr. J. (Josien) van Ommen, FG Stichting Openbaar Onderwijs Regenboog"
        school.fg_email = "fg@opo-regenboog.example"
        audit(session, SYSTEM, "demo.create", school, clock=clock)
    contact = school_contact(session, SYSTEM)
    if school.name == DEMO_SCHOOL_NAME and not contact.privacy_email:
        set_school_contact(session, SYSTEM, replace(
            contact, privacy_email="privacy@obs-regenboog.example",
            disclosure_address="https://www.obs-regenboog.example/kwetsbaarheid-melden",
            parent_app="Parro", controller="Stichting Openbaar Onderwijs Regenboog"),
            clock=clock)
    existing = set(session.scalars(select(User.username)))
    manager = next((user for user in session.scalars(select(User).order_by(User.id))
                    if may(user, Permission.MANAGE_USERS)), None)
    for demo in DEMO_USERS:
        if demo.username in existing:
            continue
        group = DEMO_TEACHER_GROUP if demo.role == Role.LEERKRACHT else None
        if manager is not None:
            create_user(session, manager, demo.username, demo.password, demo.role,
                        display_name=demo.display_name, group_name=group, clock=clock)
        else:  # a register whose only users may not manage users: the system adds them
            user = User(username=demo.username, display_name=demo.display_name,
                        role=demo.role, password_hash=hash_password(demo.password),
                        active=True, group_name=group, created_at=clock())
            session.add(user)
            audit(session, SYSTEM, "demo.create", user, clock=clock)
        created += 1
    return created


def _user_id(session: Session, username: str, role: Role) -> int | None:
    """The demo user's id, or else any active user with that role."""
    found = session.scalar(select(User.id).where(User.username == username))
    if found is None:
        found = session.scalar(select(User.id).where(User.role == role, User.active)
                               .order_by(User.id).limit(1))
    return found


# --- the use-case -------------------------------------------------------------------------

def populate_demo(session: Session, *, pupils: int, seed: int = 2026,
                  clock: Clock = system_clock, progress: Progress | None = None) -> DemoSummary:
    """Fill this register with a fake school of `pupils` pupils (plus its history).

    On a fresh register it creates the school "OBS De Regenboog" and the DEMO_USERS; on a set-up
    register it adds the demo users that are missing. `progress(done, total)` is called after
    every batch of pupils; returning False raises Cancelled (the caller's transaction rolls
    back, leaving nothing behind).
    """
    if pupils < 0:
        raise ValueError("pupils must be >= 0")
    rng = random.Random(seed)
    audit_before = count_entries(session)
    users_created = _ensure_school_and_users(session, clock)
    add_missing_defaults(session, SYSTEM, clock=clock)
    put_setting(session, SYSTEM, "demo", "1")
    purposes = list_purposes(session)
    office_id = _user_id(session, "administratie", Role.ADMINISTRATIE)
    director_id = _user_id(session, "directie", Role.DIRECTIE)

    generator = _Generator(session, rng, clock, purposes, office_id, director_id)
    generator.summary.users_created = users_created
    slots = _plan_slots(rng, pupils, generator.today)
    families = _plan_families(rng, slots)
    source_keys = [str(key) for key in rng.sample(range(1_000_000, 9_999_999), len(slots))]
    source_keys.reverse()
    first_pupil_id = (session.scalar(select(func.max(Pupil.id))) or 0) + 1
    done, batch, in_batch = 0, [], 0
    for index, family in enumerate(families):
        batch.append(family)
        in_batch += len(family)
        if in_batch >= CHUNK or index == len(families) - 1:
            generator.write(batch, source_keys)
            done += in_batch
            batch, in_batch = [], 0
            if progress is not None and progress(done, len(slots)) is False:
                raise Cancelled("Het aanmaken van de demoschool is afgebroken. "
                                "Er is niets opgeslagen.")

    summary = generator.summary
    group_sizes = dict(session.execute(
        select(Pupil.group_name, func.count()).where(Pupil.left_on.is_(None))
        .group_by(Pupil.group_name)).all())
    new_pupils = list(session.scalars(select(Pupil.id).where(Pupil.id >= first_pupil_id)
                                      .order_by(Pupil.id)))
    summary.breaches = _breaches(session, clock, office_id, director_id, group_sizes)
    summary.requests = _requests(session, clock, new_pupils)
    summary.suppliers = _suppliers(session, clock)
    link_suggested_suppliers(session, SYSTEM, clock=clock)  # the art. 30 register's processors
    summary.exchanges = _exchanges(session, clock, office_id)
    summary.retention_rules = session.scalar(select(func.count()).select_from(RetentionRule))
    summary.vulnerability_reports = _vulnerability_reports(session, clock)
    summary.audit_entries = count_entries(session) - audit_before
    return summary


# --- the demo database file ---------------------------------------------------------------

def demo_school() -> NewSchool:
    """The demo school as a register's set-up, with the first demo user as its beheerder."""
    first = DEMO_USERS[0]
    return NewSchool(DEMO_SCHOOL_NAME, DEMO_BRIN, first.username, first.password,
                     first.display_name, first.role)


def demo_passphrase() -> str | None:
    """The passphrase for a new demo file: the one the user set in PRIVACYREGISTER_PASSPHRASE,
    none when the keyring can hold the key, else DEMO_PASSPHRASE (the data is fake)."""
    chosen = os.environ.get(PASSPHRASE_ENV)
    if chosen:
        return chosen
    return None if keystore.keyring_usable() else DEMO_PASSPHRASE


def create_demo_vault(path: Path, *, backup_dir: Path | None, pupils: int = 400,
                      clock: Clock = system_clock, seed: int = 2026,
                      progress: Progress | None = None,
                      passphrase: str | None = None) -> Vault:
    """Create the encrypted demo file and fill it; returns it open.

    It is created like any register (create_register), under `passphrase` or else
    demo_passphrase(). Nothing is left behind when filling fails or is cancelled.
    """
    path = Path(path)

    def fill(vault: Vault, _recovery: str | None) -> None:
        with vault.session() as session:
            populate_demo(session, pupils=pupils, seed=seed, clock=clock, progress=progress)
        meta = read_sidecar(path)
        meta["demo"] = True
        write_sidecar(path, meta)

    vault, _recovery = create_register(path, demo_school(),
                                       passphrase=passphrase or demo_passphrase(),
                                       backup_dir=backup_dir, clock=clock, then=fill)
    return vault


def open_or_create_demo(path: Path, *, backup_dir: Path | None, pupils: int = 400,
                        clock: Clock = system_clock) -> Vault:
    """Open the demo register at `path`, or create it when there is none yet.

    A demo file whose key is lost (keyring emptied, other machine) is thrown away and made
    again: only a file whose sidecar marks it as demo data, never a real register.
    """
    path = Path(path)
    if path.exists():
        meta = read_sidecar(path)
        passphrase = None
        if meta.get("key_mode") == "passphrase":
            passphrase = os.environ.get(PASSPHRASE_ENV) or DEMO_PASSPHRASE
        try:
            return Vault.open(path, passphrase=passphrase, backup_dir=backup_dir, clock=clock)
        except (MissingKeyError, WrongKeyError):
            if not meta.get("demo"):
                raise
            remove_register_files(path, meta.get("database_id"))
    return create_demo_vault(path, backup_dir=backup_dir, pupils=pupils, clock=clock)
