"""Fotocheck on a known set: who may not be in the photo, and the reason the consent rules
give; everyone else is clear."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from db.clock import fixed_clock
from db.consents import current_states, set_year_rhythm
from db.errors import PermissionDenied, ValidationError
from db.permissions import SYSTEM
from db.photo_check import Reason, photo_candidates, photo_check
from db.pupils import GuardianInput, PupilInput, add_guardian, enrol_pupil
from db.schema import Channel, ConsentPurpose, Decision, Role, User
from db.users import create_user

TODAY = date(2026, 11, 24)
CLOCK = fixed_clock(datetime(2026, 11, 24, 9, 30, tzinfo=UTC))
LAST_YEAR = date(2025, 9, 15)   # school year 2025-2026
THIS_YEAR = date(2026, 9, 15)   # school year 2026-2027


def _purpose(session, code: str) -> int:
    return session.scalar(select(ConsentPurpose.id).where(ConsentPurpose.code == code))


@pytest.fixture
def school(vault):
    """Group 5A: one pupil per case, two purposes (website, social media)."""
    from db.consents import record_decision

    with vault.session() as session:
        web, social = _purpose(session, "foto_website"), _purpose(session, "foto_sociale_media")
        pupils = {}
        for first in ("Anna", "Bram", "Cas", "Dewi", "Eva", "Finn", "Gijs"):
            pupil = enrol_pupil(session, SYSTEM, PupilInput(
                first_name=first, last_name="Visser", date_of_birth=date(2017, 4, 4),
                group_name="5A", enrolled_on=date(2021, 8, 30)), clock=CLOCK)
            mother = add_guardian(session, SYSTEM, pupil.id, GuardianInput(
                first_name="Ma", last_name=first), clock=CLOCK)
            father = add_guardian(session, SYSTEM, pupil.id, GuardianInput(
                first_name="Pa", last_name=first), clock=CLOCK)
            pupils[first] = (pupil.id, mother.id, father.id)
        other = enrol_pupil(session, SYSTEM, PupilInput(
            first_name="Hugo", last_name="Anders", date_of_birth=date(2018, 1, 1),
            group_name="4B", enrolled_on=date(2022, 8, 29)), clock=CLOCK)

        def decide(first, purpose, decision, on, parent=1):
            pid, *parents = pupils[first]
            record_decision(session, SYSTEM, pid, purpose, decision, decided_on=on,
                            guardian_id=parents[parent - 1], channel=Channel.PAPER,
                            clock=CLOCK)

        for purpose in (web, social):
            decide("Anna", purpose, Decision.GIVEN, THIS_YEAR)          # clear
            decide("Bram", purpose, Decision.REFUSED, THIS_YEAR)        # refused
            decide("Cas", purpose, Decision.GIVEN, THIS_YEAR)           # withdrawn later
            decide("Cas", purpose, Decision.WITHDRAWN, date(2026, 10, 1))
            decide("Eva", purpose, Decision.GIVEN, LAST_YEAR)           # only last year
            decide("Finn", purpose, Decision.GIVEN, THIS_YEAR)          # one parent refuses
            decide("Finn", purpose, Decision.REFUSED, THIS_YEAR, parent=2)
        decide("Gijs", web, Decision.GIVEN, THIS_YEAR)                  # website only
        # Dewi: never asked
    ids = {first: values[0] for first, values in pupils.items()}
    return vault, ids, web, social, other.id


def _check(vault, ids, purposes, actor=SYSTEM, on=TODAY):
    with vault.session() as session:
        return photo_check(session, actor, purposes, list(ids.values()), on)


def _reasons(check) -> dict[str, set[Reason]]:
    return {b.pupil.name.split()[0]: {reason for _title, reason in b.reasons}
            for b in check.blocked}


def test_each_pupil_without_consent_is_named_with_the_reason(school):
    vault, ids, web, social, _ = school
    with vault.session() as session:
        set_year_rhythm(session, SYSTEM, ask_each_year=True, closing_month_day=None)
    check = _check(vault, ids, [web, social])
    assert _reasons(check) == {
        "Bram": {Reason.REFUSED}, "Cas": {Reason.WITHDRAWN}, "Dewi": {Reason.NOT_ASKED},
        "Eva": {Reason.NOT_ASKED_THIS_YEAR}, "Finn": {Reason.REFUSED},
        "Gijs": {Reason.NOT_ASKED}}
    assert [p.name for p in check.clear] == ["Anna Visser"]
    gijs = next(b for b in check.blocked if b.pupil.name.startswith("Gijs"))
    assert [title for title, _ in gijs.reasons] == ["Foto's en video's op sociale media van "
                                                   "de school"]
    assert "niet gevraagd (Foto's en video's op sociale media" in gijs.describe()
    assert check.checked == 7 and check.school_year == "2026-2027"


def test_without_the_yearly_rhythm_last_years_consent_still_counts(school):
    vault, ids, web, social, _ = school
    check = _check(vault, ids, [web])
    reasons = _reasons(check)
    assert "Eva" not in reasons and "Gijs" not in reasons
    assert {p.name.split()[0] for p in check.clear} == {"Anna", "Eva", "Gijs"}


def test_the_check_agrees_with_the_consent_states(school):
    """The same rules: clear exactly when current_states says 'given' for every purpose."""
    vault, ids, web, social, _ = school
    with vault.session() as session:
        set_year_rhythm(session, SYSTEM, ask_each_year=True, closing_month_day=None)
        states = current_states(session, SYSTEM, list(ids.values()), on=TODAY)
    check = _check(vault, ids, [web, social])
    clear = {p.pupil_id for p in check.clear}
    assert clear == {pid for pid in ids.values()
                     if all(states.get((pid, p)) is not None and states[(pid, p)].allows
                            for p in (web, social))}


def test_a_decision_after_the_day_asked_does_not_count(school):
    vault, ids, web, _social, _ = school
    check = _check(vault, ids, [web], on=date(2026, 9, 20))  # before Cas withdrew
    assert "Cas" not in _reasons(check)


def test_a_teacher_checks_only_their_own_group(school):
    vault, ids, web, _social, other = school
    with vault.session() as session:
        admin = session.scalar(select(User).where(User.username == "beheer"))
        teacher = create_user(session, admin, "juf", "wachtwoord-123", Role.LEERKRACHT,
                              group_name="5A", clock=CLOCK)
        own = photo_candidates(session, teacher, today=TODAY, group="5A")
        assert [p.name for p in own][:2] == ["Anna Visser", "Bram Visser"]
        assert photo_check(session, teacher, [web], [p.pupil_id for p in own], TODAY).blocked
        with pytest.raises(PermissionDenied):
            photo_check(session, teacher, [web], [other], TODAY)
        with pytest.raises(PermissionDenied):
            photo_candidates(session, teacher, today=TODAY, group="4B")


def test_a_check_without_purposes_or_pupils_says_what_to_choose(school):
    vault, ids, web, _social, _ = school
    with vault.session() as session:
        with pytest.raises(ValidationError, match="minstens één doel"):
            photo_check(session, SYSTEM, [], list(ids.values()), TODAY)
        with pytest.raises(ValidationError, match="Kies de leerlingen"):
            photo_check(session, SYSTEM, [web], [], TODAY)
        with pytest.raises(ValidationError, match="geen huidige leerlingen"):
            photo_candidates(session, SYSTEM, today=TODAY, group="8Z")
