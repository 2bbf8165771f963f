"""Pupils and guardians: search semantics, enrolment rules, leaving, special categories."""

from datetime import date

import pytest
from sqlalchemy import select

from db.errors import PermissionDenied, ValidationError
from db.pupils import (
    GuardianInput,
    PupilInput,
    add_guardian,
    add_special,
    enrol_pupil,
    guardians_of,
    matches,
    pupil_rows,
    read_special,
    record_leaving,
    remove_guardian,
    search_key,
    update_guardian,
)
from db.schema import AuditEntry, Guardian, Role, User
from db.users import create_user


@pytest.fixture
def people(vault, clock):
    """The beheerder plus an administratie, directie and leerkracht user."""
    with vault.session() as session:
        admin = session.scalar(select(User))
        users = {"beheer": admin}
        for name, role in (("office", Role.ADMINISTRATIE), ("dir", Role.DIRECTIE),
                           ("juf", Role.LEERKRACHT)):
            users[name] = create_user(session, admin, name, "wachtwoord-1", role, clock=clock)
    return users


def sem(**changes):
    data = dict(first_name="Sem", last_name="Berg", prefix="van den",
                date_of_birth=date(2017, 5, 3), group_name="4A", enrolled_on=date(2021, 8, 30))
    data.update(changes)
    return PupilInput(**data)


@pytest.mark.parametrize("query", ["berg", "BERG", "van den berg", "berg van den", "Berg, van",
                                   "sem berg", "den"])
def test_search_finds_surname_with_voorvoegsel_in_any_order(query):
    assert matches(search_key("Sem", "Semuel", "van den", "Berg"), query)


@pytest.mark.parametrize("query", ["ismael", "ISMAËL", "Ismaël", "ismaë"])
def test_search_ignores_case_and_accents(query):
    assert matches(search_key("Ismaël", "", "", "El Amrani"), query)


def test_search_does_not_find_what_is_not_there():
    key = search_key("Sem", "", "van den", "Berg")
    assert not matches(key, "bergen") and not matches(key, "sem jansen")


def test_enrol_and_list_plain_rows(vault, people, clock):
    with vault.session() as session:
        enrol_pupil(session, people["office"], sem(), clock=clock)
        rows = pupil_rows(session, people["office"])
    assert [(r.first_name, r.sort_name, r.group_name, r.year_group) for r in rows] == \
        [("Sem", "Berg, van den", "4A", 4)]


@pytest.mark.parametrize(("changes", "field"), [
    ({"first_name": " "}, "first_name"),
    ({"last_name": ""}, "last_name"),
    ({"date_of_birth": None}, "date_of_birth"),
    ({"date_of_birth": date(2027, 1, 1)}, "date_of_birth"),
    ({"group_name": ""}, "group_name"),
    ({"enrolled_on": None}, "enrolled_on"),
    ({"enrolled_on": date(2016, 1, 1)}, "enrolled_on"),
    ({"year_group": 9}, "year_group"),
])
def test_enrolment_refuses_bad_input_naming_the_field(vault, people, clock, changes, field):
    with vault.session() as session, pytest.raises(ValidationError) as refused:
        enrol_pupil(session, people["office"], sem(**changes), clock=clock)
    assert refused.value.field == field
    with vault.session() as session:
        assert pupil_rows(session, people["office"]) == []  # nothing saved


def test_same_name_and_birth_date_warns_until_confirmed(vault, people, clock):
    with vault.session() as session:
        enrol_pupil(session, people["office"], sem(), clock=clock)
    with vault.session() as session, pytest.raises(ValidationError, match="al een leerling"):
        enrol_pupil(session, people["office"], sem(group_name="4B"), clock=clock)
    with vault.session() as session:
        enrol_pupil(session, people["office"], sem(group_name="4B"), allow_duplicate=True,
                    clock=clock)
        assert len(pupil_rows(session, people["office"])) == 2


def test_leaving_keeps_the_pupil(vault, people, clock):
    with vault.session() as session:
        pupil = enrol_pupil(session, people["office"], sem(), clock=clock)
        record_leaving(session, people["office"], pupil.id, date(2026, 7, 10), clock=clock)
        (row,) = pupil_rows(session, people["office"])
    assert row.left_on == date(2026, 7, 10) and not row.is_current(date(2026, 11, 24))
    with vault.session() as session, pytest.raises(ValidationError, match="vóór"):
        record_leaving(session, people["office"], pupil.id, date(2020, 1, 1), clock=clock)


def test_teacher_cannot_edit_pupils(vault, people, clock):
    with vault.session() as session, pytest.raises(PermissionDenied, match="Leerkracht"):
        enrol_pupil(session, people["juf"], sem(), clock=clock)


def test_guardians_add_edit_remove(vault, people, clock):
    office = people["office"]
    with vault.session() as session:
        pupil = enrol_pupil(session, office, sem(), clock=clock)
        mother = add_guardian(session, office, pupil.id, GuardianInput(
            first_name="Fatima", last_name="Berg", email="f.berg@example.nl",
            phone="06-12345678", relation="moeder"), clock=clock)
    with vault.session() as session:
        update_guardian(session, office, pupil.id, mother.id, GuardianInput(
            first_name="Fatima", last_name="Berg", email="fatima@example.nl",
            address_secret=True, relation="moeder", has_authority=False), clock=clock)
        (row,) = guardians_of(session, office, pupil.id)
    assert (row.email, row.address_secret, row.has_authority) == \
        ("fatima@example.nl", True, False)
    with vault.session() as session, pytest.raises(ValidationError) as refused:
        add_guardian(session, office, pupil.id,
                     GuardianInput(last_name="X", email="geen-adres"), clock=clock)
    assert refused.value.field == "email"
    with vault.session() as session:
        remove_guardian(session, office, pupil.id, mother.id, clock=clock)
        assert guardians_of(session, office, pupil.id) == []
        assert session.get(Guardian, mother.id) is None


def test_special_categories_are_for_allowed_roles_and_every_read_is_audited(vault, people,
                                                                            clock):
    with vault.session() as session:
        pupil = enrol_pupil(session, people["office"], sem(), clock=clock)
        add_special(session, people["office"], pupil.id, "medical", "dyslexie", clock=clock)
    for reader in ("office", "dir", "dir"):
        with vault.session() as session:
            rows = read_special(session, people[reader], pupil.id, clock=clock)
            assert [r.description for r in rows] == ["dyslexie"]
    with vault.session() as session:
        reads = session.scalars(select(AuditEntry).where(AuditEntry.action == "special.read"))
        assert len(list(reads)) == 3
    for denied in ("juf", "beheer"):
        with vault.session() as session, pytest.raises(PermissionDenied):
            read_special(session, people[denied], pupil.id, clock=clock)
