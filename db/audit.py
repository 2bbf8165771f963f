"""The audit log (auditlog): append-only and hash-chained, so that tampering shows.

Each entry records who (user id), when (UTC), what (action), and which record (table + id):
never a name or any other personal data. Its SHA-256 covers its own fields and the previous
entry's hash. Whoever holds the database key could recompute a whole chain, so the chain head
(sequence number + hash) is written beside every backup and printed on every export;
`verify_chain(..., against=head)` checks that the current chain still contains that head.

An entry also carries the SHA-256 of its record's content after the action (`digest`: a
canonical serialisation of the row, see `row_digest`), and that digest is part of its hash. So
the chain covers the data too: `verify_chain` recomputes the digest of every current row of the
audited tables and names a row whose content differs from its latest audited digest, also when
the audit table itself was not touched. Entries from before this revision have no digest; the
migration that introduced it recorded one "audit.baseline" entry per existing row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from operator import itemgetter

from sqlalchemy import Connection, Table, func, insert, select
from sqlalchemy.orm import Session

from db.clock import Clock, system_clock
from db.permissions import Actor, check_actor
from db.schema import AuditEntry, Base
from db.vault import ChainHead

GENESIS = "0" * 64

# The audited tables whose content the chain covers, with the record kind in Dutch (for the
# verify report). Every path in the program that writes one of their rows audits that row.
COVERED: dict[str, str] = {
    "school": "School",
    "app_user": "Gebruiker",
    "pupil": "Leerling",
    "guardian": "Ouder/verzorger",
    "pupil_guardian": "Koppeling leerling-ouder",
    "special_category_record": "Bijzonder persoonsgegeven",
    "consent_purpose": "Toestemmingsdoel",
    "consent_purpose_text": "Tekst van toestemmingsdoel",
    "consent_event": "Toestemming",
    "breach": "Datalek",
    "breach_measure": "Maatregel bij datalek",
    "breach_amendment": "Aanvulling op datalek",
    "vulnerability_report": "Kwetsbaarheidsmelding",
    "data_request": "Verzoek",
    "supplier": "Leverancier",
    "exchange": "Gegevensuitwisseling",
    "exchange_pupil": "Leerling bij gegevensuitwisseling",
    "retention_rule": "Bewaartermijn",
    "erasure": "Verwijdering",
    "processing_activity": "Verwerkingsactiviteit",
    "processing_activity_supplier": "Leverancier bij verwerkingsactiviteit",
    "processing_activity_retention": "Bewaartermijn bij verwerkingsactiviteit",
    "school_guide_section": "Tekst voor de schoolgids",
}
_BATCH = 500  # ids per IN (...) when digests are read in bulk


def _utc_text(moment: datetime) -> str:
    moment = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _dates(value: object) -> str:
    if isinstance(value, datetime):
        return _utc_text(value)  # UTC, to the microsecond
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"no canonical form for {type(value).__name__}")


# JSON of the values in sorted column order: str escaped, ints as their decimal text, true/
# false, null, dates ISO. The C encoder keeps this cheap enough for the bulk paths.
_ENCODE = json.JSONEncoder(default=_dates, ensure_ascii=False, separators=(",", ":"),
                           check_circular=False).encode


def _layout(columns: Sequence[str]) -> tuple[Callable[[Sequence[object]], tuple], bytes]:
    order = sorted(range(len(columns)), key=lambda i: columns[i])
    pick = itemgetter(*order) if len(order) > 1 else (lambda row: (row[order[0]],))
    return pick, (",".join(columns[i] for i in order) + "\n").encode("utf-8")


def row_digest(columns: Sequence[str], values: Sequence[object]) -> str:
    """SHA-256 of a row: its column values by sorted column name, ISO dates and UTC times,
    ints as text. The same on SQLite and PostgreSQL."""
    if len(columns) != len(values):
        raise ValueError("one value per column")
    pick, header = _layout(columns)
    return hashlib.sha256(header + _ENCODE(list(pick(values))).encode("utf-8")).hexdigest()


def _table(table_name: str) -> Table | None:
    return Base.metadata.tables.get(table_name) if table_name in COVERED else None


def record_digests(connection: Connection | Session, table_name: str,
                   record_ids: Iterable[object] | None = None, *,
                   table: Table | None = None) -> dict[str, str]:
    """record id → digest of the current row, for these ids (all rows when None).
    `table`: a reflected table (migrations), instead of the model of db.schema.

    Bulk writes get new, mostly consecutive ids: those are read with one range query on the
    first key column and filtered here, instead of many IN (...) lists."""
    table = table if table is not None else _table(table_name)
    if table is None:
        return {}
    names = table.columns.keys()
    keys = list(table.primary_key)
    at = [names.index(column.name) for column in keys]  # a row's id: 'a/b' for two columns
    wanted: set[tuple[int, ...]] | None = None
    queries = []
    if record_ids is None:
        queries.append(select(table))
    else:
        try:
            wanted = {tuple(int(part) for part in str(rid).split("/")) for rid in record_ids}
        except ValueError:
            return {}
        firsts = sorted({key[0] for key in wanted if len(key) == len(keys)})
        if not firsts:
            return {}
        if firsts[-1] - firsts[0] < 2 * len(firsts) + _BATCH:
            queries.append(select(table).where(keys[0].between(firsts[0], firsts[-1])))
        else:
            for start in range(0, len(firsts), _BATCH):
                queries.append(select(table).where(keys[0].in_(firsts[start:start + _BATCH])))
    pick, header = _layout(names)
    sha256, encode = hashlib.sha256, _ENCODE
    result = {}
    for query in queries:
        for row in connection.execute(query):
            key = tuple(row[i] for i in at)
            if wanted is not None and key not in wanted:
                continue
            text = encode(list(pick(row))).encode("utf-8")
            result["/".join(map(str, key))] = sha256(header + text).hexdigest()
    return result


def entry_hash(seq: int, at: datetime, user_id: int | None, action: str, table_name: str,
               record_id: str, prev_hash: str, digest: str | None = None) -> str:
    at_text = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    fields = [str(seq), at_text, "" if user_id is None else str(user_id), action, table_name,
              record_id, prev_hash]
    if digest is not None:  # entries from before digests hash exactly as they always did
        fields.append(digest)
    return hashlib.sha256("|".join(fields).encode("utf-8")).hexdigest()


def audit(session: Session, actor: Actor, action: str, record: Base | None = None, *,
          table_name: str = "", record_id: object = "", clock: Clock = system_clock,
          ) -> AuditEntry:
    """Append one entry. `record` (an ORM object) gives table and id; pending changes are
    flushed first, so the entry's digest is the record's content after the action."""
    check_actor(actor)
    if record is not None:
        table_name = record.__tablename__
        if getattr(record, "id", None) is None or table_name in COVERED:
            session.flush()
        record_id = getattr(record, "id", "")
    elif table_name in COVERED:
        session.flush()
    last = session.execute(
        select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    at = clock().astimezone(UTC)
    at = at.replace(microsecond=at.microsecond)  # stored to the microsecond
    user_id = actor.id
    rid = "" if record_id is None else str(record_id)
    digest = (record_digests(session, table_name, [rid]).get(rid)
              if table_name in COVERED and rid else None)
    entry = AuditEntry(seq=seq, at=at, user_id=user_id, action=action, table_name=table_name,
                       record_id=rid, prev_hash=prev, digest=digest,
                       hash=entry_hash(seq, at, user_id, action, table_name, rid, prev, digest))
    session.add(entry)
    session.flush()
    return entry


def audit_many(session: Session, actor: Actor, action: str, table_name: str,
               record_ids: list, *, clock: Clock = system_clock) -> None:
    """One entry per record for a bulk write (import, demo), inserted in one statement.
    The rows' digests are read back in a few batched queries."""
    check_actor(actor)
    if not record_ids:
        return
    last = session.execute(
        select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    seq, prev = (last[0], last[1]) if last else (0, GENESIS)
    at = clock().astimezone(UTC)
    user_id = actor.id
    digests = record_digests(session.connection(), table_name, record_ids)
    # the same fields as entry_hash, with the constant part formatted once
    at_text = at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    middle = "|".join([at_text, "" if user_id is None else str(user_id), action, table_name])
    rows = []
    for record_id in record_ids:
        seq += 1
        rid = str(record_id)
        content = digests.get(rid)
        tail = f"{prev}|{content}" if content is not None else prev
        digest = hashlib.sha256(f"{seq}|{middle}|{rid}|{tail}".encode()).hexdigest()
        rows.append({"seq": seq, "at": at, "user_id": user_id, "action": action,
                     "table_name": table_name, "record_id": rid, "prev_hash": prev,
                     "hash": digest, "digest": content})
        prev = digest
    session.connection().execute(insert(AuditEntry.__table__), rows)


def record_baseline(connection: Connection, tables: Sequence[Table], *,
                    audit_table: Table | None = None, clock: Clock = system_clock) -> int:
    """Give every existing row of these (covered) tables its digest in one 'audit.baseline'
    entry by the system, chained after the current head. For a revision that introduces
    digests or changes a covered table's columns; `tables` and `audit_table` as reflected by
    that revision (plain DateTime: naive UTC). Returns the number of entries written."""
    audit_entry = audit_table if audit_table is not None else AuditEntry.__table__
    last = connection.execute(
        select(audit_entry.c.seq, audit_entry.c.hash).order_by(audit_entry.c.seq.desc()).limit(1)
    ).first()
    seq, prev = (last[0], last[1]) if last else (0, GENESIS)
    at = clock().astimezone(UTC)
    stored_at = at if audit_table is None else at.replace(tzinfo=None)
    rows = []
    for table in tables:
        for record_id, digest in record_digests(connection, table.name, table=table).items():
            seq += 1
            own = entry_hash(seq, at, None, "audit.baseline", table.name, record_id, prev,
                             digest)
            rows.append({"seq": seq, "at": stored_at, "user_id": None,
                         "action": "audit.baseline",
                         "table_name": table.name, "record_id": record_id, "prev_hash": prev,
                         "hash": own, "digest": digest})
            prev = own
    for start in range(0, len(rows), 5000):
        connection.execute(insert(audit_entry), rows[start:start + 5000])
    return len(rows)


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
    changed: tuple[str, ...] = ()  # one Dutch line per row changed outside the program


def changed_records(connection: Connection | Session) -> list[str]:
    """Rows of the audited tables whose content is not what their latest audit entry says,
    in Dutch ("Toestemming 1234 is gewijzigd buiten het programma om")."""
    expected: dict[tuple[str, str], str] = {}
    for table_name, record_id, digest in connection.execute(
            select(AuditEntry.table_name, AuditEntry.record_id, AuditEntry.digest)
            .where(AuditEntry.digest.is_not(None)).order_by(AuditEntry.seq)):
        expected[(table_name, record_id)] = digest
    problems = []
    for table_name, kind in COVERED.items():
        for record_id, digest in record_digests(connection, table_name).items():
            recorded = expected.get((table_name, record_id))
            if recorded is None:
                problems.append(f"{kind} {record_id} is toegevoegd buiten het programma om.")
            elif recorded != digest:
                problems.append(f"{kind} {record_id} is gewijzigd buiten het programma om.")
    return problems


def verify_chain(connection: Connection | Session, against: ChainHead | None = None,
                 ) -> ChainReport:
    """Walk the chain in order; name the first entry that was edited, removed or inserted.
    Then compare every row of the audited tables with its latest audited digest."""
    report = _verify_entries(connection, against)
    if not report.ok:
        return report
    changed = tuple(changed_records(connection))
    if not changed:
        return report
    shown = " ".join(changed[:10])
    more = f" (en nog {len(changed) - 10})" if len(changed) > 10 else ""
    return ChainReport(False, report.entries, f"De auditketen zelf is in orde, maar "
                       f"{len(changed)} gegeven(s) wijken af van het auditlog: {shown}{more}",
                       None, changed)


def _verify_entries(connection: Connection | Session, against: ChainHead | None,
                    ) -> ChainReport:
    rows = connection.execute(
        select(AuditEntry.seq, AuditEntry.at, AuditEntry.user_id, AuditEntry.action,
               AuditEntry.table_name, AuditEntry.record_id, AuditEntry.prev_hash,
               AuditEntry.hash, AuditEntry.digest).order_by(AuditEntry.seq)
    )
    expected_seq, prev = 1, GENESIS
    count = 0
    for seq, at, user_id, action, table_name, record_id, prev_hash, digest, content in rows:
        count += 1
        if seq != expected_seq:
            return ChainReport(False, count, f"Auditregel {expected_seq} ontbreekt: de keten "
                               f"springt van {expected_seq - 1} naar {seq} (verwijderd).",
                               expected_seq)
        own = entry_hash(seq, at, user_id, action, table_name, record_id, prev_hash, content)
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
