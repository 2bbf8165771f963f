"""Verzoeken van betrokkenen (rechten van betrokkenen): inzage, correctie, verwijdering,
beperking, bezwaar. Answer within one month of receipt; extendable by at most two more months,
only with a reason and when the requester is told so within the first month (AVG art. 12(3)).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from db.audit import audit
from db.clock import Clock, local_today, system_clock
from db.errors import NotFoundError, ValidationError
from db.permissions import Actor, Permission, require
from db.schema import (
    DataRequest,
    Guardian,
    Pupil,
    PupilGuardian,
    RequestKind,
    RequestStatus,
    User,
)
from db.versions import expect_version, refused_when_changed

KIND_LABELS = {RequestKind.ACCESS: "inzage", RequestKind.RECTIFICATION: "correctie",
               RequestKind.ERASURE: "verwijdering", RequestKind.RESTRICTION: "beperking",
               RequestKind.OBJECTION: "bezwaar"}
# Dutch words for the prints (the GUI translates through desktop/kit/labels.py)
STATUS_LABELS = {RequestStatus.OPEN: "open", RequestStatus.EXTENDED: "verlengd",
                 RequestStatus.ANSWERED: "beantwoord", RequestStatus.WITHDRAWN: "ingetrokken"}
CLOSED = tuple(status for status in RequestStatus if status.closed)
MAX_EXTENSION_MONTHS = 2
ANSWER_MONTHS = 1
_MONTH_WORDS = {1: "één maand", 2: "twee maanden", 3: "drie maanden"}
SOON_DAYS = 7  # an open request with this many days or fewer left is almost due (amber)


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later; the month's last day when it is shorter
    (31 January + 1 month = 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def answer_deadline(received_on: date, extended_months: int = 0) -> date:
    return add_months(received_on, ANSWER_MONTHS + extended_months)


def last_received_on(due_by: date, extended_months: int = 0) -> date:
    """The last day of receipt whose answer deadline (with this extension) falls on or
    before `due_by`. answer_deadline never decreases as the receipt moves later, so a
    request is due by `due_by` exactly when it was received on or before this day: the
    deadline rule in a form SQL can compare (due_clause), from answer_deadline itself."""
    day = add_months(due_by, -(ANSWER_MONTHS + extended_months))
    while answer_deadline(day, extended_months) > due_by:
        day -= timedelta(days=1)
    while answer_deadline(day + timedelta(days=1), extended_months) <= due_by:
        day += timedelta(days=1)
    return day


def due_clause(due_by: date) -> ColumnElement[bool]:
    """SQL: an open request whose answer deadline is on or before `due_by` (every extension
    extend() allows). Past the term on `today` (RequestRow.overdue): due_clause(today - 1
    day); almost due (db.overview.request_level SOON or LATE): due_clause(today + 7 days)."""
    return and_(DataRequest.status.not_in(CLOSED), or_(*(
        and_(DataRequest.extended_months == months,
             DataRequest.received_on <= last_received_on(due_by, months))
        for months in range(MAX_EXTENSION_MONTHS + 1))))


def answer_term_words() -> tuple[str, str]:
    """The term in words for parents: ('één maand', 'twee maanden'): the answer term and the
    longest extension, from the same constants the deadlines are computed with."""
    return _MONTH_WORDS[ANSWER_MONTHS], _MONTH_WORDS[MAX_EXTENSION_MONTHS]


@dataclass
class RequestInput:
    kind: RequestKind
    received_on: date
    pupil_id: int | None
    guardian_id: int | None
    description: str = ""


def _get(session: Session, request_id: int) -> DataRequest:
    request = session.get(DataRequest, request_id)
    if request is None:
        raise NotFoundError("Dit verzoek bestaat niet (meer).")
    return request


def register_request(session: Session, actor: User, data: RequestInput, *,
                     clock: Clock = system_clock) -> DataRequest:
    require(actor, Permission.HANDLE_REQUESTS)
    try:
        kind = RequestKind(data.kind)
    except ValueError:
        raise ValidationError("Kies het soort verzoek.", field="kind") from None
    if data.received_on > local_today(clock):
        raise ValidationError("De ontvangstdatum ligt in de toekomst.", field="received_on")
    if data.guardian_id is not None and data.pupil_id is not None and session.get(
            PupilGuardian, (data.pupil_id, data.guardian_id)) is None:
        raise ValidationError("Deze ouder/verzorger hoort niet bij deze leerling.",
                              field="guardian")
    request = DataRequest(kind=kind, received_on=data.received_on, pupil_id=data.pupil_id,
                          guardian_id=data.guardian_id, description=data.description.strip(),
                          status=RequestStatus.OPEN, created_at=clock())
    session.add(request)
    audit(session, actor, "request.register", request, clock=clock)
    return request


def extend(session: Session, actor: User, request_id: int, *, months: int, reason: str,
           told_on: date, loaded_version: int | None = None,
           clock: Clock = system_clock) -> DataRequest:
    """Extend by 1 or 2 months: with a reason, told to the requester within the first month.
    `loaded_version`: the request's version when the dialog was opened (RequestRow.version);
    over someone else's later change the save is refused (ChangedElsewhereError)."""
    require(actor, Permission.HANDLE_REQUESTS)
    request = _get(session, request_id)
    expect_version(request, loaded_version)
    if RequestStatus(request.status).closed:
        raise ValidationError("Dit verzoek is al afgehandeld.", field="status")
    if not 1 <= months <= MAX_EXTENSION_MONTHS:
        raise ValidationError("Verlengen kan met ten hoogste twee maanden.", field="months")
    if not reason.strip():
        raise ValidationError("Verlengen mag alleen met een reden; vul die in.",
                              field="reason")
    if told_on < request.received_on or told_on > local_today(clock):
        raise ValidationError("De datum waarop de verzoeker is ingelicht ligt vóór de "
                              "ontvangst of in de toekomst.", field="told_on")
    if told_on > answer_deadline(request.received_on):
        raise ValidationError("De verzoeker moet binnen de eerste maand horen dat de termijn "
                              "wordt verlengd; die maand is toen al voorbij.", field="told_on")
    request.extended_months, request.extension_reason = months, reason.strip()
    request.extension_told_on, request.status = told_on, RequestStatus.EXTENDED
    with refused_when_changed():
        audit(session, actor, "request.extend", request, clock=clock)
    return request


def answer(session: Session, actor: User, request_id: int, *, answered_on: date, text: str,
           loaded_version: int | None = None, clock: Clock = system_clock) -> DataRequest:
    """Record the answer; `loaded_version` as for extend."""
    require(actor, Permission.HANDLE_REQUESTS)
    request = _get(session, request_id)
    expect_version(request, loaded_version)
    if not text.strip():
        raise ValidationError("Vat het antwoord samen.", field="answer")
    if answered_on < request.received_on or answered_on > local_today(clock):
        raise ValidationError("De antwoorddatum ligt vóór de ontvangst of in de toekomst.",
                              field="answered_on")
    request.answer, request.answered_on = text.strip(), answered_on
    request.status = RequestStatus.ANSWERED
    with refused_when_changed():
        audit(session, actor, "request.answer", request, clock=clock)
    return request


class RequestRow(NamedTuple):
    id: int
    kind: str
    received_on: date
    pupil_id: int | None
    guardian_id: int | None
    status: str
    extended_months: int
    answered_on: date | None
    version: int = 1  # DataRequest.version when read: extend's and answer's loaded_version

    @property
    def deadline(self) -> date:
        return answer_deadline(self.received_on, self.extended_months)

    @property
    def closed(self) -> bool:
        return RequestStatus(self.status).closed

    def overdue(self, today: date) -> bool:
        return not self.closed and today > self.deadline

    @property
    def answered_in_time(self) -> bool | None:
        return None if self.answered_on is None else self.answered_on <= self.deadline


def request_rows(session: Session, actor: Actor, *, start: date | None = None,
                 end: date | None = None) -> list[RequestRow]:
    """Requests received in [start, end] (inclusive), newest first."""
    require(actor, Permission.READ_REGISTER)
    columns = [getattr(DataRequest, f) for f in RequestRow._fields]
    query = select(*columns).order_by(DataRequest.received_on.desc(), DataRequest.id.desc())
    if start is not None:
        query = query.where(DataRequest.received_on >= start)
    if end is not None:
        query = query.where(DataRequest.received_on <= end)
    return [RequestRow(*row) for row in session.execute(query)]


class RequestLine(NamedTuple):
    """One line of the register of requests: the request, whom it is about, and what the
    office reads from it on `today` (days left, late, almost due)."""

    request: RequestRow
    pupil: str  # the pupil's name; '' when the pupil was erased
    today: date

    @property
    def status(self) -> RequestStatus:
        return RequestStatus(self.request.status)

    @property
    def closed(self) -> bool:
        return self.request.closed

    @property
    def overdue(self) -> bool:
        return self.request.overdue(self.today)

    @property
    def days_left(self) -> int:
        return (self.request.deadline - self.today).days

    @property
    def answered_late(self) -> bool:
        return self.request.answered_in_time is False

    @property
    def urgency(self) -> str | None:
        """'late' (the term passed, or answered after it), 'soon' (SOON_DAYS or fewer left),
        'done' (closed) or None: the one definition behind the colours."""
        if self.overdue or self.answered_late:
            return "late"
        if self.closed:
            return "done"
        return "soon" if self.days_left <= SOON_DAYS else None


def request_lines(session: Session, actor: Actor, today: date) -> list[RequestLine]:
    """The register of requests with the pupils' names, newest first (READ_REGISTER)."""
    rows = request_rows(session, actor)
    ids = {row.pupil_id for row in rows if row.pupil_id is not None}
    names = {pid: " ".join(p for p in (first, prefix, last) if p)
             for pid, first, prefix, last in session.execute(
                 select(Pupil.id, Pupil.first_name, Pupil.prefix, Pupil.last_name)
                 .where(Pupil.id.in_(ids)))} if ids else {}
    return [RequestLine(row, names.get(row.pupil_id, ""), today) for row in rows]


@dataclass(frozen=True)
class RequestDetails:
    """What the register shows under the chosen request."""

    guardian: str  # name of the parent who asked; '' when none
    description: str
    extension_reason: str
    extension_told_on: date | None
    answer: str


def request_details(session: Session, actor: Actor, request_id: int) -> RequestDetails:
    """The texts of one request and the name of the parent who made it (READ_REGISTER)."""
    require(actor, Permission.READ_REGISTER)
    request = _get(session, request_id)
    guardian = session.get(Guardian, request.guardian_id) if request.guardian_id else None
    name = " ".join(p for p in (guardian.first_name, guardian.prefix, guardian.last_name)
                    if p) if guardian else ""
    return RequestDetails(name, request.description, request.extension_reason,
                          request.extension_told_on, request.answer)

