"""Bewaartermijnen and verwijdering: what is due for deletion, the purge, and erasure on request.

Each category of a pupil's data has a term counted from the leaving date. What each category
covers in this register:
- leerlingdossier: notes and special-category records (the pupil's file);
- verwijsdossier: the pupil's part in exchanges with third parties;
- inschrijving_verzuim: the pupil itself, guardians only linked to them, consents: everything.
Deleting leaves a tombstone (that, when, why, by whom; no names) and an audit entry. Consent
decisions are append-only for every other path; erasure is the one deliberate exception.
Take a backup first: the callers (GUI, CLI) do, through the vault.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from db.audit import audit
from db.clock import Clock, system_clock
from db.errors import NotFoundError, ValidationError
from db.permissions import Actor, Permission, require
from db.schema import (
    ConsentEvent,
    DataRequest,
    Erasure,
    ExchangePupil,
    Guardian,
    Pupil,
    PupilGuardian,
    RetentionRule,
    SpecialCategoryRecord,
    User,
)

if TYPE_CHECKING:
    from db.vault import Vault


class RetentionCategory(StrEnum):
    """What a retention term (bewaartermijn) covers; see the module's docstring."""

    PUPIL_FILE = "leerlingdossier"
    REFERRAL_FILE = "verwijsdossier"
    ENROLMENT = "inschrijving_verzuim"


class ErasedPart(StrEnum):
    """What an erasure on request (verwijdering) removes."""

    ALL = "all"
    SPECIAL = "special"
    CONSENTS = "consents"
    NOTES = "notes"


class ErasureReason(StrEnum):
    REQUEST = "verzoek"
    RETENTION = "bewaartermijn"


FULL = RetentionCategory.ENROLMENT
CATEGORY_SCOPE = {"leerlingdossier": "notities en bijzondere persoonsgegevens",
                  "verwijsdossier": "uitwisselingen met derden",
                  FULL: "de hele leerling: gegevens, ouders, toestemmingen"}
ERASABLE = {"all": "alles over deze leerling", "special": "bijzondere persoonsgegevens",
            "consents": "toestemmingen", "notes": "notities"}


def load_default_rules() -> list[dict]:
    return json.loads((files("resources") / "texts" / "retention_rules.json").read_text("utf-8"))


def seed_default_rules(session: Session, actor: Actor, *,
                       clock: Clock = system_clock) -> int:
    require(actor, Permission.SETTINGS)
    existing = set(session.scalars(select(RetentionRule.category)))
    added = 0
    for rule in load_default_rules():
        if rule["category"] not in existing:
            record = RetentionRule(**rule)
            session.add(record)
            audit(session, actor, "retention.create", record, clock=clock)
            added += 1
    return added


def set_term(session: Session, actor: User, category: str, years: int, source: str, *,
             clock: Clock = system_clock) -> RetentionRule:
    require(actor, Permission.SETTINGS)
    if years < 1:
        raise ValidationError("Een bewaartermijn is minstens één jaar.", field="years")
    if years > 100:
        raise ValidationError("Een bewaartermijn van meer dan 100 jaar is niet zinvol.",
                              field="years")
    rule = session.scalar(select(RetentionRule).where(RetentionRule.category == category))
    if rule is None:
        raise NotFoundError("Deze categorie bestaat niet.")
    rule.years_after_leaving, rule.source = years, source.strip() or rule.source
    audit(session, actor, "retention.update", rule, clock=clock)
    return rule


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class RuleRow(NamedTuple):
    category: str
    label: str
    years: int
    source: str


def rule_rows(session: Session, actor: Actor) -> list[RuleRow]:
    """The terms per category, shortest first."""
    require(actor, Permission.READ_REGISTER)
    return [RuleRow(*row) for row in session.execute(
        select(RetentionRule.category, RetentionRule.label, RetentionRule.years_after_leaving,
               RetentionRule.source).order_by(RetentionRule.years_after_leaving,
                                              RetentionRule.category))]


class DueItem(NamedTuple):
    pupil_id: int
    name: str
    category: str
    label: str
    left_on: date
    due_on: date

    @property
    def removes_pupil(self) -> bool:
        """Deleting this item removes the pupil from the register altogether."""
        return self.category == FULL


def due_items(session: Session, actor: Actor, today: date) -> list[DueItem]:
    """Per left pupil and category: data whose term has passed and that is still there."""
    require(actor, Permission.READ_REGISTER)
    rules = list(session.execute(select(RetentionRule.category, RetentionRule.label,
                                        RetentionRule.years_after_leaving)))
    done = {(ref, cat) for ref, cat in session.execute(
        select(Erasure.pupil_ref, Erasure.category))}
    has_special = set(session.scalars(select(SpecialCategoryRecord.pupil_id)))
    has_notes = set(session.scalars(select(Pupil.id).where(Pupil.notes != "")))
    has_exchanges = set(session.scalars(select(ExchangePupil.pupil_id)))
    items = []
    for pid, first, prefix, last, left in session.execute(
            select(Pupil.id, Pupil.first_name, Pupil.prefix, Pupil.last_name, Pupil.left_on)
            .where(Pupil.left_on.is_not(None), Pupil.left_on <= today)):
        name = " ".join(p for p in (first, prefix, last) if p)
        for category, label, years in rules:
            due = add_years(left, years)
            if due > today or (pid, category) in done:
                continue
            holds = {"leerlingdossier": pid in has_special or pid in has_notes,
                     "verwijsdossier": pid in has_exchanges}.get(category, True)
            if holds:
                items.append(DueItem(pid, name, category, label, left, due))
    return sorted(items, key=lambda i: (i.due_on, i.name))


def _tombstone(session: Session, actor: Actor, pupil_id: int, category: str,
               reason: str, request_id: int | None, clock: Clock) -> Erasure:
    tomb = Erasure(pupil_ref=pupil_id, category=category, request_id=request_id, reason=reason,
                   erased_at=clock(), erased_by=actor.id)
    session.add(tomb)
    audit(session, actor, f"erasure.{category}", tomb, clock=clock)
    return tomb


def _delete_pupil_completely(session: Session, actor: Actor, pupil_id: int,
                             clock: Clock) -> None:
    guardian_ids = list(session.scalars(select(PupilGuardian.guardian_id)
                                        .where(PupilGuardian.pupil_id == pupil_id)))
    session.execute(delete(ConsentEvent).where(ConsentEvent.pupil_id == pupil_id))
    session.execute(delete(SpecialCategoryRecord)
                    .where(SpecialCategoryRecord.pupil_id == pupil_id))
    session.execute(delete(ExchangePupil).where(ExchangePupil.pupil_id == pupil_id))
    session.execute(delete(PupilGuardian).where(PupilGuardian.pupil_id == pupil_id))
    detached = []
    for request in session.scalars(select(DataRequest).where(DataRequest.pupil_id == pupil_id)):
        request.pupil_id = None  # the request stays (accountability), without the pupil
        detached.append(request)
    for guardian_id in guardian_ids:
        others = session.scalar(select(func.count()).select_from(PupilGuardian)
                                .where(PupilGuardian.guardian_id == guardian_id))
        if not others:
            session.execute(delete(ConsentEvent).where(ConsentEvent.guardian_id == guardian_id))
            for request in session.scalars(select(DataRequest)
                                           .where(DataRequest.guardian_id == guardian_id)):
                request.guardian_id = None
                detached.append(request)
            session.execute(delete(Guardian).where(Guardian.id == guardian_id))
    for request in dict.fromkeys(detached):
        audit(session, actor, "request.detach", request, clock=clock)
    session.execute(delete(Pupil).where(Pupil.id == pupil_id))
    session.expire_all()


def erase(session: Session, actor: User, pupil_id: int, category: str, *,
          request_id: int | None = None, clock: Clock = system_clock) -> Erasure:
    """Erasure on request (verwijdering): all of a pupil, or one category. Leaves a tombstone."""
    require(actor, Permission.ERASE)
    if category not in ERASABLE:
        raise ValidationError("Kies wat er verwijderd moet worden.", field="category")
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise NotFoundError("Deze leerling staat niet (meer) in het register.")
    if request_id is not None and session.get(DataRequest, request_id) is None:
        raise ValidationError("Dit verzoek bestaat niet.", field="request")
    if category == "all":
        _delete_pupil_completely(session, actor, pupil_id, clock)
    elif category == "special":
        session.execute(delete(SpecialCategoryRecord)
                        .where(SpecialCategoryRecord.pupil_id == pupil_id))
    elif category == "consents":
        session.execute(delete(ConsentEvent).where(ConsentEvent.pupil_id == pupil_id))
    elif category == "notes":
        pupil.notes = ""
        audit(session, actor, "pupil.notes_erased", pupil, clock=clock)
    return _tombstone(session, actor, pupil_id, category, ErasureReason.REQUEST, request_id,
                      clock)


@dataclass(frozen=True)
class PurgeResult:
    pupils_removed: int
    items: int
    backup: Path | None = None  # the backup made just before, by purge_after_backup


def purge(session: Session, actor: User, items: list[DueItem], *,
          clock: Clock = system_clock) -> PurgeResult:
    """Delete what retention says is due. The caller confirmed and made a backup first."""
    require(actor, Permission.ERASE)
    removed = 0
    for item in sorted(items, key=lambda i: i.category == FULL):  # whole pupils last
        if session.get(Pupil, item.pupil_id) is None:
            continue
        if item.category == RetentionCategory.PUPIL_FILE:
            session.execute(delete(SpecialCategoryRecord)
                            .where(SpecialCategoryRecord.pupil_id == item.pupil_id))
            pupil = session.get(Pupil, item.pupil_id)
            pupil.notes = ""
            audit(session, actor, "pupil.notes_erased", pupil, clock=clock)
        elif item.category == RetentionCategory.REFERRAL_FILE:
            session.execute(delete(ExchangePupil)
                            .where(ExchangePupil.pupil_id == item.pupil_id))
        else:
            _delete_pupil_completely(session, actor, item.pupil_id, clock)
            removed += 1
        _tombstone(session, actor, item.pupil_id, item.category, ErasureReason.RETENTION, None,
                   clock)
    return PurgeResult(removed, len(items))


def purge_after_backup(vault: Vault, actor: Actor, items: list[DueItem], *,
                       clock: Clock = system_clock, own_connection: bool = False,
                       ) -> PurgeResult:
    """The purge as the program does it: a backup first, then the deletion in one transaction
    (Vault.backup_then). BackupFirstError when the backup failed: nothing was deleted."""
    require(actor, Permission.ERASE)
    backup, result = vault.backup_then(
        actor, lambda session: purge(session, actor, items, clock=clock),
        reason="voor verwijderen", own_connection=own_connection)
    return PurgeResult(result.pupils_removed, result.items, backup)


class ErasureLine(NamedTuple):
    """One tombstone for the list of what was erased: no names of pupils."""

    erased_at: datetime
    pupil_ref: int
    category: str
    reason: str
    request_id: int | None
    by: str


def erasure_lines(session: Session, actor: Actor) -> list[ErasureLine]:
    """What was erased, newest first, with who did it (the system when nobody)."""
    require(actor, Permission.READ_REGISTER)
    names = {uid: name or username for uid, username, name in session.execute(
        select(User.id, User.username, User.display_name))}
    return [ErasureLine(t.erased_at, t.pupil_ref, t.category, t.reason, t.request_id,
                        names.get(t.erased_by, "systeem") if t.erased_by else "systeem")
            for t in session.scalars(select(Erasure).order_by(Erasure.erased_at.desc()))]


def erasure_rows(session: Session, actor: Actor) -> list[Erasure]:
    require(actor, Permission.READ_REGISTER)
    return list(session.scalars(select(Erasure).order_by(Erasure.erased_at.desc())))
