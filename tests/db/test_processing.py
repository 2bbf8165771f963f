"""The school's own register of processing activities (AVG art. 30): defaults in every register
(new ones and, through revision 0007, existing ones), editing, and links that follow the
suppliers and retention terms."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from db import keystore, migrate
from db.audit import verify_chain
from db.clock import fixed_clock
from db.errors import PermissionDenied, ValidationError
from db.permissions import SYSTEM
from db.processing import (
    ActivityInput,
    activity_fields,
    default_activities,
    processing_activities,
    retire_activity,
    save_activity,
    suggested_suppliers,
)
from db.register import add_missing_defaults
from db.retention import set_term
from db.schema import AuditEntry, ProcessingActivity, RetentionRule, Role, User
from db.suppliers import SupplierInput, save_supplier
from db.users import create_user
from db.vault import Key, Vault, _make_engine, _prepare, _raw_connect, write_sidecar

CLOCK = fixed_clock(datetime(2026, 11, 24, 9, 30, tzinfo=UTC))
TODAY = date(2026, 11, 24)


def _by_code(session) -> dict:
    return {a.code: a for a in processing_activities(session, SYSTEM)}


def test_a_new_register_has_every_default_activity_linked_to_its_terms(vault):
    with vault.session() as session:
        activities = _by_code(session)
        assert list(activities) == [item["code"] for item in default_activities()]
        assert [t.label for t in activities["leerlingvolgsysteem"].terms] == [
            session.scalar(select(RetentionRule.label)
                           .where(RetentionRule.category == "leerlingdossier"))]
        assert add_missing_defaults(session, SYSTEM, clock=CLOCK).total == 0  # never twice
        assert verify_chain(session).ok


def test_suppliers_are_suggested_by_a_word_that_starts_with_a_hint():
    suppliers = [(1, "Topicus", "ParnasSys"), (2, "Microsoft", "Microsoft 365"),
                 (3, "Kennisnet", "OSO overstapservice")]
    assert suggested_suppliers(["parnassys"], suppliers) == [1]
    assert suggested_suppliers(["oso"], suppliers) == [3]  # not micrOSOft


def test_an_activity_is_edited_with_its_links_and_audited(vault):
    with vault.session() as session:
        admin = session.scalar(select(User))
        parnassys = save_supplier(session, admin, SupplierInput(
            name="Topicus", product="ParnasSys", signed_on=date(2024, 1, 1),
            storage_location="EU (Nederland)"), clock=CLOCK)
        activity = _by_code(session)["leerlingadministratie"]
        rules = [t.rule_id for t in activity.terms]
        save_activity(session, admin, ActivityInput(
            name="Leerlingadministratie", purposes="Inschrijving.", subjects="Leerlingen.",
            data_categories="Naam.", transfers="Geen.", supplier_ids=(parnassys.id,),
            rule_ids=tuple(rules)), activity.id, clock=CLOCK)
        edited = _by_code(session)["leerlingadministratie"]
        assert [s.product for s in edited.suppliers] == ["ParnasSys"]
        assert (edited.purposes, edited.transfers) == ("Inschrijving.", "Geen.")
        own = save_activity(session, admin, ActivityInput(
            name="Overblijf", purposes="Toezicht tussen de middag.", subjects="Leerlingen.",
            data_categories="Naam, groep, allergieën."), clock=CLOCK)
        assert own.code.startswith("eigen_") and _by_code(session)[own.code].suppliers == ()
        retire_activity(session, admin, own.id, clock=CLOCK)
        assert own.code not in _by_code(session)
        assert verify_chain(session).ok
        linked = session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.table_name == "processing_activity_supplier",
            AuditEntry.record_id == f"{activity.id}/{parnassys.id}"))
        assert linked == 1


def test_a_change_of_supplier_or_term_shows_in_the_activity(vault):
    with vault.session() as session:
        admin = session.scalar(select(User))
        supplier = save_supplier(session, admin, SupplierInput(
            name="Topicus", product="Parro", signed_on=date(2024, 1, 1)), clock=CLOCK)
        activity = _by_code(session)["ouderapp"]
        save_activity(session, admin, ActivityInput(
            name=activity.name, purposes=activity.purposes, subjects=activity.subjects,
            data_categories=activity.data_categories, supplier_ids=(supplier.id,)),
            activity.id, clock=CLOCK)
        save_supplier(session, admin, SupplierInput(
            name="Social Schools", product="Social Schools", signed_on=date(2024, 1, 1),
            ends_on=date(2026, 6, 30)), supplier.id, clock=CLOCK)
        set_term(session, admin, "leerlingdossier", 3, "Besluit MR", clock=CLOCK)
        activities = _by_code(session)
        fields = dict((letter, lines) for letter, _label, lines
                      in activity_fields(activities["ouderapp"], TODAY, ["school"]))
        assert any("Social Schools" in line and "VERLOPEN op 30-06-2026" in line
                   for line in fields["d"])
        volg = dict((letter, lines) for letter, _label, lines
                    in activity_fields(activities["leerlingvolgsysteem"], TODAY, ["school"]))
        assert any("drie jaar" in line for line in volg["f"])


def test_an_activity_needs_its_purposes_subjects_and_data(vault):
    with vault.session() as session:
        admin = session.scalar(select(User))
        with pytest.raises(ValidationError, match="doelen"):
            save_activity(session, admin, ActivityInput("Iets", "", "Leerlingen", "Naam"),
                          clock=CLOCK)
        with pytest.raises(ValidationError, match="leverancier bestaat niet"):
            save_activity(session, admin, ActivityInput("Iets", "Doel", "Leerlingen", "Naam",
                                                        supplier_ids=(999,)), clock=CLOCK)


def test_only_who_may_change_settings_edits_the_register(vault):
    with vault.session() as session:
        admin = session.scalar(select(User))
        fg = create_user(session, admin, "fg", "wachtwoord-123", Role.FG, clock=CLOCK)
        assert processing_activities(session, fg)
        with pytest.raises(PermissionDenied):
            save_activity(session, fg, ActivityInput("x", "y", "z", "w"), clock=CLOCK)


# --- revision 0007 on an existing register -------------------------------------------------

def make_register_at(path: Path, revision: str) -> None:
    """A register in use: school, beheerder and two suppliers, at an older revision."""
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
        for name, product in (("Topicus", "ParnasSys"), ("Basispoort", "Basispoort")):
            connection.execute(text(
                "INSERT INTO supplier (name, product, data_categories, purpose, "
                "agreement_model, agreement_version, signed_on, privacy_insert_ref, "
                "storage_location, sub_processors, created_at) VALUES "
                f"('{name}', '{product}', '', '', '', '', '2024-01-01', '', '', '', "
                "'2025-08-01 08:00:00')"))
        migrate.upgrade(connection, revision)
    engine.dispose()
    keystore.store_key("oud", key.raw)
    write_sidecar(path, {"format": "privacyregister", "database_id": "oud",
                         "key_mode": "keyring"})


def test_an_existing_register_gets_the_default_activities_audited_and_verified(tmp_path):
    path = tmp_path / "oud.db"
    make_register_at(path, "0005")
    vault = Vault.open(path, backup_dir=tmp_path / "backups")
    try:
        assert vault.migrated_from == "0005"
        with vault.session() as session:
            activities = _by_code(session)
            assert list(activities) == [item["code"] for item in default_activities()]
            assert [s.product for s in activities["leerlingadministratie"].suppliers] == [
                "ParnasSys"]
            assert [s.name for s in activities["digitale_leermiddelen"].suppliers] == [
                "Basispoort"]
            assert activities["leerlingvolgsysteem"].terms  # linked to the 0003 defaults
            added = list(session.execute(select(AuditEntry.table_name, AuditEntry.digest)
                                         .where(AuditEntry.action == "defaults.add",
                                                AuditEntry.table_name.like("processing%"))))
            assert len([t for t, _ in added if t == "processing_activity"]) == len(activities)
            assert all(digest for _t, digest in added)
            report = verify_chain(session)
            assert report.ok, report.message
            assert add_missing_defaults(session, SYSTEM, clock=CLOCK).activities == 0
            count = session.scalar(select(func.count()).select_from(ProcessingActivity))
    finally:
        vault.close(backup=False)
    assert count == len(default_activities())


def test_a_register_from_before_digests_upgrades_through_every_revision(tmp_path):
    """0005 gives digests only to tables that exist then; 0007 makes its own later."""
    path = tmp_path / "oud.db"
    make_register_at(path, "0002")
    vault = Vault.open(path, backup_dir=tmp_path / "backups")
    try:
        with vault.session() as session:
            assert verify_chain(session).ok
            assert len(processing_activities(session, SYSTEM)) == len(default_activities())
    finally:
        vault.close(backup=False)
