"""'Deelname aan onderzoek' is a default purpose: new registers get it on creation, existing
ones through data revision 0006, audited with the row's digest so `verify` stays clean."""

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select, text

from db import keystore, migrate
from db.audit import verify_chain
from db.clock import fixed_clock
from db.permissions import SYSTEM
from db.purposes import load_default_purposes
from db.register import NewSchool, add_missing_defaults, create_register
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
    """A register as the previous release left it: schema 0005, school, user and the default
    purposes of that release (all but `without`). Written as that release's tables hold them
    (today's use cases write today's schema, 0009's school on every row), at 0004, so that
    revision 0005 records every row in the chain as it did for a real register."""
    key = Key(raw=bytes(range(32)))
    conn = _raw_connect(path, key)
    _prepare(conn)
    engine = _make_engine(conn, path, key)
    older = [p for p in load_default_purposes() if p["code"] not in without]
    stamp = "2026-11-24 09:30:00.000000"
    with engine.begin() as connection:
        migrate.upgrade(connection, "0004")
        connection.execute(text("INSERT INTO setting (key, value) VALUES ('database_id', 'oud')"))
        connection.execute(text(
            "INSERT INTO school (name, brin, fg_name, fg_email, created_at) "
            "VALUES ('OBS Oud', '12AB', '', '', :at)"), {"at": stamp})
        connection.execute(text(
            "INSERT INTO app_user (username, display_name, role, password_hash, active, "
            "created_at) VALUES ('beheer', 'beheer', 'beheerder', 'x', 1, :at)"), {"at": stamp})
        for item in older:
            purpose_id = connection.execute(text(
                "INSERT INTO consent_purpose (code, is_image, version, sort_order, created_at) "
                "VALUES (:code, :image, 1, :order, :at) RETURNING id"),
                {"code": item["code"], "image": item["is_image"], "order": item["sort_order"],
                 "at": stamp}).scalar_one()
            connection.execute(text(
                "INSERT INTO consent_purpose_text (purpose_id, version, title, text, "
                "created_at) VALUES (:id, 1, :title, :text, :at)"),
                {"id": purpose_id, "title": item["title"], "text": item["text"], "at": stamp})
        migrate.upgrade(connection, "0005")
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
