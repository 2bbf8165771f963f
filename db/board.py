"""Het bestuur: every school of the board side by side, and the board's breach register.

The school board (bevoegd gezag) is the controller of its schools' registers; the board and
its FG read every school and change none (db.permissions.BOARD_ROLES, READ_BOARD). These use
cases read what the session may read: give them a board session (db.tenancy.use_board, or a
register whose scope is scope_for(a board user)) and they show every school of the register;
a session of one school (a board user looking at one school, or a file, which holds one)
shows that school alone.

The overview is counted by the database: one GROUP BY school_id per table, never one school
after another. Its rules are the school's own, each written once in Python and once as an
SQL clause beside it, derived from the same constants, and held together by
tests/db/test_board.py: the 72 hours (db.breaches.deadline_clauses, for breach_level of
db.overview), the answer term (db.requests.due_clause, for request_level) and the processing
agreements (db.suppliers.agreement_clauses, for SupplierRow.agreement_state).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from db.audit import audit, chain_head
from db.breaches import BreachRow, MeasureRow, breach_period, deadline_clauses
from db.errors import PermissionDenied, RegisterError
from db.overview import REQUEST_SOON_DAYS, Level
from db.permissions import Actor, Permission, require
from db.requests import CLOSED, due_clause
from db.schema import Breach, BreachMeasure, BreachStatus, DataRequest, School, Supplier
from db.suppliers import agreement_clauses
from db.tenancy import SchoolScope, apply_scope, session_school, session_scope


@dataclass(frozen=True)
class SchoolLine:
    """One school of the board on one day: what is open and what is overdue."""

    school_id: int
    name: str
    brin: str
    open_breaches: int = 0       # datalekken not signed off
    breaches_late: int = 0       # of which the 72 hours passed without a notification
    breaches_soon: int = 0       # of which less than 24 hours are left to notify
    open_requests: int = 0       # verzoeken not answered or withdrawn
    requests_late: int = 0       # of which past their term to answer
    requests_soon: int = 0       # of which due within REQUEST_SOON_DAYS (not yet past)
    agreements_expired: int = 0  # verwerkersovereenkomsten that ended
    agreements_missing: int = 0  # suppliers without a signed agreement
    agreements_expiring: int = 0  # ending within db.suppliers.EXPIRY_WARNING

    @property
    def breach_level(self) -> Level | None:
        """As the school's overview: LATE when a 72-hour term passed, SOON when one ends
        within 24 hours, OPEN while breaches are open."""
        return (Level.LATE if self.breaches_late else Level.SOON if self.breaches_soon
                else Level.OPEN if self.open_breaches else None)

    @property
    def request_level(self) -> Level | None:
        return (Level.LATE if self.requests_late else Level.SOON if self.requests_soon
                else Level.OPEN if self.open_requests else None)

    @property
    def agreement_level(self) -> Level | None:
        """As the school's overview (the suppliers' line): SOON when an agreement expired or
        is missing, OPEN when one ends within three months."""
        if self.agreements_expired or self.agreements_missing:
            return Level.SOON
        return Level.OPEN if self.agreements_expiring else None

    @property
    def level(self) -> Level | None:
        """The most urgent of the three; None when nothing needs attention."""
        levels = [level for level in (self.breach_level, self.request_level,
                                      self.agreement_level) if level is not None]
        order = (Level.LATE, Level.SOON, Level.OPEN)
        return min(levels, key=order.index) if levels else None


def _schools_in_view(session: Session, actor: Actor) -> list[tuple[int, str, str]]:
    """(id, name, BRIN) of the schools this session reads: every school for a board session,
    else the session's own school (a file's one school). A board session is for a board
    account (no school of its own) or the system: an fg or bestuur account that a school
    made stays within that school (db.tenancy.scope_for), whatever session it is given."""
    scope = session_scope(session)
    if scope is not None and scope.board and getattr(actor, "school_id", None) is not None:
        raise PermissionDenied("Met een account van een school ziet u alleen die school, niet "
                               "alle scholen van het bestuur. Vraag het bestuur om een "
                               "bestuursaccount.")
    query = select(School.id, School.name, School.brin).order_by(School.name, School.id)
    if scope is None or not scope.board or scope.school_id is not None:
        school_id = session_school(session)
        if school_id is None:
            raise RegisterError("Er is geen school gekozen, en dit is geen sessie van het "
                                "bestuur: er is niets om te tonen. Meld u aan als bestuur of "
                                "FG, of kies een school.")
        query = query.where(School.id == school_id)
    return [tuple(row) for row in session.execute(query)]


def _counted(session: Session, table: type, columns: dict[str, object]) -> dict[int, dict]:
    """{school_id: {name: count}}: one query, grouped by school in the database."""
    query = (select(table.school_id, *(func.count(case((clause, 1))).label(name)
                                       for name, clause in columns.items()))
             .group_by(table.school_id))
    return {row.school_id: {name: getattr(row, name) for name in columns}
            for row in session.execute(query)}


def board_overview(session: Session, actor: Actor, *, now: datetime,
                   today: date) -> list[SchoolLine]:
    """Every school of the board in view (see the module docstring), by name, with its open
    and overdue breaches, requests past their term and expired processing agreements.
    Counts only: no personal data is read, so nothing is audited."""
    require(actor, Permission.READ_BOARD)
    schools = _schools_in_view(session, actor)
    open_breach = Breach.status != BreachStatus.CLOSED
    deadlines = deadline_clauses(now)
    counts: dict[int, dict] = defaultdict(dict)
    for found in (
        _counted(session, Breach, {
            "open_breaches": open_breach,
            "breaches_late": open_breach & deadlines.late,
            "breaches_soon": open_breach & deadlines.soon}),
        _counted(session, DataRequest, {
            "open_requests": DataRequest.status.not_in(CLOSED),
            "requests_late": due_clause(today - timedelta(days=1)),
            "requests_due": due_clause(today + timedelta(days=REQUEST_SOON_DAYS))}),
        _counted(session, Supplier, {
            f"agreements_{name}": clause for name, clause in (
                (state.name.lower(), clause)
                for state, clause in agreement_clauses(today).items())}),
    ):
        for school_id, values in found.items():
            counts[school_id].update(values)
    lines = []
    for school_id, name, brin in schools:
        values = counts.get(school_id, {})
        due = values.pop("requests_due", 0)
        values["requests_soon"] = due - values.get("requests_late", 0)
        lines.append(SchoolLine(school_id, name, brin, **values))
    return lines


# --- the board's breach register (AVG art. 33(5), for the controller) -----------------------

@dataclass(frozen=True)
class BoardBreachRow:
    """One breach in the board's register: the register's row and what the board asks
    beside it (what kind of breach, whether the people were informed, the measures)."""

    breach: BreachRow
    nature: str                    # comma-separated codes (db.breaches.NATURES)
    subjects_informed: bool | None
    informed_at: datetime | None
    measures: tuple[MeasureRow, ...]


@dataclass(frozen=True)
class SchoolBreaches:
    school_id: int
    name: str
    brin: str
    rows: list[BoardBreachRow]     # oldest first
    chain_head: str                # the school's audit chain when the register was gathered


@dataclass(frozen=True)
class BoardBreachRegister:
    """Every breach of every school in view discovered in a period (school days)."""

    schools: list[SchoolBreaches]  # by name; a school without breaches is listed too
    period: tuple[date, date]
    now: datetime

    @property
    def count(self) -> int:
        return sum(len(school.rows) for school in self.schools)


def gather_board_breach_register(session: Session, actor: Actor, first_day: date,
                                 last_day: date, now: datetime) -> BoardBreachRegister:
    """The board's register of breaches from `first_day` up to and including `last_day`
    (Amsterdam days): three queries for all schools. The print leaves the program: it is
    audited in the chain of every school it shows."""
    require(actor, Permission.READ_BOARD)
    start, end = breach_period(first_day, last_day)
    schools = _schools_in_view(session, actor)
    in_period = (Breach.discovered_at >= start) & (Breach.discovered_at < end)
    columns = [getattr(Breach, name) for name in BreachRow._fields]
    query = (select(Breach.school_id, *columns, Breach.nature, Breach.subjects_informed,
                    Breach.informed_at)
             .where(in_period).order_by(Breach.discovered_at, Breach.id))
    measures: dict[int, list[MeasureRow]] = defaultdict(list)
    for row in session.execute(
            select(BreachMeasure.breach_id, *(getattr(BreachMeasure, name)
                                              for name in MeasureRow._fields))
            .where(BreachMeasure.breach_id.in_(select(Breach.id).where(in_period)))
            .order_by(BreachMeasure.kind, BreachMeasure.id)):
        measures[row[0]].append(MeasureRow(*row[1:]))
    rows: dict[int, list[BoardBreachRow]] = defaultdict(list)
    width = len(BreachRow._fields)
    for row in session.execute(query):
        breach = BreachRow(*row[1:1 + width])
        nature, informed, informed_at = row[1 + width:]
        rows[row[0]].append(BoardBreachRow(breach, nature or "", informed, informed_at,
                                           tuple(measures.get(breach.id, ()))))
    gathered = [SchoolBreaches(school_id, name, brin, rows.get(school_id, []),
                               str(chain_head(session, school_id) or "leeg"))
                for school_id, name, brin in schools]
    _audit_each(session, actor, [school.school_id for school in gathered],
                f"{first_day.isoformat()}/{last_day.isoformat()}", now)
    return BoardBreachRegister(gathered, (first_day, last_day), now)


def _audit_each(session: Session, actor: Actor, school_ids: list[int], period: str,
                now: datetime) -> None:
    """The print, in the chain of each school it shows: the session looks at each school
    in turn as the board (db.tenancy: a board session's entries go into the chain of the
    school it looks at), and is given its own scope back afterwards."""
    scope = session_scope(session)
    try:
        for school_id in school_ids:
            apply_scope(session, SchoolScope(school_id, board=True))
            audit(session, actor, "breach.board_register_print", table_name="breach",
                  record_id=period, clock=lambda: now)
    finally:
        apply_scope(session, scope)


__all__ = ["BoardBreachRegister", "BoardBreachRow", "SchoolBreaches",
           "SchoolLine", "board_overview", "gather_board_breach_register"]
