"""The numbers on the start page (overzicht): one query per count, no ORM objects, no Qt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from db.clock import Clock, system_clock
from db.permissions import Actor, Permission, may, require
from db.schema import (
    Breach,
    BreachStatus,
    ConsentPurpose,
    DataRequest,
    Guardian,
    Pupil,
    RequestStatus,
    Supplier,
)

if TYPE_CHECKING:
    from db.breaches import DeadlineStatus
    from db.requests import RequestRow
    from db.vault import Vault

# A verzoek is open until it is answered (or withdrawn): RequestStatus.closed decides.
CLOSED_REQUEST_STATUSES = tuple(status for status in RequestStatus if status.closed)


@dataclass(frozen=True)
class OverviewSummary:
    """How big the register is and how much is still open, on one day."""

    pupils_current: int  # enrolled and not (yet) left on `today`
    guardians: int
    consent_purposes: int  # purposes in use (not retired)
    open_breaches: int  # datalekken not yet signed off (status other than closed)
    open_requests: int  # verzoeken without an answer
    suppliers: int
    locked_out: int = 0  # user names with too many failed log-ins lately (beheerder only)


def _count(session: Session, query) -> int:  # noqa: ANN001
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def summary(session: Session, actor: Actor, *, today: date,
            clock: Clock = system_clock) -> OverviewSummary:
    """Count what the overview shows. Reads only; writes no audit (no personal data read).
    `locked_out` is counted only for who manages users (the beheerder); 0 for the others."""
    from db.users import recent_lockouts

    require(actor, Permission.READ_REGISTER)
    current = select(Pupil.id).where(or_(Pupil.left_on.is_(None), Pupil.left_on > today))
    return OverviewSummary(
        pupils_current=_count(session, current),
        guardians=_count(session, select(Guardian.id)),
        consent_purposes=_count(
            session, select(ConsentPurpose.id).where(ConsentPurpose.retired_at.is_(None))),
        open_breaches=_count(
            session, select(Breach.id).where(Breach.status != BreachStatus.CLOSED)),
        open_requests=_count(
            session,
            select(DataRequest.id).where(DataRequest.status.not_in(CLOSED_REQUEST_STATUSES))),
        suppliers=_count(session, select(Supplier.id)),
        locked_out=(recent_lockouts(session, actor, clock=clock)
                    if may(actor, Permission.MANAGE_USERS) else 0),
    )


class Level(StrEnum):
    """How urgent a line under "Aandacht nodig" is; the overview shows them in this order."""

    LATE = "late"  # a legal deadline has passed (red)
    SOON = "soon"  # a legal deadline is near (amber)
    OPEN = "todo"  # something to do, no deadline running out


LEVEL_ORDER = {Level.LATE: 0, Level.SOON: 1, Level.OPEN: 2}
REQUEST_SOON_DAYS = 7  # an open verzoek whose answer is due within a week is "near"


def level_rank(level: str) -> int:
    """Sort key of a level (unknown levels last)."""
    try:
        return LEVEL_ORDER[Level(level)]
    except ValueError:
        return len(LEVEL_ORDER)


@dataclass(frozen=True)
class Deadline:
    """One legal deadline still running or passed: a breach's 72 hours to notify the AP
    (AVG art. 33) or a request's term to answer (art. 12(3))."""

    kind: str  # "breach" or "request"
    record_id: int
    reference: str  # the breach's reference; '' for a request
    level: Level
    due: datetime | date


def breach_level(status: DeadlineStatus) -> Level | None:
    """A breach's 72 hours to notify the AP, by the register's one definition
    (DeadlineStatus.urgency): LATE when they passed without a notification, SOON in the last
    24 hours, OPEN while more is left; None when notified or decided not to notify."""
    urgency = status.urgency
    if urgency == "late":
        return Level.LATE
    if urgency == "soon":
        return Level.SOON
    if status.applies and not status.done:
        return Level.OPEN
    return None


def request_level(row: RequestRow, today: date) -> Level | None:
    """An open request's term to answer: LATE when passed, SOON when it ends within
    REQUEST_SOON_DAYS, OPEN otherwise; None when the request is closed."""
    from db.requests import CLOSED

    if row.status in CLOSED:
        return None
    if row.overdue(today):
        return Level.LATE
    return Level.SOON if row.deadline <= today + timedelta(days=REQUEST_SOON_DAYS) \
        else Level.OPEN


def legal_deadlines(session: Session, actor: Actor, *, now: datetime,
                    today: date) -> list[Deadline]:
    """Breaches not (yet) notified within 72 hours and open requests, each with its level:
    LATE when the deadline passed, SOON for a breach in its last 24 hours or a request due
    within REQUEST_SOON_DAYS, OPEN for the others. Late ones first."""
    from db.breaches import breach_rows
    from db.requests import request_rows

    require(actor, Permission.READ_REGISTER)
    found: list[Deadline] = []
    for breach in breach_rows(session, actor):
        status = breach.deadline(now)
        level = breach_level(status)
        if level is not None:
            found.append(Deadline("breach", breach.id, breach.reference, level, status.deadline))
    for request in request_rows(session, actor):
        level = request_level(request, today)
        if level is not None:
            found.append(Deadline("request", request.id, "", level, request.deadline))
    return sorted(found, key=lambda d: (level_rank(d.level), str(d.due)))


def last_backup_at(vault: Vault) -> datetime | None:
    """When the newest backup of this register was made (from its sidecar); None if none."""
    from db.vault import read_sidecar

    backups = vault.list_backups()
    if not backups:
        return None
    try:
        return datetime.fromisoformat(read_sidecar(backups[0]).get("created_at", ""))
    except ValueError:
        return None
