"""The audit chain check as it was before issue 14 made it fast (db/audit.py at commit
5925c09): kept verbatim as the reference that the fast code must agree with, report for
report and digest for digest (tests/db/test_audit_fast.py). Not used by the program."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
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
    select,
    type_coerce,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from db.audit import COVERED, GENESIS, ChainHead, ChainReport
from db.schema import AuditEntry, Base

_BATCH = 500
_STREAM = 5000
_CHECK = 900


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
    # revision 0009: which school a row belongs to is not part of its digest (db.audit)
    names = [name for name in table.columns.keys() if name != "school_id"]
    pick, header = _layout(names)
    order = sorted(range(len(names)), key=lambda i: names[i])
    columns, fixes = [], []
    for position, index in enumerate(order):
        column = table.columns[names[index]]
        kind = _temporal(column)
        if kind is not None:
            fixes.append((position, _stamp_text if kind is datetime else _day_text))
    for column in (table.columns[name] for name in names):
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
