"""The numbers on the start page (overzicht): one query per count, no ORM objects, no Qt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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
