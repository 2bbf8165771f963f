"""Reading the audit log (for the viewer and the inspection export): who did what, when."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.audit import audit
from db.clock import Clock, system_clock
from db.permissions import Actor, Permission, require
from db.schema import AuditEntry, User


class AuditRow(NamedTuple):
    seq: int
    at: datetime
    user: str
    action: str
    table_name: str
    record_id: str


def audit_rows(session: Session, actor: User, *, start: datetime | None = None,
               end: datetime | None = None, user_id: int | None = None,
               action_prefix: str = "", table_name: str = "", record_id: str = "",
               limit: int = 5000, clock: Clock = system_clock) -> list[AuditRow]:
    """Newest first. Only directie, beheerder and fg may read it; reading it is audited too."""
    require(actor, Permission.READ_AUDIT)
    names = {uid: name or username
             for uid, username, name in session.execute(
                 select(User.id, User.username, User.display_name))}
    query = select(AuditEntry.seq, AuditEntry.at, AuditEntry.user_id, AuditEntry.action,
                   AuditEntry.table_name, AuditEntry.record_id).order_by(AuditEntry.seq.desc())
    if start is not None:
        query = query.where(AuditEntry.at >= start)
    if end is not None:
        query = query.where(AuditEntry.at < end)
    if user_id is not None:
        query = query.where(AuditEntry.user_id == user_id)
    if action_prefix:
        query = query.where(AuditEntry.action.like(f"{action_prefix}%"))
    if table_name:
        query = query.where(AuditEntry.table_name == table_name)
    if record_id:
        query = query.where(AuditEntry.record_id == record_id)
    rows = [AuditRow(seq, at, names.get(uid, "systeem") if uid else "systeem", action, table,
                     rid)
            for seq, at, uid, action, table, rid in session.execute(query.limit(limit))]
    audit(session, actor, "audit.read", table_name="audit_entry", clock=clock)
    return rows


def record_readers(session: Session, actor: Actor, pupil_id: int,
                   ) -> list[tuple[datetime, str, str]]:
    """Who opened or changed a pupil's record (for the access export): (when, who, action)."""
    require(actor, Permission.HANDLE_REQUESTS)
    names = {uid: name or username for uid, username, name in session.execute(
        select(User.id, User.username, User.display_name))}
    query = (select(AuditEntry.at, AuditEntry.user_id, AuditEntry.action)
             .where(AuditEntry.table_name == "pupil", AuditEntry.record_id == str(pupil_id))
             .order_by(AuditEntry.seq))
    return [(at, names.get(uid, "systeem") if uid else "systeem", action)
            for at, uid, action in session.execute(query)]
