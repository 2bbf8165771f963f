"""The audit log (auditlog): append-only and hash-chained, so that tampering shows.

Each entry records who (user id), when (UTC), what (action), and which record (table + id):
never a name or any other personal data. Its SHA-256 covers its own fields and the previous
entry's hash. Whoever holds the database key could recompute a whole chain, so the chain head
(sequence number + hash) is written beside every backup and printed on every export;
`verify_chain(..., against=head)` checks that the current chain still contains that head.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, func, insert, select
from sqlalchemy.orm import Session

from db.clock import Clock, system_clock
from db.schema import AuditEntry, Base, User
from db.vault import ChainHead

GENESIS = "0" * 64


def entry_hash(seq: int, at: datetime, user_id: int | None, action: str, table_name: str,
               record_id: str, prev_hash: str) -> str:
    at_text = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    payload = "|".join([str(seq), at_text, "" if user_id is None else str(user_id), action,
                        table_name, record_id, prev_hash])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def audit(session: Session, actor: User | None, action: str, record: Base | None = None, *,
          table_name: str = "", record_id: object = "", clock: Clock = system_clock,
          ) -> AuditEntry:
    """Append one entry. `record` (an ORM object) gives table and id; it is flushed first."""
    if record is not None:
        if getattr(record, "id", None) is None:
            session.flush()
        table_name = record.__tablename__
        record_id = getattr(record, "id", "")
    last = session.execute(
        select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    at = clock().astimezone(UTC)
    at = at.replace(microsecond=at.microsecond)  # stored to the microsecond
    user_id = actor.id if actor is not None else None
    rid = "" if record_id is None else str(record_id)
    entry = AuditEntry(seq=seq, at=at, user_id=user_id, action=action, table_name=table_name,
                       record_id=rid, prev_hash=prev,
                       hash=entry_hash(seq, at, user_id, action, table_name, rid, prev))
    session.add(entry)
    session.flush()
    return entry


def audit_many(session: Session, actor: User | None, action: str, table_name: str,
               record_ids: list[int], *, clock: Clock = system_clock) -> None:
    """One entry per record for a bulk write (import, demo), inserted in one statement."""
    if not record_ids:
        return
    last = session.execute(
        select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    seq, prev = (last[0], last[1]) if last else (0, GENESIS)
    at = clock().astimezone(UTC)
    user_id = actor.id if actor is not None else None
    # the same fields as entry_hash, with the constant part formatted once
    at_text = at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    middle = "|".join([at_text, "" if user_id is None else str(user_id), action, table_name])
    rows = []
    for record_id in record_ids:
        seq += 1
        rid = str(record_id)
        digest = hashlib.sha256(f"{seq}|{middle}|{rid}|{prev}".encode()).hexdigest()
        rows.append({"seq": seq, "at": at, "user_id": user_id, "action": action,
                     "table_name": table_name, "record_id": rid, "prev_hash": prev,
                     "hash": digest})
        prev = digest
    session.connection().execute(insert(AuditEntry.__table__), rows)


def chain_head(connection: Connection | Session) -> ChainHead | None:
    row = connection.execute(
        select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    return ChainHead(row[0], row[1]) if row else None


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries: int
    message: str
    first_bad_seq: int | None = None


def verify_chain(connection: Connection | Session, against: ChainHead | None = None,
                 ) -> ChainReport:
    """Walk the chain in order; name the first entry that was edited, removed or inserted."""
    rows = connection.execute(
        select(AuditEntry.seq, AuditEntry.at, AuditEntry.user_id, AuditEntry.action,
               AuditEntry.table_name, AuditEntry.record_id, AuditEntry.prev_hash,
               AuditEntry.hash).order_by(AuditEntry.seq)
    )
    expected_seq, prev = 1, GENESIS
    count = 0
    for seq, at, user_id, action, table_name, record_id, prev_hash, digest in rows:
        count += 1
        if seq != expected_seq:
            return ChainReport(False, count, f"Auditregel {expected_seq} ontbreekt: de keten "
                               f"springt van {expected_seq - 1} naar {seq} (verwijderd).",
                               expected_seq)
        own = entry_hash(seq, at, user_id, action, table_name, record_id, prev_hash)
        if own != digest:
            return ChainReport(False, count, f"Auditregel {seq} is achteraf gewijzigd: de "
                               "inhoud past niet bij de opgeslagen hash.", seq)
        if prev_hash != prev:
            return ChainReport(False, count, f"Auditregel {seq} sluit niet aan op regel "
                               f"{seq - 1}: er is een regel tussengevoegd of vervangen.", seq)
        if against is not None and seq == against.seq and digest != against.hash:
            return ChainReport(False, count, f"Auditregel {seq} verschilt van de eerder "
                               "vastgelegde ketenkop: de keten is herschreven.", seq)
        prev = digest
        expected_seq += 1
    total = expected_seq - 1
    if against is not None and against.seq > total:
        return ChainReport(False, total, f"De eerder vastgelegde ketenkop (regel {against.seq}) "
                           f"komt niet meer voor: de keten telt nog {total} regels.", total + 1)
    return ChainReport(True, total, f"Auditketen in orde ({total} regels).")


def count_entries(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry)) or 0
