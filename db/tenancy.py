"""Which school a session works for: one mechanism for every row written and read.

A register on a PostgreSQL server holds the schools of a board; a file holds one. Every row
of a school-owned table carries `school_id` (db.schema.SchoolOwned, revision 0009). Which
school that is comes from the session, never from the caller of a use case:

- A register (Vault, ServerRegister) has a `scope` (`SchoolScope`): set with
  `register.use_scope(...)` when a user logs in (`scope_for(user)`) or a school is chosen.
  Every session it hands out carries it (`session.info`, see `apply_scope`); a session can
  also be given one directly (`use_school`, `use_board`).
- When a transaction begins, the school goes onto the connection (`CONNECTION_SCHOOL` in its
  `info`): the default of every `school_id` column reads it there, so the ORM, Core inserts
  and db.bulk write the session's school without naming it. On PostgreSQL the same moment
  sets the two settings the row-level security policies of revision 0009 read,
  `privacyregister.school` and `privacyregister.board`, local to the transaction (a pooled
  connection carries nothing over).
- ORM queries of a session with a school are limited to that school's rows
  (with_loader_criteria), on both engines: on the server the engine does it too.
- A session without a scope works for the register's one school (a file, or a server with
  one school): nothing changes where there is one school. With several schools and no
  scope, no school is chosen: on the server nothing is visible, and writing is refused.

A board session (`use_board`; roles fg and bestuur, db.permissions.BOARD_ROLES) reads every
school and writes nothing of a school's records: on the server its policies allow SELECT and
adding audit entries only. It may look at one school (`school_id`): its queries are then
limited to that school and its audit entries go into that school's chain.

The settings are the program's own statement of whom it works for: whoever holds the
application role's password can set them. What the engine guarantees is that no query of the
program, however it is written, reaches another school's rows than the session's.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, event, or_, select
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from db.schema import CONNECTION_SCHOOL, School, SchoolOwned, Setting, User

SCHOOL_SETTING = "privacyregister.school"
BOARD_SETTING = "privacyregister.board"
_SCOPE = "privacyregister.scope"          # in Session.info
_ONE_SCHOOL = "privacyregister.one_school"  # in a connection's info: the resolved default


@dataclass(frozen=True)
class SchoolScope:
    """The school a session works for (`school_id`), and whether it is a board session."""

    school_id: int | None
    board: bool = False


def scope_for(user: object, school_id: int | None = None) -> SchoolScope:
    """The scope of a logged-in user: their school. A board account (role fg or bestuur
    without a school, made by the register's owner: db.users.create_board_user) reads every
    school, looking at `school_id` when given. An fg or bestuur account that a school made
    itself stays within that school (read-only by its role): a school's beheerder cannot
    open the other schools to anyone."""
    from db.permissions import is_board

    own = getattr(user, "school_id", None)
    if is_board(user) and own is None:
        return SchoolScope(school_id, board=True)
    return SchoolScope(own)


def apply_scope(session: Session, scope: SchoolScope | None) -> None:
    """Give a session its scope (None: the register's one school). In a transaction that
    has begun, it takes effect at once (the connection's school and the server settings)."""
    if scope is None:
        session.info.pop(_SCOPE, None)
    else:
        session.info[_SCOPE] = scope
    if session.in_transaction():
        scope_connection(session.connection(), scope)


def use_school(session: Session, school_id: int) -> None:
    """This session works for one school (reads and writes that school's rows)."""
    apply_scope(session, SchoolScope(school_id))


def use_board(session: Session, school_id: int | None = None) -> None:
    """This session reads every school (or looks at `school_id`) and writes nothing."""
    apply_scope(session, SchoolScope(school_id, board=True))


def session_scope(session: Session) -> SchoolScope | None:
    return session.info.get(_SCOPE)


def session_school(session: Session) -> int | None:
    """The school this session writes for: its scope's, else the register's one school."""
    scope = session_scope(session)
    if scope is not None and scope.school_id is not None:
        return scope.school_id
    if scope is not None and scope.board:
        return None
    return connection_school(session.connection())


def connection_school(connection: Connection) -> int | None:
    """The school of the transaction on this connection (see the module docstring); without
    one, the register's one school (None when it has none or several)."""
    school_id = connection.info.get(CONNECTION_SCHOOL)
    return school_id if school_id is not None else _one_school(connection)


def _one_school(connection: Connection) -> int | None:
    cached = connection.info.get(_ONE_SCHOOL)
    if cached is not None:
        return cached
    ids = connection.execute(select(School.id).order_by(School.id).limit(2)).scalars().all()
    if len(ids) != 1:
        return None
    if connection.dialect.name == "sqlite":  # a file holds one school; a server may get more
        connection.info[_ONE_SCHOOL] = ids[0]
    return ids[0]


def forget_one_school(connection: Connection) -> None:
    """After a second school is added on this connection: no school is the default any more."""
    connection.info.pop(_ONE_SCHOOL, None)


def scope_connection(connection: Connection, scope: SchoolScope | None) -> None:
    """Give the transaction on a connection this scope (None: the register's one school):
    its school for the defaults of school_id and, on PostgreSQL, the settings the row-level
    security policies read. Sessions get it when they begin; a connection used without a
    session (a second connection for a check) must get it here, inside its transaction, or
    on the server it sees nothing."""
    if scope is None:
        school_id, board = _one_school(connection), False
    else:
        school_id, board = scope.school_id, scope.board
    # where rows are written (a board session writes only its audit entries, which name
    # their school themselves)
    connection.info[CONNECTION_SCHOOL] = None if board else school_id
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(
            "SELECT set_config(%(school)s, %(value)s, true), set_config(%(board)s, %(on)s, true)",
            {"school": SCHOOL_SETTING, "value": "" if board or school_id is None
             else str(school_id), "board": BOARD_SETTING, "on": "on" if board else ""})


@event.listens_for(Session, "after_begin")
def _after_begin(session: Session, transaction, connection: Connection) -> None:  # noqa: ANN001
    scope_connection(connection, session.info.get(_SCOPE))


@event.listens_for(Session, "do_orm_execute")
def _only_the_school(state: ORMExecuteState) -> None:
    scope = state.session.info.get(_SCOPE)
    if scope is None or scope.school_id is None:
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.is_column_load or state.is_relationship_load:
        return  # the rows they load came through a limited query already
    school_id = scope.school_id
    state.statement = state.statement.options(
        with_loader_criteria(SchoolOwned, lambda cls: cls.school_id == school_id,
                             include_aliases=True),
        with_loader_criteria(User, or_(User.school_id == school_id, User.school_id.is_(None)),
                             include_aliases=True),
        with_loader_criteria(Setting, or_(Setting.school_id == school_id,
                                          Setting.school_id.is_(None)),
                             include_aliases=True),
        with_loader_criteria(School, School.id == school_id, include_aliases=True))
