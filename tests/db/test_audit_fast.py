"""The fast chain check (issue 14) says what the check before it said: the same digest for
every row, the same changed rows in the same order, the same report for every way of
tampering with the chain. tests/db/reference_audit.py is that earlier check, verbatim."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from db.audit import (
    COVERED,
    GENESIS,
    ChainHead,
    chain_head,
    changed_records,
    entry_hash,
    record_digests,
    verify_chain,
)
from db.demo import populate_demo
from db.schema import AuditEntry, Base
from tests.db import reference_audit as reference
from tests.db.helpers import on_server, tamper

ODD_TEXTS = ['Zoë "de" \\ Ĳssel', "regel 1\nregel 2\t\x01\x1f", "\u2028 emoji 🎒", "",
             "ends with a quote\"", "</script>"]


@pytest.fixture
def filled(vault, clock):
    with vault.session() as session:
        populate_demo(session, pupils=40, seed=7, clock=clock)
    return vault


def _raw(vault, statements: list[tuple[str, dict]]) -> None:
    """Straight into the tables, as someone with the key (file) or the owner's password
    (server) and a SQL tool would."""
    with tamper(vault) as connection:
        for statement, values in statements:
            connection.execute(text(statement), values)


def _same_everywhere(vault, against: ChainHead | None = None) -> None:
    with vault.session() as session:
        connection = session.connection()
        for name in COVERED:
            assert record_digests(connection, name) == reference.record_digests(
                connection, name), name
            some = list(reference.record_digests(connection, name))[::3]
            assert record_digests(connection, name, some) == reference.record_digests(
                connection, name, some), name
        assert changed_records(connection) == reference.changed_records(connection)
        assert verify_chain(session, against) == reference.verify_chain(connection, against)


def test_digests_and_reports_agree_on_an_untouched_register(filled):
    _same_everywhere(filled)
    with filled.session() as session:
        assert verify_chain(session).ok


def test_odd_stored_values_digest_as_before(filled):
    """Quotes, backslashes, control characters and non-BMP text in strings; times and
    dates in forms the program never writes; a boolean stored as 2 (on SQLite: PostgreSQL's
    boolean column holds only true and false); NULLs."""
    odd_true = "true" if on_server(filled) else "2"
    statements = []
    for number, odd in enumerate(ODD_TEXTS, 1):
        statements.append(("UPDATE pupil SET notes = :v, prefix = :w WHERE id = :id",
                           {"v": odd, "w": odd, "id": number}))
        statements.append(("UPDATE guardian SET email = :v WHERE id = :id",
                           {"v": odd, "id": number}))
    statements += [
        ("UPDATE pupil SET created_at = '2026-11-24 09:30:00' WHERE id = 10", {}),
        ("UPDATE pupil SET created_at = '2026-11-24T09:30:00.000001+01:00' WHERE id = 11", {}),
        ("UPDATE pupil SET date_of_birth = '2017-05-03 00:00:00' WHERE id = 12", {}),
        ("UPDATE pupil SET left_on = NULL, enrolled_on = NULL WHERE id = 13", {}),
        ("UPDATE pupil SET year_group = NULL WHERE id = 14", {}),
        (f"UPDATE guardian SET address_secret = {odd_true} WHERE id = 15", {}),
        ("UPDATE pupil_guardian SET has_authority = false WHERE pupil_id = 16", {}),
        ("UPDATE consent_event SET recorded_at = '2026-01-01 00:00:00.5' WHERE id = 3", {}),
        ("UPDATE consent_event SET note = :v WHERE id = 4", {"v": ODD_TEXTS[1]}),
    ]
    _raw(filled, statements)
    _same_everywhere(filled)
    with filled.session() as session:
        report = verify_chain(session)
    assert not report.ok and len(report.changed) > 20


def test_changed_and_added_rows_are_named_in_the_same_order(filled):
    _raw(filled, [
        ("UPDATE consent_event SET decision = 'given' WHERE id IN (5, 9, 30)", {}),
        ("UPDATE pupil_guardian SET relation = 'oom' WHERE pupil_id IN (3, 8)", {}),
        ("DELETE FROM pupil_guardian WHERE pupil_id = 2", {}),
        ("INSERT INTO pupil_guardian (school_id, pupil_id, guardian_id, relation, "
         "has_authority) VALUES (1, 2, 1, 'ouder', true)", {}),
        ("INSERT INTO supplier (id, school_id, name, product, data_categories, purpose, "
         "agreement_model, agreement_version, privacy_insert_ref, storage_location, "
         "sub_processors, created_at) "
         "VALUES (77, 1, 'Stiekem BV', '', '', '', '', '', '', '', '', "
         "'2026-11-24 09:30:00')", {}),
        ("UPDATE guardian SET phone = '0600000000' WHERE id % 4 = 0", {}),
    ])
    _same_everywhere(filled)


def _entries(vault) -> list:
    with vault.session() as session:
        return session.execute(select(AuditEntry.seq, AuditEntry.at, AuditEntry.prev_hash)
                               .order_by(AuditEntry.seq)).all()


def test_every_kind_of_broken_chain_gets_the_same_report(filled):
    with filled.session() as session:
        head = chain_head(session)
        total = head.seq
    tamperings = [
        [("UPDATE audit_entry SET record_id = '99' WHERE seq = 50", {})],
        [("DELETE FROM audit_entry WHERE seq = 40", {})],
        [(f"DELETE FROM audit_entry WHERE seq = {total}", {})],
        [("UPDATE audit_entry SET prev_hash = :h WHERE seq = 60", {"h": "0" * 64})],
        [("UPDATE audit_entry SET hash = :h WHERE seq = 61", {"h": "f" * 64})],
        [("UPDATE audit_entry SET seq = seq + 1000 WHERE seq = 70", {})],
        [("UPDATE audit_entry SET at = '2026-11-24 09:30:00' WHERE seq = 12", {})],
        [("UPDATE audit_entry SET digest = NULL WHERE seq = 90", {})],
        [("UPDATE audit_entry SET user_id = NULL WHERE seq = 2", {})],
    ]
    for number, statements in enumerate(tamperings):
        # each tampering on the untouched register: checked inside the tamperer's own
        # transaction, which is then rolled back
        with tamper(filled, keep=False) as connection:
            for statement, values in statements:
                connection.execute(text(statement), values)
            for against in (None, head, ChainHead(total + 5, "a" * 64),
                            ChainHead(30, "b" * 64)):
                mine = verify_chain(connection, against)
                theirs = reference.verify_chain(connection, against)
                assert mine == theirs, (number, against)
                if against == head and number != 6:  # 6: the same moment, other text
                    assert not mine.ok, number  # the tampering is there
    with filled.session() as session:
        assert verify_chain(session, head).ok  # every tampering was rolled back


def test_a_chain_rewritten_with_odd_times_still_verifies_as_before(filled):
    """Entries whose time is stored in another form (19 characters, an offset), hashed
    consistently: the quick path hands them to _stamp_text and agrees with the reference.
    (PostgreSQL stores a time in one form whatever text it was given, and drops an offset
    for a column without time zone: there the entries get the same moments as times.)"""
    from datetime import UTC, datetime

    server = on_server(filled)
    rows = _entries(filled)
    prev = GENESIS
    statements = []
    with filled.session() as session:
        entries = session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars().all()
        for entry in entries:
            stored = {3: "2026-11-24 09:30:00", 4: "2026-11-24T10:30:00+01:00"}.get(entry.seq)
            at = datetime.fromisoformat(stored) if stored else entry.at
            if at.tzinfo is None:
                at = at.replace(tzinfo=UTC)
            own = entry_hash(entry.seq, at, entry.user_id, entry.action, entry.table_name,
                             entry.record_id, prev, entry.digest)
            if stored or entry.prev_hash != prev or entry.hash != own:
                value = at.astimezone(UTC).replace(tzinfo=None) if server and stored else stored
                statements.append(("UPDATE audit_entry SET at = COALESCE(:at, at), "
                                   "prev_hash = :p, hash = :h WHERE seq = :s",
                                   {"at": value, "p": prev, "h": own, "s": entry.seq}))
            prev = own
    assert len(rows) > 100
    _raw(filled, statements)
    _same_everywhere(filled)
    with filled.session() as session:
        assert verify_chain(session).ok


def test_every_covered_table_is_a_model_table():
    assert set(COVERED) <= set(Base.metadata.tables)


def test_the_check_on_two_connections_reports_the_same(filled):
    """verify_chain(connect=Vault.reader) compares the rows on a second connection, on a
    thread, while the first walks the chain: the same report, untouched or tampered."""
    from db.audit import ChainReport

    def both() -> tuple[ChainReport, ChainReport]:
        with filled.session() as session:
            return verify_chain(session), verify_chain(session, connect=filled.reader)

    alone, beside = both()
    assert alone == beside and alone.ok
    _raw(filled, [("UPDATE consent_event SET note = 'x' || note WHERE id IN (5, 9)", {})])
    alone, beside = both()
    assert alone == beside and len(alone.changed) == 2
    _raw(filled, [("UPDATE audit_entry SET record_id = '99' WHERE seq = 50", {})])
    alone, beside = both()
    assert alone == beside and alone.first_bad_seq == 50
