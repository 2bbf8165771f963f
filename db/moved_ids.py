"""The ids a school's records had in its file, for the audit entries written there.

A school copied into a board's database as a new school (db.migrate_to) gets new ids for its
rows; its audit entries are copied as stored (their hash covers the user id and record id),
so an entry from before the move names a user and a record by their id IN THE FILE. Read as
today's ids they would name the wrong person: another user, another pupil.

The move leaves, as settings of the new school, the last seq of the copied chain
(`moved.last_seq`) and for the tables whose records the audit log shows by name the old id →
new id (`moved.ids.<table>`, JSON). `MovedIds` turns them around: the audit log viewer and
the access export (who read this pupil's record) read the entries up to that seq with the
old ids, and the entries after it with today's.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Connection, and_, insert, or_, select
from sqlalchemy.orm import Session

from db.schema import AuditEntry, Setting
from db.tenancy import session_school

LAST_SEQ = "moved.last_seq"
IDS = "moved.ids."
# the tables whose records the audit log names (db.audit_log), and school and user
KEPT = ("school", "app_user", "pupil", "guardian", "breach", "supplier", "exchange",
        "data_request")


def record_moved_ids(connection: Connection, school_id: int, last_seq: int,
                     new_ids: Mapping[str, Mapping[int, int]]) -> None:
    """Keep, as settings of `school_id`, the last seq of its copied chain and the old → new
    ids of the KEPT tables (db.migrate_to, as the database's owner)."""
    table = Setting.__table__
    rows = [{"school_id": school_id, "key": LAST_SEQ, "value": str(last_seq)}]
    rows += [{"school_id": school_id, "key": IDS + name,
              "value": json.dumps({str(old): new for old, new in new_ids[name].items()},
                                  separators=(",", ":"))}
             for name in KEPT if new_ids.get(name)]
    connection.execute(insert(table), rows)


@dataclass(frozen=True)
class MovedIds:
    """A moved school's old ids, for its entries up to `last_seq`."""

    last_seq: int
    new: dict[str, dict[str, str]] = field(default_factory=dict)  # table → old → new
    old: dict[str, dict[str, str]] = field(default_factory=dict)  # table → new → old

    def current_id(self, seq: int, table_name: str, record_id: str) -> str:
        """The record's id today, for an entry's record id ('' when it is not known)."""
        if seq > self.last_seq:
            return record_id
        return self.new.get(table_name, {}).get(record_id, "")

    def current_user(self, seq: int, user_id: int | None) -> int | None:
        if user_id is None or seq > self.last_seq:
            return user_id
        found = self.new.get("app_user", {}).get(str(user_id))
        return int(found) if found is not None else None

    def entries_of(self, table_name: str, column: ColumnElement, current: str,
                   ) -> ColumnElement[bool]:
        """The entries whose `column` (record id or user id) names the record `current`
        (today's id): after the move by that id, before it by its id in the file."""
        after = and_(AuditEntry.seq > self.last_seq, column == _like(column, current))
        before_id = self.old.get(table_name, {}).get(current)
        if before_id is None:
            return after
        return or_(after, and_(AuditEntry.seq <= self.last_seq,
                               column == _like(column, before_id)))


def _like(column: ColumnElement, value: str) -> object:
    return int(value) if column.key == "user_id" else value


def moved_ids(session: Session) -> MovedIds | None:
    """The session's school's old ids, None when it was not moved in (or no school)."""
    school_id = session_school(session)
    if school_id is None:
        return None
    values = dict(session.execute(select(Setting.key, Setting.value).where(
        Setting.school_id == school_id,
        or_(Setting.key == LAST_SEQ, Setting.key.like(IDS + "%")))).all())
    if LAST_SEQ not in values:
        return None
    new = {key[len(IDS):]: {old: str(now) for old, now in json.loads(value).items()}
           for key, value in values.items() if key.startswith(IDS)}
    old = {name: {now: before for before, now in ids.items()} for name, ids in new.items()}
    return MovedIds(int(values[LAST_SEQ]), new, old)


def entries_naming(session: Session, table_name: str, column: ColumnElement,
                   current: str) -> ColumnElement[bool]:
    """The WHERE of the entries that name `current` (a record id of `table_name`, or a user
    id with table 'app_user' and column AuditEntry.user_id) in this session's school."""
    moved = moved_ids(session)
    if moved is None:
        return column == _like(column, current)
    return moved.entries_of(table_name, column, current)
