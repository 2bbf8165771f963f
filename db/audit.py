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
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import islice
from operator import itemgetter

from sqlalchemy import (
    Connection,
    Date,
    DateTime,
    Select,
    String,
    Table,
    func,
    insert,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from db.clock import Clock, system_clock
from db.permissions import Actor, check_actor
from db.schema import AuditEntry, Base


@dataclass(frozen=True)
class ChainHead:
    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"

    @classmethod
    def parse(cls, value: str) -> ChainHead:
        seq, _, digest = value.strip().partition(":")
        if not seq.isdigit() or len(digest) != 64:
            raise ValueError("een ketenkop heeft de vorm VOLGNUMMER:HASH (64 hexadecimale tekens)")
        return cls(int(seq), digest.lower())


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
_STREAM = 5000  # rows per fetch when the chain or a whole table is walked
_CHECK = 900  # rows whose audited digests are looked up at once (every database's bind limit)


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


def _stream(connection: Connection | Session, query: Select) -> Iterator[Sequence]:
    """The rows of a Core query as tuples, fetched _STREAM at a time: memory stays flat
    however long the table is.

    On SQLite the statement SQLAlchemy compiled for it runs on the driver's cursor, which
    steps through the result lazily, and only the columns whose type converts a value (a
    Boolean's 0/1) are converted: for the 230,000 rows of a chain walk the Row objects
    cost more than the hashing. Elsewhere (PostgreSQL) SQLAlchemy streams with yield_per
    (a server-side cursor)."""
    if isinstance(connection, Session):
        connection = connection.connection()
    dialect = connection.dialect
    if dialect.name != "sqlite":
        result = connection.execute(query.execution_options(yield_per=_STREAM))
        for part in result.partitions():
            yield from part
        return
    convert = [(index, processor) for index, column in enumerate(query.selected_columns)
               if (processor := column.type.dialect_impl(dialect).result_processor(
                   dialect, None)) is not None]
    result = connection.execute(query)  # binds processed, IN lists expanded, no row fetched
    cursor = result.cursor
    try:
        while part := cursor.fetchmany(_STREAM):
            if not convert:
                yield from part
                continue
            for row in part:
                row = list(row)
                for index, processor in convert:
                    row[index] = processor(row[index])
                yield row
    finally:
        result.close()


def _temporal(column: ColumnElement) -> type | None:
    """datetime or date for a column of that kind (also a TypeDecorator over one), else None."""
    kind = getattr(column.type, "impl", column.type)
    if isinstance(kind, DateTime):
        return datetime
    if isinstance(kind, Date):
        return date
    return None


def _stamp_text(value: object) -> object:
    """A stored time as the digest's UTC text. SQLite hands the stored text itself (naive UTC,
    'YYYY-MM-DD HH:MM:SS.ffffff'), turned around here without parsing; anything else (a
    datetime from PostgreSQL, another text form) goes the long way, to the same text."""
    if value.__class__ is str:
        if len(value) == 26 and value[10] == " ":
            return f"{value[:10]}T{value[11:]}Z"
        return _utc_text(datetime.fromisoformat(value))
    return value  # None, or a datetime: the encoder's default turns it into the same text


def _day_text(value: object) -> object:
    if value.__class__ is str and len(value) != 10:
        return date.fromisoformat(value[:10]).isoformat()
    return value


def _row_digests(connection: Connection | Session, table: Table,
                 where: ColumnElement | None = None) -> Iterator[tuple[str, str]]:
    """(record id, digest) for the rows of `table` (those matching `where`), streamed.

    Times and dates are read as the text the database stores (type_coerce to String, no
    parsing into datetime and formatting back), so the digest costs one JSON encode and one
    SHA-256 per row; the result is the same digest as row_digest() of the typed row."""
    names = table.columns.keys()
    pick, header = _layout(names)
    order = sorted(range(len(names)), key=lambda i: names[i])
    columns, fixes = [], []
    for position, index in enumerate(order):
        column = table.columns[names[index]]
        kind = _temporal(column)
        if kind is not None:
            fixes.append((position, _stamp_text if kind is datetime else _day_text))
    for column in table.columns:
        columns.append(type_coerce(column, String) if _temporal(column) else column)
    at = [names.index(column.name) for column in table.primary_key]
    query = select(*columns)
    if where is not None:
        query = query.where(where)
    sha256, encode = hashlib.sha256, _ENCODE
    single = at[0] if len(at) == 1 else None
    for row in _stream(connection, query):
        values = list(pick(row))
        for position, fix in fixes:
            values[position] = fix(values[position])
        rid = str(row[single]) if single is not None else "/".join(str(row[i]) for i in at)
        yield rid, sha256(header + encode(values).encode("utf-8")).hexdigest()


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
    keys = list(table.primary_key)
    if record_ids is None:
        return dict(_row_digests(connection, table))
    try:
        wanted = {tuple(int(part) for part in str(rid).split("/")) for rid in record_ids}
    except ValueError:
        return {}
    firsts = sorted({key[0] for key in wanted if len(key) == len(keys)})
    if not firsts:
        return {}
    if firsts[-1] - firsts[0] < 2 * len(firsts) + _BATCH:
        filters = [keys[0].between(firsts[0], firsts[-1])]
    else:
        filters = [keys[0].in_(firsts[start:start + _BATCH])
                   for start in range(0, len(firsts), _BATCH)]
    texts = {"/".join(map(str, key)) for key in wanted}
    return {rid: digest for where in filters
            for rid, digest in _row_digests(connection, table, where) if rid in texts}


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
    in Dutch ("Toestemming 1234 is gewijzigd buiten het programma om").

    Streamed: each table's rows are digested in batches of _CHECK, and for each batch the
    latest audited digests of just those records are read (the index on table and record
    id). Memory holds one batch, however large the register."""
    audit_table = AuditEntry.__table__
    problems = []
    for table_name, kind in COVERED.items():
        table = _table(table_name)
        if table is None:
            continue
        rows = _row_digests(connection, table)
        while batch := dict(islice(rows, _CHECK)):
            expected: dict[str, tuple[int, str]] = {}
            lookup = (select(audit_table.c.seq, audit_table.c.record_id, audit_table.c.digest)
                      .where(audit_table.c.table_name == table_name,
                             audit_table.c.record_id.in_(list(batch)),
                             audit_table.c.digest.is_not(None)))
            for seq, record_id, digest in _stream(connection, lookup):
                if record_id not in expected or expected[record_id][0] < seq:
                    expected[record_id] = (seq, digest)
            for record_id, digest in batch.items():
                recorded = expected.get(record_id)
                if recorded is None:
                    problems.append(f"{kind} {record_id} is toegevoegd buiten het programma "
                                    "om.")
                elif recorded[1] != digest:
                    problems.append(f"{kind} {record_id} is gewijzigd buiten het programma "
                                    "om.")
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
    """The chain walk, streamed in seq order. The time of an entry is read as stored text
    (see _stamp_text) and each hash is computed as entry_hash() does, inlined."""
    t = AuditEntry.__table__
    rows = _stream(connection, select(
        t.c.seq, type_coerce(t.c.at, String), t.c.user_id, t.c.action, t.c.table_name,
        t.c.record_id, t.c.prev_hash, t.c.hash, t.c.digest).order_by(t.c.seq))
    sha256 = hashlib.sha256
    expected_seq, prev = 1, GENESIS
    count = 0
    for seq, at, user_id, action, table_name, record_id, prev_hash, digest, content in rows:
        count += 1
        if seq != expected_seq:
            return ChainReport(False, count, f"Auditregel {expected_seq} ontbreekt: de keten "
                               f"springt van {expected_seq - 1} naar {seq} (verwijderd).",
                               expected_seq)
        at_text = _stamp_text(at) if at.__class__ is str else _utc_text(at)
        text = (f"{seq}|{at_text}|{'' if user_id is None else user_id}|{action}|{table_name}|"
                f"{record_id}|{prev_hash}")
        if content is not None:  # entries from before digests hash exactly as they always did
            text = f"{text}|{content}"
        if sha256(text.encode("utf-8")).hexdigest() != digest:
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
