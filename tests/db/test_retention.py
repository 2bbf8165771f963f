"""Retention terms, what is due, the purge and erasure on request: tombstones, no names."""

from datetime import date

import pytest
from sqlalchemy import func, select

from db.audit import audit, verify_chain
from db.consents import record_decision
from db.errors import PermissionDenied, ValidationError
from db.permissions import SYSTEM
from db.pupils import GuardianInput, PupilInput, add_guardian, add_special, enrol_pupil
from db.purposes import seed_default_purposes
from db.retention import add_years, due_items, erase, purge, seed_default_rules, set_term
from db.schema import (
    Channel,
    ConsentEvent,
    ConsentPurpose,
    Decision,
    Erasure,
    Guardian,
    Pupil,
    Role,
    SpecialCategoryRecord,
    User,
)
from db.users import create_user


@pytest.fixture
def register(vault, clock):
    """Three pupils: left in 2019 (all due), left in 2023 (file due), still at school."""
    with vault.session() as session:
        admin = session.scalar(select(User))
        director = create_user(session, admin, "dir", "wachtwoord-1", Role.DIRECTIE,
                               clock=clock)
        seed_default_rules(session, admin, clock=clock)
        seed_default_purposes(session, admin, clock=clock)
        purpose = session.scalar(select(ConsentPurpose.id))
        ids = {}
        for first, left in (("Oud", date(2019, 7, 10)), ("Recent", date(2023, 7, 7)),
                            ("Huidig", None)):
            pupil = enrol_pupil(session, director, PupilInput(
                first_name=first, last_name="Jansen", date_of_birth=date(2012, 1, 1),
                group_name="8A", enrolled_on=date(2016, 8, 29)), clock=clock)
            pupil.left_on, pupil.notes = left, "Gesprek met ouders over gedrag."
            audit(session, director, "pupil.update", pupil, clock=clock)
            guardian = add_guardian(session, director, pupil.id,
                                    GuardianInput(first_name="Fatima", last_name="Jansen"),
                                    clock=clock)
            add_special(session, director, pupil.id, "medical", "ADHD", clock=clock)
            record_decision(session, director, pupil.id, purpose, Decision.GIVEN,
                            decided_on=date(2018, 9, 1), guardian_id=guardian.id,
                            channel=Channel.PAPER, clock=clock)
            ids[first] = pupil.id
    return {"director": director, "admin": admin, "ids": ids}


def test_add_years_handles_leap_days():
    assert add_years(date(2024, 2, 29), 2) == date(2026, 2, 28)


def test_due_items_follow_the_terms(vault, register):
    with vault.session() as session:
        due = due_items(session, SYSTEM, date(2026, 11, 24))
    assert {(i.name, i.category) for i in due} == {
        ("Oud Jansen", "leerlingdossier"), ("Oud Jansen", "inschrijving_verzuim"),
        ("Recent Jansen", "leerlingdossier")}
    assert {i.due_on for i in due if i.name == "Recent Jansen"} == {date(2025, 7, 7)}


def test_a_term_of_zero_is_refused(vault, register):
    with vault.session() as session, pytest.raises(ValidationError) as refused:
        set_term(session, register["admin"], "leerlingdossier", 0, "")
    assert refused.value.field == "years"


def test_purge_deletes_what_is_due_leaves_tombstones_and_a_sound_chain(vault, register, clock):
    with vault.session() as session:
        due = due_items(session, SYSTEM, date(2026, 11, 24))
        result = purge(session, register["director"], due, clock=clock)
    assert (result.pupils_removed, result.items) == (1, 3)
    with vault.session() as session:
        assert sorted(session.scalars(select(Pupil.first_name))) == ["Huidig", "Recent"]
        recent = session.get(Pupil, register["ids"]["Recent"])
        assert recent.notes == ""
        assert session.scalar(select(func.count()).select_from(SpecialCategoryRecord)
                              .where(SpecialCategoryRecord.pupil_id == recent.id)) == 0
        assert session.scalar(select(func.count()).select_from(ConsentEvent)) == 2
        assert session.scalar(select(func.count()).select_from(Guardian)) == 2
        tombs = session.scalars(select(Erasure)).all()
        assert {(t.pupil_ref, t.category, t.reason) for t in tombs} >= {
            (register["ids"]["Oud"], "inschrijving_verzuim", "bewaartermijn")}
        assert due_items(session, SYSTEM, date(2026, 11, 24)) == []
        assert verify_chain(session).ok


def test_erasure_on_request_of_one_category_or_all(vault, register, clock):
    current = register["ids"]["Huidig"]
    with vault.session() as session:
        erase(session, register["director"], current, "special", clock=clock)
        assert session.scalar(select(func.count()).select_from(SpecialCategoryRecord)
                              .where(SpecialCategoryRecord.pupil_id == current)) == 0
        assert session.get(Pupil, current) is not None
        erase(session, register["director"], current, "all", clock=clock)
        assert session.get(Pupil, current) is None
        tombs = [(t.category, t.reason) for t in session.scalars(
            select(Erasure).where(Erasure.pupil_ref == current))]
    assert tombs == [("special", "verzoek"), ("all", "verzoek")]


def test_only_allowed_roles_erase(vault, register, clock):
    with vault.session() as session:
        office = create_user(session, register["admin"], "office", "wachtwoord-1",
                             Role.ADMINISTRATIE, clock=clock)
    with vault.session() as session, pytest.raises(PermissionDenied):
        erase(session, office, register["ids"]["Huidig"], "all", clock=clock)
