"""Toestemmingen: append-only decisions per pupil and purpose, and what they add up to.

Rules, all here once:
- no decision means NOT given (opt-in);
- per guardian with gezag, their latest decision counts; when they disagree, refusal wins;
- from 16 the pupil decides: once the pupil has decided, the pupil's latest decision counts;
- a "no" is ingetrokken (WITHDRAWN) when it is recorded as a withdrawal or when the one who
  says it gave consent on an earlier day (in the decisions that count), and geweigerd (REFUSED)
  when they never did (a yes corrected the same day was never consent);
- decisions are never edited or deleted: a wrong entry is corrected by a new one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from itertools import groupby
from operator import itemgetter

from sqlalchemy import and_, case, event, func, or_, select
from sqlalchemy.orm import Session

from db.audit import audit
from db.clock import Clock, local_today, system_clock
from db.errors import NotFoundError, ValidationError
from db.permissions import SYSTEM, Actor, Permission, require
from db.schema import (
    Channel,
    ConsentEvent,
    ConsentPurpose,
    Decision,
    Pupil,
    PupilGuardian,
    User,
)

AGE_OF_OWN_CONSENT = 16
_STREAM = 5000  # rows per fetch when every decision of the school is read

DECISION_LABELS = {Decision.GIVEN: "gegeven", Decision.REFUSED: "geweigerd",
                   Decision.WITHDRAWN: "ingetrokken"}
CHANNEL_LABELS = {Channel.PAPER: "papieren formulier", Channel.PARRO: "Parro",
                  Channel.SOCIAL_SCHOOLS: "Social Schools", Channel.EMAIL: "e-mail",
                  Channel.IN_PERSON: "persoonlijk", Channel.OTHER_APP: "andere ouderapp"}


# The channels of the parent apps. A decision imported from an app's export that does not name
# the guardian is stored with guardian_id None and by_pupil False: "ouder via app", one voice
# of its own beside the named guardians (see combine); refusal still wins.
APP_CHANNELS = frozenset({Channel.PARRO, Channel.SOCIAL_SCHOOLS, Channel.OTHER_APP})
VIA_APP = "ouder via app"
PUPIL_SELF = "de leerling zelf"


def decided_by(by_pupil: bool, guardian_id: int | None, channel: str,
               guardian_names: dict[int, str]) -> str:
    """Who made a decision, in words: the pupil, a named guardian, or "ouder via app"."""
    if by_pupil:
        return PUPIL_SELF
    if guardian_id is None:
        return VIA_APP if channel in APP_CHANNELS else "onbekend"
    return guardian_names.get(guardian_id, "onbekend")


def import_decision_problem(*, born: date | None, enrolled_on: date | None,
                            decided_on: date, today: date) -> str | None:
    """Why a decision from a parent app's export cannot be recorded for a pupil, or None.

    The rules of record_decision that hold without a named guardian: not in the future, not
    before the enrolment, and from 16 the pupil decides (an app of the parents cannot)."""
    if decided_on > today:
        return "de datum van de keuze ligt in de toekomst"
    if enrolled_on is not None and decided_on < enrolled_on:
        return "de datum van de keuze ligt vóór de inschrijving van de leerling"
    age = age_on(born, decided_on)
    if age is not None and age >= AGE_OF_OWN_CONSENT:
        return ("de leerling is 16 of ouder en beslist zelf; leg de keuze van de leerling vast "
                "in het programma")
    return None


class ConsentState(StrEnum):
    GIVEN = "given"
    REFUSED = "refused"      # geweigerd: not given, and never given by the one who refuses
    WITHDRAWN = "withdrawn"  # ingetrokken: given before, then taken back (AVG art. 7(3))
    NOT_ASKED = "not_asked"  # no decision: not given

    @property
    def allows(self) -> bool:
        return self is ConsentState.GIVEN


STATE_LABELS = {ConsentState.GIVEN: "toestemming", ConsentState.REFUSED: "geweigerd",
                ConsentState.WITHDRAWN: "ingetrokken", ConsentState.NOT_ASKED: "niet gevraagd"}


class AppendOnlyError(Exception):
    """Raised when anything tries to change or delete a recorded decision."""


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_decisions(session: Session, _context, _instances) -> None:  # noqa: ANN001
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, ConsentEvent) and (obj in session.deleted
                                              or session.is_modified(obj)):
            raise AppendOnlyError("Een vastgelegde keuze wordt nooit gewijzigd of verwijderd; "
                                  "leg een nieuwe keuze vast.")


def age_on(born: date | None, day: date) -> int | None:
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def decides_alone(born: date | None, day: date) -> bool:
    """From 16 the pupil decides, not the parents (a decision taken on `day`)."""
    age = age_on(born, day)
    return age is not None and age >= AGE_OF_OWN_CONSENT


@dataclass(frozen=True)
class DecisionRow:
    """One entry of the history, plainly."""

    id: int
    purpose_id: int
    purpose_version: int
    decision: str
    decided_on: date
    guardian_id: int | None
    by_pupil: bool
    channel: str
    note: str
    recorded_by: int | None


def combine(events: Iterable[DecisionRow], authority: set[int] | None = None) -> ConsentState:
    """The current state from one pupil's decisions on one purpose (oldest first).

    `authority`: ids of guardians with gezag; decisions of others do not count.
    """
    return combine_explained(events, authority)[0]


def combine_explained(events: Iterable[DecisionRow], authority: set[int] | None = None,
                      ) -> tuple[ConsentState, DecisionRow | None]:
    """The state as `combine` gives it, and the decision that settles it: the pupil's latest,
    or the latest refusal or withdrawal among the guardians' latest decisions (refusal wins),
    or else the latest of their consents. None when nobody decided."""
    rows = sorted(events, key=lambda r: (r.decided_on, r.id))
    state, position = _settle(((r.decision, r.guardian_id, r.by_pupil, r.decided_on)
                               for r in rows), authority)
    return state, None if position is None else rows[position]


def _combine(decisions: Iterable[tuple[str, int | None, bool, date]],
             authority: set[int] | None) -> ConsentState:
    """The state of combine() on (decision, guardian id, by pupil, decided on), oldest first:
    the same rule for the streamed count (tests hold the two to the same answers)."""
    return _settle(decisions, authority)[0]


_PUPIL = "pupil"  # the pupil's own voice among the guardians' ids


def _settle(decisions: Iterable[tuple[str, int | None, bool, date]],
            authority: set[int] | None) -> tuple[ConsentState, int | None]:
    """The rule, once: the state from (decision, guardian id, by pupil, decided on), oldest
    first, and the position of the decision that settles it (None when nobody decided).

    Each voice (a guardian with gezag, "ouder via app", the pupil) counts with its latest
    decision; the pupil's, once there is one, settles it alone; otherwise one "no" is enough.
    A "no" is WITHDRAWN when it is recorded as a withdrawal or when that voice gave consent on
    an earlier day (in the decisions that count), and REFUSED when it never did: a yes that
    was corrected to no on the same day was a slip, not consent."""
    latest: dict[int | str | None, tuple[int, str, bool]] = {}  # voice → (position, decision,
    first_yes: dict[int | str | None, date] = {}                #          gave before it)
    for position, (decision, guardian_id, by_pupil, decided_on) in enumerate(decisions):
        if by_pupil:
            voice: int | str | None = _PUPIL
        elif authority is None or guardian_id in authority or guardian_id is None:
            voice = guardian_id
        else:
            continue
        latest[voice] = (position, decision,
                         voice in first_yes and first_yes[voice] < decided_on)
        if decision == Decision.GIVEN:
            first_yes.setdefault(voice, decided_on)
    if not latest:
        return ConsentState.NOT_ASKED, None
    counting = [latest[_PUPIL]] if _PUPIL in latest else list(latest.values())
    against = [entry for entry in counting if entry[1] != Decision.GIVEN]
    if not against:
        return ConsentState.GIVEN, max(counting)[0]
    position, decision, gave_before = max(against)  # the latest "no" settles it
    withdrawn = decision == Decision.WITHDRAWN or gave_before
    return (ConsentState.WITHDRAWN if withdrawn else ConsentState.REFUSED), position


def history(session: Session, actor: User | None, pupil_id: int,
            purpose_id: int | None = None) -> list[DecisionRow]:
    """All decisions of a pupil (optionally one purpose), oldest first."""
    require(actor, Permission.READ_REGISTER)
    query = select(ConsentEvent.id, ConsentEvent.purpose_id, ConsentEvent.purpose_version,
                   ConsentEvent.decision, ConsentEvent.decided_on, ConsentEvent.guardian_id,
                   ConsentEvent.by_pupil, ConsentEvent.channel, ConsentEvent.note,
                   ConsentEvent.recorded_by).where(ConsentEvent.pupil_id == pupil_id)
    if purpose_id is not None:
        query = query.where(ConsentEvent.purpose_id == purpose_id)
    query = query.order_by(ConsentEvent.decided_on, ConsentEvent.id)
    return [DecisionRow(*row) for row in session.execute(query)]


@dataclass(frozen=True)
class HistoryEntry:
    """One decision of a pupil's history as a screen shows it: names instead of ids."""

    decided_on: date
    purpose_id: int
    purpose_title: str       # the purpose's current title; "" when the purpose is gone
    version: int             # the text version the decision was taken under
    current_version: int     # the purpose's version now
    decision: Decision
    by_pupil: bool
    guardian_id: int | None
    guardian_name: str       # "" when the guardian is no longer linked to the pupil
    guardian_relation: str
    channel: Channel
    recorded_by: str         # who recorded it (display name or user name); "" when unknown
    note: str


def history_entries(session: Session, actor: User, pupil_id: int) -> list[HistoryEntry]:
    """The pupil's decisions, newest first, with the purpose's title, the guardian's name and
    who recorded each one."""
    from db.pupils import guardians_of
    from db.purposes import current_texts
    from db.users import user_names

    rows = history(session, actor, pupil_id)
    titles = {purpose.id: (text.title, purpose.version)
              for purpose, text in current_texts(session, include_retired=True)}
    guardians = {g.id: g for g in guardians_of(session, actor, pupil_id)}
    users = {u.id: u.display_name or u.username for u in user_names(session, actor)}
    entries = []
    for row in reversed(rows):
        title, current = titles.get(row.purpose_id, ("", row.purpose_version))
        guardian = guardians.get(row.guardian_id) if row.guardian_id is not None else None
        entries.append(HistoryEntry(
            row.decided_on, row.purpose_id, title, row.purpose_version, current,
            Decision(row.decision), row.by_pupil, row.guardian_id,
            guardian.full_name if guardian else "", guardian.relation if guardian else "",
            Channel(row.channel), users.get(row.recorded_by, "") if row.recorded_by else "",
            row.note))
    return entries


def authority_of(session: Session, actor: Actor,
                 pupil_ids: Iterable[int] | None = None) -> dict[int, set[int]]:
    """Guardian ids with gezag, per pupil."""
    require(actor, Permission.READ_REGISTER)
    query = select(PupilGuardian.pupil_id, PupilGuardian.guardian_id).where(
        PupilGuardian.has_authority.is_(True))
    if pupil_ids is not None:
        ids = list(pupil_ids)
        query = query.where(PupilGuardian.pupil_id.in_(ids)) if len(ids) < 900 else query
    result: dict[int, set[int]] = {}
    for pupil_id, guardian_id in session.execute(query):
        result.setdefault(pupil_id, set()).add(guardian_id)
    return result


def counting_from(session: Session, on: date) -> date | None:
    """The first day whose decisions still count on `on`: the start of that school year when
    the school asks consent each school year, otherwise None (a decision stands until it is
    changed)."""
    return school_year_start(on) if year_rhythm(session, on).ask_each_year else None


def _decisions(session: Session, ids: list[int] | None, on: date, first_day: date | None,
               purpose_ids: list[int] | None = None,
               ) -> dict[tuple[int, int], list[DecisionRow]]:
    """(pupil id, purpose id) → the decisions that count on `on`, oldest first."""
    query = select(ConsentEvent.id, ConsentEvent.purpose_id, ConsentEvent.purpose_version,
                   ConsentEvent.decision, ConsentEvent.decided_on, ConsentEvent.guardian_id,
                   ConsentEvent.by_pupil, ConsentEvent.channel, ConsentEvent.note,
                   ConsentEvent.recorded_by, ConsentEvent.pupil_id
                   ).where(ConsentEvent.decided_on <= on)
    if first_day is not None:
        query = query.where(ConsentEvent.decided_on >= first_day)
    if ids is not None and len(ids) < 900:
        query = query.where(ConsentEvent.pupil_id.in_(ids))
    if purpose_ids is not None:
        query = query.where(ConsentEvent.purpose_id.in_(purpose_ids))
    query = query.order_by(ConsentEvent.decided_on, ConsentEvent.id)
    grouped: dict[tuple[int, int], list[DecisionRow]] = {}
    wanted = None if ids is None else set(ids)
    for row in session.execute(query):
        pupil_id = row[-1]
        if wanted is None or pupil_id in wanted:
            grouped.setdefault((pupil_id, row[1]), []).append(DecisionRow(*row[:-1]))
    return grouped


def current_states(session: Session, actor: User | None,
                   pupil_ids: Iterable[int] | None = None, *, on: date,
                   ) -> dict[tuple[int, int], ConsentState]:
    """(pupil id, purpose id) → the state on day `on`, for the pupils asked (all when None).

    Only decisions taken on or before `on` count (AVG art. 7(3): a withdrawal does not undo
    what was lawful before it), and where the school asks each school year only those of
    `on`'s school year. Missing = not asked.
    """
    require(actor, Permission.READ_REGISTER)
    ids = None if pupil_ids is None else list(pupil_ids)
    grouped = _decisions(session, ids, on, counting_from(session, on))
    authority = authority_of(session, actor, ids)
    return {key: combine(rows, authority.get(key[0], set()))
            for key, rows in grouped.items()}


@dataclass(frozen=True)
class StateWhy:
    """A state on a day and what settles it, for telling a person why."""

    state: ConsentState
    decision: DecisionRow | None  # the decision that settles it (None: nobody decided)
    asked_before: bool            # not asked: but decided in an earlier school year


def explain_states(session: Session, actor: Actor, pupil_ids: Iterable[int],
                   purpose_ids: Iterable[int], *, on: date,
                   ) -> dict[tuple[int, int], StateWhy]:
    """(pupil id, purpose id) → the state on `on` (the same as `current_states`) with the
    decision behind it, for every pupil and purpose asked. Where the school asks each school
    year, a pair without a decision this school year but with one before says so."""
    require(actor, Permission.READ_REGISTER)
    ids, purposes = list(dict.fromkeys(pupil_ids)), list(dict.fromkeys(purpose_ids))
    first_day = counting_from(session, on)
    grouped = _decisions(session, ids, on, first_day, purposes)
    authority = authority_of(session, actor, ids)
    earlier: set[tuple[int, int]] = set()
    if first_day is not None:
        query = (select(ConsentEvent.pupil_id, ConsentEvent.purpose_id).distinct()
                 .where(ConsentEvent.decided_on < first_day,
                        ConsentEvent.purpose_id.in_(purposes)))
        if len(ids) < 900:
            query = query.where(ConsentEvent.pupil_id.in_(ids))
        earlier = {(pid, purpose) for pid, purpose in session.execute(query)}
    result = {}
    for pupil_id in ids:
        for purpose_id in purposes:
            key = (pupil_id, purpose_id)
            state, decision = combine_explained(grouped.get(key, ()),
                                                authority.get(pupil_id, set()))
            result[key] = StateWhy(state, decision,
                                   state is ConsentState.NOT_ASKED and key in earlier)
    return result


def stream_states(session: Session, actor: Actor, *, on: date,
                  ) -> Iterator[tuple[int, int, ConsentState]]:
    """(pupil id, purpose id, state on `on`) for every pair with a counting decision, by
    pupil: current_states() for the whole school without holding it. The decisions and the
    gezag links are read in pupil order, in batches, side by side; one pupil's decisions
    are in memory at a time. Pairs without a decision are not asked (not yielded).
    The role is checked here, when it is called, not when the first pair is asked for."""
    require(actor, Permission.READ_REGISTER)
    return _stream_states(session, on)


def _stream_states(session: Session, on: date) -> Iterator[tuple[int, int, ConsentState]]:
    events = (select(ConsentEvent.pupil_id, ConsentEvent.purpose_id, ConsentEvent.decision,
                     ConsentEvent.guardian_id, ConsentEvent.by_pupil, ConsentEvent.decided_on)
              .where(ConsentEvent.decided_on <= on))
    first_day = counting_from(session, on)
    if first_day is not None:
        events = events.where(ConsentEvent.decided_on >= first_day)
    events = events.order_by(ConsentEvent.pupil_id, ConsentEvent.purpose_id,
                             ConsentEvent.decided_on, ConsentEvent.id)
    links = (select(PupilGuardian.pupil_id, PupilGuardian.guardian_id)
             .where(PupilGuardian.has_authority.is_(True)).order_by(PupilGuardian.pupil_id))
    connection = session.connection()
    gezag = iter(connection.execute(links.execution_options(yield_per=_STREAM)))
    link = next(gezag, None)
    rows = connection.execute(events.execution_options(yield_per=_STREAM))
    authority: set[int] = set()
    authority_of_pupil = None
    for (pupil_id, purpose_id), group in groupby(rows, key=itemgetter(0, 1)):
        if pupil_id != authority_of_pupil:  # the next pupil: its gezag holders
            authority, authority_of_pupil = set(), pupil_id
            while link is not None and link[0] < pupil_id:
                link = next(gezag, None)
            while link is not None and link[0] == pupil_id:
                authority.add(link[1])
                link = next(gezag, None)
        yield pupil_id, purpose_id, _combine((row[2:] for row in group), authority)


def state_counts(session: Session, actor: Actor, *, on: date,
                 ) -> Counter[tuple[int, str, ConsentState]]:
    """(purpose id, group, GIVEN or REFUSED on `on`) → how many of the pupils current on `on`
    (not left by then) have consent, or have none: the count of stream_states() per group,
    counted by the database (tests hold the two together). REFUSED counts every "no", the
    withdrawn ones included (stream_states tells WITHDRAWN apart; a count of consent does
    not need it). Pairs without a counting decision are not asked and not counted here (the
    caller knows the group sizes).

    The same rule, in SQL: per pupil and purpose, the latest counting decision of each voice
    (the pupil; each guardian with gezag; the parent app's unnamed voice) by day and then
    id; the pupil's, when there is one, settles it; else any refusal among the others wins.
    """
    require(actor, Permission.READ_REGISTER)
    event_ = ConsentEvent
    own = case((event_.by_pupil, 1), else_=0)  # truthy, as Python reads by_pupil
    gezag = (select(PupilGuardian.pupil_id)
             .where(PupilGuardian.pupil_id == event_.pupil_id,
                    PupilGuardian.guardian_id == event_.guardian_id,
                    PupilGuardian.has_authority.is_(True)).exists())
    latest = (select(event_.pupil_id, event_.purpose_id, own.label("own"),
                     case((event_.decision == Decision.GIVEN, 1), else_=0).label("given"),
                     func.row_number().over(
                         partition_by=(event_.pupil_id, event_.purpose_id, own,
                                       case((event_.by_pupil, None), else_=event_.guardian_id)),
                         order_by=(event_.decided_on.desc(), event_.id.desc())).label("rank"))
              .where(event_.decided_on <= on,
                     or_(own == 1, event_.guardian_id.is_(None), gezag)))
    first_day = counting_from(session, on)
    if first_day is not None:
        latest = latest.where(event_.decided_on >= first_day)
    latest = latest.subquery()
    pupil_says = func.max(case((latest.c.own == 1, 1 + latest.c.given)))
    refused = func.max(case((and_(latest.c.own == 0, latest.c.given == 0), 1), else_=0))
    pairs = (select(latest.c.pupil_id, latest.c.purpose_id,
                    case((pupil_says == 2, 1), (pupil_says == 1, 0), (refused == 1, 0),
                         else_=1).label("given"))
             .where(latest.c.rank == 1).group_by(latest.c.pupil_id, latest.c.purpose_id)
             .subquery())
    counted = (select(pairs.c.purpose_id, Pupil.group_name, pairs.c.given, func.count())
               .join(Pupil, Pupil.id == pairs.c.pupil_id)
               .where(Pupil.left_on.is_(None) | (Pupil.left_on > on))
               .group_by(pairs.c.purpose_id, Pupil.group_name, pairs.c.given))
    return Counter({(purpose_id, group, ConsentState.GIVEN if given else ConsentState.REFUSED):
                    count for purpose_id, group, given, count in session.execute(counted)})


def record_decision(session: Session, actor: User, pupil_id: int, purpose_id: int,
                    decision: Decision, *, decided_on: date, guardian_id: int | None,
                    channel: Channel, by_pupil: bool = False, note: str = "",
                    clock: Clock = system_clock) -> ConsentEvent:
    """Append a consent decision (toestemming). History is never rewritten."""
    require(actor, Permission.RECORD_CONSENT)
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise NotFoundError("Deze leerling staat niet (meer) in het register.")
    purpose = session.get(ConsentPurpose, purpose_id)
    if purpose is None:
        raise ValidationError("Kies een doel.", field="purpose")
    if purpose.retired_at is not None:
        raise ValidationError("Dit doel is buiten gebruik gesteld; er kan geen keuze meer voor "
                              "worden vastgelegd.", field="purpose")
    today = local_today(clock)
    if decided_on > today:
        raise ValidationError("De datum van de keuze ligt in de toekomst.", field="decided_on")
    if pupil.enrolled_on is not None and decided_on < pupil.enrolled_on:
        raise ValidationError("De datum van de keuze ligt vóór de inschrijving van de leerling.",
                              field="decided_on")
    try:
        decision, channel = Decision(decision), Channel(channel)
    except ValueError:
        raise ValidationError("Kies een geldige keuze en manier.", field="decision") from None
    age = age_on(pupil.date_of_birth, decided_on)
    if by_pupil:
        if age is None or age < AGE_OF_OWN_CONSENT:
            raise ValidationError("Onder de 16 beslissen de ouders met gezag, niet de leerling.",
                                  field="guardian")
        guardian_id = None
    else:
        if age is not None and age >= AGE_OF_OWN_CONSENT:
            raise ValidationError("Vanaf 16 jaar beslist de leerling zelf. Kies 'de leerling "
                                  "zelf'.", field="guardian")
        if guardian_id is None:
            raise ValidationError("Kies de ouder/verzorger die de keuze maakte.",
                                  field="guardian")
        link = session.get(PupilGuardian, (pupil_id, guardian_id))
        if link is None:
            raise ValidationError("Deze ouder/verzorger hoort niet bij deze leerling.",
                                  field="guardian")
        if not link.has_authority:
            raise ValidationError("Deze ouder/verzorger heeft geen gezag en kan geen "
                                  "toestemming geven of weigeren.", field="guardian")
    event_ = ConsentEvent(pupil_id=pupil_id, purpose_id=purpose_id,
                          purpose_version=purpose.version, decision=decision,
                          decided_on=decided_on, guardian_id=guardian_id, by_pupil=by_pupil,
                          channel=channel, note=note.strip(), recorded_by=actor.id,
                          recorded_at=clock())
    session.add(event_)
    audit(session, actor, "consent.record", event_, clock=clock)
    return event_


# --- the school-year rhythm -------------------------------------------------------------

YEARLY_SETTING = "consent.ask_each_year"
CLOSING_SETTING = "consent.closing_date"  # "MM-DD" within the school year, e.g. "10-01"


def school_year_start(day: date) -> date:
    """1 August of the school year that `day` falls in."""
    return date(day.year if day.month >= 8 else day.year - 1, 8, 1)


def school_year_label(day: date) -> str:
    start = school_year_start(day)
    return f"{start.year}-{start.year + 1}"


@dataclass(frozen=True)
class YearRhythm:
    ask_each_year: bool
    closing: date | None  # this school year's closing date for returning the forms


def year_rhythm(session: Session, today: date) -> YearRhythm:
    from db.school import get_setting

    yearly = get_setting(session, SYSTEM, YEARLY_SETTING, "0") == "1"
    closing = None
    text = get_setting(session, SYSTEM, CLOSING_SETTING, "")
    if text:
        month, day = (int(part) for part in text.split("-"))
        start = school_year_start(today)
        year = start.year if month >= 8 else start.year + 1
        try:
            closing = date(year, month, day)
        except ValueError:  # 29 February in a year without it
            closing = date(year, month, day - 1)
    return YearRhythm(yearly, closing)


def parse_closing_date(text: str) -> tuple[int, int] | None:
    """'1-10' or '01-10' (dag-maand) → (10, 1) as (month, day); '' → None.

    Raises ValidationError (field 'closing') with a Dutch message for anything else."""
    import re

    text = text.strip()
    if not text:
        return None
    match = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})", text)
    if not match:
        raise ValidationError("Schrijf de datum als dag-maand, bijvoorbeeld 01-10.",
                              field="closing")
    month, day = int(match[2]), int(match[1])
    try:
        date(2024, month, day)  # a leap year accepts 29 February
    except ValueError:
        raise ValidationError("Deze sluitingsdatum bestaat niet.", field="closing") from None
    return month, day


def set_year_rhythm(session: Session, actor: User, *, ask_each_year: bool,
                    closing_month_day: tuple[int, int] | None) -> None:
    from db.school import put_setting

    require(actor, Permission.MANAGE_PURPOSES)
    put_setting(session, actor, YEARLY_SETTING, "1" if ask_each_year else "0")
    if closing_month_day is None:
        put_setting(session, actor, CLOSING_SETTING, "")
        return
    month, day = closing_month_day
    try:
        date(2024, month, day)  # a leap year accepts 29 February
    except ValueError:
        raise ValidationError("Deze sluitingsdatum bestaat niet.", field="closing") from None
    put_setting(session, actor, CLOSING_SETTING, f"{month:02d}-{day:02d}")


@dataclass(frozen=True)
class ToAsk:
    pupil_id: int
    name: str
    group_name: str
    last_asked: date | None  # None: never asked


def pupils_to_ask(session: Session, actor: User | None, today: date) -> list[ToAsk]:
    """Current pupils never asked, or (when consent is asked every school year) whose latest
    decision predates the current school year; by group and surname.

    Chosen in SQL: a pupil has no decision at all (or none since the school year began),
    which the index on the decisions' pupil answers without reading them; the date of the
    latest decision is looked up only for the pupils listed."""
    require(actor, Permission.READ_REGISTER)
    rhythm = year_rhythm(session, today)
    events = select(ConsentEvent.id).where(ConsentEvent.pupil_id == Pupil.id)
    if rhythm.ask_each_year:  # latest < start: nothing decided on or after the start
        events = events.where(ConsentEvent.decided_on >= school_year_start(today))
    asked = (select(func.max(ConsentEvent.decided_on)).where(ConsentEvent.pupil_id == Pupil.id)
             .scalar_subquery())
    query = (select(Pupil.id, Pupil.first_name, Pupil.prefix, Pupil.last_name,
                    Pupil.group_name, asked)
             .where((Pupil.left_on.is_(None)) | (Pupil.left_on > today), ~events.exists()))
    # sorted here: ORDER BY group made SQLite walk the group index and read every pupil's
    # row out of order (1.5 s at 100,000 pupils instead of 0.1 s); code-point order is
    # SQLite's own (BINARY) order of these texts
    rows = sorted(session.execute(query), key=lambda row: (row[4], row[3], row[0]))
    return [ToAsk(pid, " ".join(part for part in (first, prefix, last) if part), group,
                  last_asked)
            for pid, first, prefix, last, group, last_asked in rows]


def count_to_ask(session: Session, actor: User | None, today: date) -> int:
    """How many pupils_to_ask() would list, counted in SQL (for the overview, at start-up)."""
    require(actor, Permission.READ_REGISTER)
    rhythm = year_rhythm(session, today)
    latest = (select(ConsentEvent.pupil_id, func.max(ConsentEvent.decided_on).label("asked"))
              .group_by(ConsentEvent.pupil_id).subquery())
    waiting = latest.c.asked.is_(None)
    if rhythm.ask_each_year:
        waiting = waiting | (latest.c.asked < school_year_start(today))
    query = (select(func.count()).select_from(Pupil)
             .outerjoin(latest, latest.c.pupil_id == Pupil.id)
             .where((Pupil.left_on.is_(None)) | (Pupil.left_on > today), waiting))
    return session.scalar(query) or 0
