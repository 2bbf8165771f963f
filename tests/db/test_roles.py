"""Roles: one table answers 'may this user do this'; the use-cases ask it."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from db.audit_log import audit_rows, record_readers
from db.breaches import BreachInput, register_breach
from db.errors import PermissionDenied, ValidationError
from db.permissions import ROLE_PERMISSIONS, Permission, may
from db.pupils import PupilInput, enrol_pupil, read_special, record_opened
from db.schema import Role, User
from db.users import authenticate, create_user, set_password, update_user

PUPIL = PupilInput(first_name="Sem", last_name="Bos", date_of_birth=date(2017, 2, 2),
                   group_name="4A", enrolled_on=date(2021, 8, 30))


@pytest.fixture
def users(vault, clock):
    with vault.session() as session:
        admin = session.scalar(select(User))
        made = {"beheer": admin}
        for role in (Role.ADMINISTRATIE, Role.DIRECTIE, Role.LEERKRACHT, Role.FG):
            made[role.value] = create_user(session, admin, role.value, "wachtwoord-1", role,
                                           clock=clock)
        made["pupil"] = enrol_pupil(session, made["administratie"], PUPIL, clock=clock).id
    return made


def test_teacher_cannot_open_special_data_or_the_audit_log(vault, users, clock):
    with vault.session() as session:
        with pytest.raises(PermissionDenied):
            read_special(session, users["leerkracht"], users["pupil"], clock=clock)
        with pytest.raises(PermissionDenied):
            audit_rows(session, users["leerkracht"], clock=clock)


def test_fg_reads_but_cannot_write(vault, users, clock):
    fg = users["fg"]
    assert not any(may(fg, p) for p in (Permission.EDIT_PUPILS, Permission.RECORD_CONSENT,
                                        Permission.RECORD_BREACH, Permission.ERASE,
                                        Permission.MANAGE_USERS, Permission.SETTINGS))
    with vault.session() as session:
        assert audit_rows(session, fg, clock=clock)
        with pytest.raises(PermissionDenied):
            enrol_pupil(session, fg, PUPIL, allow_duplicate=True, clock=clock)
        with pytest.raises(PermissionDenied):
            register_breach(session, fg, BreachInput(
                discovered_at=datetime(2026, 11, 1, tzinfo=UTC), description="x"), clock=clock)


def test_only_directie_beheerder_fg_and_bestuur_read_the_audit_log():
    readers = {role for role, perms in ROLE_PERMISSIONS.items() if Permission.READ_AUDIT in perms}
    assert readers == {Role.DIRECTIE, Role.BEHEERDER, Role.FG, Role.BESTUUR}


def test_audit_viewer_filters_and_its_reading_is_audited(vault, users, clock):
    with vault.session() as session:
        record_opened(session, users["directie"], users["pupil"], clock=clock)
        rows = audit_rows(session, users["directie"], action_prefix="pupil.", clock=clock)
        assert [r.action for r in rows] == ["pupil.open", "pupil.enrol"]
        assert rows[0].user == "directie"
        readers = record_readers(session, users["directie"], users["pupil"])
        assert [(who, action) for _, who, action in readers] == [
            ("administratie", "pupil.enrol"), ("directie", "pupil.open")]
        again = audit_rows(session, users["directie"], action_prefix="audit.", clock=clock)
        assert again[0].action == "audit.read"


def test_deactivated_user_cannot_log_in_and_password_reset_works(vault, users, clock):
    with vault.session() as session:
        update_user(session, users["beheer"], users["leerkracht"].id, active=False, clock=clock)
        set_password(session, users["beheer"], users["fg"].id, "nieuw-wachtwoord", clock=clock)
    with vault.session() as session:
        from db.errors import LoginError

        with pytest.raises(LoginError):
            authenticate(session, "leerkracht", "wachtwoord-1", clock=clock)
        assert authenticate(session, "fg", "nieuw-wachtwoord", clock=clock).role == "fg"
        with pytest.raises(ValidationError):
            update_user(session, users["beheer"], users["beheer"].id, active=False, clock=clock)
        with pytest.raises(PermissionDenied):
            set_password(session, users["directie"], users["fg"].id, "xxxxxxxxxx", clock=clock)
