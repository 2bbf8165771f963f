"""'Deelname aan onderzoek' is a default purpose: new registers get it on creation, existing
ones through data revision 0006, audited with the row's digest so `verify` stays clean."""

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from db import keystore, migrate, purposes, register
from db.audit import verify_chain
from db.clock import fixed_clock
from db.permissions import SYSTEM
from db.purposes import load_default_purposes
from db.register import NewSchool, add_missing_defaults, create_register, set_up_register
from db.schema import AuditEntry, ConsentPurpose, ConsentPurposeText
from db.vault import Key, Vault, _make_engine, _prepare, _raw_connect, write_sidecar

NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
RESEARCH = "deelname_onderzoek"


def test_the_research_purpose_is_a_default_and_not_an_image_purpose():
    item = next(p for p in load_default_purposes() if p["code"] == RESEARCH)
    assert item["title"] == "Deelname aan onderzoek"
    assert item["is_image"] is False
    assert "CBS" in item["text"] and "universiteit" in item["text"]


def test_a_new_register_gets_the_research_purpose(tmp_path):
    vault, _ = create_register(tmp_path / "school.db",
                               NewSchool("OBS De Klimop", "12AB", "beheer", "wachtwoord-123"),
                               clock=fixed_clock(NOW))
    try:
        with vault.session() as session:
            assert session.scalar(select(ConsentPurpose.is_image).where(
                ConsentPurpose.code == RESEARCH)) is False
    finally:
        vault.close(backup=False)


def make_register_of_revision_0005(path: Path, monkeypatch, *, without: set[str]) -> None:
    """A register as the previous release left it: schema 0005, school, user and the
    defaults of that release (all but `without`), written through the use cases."""
    key = Key(raw=bytes(range(32)))
    conn = _raw_connect(path, key)
    _prepare(conn)
    engine = _make_engine(conn, path, key)
    older = [p for p in load_default_purposes() if p["code"] not in without]
    with engine.begin() as connection:
        migrate.upgrade(connection, "0005")
        connection.execute(text("INSERT INTO setting (key, value) VALUES ('database_id', 'oud')"))
        with monkeypatch.context() as patch, Session(bind=connection) as session:
            patch.setattr(purposes, "load_default_purposes", lambda: older)
            # the art. 30 activities came with revision 0007, after this release
            patch.setattr(register, "seed_default_activities", lambda *_a, **_k: [])
            set_up_register(session, NewSchool("OBS Oud", "12AB", "beheer", "wachtwoord-123"),
                            clock=fixed_clock(NOW))
            session.flush()
    engine.dispose()
    keystore.store_key("oud", key.raw)
    write_sidecar(path, {"format": "privacyregister", "database_id": "oud",
                         "key_mode": "keyring"})


def test_revision_0006_adds_the_missing_purpose_audited_with_its_digest(tmp_path, monkeypatch):
    path = tmp_path / "oud.db"
    make_register_of_revision_0005(path, monkeypatch, without={RESEARCH})
    vault = Vault.open(path, backup_dir=tmp_path / "backups")
    try:
        assert vault.migrated_from == "0005"
        with vault.session() as session:
            codes = set(session.scalars(select(ConsentPurpose.code)))
            assert codes == {p["code"] for p in load_default_purposes()}
            research = session.scalar(select(ConsentPurpose).where(
                ConsentPurpose.code == RESEARCH))
            title = session.scalar(select(ConsentPurposeText.title).where(
                ConsentPurposeText.purpose_id == research.id))
            assert (title, research.is_image, research.version) == (
                "Deelname aan onderzoek", False, 1)
            entries = session.execute(
                select(AuditEntry.table_name, AuditEntry.user_id, AuditEntry.digest)
                .where(AuditEntry.action == "defaults.add",
                       AuditEntry.table_name.like("consent_purpose%"))).all()
            assert sorted(e.table_name for e in entries) == ["consent_purpose",
                                                             "consent_purpose_text"]
            assert all(e.user_id is None and e.digest for e in entries)
            report = verify_chain(session)
            assert report.ok, report.message
            assert report.changed == ()
            assert add_missing_defaults(session, SYSTEM).purposes == 0
    finally:
        vault.close(backup=False)


def test_revision_0006_leaves_a_register_that_has_every_purpose_alone(tmp_path, monkeypatch):
    path = tmp_path / "oud.db"
    make_register_of_revision_0005(path, monkeypatch, without=set())
    vault = Vault.open(path, backup_dir=tmp_path / "backups")
    try:
        with vault.session() as session:
            assert session.scalar(select(func.count()).select_from(AuditEntry).where(
                AuditEntry.action == "defaults.add",
                AuditEntry.table_name.like("consent_purpose%"))) == 0  # 0007 adds activities
            assert verify_chain(session).ok
    finally:
        vault.close(backup=False)
