"""Every public use case of db/ × every role: allowed exactly when the role has the permission.

One register (a small demo school) is built once for the module; every call runs in its own
session that is rolled back, so the calls do not depend on each other. A second test finds
every public function of db/ that takes a session and holds it to taking the acting user,
unless it is on the commented allow-list below: a new unguarded use case fails here.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

import pytest
from sqlalchemy import select

import db
from db.breaches import BreachInput, register_breach
from db.clock import fixed_clock
from db.demo import DEMO_TEACHER_GROUP, populate_demo
from db.errors import PermissionDenied
from db.imports.model import ImportedPupil, ParsedFile
from db.imports.preview import ImportPreview
from db.permissions import ROLE_PERMISSIONS, SYSTEM, Permission
from db.pupils import GuardianInput, PupilInput, add_guardian, add_special, enrol_pupil
from db.requests import RequestInput, register_request
from db.schema import (
    BreachMeasure,
    Channel,
    ConsentPurpose,
    Decision,
    Exchange,
    LegalBasis,
    RequestKind,
    Role,
    Supplier,
    User,
)
from db.suppliers import ExchangeInput, SupplierInput
from db.users import create_user
from db.vault import Vault
from db.vulnerabilities import ReportInput, register_report

NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
TODAY = date(2026, 11, 24)
CLOCK = fixed_clock(NOW)
ROLES = (Role.BEHEERDER, Role.ADMINISTRATIE, Role.DIRECTIE, Role.LEERKRACHT, Role.FG,
         Role.BESTUUR)

# Public functions of db/ that take a session (or connection) and no acting user, each with
# the reason it needs none. Anything else that takes a session must take `actor`.
ALLOW_LIST = {
    # the credential checks themselves: they decide who the actor is
    "db.users.authenticate", "db.users.unlock",
    # set-up before any user exists: refuses once the register has a user or a school
    "db.school.initialise_register", "db.users.user_count", "db.register.set_up_register",
    # undoing a register whose creation failed, before it was handed to anyone
    "db.vault.Vault.discard",
    # takes the write lock before an import reads (its use cases check the role first)
    "db.imports.preview.lock_for_import",
    # bulk reads and inserts on the caller's connection, for use cases that checked the role
    # first
    "db.bulk.insert_rows", "db.bulk.insert_returning_ids", "db.bulk.stream_batches",
    # SQLite's page cache for the caller's bulk write: memory only, no data read or written
    "db.bulk.larger_page_cache",
    # the school's name, BRIN and FG contact: shown on the log-in screen, no pupil data
    "db.school.get_school",
    # the schools' names and BRIN for the log-in's choice of school (before anyone logs in)
    "db.school.schools_to_log_in_to",
    # the CLI's --school BRIN, chosen before anyone acts
    "db.school.school_ids_with_brin",
    # the school's consent wording (the text printed on blank forms and in the school guide)
    "db.purposes.list_purposes", "db.purposes.current_texts", "db.purposes.purpose_texts",
    "db.consent_sheets.purpose_texts",
    # the school-year rhythm setting (ask every year, closing date): no personal data
    "db.consents.year_rhythm", "db.consents.counting_from",
    # the audit chain's integrity: sequence numbers, hashes and record ids, no content
    "db.audit.chain_head", "db.audit.count_entries", "db.audit.verify_chain",
    "db.audit.changed_records", "db.audit.record_digests", "db.audit.record_baseline",
    # the next free breach reference (DL-jjjj-nnn): a number, no content; its callers check
    "db.breaches.next_reference",
    # fills a (new or demo) register with made-up people; acts as the system by definition
    "db.demo.populate_demo",
    # schema migrations on the live connection, run by Vault.open as the system
    "db.migrate.alembic_config", "db.migrate.current_revision", "db.migrate.upgrade",
    # opening, creating, closing, integrity check and key handling of the file itself: the
    # key holder, before any user logs in
    "db.vault.Vault.create", "db.vault.Vault.open", "db.vault.Vault.close",
    "db.vault.Vault.session", "db.vault.Vault.new_session", "db.vault.Vault.list_backups",
    "db.vault.Vault.worker_session",  # a background task's own connection (desktop/kit/tasks)
    "db.vault.Vault.reader",  # a second connection for a check on two cores (verify)
    "db.vault.Vault.derive_backup_key_ahead",  # a key only; the backup itself requires BACKUP
    "db.vault.Vault.keep_pages",  # the cache's size only; the backup itself requires BACKUP
    "db.vault.Vault.integrity_problems", "db.vault.Vault.rekey", "db.vault.Vault.recovery_key",
    "db.vault.Vault.integrity_report",  # integrity_problems' answer in words
    # the same for a register on a PostgreSQL server: connecting with the server's password,
    # before any user logs in; the owner grants the application role its rights
    "db.server.ServerRegister.create", "db.server.ServerRegister.open",
    "db.server.ServerRegister.close", "db.server.ServerRegister.session",
    "db.server.ServerRegister.new_session", "db.server.ServerRegister.worker_session",
    "db.server.ServerRegister.list_backups", "db.server.ServerRegister.integrity_problems",
    "db.server.ServerRegister.integrity_report", "db.server.ServerRegister.reader",
    "db.server.ServerRegister.derive_backup_key_ahead", "db.server.ServerRegister.keep_pages",
    "db.server.grant_application_role",
    # which school a session or register works for (db.tenancy): set at log-in from the
    # user who logged in, read by db/ itself; no content
    "db.tenancy.apply_scope", "db.tenancy.use_school", "db.tenancy.use_board",
    "db.tenancy.session_scope", "db.tenancy.session_school", "db.tenancy.connection_school",
    "db.tenancy.forget_one_school", "db.tenancy.scope_connection",
    "db.vault.Vault.use_scope", "db.server.ServerRegister.use_scope",
    # a further school of a board and a board account: made by the owner of the server
    # database (the board's IT partner) as the system, as set_up_register makes the first
    "db.register.add_school", "db.users.create_board_user",
    # a moved school's old ids (db.moved_ids): written by migrate-to as the database's owner;
    # read by the audit log and the access export, which require their permissions first;
    # ids only, no content
    "db.moved_ids.record_moved_ids", "db.moved_ids.moved_ids", "db.moved_ids.entries_naming",
    # a setting's row of the session's school, for use cases that checked the role first
    "db.school.setting_row",
    # every school's chain this session may read: as verify_chain, no content
    "db.audit.verify_all_chains",
}


class Context(NamedTuple):
    vault: Vault
    users: dict[Role, User]
    ids: dict[str, int]
    tmp: Any


ENGINES = ("sqlcipher", "postgresql")


@pytest.fixture(scope="module")
def register(request, tmp_path_factory):
    """The matrix's register on the SQLCipher file or on the PostgreSQL server (as the
    application role, not the owner): the same use cases, the same answers."""
    folder = tmp_path_factory.mktemp("matrix")
    if getattr(request, "param", "sqlcipher") == "postgresql":
        vault = request.getfixturevalue("new_server_register")("matrix", CLOCK)
    else:
        vault, _ = Vault.create(folder / "matrix.db", passphrase="matrix-wachtwoordzin",
                                backup_dir=folder / "kopieen", clock=CLOCK)
    with vault.session() as session:
        populate_demo(session, pupils=24, clock=CLOCK)
        beheerder = session.scalar(select(User).where(User.role == Role.BEHEERDER))
        create_user(session, beheerder, "bestuur", "bestuur-wachtwoord", Role.BESTUUR,
                    clock=CLOCK)  # the demo has no board member
        users = {Role(u.role): u for u in session.scalars(select(User).order_by(User.id))}
        pupil = enrol_pupil(session, SYSTEM, PupilInput(
            first_name="Matrix", last_name="Proef", date_of_birth=date(2018, 3, 3),
            group_name=DEMO_TEACHER_GROUP, enrolled_on=date(2022, 8, 29)), clock=CLOCK)
        guardian = add_guardian(session, SYSTEM, pupil.id, GuardianInput(last_name="Proef"),
                                clock=CLOCK)
        other = add_guardian(session, SYSTEM, pupil.id, GuardianInput(last_name="Anders"),
                             clock=CLOCK)
        special = add_special(session, SYSTEM, pupil.id, "medical", "proef", clock=CLOCK)
        breach = register_breach(session, SYSTEM, BreachInput(
            discovered_at=NOW - timedelta(hours=2), description="proef"), clock=CLOCK)
        request = register_request(session, SYSTEM, RequestInput(
            RequestKind.ACCESS, TODAY, pupil.id, guardian.id), clock=CLOCK)
        report = register_report(session, SYSTEM, ReportInput(NOW, "proef"), clock=CLOCK)
        ids = {"pupil": pupil.id, "guardian": guardian.id, "other_guardian": other.id,
               "special": special.id, "breach": breach.id, "request": request.id,
               "report": report.id,
               "purpose": session.scalar(select(ConsentPurpose.id).order_by(ConsentPurpose.id)),
               "supplier": session.scalar(select(Supplier.id).order_by(Supplier.id)),
               "measure": session.scalar(select(BreachMeasure.id).where(
                   BreachMeasure.done_on.is_(None)).order_by(BreachMeasure.id))}
    assert set(users) == set(ROLES)
    yield Context(vault, users, ids, folder)
    vault.engine.dispose()


def _pupil(ctx: Context, **changes: Any) -> PupilInput:
    values = dict(first_name="Matrix", last_name="Proef", date_of_birth=date(2018, 3, 3),
                  group_name=DEMO_TEACHER_GROUP, enrolled_on=date(2022, 8, 29))
    values.update(changes)
    return PupilInput(**values)


def _imported() -> ImportPreview:
    return ImportPreview(source="CSV", new=[ImportedPupil(
        where="regel 2", first_name="Import", last_name="Proef",
        date_of_birth=date(2019, 1, 1), group_name="3B", source_key="9999999")])


def _parsed() -> ParsedFile:
    return ParsedFile(pupils=list(_imported().new), source="CSV")


def _consent_preview(ctx: Context) -> Any:
    """One app decision for the matrix pupil, by an unnamed parent."""
    consents = _m("imports.consents")
    return consents.ConsentPreview(source=consents.Source.PARRO, planned=[consents.Planned(
        ctx.ids["pupil"], ctx.ids["purpose"], Decision.GIVEN, TODAY, None,
        "door: ouder via app")])


def _due(session: Any, ctx: Context) -> list:
    from db.retention import due_items

    return due_items(session, SYSTEM, TODAY)[:1]


# use case → (permission it needs, or None for "every active user"; the call)
Call = Callable[[Any, User, Context], Any]
USE_CASES: dict[str, tuple[Permission | None, Call]] = {}
P = Permission


def _m(module: str) -> Any:
    return importlib.import_module(f"db.{module}")


def _add(name: str, permission: Permission | None, call: Call) -> None:
    USE_CASES[name] = (permission, call)


_add("pupils.pupil_rows", P.READ_REGISTER, lambda s, a, c: _m("pupils").pupil_rows(s, a))
_add("pupils.group_names", P.READ_GROUP_PHOTO_LIST, lambda s, a, c: _m("pupils").group_names(s, a))
_add("pupils.current_group_names", P.READ_REGISTER,
     lambda s, a, c: _m("pupils").current_group_names(s, a, TODAY))
_add("pupils.current_group_rows", P.READ_REGISTER,
     lambda s, a, c: _m("pupils").current_group_rows(s, a, "5A", TODAY))
_add("pupils.get_pupil", P.READ_REGISTER,
     lambda s, a, c: _m("pupils").get_pupil(s, a, c.ids["pupil"]))
_add("pupils.guardians_of", P.READ_REGISTER,
     lambda s, a, c: _m("pupils").guardians_of(s, a, c.ids["pupil"]))
_add("pupils.find_same_pupils", P.READ_REGISTER,
     lambda s, a, c: _m("pupils").find_same_pupils(s, a, "Matrix", "Proef", date(2018, 3, 3)))
_add("pupils.record_opened", P.READ_REGISTER,
     lambda s, a, c: _m("pupils").record_opened(s, a, c.ids["pupil"], clock=CLOCK))
_add("pupils.enrol_pupil", P.EDIT_PUPILS,
     lambda s, a, c: _m("pupils").enrol_pupil(s, a, _pupil(c, first_name="Nieuw"), clock=CLOCK))
_add("pupils.enrol_with_guardians", P.EDIT_PUPILS,
     lambda s, a, c: _m("pupils").enrol_with_guardians(
         s, a, _pupil(c, first_name="Gezin"), [GuardianInput(last_name="Gezin")], clock=CLOCK))
_add("pupils.update_pupil", P.EDIT_PUPILS,
     lambda s, a, c: _m("pupils").update_pupil(s, a, c.ids["pupil"], _pupil(c), clock=CLOCK))
_add("pupils.record_leaving", P.EDIT_PUPILS,
     lambda s, a, c: _m("pupils").record_leaving(s, a, c.ids["pupil"], TODAY, clock=CLOCK))
_add("pupils.undo_leaving", P.EDIT_PUPILS,
     lambda s, a, c: _m("pupils").undo_leaving(s, a, c.ids["pupil"], clock=CLOCK))
_add("pupils.add_guardian", P.EDIT_PUPILS,
     lambda s, a, c: _m("pupils").add_guardian(s, a, c.ids["pupil"],
                                               GuardianInput(last_name="Derde"), clock=CLOCK))
_add("pupils.link_guardian", P.EDIT_PUPILS,
     lambda s, a, c: _m("pupils").link_guardian(s, a, c.ids["pupil"], c.ids["guardian"],
                                                clock=CLOCK))
_add("pupils.update_guardian", P.EDIT_PUPILS,
     lambda s, a, c: _m("pupils").update_guardian(s, a, c.ids["pupil"], c.ids["guardian"],
                                                  GuardianInput(last_name="Proef"),
                                                  clock=CLOCK))
_add("pupils.remove_guardian", P.EDIT_PUPILS,
     lambda s, a, c: _m("pupils").remove_guardian(s, a, c.ids["pupil"],
                                                  c.ids["other_guardian"], clock=CLOCK))
_add("pupils.read_special", P.READ_SPECIAL,
     lambda s, a, c: _m("pupils").read_special(s, a, c.ids["pupil"], clock=CLOCK))
_add("pupils.add_special", P.EDIT_SPECIAL,
     lambda s, a, c: _m("pupils").add_special(s, a, c.ids["pupil"], "medical", "x", clock=CLOCK))
_add("pupils.remove_special", P.EDIT_SPECIAL,
     lambda s, a, c: _m("pupils").remove_special(s, a, c.ids["special"], clock=CLOCK))
# --- consents ---------------------------------------------------------------------------
_add("consents.history", P.READ_REGISTER,
     lambda s, a, c: _m("consents").history(s, a, c.ids["pupil"]))
_add("consents.history_entries", P.READ_REGISTER,
     lambda s, a, c: _m("consents").history_entries(s, a, c.ids["pupil"]))
_add("consents.current_states", P.READ_REGISTER,
     lambda s, a, c: _m("consents").current_states(s, a, [c.ids["pupil"]], on=TODAY))
_add("consents.stream_states", P.READ_REGISTER,
     lambda s, a, c: list(_m("consents").stream_states(s, a, on=TODAY)))
_add("consents.state_counts", P.READ_REGISTER,
     lambda s, a, c: _m("consents").state_counts(s, a, on=TODAY))
_add("consents.authority_of", P.READ_REGISTER,
     lambda s, a, c: _m("consents").authority_of(s, a, [c.ids["pupil"]]))
_add("consents.pupils_to_ask", P.READ_REGISTER,
     lambda s, a, c: _m("consents").pupils_to_ask(s, a, TODAY))
_add("consents.count_to_ask", P.READ_REGISTER,
     lambda s, a, c: _m("consents").count_to_ask(s, a, TODAY))
_add("consents.record_decision", P.RECORD_CONSENT,
     lambda s, a, c: _m("consents").record_decision(
         s, a, c.ids["pupil"], c.ids["purpose"], Decision.GIVEN, decided_on=TODAY,
         guardian_id=c.ids["guardian"], channel=Channel.PAPER, clock=CLOCK))
_add("consents.set_year_rhythm", P.MANAGE_PURPOSES,
     lambda s, a, c: _m("consents").set_year_rhythm(s, a, ask_each_year=True,
                                                    closing_month_day=(10, 1)))
_add("consent_sheets.form_pupils", P.READ_REGISTER,
     lambda s, a, c: _m("consent_sheets").form_pupils(s, a, today=TODAY))
_add("consent_sheets.stream_form_pupils", P.READ_REGISTER,
     lambda s, a, c: list(_m("consent_sheets").stream_form_pupils(s, a, today=TODAY)))
_add("consent_sheets.form_terms", P.READ_REGISTER,
     lambda s, a, c: _m("consent_sheets").form_terms(s, a, today=TODAY))
_add("consent_sheets.photo_lists", P.READ_GROUP_PHOTO_LIST,
     lambda s, a, c: _m("consent_sheets").photo_lists(s, a, today=TODAY,
                                                      group=DEMO_TEACHER_GROUP))
_add("consent_sheets.pupil_consent_overview", P.READ_REGISTER,
     lambda s, a, c: _m("consent_sheets").pupil_consent_overview(s, a, c.ids["pupil"],
                                                                 today=TODAY))
_add("register.add_missing_defaults", P.SETTINGS,
     lambda s, a, c: _m("register").add_missing_defaults(s, a, clock=CLOCK))
_add("purposes.seed_default_purposes", P.MANAGE_PURPOSES,
     lambda s, a, c: _m("purposes").seed_default_purposes(s, a, clock=CLOCK))
_add("purposes.add_purpose", P.MANAGE_PURPOSES,
     lambda s, a, c: _m("purposes").add_purpose(s, a, code="matrix", title="Proef",
                                                text="Proeftekst", clock=CLOCK))
_add("purposes.edit_purpose_text", P.MANAGE_PURPOSES,
     lambda s, a, c: _m("purposes").edit_purpose_text(s, a, c.ids["purpose"], title="Nieuw",
                                                      text="Nieuwe tekst", clock=CLOCK))
_add("purposes.purpose_rows", P.READ_REGISTER,
     lambda s, a, c: _m("purposes").purpose_rows(s, a))
_add("purposes.add_school_purpose", P.MANAGE_PURPOSES,
     lambda s, a, c: _m("purposes").add_school_purpose(s, a, title="Eigen doel",
                                                       text="Een eigen doel van de school.",
                                                       clock=CLOCK))
_add("purposes.retire_purpose", P.MANAGE_PURPOSES,
     lambda s, a, c: _m("purposes").retire_purpose(s, a, c.ids["purpose"], clock=CLOCK))
# --- breaches and vulnerability reports -----------------------------------------------
_BREACH = BreachInput(discovered_at=NOW - timedelta(hours=1), description="nieuw")
_add("breaches.register_breach", P.RECORD_BREACH,
     lambda s, a, c: _m("breaches").register_breach(s, a, _BREACH, clock=CLOCK))
_add("breaches.update_breach", P.RECORD_BREACH,
     lambda s, a, c: _m("breaches").update_breach(s, a, c.ids["breach"], _BREACH, clock=CLOCK))
_add("breaches.assess", P.RECORD_BREACH,
     lambda s, a, c: _m("breaches").assess(s, a, c.ids["breach"], risk=_m("schema").Risk.NONE,
                                           reasons="geen risico", notify_ap=False,
                                           notify_reason="geen risico", clock=CLOCK))
_add("breaches.record_notification", P.RECORD_BREACH,
     lambda s, a, c: _m("breaches").record_notification(s, a, c.ids["breach"], notified_at=NOW,
                                                        ap_reference="AP-1", clock=CLOCK))
_add("breaches.record_supplement", P.RECORD_BREACH,
     lambda s, a, c: (_m("breaches").record_notification(s, SYSTEM, c.ids["breach"],
                                                         notified_at=NOW, ap_reference="AP-1",
                                                         clock=CLOCK),
                      _m("breaches").record_supplement(s, a, c.ids["breach"],
                                                       supplemented_at=NOW, clock=CLOCK)))
_add("breaches.record_informing", P.RECORD_BREACH,
     lambda s, a, c: _m("breaches").record_informing(s, a, c.ids["breach"], informed=False,
                                                     reason_not="geen risico", clock=CLOCK))
_add("breaches.add_measure", P.RECORD_BREACH,
     lambda s, a, c: _m("breaches").add_measure(s, a, c.ids["breach"], kind="corrective",
                                                description="proef", clock=CLOCK))
_add("breaches.complete_measure", P.RECORD_BREACH,
     lambda s, a, c: _m("breaches").complete_measure(s, a, c.ids["measure"], TODAY,
                                                     clock=CLOCK))
_add("breaches.breach_rows", P.READ_REGISTER, lambda s, a, c: _m("breaches").breach_rows(s, a))
_add("breaches.measures_of", P.READ_REGISTER,
     lambda s, a, c: _m("breaches").measures_of(s, a, c.ids["breach"]))
_add("breaches.amendments_of", P.READ_REGISTER,
     lambda s, a, c: _m("breaches").amendments_of(s, a, c.ids["breach"]))
_add("breaches.breach_years", P.READ_REGISTER, lambda s, a, c: _m("breaches").breach_years(s, a))
_add("breaches.breach_input", P.RECORD_BREACH,
     lambda s, a, c: _m("breaches").breach_input(s, a, c.ids["breach"]))
_add("breaches.breach_version", P.RECORD_BREACH,
     lambda s, a, c: _m("breaches").breach_version(s, a, c.ids["breach"]))
_add("breaches.breach_details", P.READ_REGISTER,
     lambda s, a, c: _m("breaches").breach_details(s, a, c.ids["breach"]))
_add("breaches.gather_breach_report", P.READ_REGISTER,
     lambda s, a, c: _m("breaches").gather_breach_report(s, a, c.ids["breach"], NOW))
_add("breaches.gather_breach_register", P.READ_REGISTER,
     lambda s, a, c: _m("breaches").gather_breach_register(s, a, date(2026, 1, 1), TODAY, NOW))
_add("vulnerabilities.register_report", P.RECORD_BREACH,
     lambda s, a, c: _m("vulnerabilities").register_report(s, a, ReportInput(NOW, "x"),
                                                           clock=CLOCK))
_add("vulnerabilities.acknowledge", P.RECORD_BREACH,
     lambda s, a, c: _m("vulnerabilities").acknowledge(s, a, c.ids["report"], NOW, clock=CLOCK))
_add("vulnerabilities.assess_report", P.RECORD_BREACH,
     lambda s, a, c: _m("vulnerabilities").assess_report(s, a, c.ids["report"], assessment="x",
                                                         expected_fix_on=TODAY, clock=CLOCK))
_add("vulnerabilities.record_update_sent", P.RECORD_BREACH,
     lambda s, a, c: _m("vulnerabilities").record_update_sent(s, a, c.ids["report"], TODAY,
                                                              clock=CLOCK))
_add("vulnerabilities.mark_fixed", P.RECORD_BREACH,
     lambda s, a, c: _m("vulnerabilities").mark_fixed(s, a, c.ids["report"], NOW, clock=CLOCK))
_add("vulnerabilities.link_breach", P.RECORD_BREACH,
     lambda s, a, c: _m("vulnerabilities").link_breach(s, a, c.ids["report"], c.ids["breach"],
                                                       clock=CLOCK))
_add("vulnerabilities.report_rows", P.RECORD_BREACH,
     lambda s, a, c: _m("vulnerabilities").report_rows(s, a))
# --- requests, suppliers, exchanges -----------------------------------------------------
_add("requests.register_request", P.HANDLE_REQUESTS,
     lambda s, a, c: _m("requests").register_request(
         s, a, RequestInput(RequestKind.ERASURE, TODAY, c.ids["pupil"], None), clock=CLOCK))
_add("requests.extend", P.HANDLE_REQUESTS,
     lambda s, a, c: _m("requests").extend(s, a, c.ids["request"], months=1, reason="drukte",
                                           told_on=TODAY, clock=CLOCK))
_add("requests.answer", P.HANDLE_REQUESTS,
     lambda s, a, c: _m("requests").answer(s, a, c.ids["request"], answered_on=TODAY,
                                           text="beantwoord", clock=CLOCK))
_add("requests.request_rows", P.READ_REGISTER, lambda s, a, c: _m("requests").request_rows(s, a))
_add("requests.request_lines", P.READ_REGISTER,
     lambda s, a, c: _m("requests").request_lines(s, a, TODAY))
_add("requests.request_details", P.READ_REGISTER,
     lambda s, a, c: _m("requests").request_details(s, a, c.ids["request"]))
_add("suppliers.save_supplier", P.MANAGE_SUPPLIERS,
     lambda s, a, c: _m("suppliers").save_supplier(s, a, SupplierInput(name="Proef BV"),
                                                   clock=CLOCK))
_add("suppliers.supplier_rows", P.READ_REGISTER,
     lambda s, a, c: _m("suppliers").supplier_rows(s, a))
_add("suppliers.expiring_agreements", P.READ_REGISTER,
     lambda s, a, c: _m("suppliers").expiring_agreements(s, a, TODAY))
_add("suppliers.record_exchange", P.HANDLE_REQUESTS,
     lambda s, a, c: _m("suppliers").record_exchange(s, a, ExchangeInput(
         TODAY, "Leerplicht", "leerplichtambtenaar", "verzuim", LegalBasis.LAW,
         (c.ids["pupil"],)), clock=CLOCK))
_add("suppliers.exchange_details", P.READ_REGISTER,  # an exchange made as the system first
     lambda s, a, c: _m("suppliers").exchange_details(s, a, _m("suppliers").record_exchange(
         s, SYSTEM, ExchangeInput(TODAY, "Leerplicht", "leerplichtambtenaar", "verzuim",
                                  LegalBasis.LAW, (c.ids["pupil"],)), clock=CLOCK).id))
_add("suppliers.exchange_rows", P.READ_REGISTER,
     lambda s, a, c: _m("suppliers").exchange_rows(s, a))
_add("suppliers.exchange_details", P.READ_REGISTER,
     lambda s, a, c: _m("suppliers").exchange_details(
         s, a, s.scalar(select(Exchange.id).order_by(Exchange.id).limit(1))))
_add("access_export.gather_access", P.HANDLE_REQUESTS,
     lambda s, a, c: _m("access_export").gather_access(s, a, c.ids["pupil"], clock=CLOCK))
_add("inspection.gather", P.EXPORT,
     lambda s, a, c: _m("inspection").gather(s, a, date(2026, 1, 1), TODAY, now=NOW))
# --- what the school tells parents: art. 30 register, schoolgids, fotocheck, contact ---
def _activity(s: Any) -> int:
    from db.schema import ProcessingActivity

    return s.scalar(select(ProcessingActivity.id).order_by(ProcessingActivity.id))


def _activity_input() -> Any:
    return _m("processing").ActivityInput("Proef", "Proefdoel", "Leerlingen", "Naam")


_add("processing.processing_activities", P.READ_REGISTER,
     lambda s, a, c: _m("processing").processing_activities(s, a))
_add("processing.term_choices", P.READ_REGISTER,
     lambda s, a, c: _m("processing").term_choices(s, a))
_add("processing.save_activity", P.SETTINGS,
     lambda s, a, c: _m("processing").save_activity(s, a, _activity_input(), _activity(s),
                                                    clock=CLOCK))
_add("processing.retire_activity", P.SETTINGS,
     lambda s, a, c: _m("processing").retire_activity(s, a, _activity(s), clock=CLOCK))
_add("processing.seed_default_activities", P.SETTINGS,
     lambda s, a, c: _m("processing").seed_default_activities(s, a, clock=CLOCK))
_add("processing.link_suggested_suppliers", P.SETTINGS,
     lambda s, a, c: _m("processing").link_suggested_suppliers(s, a, clock=CLOCK))
_add("schoolgids.schoolgids", P.READ_REGISTER,
     lambda s, a, c: _m("schoolgids").schoolgids(s, a, TODAY))
_add("schoolgids.schoolgids_sections", P.READ_REGISTER,
     lambda s, a, c: _m("schoolgids").schoolgids_sections(s, a, TODAY))
_add("schoolgids.save_section_text", P.SETTINGS,
     lambda s, a, c: _m("schoolgids").save_section_text(s, a, "fg", title="FG",
                                                        text="Mail {fg_email}.", clock=CLOCK))
_add("schoolgids.reset_section_text", P.SETTINGS,
     lambda s, a, c: _m("schoolgids").reset_section_text(s, a, "fg", clock=CLOCK))
_add("photo_check.photo_candidates", P.READ_GROUP_PHOTO_LIST,
     lambda s, a, c: _m("photo_check").photo_candidates(s, a, today=TODAY,
                                                        group=DEMO_TEACHER_GROUP))
_add("photo_check.photo_check", P.READ_GROUP_PHOTO_LIST,
     lambda s, a, c: _m("photo_check").photo_check(s, a, [c.ids["purpose"]],
                                                   [c.ids["pupil"]], TODAY))
_add("consents.explain_states", P.READ_REGISTER,
     lambda s, a, c: _m("consents").explain_states(s, a, [c.ids["pupil"]], [c.ids["purpose"]],
                                                   on=TODAY))
_add("school.school_contact", None, lambda s, a, c: _m("school").school_contact(s, a))
_add("school.set_school_contact", P.SETTINGS,
     lambda s, a, c: _m("school").set_school_contact(
         s, a, _m("school").SchoolContact(privacy_email="privacy@school.example"), clock=CLOCK))
# --- retention --------------------------------------------------------------------------
_add("retention.due_items", P.READ_REGISTER,
     lambda s, a, c: _m("retention").due_items(s, a, TODAY))
_add("retention.erasure_rows", P.READ_REGISTER,
     lambda s, a, c: _m("retention").erasure_rows(s, a))
_add("retention.rule_rows", P.READ_REGISTER,
     lambda s, a, c: _m("retention").rule_rows(s, a))
_add("retention.erasure_lines", P.READ_REGISTER,
     lambda s, a, c: _m("retention").erasure_lines(s, a))
_add("retention.purge_after_backup", P.ERASE,  # nothing chosen: only the backup is made
     lambda s, a, c: _m("retention").purge_after_backup(c.vault, a, [], clock=CLOCK))
_add("retention.erase", P.ERASE,
     lambda s, a, c: _m("retention").erase(s, a, c.ids["pupil"], "notes", clock=CLOCK))
_add("retention.purge", P.ERASE,
     lambda s, a, c: _m("retention").purge(s, a, _due(s, c), clock=CLOCK))
_add("retention.seed_default_rules", P.SETTINGS,
     lambda s, a, c: _m("retention").seed_default_rules(s, a, clock=CLOCK))
_add("retention.set_term", P.SETTINGS,
     lambda s, a, c: _m("retention").set_term(
         s, a, _m("retention").load_default_rules()[0]["category"], 5, "proef", clock=CLOCK))
# --- imports ----------------------------------------------------------------------------
_add("imports.preview.build_preview", P.IMPORT_PUPILS,
     lambda s, a, c: _m("imports.preview").build_preview(s, a, _parsed()))
_add("imports.preview.commit_import", P.IMPORT_PUPILS,
     lambda s, a, c: _m("imports.preview").commit_import(s, a, _imported(), clock=CLOCK))
_add("imports.preview.save_mapping", P.IMPORT_PUPILS,
     lambda s, a, c: _m("imports.preview").save_mapping(s, a, "abc", {"last_name": "Naam"}))
_add("imports.preview.load_mapping", P.IMPORT_PUPILS,
     lambda s, a, c: _m("imports.preview").load_mapping(s, a, "abc"))
_add("imports.consents.purpose_choices", P.RECORD_CONSENT,
     lambda s, a, c: _m("imports.consents").purpose_choices(s, a))
_add("imports.consents.build_consent_preview", P.RECORD_CONSENT,
     lambda s, a, c: _m("imports.consents").build_consent_preview(
         s, a, _m("imports.consents").ParsedPreferences(source="CSV"), "parro", clock=CLOCK))
_add("imports.consents.commit_consent_import", P.RECORD_CONSENT,
     lambda s, a, c: _m("imports.consents").commit_consent_import(s, a, _consent_preview(c),
                                                                   clock=CLOCK))
_add("imports.consents.save_consent_mapping", P.RECORD_CONSENT,
     lambda s, a, c: _m("imports.consents").save_consent_mapping(
         s, a, "parro", ["Leerlingnummer", "Website"],
         _m("imports.consents").ConsentMapping({"source_key": "Leerlingnummer"})))
_add("imports.consents.load_consent_mapping", P.RECORD_CONSENT,
     lambda s, a, c: _m("imports.consents").load_consent_mapping(s, a, "parro", ["Website"]))
# --- school, settings, users, audit, overview -------------------------------------------
_add("school.get_setting", None,
     lambda s, a, c: _m("school").get_setting(s, a, "lock.idle_minutes", "10"))
_add("school.put_setting", P.SETTINGS,
     lambda s, a, c: _m("school").put_setting(s, a, "lock.idle_minutes", "7"))
_add("overview.summary", P.READ_REGISTER,
     lambda s, a, c: _m("overview").summary(s, a, today=TODAY, clock=CLOCK))
_add("audit_log.audit_rows", P.READ_AUDIT,
     lambda s, a, c: _m("audit_log").audit_rows(s, a, limit=5, clock=CLOCK))
_add("audit_log.export_audit_rows", P.READ_AUDIT,  # and EXPORT: every READ_AUDIT role has it
     lambda s, a, c: _m("audit_log").export_audit_rows(
         s, a, _m("audit_log").AuditFilter(first_day=TODAY, last_day=TODAY), limit=5,
         clock=CLOCK))
_add("board.board_overview", P.READ_BOARD,  # the board's roles only
     lambda s, a, c: _m("board").board_overview(s, a, now=NOW, today=TODAY))
_add("board.gather_board_breach_register", P.READ_BOARD,
     lambda s, a, c: _m("board").gather_board_breach_register(s, a, date(2026, 1, 1), TODAY,
                                                              NOW))
_add("overview.legal_deadlines", P.READ_REGISTER,
     lambda s, a, c: _m("overview").legal_deadlines(s, a, now=NOW, today=TODAY))
_add("settings.read_setting", None,
     lambda s, a, c: _m("settings").read_setting(s, a, _m("settings").IDLE_LOCK_MINUTES))
_add("settings.write_setting", P.SETTINGS,
     lambda s, a, c: _m("settings").write_setting(s, a, _m("settings").IDLE_LOCK_MINUTES, 7))
_add("audit_log.record_readers", P.HANDLE_REQUESTS,
     lambda s, a, c: _m("audit_log").record_readers(s, a, c.ids["pupil"]))
_add("users.create_user", P.MANAGE_USERS,
     lambda s, a, c: _m("users").create_user(s, a, "nieuw", "wachtwoord-1", Role.FG,
                                             clock=CLOCK))
_add("users.update_user", P.MANAGE_USERS,
     lambda s, a, c: _m("users").update_user(s, a, c.users[Role.FG].id, display_name="F G",
                                             clock=CLOCK))
_add("users.set_password", P.MANAGE_USERS,  # someone else's; one's own needs no permission
     lambda s, a, c: _m("users").set_password(
         s, a, c.users[Role.FG if a.role != Role.FG else Role.DIRECTIE].id, "nieuw-wachtwoord",
         clock=CLOCK))
_add("users.list_users", P.MANAGE_USERS, lambda s, a, c: _m("users").list_users(s, a))
_add("users.user_names", P.READ_REGISTER, lambda s, a, c: _m("users").user_names(s, a))
_add("users.recent_lockouts", P.MANAGE_USERS,
     lambda s, a, c: _m("users").recent_lockouts(s, a, clock=CLOCK))
# --- the file ---------------------------------------------------------------------------
_add("vault.Vault.backup_then", P.BACKUP,
     lambda s, a, c: c.vault.backup_then(a, lambda session: None))
_add("vault.Vault.backup", P.BACKUP,
     lambda s, a, c: c.vault.backup(a, c.tmp / f"kopie-{a.role}.db"))
_add("vault.Vault.restore", P.BACKUP,  # a missing file: the role is checked before all else
     lambda s, a, c: _expect_missing(lambda: c.vault.restore(a, c.tmp / "bestaat-niet.db")))


# --- the server: its backups are the server's; the role is checked before that is said -----
def _on_server(c: Context) -> Any:
    """A ServerRegister over the matrix's own engine: what is checked here is the role."""
    from db.server import ServerAddress, ServerRegister

    address = ServerAddress("localhost", "matrix", "app", tls=False)
    return ServerRegister(address, c.vault.engine, c.vault.database_id, CLOCK)


def _expect_server_backup(call: Callable[[], Any]) -> None:
    from db.errors import ServerBackupError

    with pytest.raises(ServerBackupError):
        call()


_add("server.ServerRegister.backup", P.BACKUP,
     lambda s, a, c: _expect_server_backup(lambda: _on_server(c).backup(a)))
_add("server.ServerRegister.backup_then", P.BACKUP,
     lambda s, a, c: _on_server(c).backup_then(a, lambda session: None))


def _expect_missing(call: Callable[[], Any]) -> None:
    from db.errors import DatabaseNotFoundError

    with pytest.raises(DatabaseNotFoundError):
        call()


def _signed_off_breach(session: Any, ctx: Context) -> int:
    """An assessed breach (no risk) that can be signed off, made as the system."""
    from db.breaches import assess, record_informing

    breach = register_breach(session, SYSTEM, _BREACH, clock=CLOCK)
    assess(session, SYSTEM, breach.id, risk=_m("schema").Risk.NONE, reasons="geen",
           notify_ap=False, notify_reason="geen risico", clock=CLOCK)
    record_informing(session, SYSTEM, breach.id, informed=False, reason_not="geen risico",
                     clock=CLOCK)
    return breach.id


def _sign_off(s: Any, a: User, c: Context) -> Any:
    return _m("breaches").sign_off(s, a, _signed_off_breach(s, c), clock=CLOCK)


def _amend(s: Any, a: User, c: Context) -> Any:
    breach_id = _signed_off_breach(s, c)
    _m("breaches").sign_off(s, SYSTEM, breach_id, clock=CLOCK)
    return _m("breaches").add_amendment(s, a, breach_id, "later bekend", clock=CLOCK)


USE_CASES["breaches.sign_off"] = (P.SIGN_OFF_BREACH, _sign_off)
USE_CASES["breaches.add_amendment"] = (P.RECORD_BREACH, _amend)

# Every use case on both engines, but the file's own (backup, restore of a file): the file only.
MATRIX = [(name, role) for name in sorted(USE_CASES) if not name.startswith("vault.")
          for role in ROLES]
FILE_MATRIX = [(name, role) for name in sorted(USE_CASES) if name.startswith("vault.")
               for role in ROLES]
BOTH_ENGINES = pytest.mark.parametrize("register", ENGINES, indirect=True, scope="module")


@BOTH_ENGINES
@pytest.mark.parametrize(("name", "role"), MATRIX, ids=[f"{n}-{r}" for n, r in MATRIX])
def test_role_matrix(register, name, role):
    _check(register, name, role)


@pytest.mark.parametrize(("name", "role"), FILE_MATRIX, ids=[f"{n}-{r}" for n, r in FILE_MATRIX])
def test_role_matrix_of_the_file(register, name, role):
    _check(register, name, role)


def _check(register: Context, name: str, role: Role) -> None:
    permission, call = USE_CASES[name]
    allowed = permission is None or permission in ROLE_PERMISSIONS[role]
    actor = register.users[role]
    session = register.vault.new_session()
    try:
        if allowed:
            call(session, actor, register)
        else:
            with pytest.raises(PermissionDenied) as refused:
                call(session, actor, register)
            assert "U mag" in str(refused.value) or "leerkracht" in str(refused.value)
    finally:
        session.rollback()
        session.close()


def _public_functions() -> list[tuple[str, inspect.Signature]]:
    found = []
    for info in pkgutil.walk_packages(db.__path__, "db."):
        if ".migrations" in info.name:
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if name.startswith("_") or getattr(value, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(value):
                found.append((f"{info.name}.{name}", inspect.signature(value)))
            elif inspect.isclass(value):
                for attr, member in vars(value).items():
                    function = getattr(member, "__func__", member)
                    if not attr.startswith("_") and inspect.isfunction(function):
                        found.append((f"{info.name}.{name}.{attr}",
                                      inspect.signature(function)))
    return found


def test_every_use_case_takes_the_acting_user_or_is_allowed_without():
    unguarded = []
    for name, signature in _public_functions():
        params = signature.parameters
        touches_data = ("session" in params or "connection" in params
                        or name.startswith(("db.vault.Vault.", "db.server.ServerRegister.")))
        if touches_data and "actor" not in params and name not in ALLOW_LIST:
            unguarded.append(name)
    assert unguarded == [], "take `actor` and require() a permission, or allow-list with a reason"
    assert ALLOW_LIST <= {name for name, _ in _public_functions()}, "stale allow-list entry"


def test_the_matrix_covers_every_use_case_that_takes_an_actor():
    helpers = {"db.audit.audit", "db.audit.audit_many"}  # write the log for a use case
    with_actor = {name for name, signature in _public_functions()
                  if "actor" in signature.parameters and name not in helpers
                  and not name.startswith(("db.permissions.", "db.open_register."))}
    # db.open_register only declares the interface Vault and ServerRegister share (their own
    # backup and backup_then are in the matrix)
    assert with_actor == {f"db.{name}" for name in USE_CASES}


@BOTH_ENGINES
def test_a_missing_actor_is_a_programming_error(register):
    from db.permissions import may, require
    from db.pupils import pupil_rows

    with pytest.raises(TypeError):
        may(None, Permission.READ_REGISTER)
    with pytest.raises(TypeError):
        require(None, Permission.READ_REGISTER)
    with register.vault.session() as session, pytest.raises(TypeError):
        pupil_rows(session, None)


@BOTH_ENGINES
def test_a_teacher_sees_only_their_own_group(register):
    from db.consent_sheets import photo_lists
    from db.pupils import group_names

    teacher = register.users[Role.LEERKRACHT]
    with register.vault.session() as session:
        assert group_names(session, teacher) == [DEMO_TEACHER_GROUP]
        assert len(group_names(session, register.users[Role.DIRECTIE])) > 1
        (own,) = photo_lists(session, teacher, today=TODAY, group=DEMO_TEACHER_GROUP)
        assert own.group_name == DEMO_TEACHER_GROUP
        with pytest.raises(PermissionDenied, match="alleen uw eigen groep, niet groep 1A"):
            photo_lists(session, teacher, today=TODAY, group="1A")
        with pytest.raises(PermissionDenied, match="niet alle groepen"):
            photo_lists(session, teacher, today=TODAY)


@BOTH_ENGINES
def test_the_system_actor_is_named_as_such_in_the_audit_log(register):
    from db.audit_log import audit_rows

    with register.vault.session() as session:
        rows = audit_rows(session, register.users[Role.DIRECTIE], action_prefix="demo.",
                          limit=3, clock=CLOCK)
    assert rows and {row.user for row in rows} == {"systeem"}


@BOTH_ENGINES
def test_no_use_case_returns_a_password_hash(register):
    from db.users import list_users, user_names

    with register.vault.session() as session:
        rows = list_users(session, register.users[Role.BEHEERDER])
        names = user_names(session, register.users[Role.FG])
    assert rows and all("password_hash" not in row._fields for row in rows)
    assert all(not str(value).startswith("$argon2") for row in rows for value in row)
    assert all("password_hash" not in name._fields for name in names)
