"""Many schools in one register (issue 15, revision 0009): every row belongs to a school, the
engine keeps the schools apart on the server, each school has its own audit chain, the board
reads every school and changes none."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select, text
from sqlalchemy.exc import ProgrammingError, StatementError

from db.audit import chain_head, verify_all_chains, verify_chain
from db.clock import fixed_clock
from db.errors import PermissionDenied, RegisterError
from db.permissions import BOARD_ROLES, Permission, may
from db.pupils import PupilInput, enrol_pupil, pupil_rows
from db.register import NewSchool, add_school
from db.schema import AuditEntry, Pupil, Role, School, Setting, User
from db.school import SchoolContact, school_contact, set_school_contact
from db.tenancy import SchoolScope, scope_for, use_school
from db.users import authenticate, create_board_user
from tests.conftest import ADMIN_PASSWORD, NOW
from tests.db.helpers import on_server, reopen, tamper

SECOND = NewSchool("OBS De Regenboog", "34CD", "beheer", ADMIN_PASSWORD)


@dataclasses.dataclass
class Board:
    """Two schools in one register: A (the template's) and B (added by the owner)."""

    a: int
    b: int
    admin_a: User
    admin_b: User


def _owner(vault):
    """Who adds a school: the owner of the server database (the program's role may not);
    in a file, the register itself."""
    return reopen(vault, as_owner=True) if on_server(vault) else vault


def two_schools(vault, clock) -> Board:
    owner = _owner(vault)
    try:
        with owner.session() as session:
            admin_b = add_school(session, SECOND, clock=clock)
            b = admin_b.school_id
            schools = School.__table__.c  # the table, past the session's school filter
            a = session.scalar(select(schools.id).where(schools.id != b))
            use_school(session, a)
            admin_a = session.scalar(select(User).where(User.username == "beheer"))
    finally:
        if owner is not vault:
            owner.close()
    assert admin_a.school_id == a and admin_b.school_id == b and a != b
    return Board(a, b, admin_a, admin_b)


def _pupil(first: str, source_key: str | None = None) -> PupilInput:
    return PupilInput(first_name=first, last_name="Jansen", date_of_birth=date(2017, 5, 3),
                      group_name="4A", enrolled_on=date(2021, 8, 30), source_key=source_key)


def _enrol(vault, school: int, admin: User, first: str, source_key: str | None = None,
           *, clock=None) -> int:
    vault.use_scope(SchoolScope(school))
    with vault.session() as session:
        return enrol_pupil(session, admin, _pupil(first, source_key),
                           clock=clock or fixed_clock(NOW)).id


# --- every row gets the session's school; queries stay within it --------------------------

def test_rows_written_get_the_school_of_the_session_and_reads_stay_within_it(vault, clock):
    board = two_schools(vault, clock)
    pupil_a = _enrol(vault, board.a, board.admin_a, "Noor")
    pupil_b = _enrol(vault, board.b, board.admin_b, "Daan")
    vault.use_scope(SchoolScope(board.a))
    with vault.session() as session:
        assert [row.first_name for row in pupil_rows(session, board.admin_a)] == ["Noor"]
        assert session.get(Pupil, pupil_a).school_id == board.a
        assert session.get(Pupil, pupil_b) is None  # another school's pupil: not found
    vault.use_scope(SchoolScope(board.b))
    with vault.session() as session:
        assert [row.first_name for row in pupil_rows(session, board.admin_b)] == ["Daan"]
        assert session.get(Pupil, pupil_b).school_id == board.b


def test_a_source_key_and_a_user_name_are_unique_per_school(vault, clock):
    board = two_schools(vault, clock)
    _enrol(vault, board.a, board.admin_a, "Noor", "L-1")
    _enrol(vault, board.b, board.admin_b, "Daan", "L-1")  # another school: allowed
    with pytest.raises(Exception, match="leerling-ID|L-1|bestaat"):
        _enrol(vault, board.b, board.admin_b, "Sem", "L-1")
    # both schools have a user "beheer" (the template's and SECOND's), each logs in to its own
    for school, admin in ((board.a, board.admin_a), (board.b, board.admin_b)):
        vault.use_scope(SchoolScope(school))
        with vault.session() as session:
            assert authenticate(session, "beheer", ADMIN_PASSWORD).id == admin.id


def test_settings_are_the_schools_own(vault, clock):
    board = two_schools(vault, clock)
    vault.use_scope(SchoolScope(board.a))
    with vault.session() as session:
        set_school_contact(session, board.admin_a,
                           SchoolContact(privacy_email="privacy@klimop.nl"), clock=clock)
    vault.use_scope(SchoolScope(board.b))
    with vault.session() as session:
        assert school_contact(session, board.admin_b).privacy_email == ""
        set_school_contact(session, board.admin_b,
                           SchoolContact(privacy_email="privacy@regenboog.nl"), clock=clock)
    vault.use_scope(SchoolScope(board.a))
    with vault.session() as session:
        assert school_contact(session, board.admin_a).privacy_email == "privacy@klimop.nl"
        # one key, one row per school, and the register's own id has no school
        keys = session.execute(select(Setting.school_id).where(
            Setting.key == "contact.privacy_email").execution_options()).scalars().all()
        assert keys == [board.a]


def test_without_a_school_nothing_is_written(vault, clock):
    """With two schools and no school chosen, a write has no school to go to: refused."""
    two_schools(vault, clock)
    vault.use_scope(None)
    with pytest.raises((RegisterError, StatementError), match="geen school gekozen"):
        with vault.session() as session:
            session.add(Pupil(first_name="Noor", last_name="Jansen", created_at=NOW))
            session.flush()


# --- one audit chain per school -----------------------------------------------------------

def test_each_school_keeps_its_own_chain_that_verifies(vault, clock):
    board = two_schools(vault, clock)
    for day in range(3):
        _enrol(vault, board.a, board.admin_a, f"A{day}", clock=fixed_clock(NOW + timedelta(day)))
        _enrol(vault, board.b, board.admin_b, f"B{day}", clock=fixed_clock(NOW + timedelta(day)))
    heads = {}
    for school in (board.a, board.b):
        vault.use_scope(SchoolScope(school))
        with vault.session() as session:
            report = verify_chain(session)
            assert report.ok, report.message
            heads[school] = chain_head(session)
            entries = session.execute(select(AuditEntry.seq, AuditEntry.school_id).where(
                AuditEntry.school_id == school).order_by(AuditEntry.seq)).all()
            # the chain counts from 1 without a gap: B's entries are not in A's count
            assert [seq for seq, _ in entries] == list(range(1, len(entries) + 1))
            assert heads[school].seq == len(entries)
    assert heads[board.a] != heads[board.b]
    # an entry of school A changed: A's chain is broken, B's still verifies
    _tamper_last_entry(vault, board.a)
    vault.use_scope(SchoolScope(board.a))
    with vault.session() as session:
        assert not verify_chain(session).ok
    vault.use_scope(SchoolScope(board.b))
    with vault.session() as session:
        assert verify_chain(session).ok


def _tamper_last_entry(vault, school: int) -> None:
    with tamper(vault) as outside:
        seq = outside.execute(text("SELECT max(seq) FROM audit_entry WHERE school_id = :s"),
                              {"s": school}).scalar()
        outside.execute(text("UPDATE audit_entry SET action = 'pupil.other' "
                             "WHERE school_id = :s AND seq = :q"), {"s": school, "q": seq})


def test_a_row_moved_to_another_school_shows_in_that_schools_verify(vault, clock):
    board = two_schools(vault, clock)
    _enrol(vault, board.a, board.admin_a, "Noor")
    pupil_b = _enrol(vault, board.b, board.admin_b, "Daan")
    with tamper(vault) as outside:
        outside.execute(text("UPDATE pupil SET school_id = :a WHERE id = :p"),
                        {"a": board.a, "p": pupil_b})
    vault.use_scope(SchoolScope(board.a))
    with vault.session() as session:
        report = verify_chain(session)
    assert not report.ok and f"Leerling {pupil_b} is toegevoegd buiten" in report.message


class _FixedSalt(PasswordHasher):
    """argon2 with one salt: a user's stored hash, and so the digest of its row, is the same
    on both engines (a real salt is random, and the digest covers it)."""

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        return super().hash(password, salt=b"zelfde-zout-16b.")


def test_the_same_history_gives_the_same_head_in_a_file_and_on_a_server(
        file_vault, server_vault, monkeypatch):
    """A second school and the same steps at the same times on both engines: its chain ends
    in the same head (record ids, times, digests and hashes alike), and verifies."""
    import db.users

    monkeypatch.setattr(db.users, "_hasher", _FixedSalt(time_cost=1, memory_cost=8,
                                                        parallelism=1))
    heads = []
    for vault in (file_vault, server_vault):
        owner = _owner(vault)
        try:
            with owner.session() as session:
                admin_b = add_school(session, SECOND, clock=fixed_clock(NOW))
        finally:
            if owner is not vault:
                owner.close()
        for day in range(3):
            _enrol(vault, admin_b.school_id, admin_b, f"B{day}",
                   clock=fixed_clock(NOW + timedelta(days=day)))
        vault.use_scope(SchoolScope(admin_b.school_id))
        with vault.session() as session:
            assert verify_chain(session).ok
            heads.append((admin_b.school_id, str(chain_head(session))))
    assert heads[0] == heads[1]
    assert int(heads[0][1].partition(":")[0]) > 30  # the defaults, the user, three pupils


# --- the board ------------------------------------------------------------------------------

def test_board_roles_read_and_write_nothing_of_a_school():
    from db.permissions import ROLE_PERMISSIONS, WRITES

    assert BOARD_ROLES == {Role.FG, Role.BESTUUR}
    for role in BOARD_ROLES:
        user = User(username="x", role=role, active=True)
        assert may(user, Permission.READ_REGISTER) and may(user, Permission.READ_AUDIT)
        assert not any(may(user, permission) for permission in WRITES)
        assert not ROLE_PERMISSIONS[role] & WRITES


def _make_board_user(vault, clock) -> User:
    owner = _owner(vault)
    try:
        with owner.session() as session:
            return create_board_user(session, "bestuur", ADMIN_PASSWORD, Role.BESTUUR,
                                     display_name="Bestuurder", clock=clock)
    finally:
        if owner is not vault:
            owner.close()


def test_a_board_user_reads_both_schools_and_changes_neither(vault, clock):
    board = two_schools(vault, clock)
    _enrol(vault, board.a, board.admin_a, "Noor")
    _enrol(vault, board.b, board.admin_b, "Daan")
    made = _make_board_user(vault, clock)
    assert made.school_id is None
    # the board account logs in at a school's workstation
    vault.use_scope(SchoolScope(board.a))
    with vault.session() as session:
        user = authenticate(session, "bestuur", ADMIN_PASSWORD, clock=clock)
    assert user.id == made.id and scope_for(user) == SchoolScope(None, board=True)
    vault.use_scope(scope_for(user))
    with vault.session() as session:
        names = sorted(row.first_name for row in pupil_rows(session, user))
        assert names == ["Daan", "Noor"]
        reports = verify_all_chains(session)
        assert set(reports) == {board.a, board.b} and all(r.ok for r in reports.values())
        with pytest.raises(PermissionDenied):
            enrol_pupil(session, user, _pupil("Sem"), clock=clock)
    # looking at one school: only that school's rows
    vault.use_scope(scope_for(user, board.b))
    with vault.session() as session:
        assert [row.first_name for row in pupil_rows(session, user)] == ["Daan"]
    # a board session has no school to write to, whatever db/ is asked
    vault.use_scope(scope_for(user, board.b))
    with pytest.raises((RegisterError, StatementError)):
        with vault.session() as session:
            session.add(Pupil(first_name="Sem", last_name="Jansen", created_at=NOW))
            session.flush()


# --- the engine keeps the schools apart (server, as the application role) -------------------

def _as_app(vault, *, school: int | None = None, board: bool = False):
    """A transaction of the program's own database role, past db/: the settings as given."""
    connection = vault.engine.connect()
    transaction = connection.begin()
    connection.execute(text("SELECT set_config('privacyregister.school', :s, true), "
                            "set_config('privacyregister.board', :b, true)"),
                       {"s": "" if school is None else str(school), "b": "on" if board else ""})
    return connection, transaction


def test_the_engine_keeps_school_b_from_a_session_of_school_a(server_vault, clock):
    board = two_schools(server_vault, clock)
    vault = server_vault
    pupil_b = _enrol(vault, board.b, board.admin_b, "Daan")
    _enrol(vault, board.a, board.admin_a, "Noor")
    connection, transaction = _as_app(vault, school=board.a)
    try:
        rows = connection.execute(text("SELECT first_name, school_id FROM pupil")).all()
        assert [tuple(row) for row in rows] == [("Noor", board.a)]
        for table in ("pupil", "audit_entry", "app_user", "consent_purpose", "setting"):
            assert connection.execute(text(f"SELECT count(*) FROM {table} "  # noqa: S608
                                           "WHERE school_id = :b"), {"b": board.b}).scalar() == 0
        assert connection.execute(text("UPDATE pupil SET notes = 'x' WHERE id = :p"),
                                  {"p": pupil_b}).rowcount == 0
        assert connection.execute(text("DELETE FROM pupil_guardian WHERE school_id = :b"),
                                  {"b": board.b}).rowcount == 0
        assert connection.execute(text("DELETE FROM pupil WHERE school_id = :b"),
                                  {"b": board.b}).rowcount == 0
        # moving one's own row to school B is refused too (WITH CHECK)
        with pytest.raises(ProgrammingError, match="row-level security"):
            with connection.begin_nested():
                connection.execute(text("UPDATE pupil SET school_id = :b"), {"b": board.b})
        with pytest.raises(ProgrammingError, match="row-level security"):
            connection.execute(text(
                "INSERT INTO pupil (school_id, first_name, given_names, prefix, last_name, "
                "group_name, notes, legacy_duplicate, created_at) VALUES (:b, 'X', '', '', "
                "'Y', '', '', 0, now())"), {"b": board.b})
    finally:
        transaction.rollback()
        connection.close()
    owner = reopen(vault, as_owner=True)
    try:
        with owner.engine.connect() as check:
            assert check.execute(text("SELECT notes FROM pupil WHERE id = :p"),
                                 {"p": pupil_b}).scalar() == ""
    finally:
        owner.close()


def test_without_the_setting_the_application_role_sees_nothing(server_vault, clock):
    board = two_schools(server_vault, clock)
    vault = server_vault
    _enrol(vault, board.a, board.admin_a, "Noor")
    connection, transaction = _as_app(vault)
    try:
        for table in ("pupil", "guardian", "consent_purpose", "audit_entry", "breach",
                      "retention_rule", "processing_activity"):
            assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0  # noqa: S608
        # school users are invisible; only board accounts and the register's id can be read
        assert connection.execute(text(
            "SELECT count(*) FROM app_user WHERE school_id IS NOT NULL")).scalar() == 0
        assert connection.execute(text(
            "SELECT key FROM setting")).scalars().all() == ["database_id"]
    finally:
        transaction.rollback()
        connection.close()


def test_the_board_setting_reads_every_school_and_writes_none(server_vault, clock):
    board = two_schools(server_vault, clock)
    vault = server_vault
    _enrol(vault, board.a, board.admin_a, "Noor")
    pupil_b = _enrol(vault, board.b, board.admin_b, "Daan")
    connection, transaction = _as_app(vault, board=True)
    try:
        assert connection.execute(text(
            "SELECT count(DISTINCT school_id) FROM pupil")).scalar() == 2
        assert connection.execute(text("UPDATE pupil SET notes = 'x'")).rowcount == 0
        assert connection.execute(text("DELETE FROM pupil WHERE id = :p"),
                                  {"p": pupil_b}).rowcount == 0
        with pytest.raises(ProgrammingError, match="row-level security"):
            connection.execute(text(
                "INSERT INTO pupil (school_id, first_name, given_names, prefix, last_name, "
                "group_name, notes, legacy_duplicate, created_at) VALUES (:b, 'X', '', '', "
                "'Y', '', '', 0, now())"), {"b": board.b})
    finally:
        transaction.rollback()
        connection.close()


def test_the_owner_is_not_held_by_the_policies(server_vault, clock):
    board = two_schools(server_vault, clock)
    _enrol(server_vault, board.a, board.admin_a, "Noor")
    _enrol(server_vault, board.b, board.admin_b, "Daan")
    owner = reopen(server_vault, as_owner=True)
    try:
        with owner.engine.connect() as connection:
            assert connection.execute(select(func.count()).select_from(Pupil)).scalar() == 2
    finally:
        owner.close()


def test_the_application_role_sets_up_an_empty_register_but_adds_no_second_school(
        new_server_register, clock):
    from db.register import set_up_register

    register = new_server_register("leeg", clock)
    try:
        with register.session() as session:  # the first-run set-up, as the program's role
            set_up_register(session, NewSchool("OBS De Klimop", "12AB", "beheer",
                                               ADMIN_PASSWORD), clock=clock)
        with pytest.raises(ProgrammingError, match="row-level security"):
            with register.session() as session:
                add_school(session, SECOND, clock=clock)
    finally:
        register.close()


def test_the_cli_verifies_the_chain_of_the_school_it_is_given(file_vault, clock, capsys):
    from desktop import cli

    board = two_schools(file_vault, clock)
    _enrol(file_vault, board.b, board.admin_b, "Daan")
    file_vault.use_scope(SchoolScope(board.b))
    with file_vault.session() as session:
        length = chain_head(session).seq
    file_vault.close(backup=False)
    where = ["--database", str(file_vault.path)]
    assert cli.main([*where, "--school", "34cd", "verify"]) == 0
    assert f"Auditketen in orde ({length} regels)." in capsys.readouterr().out
    assert cli.main([*where, "verify"]) != 0
    assert "meer dan één school" in capsys.readouterr().err
    assert cli.main([*where, "--school", "99ZZ", "verify"]) == 2
    assert "99ZZ staat niet in dit register" in capsys.readouterr().err


def test_a_connection_without_a_session_gets_its_school_from_scope_connection(server_vault,
                                                                              clock):
    from db.tenancy import scope_connection

    board = two_schools(server_vault, clock)
    _enrol(server_vault, board.b, board.admin_b, "Daan")
    with server_vault.engine.begin() as connection:
        assert connection.execute(text("SELECT count(*) FROM pupil")).scalar() == 0
        scope_connection(connection, SchoolScope(board.b))
        assert connection.execute(text("SELECT first_name FROM pupil")).scalars().all() == [
            "Daan"]
