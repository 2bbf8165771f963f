"""The pupil import writes exactly what it wrote before it was made fast (issue 14): the same
pupils, guardians and links, and the same audit entries with the same digests, for a CSV
import, a second CSV import with changes, new and departed pupils, and an EDEXML import on
top, on a register with a fixed clock. Golden file written by the code before that change
(tests/db/imports/golden/, JSON, gzip).

The audit entries are compared without their hashes: the chain starts with the set-up's
entries, which cover the users' salted password hashes (new on every run). The digest of
every imported row is compared, and the chain must verify.

To write the golden file again (only when an import is meant to write something else):
    python -m tests.db.imports.test_import_unchanged --write
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import text

from db.audit import count_entries, verify_chain
from db.clock import fixed_clock
from db.imports.detect import parse_file
from db.imports.preview import build_preview, commit_import
from db.open_register import OpenRegister
from db.permissions import SYSTEM
from db.register import NewSchool, set_up_register
from db.schema import Role
from tests.db.imports.make_fixtures import make_csv, make_edexml
from tests.support.golden import fixed_register, read_golden, write_golden

GOLDEN = Path(__file__).parent / "golden" / "imports_2026-11-24.json.gz"
NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
LATER = datetime(2026, 12, 1, 14, 5, 7, 123456, tzinfo=UTC)
DUMPED = ("pupil", "guardian", "pupil_guardian")


def _second_csv() -> bytes:
    """Pupils 0-199 of make_csv(260) less 20 who left, with 30 moved to another group and a
    guardian added to 10 of them: changed, new, unchanged and missing pupils at once."""
    lines = make_csv(260).decode("utf-8-sig").split("\r\n")
    header, rows = lines[0], [line for line in lines[1:] if line]
    kept = []
    for number, line in enumerate(rows):
        cells = line.split(";")
        if 20 <= number < 40:
            continue  # left the school
        if 100 <= number < 130:
            cells[5] = "Groep 8c"
        if 130 <= number < 140:
            cells[11] = f"nieuw{number}@example.nl"
        kept.append(";".join(cells))
    return ("\ufeff" + "\r\n".join([header, *kept]) + "\r\n").encode("utf-8")


def _import(vault: OpenRegister, data: bytes, name: str, when: datetime, *,
            mark_left: bool = False) -> dict:
    with vault.session() as session:
        parsed, _table = parse_file(data, name)
        preview = build_preview(session, SYSTEM, parsed)
        left = {m.pupil_id for m in preview.missing} if mark_left else None
        result = commit_import(session, SYSTEM, preview, left_on=date(2026, 11, 30),
                               mark_left=left, clock=fixed_clock(when))
    return {"new": len(preview.new), "changed": [
        [c.pupil_id, [x.describe() for x in c.changes]] for c in preview.changed],
        "unchanged": len(preview.unchanged), "missing": [m.pupil_id for m in preview.missing],
        "problems": [[p.where, p.message] for p in preview.problems],
        "result": [result.added, result.updated, result.marked_left, result.guardians_added,
                   result.already_present]}


def render(folder: Path) -> dict:
    """A set-up register, three imports; what they reported and what the register holds."""
    with fixed_register(folder, NOW) as (vault, _clock):
        return _imported_into(vault)


def _imported_into(vault: OpenRegister) -> dict:
    with vault.session() as session:
        before = count_entries(session)
    reports = [_import(vault, make_csv(200), "leerlingen.csv", NOW),
               _import(vault, _second_csv(), "leerlingen2.csv", LATER, mark_left=True),
               _import(vault, make_edexml(230), "export.xml", LATER)]
    with vault.session() as session:
        assert verify_chain(session, connect=vault.reader).ok
        connection = session.connection()
        tables = {name: [list(row) for row in connection.execute(text(
            f"SELECT * FROM {name} ORDER BY 1, 2"))] for name in DUMPED}  # noqa: S608
        entries = [list(row) for row in connection.execute(text(
            "SELECT seq, at, user_id, action, table_name, record_id, digest "
            "FROM audit_entry WHERE seq > :before ORDER BY seq"), {"before": before})]
    return {"reports": reports, "tables": tables, "entries": entries}


def _as_stored_in_the_file(value: object) -> object:
    """A value as the SQLCipher file holds it (and the golden file has it): PostgreSQL gives
    true/false, dates and times where SQLite has 1/0 and ISO text."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M:%S.%f}"
    return value


def _plain(value: object) -> object:
    return json.loads(json.dumps(value, default=str))


def test_imports_write_what_they_wrote(tmp_path):
    _same_as_golden(_plain(render(tmp_path)))


def test_imports_on_the_server_write_what_they_wrote_on_the_file(new_server_register):
    """The same three imports into a register on the PostgreSQL server, as the program's
    role (the bulk inserts and the audit chain on the server): the same reports, rows and
    audit entries with the same digests as the golden file, value for value."""
    vault = new_server_register("imports_golden", fixed_clock(NOW))
    try:
        with vault.session() as session:
            set_up_register(session, NewSchool("OBS De Klimop", "12AB", "beheer",
                                               "geheim-wachtwoord", admin_role=Role.BEHEERDER),
                            clock=fixed_clock(NOW))
        written = _imported_into(vault)
    finally:
        vault.close()
    for name in ("tables", "entries"):
        rows = written[name].values() if name == "tables" else [written[name]]
        for table in rows:
            for row in table:
                row[:] = [_as_stored_in_the_file(value) for value in row]
    _same_as_golden(_plain(written))


def _same_as_golden(actual: dict) -> None:
    expected = read_golden(GOLDEN)
    assert actual["reports"] == expected["reports"]
    for name in DUMPED:
        # written again after revisions 0009 and 0010: every row also holds its school (the
        # register's one school, 1) and pupils and guardians their version; nothing else moved
        assert actual["tables"][name] == expected["tables"][name], name
    assert len(actual["entries"]) == len(expected["entries"])
    assert actual["entries"] == expected["entries"]


if __name__ == "__main__" and "--write" in sys.argv:
    result = write_golden(GOLDEN, lambda folder: _plain(render(folder)))
    print(f"{GOLDEN}: {len(result['entries'])} audit entries, "
          f"{[len(result['tables'][n]) for n in DUMPED]} rows; "
          f"{[r['result'] for r in result['reports']]}")
