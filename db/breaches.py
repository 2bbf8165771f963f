"""Datalekken: the register of breaches, the 72-hour clock, assessment, director sign-off.

Every breach is documented, also the ones not notified (AVG art. 33(5)). With risk the
Autoriteit Persoonsgegevens is notified within 72 hours of discovery (art. 33); at high risk
the people affected are informed (art. 34). Workflow: open → assessed → (notified) → closed.
A closed (signed-off) breach is locked: more information is an amendment.

The 72 hours are real hours, counted in UTC: across a daylight-saving change the deadline's
wall-clock time in Amsterdam moves by an hour, the duration never does.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from db.audit import audit
from db.clock import (
    SCHOOL_TZ,
    Clock,
    school_period_utc,
    school_year_of,
    system_clock,
)
from db.errors import NotFoundError, ValidationError
from db.permissions import Actor, Permission, require
from db.schema import Breach, BreachAmendment, BreachMeasure, BreachStatus, Risk, User
from db.versions import expect_version, refused_when_changed

DEADLINE = timedelta(hours=72)
SOON = timedelta(hours=24)  # an open breach with less time left than this is urgent (amber)

NATURES = {"read": "ingezien", "copied": "gekopieerd", "altered": "gewijzigd",
           "deleted": "verwijderd of vernietigd", "lost": "verloren of gestolen",
           "sent": "verkeerd verstuurd"}
DATA_CATEGORIES = {"name": "naam en adres", "contact": "contactgegevens",
                   "login": "inloggegevens", "dob": "geboortedatum", "bsn": "BSN",
                   "results": "leerresultaten en vorderingen", "photo": "beeldmateriaal",
                   "special": "bijzondere persoonsgegevens (gezondheid, geloof)",
                   "other": "overig"}
GROUPS = {"pupils": "leerlingen", "parents": "ouders/verzorgers", "staff": "medewerkers"}
STATUS_LABELS = {BreachStatus.OPEN: "open", BreachStatus.ASSESSED: "beoordeeld",
                 BreachStatus.NOTIFIED: "gemeld bij de AP", BreachStatus.CLOSED: "afgetekend"}
RISK_LABELS = {Risk.NONE: "geen risico", Risk.RISK: "risico", Risk.HIGH: "hoog risico"}


@dataclass
class BreachInput:
    """What the registration dialog asks. Datetimes are aware (any zone; stored as UTC)."""

    discovered_at: datetime
    description: str
    started_at: datetime | None = None
    ended_at: datetime | None = None
    ongoing: bool = False
    nature: tuple[str, ...] = ()
    data_categories: tuple[str, ...] = ()
    affected_groups: tuple[str, ...] = ()
    affected_min: int | None = None
    affected_max: int | None = None
    data_encrypted: bool = False
    cause: str = ""
    consequences: str = ""
    reported_by: str = ""


def _check_codes(values: tuple[str, ...], known: dict[str, str], field: str) -> str:
    unknown = [v for v in values if v not in known]
    if unknown:
        raise ValidationError(f"Onbekende keuze: {', '.join(unknown)}.", field=field)
    return ",".join(values)


def validate_breach(data: BreachInput, now: datetime) -> None:
    """Dutch message naming the field; called before anything is written."""
    for name in ("discovered_at", "started_at", "ended_at"):
        value = getattr(data, name)
        if value is not None and value.tzinfo is None:
            raise ValueError(f"{name} needs an aware datetime")
    if not data.description.strip():
        raise ValidationError("Beschrijf wat er is gebeurd.", field="description")
    if data.discovered_at > now:
        raise ValidationError("Het moment van ontdekken ligt in de toekomst.",
                              field="discovered_at")
    if data.started_at is not None and data.started_at > data.discovered_at:
        raise ValidationError("Het lek is ontdekt vóórdat het begon: controleer de begindatum.",
                              field="started_at")
    if data.ended_at is not None:
        if data.ongoing:
            raise ValidationError("Een lek dat nog gaande is, heeft geen einddatum.",
                                  field="ended_at")
        if data.started_at is not None and data.ended_at < data.started_at:
            raise ValidationError("Het einde ligt vóór het begin.", field="ended_at")
        if data.ended_at > now:
            raise ValidationError("Het einde ligt in de toekomst.", field="ended_at")
    low, high = data.affected_min, data.affected_max
    if (low is not None and low < 0) or (high is not None and high < 0):
        raise ValidationError("Het aantal betrokkenen kan niet negatief zijn.",
                              field="affected_min")
    if low is not None and high is not None and high < low:
        raise ValidationError("Het hoogste aantal betrokkenen is kleiner dan het laagste.",
                              field="affected_max")


def _apply(breach: Breach, data: BreachInput) -> None:
    breach.discovered_at, breach.started_at = data.discovered_at, data.started_at
    breach.ended_at, breach.ongoing = data.ended_at, data.ongoing
    breach.description = data.description.strip()
    breach.nature = _check_codes(data.nature, NATURES, "nature")
    breach.data_categories = _check_codes(data.data_categories, DATA_CATEGORIES,
                                          "data_categories")
    breach.special_categories = "special" in data.data_categories
    breach.affected_groups = _check_codes(data.affected_groups, GROUPS, "affected_groups")
    breach.affected_min, breach.affected_max = data.affected_min, data.affected_max
    breach.data_encrypted = data.data_encrypted
    breach.cause, breach.consequences = data.cause.strip(), data.consequences.strip()
    breach.reported_by = data.reported_by.strip()


def next_reference(session: Session, year: int) -> str:
    """The next breach reference of a year: DL-jjjj-nnn."""
    prefix = f"DL-{year}-"
    last = session.scalar(select(func.max(Breach.reference))
                          .where(Breach.reference.like(f"{prefix}%")))
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:03d}"


def _get(session: Session, breach_id: int) -> Breach:
    breach = session.get(Breach, breach_id)
    if breach is None:
        raise NotFoundError("Dit datalek staat niet (meer) in het register.")
    return breach


def _editable(breach: Breach) -> None:
    if breach.status == BreachStatus.CLOSED:
        raise ValidationError("Dit datalek is afgetekend en kan niet meer worden gewijzigd. "
                              "Voeg een aanvulling toe.", field="locked")


# --- use-cases --------------------------------------------------------------------------

def register_breach(session: Session, actor: User, data: BreachInput, *,
                    clock: Clock = system_clock) -> Breach:
    require(actor, Permission.RECORD_BREACH)
    now = clock()
    validate_breach(data, now)
    breach = Breach(reference=next_reference(session, data.discovered_at
                                              .astimezone(SCHOOL_TZ).year),
                    status=BreachStatus.OPEN, created_by=actor.id, created_at=now)
    _apply(breach, data)
    session.add(breach)
    audit(session, actor, "breach.register", breach, clock=clock)
    return breach


def update_breach(session: Session, actor: User, breach_id: int, data: BreachInput, *,
                  loaded_version: int | None = None, clock: Clock = system_clock) -> Breach:
    """Save the breach's form. `loaded_version`: the breach's version when the form was
    loaded (breach_version); a save over someone else's later change raises
    ChangedElsewhereError and writes nothing (db/versions.py)."""
    require(actor, Permission.RECORD_BREACH)
    breach = _get(session, breach_id)
    expect_version(breach, loaded_version)
    _editable(breach)
    validate_breach(data, clock())
    _apply(breach, data)
    with refused_when_changed():
        audit(session, actor, "breach.update", breach, clock=clock)
    return breach


def assess(session: Session, actor: User, breach_id: int, *, risk: Risk, reasons: str,
           notify_ap: bool, notify_reason: str, clock: Clock = system_clock) -> Breach:
    """The risk assessment and the notify decision, each with its reason (also for 'no')."""
    require(actor, Permission.RECORD_BREACH)
    breach = _get(session, breach_id)
    _editable(breach)
    try:
        risk = Risk(risk)
    except ValueError:
        raise ValidationError("Kies geen risico, risico of hoog risico.", field="risk") from None
    if not reasons.strip():
        raise ValidationError("Schrijf op waarom u tot deze risico-inschatting komt.",
                              field="reasons")
    if not notify_reason.strip():
        raise ValidationError("Schrijf op waarom wel of niet wordt gemeld bij de Autoriteit "
                              "Persoonsgegevens.", field="notify_reason")
    breach.risk, breach.risk_reasons = risk, reasons.strip()
    breach.notify_ap, breach.notify_reason = notify_ap, notify_reason.strip()
    if breach.status == BreachStatus.OPEN:
        breach.status = BreachStatus.ASSESSED
    audit(session, actor, "breach.assess", breach, clock=clock)
    return breach


def record_notification(session: Session, actor: User, breach_id: int, *,
                        notified_at: datetime, ap_reference: str, late_reason: str = "",
                        clock: Clock = system_clock) -> Breach:
    """The notification to the AP. Later than 72 hours after discovery it needs the reasons
    for the delay (AVG art. 33(1), second sentence)."""
    require(actor, Permission.RECORD_BREACH)
    breach = _get(session, breach_id)
    _editable(breach)
    if notified_at < breach.discovered_at:
        raise ValidationError("De melding ligt vóór het ontdekken van het lek.",
                              field="notified_at")
    if notified_at > clock():
        raise ValidationError("De melding ligt in de toekomst.", field="notified_at")
    late = notification_is_late(breach.discovered_at, notified_at)
    if late and not late_reason.strip():
        raise ValidationError("De melding is later dan 72 uur na het ontdekken gedaan. Vul de "
                              "redenen voor de vertraging in; de AVG vraagt ze bij de melding "
                              "(artikel 33, lid 1).", field="late_reason")
    breach.notified_at, breach.ap_reference = notified_at, ap_reference.strip()
    breach.late_reason = late_reason.strip() if late else ""
    breach.notify_ap = True
    if breach.status in (BreachStatus.OPEN, BreachStatus.ASSESSED):
        breach.status = BreachStatus.NOTIFIED
    audit(session, actor, "breach.notify", breach, clock=clock)
    return breach


def record_supplement(session: Session, actor: User, breach_id: int, *,
                      supplemented_at: datetime, clock: Clock = system_clock) -> Breach:
    """A later supplement (aanvulling) to the AP notification."""
    require(actor, Permission.RECORD_BREACH)
    breach = _get(session, breach_id)
    _editable(breach)
    if breach.notified_at is None or supplemented_at < breach.notified_at:
        raise ValidationError("Een aanvulling volgt op de melding bij de AP.",
                              field="supplemented_at")
    breach.supplemented_at = supplemented_at
    audit(session, actor, "breach.supplement", breach, clock=clock)
    return breach


def record_informing(session: Session, actor: User, breach_id: int, *, informed: bool,
                     informed_at: datetime | None = None, how: str = "",
                     reason_not: str = "", clock: Clock = system_clock) -> Breach:
    """Were the people affected informed (art. 34)? When and how, or why not."""
    require(actor, Permission.RECORD_BREACH)
    breach = _get(session, breach_id)
    _editable(breach)
    if informed:
        if informed_at is None or not how.strip():
            raise ValidationError("Vul in wanneer en hoe de betrokkenen zijn ingelicht.",
                                  field="informed_at")
        if informed_at < breach.discovered_at or informed_at > clock():
            raise ValidationError("Die datum ligt vóór het ontdekken of in de toekomst.",
                                  field="informed_at")
    elif not reason_not.strip():
        raise ValidationError("Schrijf op waarom de betrokkenen niet zijn ingelicht.",
                              field="reason_not")
    breach.subjects_informed = informed
    breach.informed_at = informed_at if informed else None
    breach.informed_how = how.strip() if informed else ""
    breach.not_informed_reason = "" if informed else reason_not.strip()
    audit(session, actor, "breach.inform", breach, clock=clock)
    return breach


def add_measure(session: Session, actor: User, breach_id: int, *, kind: str, description: str,
                owner: str = "", due_on: date | None = None,
                clock: Clock = system_clock) -> BreachMeasure:
    require(actor, Permission.RECORD_BREACH)
    breach = _get(session, breach_id)
    _editable(breach)
    if kind not in ("corrective", "preventive"):
        raise ValidationError("Kies herstellend of preventief.", field="kind")
    if not description.strip():
        raise ValidationError("Beschrijf de maatregel.", field="description")
    measure = BreachMeasure(breach_id=breach_id, kind=kind, description=description.strip(),
                            owner=owner.strip(), due_on=due_on)
    session.add(measure)
    audit(session, actor, "breach.measure", measure, clock=clock)
    return measure


def complete_measure(session: Session, actor: User, measure_id: int, done_on: date, *,
                     clock: Clock = system_clock) -> BreachMeasure:
    require(actor, Permission.RECORD_BREACH)
    measure = session.get(BreachMeasure, measure_id)
    if measure is None:
        raise NotFoundError("Deze maatregel bestaat niet (meer).")
    _editable(_get(session, measure.breach_id))
    measure.done_on = done_on
    audit(session, actor, "breach.measure_done", measure, clock=clock)
    return measure


def sign_off(session: Session, actor: User, breach_id: int, *,
             clock: Clock = system_clock) -> Breach:
    """Only the director signs off; a signed-off breach is locked."""
    require(actor, Permission.SIGN_OFF_BREACH)
    breach = _get(session, breach_id)
    _editable(breach)
    if breach.risk is None or breach.notify_ap is None:
        raise ValidationError("Beoordeel eerst het risico en de meldplicht.", field="risk")
    if breach.notify_ap and breach.notified_at is None:
        raise ValidationError("Er is besloten te melden bij de AP, maar de melding is nog niet "
                              "vastgelegd.", field="notified_at")
    breach.status = BreachStatus.CLOSED
    breach.signed_off_by, breach.signed_off_at = actor.id, clock()
    audit(session, actor, "breach.sign_off", breach, clock=clock)
    return breach


class BreachFact(StrEnum):
    """The facts at the top of a breach; an amendment names the one it amends."""

    WHAT = "what"          # wat is er gebeurd
    WHEN = "when"          # wanneer gebeurd en ontdekt
    KIND = "kind"          # soort lek (aard)
    DATA = "data"          # welke gegevens
    PEOPLE = "people"      # wie en hoeveel
    MEASURES = "measures"  # genomen maatregelen
    OTHER = "other"        # overig (and amendments made before facts were named)


# Dutch words for the prints (the GUI translates through desktop/kit/labels.py)
FACT_LABELS = {BreachFact.WHAT: "wat er is gebeurd", BreachFact.WHEN: "wanneer",
               BreachFact.KIND: "soort lek", BreachFact.DATA: "welke gegevens",
               BreachFact.PEOPLE: "betrokkenen", BreachFact.MEASURES: "maatregelen",
               BreachFact.OTHER: "overig"}


def add_amendment(session: Session, actor: User, breach_id: int, text: str, *,
                  fact: BreachFact = BreachFact.OTHER,
                  clock: Clock = system_clock) -> BreachAmendment:
    """Information added later; for a signed-off breach the only way to add anything."""
    require(actor, Permission.RECORD_BREACH)
    _get(session, breach_id)
    if not text.strip():
        raise ValidationError("Schrijf de aanvulling op.", field="text")
    try:
        fact = BreachFact(fact)
    except ValueError:
        raise ValidationError("Kies waarover de aanvulling gaat.", field="fact") from None
    amendment = BreachAmendment(breach_id=breach_id, text=text.strip(), author_id=actor.id,
                                created_at=clock(), fact=fact)
    session.add(amendment)
    audit(session, actor, "breach.amend", amendment, clock=clock)
    return amendment


# --- the 72-hour clock ------------------------------------------------------------------

def notification_is_late(discovered_at: datetime, notified_at: datetime) -> bool:
    """Notified more than 72 real hours after discovery."""
    return notified_at.astimezone(UTC) > notification_deadline(discovered_at)


def notification_deadline(discovered_at: datetime) -> datetime:
    """72 real hours after discovery. In UTC: Python adds to an Amsterdam time in wall-clock
    terms, which across a DST change would give 71 or 73 hours."""
    return discovered_at.astimezone(UTC) + DEADLINE


class DeadlineState(StrEnum):
    """The 72-hour outcome of one breach, now."""

    RUNNING = "running"            # not notified yet; time left
    OVERDUE = "overdue"            # not notified; the 72 hours have passed
    IN_TIME = "in_time"            # notified within the 72 hours
    LATE = "late"                  # notified after the 72 hours
    NOT_REQUIRED = "not_required"  # the assessment decided not to notify


@dataclass(frozen=True)
class DeadlineStatus:
    deadline: datetime
    applies: bool          # False when the assessment decided not to notify
    done: bool             # notified (or decided not to notify)
    overdue: bool          # not notified and the deadline has passed
    late_by: timedelta | None  # notified after the deadline: by how much
    remaining: timedelta   # negative when passed

    @property
    def label(self) -> str:
        return deadline_label(self)

    @property
    def state(self) -> DeadlineState:
        if not self.applies:
            return DeadlineState.NOT_REQUIRED
        if self.late_by is not None:
            return DeadlineState.LATE
        if self.done:
            return DeadlineState.IN_TIME
        return DeadlineState.OVERDUE if self.overdue else DeadlineState.RUNNING

    @property
    def hours(self) -> int:
        """Whole hours: left (running), passed (overdue) or too late (late); else 0."""
        state = self.state
        if state is DeadlineState.LATE:
            return _whole_hours(self.late_by)
        if state in (DeadlineState.RUNNING, DeadlineState.OVERDUE):
            return _whole_hours(self.remaining)
        return 0

    @property
    def urgency(self) -> str | None:
        """'late' (the 72 hours passed without a notification), 'soon' (less than 24 hours
        left) or None: the register's colours and the overview's order follow this one
        definition (for an open breach; see BreachRow.urgency)."""
        state = self.state
        if state is DeadlineState.OVERDUE:
            return "late"
        if state is DeadlineState.RUNNING and self.remaining < SOON:
            return "soon"
        return None


def deadline_status(discovered_at: datetime, notify_ap: bool | None,
                    notified_at: datetime | None, now: datetime) -> DeadlineStatus:
    deadline = notification_deadline(discovered_at)
    now = now.astimezone(UTC)
    notified_at = notified_at.astimezone(UTC) if notified_at is not None else None
    applies = notify_ap is not False
    late_by = notified_at - deadline if notified_at and notified_at > deadline else None
    done = notified_at is not None or notify_ap is False
    overdue = applies and notified_at is None and now > deadline
    return DeadlineStatus(deadline, applies, done, overdue, late_by, deadline - now)


@dataclass(frozen=True)
class DeadlineClauses:
    """The 72 hours of DeadlineStatus in SQL, for counting in the database (db.board): each
    clause is true for exactly the breaches whose `breach_level` (db.overview) at `now` is
    LATE, SOON or OPEN; a notified breach, or one decided not to notify, matches none.
    Derived from the same DEADLINE and SOON; tests/db/test_board.py holds the two forms
    together, to the microsecond at each edge."""

    late: ColumnElement[bool]   # DeadlineState.OVERDUE: the 72 hours passed, not notified
    soon: ColumnElement[bool]   # RUNNING with less than SOON left
    open: ColumnElement[bool]   # RUNNING with more left


def deadline_clauses(now: datetime) -> DeadlineClauses:
    now = now.astimezone(UTC)  # real hours: aware arithmetic in another zone is wall-clock
    # applies (not decided against) and not done (not notified)
    waiting = and_(Breach.notify_ap.is_not(False), Breach.notified_at.is_(None))
    passed = now - DEADLINE          # discovered before this: deadline < now (overdue)
    near = now - (DEADLINE - SOON)   # discovered before this: remaining < SOON
    return DeadlineClauses(
        late=and_(waiting, Breach.discovered_at < passed),
        soon=and_(waiting, Breach.discovered_at >= passed, Breach.discovered_at < near),
        open=and_(waiting, Breach.discovered_at >= near))


def _whole_hours(delta: timedelta) -> int:
    return int(abs(delta).total_seconds() // 3600)


def _hours(delta: timedelta) -> str:
    return f"{_whole_hours(delta)} uur"


def deadline_label(status: DeadlineStatus) -> str:
    """Dutch, for the register and the reports: the 72-hour outcome of one breach."""
    if not status.applies:
        return "niet gemeld (besluit: geen meldplicht)"
    if status.late_by is not None:
        return f"te laat gemeld ({_hours(status.late_by)} na de termijn)"
    if status.done:
        return "op tijd gemeld"
    if status.overdue:
        return f"termijn verstreken ({_hours(status.remaining)} geleden)"
    return f"nog {_hours(status.remaining)} om te melden"


def local(moment: datetime | None) -> str:
    """dd-mm-jjjj uu:mm in Amsterdam time."""
    return moment.astimezone(SCHOOL_TZ).strftime("%d-%m-%Y %H:%M") if moment else "—"


# --- the register -----------------------------------------------------------------------

class BreachRow(NamedTuple):
    id: int
    reference: str
    status: str
    discovered_at: datetime
    description: str
    risk: str | None
    notify_ap: bool | None
    notified_at: datetime | None
    ap_reference: str
    late_reason: str
    affected_min: int | None
    affected_max: int | None
    signed_off_at: datetime | None

    def deadline(self, now: datetime) -> DeadlineStatus:
        return deadline_status(self.discovered_at, self.notify_ap, self.notified_at, now)

    @property
    def is_open(self) -> bool:
        return self.status != BreachStatus.CLOSED

    def urgency(self, now: datetime) -> str | None:
        """'late', 'soon' or None for an open breach (DeadlineStatus.urgency); a signed-off
        breach is never urgent."""
        return self.deadline(now).urgency if self.is_open else None

    @property
    def affected(self) -> str:
        low, high = self.affected_min, self.affected_max
        if low is None and high is None:
            return "onbekend"
        if low == high or high is None:
            return str(low)
        return f"{low or 0}–{high}"


def breach_rows(session: Session, actor: Actor, *, start: datetime | None = None,
                end: datetime | None = None, status: str | None = None,
                overdue_at: datetime | None = None, year: int | None = None,
                ) -> list[BreachRow]:
    """Breaches discovered in [start, end) (or in a calendar year at the school), newest
    first; optionally one status or only overdue."""
    require(actor, Permission.READ_REGISTER)
    if year is not None:
        start, end = school_period_utc(date(year, 1, 1), date(year, 12, 31))
    columns = [getattr(Breach, f) for f in BreachRow._fields]
    query = select(*columns).order_by(Breach.discovered_at.desc(), Breach.id.desc())
    if start is not None:
        query = query.where(Breach.discovered_at >= start)
    if end is not None:
        query = query.where(Breach.discovered_at < end)
    if status is not None:
        query = query.where(Breach.status == status)
    rows = [BreachRow(*row) for row in session.execute(query)]
    if overdue_at is not None:
        rows = [r for r in rows if r.deadline(overdue_at).overdue]
    return rows


def breach_input_of(breach: Breach) -> BreachInput:
    """The editable part of a breach, for an edit dialog."""
    def codes(text: str) -> tuple[str, ...]:
        return tuple(c for c in text.split(",") if c)

    values = {f.name: getattr(breach, f.name) for f in fields(BreachInput)}
    values.update(nature=codes(breach.nature), data_categories=codes(breach.data_categories),
                  affected_groups=codes(breach.affected_groups))
    return BreachInput(**values)


def measures_of(session: Session, actor: User, breach_id: int) -> list[BreachMeasure]:
    require(actor, Permission.READ_REGISTER)
    return list(session.scalars(select(BreachMeasure).where(BreachMeasure.breach_id == breach_id)
                                .order_by(BreachMeasure.kind, BreachMeasure.id)))


def amendments_of(session: Session, actor: User, breach_id: int) -> list[BreachAmendment]:
    require(actor, Permission.READ_REGISTER)
    return list(session.scalars(select(BreachAmendment)
                                .where(BreachAmendment.breach_id == breach_id)
                                .order_by(BreachAmendment.created_at, BreachAmendment.id)))


def breach_years(session: Session, actor: Actor) -> list[int]:
    """The calendar years (at the school) with a breach, newest first: the year filter."""
    require(actor, Permission.READ_REGISTER)
    return sorted({school_year_of(moment)
                   for moment in session.scalars(select(Breach.discovered_at))}, reverse=True)


def breach_input(session: Session, actor: Actor, breach_id: int) -> BreachInput:
    """The editable part of one breach, for the edit dialog."""
    require(actor, Permission.RECORD_BREACH)
    return breach_input_of(_get(session, breach_id))


def breach_version(session: Session, actor: Actor, breach_id: int) -> int:
    """The breach's version now: what an edit dialog hands to update_breach as
    loaded_version."""
    require(actor, Permission.RECORD_BREACH)
    return _get(session, breach_id).version


# --- one breach: the facts, the measures, the amendments ---------------------------------

@dataclass(frozen=True)
class BreachFacts:
    """One breach as read: plain values (no ORM object leaves the session), the people who
    registered and signed it off by name."""

    id: int
    reference: str
    status: str
    discovered_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    ongoing: bool
    description: str
    nature: str
    data_categories: str
    special_categories: bool
    affected_groups: str
    affected_min: int | None
    affected_max: int | None
    data_encrypted: bool
    cause: str
    consequences: str
    reported_by: str
    risk: str | None
    risk_reasons: str
    notify_ap: bool | None
    notify_reason: str
    notified_at: datetime | None
    late_reason: str
    ap_reference: str
    supplemented_at: datetime | None
    subjects_informed: bool | None
    informed_at: datetime | None
    informed_how: str
    not_informed_reason: str
    signed_off_at: datetime | None
    created_at: datetime
    created_by: str      # name
    signed_off_by: str   # name; '' while not signed off

    @property
    def closed(self) -> bool:
        return self.status == BreachStatus.CLOSED

    def deadline(self, now: datetime) -> DeadlineStatus:
        return deadline_status(self.discovered_at, self.notify_ap, self.notified_at, now)

    @property
    def affected_count(self) -> str:
        """'25–30', '4' or 'onbekend'."""
        low, high = self.affected_min, self.affected_max
        if low is None and high is None:
            return "onbekend"
        if high is None or low == high:
            return str(low if low is not None else high)
        return f"{low or 0}–{high}"

    def nature_text(self) -> str:
        return _labels_of(self.nature, NATURES)

    def data_text(self) -> str:
        return _labels_of(self.data_categories, DATA_CATEGORIES)

    def groups_text(self) -> str:
        return _labels_of(self.affected_groups, GROUPS)


def _labels_of(codes: str, labels: dict[str, str]) -> str:
    return ", ".join(labels.get(code, code) for code in codes.split(",") if code)


class MeasureRow(NamedTuple):
    id: int
    kind: str
    description: str
    owner: str
    due_on: date | None
    done_on: date | None


class AmendmentRow(NamedTuple):
    id: int
    created_at: datetime
    author: str
    text: str
    fact: BreachFact


@dataclass(frozen=True)
class BreachDetails:
    """Everything the breach detail shows."""

    facts: BreachFacts
    measures: list[MeasureRow]
    amendments: list[AmendmentRow]  # oldest first

    def amendments_of(self, fact: BreachFact) -> list[AmendmentRow]:
        return [a for a in self.amendments if a.fact == fact]


def _names(session: Session) -> dict[int, str]:
    return {uid: display or username for uid, username, display in session.execute(
        select(User.id, User.username, User.display_name))}


_FACT_COLUMNS = tuple(f.name for f in fields(BreachFacts)
                      if f.name not in ("created_by", "signed_off_by"))


def breach_details(session: Session, actor: Actor, breach_id: int) -> BreachDetails:
    """One breach with its measures and amendments (READ_REGISTER)."""
    require(actor, Permission.READ_REGISTER)
    breach = _get(session, breach_id)
    names = _names(session)
    facts = BreachFacts(**{name: getattr(breach, name) for name in _FACT_COLUMNS},
                        created_by=names.get(breach.created_by, "onbekend")
                        if breach.created_by else "systeem",
                        signed_off_by=names.get(breach.signed_off_by, "")
                        if breach.signed_off_by else "")
    measures = [MeasureRow(m.id, m.kind, m.description, m.owner, m.due_on, m.done_on)
                for m in measures_of(session, actor, breach_id)]
    amendments = []
    for a in amendments_of(session, actor, breach_id):
        try:
            fact = BreachFact(a.fact)
        except ValueError:
            fact = BreachFact.OTHER
        amendments.append(AmendmentRow(a.id, a.created_at,
                                       names.get(a.author_id, "onbekend"), a.text, fact))
    return BreachDetails(facts, measures, amendments)


# --- the prints: one breach's report, the register of a period --------------------------

@dataclass(frozen=True)
class BreachReport:
    """Everything one breach's report shows (desktop/printing/breaches.py writes it)."""

    school_name: str
    breach: BreachFacts
    deadline_label: str
    deadline_at: datetime
    measures: list[MeasureRow]
    amendments: list[AmendmentRow]
    created_by: str
    signed_off_by: str
    chain_head: str


def gather_breach_report(session: Session, actor: Actor, breach_id: int,
                         now: datetime) -> BreachReport:
    """One breach's report, read from the register; the print is audited (it leaves the
    program)."""
    from db.audit import chain_head
    from db.school import get_school

    details = breach_details(session, actor, breach_id)
    facts = details.facts
    status = facts.deadline(now)
    school = get_school(session)
    audit(session, actor, "breach.report", table_name="breach", record_id=breach_id,
          clock=lambda: now)
    return BreachReport(
        school_name=school.name if school else "", breach=facts,
        deadline_label=status.label, deadline_at=status.deadline,
        measures=details.measures, amendments=details.amendments,
        created_by=facts.created_by, signed_off_by=facts.signed_off_by,
        chain_head=str(chain_head(session) or "leeg"))


@dataclass(frozen=True)
class BreachRegister:
    """The register of a period for the board, the FG or the AP (oldest first)."""

    school_name: str
    rows: list[BreachRow]
    period: tuple[date, date]
    now: datetime
    chain_head: str


def breach_period(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """The UTC moments [start, end) of school days `first_day` up to and including
    `last_day` (Amsterdam time): the period of a breach register. Refuses a period that
    ends before it starts."""
    if last_day < first_day:
        raise ValidationError("De periode eindigt vóór ze begint.", field="period")
    return school_period_utc(first_day, last_day)


def gather_breach_register(session: Session, actor: Actor, first_day: date, last_day: date,
                           now: datetime) -> BreachRegister:
    """Every breach discovered from `first_day` up to and including `last_day` (school days,
    Amsterdam time), oldest first. Refuses a period that ends before it starts."""
    from db.audit import chain_head
    from db.school import get_school

    require(actor, Permission.READ_REGISTER)
    start, end = breach_period(first_day, last_day)
    rows = breach_rows(session, actor, start=start, end=end)
    rows.reverse()  # oldest first on paper
    school = get_school(session)
    head = str(chain_head(session) or "")
    audit(session, actor, "breach.register_print", table_name="breach",
          record_id=f"{first_day.isoformat()}/{last_day.isoformat()}", clock=lambda: now)
    return BreachRegister(school.name if school else "", rows, (first_day, last_day), now,
                          head)


# --- the guided risk assessment ---------------------------------------------------------

@dataclass(frozen=True)
class RiskAnswers:
    """The questions the assessment asks; the suggestion is a starting point, not a verdict."""

    special_or_bsn: bool       # bijzondere persoonsgegevens or BSN involved
    encrypted: bool            # the data was encrypted (and the key was not lost with it)
    many: bool                 # more than 10 people affected
    children: bool             # pupils' data
    recovered: bool            # the data is back, or demonstrably destroyed, unread


def suggest_risk(answers: RiskAnswers) -> tuple[Risk, str]:
    """A suggested risk level with the reasons written out, for the director to weigh."""
    reasons: list[str] = []
    if answers.encrypted and not answers.special_or_bsn:
        return Risk.NONE, "De gegevens waren versleuteld; niemand kan ze lezen."
    if answers.recovered and not answers.special_or_bsn:
        return Risk.NONE, ("De gegevens zijn terug of aantoonbaar ongelezen vernietigd; er is "
                           "geen blijvend gevolg voor de betrokkenen.")
    if answers.special_or_bsn:
        reasons.append("Er zijn bijzondere persoonsgegevens of BSN's bij betrokken.")
    if answers.children:
        reasons.append("Het gaat om gegevens van kinderen, die extra bescherming verdienen.")
    if answers.many:
        reasons.append("Er zijn meer dan tien mensen bij betrokken.")
    if not answers.encrypted:
        reasons.append("De gegevens waren niet versleuteld.")
    level = Risk.HIGH if answers.special_or_bsn or (answers.children and answers.many) \
        else Risk.RISK
    return level, " ".join(reasons)
