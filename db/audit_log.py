"""Reading the audit log (for the viewer and the inspection export): who did what, when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.audit import audit
from db.clock import Clock, school_days_to_utc, system_clock
from db.errors import ValidationError
from db.moved_ids import entries_naming, moved_ids
from db.permissions import Actor, Permission, may, require
from db.schema import (
    AuditEntry,
    Breach,
    DataRequest,
    Exchange,
    Guardian,
    Pupil,
    Supplier,
    User,
)

if TYPE_CHECKING:
    from db.audit import ChainHead
    from db.vault import Vault

DEFAULT_DAYS = 30  # the viewer opens on the last 30 days
LIMIT = 5000  # at most this many entries are shown or exported at once


class AuditRow(NamedTuple):
    seq: int
    at: datetime
    user: str
    action: str
    table_name: str
    record_id: str
    record: str = ""  # the record by name (a pupil's name, a breach's reference), if allowed


def default_period(today: date) -> tuple[date, date]:
    """The days the viewer shows first: the last 30 days up to and including today."""
    return today - timedelta(days=DEFAULT_DAYS), today


@dataclass(frozen=True)
class AuditFilter:
    """What the viewer (and its export) selects: whole days at the school, a person, the
    start of an action code, a table."""

    first_day: date | None = None
    last_day: date | None = None
    user_id: int | None = None
    action_prefix: str = ""
    table_name: str = ""

    def moments(self) -> tuple[datetime | None, datetime | None]:
        """[start, end) as moments; ValidationError (field 'period') when it ends before it
        begins."""
        if self.first_day and self.last_day and self.last_day < self.first_day:
            raise ValidationError("De periode eindigt vóór ze begint.", field="period")
        return school_days_to_utc(self.first_day, self.last_day)


def _names(session: Session) -> dict[int, str]:
    return {uid: name or username for uid, username, name in session.execute(
        select(User.id, User.username, User.display_name))}


def _person(first: str, prefix: str | None, last: str) -> str:
    return " ".join(p for p in (first, prefix, last) if p)


def _record_names(session: Session, actor: Actor, rows: list[AuditRow]) -> dict[tuple, str]:
    """(table, record id) → a name, for the tables whose names this actor may see."""
    wanted: dict[str, set[int]] = {}
    for row in rows:
        if row.record_id and row.record_id.isdigit():
            wanted.setdefault(row.table_name, set()).add(int(row.record_id))
    found: dict[tuple, str] = {}

    def fill(table: str, query, name) -> None:  # noqa: ANN001
        ids = sorted(wanted.get(table, ()))
        for start in range(0, len(ids), 500):
            for values in session.execute(query(ids[start:start + 500])):
                found[(table, str(values[0]))] = name(*values[1:])

    fill("app_user", lambda ids: select(User.id, User.username, User.display_name)
         .where(User.id.in_(ids)), lambda username, display: display or username)
    if may(actor, Permission.READ_REGISTER):
        fill("pupil", lambda ids: select(Pupil.id, Pupil.first_name, Pupil.prefix,
                                         Pupil.last_name).where(Pupil.id.in_(ids)), _person)
        fill("guardian", lambda ids: select(Guardian.id, Guardian.first_name, Guardian.prefix,
                                            Guardian.last_name).where(Guardian.id.in_(ids)),
             _person)
        fill("breach", lambda ids: select(Breach.id, Breach.reference)
             .where(Breach.id.in_(ids)), lambda reference: reference)
        fill("supplier", lambda ids: select(Supplier.id, Supplier.name)
             .where(Supplier.id.in_(ids)), lambda name: name)
        fill("exchange", lambda ids: select(Exchange.id, Exchange.recipient)
             .where(Exchange.id.in_(ids)), lambda recipient: recipient)
        fill("data_request", lambda ids: select(DataRequest.id, DataRequest.received_on)
             .where(DataRequest.id.in_(ids)),
             lambda received: f"verzoek van {received:%d-%m-%Y}")
    return found


def _select(session: Session, actor: Actor, selection: AuditFilter, record_id: str,
            limit: int, start: datetime | None, end: datetime | None) -> list[AuditRow]:
    names = _names(session)
    first, last = selection.moments()
    start = first if first is not None else start
    end = last if last is not None else end
    user_id, action_prefix = selection.user_id, selection.action_prefix
    table_name = selection.table_name
    query = select(AuditEntry.seq, AuditEntry.at, AuditEntry.user_id, AuditEntry.action,
                   AuditEntry.table_name, AuditEntry.record_id).order_by(AuditEntry.seq.desc())
    if start is not None:
        query = query.where(AuditEntry.at >= start)
    if end is not None:
        query = query.where(AuditEntry.at < end)
    moved = moved_ids(session)  # a school moved into a board's database: its old ids
    if user_id is not None:
        query = query.where(AuditEntry.user_id == user_id if moved is None else
                            moved.entries_of("app_user", AuditEntry.user_id, str(user_id)))
    if action_prefix:
        query = query.where(AuditEntry.action.like(f"{action_prefix}%"))
    if table_name:
        query = query.where(AuditEntry.table_name == table_name)
    if record_id:
        query = query.where(AuditEntry.record_id == record_id if moved is None else
                            moved.entries_of(table_name, AuditEntry.record_id, record_id))
    found = session.execute(query.limit(limit)).all()
    if moved is not None:  # an entry from the file names its user and record by old ids
        found = [(seq, at, moved.current_user(seq, uid), action, table, rid,
                  moved.current_id(seq, table, rid)) for seq, at, uid, action, table, rid
                 in found]
    else:
        found = [(*values, values[5]) for values in found]
    rows = [AuditRow(seq, at, names.get(uid, "systeem") if uid else "systeem", action, table,
                     rid)
            for seq, at, uid, action, table, rid, _ in found]
    known = _record_names(session, actor, [row._replace(record_id=today) for row, (*_, today)
                                           in zip(rows, found, strict=True)])
    return [row._replace(record=known.get((row.table_name, today), ""))
            for row, (*_, today) in zip(rows, found, strict=True)]


def audit_rows(session: Session, actor: Actor, *, start: datetime | None = None,
               end: datetime | None = None, user_id: int | None = None,
               action_prefix: str = "", table_name: str = "", record_id: str = "",
               selection: AuditFilter | None = None, limit: int = LIMIT,
               clock: Clock = system_clock) -> list[AuditRow]:
    """Newest first. Only directie, beheerder and fg may read it; reading it is audited too.
    `selection` (days, person, action, table) is what the viewer passes; its days count at
    the school and win over `start`/`end`."""
    require(actor, Permission.READ_AUDIT)
    selection = selection or AuditFilter(user_id=user_id, action_prefix=action_prefix,
                                         table_name=table_name)
    rows = _select(session, actor, selection, record_id, limit, start, end)
    audit(session, actor, "audit.read", table_name="audit_entry", clock=clock)
    return rows


def export_audit_rows(session: Session, actor: Actor, selection: AuditFilter, *,
                      limit: int = LIMIT, clock: Clock = system_clock) -> list[AuditRow]:
    """The selection for a PDF or CSV of the audit log (READ_AUDIT and EXPORT); the export
    itself is audited as 'audit.export'."""
    require(actor, Permission.READ_AUDIT)
    require(actor, Permission.EXPORT)
    rows = _select(session, actor, selection, "", limit, None, None)
    audit(session, actor, "audit.export", table_name="audit_entry", clock=clock)
    return rows


def newest_backup_head(vault: Vault) -> tuple[ChainHead, datetime | None] | None:
    """The audit-chain head written beside the newest backup that has one, and when that
    backup was made; None when there is no such backup."""
    from db.audit import ChainHead
    from db.vault import read_sidecar

    for backup in vault.list_backups():
        meta = read_sidecar(backup)
        try:
            head = ChainHead.parse(meta.get("chain_head", ""))
        except ValueError:
            continue
        try:
            made = datetime.fromisoformat(meta.get("created_at", ""))
        except ValueError:
            made = None
        return head, made
    return None


def record_readers(session: Session, actor: Actor, pupil_id: int,
                   ) -> list[tuple[datetime, str, str]]:
    """Who opened or changed a pupil's record (for the access export): (when, who, action)."""
    require(actor, Permission.HANDLE_REQUESTS)
    names = {uid: name or username for uid, username, name in session.execute(
        select(User.id, User.username, User.display_name))}
    query = (select(AuditEntry.seq, AuditEntry.at, AuditEntry.user_id, AuditEntry.action)
             .where(AuditEntry.table_name == "pupil",
                    entries_naming(session, "pupil", AuditEntry.record_id, str(pupil_id)))
             .order_by(AuditEntry.seq))
    moved = moved_ids(session)
    readers = []
    for seq, at, uid, action in session.execute(query):
        uid = moved.current_user(seq, uid) if moved is not None else uid
        readers.append((at, names.get(uid, "systeem") if uid else "systeem", action))
    return readers
