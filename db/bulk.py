"""Bulk reads and writes for the paths that handle tens of thousands of rows at once (an
import and its audit entries, the audit chain check).

`insert_rows` stores exactly what ``connection.execute(insert(table), rows)`` stores: the same
statement, each value through its column type's own bind processor, a column left out gets
its scalar default as Core gives it. On SQLite it hands the driver one executemany of plain
tuples: Core spends more Python per row on building and processing parameters than SQLite
spends on storing the row. Elsewhere it is Core's executemany.

`insert_returning_ids` adds the new rows' ids in the order of the rows, with the proof the
import has always asked for: the database's own rows read back name by name.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from operator import itemgetter

from sqlalchemy import Column, Connection, Select, Table, insert, select
from sqlalchemy.exc import DBAPIError

from db.errors import RegisterError
from db.schema import CONNECTION_SCHOOL, current_school

Processor = Callable[[object], object]
_CHUNK = 10_000  # rows per executemany


_gc_pauses = 0
_gc_was_enabled = False
_gc_lock = threading.Lock()


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for a bulk read or write, on again after.

    A bulk path makes hundreds of thousands of objects that it keeps (parsed rows, parameter
    tuples), and each few hundred new objects the collector walks the young ones, now and
    then every object there is: at 20,000 pupils that was a sixth of an import's processor
    time. Their memory is freed as before (reference counts); only garbage in reference
    cycles waits for the next collection after the pause. Pauses nest and may overlap on
    several threads: the collector comes back on when the last one ends, as it was before
    the first."""
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


@contextmanager
def larger_page_cache(connection: Connection, kib: int = 65_536) -> Iterator[None]:
    """SQLite's page cache of this connection raised to `kib` for a bulk write, back to what
    it was after (the dirty pages stay until the commit writes them).

    With the default cache (8 MB) an import of 20,000 pupils and their audit entries does
    not fit: SQLite spills dirty pages to the -wal in the middle of the transaction, each
    encrypted, and writes (and encrypts) a page again whenever an index page it spilled
    changes once more. The memory is only taken as the write needs it. Elsewhere: nothing."""
    if connection.dialect.name != "sqlite":
        yield
        return
    raw = connection.connection.dbapi_connection
    before = raw.execute("PRAGMA cache_size").fetchone()[0]
    held = -before if before < 0 else before * raw.execute("PRAGMA page_size").fetchone()[0] // 1024
    if held >= kib:  # as large already (Vault.keep_pages)
        yield
        return
    raw.execute(f"PRAGMA cache_size = {-int(kib)}")
    try:
        yield
    except BaseException:
        with suppress(Exception):  # the write's own error is the one to report
            raw.execute(f"PRAGMA cache_size = {int(before)}")
        raise
    raw.execute(f"PRAGMA cache_size = {int(before)}")


def _processed(processor: Processor) -> Processor:
    """The processor, remembering its answer for the last value it saw (the same object): a
    bulk write hands one time object to every row, and a bind processor is a pure function
    of its value."""
    last: list[object] = [object(), None]

    def process(value: object) -> object:
        if value is not last[0]:
            last[0], last[1] = value, processor(value)
        return last[1]

    return process


def _through(processor: Processor | None, column: Sequence[object]) -> Iterable[object]:
    """A column's values through its processor; one object in every row (a bulk write's
    time) goes through once."""
    if processor is None:
        return column
    first = column[0]
    # count() in C first: it compares by equality, which identity implies
    if column.count(first) == len(column) and all(value is first for value in column):
        return (processor(first),) * len(column)
    return map(processor, column)


def _scalar_default(column: Column, connection: Connection) -> tuple[bool, object]:
    default = column.default
    if default is None:
        return True, None
    if getattr(default, "arg", None) is current_school:  # the school of the transaction
        school_id = connection.info.get(CONNECTION_SCHOOL)
        if school_id is None:
            raise RegisterError("Er is geen school gekozen: gegevens worden altijd bij een "
                                "school opgeslagen. Er is niets opgeslagen.")
        return True, school_id
    if getattr(default, "is_scalar", False):
        return True, default.arg
    return False, None  # a callable or SQL default: only Core knows how to apply it


def insert_rows(connection: Connection, table: Table, names: Sequence[str],
                rows: Sequence[Sequence[object]]) -> None:
    """INSERT `rows` (tuples of the values of `names`, as Python objects) in one go."""
    if not rows:
        return
    dialect = connection.dialect
    missing = [column for column in table.columns
               if column.name not in names and not (column.primary_key
                                                    and column.autoincrement is not False
                                                    and len(table.primary_key) == 1)]
    defaults = [(column, *_scalar_default(column, connection)) for column in missing]
    if dialect.name != "sqlite" or not all(scalar for _, scalar, _ in defaults):
        connection.execute(insert(table), [dict(zip(names, row, strict=True)) for row in rows])
        return
    extra = [(column.name, value) for column, _, value in defaults if column.default is not None]
    keys = [*names, *(name for name, _ in extra)]
    compiled = insert(table).compile(dialect=dialect, column_keys=keys)
    order = [keys.index(name) for name in compiled.positiontup]
    processors = [(_processed(processor) if (processor := table.columns[keys[i]].type
                                             .dialect_impl(dialect).bind_processor(dialect))
                   else None) for i in order]
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        for start in range(0, len(rows), _CHUNK):  # memory: one chunk's parameters at a time
            part = rows[start:start + _CHUNK]
            # column by column, in the statement's order: a type's processor runs over its
            # column; a defaulted column is its default repeated
            columns = list(zip(*part, strict=True)) + [(value,) * len(part)
                                                       for _, value in extra]
            cursor.executemany(compiled.string, zip(*(
                _through(processor, columns[i])
                for i, processor in zip(order, processors, strict=True)), strict=True))
    except dialect.loaded_dbapi.Error as error:  # as Core raises it, without the values
        raise DBAPIError.instance(compiled.string, None, error, dialect.loaded_dbapi.Error,
                                  hide_parameters=True, dialect=dialect,
                                  ismulti=True) from error
    finally:
        cursor.close()


def stream_batches(connection: Connection, query: Select, size: int = 5000,
                   ) -> Iterator[Sequence[Sequence]]:
    """The rows of a Core query in lists of up to `size`, as the driver gives them. On SQLite
    the statement SQLAlchemy compiled runs on the driver's cursor (no Row objects and no
    result processors: the caller converts what it needs); elsewhere SQLAlchemy streams with
    yield_per (a server-side cursor) and its rows are converted already."""
    if connection.dialect.name != "sqlite":
        yield from connection.execute(query.execution_options(yield_per=size)).partitions()
        return
    result = connection.execute(query)  # binds processed, IN lists expanded, no row fetched
    cursor = result.cursor
    try:
        while part := cursor.fetchmany(size):
            yield part
    finally:
        result.close()


def insert_returning_ids(connection: Connection, table: Table, names: Sequence[str],
                         rows: Sequence[Sequence[object]], checked: Sequence[str]) -> list[int]:
    """INSERT `rows` and return their new ids in the order of `rows`. The values of the
    `checked` columns read back beside the ids must be the rows' own, row for row; anything
    else stops the write (the caller's transaction rolls back) rather than link a guardian to
    the wrong pupil.

    SQLite numbers the rows of one write transaction one after the other, above the highest
    id (no AUTOINCREMENT), and an import holds the write lock: the rows above the previous
    highest id are this insert's. Elsewhere: a batched INSERT ... RETURNING, sorted by id."""
    if not rows:
        return []
    (key,) = table.primary_key
    columns = [table.c[name] for name in checked]
    at = [list(names).index(name) for name in checked]
    if connection.dialect.name == "sqlite":
        before = connection.execute(select(key).order_by(key.desc()).limit(1)).scalar()
        insert_rows(connection, table, names, rows)
        query = select(key, *columns).order_by(key)
        if before is not None:
            query = query.where(key > before)
        returned = [got for part in stream_batches(connection, query) for got in part]
    else:
        returned = sorted(connection.execute(
            insert(table).returning(key, *columns),
            [dict(zip(names, row, strict=True)) for row in rows]).all())
    pick = itemgetter(*at) if len(at) > 1 else (lambda row: (row[at[0]],))
    if len(returned) != len(rows) or any(
            tuple(got[1:]) != pick(row) for got, row in zip(returned, rows, strict=True)):
        raise RegisterError("De database nummerde de nieuwe rijen niet in volgorde. Er is "
                            "niets opgeslagen.")
    return [got[0] for got in returned]
