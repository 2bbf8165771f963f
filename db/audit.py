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

One chain per school (revision 0009): an entry belongs to the school of its record (else of
the session, db.tenancy) and `seq` counts per school, so the chain of school A never sees
school B's entries. Neither an entry's hash nor a row's digest includes `school_id`: chains
written before 0009 verify with the same head, and the same history gives the same head in
a file and on a server. A row moved to another school shows all the same: `verify` of that
school finds no entry of its own chain for it. `chain_head` is the one place that reads the
current head of a chain (where a lock on it belongs).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from operator import itemgetter

from sqlalchemy import (
    Connection,
    Date,
    DateTime,
    Dialect,
    Select,
    String,
    Table,
    cast,
    func,
    insert,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from db.bulk import cyclic_gc_paused, insert_rows, stream_batches
from db.clock import Clock, system_clock
from db.errors import RegisterError
from db.permissions import Actor, check_actor
from db.schema import AuditEntry, Base, School
from db.tenancy import connection_school, session_school


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
SCHOOL_COLUMN = "school_id"  # which school a row belongs to: not part of its digest

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


def _row_encoder() -> Callable[[Sequence[object], int], Sequence[str]]:
    """_ENCODE's C encoder, made once: JSONEncoder.encode builds this very encoder (the same
    arguments) on every call, which costs more than encoding a short row. Called as
    ``"".join(encoder(values, 0))``; the text is _ENCODE(list(values)) to the byte."""
    c_make_encoder = getattr(json.encoder, "c_make_encoder", None)
    if c_make_encoder is None:  # no C accelerator: the slow path, same text
        return lambda values, _level: (_ENCODE(list(values)),)
    return c_make_encoder(None, _dates, json.encoder.encode_basestring, None, ":", ",",
                          False, False, True)


_ENCODE_ROW = _row_encoder()


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


@dataclass(frozen=True)
class _Digesting:
    """How the rows of one table are read for their digests: a row of `columns` is (record
    id, the values in sorted column order); `steps` turn stored times and dates into the
    digest's text (_stamp_text, _day_text) and, on SQLite, where the driver's rows are used
    as they come, apply the result processors SQLAlchemy would apply (0/1 → bool)."""

    columns: tuple[ColumnElement, ...]
    header: bytes
    steps: tuple[tuple[int, Callable[[object], object]], ...]  # (position, fix or convert)


_PLANS: dict[tuple[str, str], _Digesting] = {}


def _digesting(table: Table, dialect: Dialect, *, cached: bool = True) -> _Digesting:
    plan_key = (table.name, dialect.name)
    if cached and plan_key in _PLANS:
        return _PLANS[plan_key]
    names = sorted(name for name in table.columns.keys() if name != SCHOOL_COLUMN)
    values: list[ColumnElement] = []
    steps = []
    for position, name in enumerate(names):
        column = table.columns[name]
        kind = _temporal(column)
        if kind is not None:  # read as stored text, no parsing (see _stamp_text)
            values.append(type_coerce(column, String))
            steps.append((position, _stamp_text if kind is datetime else _day_text))
            continue
        values.append(column)
        processor = column.type.dialect_impl(dialect).result_processor(dialect, None)
        if dialect.name == "sqlite" and processor is not None:
            steps.append((position, processor))
    keys = [cast(column, String) for column in table.primary_key]
    record_id = keys[0]
    for key in keys[1:]:
        record_id = record_id + "/" + key
    plan = _Digesting((record_id, *values), (",".join(names) + "\n").encode("utf-8"),
                      tuple(steps))
    if cached:
        _PLANS[plan_key] = plan
    return plan


def _school_of_rows(table: Table) -> ColumnElement | None:
    """The column that says which school a row of `table` belongs to (school: its id)."""
    if table.name == "school":
        return table.c.id
    return table.c.get(SCHOOL_COLUMN)


def _row_digests(connection: Connection | Session, table: Table,
                 where: ColumnElement | None = None, *, recorded: bool = False,
                 cached: bool = True, school_id: int | None = None,
                 ) -> Iterator[tuple[str, str, str | None]]:
    """(record id, digest, recorded digest) for the rows of `table` (those matching `where`),
    streamed; the digest is row_digest() of the row, to the byte (tests hold them together).
    `recorded`: also the digest of the record's latest audit entry that has one (None when
    there is none), looked up by the database beside each row, so nothing is held here; an
    entry of the row's own school's chain. `school_id`: only that school's rows.

    Times and dates are read as the text the database stores (type_coerce to String, no
    parsing into datetime and formatting back), so a row costs one JSON encode and one
    SHA-256; the record id is made by the database."""
    if isinstance(connection, Session):
        connection = connection.connection()
    plan = _digesting(table, connection.dialect, cached=cached)
    columns = list(plan.columns)
    owner = _school_of_rows(table)
    if recorded:
        entries = AuditEntry.__table__.c
        # "+ 0": the school is checked on the few entries of this record that the index on
        # (table_name, record_id) finds; as an indexed term SQLite would walk the school's
        # whole chain (the key school_id, seq) for every row
        same_school = [entries.school_id + 0 == owner] if owner is not None else []
        columns.append(select(entries.digest).where(
            *same_school, entries.table_name == table.name,
            entries.record_id == plan.columns[0],
            entries.digest.is_not(None)).order_by(entries.seq.desc()).limit(1)
            .scalar_subquery())
    query = select(*columns)
    if where is not None:
        query = query.where(where)
    if school_id is not None and owner is not None:
        # "+ 0": the table is read straight through, not through the index on school_id
        # (a file's one school: every row matches), so both engines name the rows in the
        # order they are stored, as before there were schools
        query = query.where(owner + 0 == school_id)
    end = len(plan.columns)
    header, steps = plan.header, plan.steps
    sha256, encode, join = hashlib.sha256, _ENCODE_ROW, "".join
    for part in stream_batches(connection, query):
        for row in part:
            values = list(row[1:end])
            for position, step in steps:
                values[position] = step(values[position])
            yield (row[0], sha256(header + join(encode(values, 0)).encode("utf-8")).hexdigest(),
                   row[end] if recorded else None)


def record_digests(connection: Connection | Session, table_name: str,
                   record_ids: Iterable[object] | None = None, *,
                   table: Table | None = None) -> dict[str, str]:
    """record id → digest of the current row, for these ids (all rows when None).
    `table`: a reflected table (migrations), instead of the model of db.schema.

    Bulk writes get new, mostly consecutive ids: those are read with one range query on the
    first key column and filtered here, instead of many IN (...) lists."""
    cached = table is None
    table = table if table is not None else _table(table_name)
    if table is None:
        return {}
    keys = list(table.primary_key)
    if record_ids is None:
        return {rid: digest for rid, digest, _ in _row_digests(connection, table,
                                                               cached=cached)}
    record_ids = list(record_ids)
    if len(keys) == 1 and all(rid.__class__ is int for rid in record_ids):  # a bulk write's
        firsts = sorted(set(record_ids))
        texts = set(map(str, firsts))
    else:
        try:
            wanted = {tuple(map(int, str(rid).split("/"))) for rid in record_ids}
        except ValueError:
            return {}
        firsts = sorted({key[0] for key in wanted if len(key) == len(keys)})
        texts = {"/".join(map(str, key)) for key in wanted}
    if not firsts:
        return {}
    if firsts[-1] - firsts[0] < 2 * len(firsts) + _BATCH:
        filters = [keys[0].between(firsts[0], firsts[-1])]
    else:
        filters = [keys[0].in_(firsts[start:start + _BATCH])
                   for start in range(0, len(firsts), _BATCH)]
    return {rid: digest for where in filters
            for rid, digest, _ in _row_digests(connection, table, where, cached=cached)
            if rid in texts}


def entry_hash(seq: int, at: datetime, user_id: int | None, action: str, table_name: str,
               record_id: str, prev_hash: str, digest: str | None = None) -> str:
    at_text = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    fields = [str(seq), at_text, "" if user_id is None else str(user_id), action, table_name,
              record_id, prev_hash]
    if digest is not None:  # entries from before digests hash exactly as they always did
        fields.append(digest)
    return hashlib.sha256("|".join(fields).encode("utf-8")).hexdigest()


def _locked_head(session: Session, school_id: int) -> tuple[int, str]:
    """(seq, hash) of the last entry of `school_id`'s chain, (0, GENESIS) for an empty
    chain, read under the chain's lock, which the session's transaction then holds until it
    ends: every append (audit, audit_many and the bulk paths through them) reads the head
    here, so two workstations never both extend the same head.

    PostgreSQL: a row lock on the school the chain belongs to (FOR NO KEY UPDATE: it does not
    stop rows that refer to the school from being inserted), taken before the head is read;
    a second writer waits here until the first commits, and then (READ COMMITTED, a new
    snapshot per statement) reads the head the first one wrote.
    SQLite ignores FOR UPDATE; one writer at a time is SQLite's own rule, but a transaction
    only becomes the writer at its first write, and an entry that follows no write of its
    own (a card opened, special data read) would read the head outside any transaction.
    So the write transaction starts here (BEGIN IMMEDIATE; a second process waits up to the
    busy timeout) when none is open."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        if not connection.connection.dbapi_connection.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
    session.execute(select(School.id).where(School.id == school_id)
                    .with_for_update(key_share=True)).all()
    last = chain_head(session, school_id)
    return (last.seq, last.hash) if last else (0, GENESIS)


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
    school_id = _entry_school(session, record)
    seq, prev = _locked_head(session, school_id)
    seq += 1
    at = clock().astimezone(UTC)
    at = at.replace(microsecond=at.microsecond)  # stored to the microsecond
    user_id = actor.id
    rid = "" if record_id is None else str(record_id)
    digest = (record_digests(session, table_name, [rid]).get(rid)
              if table_name in COVERED and rid else None)
    entry = AuditEntry(school_id=school_id, seq=seq, at=at, user_id=user_id, action=action,
                       table_name=table_name,
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
    school_id = _entry_school(session, None)
    seq, prev = _locked_head(session, school_id)
    at = clock().astimezone(UTC)
    user_id = actor.id
    connection = session.connection()
    digests = record_digests(connection, table_name, record_ids)
    # the same fields as entry_hash, with the constant part formatted once
    at_text = at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    middle = "|".join([at_text, "" if user_id is None else str(user_id), action, table_name])
    sha256 = hashlib.sha256
    rows = []
    for record_id in record_ids:
        seq += 1
        rid = str(record_id)
        content = digests.get(rid)
        tail = f"{prev}|{content}" if content is not None else prev
        digest = sha256(f"{seq}|{middle}|{rid}|{tail}".encode()).hexdigest()
        rows.append((school_id, seq, at, user_id, action, table_name, rid, prev, digest,
                     content))
        prev = digest
    insert_rows(connection, AuditEntry.__table__, _ENTRY_COLUMNS, rows)


def _entry_school(session: Session, record: Base | None) -> int:
    """The chain an entry goes into: its record's school, else the session's (db.tenancy)."""
    if isinstance(record, School) and record.id is not None:
        return record.id
    own = getattr(record, SCHOOL_COLUMN, None) if record is not None else None
    school_id = own if own is not None else session_school(session)
    if school_id is None:
        raise RegisterError("Er is geen school gekozen: het auditlog wordt per school "
                            "bijgehouden. Kies eerst een school. Er is niets opgeslagen.")
    return school_id


_ENTRY_COLUMNS = ("school_id", "seq", "at", "user_id", "action", "table_name", "record_id",
                  "prev_hash", "hash", "digest")


def record_baseline(connection: Connection, tables: Sequence[Table], *,
                    audit_table: Table | None = None, clock: Clock = system_clock,
                    school_id: int | None = None) -> int:
    """Give every existing row of these (covered) tables its digest in one 'audit.baseline'
    entry by the system, chained after the current head of its school's chain. For a
    revision that introduces digests or changes a covered table's columns; `tables` and
    `audit_table` as reflected by that revision (plain DateTime: naive UTC). `school_id`:
    only that school's rows, in its chain (a school copied in by db.migrate_to); by default
    every school's. Returns the number of entries written."""
    audit_entry = audit_table if audit_table is not None else AuditEntry.__table__
    at = clock().astimezone(UTC)
    stored_at = at if audit_table is None else at.replace(tzinfo=None)
    schools: list[int | None] = [None]  # before revision 0009: one chain
    if school_id is not None:
        schools = [school_id]
    elif SCHOOL_COLUMN in audit_entry.c:
        school = Table("school", audit_entry.metadata, autoload_with=connection) \
            if audit_table is not None else School.__table__
        schools = list(connection.execute(select(school.c.id).order_by(school.c.id))
                       .scalars())
    rows = []
    for school in schools:
        last = chain_head(connection, school, audit_table=audit_entry)
        seq, prev = (last.seq, last.hash) if last else (0, GENESIS)
        for table in tables:
            for record_id, digest, _ in _row_digests(connection, table, cached=False,
                                                     school_id=school):
                seq += 1
                own = entry_hash(seq, at, None, "audit.baseline", table.name, record_id,
                                 prev, digest)
                rows.append({**({} if school is None else {SCHOOL_COLUMN: school}),
                             "seq": seq, "at": stored_at, "user_id": None,
                             "action": "audit.baseline", "table_name": table.name,
                             "record_id": record_id, "prev_hash": prev, "hash": own,
                             "digest": digest})
                prev = own
    for start in range(0, len(rows), 5000):
        connection.execute(insert(audit_entry), rows[start:start + 5000])
    return len(rows)


def chain_head(connection: Connection | Session, school_id: int | None = None, *,
               audit_table: Table | None = None) -> ChainHead | None:
    """The head (last entry) of a school's chain: of `school_id`, else of the session's
    school (db.tenancy). The one place that reads it: audit, audit_many and record_baseline
    extend the chain from here. None for an empty chain (or no school)."""
    entries = audit_table if audit_table is not None else AuditEntry.__table__
    query = select(entries.c.seq, entries.c.hash).order_by(entries.c.seq.desc()).limit(1)
    if SCHOOL_COLUMN in entries.c:
        school_id = school_id if school_id is not None else _chain_school(connection)
        if school_id is None:
            return None
        query = query.where(entries.c.school_id == school_id)
    row = connection.execute(query).first()
    return ChainHead(row[0], row[1]) if row else None


def _chain_school(connection: Connection | Session) -> int | None:
    """The school whose chain is meant: the session's, or the connection's (db.tenancy)."""
    if isinstance(connection, Session):
        return session_school(connection)
    return connection_school(connection)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries: int
    message: str
    first_bad_seq: int | None = None
    changed: tuple[str, ...] = ()  # one Dutch line per row changed outside the program


def changed_records(connection: Connection | Session, school_id: int | None = None,
                    ) -> list[str]:
    """Rows of the audited tables whose content is not what their latest audit entry says,
    in Dutch ("Toestemming 1234 is gewijzigd buiten het programma om").

    Streamed: one query per table reads each row beside the digest of its latest audit entry
    (a lookup on the index on table and record id), so memory holds one fetch, however large
    the register."""
    school_id = school_id if school_id is not None else _chain_school(connection)
    problems = []
    for table_name, kind in COVERED.items():
        table = _table(table_name)
        if table is None:
            continue
        for record_id, digest, recorded in _row_digests(connection, table, recorded=True,
                                                        school_id=school_id):
            if recorded is None:
                problems.append(f"{kind} {record_id} is toegevoegd buiten het programma om.")
            elif recorded != digest:
                problems.append(f"{kind} {record_id} is gewijzigd buiten het programma om.")
    return problems


Connect = Callable[[], AbstractContextManager[Connection]]


def verify_chain(connection: Connection | Session, against: ChainHead | None = None, *,
                 connect: Connect | None = None, school_id: int | None = None) -> ChainReport:
    """Walk the chain in order; name the first entry that was edited, removed or inserted.
    Then compare every row of the audited tables with its latest audited digest.

    `connect`: opens another connection to the same register (Vault.reader); the rows are
    then compared on it, on a thread of its own, while this connection walks the chain. The
    report is the same; the two halves share the machine's cores (SQLite reads and decrypts
    without holding Python's lock).

    `school_id`: whose chain (one per school); by default the session's school."""
    school_id = school_id if school_id is not None else _chain_school(connection)
    if school_id is None and (connection.execute(select(func.count()).select_from(
            School.__table__)).scalar() or 0) > 1:
        raise RegisterError("Dit register bevat meer dan één school en elke school heeft "
                            "haar eigen auditketen. Kies eerst een school.")
    if isinstance(connection, Session):
        connection = connection.connection()
    # each fetched batch makes thousands of tuples that are dropped a moment later, and the
    # cyclic collector would walk them again and again (db.bulk.cyclic_gc_paused)
    with cyclic_gc_paused():
        report, changed = _verify(connection, against, connect, school_id)
    if not report.ok or not changed:
        return report
    shown = " ".join(changed[:10])
    more = f" (en nog {len(changed) - 10})" if len(changed) > 10 else ""
    return ChainReport(False, report.entries, f"De auditketen zelf is in orde, maar "
                       f"{len(changed)} gegeven(s) wijken af van het auditlog: {shown}{more}",
                       None, changed)


def _verify(connection: Connection, against: ChainHead | None, connect: Connect | None,
            school_id: int | None) -> tuple[ChainReport, tuple[str, ...]]:
    """The chain walk and, when the chain is in order, the rows' check (see verify_chain)."""
    if connect is None:
        report = _verify_entries(connection, against, school_id)
        changed = tuple(changed_records(connection, school_id)) if report.ok else ()
    else:
        with ThreadPoolExecutor(1) as pool:
            rows = pool.submit(_changed_records_on, connect, school_id)
            report = _verify_entries(connection, against, school_id)
            if report.ok:
                changed = tuple(rows.result())
            else:  # a broken chain is the report: the rows' check (and its error) counts
                rows.exception()  # for nothing, as when it did not run; wait for it to end
                changed = ()
    return report, changed


def _changed_records_on(connect: Connect, school_id: int | None) -> list[str]:
    with connect() as connection:
        return changed_records(connection, school_id)


def verify_all_chains(connection: Connection | Session, *,
                      connect: Connect | None = None) -> dict[int, ChainReport]:
    """Every school's chain that this session may read, by school id: a board session's
    verify covers every school, a school's session its own chain."""
    from db.tenancy import session_scope

    if isinstance(connection, Session):
        scope = session_scope(connection)
        own = session_school(connection)
        connection = connection.connection()
        if (scope is None or not scope.board) and own is not None:
            return {own: verify_chain(connection, connect=connect, school_id=own)}
    schools = connection.execute(select(School.__table__.c.id).order_by(
        School.__table__.c.id)).scalars().all()
    return {school_id: verify_chain(connection, connect=connect, school_id=school_id)
            for school_id in schools}


def _verify_entries(connection: Connection, against: ChainHead | None,
                    school_id: int | None = None) -> ChainReport:
    """The chain walk, streamed in seq order: each entry's hash computed as entry_hash()
    does, from the entry as stored (the time as stored text, turned around as _stamp_text
    does, inlined here for the form the database writes). The first thing out of place sends
    the check to the walk that names it (_walk_entries), so every report is the one that
    walk gives; this loop only says "in order", as fast as it can."""
    t = AuditEntry.__table__
    rows = stream_batches(connection, _entries_query(school_id).order_by(t.c.seq))
    sha256 = hashlib.sha256
    expected_seq, prev = 1, GENESIS
    stop = against.seq if against is not None else 0
    for part in rows:
        for seq, at, user_id, action, table_name, record_id, prev_hash, digest, content in part:
            if seq != expected_seq or prev_hash != prev:
                return _walk_entries(connection, against, school_id)
            if at.__class__ is str and len(at) == 26 and at[10] == " ":
                at = f"{at[:10]}T{at[11:]}Z"
            else:
                at = _stamp_text(at) if at.__class__ is str else _utc_text(at)
            text = (f"{seq}|{at}|{'' if user_id is None else user_id}|{action}|{table_name}|"
                    f"{record_id}|{prev_hash}")
            if content is not None:
                text = f"{text}|{content}"
            if (sha256(text.encode("utf-8")).hexdigest() != digest
                    or (seq == stop and digest != against.hash)):
                return _walk_entries(connection, against, school_id)
            prev = digest
            expected_seq += 1
    total = expected_seq - 1
    if against is not None and against.seq > total:
        return _walk_entries(connection, against, school_id)
    return ChainReport(True, total, f"Auditketen in orde ({total} regels).")


def _entries_query(school_id: int | None) -> Select:
    """The entries of one school's chain (all entries where the register has no school
    yet, or none)."""
    t = AuditEntry.__table__
    query = select(t.c.seq, type_coerce(t.c.at, String), t.c.user_id, t.c.action,
                   t.c.table_name, t.c.record_id, t.c.prev_hash, t.c.hash, t.c.digest)
    return query if school_id is None else query.where(t.c.school_id == school_id)


def _hashed_text(seq: int, at: object, user_id: object, action: str, table_name: str,
                 record_id: str, prev_hash: str, content: str | None) -> str:
    """What entry_hash() hashes, from an entry as stored (the time as stored text)."""
    at_text = _stamp_text(at) if at.__class__ is str else _utc_text(at)
    text = (f"{seq}|{at_text}|{'' if user_id is None else user_id}|{action}|{table_name}|"
            f"{record_id}|{prev_hash}")
    if content is not None:  # entries from before digests hash exactly as they always did
        text = f"{text}|{content}"
    return text


def _walk_entries(connection: Connection, against: ChainHead | None,
                  school_id: int | None = None) -> ChainReport:
    """The chain walk that names what is wrong: streamed in seq order, each hash computed as
    entry_hash() does from the entry as stored."""
    t = AuditEntry.__table__
    rows = _stream(connection, _entries_query(school_id).order_by(t.c.seq))
    sha256 = hashlib.sha256
    expected_seq, prev = 1, GENESIS
    count = 0
    for seq, at, user_id, action, table_name, record_id, prev_hash, digest, content in rows:
        count += 1
        if seq != expected_seq:
            return ChainReport(False, count, f"Auditregel {expected_seq} ontbreekt: de keten "
                               f"springt van {expected_seq - 1} naar {seq} (verwijderd).",
                               expected_seq)
        text = _hashed_text(seq, at, user_id, action, table_name, record_id, prev_hash,
                            content)
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
    """The entries of the session's school's chain."""
    head = chain_head(session)
    return head.seq if head is not None else 0
