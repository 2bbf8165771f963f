"""The board's overview and breach register (issue 15, point 2): every school of the register
counted by the database with the school's own rules, read by a board session; a file (one
school) shows its one school."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from db.audit import verify_all_chains
from db.board import board_overview, gather_board_breach_register
from db.breaches import (
    BreachInput,
    add_measure,
    assess,
    breach_rows,
    deadline_clauses,
    record_informing,
    record_notification,
    register_breach,
    sign_off,
)
from db.clock import SCHOOL_TZ, fixed_clock
from db.errors import PermissionDenied, RegisterError
from db.overview import Level, breach_level, request_level
from db.permissions import SYSTEM
from db.requests import (
    MAX_EXTENSION_MONTHS,
    RequestInput,
    RequestRow,
    answer_deadline,
    extend,
    last_received_on,
    register_request,
    request_rows,
)
from db.schema import AuditEntry, Breach, RequestKind, Risk, Role, Supplier, User
from db.suppliers import AgreementState, SupplierInput, agreement_clauses, save_supplier
from db.tenancy import SchoolScope, scope_for, use_board
from db.users import create_user
from tests.conftest import ADMIN_PASSWORD, NOW
from tests.db.test_schools import _make_board_user, two_schools

TODAY = date(2026, 11, 24)  # NOW in Amsterdam


def _breach(session, actor, discovered_at: datetime, text: str = "Lijst verkeerd gemaild"):
    return register_breach(session, actor, BreachInput(
        discovered_at=discovered_at, description=text, nature=("sent",)),
        clock=fixed_clock(NOW)).id


def _request(session, actor, received_on: date) -> int:
    return register_request(session, actor, RequestInput(
        RequestKind.ACCESS, received_on, None, None), clock=fixed_clock(NOW)).id


def _supplier(session, actor, name: str, signed_on: date | None, ends_on: date | None) -> None:
    save_supplier(session, actor, SupplierInput(name=name, signed_on=signed_on,
                                                ends_on=ends_on), clock=fixed_clock(NOW))


def _beheer(session) -> User:
    return session.scalar(select(User).where(User.username == "beheer"))


def _board(vault, clock):
    """Two schools with something of everything, and a board user."""
    board = two_schools(vault, clock)
    vault.use_scope(SchoolScope(board.a))
    with vault.session() as session:
        late = _breach(session, board.admin_a, NOW - timedelta(hours=80))   # 72 h passed
        _breach(session, board.admin_a, NOW - timedelta(hours=50))          # < 24 h left
        notified = _breach(session, board.admin_a, NOW - timedelta(hours=100))
        assess(session, board.admin_a, notified, risk=Risk.RISK, reasons="namen en cijfers",
               notify_ap=True, notify_reason="risico", clock=clock)
        record_notification(session, board.admin_a, notified, notified_at=NOW - timedelta(
            hours=20), ap_reference="AP-1", late_reason="pas later bekend", clock=clock)
        _request(session, board.admin_a, date(2026, 9, 1))                 # past its term
        _request(session, board.admin_a, date(2026, 10, 28))               # due 28-11
        _supplier(session, board.admin_a, "Oud Leerlingvolgsysteem", date(2020, 1, 1),
                  date(2026, 7, 31))                                        # expired
    vault.use_scope(SchoolScope(board.b))
    with vault.session() as session:
        _breach(session, board.admin_b, NOW - timedelta(hours=2))          # plenty of time
        closed = _breach(session, board.admin_b, NOW - timedelta(hours=200))
        assess(session, board.admin_b, closed, risk=Risk.NONE, reasons="versleuteld",
               notify_ap=False, notify_reason="geen risico", clock=clock)
        record_informing(session, board.admin_b, closed, informed=False,
                         reason_not="geen risico", clock=clock)
        director = create_user(session, board.admin_b, "directie", ADMIN_PASSWORD,
                               Role.DIRECTIE, clock=clock)
        sign_off(session, director, closed, clock=clock)
        _request(session, board.admin_b, date(2026, 11, 20))               # due 20-12
        _supplier(session, board.admin_b, "Parro", date(2025, 8, 1), date(2027, 7, 31))
    user = _make_board_user(vault, clock)
    return board, user, late


def test_the_board_overview_counts_every_school_by_the_schools_own_rules(vault, clock):
    board, user, _ = _board(vault, clock)
    vault.use_scope(scope_for(user))
    with vault.session() as session:
        lines = board_overview(session, user, now=NOW, today=TODAY)
    by_name = {line.name: line for line in lines}
    assert [line.name for line in lines] == ["OBS De Klimop", "OBS De Regenboog"]
    a, b = by_name["OBS De Klimop"], by_name["OBS De Regenboog"]
    assert (a.school_id, a.brin, b.school_id, b.brin) == (board.a, "12AB", board.b, "34CD")
    assert (a.open_breaches, a.breaches_late, a.breaches_soon) == (3, 1, 1)
    assert (a.open_requests, a.requests_late, a.requests_soon) == (2, 1, 1)
    assert (a.agreements_expired, a.agreements_missing) == (1, 0)
    assert (b.open_breaches, b.breaches_late, b.breaches_soon) == (1, 0, 0)
    assert (b.open_requests, b.requests_late, b.requests_soon) == (1, 0, 0)
    assert (b.agreements_expired, b.agreements_missing, b.agreements_expiring) == (0, 0, 0)
    assert (a.level, a.breach_level, a.request_level, a.agreement_level) == (
        Level.LATE, Level.LATE, Level.LATE, Level.SOON)
    assert (b.level, b.breach_level, b.request_level) == (Level.OPEN, Level.OPEN, Level.OPEN)


def test_the_overview_says_what_the_schools_own_overview_says(vault, clock):
    """The same numbers as each school's own rules, read school by school in Python."""
    board, user, _ = _board(vault, clock)
    vault.use_scope(scope_for(user))
    with vault.session() as session:
        lines = {line.school_id: line for line in board_overview(session, user, now=NOW,
                                                                 today=TODAY)}
    for school, admin in ((board.a, board.admin_a), (board.b, board.admin_b)):
        vault.use_scope(SchoolScope(school))
        with vault.session() as session:
            breaches = [row for row in breach_rows(session, admin) if row.is_open]
            levels = [breach_level(row.deadline(NOW)) for row in breaches]
            requests = [request_level(row, TODAY) for row in request_rows(session, admin)]
        line = lines[school]
        assert line.open_breaches == len(breaches)
        assert line.breaches_late == levels.count(Level.LATE)
        assert line.breaches_soon == levels.count(Level.SOON)
        assert line.requests_late == requests.count(Level.LATE)
        assert line.requests_soon == requests.count(Level.SOON)
        assert line.open_requests == len([level for level in requests if level is not None])


def test_a_session_of_one_school_sees_that_school_alone(vault, clock):
    board, user, _ = _board(vault, clock)
    vault.use_scope(scope_for(user, board.b))  # the board user looking at school B
    with vault.session() as session:
        (line,) = board_overview(session, user, now=NOW, today=TODAY)
    assert (line.school_id, line.open_breaches) == (board.b, 1)


def test_a_file_shows_its_one_school(vault, clock):
    """A register with one school (the file, or a server of one school): that school."""
    with vault.session() as session:
        fg = create_user(session, _beheer(session), "fg", ADMIN_PASSWORD, Role.FG, clock=clock)
        _breach(session, SYSTEM, NOW - timedelta(hours=90))
        (line,) = board_overview(session, fg, now=NOW, today=TODAY)
        use_board(session)  # the system's board session: the same one school
        assert board_overview(session, SYSTEM, now=NOW, today=TODAY) == [line]
    assert (line.name, line.open_breaches, line.breaches_late) == ("OBS De Klimop", 1, 1)


def test_an_fg_account_of_a_school_sees_its_own_school_and_never_all(vault, clock):
    """An fg (or bestuur) account that a school made stays in that school: its own scope shows
    that school; a board session is refused for it, even where one is handed to it."""
    board = two_schools(vault, clock)
    vault.use_scope(SchoolScope(board.a))
    with vault.session() as session:
        fg = create_user(session, board.admin_a, "fg", ADMIN_PASSWORD, Role.FG, clock=clock)
    assert scope_for(fg) == SchoolScope(board.a)
    vault.use_scope(scope_for(fg))
    with vault.session() as session:
        assert [line.school_id for line in board_overview(session, fg, now=NOW,
                                                          today=TODAY)] == [board.a]
        use_board(session)
        with pytest.raises(PermissionDenied, match="alleen die school"):
            board_overview(session, fg, now=NOW, today=TODAY)
        with pytest.raises(PermissionDenied, match="alleen die school"):
            gather_board_breach_register(session, fg, date(2026, 1, 1), TODAY, NOW)


def test_only_board_roles_read_the_overview(vault, clock):
    board = two_schools(vault, clock)
    vault.use_scope(SchoolScope(board.a))
    with vault.session() as session, pytest.raises(PermissionDenied, match="bestuur"):
        board_overview(session, board.admin_a, now=NOW, today=TODAY)


def test_without_a_school_or_the_board_nothing_is_shown(vault, clock):
    board = two_schools(vault, clock)
    user = _make_board_user(vault, clock)
    vault.use_scope(None)  # two schools, none chosen, no board session
    with vault.session() as session, pytest.raises(RegisterError, match="geen school gekozen"):
        board_overview(session, user, now=NOW, today=TODAY)
    assert board.a != board.b


# --- one rule, two forms: the SQL clauses say what the Python rules say ----------------------

EDGES = (timedelta(microseconds=1), timedelta(0), -timedelta(microseconds=1))


def test_the_72_hours_in_sql_are_the_72_hours_in_python(vault, clock):
    """Every breach at and around both edges (72 and 48 hours before now, to the microsecond),
    with each notify decision: the SQL clause that matches is the level breach_level gives."""
    now = NOW + timedelta(microseconds=123_456)
    made = []
    with vault.session() as session:
        for hours in (1, 48, 72, 100):
            for edge in EDGES:
                for notify_ap, notified in ((None, False), (True, False), (True, True),
                                            (False, False)):
                    discovered = now - timedelta(hours=hours) + edge
                    breach_id = _breach(session, SYSTEM, min(discovered, NOW))
                    breach = session.get(Breach, breach_id)
                    breach.discovered_at = discovered
                    breach.notify_ap = notify_ap
                    breach.notified_at = discovered + timedelta(hours=1) if notified else None
                    made.append(breach_id)
        session.flush()
        clauses = deadline_clauses(now.astimezone(SCHOOL_TZ))  # any zone: real hours
        in_sql = {level: set(session.scalars(select(Breach.id).where(clause)))
                  for level, clause in ((Level.LATE, clauses.late), (Level.SOON, clauses.soon),
                                        (Level.OPEN, clauses.open))}
        rows = {row.id: row for row in breach_rows(session, SYSTEM)}
    assert len(made) == 4 * 3 * 4
    for breach_id in made:
        expected = breach_level(rows[breach_id].deadline(now))
        found = [level for level, ids in in_sql.items() if breach_id in ids]
        assert found == ([expected] if expected is not None else []), breach_id
    assert all(in_sql.values())  # every level occurs


def test_the_answer_term_as_a_last_day_of_receipt_is_the_term_itself():
    """Every day of receipt around the month ends of two years, every extension, against
    every day it could be asked: due by `day` exactly when received on or before
    last_received_on(day)."""
    first = date(2027, 10, 1)
    days = [first + timedelta(days=n) for n in range(0, 200, 3)]
    received = [date(2027, 7, 1) + timedelta(days=n) for n in range(0, 250)]
    for months in range(MAX_EXTENSION_MONTHS + 1):
        for day in days:
            last = last_received_on(day, months)
            for on in received:
                assert (answer_deadline(on, months) <= day) == (on <= last), (on, months, day)
    # the overview's rule read through it: past the term the day after the deadline
    row = RequestRow(1, "access", date(2028, 1, 31), None, None, "open", 0, None)
    assert row.deadline == date(2028, 2, 29)
    assert not row.overdue(date(2028, 2, 29)) and row.overdue(date(2028, 3, 1))
    assert last_received_on(date(2028, 2, 28)) == date(2028, 1, 28)
    assert last_received_on(date(2028, 2, 29)) == date(2028, 1, 31)


def test_extended_and_closed_requests_count_as_the_school_counts_them(vault, clock):
    with vault.session() as session:
        extended = _request(session, SYSTEM, date(2026, 9, 10))  # 10-10, extended to 10-12
        extend(session, SYSTEM, extended, months=2, reason="veel stukken",
               told_on=date(2026, 9, 20), clock=clock)
        _request(session, SYSTEM, date(2026, 9, 10))  # past its term
        fg = create_user(session, _beheer(session), "fg", ADMIN_PASSWORD, Role.FG, clock=clock)
        (line,) = board_overview(session, fg, now=NOW, today=TODAY)
        levels = [request_level(row, TODAY) for row in request_rows(session, fg)]
    assert (line.open_requests, line.requests_late, line.requests_soon) == (2, 1, 0)
    assert sorted(levels) == sorted([Level.LATE, Level.OPEN])


def test_the_agreement_states_in_sql_are_the_states_in_python(vault, clock):
    cases = [(None, None), (date(2020, 1, 1), None), (date(2020, 1, 1), TODAY),
             (date(2020, 1, 1), TODAY - timedelta(days=1)),
             (date(2020, 1, 1), TODAY + timedelta(days=90)),
             (date(2020, 1, 1), TODAY + timedelta(days=91)), (None, date(2020, 1, 1))]
    with vault.session() as session:
        for number, (signed, ends) in enumerate(cases):
            _supplier(session, SYSTEM, f"Leverancier {number}", signed, ends)
        from db.suppliers import supplier_rows

        expected = {row.id: row.agreement_state(TODAY) for row in supplier_rows(session, SYSTEM)}
        for state, clause in agreement_clauses(TODAY).items():
            found = set(session.scalars(select(Supplier.id).where(clause)))
            assert found == {i for i, s in expected.items() if s is state}, state
    assert {AgreementState.MISSING, AgreementState.EXPIRED, AgreementState.EXPIRING,
            AgreementState.VALID} <= set(expected.values())


# --- the board's breach register ------------------------------------------------------------

def test_the_board_register_holds_every_breach_of_every_school_and_is_audited_in_each(
        vault, clock):
    board, user, late = _board(vault, clock)
    vault.use_scope(SchoolScope(board.a))
    with vault.session() as session:
        add_measure(session, board.admin_a, late, kind="corrective",
                    description="Mail teruggevraagd", clock=clock)
    vault.use_scope(scope_for(user))
    with vault.session() as session:
        register = gather_board_breach_register(session, user, date(2026, 11, 1), TODAY, NOW)
    assert [school.name for school in register.schools] == ["OBS De Klimop", "OBS De Regenboog"]
    a, b = register.schools
    assert len(a.rows) == 3 and len(b.rows) == 2 and register.count == 5
    assert [row.breach.discovered_at for row in a.rows] == sorted(
        row.breach.discovered_at for row in a.rows)  # oldest first
    first = next(row for row in a.rows if row.breach.id == late)
    assert first.nature == "sent" and [m.description for m in first.measures] == [
        "Mail teruggevraagd"]
    closed = next(row for row in b.rows if row.breach.status == "closed")
    assert closed.subjects_informed is False
    with vault.session() as session:
        for school in (board.a, board.b):
            entries = session.execute(select(AuditEntry.user_id, AuditEntry.record_id).where(
                AuditEntry.school_id == school,
                AuditEntry.action == "breach.board_register_print")).all()
            assert [tuple(entry) for entry in entries] == [(user.id, "2026-11-01/2026-11-24")]
        reports = verify_all_chains(session)
    assert all(report.ok for report in reports.values()), reports
    # a period that ends before it starts is refused
    with vault.session() as session, pytest.raises(Exception, match="eindigt vóór"):
        gather_board_breach_register(session, user, TODAY, date(2026, 1, 1), NOW)


def test_a_school_user_may_not_print_the_board_register(vault, clock):
    board = two_schools(vault, clock)
    vault.use_scope(SchoolScope(board.a))
    with vault.session() as session, pytest.raises(PermissionDenied):
        gather_board_breach_register(session, board.admin_a, date(2026, 1, 1), TODAY, NOW)


def test_a_board_user_logs_in_with_a_scope_that_reads_both(vault, clock):
    """The board account's password works at a school's workstation; its scope reads every
    school (the overview lists both)."""
    from db.users import authenticate

    board, _, _ = _board(vault, clock)
    vault.use_scope(SchoolScope(board.a))
    with vault.session() as session:
        user = authenticate(session, "bestuur", ADMIN_PASSWORD, clock=clock)
    vault.use_scope(scope_for(user))
    with vault.session() as session:
        assert len(board_overview(session, user, now=NOW, today=TODAY)) == 2
    assert NOW.tzinfo is UTC
