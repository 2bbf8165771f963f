"""Creating a register: every way in gives the same defaults, and a failed one leaves nothing.

Also the data revision 0003, which gives a register made by version 0.1.0 (school and
beheerder only) the defaults once."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from db import keystore, migrate
from db.audit import verify_chain
from db.clock import fixed_clock
from db.permissions import SYSTEM
from db.purposes import load_default_purposes
from db.register import NewSchool, add_missing_defaults, create_register
from db.retention import load_default_rules
from db.schema import AuditEntry, ConsentPurpose, ConsentPurposeText, RetentionRule
from db.vault import Key, Vault, _make_engine, _prepare, _raw_connect, write_sidecar

NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
SCHOOL = NewSchool("OBS De Klimop", "12AB", "beheer", "wachtwoord-123")


def defaults_in(vault: Vault) -> tuple[set[str], dict[str, int]]:
    with vault.session() as session:
        codes = set(session.scalars(select(ConsentPurpose.code)))
        terms = dict(session.execute(select(RetentionRule.category,
                                            RetentionRule.years_after_leaving)).all())
    return codes, terms


def all_default_codes() -> set[str]:
    return {p["code"] for p in load_default_purposes()}


def all_default_terms() -> dict[str, int]:
    return {r["category"]: r["years_after_leaving"] for r in load_default_rules()}


def leftovers(path: Path) -> list[Path]:
    return sorted(path.parent.glob(path.name + "*"))


def test_a_created_register_has_every_default_and_a_sound_chain(tmp_path):
    vault, recovery = create_register(tmp_path / "school.db", SCHOOL, clock=fixed_clock(NOW))
    try:
        codes, terms = defaults_in(vault)
        assert recovery is not None
        assert codes == all_default_codes() and terms == all_default_terms()
        with vault.session() as session:
            assert verify_chain(session).ok
            assert add_missing_defaults(session, SYSTEM).total == 0  # never twice
    finally:
        vault.close(backup=False)


@pytest.mark.parametrize("failure", [RuntimeError("printer weg"), KeyboardInterrupt()])
def test_a_register_whose_creation_fails_leaves_no_file_and_no_key(tmp_path, memory_keyring,
                                                                  failure):
    path = tmp_path / "school.db"

    def fail(vault, _recovery):
        with vault.session() as session:  # something written: a -wal file exists now
            session.execute(text("UPDATE setting SET value = value"))
        assert Path(str(path) + "-wal").exists()
        raise failure

    with pytest.raises(type(failure)):
        create_register(path, SCHOOL, then=fail)
    assert leftovers(path) == []
    assert memory_keyring.entries == {}


def test_a_passphrase_register_gets_the_defaults_too(tmp_path):
    vault, recovery = create_register(tmp_path / "school.db", SCHOOL, passphrase="lang genoeg")
    try:
        assert recovery is None and vault.key_mode == "passphrase"
        assert defaults_in(vault)[0] == all_default_codes()
    finally:
        vault.close(backup=False)


# --- the data revision on a register made by version 0.1.0 ------------------------------

def make_register_of_version_0_1_0(path: Path, *, own_purpose: bool = False,
                                   own_term: bool = False) -> None:
    """What `init` of 0.1.0 left: schema 0002, the school and its beheerder, nothing else.
    Optionally a purpose and a term the school had already made or changed itself."""
    key = Key(raw=bytes(range(32)))
    conn = _raw_connect(path, key)
    _prepare(conn)
    engine = _make_engine(conn, path, key)
    with engine.begin() as connection:
        migrate.upgrade(connection, "0002")
        connection.execute(text("INSERT INTO setting (key, value) VALUES ('database_id', 'oud')"))
        connection.execute(text("INSERT INTO school (name, brin, fg_name, fg_email, created_at) "
                                "VALUES ('OBS Oud', '12AB', '', '', '2025-08-01 08:00:00')"))
        connection.execute(text(
            "INSERT INTO app_user (username, display_name, role, password_hash, active, "
            "created_at) VALUES ('beheer', '', 'beheerder', 'x', 1, '2025-08-01 08:00:00')"))
        if own_purpose:
            connection.execute(text(
                "INSERT INTO consent_purpose (code, is_image, version, sort_order, retired_at, "
                "created_at) VALUES ('foto_website', 1, 2, 5, '2026-01-01 00:00:00', "
                "'2025-08-01 08:00:00')"))
        if own_term:
            connection.execute(text(
                "INSERT INTO retention_rule (category, label, years_after_leaving, source) "
                "VALUES ('leerlingdossier', 'Eigen', 4, 'Besluit MR 2025')"))
    engine.dispose()
    keystore.store_key("oud", key.raw)
    write_sidecar(path, {"format": "privacyregister", "database_id": "oud",
                         "key_mode": "keyring"})


def test_opening_a_0_1_0_register_adds_the_defaults_once_and_audited(tmp_path):
    path = tmp_path / "oud.db"
    make_register_of_version_0_1_0(path)
    vault = Vault.open(path, backup_dir=tmp_path / "backups")
    try:
        assert vault.migrated_from == "0002"
        codes, terms = defaults_in(vault)
        assert codes == all_default_codes() and terms == all_default_terms()
        with vault.session() as session:
            added = session.scalar(select(func.count()).select_from(AuditEntry).where(
                AuditEntry.action == "defaults.add",
                AuditEntry.table_name.in_(("consent_purpose", "consent_purpose_text",
                                           "retention_rule"))))  # 0007 adds activities
            assert added == 2 * len(codes) + len(terms)  # purpose + its text, each term
            assert session.scalar(select(func.count()).select_from(ConsentPurposeText)) == len(
                codes)
            assert verify_chain(session).ok
            entries = session.scalar(select(func.count()).select_from(AuditEntry))
    finally:
        vault.close(backup=False)
    again = Vault.open(path)  # at head now: nothing runs again
    try:
        with again.session() as session:
            assert add_missing_defaults(session, SYSTEM).total == 0
            assert session.scalar(select(func.count()).select_from(AuditEntry)) == entries
    finally:
        again.close(backup=False)


def test_the_data_revision_leaves_what_the_school_changed_or_retired_alone(tmp_path):
    path = tmp_path / "oud.db"
    make_register_of_version_0_1_0(path, own_purpose=True, own_term=True)
    vault = Vault.open(path, backup_dir=tmp_path / "backups")
    try:
        with vault.session() as session:
            own = session.scalar(select(ConsentPurpose).where(
                ConsentPurpose.code == "foto_website"))
            rule = session.scalar(select(RetentionRule).where(
                RetentionRule.category == "leerlingdossier"))
            purposes = session.scalar(select(func.count()).select_from(ConsentPurpose))
            assert (own.version, own.retired_at is not None) == (2, True)
            assert (rule.years_after_leaving, rule.source) == (4, "Besluit MR 2025")
            assert purposes == len(all_default_codes())
            assert set(session.scalars(select(RetentionRule.category))) == set(
                all_default_terms())
    finally:
        vault.close(backup=False)


def test_the_data_revision_gives_a_register_being_created_nothing(tmp_path):
    """Vault.create runs every revision on an empty file: no school yet, so no defaults
    there (creating the register adds them, with its own audit entries)."""
    vault, _ = Vault.create(tmp_path / "leeg.db")
    try:
        with vault.session() as session:
            assert session.scalar(select(func.count()).select_from(ConsentPurpose)) == 0
            assert session.scalar(select(func.count()).select_from(AuditEntry)) == 0
    finally:
        vault.close(backup=False)
