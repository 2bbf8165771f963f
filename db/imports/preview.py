"""From a parsed file to a preview (new, changed, unchanged, no longer in the file), and the
commit of a confirmed preview in one transaction. Nothing is written before the commit.

Two imports of the same file at the same moment (two workstations' scripts, the CLI beside the
program) must not both see "new": build_preview takes the write lock before it reads
(lock_for_import: BEGIN IMMEDIATE on SQLite, a table lock on PostgreSQL), so a preview and a
commit in one session are one write transaction and the second import waits, then reads the
first one's pupils. A commit in a later session (the wizard shows its preview first) takes the
lock again and re-checks: a pupil whose source key arrived in the meantime is not added twice.
The unique constraint on the source key (revision 0004) refuses what slips past both.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.audit import audit_many
from db.bulk import cyclic_gc_paused, insert_returning_ids, insert_rows, larger_page_cache
from db.clock import Clock, system_clock
from db.errors import Cancelled, RegisterError
from db.imports.model import MAX_KEPT_PROBLEMS, ImportedPupil, ImportProblem, ParsedFile
from db.permissions import Actor, Permission, require
from db.pupils import year_group_from_name
from db.schema import Guardian, Pupil, PupilGuardian, Setting
from db.school import setting_row
from db.text import fold, format_dutch_date

COMPARED = {
    "source_key": "leerlingnummer",
    "first_name": "roepnaam",
    "given_names": "voornamen",
    "prefix": "voorvoegsel",
    "last_name": "achternaam",
    "date_of_birth": "geboortedatum",
    "year_group": "jaargroep",
    "group_name": "groep",
    "enrolled_on": "inschrijfdatum",
    "left_on": "vertrekdatum",
}


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: object
    new: object

    def describe(self) -> str:
        def show(value: object) -> str:
            if isinstance(value, date):
                return format_dutch_date(value)
            return "—" if value in (None, "") else str(value)

        return f"{self.label}: {show(self.old)} → {show(self.new)}"


@dataclass(frozen=True)
class PupilChange:
    pupil_id: int
    incoming: ImportedPupil
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class MissingPupil:
    pupil_id: int
    name: str
    group_name: str


@dataclass
class ImportPreview:
    source: str
    new: list[ImportedPupil] = field(default_factory=list)
    changed: list[PupilChange] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    missing: list[MissingPupil] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    problems_left_out: int = 0  # counted, not kept (see ParsedFile.add_problem)

    @property
    def problem_count(self) -> int:
        return len(self.problems) + self.problems_left_out

    @property
    def has_work(self) -> bool:
        return bool(self.new or self.changed or self.missing)


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    marked_left: int
    guardians_added: int
    already_present: int = 0  # new in the preview, added by another import before the commit


class ConcurrentImportError(RegisterError):
    """Another import stored the same pupils first; nothing of this one was saved."""


def lock_for_import(session: Session) -> None:
    """Start the session's write transaction now, before the register is read.

    SQLite: BEGIN IMMEDIATE (a second import waits for the first, up to the busy timeout).
    PostgreSQL: a lock on the pupil table that lets readers through but no second importer.
    Nothing happens when the session is already in a write transaction.
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        if not connection.connection.dbapi_connection.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql("LOCK TABLE pupil IN SHARE ROW EXCLUSIVE MODE")


def _name_key(first: str, prefix: str, last: str, born: date | None) -> tuple:
    return (fold(first), fold(f"{prefix} {last}"), born)


@cyclic_gc_paused()
def build_preview(session: Session, actor: Actor, parsed: ParsedFile) -> ImportPreview:
    """Compare the file with the register. Match on the source key, else on name + birth date."""
    require(actor, Permission.IMPORT_PUPILS)
    lock_for_import(session)
    preview = ImportPreview(source=parsed.source, problems=list(parsed.problems),
                            problems_left_out=parsed.problems_left_out)
    columns = [getattr(Pupil, name) for name in COMPARED]
    existing = {row[0]: row[1:] for row in session.execute(
        select(Pupil.id, *columns).order_by(Pupil.legacy_duplicate, Pupil.id))}
    # a key's current pupil (legacy_duplicate 0, read first) wins over duplicates from before
    # revision 0004; those are then "no longer in the file", where the office sees them
    by_key: dict[str, int] = {}
    for pid, values in existing.items():
        if values[0]:
            by_key.setdefault(values[0], pid)
    by_name = {}
    for pid, values in existing.items():
        by_name.setdefault(_name_key(values[1], values[3], values[4], values[5]), pid)
    seen_ids: set[int] = set()
    seen_keys: set[str] = set()
    names = list(COMPARED)
    for pupil in parsed.pupils:
        if pupil.source_key:
            if pupil.source_key in seen_keys:
                _add_problem(preview, ImportProblem(
                    pupil.where, f"leerlingnummer {pupil.source_key} staat twee keer in het "
                    "bestand; deze regel is overgeslagen"))
                continue
            seen_keys.add(pupil.source_key)
        pid = by_key.get(pupil.source_key) if pupil.source_key else None
        if pid is None:
            pid = by_name.get(_name_key(pupil.first_name, pupil.prefix, pupil.last_name,
                                        pupil.date_of_birth))
        if pid is None or pid in seen_ids:
            preview.new.append(pupil)
            continue
        seen_ids.add(pid)
        current = dict(zip(names, existing[pid], strict=True))
        changes = []
        for name, label in COMPARED.items():
            new_value = getattr(pupil, name)
            if new_value in (None, ""):
                continue  # the file does not say: keep what the register has
            if new_value != current[name]:
                changes.append(FieldChange(name, label, current[name], new_value))
        if changes:
            preview.changed.append(PupilChange(pid, pupil, tuple(changes)))
        else:
            preview.unchanged.append(pid)
    for pid, values in existing.items():
        if pid not in seen_ids and values[9] is None:  # current pupils only
            name = " ".join(part for part in (values[1], values[3], values[4]) if part)
            preview.missing.append(MissingPupil(pid, name, values[7]))
    preview.missing.sort(key=lambda m: (m.group_name, m.name))
    return preview


def _add_problem(preview: ImportPreview, problem: ImportProblem) -> None:
    if len(preview.problems) < MAX_KEPT_PROBLEMS:
        preview.problems.append(problem)
    else:
        preview.problems_left_out += 1


@cyclic_gc_paused()
def commit_import(session: Session, actor: Actor, preview: ImportPreview, *,
                  left_on: date | None = None, mark_left: set[int] | None = None,
                  clock: Clock = system_clock,
                  progress: Callable[[int, int], bool] | None = None) -> ImportResult:
    """Write a confirmed preview. Pupils in `mark_left` (from preview.missing) get `left_on`.

    The caller owns the transaction: one commit at the end, a rollback on Cancelled.
    """
    require(actor, Permission.IMPORT_PUPILS)
    lock_for_import(session)
    with larger_page_cache(session.connection()):
        return _commit(session, actor, preview, left_on=left_on, mark_left=mark_left,
                       clock=clock, progress=progress)


def _commit(session: Session, actor: Actor, preview: ImportPreview, *, left_on: date | None,
            mark_left: set[int] | None, clock: Clock,
            progress: Callable[[int, int], bool] | None) -> ImportResult:
    now = clock()
    new_pupils = _not_yet_present(session, preview.new)
    already_present = len(preview.new) - len(new_pupils)
    total = len(new_pupils) + len(preview.changed) + len(mark_left or ())
    done = 0

    def step(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None and not progress(done, total):
            raise Cancelled("Het importeren is afgebroken. Er is niets opgeslagen.")

    added_ids: list[int] = []
    guardian_rows: list[tuple[int, object]] = []
    for start in range(0, len(new_pupils), 2000):
        chunk = new_pupils[start:start + 2000]
        rows = [(p.source_key, p.first_name, p.given_names, p.prefix, p.last_name,
                 p.date_of_birth, p.year_group or year_group_from_name(p.group_name),
                 p.group_name, p.enrolled_on, p.left_on, "", now) for p in chunk]
        try:
            ids = insert_returning_ids(session.connection(), Pupil.__table__, _PUPIL_COLUMNS,
                                       rows, checked=("first_name", "last_name"))
        except IntegrityError as exc:
            raise ConcurrentImportError(
                "Een andere import heeft tegelijk dezelfde leerlingen opgeslagen. Er is niets "
                "van deze import opgeslagen; importeer het bestand opnieuw.") from exc
        added_ids.extend(ids)
        guardian_rows.extend((pid, g) for pid, p in zip(ids, chunk, strict=True)
                             for g in p.guardians)
        step(len(chunk))
    audit_many(session, actor, "pupil.import", "pupil", added_ids, clock=clock)

    updates = []
    versions = _versions(session, [change.pupil_id for change in preview.changed])
    for change in preview.changed:
        values = {c.field: c.new for c in change.changes}
        updates.append({"id": change.pupil_id, "version": versions[change.pupil_id], **values})
        guardian_rows.extend((change.pupil_id, g) for g in change.incoming.guardians)
    for start in range(0, len(updates), 2000):
        session.execute(update(Pupil), updates[start:start + 2000])
        step(len(updates[start:start + 2000]))
    audit_many(session, actor, "pupil.import_update", "pupil",
               [u["id"] for u in updates], clock=clock)

    left_ids = sorted(mark_left or ())
    if left_ids:
        when = left_on or now.date()
        versions = _versions(session, left_ids)
        session.execute(update(Pupil), [{"id": pid, "version": versions[pid], "left_on": when}
                                        for pid in left_ids])
        audit_many(session, actor, "pupil.leave", "pupil", left_ids, clock=clock)
        step(len(left_ids))

    guardians_added = _add_guardians(session, actor, guardian_rows, clock,
                                     added=set(added_ids))
    return ImportResult(len(added_ids), len(updates), len(left_ids), guardians_added,
                        already_present)


def _versions(session: Session, pupil_ids: list[int]) -> dict[int, int]:
    """pupil id → Pupil.version now. An update by primary key names the version it read, so
    the import raises it as every other save does (a form loaded before the import is then
    refused, db/versions.py); the import holds the write lock, so the versions stay."""
    found: dict[int, int] = {}
    for start in range(0, len(pupil_ids), 500):
        found.update((pupil_id, version) for pupil_id, version in session.execute(
            select(Pupil.id, Pupil.version).where(Pupil.id.in_(pupil_ids[start:start + 500]))))
    return found


def _not_yet_present(session: Session, pupils: list[ImportedPupil]) -> list[ImportedPupil]:
    """The preview's new pupils less those whose source key is in the register by now.

    A file of more keys than one IN (...) list holds is checked against the register's keys
    read in one go (the statements, each compiled with its 900 parameters, cost more than
    reading a school's keys); a smaller one with IN lists."""
    keys = {p.source_key for p in pupils if p.source_key}
    current = select(Pupil.source_key).where(Pupil.legacy_duplicate == 0)
    present: set[str] = set()
    if len(keys) > 900:
        present.update(key for key in session.scalars(current.where(
            Pupil.source_key.is_not(None))) if key in keys)
    elif keys:  # one IN list: under every database's bind limit
        present.update(session.scalars(current.where(Pupil.source_key.in_(sorted(keys)))))
    if not present:
        return pupils
    return [p for p in pupils if not p.source_key or p.source_key not in present]


_PUPIL_COLUMNS = ("source_key", "first_name", "given_names", "prefix", "last_name",
                  "date_of_birth", "year_group", "group_name", "enrolled_on", "left_on", "notes",
                  "created_at")
_GUARDIAN_COLUMNS = ("first_name", "prefix", "last_name", "phone", "email", "address_secret",
                     "created_at")


def _add_guardians(session: Session, actor: Actor, rows: list, clock: Clock, *,
                   added: AbstractSet[int] = frozenset()) -> int:
    """Guardians from the file that the pupil does not have yet (matched on e-mail or name).
    `added`: pupils this transaction inserted, who have none yet (their links are not read)."""
    if not rows:
        return 0
    known: dict[int, set[str]] = {pid: set() for pid, _ in rows}
    pupil_ids = sorted(pid for pid in known if pid not in added)
    for start in range(0, len(pupil_ids), 900):  # stay under every database's bind limit
        linked = session.execute(
            select(PupilGuardian.pupil_id, Guardian.email, Guardian.last_name,
                   Guardian.first_name)
            .join(Guardian, Guardian.id == PupilGuardian.guardian_id)
            .where(PupilGuardian.pupil_id.in_(pupil_ids[start:start + 900])))
        for pid, email, last, first in linked:
            if email:
                known[pid].add(fold(email))
            known[pid].add(fold(f"{first} {last}"))
    now = clock()
    to_add = []
    for pid, g in rows:
        marks = {fold(g.email)} if g.email else {fold(f"{g.first_name} {g.last_name}")}
        if marks & known[pid]:
            continue
        known[pid] |= marks
        to_add.append((pid, g))
    if not to_add:
        return 0
    connection = session.connection()
    ids = insert_returning_ids(connection, Guardian.__table__, _GUARDIAN_COLUMNS, [
        (g.first_name, g.prefix, g.last_name, g.phone, g.email, False, now)
        for _, g in to_add], checked=("first_name", "last_name"))
    insert_rows(connection, PupilGuardian.__table__,
                ("pupil_id", "guardian_id", "relation", "has_authority"),
                [(pid, gid, g.relation or "ouder/verzorger", True)
                 for gid, (pid, g) in zip(ids, to_add, strict=True)])
    audit_many(session, actor, "guardian.import", "guardian", ids, clock=clock)
    audit_many(session, actor, "guardian.import", "pupil_guardian",
               [f"{pid}/{gid}" for gid, (pid, _) in zip(ids, to_add, strict=True)], clock=clock)
    return len(ids)


# --- remembered column mappings ---------------------------------------------------------

def load_mapping(session: Session, actor: Actor, key: str) -> dict[str, str] | None:
    """The column mapping remembered for this export layout (IMPORT_PUPILS)."""
    require(actor, Permission.IMPORT_PUPILS)
    row = setting_row(session, f"import.mapping.{key}")
    return json.loads(row.value) if row is not None else None


def save_mapping(session: Session, actor: Actor, key: str, mapping: dict[str, str]) -> None:
    """Remember a corrected column mapping for this export layout (no personal data)."""
    require(actor, Permission.IMPORT_PUPILS)
    row = setting_row(session, f"import.mapping.{key}")
    value = json.dumps(mapping, sort_keys=True)
    if row is None:
        session.add(Setting(key=f"import.mapping.{key}", value=value))
    else:
        row.value = value
