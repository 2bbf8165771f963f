"""Inzage (right of access): everything the register holds about one pupil and their
guardians, gathered for the access export PDF. Reading special categories is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from db.audit import audit
from db.audit_log import record_readers
from db.clock import Clock, local_today, system_clock
from db.consent_sheets import OverviewLine, pupil_consent_overview
from db.permissions import Permission, may, require
from db.pupils import SPECIAL_CATEGORIES, GuardianRow, get_pupil, guardians_of, read_special
from db.requests import RequestRow, request_rows
from db.schema import User
from db.suppliers import ExchangeRow, exchange_rows
from db.text import format_dutch_date


@dataclass
class AccessFacts:
    pupil_fields: list[tuple[str, str]]
    pupil_name: str
    guardians: list[GuardianRow]
    special: list[tuple[str, str]] | None   # None: this user may not read them
    consents: list[OverviewLine]
    exchanges: list[ExchangeRow]
    requests: list[RequestRow]
    readers: list[tuple[datetime, str, str]]


def gather_access(session: Session, actor: User, pupil_id: int, *,
                  clock: Clock = system_clock) -> AccessFacts:
    require(actor, Permission.HANDLE_REQUESTS)
    pupil = get_pupil(session, actor, pupil_id)
    fields = [("Roepnaam", pupil.first_name), ("Voornamen", pupil.given_names),
              ("Voorvoegsel", pupil.prefix), ("Achternaam", pupil.last_name),
              ("Geboortedatum", format_dutch_date(pupil.date_of_birth)),
              ("Groep", pupil.group_name),
              ("Ingeschreven op", format_dutch_date(pupil.enrolled_on)),
              ("Vertrokken op", format_dutch_date(pupil.left_on) or "—"),
              ("Leerlingnummer bronsysteem", pupil.source_key or "—"),
              ("Notities", pupil.notes or "—")]
    special = None
    if may(actor, Permission.READ_SPECIAL):
        special = [(SPECIAL_CATEGORIES.get(r.category, r.category), r.description)
                   for r in read_special(session, actor, pupil_id, clock=clock)]
    form, consents = pupil_consent_overview(session, actor, pupil_id, today=local_today(clock))
    requests = [r for r in request_rows(session, actor) if r.pupil_id == pupil_id]
    audit(session, actor, "pupil.access_export", table_name="pupil", record_id=pupil_id,
          clock=clock)
    return AccessFacts(fields, form.name, guardians_of(session, actor, pupil_id), special,
                       consents, exchange_rows(session, actor, pupil_id=pupil_id), requests,
                       record_readers(session, actor, pupil_id))

