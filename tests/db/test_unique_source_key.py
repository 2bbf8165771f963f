"""One pupil per source-system key: the engine refuses a second, revision 0004 keeps
duplicates from before apart, imports take the write lock before they read."""

from datetime import date

import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import IntegrityError

from db.errors import ValidationError
from db.imports.model import ImportedPupil, ParsedFile
from db.imports.preview import build_preview, commit_import
from db.permissions import SYSTEM
from db.pupils import PupilInput, enrol_pupil
from db.schema import Pupil, User
from db.vault import Vault
from tests.conftest import NOW
from tests.db.helpers import on_server
from tests.db.test_migrations import make_file_at_revision


def _row(key, last="Jansen"):
    return {"source_key": key, "first_name": "Sem", "last_name": last, "group_name": "4A",
            "created_at": NOW}


def test_the_engine_refuses_a_second_pupil_with_the_same_source_key(vault):
    with vault.session() as session:
        session.execute(insert(Pupil), [_row("1001"), _row(None), _row(None)])  # NULLs: fine
    with pytest.raises(IntegrityError), vault.session() as session:
        session.execute(insert(Pupil), [_row("1001", "Anders")])


def test_enrolling_with_a_key_another_pupil_has_is_a_dutch_refusal(vault, clock):
    with vault.session() as session:
        session.execute(insert(Pupil), [_row("1001")])
        admin = session.scalars(select(User)).one()
        data = PupilInput(first_name="Lotte", last_name="Smit", date_of_birth=date(2018, 2, 1),
                          group_name="3A", enrolled_on=date(2022, 8, 29), source_key="1001")
        with pytest.raises(ValidationError) as caught:
            enrol_pupil(session, admin, data, clock=clock)
    assert caught.value.field == "source_key" and "1001" in str(caught.value)


def test_duplicates_made_before_revision_0004_are_kept_and_scoped_apart(tmp_path):
    path = tmp_path / "oud.db"
    make_file_at_revision(path, "0002")
    vault = Vault.open(path, upgrade=False)
    with vault.engine.begin() as connection:  # what the race of two imports left behind
        for _ in range(2):
            connection.execute(text(
                "INSERT INTO pupil (source_key, first_name, given_names, prefix, last_name, "
                "group_name, notes, created_at) VALUES ('7001', 'Sem', '', '', 'Jansen', '4A', "
                "'', '2025-09-01 08:00:00')"))
    vault.close(backup=False)

    vault = Vault.open(path, backup_dir=tmp_path / "backups")
    assert vault.migrated_from == "0002"
    with vault.session() as session:
        rows = session.execute(select(Pupil.id, Pupil.legacy_duplicate)
                               .where(Pupil.source_key == "7001").order_by(Pupil.id)).all()
        assert [dup for _, dup in rows] == [0, rows[1].id]  # the oldest keeps the key
        assert session.scalar(select(func.count()).select_from(Pupil)) == 3  # nothing deleted
    with pytest.raises(IntegrityError), vault.session() as session:
        session.execute(insert(Pupil), [_row("7001")])
    # an import matches the oldest; the later duplicate shows as "niet meer in het bestand"
    parsed = ParsedFile(pupils=[ImportedPupil(where="regel 2", source_key="7001",
                                              first_name="Sem", last_name="Jansen",
                                              group_name="4A")], source="CSV")
    with vault.session() as session:
        preview = build_preview(session, SYSTEM, parsed)
    assert preview.new == [] and preview.unchanged == [rows[0].id]
    assert [m.pupil_id for m in preview.missing if m.pupil_id == rows[1].id] == [rows[1].id]
    vault.close(backup=False)


def test_a_commit_skips_pupils_that_another_import_added_since_the_preview(vault):
    parsed = ParsedFile(pupils=[ImportedPupil(where=f"regel {n}", source_key=str(n),
                                              first_name="Kind", last_name=f"Nummer {n}",
                                              group_name="3A") for n in (1, 2, 3)],
                        source="CSV")
    with vault.session() as session:
        preview = build_preview(session, SYSTEM, parsed)
    assert len(preview.new) == 3
    with vault.session() as session:  # the other import, between preview and commit
        session.execute(insert(Pupil), [_row("2")])
    with vault.session() as session:
        result = commit_import(session, SYSTEM, preview)
    assert (result.added, result.already_present) == (2, 1)
    with vault.session() as session:
        assert session.scalar(select(func.count()).select_from(Pupil)) == 3


@pytest.mark.parametrize("count", [3, 1200])  # one IN list; more keys than one list holds
def test_a_commit_skips_only_the_keys_added_since_the_preview(vault, count):
    parsed = ParsedFile(pupils=[ImportedPupil(where=f"regel {n}", source_key=str(n),
                                              first_name="Kind", last_name=f"Nummer {n}",
                                              group_name="3A") for n in range(1, count + 1)]
                        + [ImportedPupil(where="regel 0", source_key=None, first_name="Kind",
                                         last_name="Zonder nummer", group_name="3A")],
                        source="CSV")
    with vault.session() as session:
        preview = build_preview(session, SYSTEM, parsed)
    assert len(preview.new) == count + 1
    with vault.session() as session:  # another import between preview and commit, and a
        session.execute(insert(Pupil), [_row("2"), _row(str(count)), _row("elders"),  # key
                                         _row(None)])  # outside the file; no key at all
    with vault.session() as session:
        result = commit_import(session, SYSTEM, preview)
    assert (result.added, result.already_present) == (count - 1, 2)
    with vault.session() as session:
        keys = session.scalars(select(Pupil.source_key)).all()
    assert sorted(k for k in keys if k and k.isdigit()) == sorted(str(n) for n in
                                                                   range(1, count + 1))
    assert keys.count(None) == 2


def test_the_preview_starts_the_write_transaction_before_it_reads(vault):
    parsed = ParsedFile(source="CSV")
    with vault.session() as session:
        build_preview(session, SYSTEM, parsed)
        connection = session.connection()
        if on_server(vault):  # LOCK TABLE: a second importer waits for this one
            held = connection.execute(text(
                "SELECT mode FROM pg_locks WHERE pid = pg_backend_pid() "
                "AND relation = 'pupil'::regclass")).scalars().all()
            assert "ShareRowExclusiveLock" in held
        else:  # BEGIN IMMEDIATE: a second importer waits for this one
            assert connection.connection.dbapi_connection.in_transaction
