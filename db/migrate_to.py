"""Moving up: a school's local register (the SQLCipher file) copied into a PostgreSQL server.

`copy_to_server(source, address, ...)` copies every table of an open register into an EMPTY
server database (or, see below, into a board's database as a new school), as the database's
owner, in one transaction:

1. the local register's audit chain is verified first; a broken chain is refused;
2. the server's schema is made by the same Alembic revisions as `init --server`, and the
   program's own database user (not the owner) gets its grants;
3. every table is copied, parents before children, with its ids unchanged (so each audit
   entry still names the right record and every row's digest still holds), streamed in
   batches so that memory stays flat for a register of any size; booleans, dates and times go
   through the columns' own types; the server's sequences are then set past the copied ids;
4. the chain is verified again on the server, inside the same transaction: only when it is in
   order and has the SAME head as the local register is the transaction committed. Anything
   else, an error, a cancel or Ctrl-C, rolls it back: the server database stays empty.

The server register gets a database id of its own (the file keeps its own: from now on they
are two registers).

A database that already holds a register of this version (the board's, with one or more
schools: issue 15, points 2 and 4) gets the file's school as a NEW school, in the same one
transaction (`_add_school`):

- a school whose BRIN is already in the database is refused;
- every row gets a fresh id from its table's sequence (in the order of the old ids), every
  foreign key follows it (school_id too, to the new school), so nothing collides with the
  other schools' rows and what is unique per school (0009) stays unique; the register's own
  rows of the file stay out (its settings without a school, such as its database id; its
  login throttle; board accounts, which the board database has of its own);
- the audit entries are copied as stored (seq, time, user id, record id, prev_hash, hash,
  digest) into the new school's chain, which is walked on the server: its head must be the
  file's head;
- the ids changed, so no row's digest matches the entry that wrote it any more: every copied
  row gets one 'audit.baseline' entry after the copied chain (db.audit.record_baseline, as
  revisions 0005/0008/0010 did), and then the school's whole check (chain and rows) must be in
  order. The report gives the head of the copied part (= the file's), the number of baseline
  entries and the head after them.

The copied entries keep the ids of the file (record id, user id): the hash covers them. So an
entry from before the move names the record and the user by their id in the file; the old →
new ids of the users and of the records the audit log names are kept as settings of the new
school (db.moved_ids), and the audit log and the access export read those entries with them.

`open_read_only(path)` opens the local file so that not one byte of it, its -wal or its sidecar
changes (SQLite's immutable read-only mode, no key stored anywhere): the CLI reads through it.
The GUI, which has the register open, reads on a connection of its own (Vault.reader).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import (
    Connection,
    Engine,
    Integer,
    Table,
    create_engine,
    func,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.pool import StaticPool

from db import migrate
from db.audit import ChainHead, chain_head, verify_chain
from db.errors import (
    Cancelled,
    DatabaseNotFoundError,
    RegisterError,
    ServerError,
    WrongKeyError,
)
from db.schema import Base
from db.server import (
    ASK_THE_IT_PARTNER,
    INSUFFICIENT_PRIVILEGE,
    ServerAddress,
    _server_errors,
    grant_application_role,
    make_engine,
)
from db.sidecar import read_sidecar
from db.vault import _derived_once, _raw_connect, _resolve_key, _sniff, _why_it_did_not_open

BATCH = 5000  # rows per read from the file and per INSERT on the server
NOTHING_CHANGED = "Er is niets gewijzigd: het register op deze computer is niet veranderd."

Progress = Callable[[int, int], bool]  # (rows copied, rows in all) -> go on?
Step = Callable[[str], None]  # a Dutch line: what is being done now


class MigrationRefused(RegisterError):
    """The copy was refused or undone; the message says why, in Dutch."""


@dataclass(frozen=True)
class MigrationReport:
    """What was copied: the chain heads before (the file) and after (the server), the rows
    of every table, and the server register's own database id."""

    local_head: ChainHead | None
    server_head: ChainHead | None
    rows: dict[str, int] = field(default_factory=dict)
    database_id: str = ""
    # a school added to a database that already held a register (see add_school_to_server):
    # its new id, the baseline entries after the copied chain, and the chain's head after them
    school_id: int | None = None
    baseline_entries: int = 0
    final_head: ChainHead | None = None

    @property
    def added_school(self) -> bool:
        return self.school_id is not None

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


# --- the local file, read only ------------------------------------------------------------

def open_read_only(path: Path, *, passphrase: str | None = None,
                   recovery_key: str | None = None) -> Engine:
    """An engine on the register file at `path` that cannot change it: SQLite's immutable
    read-only mode (no lock, no -wal, no -shm written), query_only on top. The key comes from
    the keyring (as the sidecar names it), the passphrase or the recovery key, and is stored
    nowhere.

    A register with a -wal that holds data is still open in the program (or was not closed
    properly): its newest changes are in the -wal, which an immutable reader does not see, so
    it is refused with what to do."""
    path = Path(path)
    if not path.is_file():
        raise DatabaseNotFoundError(f"Het registerbestand {path} bestaat niet. Kies met "
                                    "--school-from het bestand van de school.")
    _sniff(path)
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise MigrationRefused(
            "Het register is nog geopend in Privacyregister (of het programma is niet netjes "
            "afgesloten). Sluit Privacyregister op deze computer en probeer het opnieuw; is het "
            "al gesloten, open en sluit het register dan één keer. " + NOTHING_CHANGED)
    meta = read_sidecar(path)
    key, from_outside = _resolve_key(path, meta, passphrase=passphrase,
                                     recovery_key=recovery_key, raw_key=None)
    try:
        key = _derived_once(path, key)
    except WrongKeyError:
        raise _why_it_did_not_open(from_keyring=not from_outside and key.raw is not None,
                                   typed=recovery_key is not None) from None

    def connect() -> sqlcipher.Connection:
        connection = _raw_connect(path, key, immutable=True)
        connection.execute("PRAGMA query_only = ON")
        connection.execute("PRAGMA temp_store = MEMORY")  # no temporary files beside it
        return connection

    return create_engine("sqlite+pysqlite://", creator=connect, module=sqlcipher,
                         poolclass=StaticPool)


# --- the copy ------------------------------------------------------------------------------

def tables_to_copy() -> list[Table]:
    """Every table of the register, parents before children."""
    return list(Base.metadata.sorted_tables)


def copy_to_server(source: Connection, address: ServerAddress, *, password: str,
                   application_role: str, progress: Progress | None = None,
                   step: Step | None = None) -> MigrationReport:
    """Copy the register open on `source` into the empty database at `address` (its owner's
    address and password). See the module's docstring for the order and the guarantees.

    `progress(done, total)` after each batch; when it returns False the copy stops with
    Cancelled and the server is left empty. `step(text)` says which phase starts.
    Raises MigrationRefused (Dutch) for a broken local chain, an older or newer local schema,
    a non-empty database or a chain that came out different on the server; ServerError for
    what the server refused."""
    tell = step or (lambda _text: None)
    _one_snapshot(source)
    if application_role == address.user:
        raise MigrationRefused(
            "Het programma werkt met een andere databasegebruiker dan de eigenaar van de "
            "database: de eigenaar kan de auditlog herschrijven, de programmagebruiker niet. "
            "Geef bij het overzetten de gebruiker waarmee het programma werkt. "
            + ASK_THE_IT_PARTNER)
    _check_revision(source)
    tell("De auditketen van het register op deze computer wordt gecontroleerd…")
    report = verify_chain(source)
    if not report.ok:
        raise MigrationRefused(
            "De auditketen van het register op deze computer is niet in orde, en een register "
            "met een beschadigde keten wordt niet overgezet: op de server zou niemand meer "
            f"kunnen zien wat er is gebeurd. {report.message} Zet eerst een goede "
            "reservekopie terug of neem contact op met uw ICT-partner. " + NOTHING_CHANGED)
    local_head = chain_head(source)
    tables = tables_to_copy()
    counts = {table.name: source.execute(select(func.count()).select_from(table)).scalar_one()
              for table in tables}
    total = sum(counts.values())
    database_id = uuid.uuid4().hex
    engine = make_engine(address, password)
    try:
        with _server_errors(), engine.begin() as target:
            if _holds_a_register(target, application_role):
                return _add_school(source, target, tables, counts, local_head,
                                   application_role, progress or _go_on, tell)
            tell("De opbouw van het register wordt op de server gemaakt…")
            migrate.upgrade(target)
            grant_application_role(target, application_role)
            tell(f"{total:,} rijen worden overgezet…".replace(",", "."))
            copied = _copy_tables(source, target, tables, total, progress or _go_on)
            target.execute(text("INSERT INTO setting (key, value) VALUES ('database_id', :v)"),
                           {"v": database_id})
            _advance_sequences(target, tables)
            tell("De auditketen op de server wordt gecontroleerd…")
            server_head = _check_copy(target, tables, counts, copied, local_head)
    except ProgrammingError as exc:
        if getattr(exc.orig, "sqlstate", None) != INSUFFICIENT_PRIVILEGE:
            raise
        raise ServerError("Deze gebruiker mag in deze database geen tabellen maken: een register "
                          "wordt overgezet door de eigenaar van de database. "
                          + ASK_THE_IT_PARTNER) from exc
    finally:
        engine.dispose()
    return MigrationReport(local_head, server_head, copied, database_id)


def _one_snapshot(source: Connection) -> None:
    """Every read of the copy (the chain check, the counts, the rows) from one snapshot of
    the file: a read transaction begun now, so that a change saved meanwhile on another
    connection (the window's) is not half in the copy. (The driver begins a transaction
    before a write only; SQLAlchemy's own is closed with the connection.)"""
    if source.dialect.name == "sqlite" and not source.connection.dbapi_connection.in_transaction:
        source.exec_driver_sql("BEGIN")


def _go_on(_done: int, _total: int) -> bool:
    return True


def _check_revision(source: Connection) -> None:
    revision = migrate.current_revision(source)
    if revision != migrate.head_revision():
        raise MigrationRefused(
            "Het register op deze computer heeft een andere opbouw dan deze versie van "
            "Privacyregister. Open het eerst één keer met deze versie (het wordt dan "
            "bijgewerkt, na een automatische reservekopie) en zet het daarna over. "
            + NOTHING_CHANGED)


def _holds_a_register(target: Connection, application_role: str) -> bool:
    """False for an empty database (the copy with ids 1:1); True for a database that holds a
    register of this version (the file's school is added as a new school); anything else is
    refused."""
    if not target.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"),
                          {"r": application_role}).first():
        raise MigrationRefused("De databasegebruiker voor het programma bestaat niet op de "
                               "server. " + ASK_THE_IT_PARTNER)
    if not inspect(target).get_table_names():
        return False
    if migrate.current_revision(target) != migrate.head_revision():
        raise MigrationRefused(
            "Deze database op de server is niet leeg en bevat geen register van deze versie "
            "van Privacyregister. Een register wordt overgezet naar een lege database, of als "
            "nieuwe school naar een database met het register van het bestuur (in dezelfde "
            "versie). Vraag uw ICT-partner om een nieuwe, lege database. " + NOTHING_CHANGED)
    return True


def _copy_tables(source: Connection, target: Connection, tables: Sequence[Table], total: int,
                 progress: Progress) -> dict[str, int]:
    done = 0
    copied: dict[str, int] = {}
    if not progress(0, total):
        raise Cancelled("Het overzetten is afgebroken. De database op de server is leeg "
                        "gebleven.")
    for table in tables:
        copied[table.name] = 0
        for batch in _batches(source, table):
            rows = _rows_for_server(table, batch)
            if rows:
                target.execute(insert(table), rows)
            copied[table.name] += len(batch)
            done += len(batch)
            if not progress(done, total):
                raise Cancelled("Het overzetten is afgebroken. De database op de server is "
                                "leeg gebleven.")
    return copied


def _batches(source: Connection, table: Table) -> Iterator[list[dict]]:
    """The rows of `table` as Python values (the column types convert: 0/1 to a bool, ISO
    text to a date, stored UTC text to an aware datetime), BATCH at a time, in key order."""
    query = select(table).order_by(*table.primary_key.columns)
    result = source.execution_options(yield_per=BATCH).execute(query)
    try:
        for part in result.mappings().partitions(BATCH):
            yield [dict(row) for row in part]
    finally:
        result.close()


def _rows_for_server(table: Table, rows: list[dict]) -> list[dict]:
    """The rows as an empty server database gets them: the same, ids and all (the file's
    database id excepted: the server register has its own). A database that holds a register
    already renumbers them instead (_Renumbering)."""
    if table.name == "setting":
        return [row for row in rows if row["key"] != "database_id"]
    return rows


def _advance_sequences(target: Connection, tables: Sequence[Table]) -> None:
    """Set each table's id sequence past its highest copied id, so the next new row on the
    server gets a fresh id."""
    for table in tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer) \
                or keys[0].autoincrement is False:
            continue
        sequence = target.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                  {"t": table.name, "c": keys[0].name}).scalar()
        if sequence is None:
            continue
        highest = target.execute(select(func.max(keys[0]))).scalar()
        target.execute(text("SELECT setval(:s, :v, false)"),
                       {"s": sequence, "v": (highest or 0) + 1})


def _check_copy(target: Connection, tables: Sequence[Table], counts: dict[str, int],
                copied: dict[str, int], local_head: ChainHead | None) -> ChainHead | None:
    """Row counts equal and the chain on the server in order with the same head; else the
    transaction is rolled back by the MigrationRefused raised here."""
    for table in tables:
        on_server = target.execute(select(func.count()).select_from(table)).scalar_one()
        expected = counts[table.name]  # setting: the file's database id made way for the server's
        if copied[table.name] != counts[table.name] or on_server != expected:
            raise MigrationRefused(
                f"Na het overzetten klopt het aantal rijen van de tabel {table.name} niet "
                f"({on_server} op de server, {expected} verwacht). Het overzetten is "
                "teruggedraaid; de database op de server is leeg. " + NOTHING_CHANGED)
    report = verify_chain(target)
    server_head = chain_head(target)
    if not report.ok or server_head != local_head:
        raise MigrationRefused(
            "Na het overzetten was de auditketen op de server niet gelijk aan die op deze "
            f"computer (ketenkop hier {local_head}, op de server {server_head}). "
            f"{report.message} Het overzetten is teruggedraaid; de database op de server is "
            "leeg. " + NOTHING_CHANGED)
    return server_head


# --- a further school into a board's database ---------------------------------------------

# Rows of the file that are the register's own, not its school's: they stay out of a database
# that already holds a register (its own database id stays; the throttle's keys are hashed
# with the file's database id and mean nothing there; a board account of the file belongs to
# no school, and the board's own accounts are the server's).
def _the_registers_own(table: Table, row: dict) -> bool:
    if table.name == "login_throttle":
        return True
    if table.name in ("setting", "app_user"):
        return row["school_id"] is None
    return False


@dataclass
class _Renumbering:
    """Old id → new id per table with an id of its own (a serial), for the foreign keys that
    refer to it; each table's new ids come from its own sequence on the server, in the order
    of the old ones."""

    target: Connection
    sequences: dict[str, str] = field(default_factory=dict)  # table → its id sequence
    new_ids: dict[str, dict[int, int]] = field(default_factory=dict)

    def serial_key(self, table: Table) -> str | None:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer) \
                or keys[0].autoincrement is False:
            return None
        if table.name not in self.sequences:
            sequence = self.target.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                           {"t": table.name, "c": keys[0].name}).scalar()
            if sequence is None:
                return None
            self.sequences[table.name] = sequence
        return keys[0].name

    def renumber(self, table: Table, rows: list[dict]) -> list[dict]:
        """The rows with fresh ids of their own and every foreign key pointing at the new
        id of the row it names."""
        key = self.serial_key(table)
        mapping = self.new_ids.setdefault(table.name, {})
        if key is not None and rows:
            fresh = sorted(self.target.execute(
                text("SELECT nextval(:s) FROM generate_series(1, :n)"),
                {"s": self.sequences[table.name], "n": len(rows)}).scalars())
            for row, new in zip(rows, fresh, strict=True):
                mapping[row[key]] = new
                row[key] = new
        for foreign_key in table.foreign_keys:
            column, referred = foreign_key.parent.name, foreign_key.column.table.name
            names = self.new_ids.get(referred, {})
            for row in rows:
                old = row[column]
                if old is None:
                    continue
                if old not in names:
                    raise MigrationRefused(
                        f"Een rij van de tabel {table.name} verwijst naar een rij van "
                        f"{referred} die niet wordt overgezet. Het overzetten is "
                        "teruggedraaid; de database op de server is niet veranderd. "
                        + NOTHING_CHANGED)
                row[column] = names[old]
        return rows


def _add_school(source: Connection, target: Connection, tables: Sequence[Table],
                counts: dict[str, int], local_head: ChainHead | None, application_role: str,
                progress: Progress, tell: Step) -> MigrationReport:
    """The file's school copied into a database that already holds a register, as a NEW
    school of it, on the owner's transaction `target`:

    1. the school's BRIN may not be in the database yet (no school twice);
    2. every row gets a fresh id from its table's sequence, every foreign key (school_id
       too) follows it; the register's own rows of the file stay out (_the_registers_own);
    3. the audit entries are copied as stored (seq, time, user, record id, hashes) into the
       new school's chain, which is then walked on the server: its head must be the file's;
    4. the rows' digests changed with their ids, so every copied row gets an
       'audit.baseline' entry after the copied chain (as revisions 0005/0008/0010 did), and
       the school's whole check (chain and rows) must then be in order.

    Anything else rolls the transaction back: the database is as it was."""
    from db.audit import COVERED, _verify_entries, record_baseline
    from db.moved_ids import record_moved_ids
    from db.schema import School

    schools = source.execute(select(School.__table__)).mappings().all()
    if len(schools) != 1:
        raise MigrationRefused("Het register op deze computer bevat niet precies één school. "
                               + NOTHING_CHANGED)
    school = schools[0]
    # no school added meanwhile by another owner's session (the program's sessions go on)
    target.exec_driver_sql("LOCK TABLE school IN SHARE ROW EXCLUSIVE MODE")
    brin = (school["brin"] or "").strip().upper()
    if brin and target.execute(select(School.id).where(
            func.upper(func.trim(School.brin)) == brin)).first():
        raise MigrationRefused(
            f"De database op de server bevat al een school met BRIN-nummer {brin}. Een "
            "school wordt maar één keer overgezet; is dit een andere school, controleer dan "
            "het BRIN-nummer in het register op deze computer. " + NOTHING_CHANGED)
    tell("De rechten van de programmagebruiker worden bijgewerkt…")
    grant_application_role(target, application_role)
    expected = {table.name: counts[table.name] - _own_rows(source, table) for table in tables}
    total = sum(expected.values())
    tell(f"{total:,} rijen worden overgezet als nieuwe school…".replace(",", "."))
    renumbering = _Renumbering(target)
    done = 0
    copied: dict[str, int] = {}
    if not progress(0, total):
        raise Cancelled("Het overzetten is afgebroken. De database op de server is niet "
                        "veranderd.")
    for table in tables:
        copied[table.name] = 0
        for batch in _batches(source, table):
            rows = [row for row in batch if not _the_registers_own(table, row)]
            if rows:
                target.execute(insert(table), renumbering.renumber(table, rows))
            copied[table.name] += len(rows)
            done += len(rows)
            if not progress(done, total):
                raise Cancelled("Het overzetten is afgebroken. De database op de server is "
                                "niet veranderd.")
    school_id = renumbering.new_ids["school"][school["id"]]
    tell("De auditketen op de server wordt gecontroleerd…")
    for table in tables:
        owner = table.c.id if table.name == "school" else table.c.get("school_id")
        if owner is None:
            continue
        on_server = target.execute(select(func.count()).select_from(table)
                                   .where(owner == school_id)).scalar_one()
        if on_server != expected[table.name] or copied[table.name] != expected[table.name]:
            raise MigrationRefused(
                f"Na het overzetten klopt het aantal rijen van de tabel {table.name} niet "
                f"({on_server} op de server, {expected[table.name]} verwacht). Het overzetten "
                "is teruggedraaid; de database op de server is niet veranderd. "
                + NOTHING_CHANGED)
    walked = _verify_entries(target, None, school_id)
    server_head = chain_head(target, school_id)
    if not walked.ok or server_head != local_head:
        raise MigrationRefused(
            "Na het overzetten was de auditketen op de server niet gelijk aan die op deze "
            f"computer (ketenkop hier {local_head}, op de server {server_head}). "
            f"{walked.message} Het overzetten is teruggedraaid; de database op de server is "
            "niet veranderd. " + NOTHING_CHANGED)
    # the entries from the file name users and records by their old ids: kept for the audit
    # log and the access export (db.moved_ids)
    record_moved_ids(target, school_id, local_head.seq if local_head is not None else 0,
                     renumbering.new_ids)
    tell("De records krijgen op de server nieuwe nummers: de auditketen legt ze vast…")
    covered = [table for table in tables if table.name in COVERED]
    baseline = record_baseline(target, covered, school_id=school_id)
    report = verify_chain(target, school_id=school_id)
    final_head = chain_head(target, school_id)
    seq = local_head.seq if local_head is not None else 0
    if not report.ok or final_head is None or final_head.seq != seq + baseline:
        raise MigrationRefused(
            "Na het overzetten was de controle van de school op de server niet in orde. "
            f"{report.message} Het overzetten is teruggedraaid; de database op de server is "
            "niet veranderd. " + NOTHING_CHANGED)
    database_id = target.execute(text(
        "SELECT value FROM setting WHERE key = 'database_id' AND school_id IS NULL")).scalar()
    return MigrationReport(local_head, server_head, copied, database_id or "",
                           school_id=school_id, baseline_entries=baseline,
                           final_head=final_head)


def _own_rows(source: Connection, table: Table) -> int:
    """How many of the file's rows of `table` are the register's own (_the_registers_own)."""
    if table.name == "login_throttle":
        return _count(source, table)
    if table.name in ("setting", "app_user"):
        return source.execute(select(func.count()).select_from(table)
                              .where(table.c.school_id.is_(None))).scalar_one()
    return 0


def _count(source: Connection, table: Table) -> int:
    return source.execute(select(func.count()).select_from(table)).scalar_one()
