"""Pupils, guardians, consents and special-category records of the demo school, written
in bulk (no ORM object per row) and audited with audit_many."""

from __future__ import annotations

import math
import random
import unicodedata
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from sqlalchemy import insert
from sqlalchemy.orm import Session

from db.audit import audit_many
from db.clock import SCHOOL_TZ, Clock, local_today
from db.consents import school_year_start
from db.demo.names import (
    _CHANNELS,
    _CONSENT_RATE,
    _EMAIL_DOMAINS,
    _FORMAL,
    _MEDICAL,
    _MIDDLE_BOYS,
    _MIDDLE_GIRLS,
    _ORIGINS,
    _RELIGION,
    _Origin,
)
from db.demo.settings import DemoSummary
from db.permissions import SYSTEM
from db.retention import add_years
from db.schema import (
    Channel,
    ConsentEvent,
    ConsentPurpose,
    Decision,
    Guardian,
    Pupil,
    PupilGuardian,
    SpecialCategoryRecord,
)


def _random_day(rng: random.Random, first: date, last: date) -> date:
    if last <= first:
        return first
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _school_day(day: date) -> date:
    """The same day, or the Monday after it when it falls in a weekend."""
    weekday = day.weekday()
    return day + timedelta(days=7 - weekday) if weekday >= 5 else day


def _at(day: date, rng: random.Random, now: datetime) -> datetime:
    """An office-hours moment on `day` (school time), as UTC, never after `now`."""
    local = datetime.combine(day, time(8 + rng.randint(0, 7), rng.randint(0, 59)),
                             tzinfo=SCHOOL_TZ)
    return min(local.astimezone(UTC), now)


def _group_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: enough letters for a load test's 90 groups per year."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _ascii(text: str) -> str:
    text = text.replace("ı", "i").replace("İ", "I")
    return "".join(ch for ch in unicodedata.normalize("NFKD", text)
                   if ch.isascii() and ch.isalnum()).lower()


def _birth_range(year_group: int, school_year: int) -> tuple[date, date]:
    """Born 1 October .. 30 September: the usual cut-off for a jaargroep in that school year."""
    return (date(school_year - year_group - 4, 10, 1),
            date(school_year - year_group - 3, 9, 30))


def _pick_weighted(rng: random.Random, options):  # noqa: ANN001, ANN202
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights=weights)[0]


# --- the pupil plan -----------------------------------------------------------------------

class _Slot(NamedTuple):
    """One pupil to generate: where they are now (or were when they left)."""

    year_group: int
    group_name: str
    left_on: date | None
    left_reason: str


def _plan_slots(rng: random.Random, pupils: int, today: date) -> list[_Slot]:
    school_year = school_year_start(today).year
    leavers = round(pupils * 0.05)
    active = pupils - leavers
    slots: list[_Slot] = []
    for year_group in range(1, 9):
        count = active // 8 + (1 if year_group <= active % 8 else 0)
        groups = max(1, math.ceil(count / 28))
        for i in range(count):
            slots.append(_Slot(year_group, f"{year_group}{_group_letters(i % groups)}",
                               None, ""))
    for _ in range(leavers):
        if rng.random() < 0.6:  # groep 8, on to secondary school at the end of a school year
            left = _school_day(date(school_year - rng.randint(0, 4), 7, rng.randint(4, 15)))
            slots.append(_Slot(8, "", left, "Uitgeschreven: naar het voortgezet onderwijs."))
        else:  # moved house, at any moment
            left = _school_day(_random_day(rng, add_years(today, -4), today - timedelta(3)))
            slots.append(_Slot(rng.randint(1, 8), "", min(left, today),
                               "Uitgeschreven: verhuisd."))
    rng.shuffle(slots)
    return slots


def _plan_families(rng: random.Random, slots: list[_Slot]) -> list[list[_Slot]]:
    families: list[list[_Slot]] = []
    i = 0
    while i < len(slots):
        size = _pick_weighted(rng, ((1, 50), (2, 38), (3, 10), (4, 2)))
        families.append(slots[i:i + size])
        i += size
    return families




# --- the bulk part ------------------------------------------------------------------------

class _Generator:
    def __init__(self, session: Session, rng: random.Random, clock: Clock,
                 purposes: list[ConsentPurpose], office_id: int | None,
                 director_id: int | None) -> None:
        self.session = session
        self.rng = rng
        self.clock = clock
        self.now = clock()
        self.today = local_today(clock)
        self.purposes = purposes
        self.office_id = office_id
        self.director_id = director_id
        self.summary = DemoSummary()

    # one family: names, guardians, pupils
    def family(self, slots: list[_Slot], source_keys: list[str]) -> tuple[list, list, list]:
        rng = self.rng
        origin = rng.choices(_ORIGINS, weights=[o.weight for o in _ORIGINS])[0]
        prefix, last_name = rng.choice(origin.surnames)
        pupils = []
        dobs: list[date] = []
        used: set[str] = set()
        for slot in slots:
            dob = self._date_of_birth(slot, dobs)
            dobs.append(dob)
            girl = rng.random() < 0.5
            first = rng.choice(origin.girls if girl else origin.boys)
            while first in used:
                first = rng.choice(origin.girls if girl else origin.boys)
            used.add(first)
            pupils.append(self._pupil(slot, dob, first, girl, origin, prefix, last_name,
                                      source_keys.pop()))
        guardians = self._guardians(origin, prefix, last_name, min(p["created_at"]
                                                                   for p in pupils))
        return pupils, guardians, dobs

    def _date_of_birth(self, slot: _Slot, siblings: list[date]) -> date:
        rng = self.rng
        reference = slot.left_on or self.today
        first, last = _birth_range(slot.year_group, school_year_start(reference).year)
        last = min(last, add_years(reference, -4))  # a pupil is at least four
        dob = _random_day(rng, first, last)
        for _ in range(6):  # siblings: twins, or born at least ten months apart
            if all(dob == other or abs((dob - other).days) >= 300 for other in siblings):
                break
            dob = _random_day(rng, first, last)
        return dob

    def _pupil(self, slot: _Slot, dob: date, first: str, girl: bool, origin: _Origin,
               prefix: str, last_name: str, source_key: str) -> dict:
        rng = self.rng
        end = slot.left_on or self.today
        enrolled = min(_school_day(add_years(dob, 4)), end)
        if rng.random() < 0.12:  # zij-instromer: came from another school later
            enrolled = _school_day(_random_day(rng, enrolled, end - timedelta(days=20)))
            enrolled = min(enrolled, end)
        signed_up = enrolled - timedelta(days=rng.randint(14, 120))  # inschrijving
        official = _FORMAL.get(first, first) if origin is _ORIGINS[0] else first
        middle = _MIDDLE_GIRLS if girl else _MIDDLE_BOYS
        if origin is _ORIGINS[0] and rng.random() < 0.55:
            given = f"{official} {rng.choice(middle)}"
        elif rng.random() < 0.25:
            second = rng.choice(origin.girls if girl else origin.boys)
            given = official if second == first else f"{official} {second}"
        else:
            given = official
        return {
            "source_key": source_key, "first_name": first, "given_names": given,
            "prefix": prefix, "last_name": last_name, "date_of_birth": dob,
            "year_group": slot.year_group, "group_name": slot.group_name,
            "enrolled_on": enrolled, "left_on": slot.left_on, "notes": slot.left_reason,
            "created_at": _at(signed_up, rng, self.now),
        }

    def _guardians(self, origin: _Origin, prefix: str, last_name: str,
                   created_at: datetime) -> list[tuple[dict, str, bool]]:
        """(guardian row, relation, has_authority) for one family."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.72:
            kinds = [("moeder", True), ("vader", rng.random() > 0.03)]
        elif roll < 0.74:
            kinds = [("moeder", True), ("moeder", True)]
        elif roll < 0.94:
            kinds = [("moeder", True)] if rng.random() < 0.8 else [("vader", True)]
        else:
            kinds = [("verzorger", rng.random() < 0.6)]
            if rng.random() < 0.5:
                kinds.append(("verzorger", kinds[0][1]))
        secret = rng.random() < 0.01
        result = []
        for number, (relation, authority) in enumerate(kinds):
            if relation == "vader" or (relation == "verzorger" and number == 1):
                first = rng.choice(origin.fathers)
                g_prefix, g_last = prefix, last_name
            elif relation == "verzorger":
                source = _ORIGINS[0] if rng.random() < 0.7 else origin
                first = rng.choice(source.mothers)
                g_prefix, g_last = rng.choice(source.surnames)
            else:
                first = rng.choice(origin.mothers)
                if number == 0 and len(kinds) > 1 and rng.random() < 0.3:
                    g_prefix, g_last = prefix, last_name  # uses the partner's name
                elif number == 0 and len(kinds) == 1 and rng.random() < 0.5:
                    g_prefix, g_last = prefix, last_name
                else:
                    g_prefix, g_last = rng.choice(origin.surnames)
            local = f"{_ascii(first)}.{_ascii(g_prefix + g_last)}"
            email = "" if rng.random() < 0.06 else f"{local}@{rng.choice(_EMAIL_DOMAINS)}"
            result.append(({
                "first_name": first, "prefix": g_prefix, "last_name": g_last,
                "phone": f"06-{rng.randint(10_000_000, 69_999_999)}", "email": email,
                "address_secret": secret and number == 0, "created_at": created_at,
            }, relation, authority))
        return result

    # consents and special categories for one inserted pupil
    def consents(self, pupil_id: int, pupil: dict, deciders: list[int],
                 cautious: bool) -> list[dict]:
        """Only a guardian with gezag decides (db.consents ignores the others); a foster child
        without one has no decisions yet, like a pupil whose form never came back."""
        rng = self.rng
        if rng.random() < 0.06 or not self.purposes or not deciders:
            return []
        end = pupil["left_on"] or self.today
        signed_up = pupil["created_at"].astimezone(SCHOOL_TZ).date()
        decided = min(signed_up + timedelta(days=rng.randint(0, 21)), end)
        guardian = rng.choice(deciders)
        channel = _pick_weighted(rng, _CHANNELS)
        recorder = self.office_id if rng.random() < 0.88 else self.director_id
        recorded_at = _at(min(decided + timedelta(days=rng.randint(0, 3)), self.today),
                          rng, self.now)
        events = []
        for purpose in self.purposes:
            rate = _CONSENT_RATE.get(purpose.code, 0.8)
            if cautious and purpose.is_image:
                rate = 0.1
            given = rng.random() < rate
            events.append(self._event(pupil_id, purpose, Decision.GIVEN if given else
                                      Decision.REFUSED, decided, guardian, channel, "",
                                      recorder, recorded_at))
            change = rng.random()
            if (end - decided).days > 30 and change < 0.035:
                later = _random_day(rng, decided + timedelta(days=14), end)
                note = ("Ingetrokken per e-mail." if given
                        else "Alsnog toestemming gegeven via de ouderapp.")
                events.append(self._event(
                    pupil_id, purpose, Decision.WITHDRAWN if given else Decision.GIVEN, later,
                    guardian, Channel.EMAIL if given else Channel.PARRO, note,
                    self.office_id, _at(later, rng, self.now)))
        return events

    @staticmethod
    def _event(pupil_id: int, purpose: ConsentPurpose, decision: Decision, decided: date,
               guardian: int, channel: Channel, note: str, recorder: int | None,
               recorded_at: datetime) -> dict:
        return {
            "pupil_id": pupil_id, "purpose_id": purpose.id, "purpose_version": purpose.version,
            "decision": str(decision), "decided_on": decided, "guardian_id": guardian,
            "by_pupil": False, "channel": str(channel), "note": note,
            "recorded_by": recorder, "recorded_at": recorded_at,
        }

    def special(self, pupil_id: int, pupil: dict) -> list[dict]:
        rng = self.rng
        rows = []
        enrolled = pupil["enrolled_on"]
        if rng.random() < 0.05:
            rows.append({"pupil_id": pupil_id, "category": "medical",
                         "description": rng.choice(_MEDICAL),
                         "recorded_at": _at(_random_day(rng, enrolled, pupil["left_on"]
                                                        or self.today), rng, self.now),
                         "recorded_by": self.office_id})
        if rng.random() < 0.008:
            rows.append({"pupil_id": pupil_id, "category": "religion",
                         "description": rng.choice(_RELIGION),
                         "recorded_at": _at(enrolled, rng, self.now),
                         "recorded_by": self.office_id})
        return rows

    # write one chunk of families
    def write(self, families: list[list[_Slot]], source_keys: list[str]) -> None:
        session, rng, clock = self.session, self.rng, self.clock
        pupil_rows: list[dict] = []
        guardian_rows: list[dict] = []
        plan = []  # per family: pupil indexes, (guardian index, relation, authority)
        for slots in families:
            pupils, guardians, _ = self.family(slots, source_keys)
            first_pupil, first_guardian = len(pupil_rows), len(guardian_rows)
            pupil_rows.extend(pupils)
            guardian_rows.extend(row for row, _, _ in guardians)
            plan.append((range(first_pupil, len(pupil_rows)),
                         [(first_guardian + i, rel, auth)
                          for i, (_, rel, auth) in enumerate(guardians)],
                         rng.random() < 0.06))
        conn = session.connection()
        pupil_ids = conn.execute(
            insert(Pupil.__table__).returning(Pupil.id, sort_by_parameter_order=True),
            pupil_rows).scalars().all()
        guardian_ids = conn.execute(
            insert(Guardian.__table__).returning(Guardian.id, sort_by_parameter_order=True),
            guardian_rows).scalars().all()
        links, events, specials = [], [], []
        for pupil_range, guardians, cautious in plan:
            deciders = [guardian_ids[i] for i, _, auth in guardians if auth]
            for p in pupil_range:
                for g, relation, authority in guardians:
                    links.append({"pupil_id": pupil_ids[p], "guardian_id": guardian_ids[g],
                                  "relation": relation, "has_authority": authority})
                events.extend(self.consents(pupil_ids[p], pupil_rows[p], deciders, cautious))
                specials.extend(self.special(pupil_ids[p], pupil_rows[p]))
        conn.execute(insert(PupilGuardian.__table__), links)
        event_ids = conn.execute(insert(ConsentEvent.__table__).returning(ConsentEvent.id),
                                 events).scalars().all() if events else []
        special_ids = conn.execute(
            insert(SpecialCategoryRecord.__table__).returning(SpecialCategoryRecord.id),
            specials).scalars().all() if specials else []
        audit_many(session, SYSTEM, "demo.create", "pupil", pupil_ids, clock=clock)
        audit_many(session, SYSTEM, "demo.create", "guardian", guardian_ids, clock=clock)
        audit_many(session, SYSTEM, "demo.create", "pupil_guardian",
                   [f"{link['pupil_id']}/{link['guardian_id']}" for link in links], clock=clock)
        audit_many(session, SYSTEM, "demo.create", "consent_event", event_ids, clock=clock)
        audit_many(session, SYSTEM, "demo.create", "special_category_record", special_ids,
                   clock=clock)
        s = self.summary
        s.pupils += len(pupil_rows)
        s.left_pupils += sum(1 for row in pupil_rows if row["left_on"] is not None)
        s.guardians += len(guardian_rows)
        s.consent_events += len(event_ids)
        s.special_records += len(special_ids)
