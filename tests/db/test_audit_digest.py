"""The audit chain covers the data: each entry carries the digest of its record after the
action, and verify names a row whose content is not what its latest entry says."""

import hashlib
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, text

from db import migrate
from db.audit import GENESIS, entry_hash, row_digest, verify_chain
from db.consents import record_decision
from db.schema import AuditEntry, Channel, ConsentEvent, ConsentPurpose, Decision, User
from db.vault import Vault
from desktop import cli
from tests.db.helpers import add_family, reopen, tamper
from tests.db.test_audit import run_verify
from tests.db.test_migrations import make_file_at_revision


def refused_consent(vault, clock) -> int:
    with vault.session() as session:
        office = session.scalar(select(User))
        pupil = add_family(session, office, clock)
        purpose = session.scalar(select(ConsentPurpose).order_by(ConsentPurpose.sort_order))
        guardian_id = pupil.links[0].guardian_id
        event = record_decision(session, office, pupil.id, purpose.id, Decision.REFUSED,
                                decided_on=date(2026, 11, 1), guardian_id=guardian_id,
                                channel=Channel.PAPER, clock=clock)
        event_id = event.id
    vault.close(backup=False)
    return event_id


def test_a_consent_changed_in_the_database_is_named(vault, clock, capsys):
    event_id = refused_consent(vault, clock)
    code, out = run_verify(vault, capsys)
    assert code == 0 and "Auditketen in orde" in out
    with tamper(vault) as connection:  # no audit entry: straight into the table
        connection.execute(text("UPDATE consent_event SET decision = 'given' WHERE id = :id"),
                           {"id": event_id})
    code, out = run_verify(vault, capsys)
    assert code == 1
    assert f"Toestemming {event_id} is gewijzigd buiten het programma om." in out
    again = reopen(vault)
    with again.session() as session:
        report = verify_chain(session)
        assert report.changed == (
            f"Toestemming {event_id} is gewijzigd buiten het programma om.",)
        assert session.get(ConsentEvent, event_id).decision == "given"
    again.close(backup=False)


def test_a_row_added_outside_the_program_is_named(vault, clock, capsys):
    refused_consent(vault, clock)
    with tamper(vault) as connection:
        connection.execute(text(
            "INSERT INTO supplier (id, school_id, name, product, data_categories, purpose, "
            "agreement_model, agreement_version, privacy_insert_ref, storage_location, "
            "sub_processors, created_at) VALUES (77, 1, 'Stiekem BV', '', '', '', '', '', '', "
            "'', '', '2026-11-24 09:30:00')"))
    code, out = run_verify(vault, capsys)
    assert code == 1
    assert "Leverancier 77 is toegevoegd buiten het programma om." in out


def test_a_change_through_the_program_is_not_reported(vault, clock):
    with vault.session() as session:
        office = session.scalar(select(User))
        pupil = add_family(session, office, clock)
        from db.pupils import record_leaving

        record_leaving(session, office, pupil.id, date(2026, 12, 1), clock=clock)
        assert verify_chain(session).ok
        entry = session.scalar(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1))
        assert entry.action == "pupil.leave" and entry.digest is not None


def test_digests_are_canonical():
    amsterdam = datetime(2026, 11, 24, 10, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
    utc = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
    naive_utc = datetime(2026, 11, 24, 9, 30)
    one = row_digest(["b", "a", "c", "d"], [1, date(2026, 1, 2), amsterdam, True])
    assert one == row_digest(["a", "b", "c", "d"], [date(2026, 1, 2), 1, utc, True])
    assert one == row_digest(["a", "b", "c", "d"], [date(2026, 1, 2), 1, naive_utc, True])
    assert one != row_digest(["a", "b", "c", "d"], [date(2026, 1, 2), 1, utc, False])
    # the canonical text: sorted column names, then the values as JSON (ints in decimal,
    # ISO dates, UTC times to the microsecond)
    expected = ('a,b,c,d,e\n["2026-01-02",1,"2026-11-24T09:30:00.000000Z",true,null]')
    assert row_digest(["e", "d", "c", "b", "a"], [None, True, amsterdam, 1, date(2026, 1, 2)]) \
        == hashlib.sha256(expected.encode()).hexdigest()
    assert row_digest(["x"], [None]) != row_digest(["x"], [""])


def test_an_older_register_gets_a_baseline_and_its_old_entries_keep_verifying(tmp_path, capsys):
    """A file made before digests: its old entry hashes as before; the migration records
    every existing row once ('audit.baseline'); a later change outside is then named."""
    path = tmp_path / "oud.db"
    make_file_at_revision(path, "0002")
    old = Vault.open(path, upgrade=False)
    at = datetime(2025, 9, 1, 8, 0, tzinfo=UTC)
    with old.engine.begin() as connection:
        pupil_id = connection.execute(text("SELECT id FROM pupil")).scalar()
        own = entry_hash(1, at, None, "pupil.create", "pupil", str(pupil_id), GENESIS)
        connection.execute(text(
            "INSERT INTO audit_entry (seq, at, user_id, action, table_name, record_id, "
            "prev_hash, hash) VALUES (1, '2025-09-01 08:00:00.000000', NULL, 'pupil.create', "
            "'pupil', :rid, :prev, :hash)"), {"rid": str(pupil_id), "prev": GENESIS,
                                              "hash": own})
        assert migrate.current_revision(connection) == "0002"
    old.engine.dispose()

    vault = Vault.open(path, backup_dir=tmp_path / "kopieen")
    assert vault.migrated_from == "0002"
    with vault.session() as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
        # 0005 records the pupil's first digest; that file had a pupil but no school: 0009
        # gave it one, recorded in the chain; 0010 (a version column) the pupil's digest again
        assert [(e.seq, e.action, e.digest is None, e.table_name) for e in entries] == [
            (1, "pupil.create", True, "pupil"), (2, "audit.baseline", False, "pupil"),
            (3, "audit.baseline", False, "school"), (4, "audit.baseline", False, "pupil")]
        assert all(entry.user_id is None for entry in entries[1:])  # by the system
        assert verify_chain(session).ok
    with vault.engine.begin() as connection:
        connection.execute(text("UPDATE pupil SET group_name = '7A'"))
    vault.close(backup=False)
    code = cli.main(["--database", str(path), "verify"])
    out = capsys.readouterr().out
    assert code == 1 and f"Leerling {pupil_id} is gewijzigd buiten het programma om." in out


def test_streamed_digests_equal_the_digest_of_the_typed_row(vault, clock):
    """verify and the bulk audit read times and dates as stored text; the digest must be the
    one row_digest gives for the same row read with its types (every covered table)."""
    from db.audit import COVERED, record_digests
    from db.demo import populate_demo
    from db.schema import Base

    with vault.session() as session:
        populate_demo(session, pupils=30, seed=3, clock=clock)
    with vault.session() as session:
        for name in COVERED:
            table = Base.metadata.tables[name]
            keys = [c.name for c in table.primary_key]
            names = [name for name in table.columns.keys() if name != "school_id"]
            typed = {"/".join(str(row._mapping[k]) for k in keys):
                     row_digest(names, [row._mapping[name] for name in names])
                     for row in session.execute(select(table))}
            assert record_digests(session, name) == typed, name
            some = list(typed)[:3]
            assert record_digests(session, name, some) == {k: typed[k] for k in some}, name
