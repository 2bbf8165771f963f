"""One interface for the file and the server (db/open_register.py): the CLI, the GUI and the
background tasks call the same members with the same arguments on either, and the paths that
use more connections (verify's file check and rows' check, the inspection export's chain
check) work on both engines."""

from __future__ import annotations

import inspect
from datetime import date

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from db.audit import verify_chain
from db.inspection import gather
from db.open_register import OpenRegister
from db.permissions import SYSTEM
from db.schema import AuditEntry, Setting
from db.server import ServerRegister
from db.vault import Vault
from tests.db.helpers import add_family, on_server, tamper

MEMBERS = sorted(name for name in {*vars(OpenRegister), *OpenRegister.__annotations__}
                 if not name.startswith("_"))
METHODS = [name for name in MEMBERS if callable(vars(OpenRegister).get(name))]


def _arguments(function) -> list[tuple[str, object, object]]:
    """Names, kinds and defaults: what a caller relies on (annotations may differ, e.g.
    backup_then's backup is a Path on the file and None on a server)."""
    return [(p.name, p.kind, p.default)
            for p in inspect.signature(function).parameters.values()]


def test_the_interface_names_what_callers_use():
    assert {"session", "worker_session", "reader", "backup", "backup_then", "list_backups",
            "integrity_problems", "integrity_report", "close", "engine", "database_id",
            "path", "backup_dir", "key_mode", "migrated_from", "clock"} <= set(MEMBERS)


@pytest.mark.parametrize("register_class", [Vault, ServerRegister])
@pytest.mark.parametrize("name", METHODS)
def test_both_registers_take_the_same_arguments(register_class, name):
    assert _arguments(getattr(register_class, name)) == _arguments(
        getattr(OpenRegister, name)), name


def test_an_open_register_is_one_on_either_engine(vault):
    assert isinstance(vault, OpenRegister)
    for name in MEMBERS:
        assert hasattr(vault, name), name


def test_a_reader_is_a_connection_of_its_own_beside_a_session(vault, clock):
    with vault.session() as session:
        add_family(session, SYSTEM, clock)
    with vault.session() as session:
        seen = session.scalar(select(func.count()).select_from(AuditEntry))
        with vault.reader() as connection:  # while the session holds its own
            assert connection.scalar(select(func.count()).select_from(AuditEntry)) == seen
            assert connection.connection.dbapi_connection is not \
                session.connection().connection.dbapi_connection
    assert vault.integrity_problems(own_connection=True) == vault.integrity_problems() == []


def test_the_integrity_report_speaks_of_the_file_only(vault):
    report = vault.integrity_report([])
    if on_server(vault):
        assert report is None  # the server keeps its own files sound
    else:
        assert report == "Bestand in orde (integrity_check)."
        assert vault.integrity_report(["page 3 is never used"]) == (
            "Het bestand is beschadigd: page 3 is never used")


def test_a_reader_on_the_server_cannot_write_and_leaves_its_connection_writable(server_vault):
    """The rows' check reads only; the pooled connection it used writes again afterwards.
    (The file's reader is a connection of its own, closed afterwards.)"""
    vault = server_vault
    vault.engine.dispose()  # one pooled connection from here on: the reader's, then the next
    with vault.reader() as connection, pytest.raises(DBAPIError, match="read-only"):
        connection.execute(text("INSERT INTO setting (key, value) VALUES ('x', 'y')"))
    assert vault.engine.pool.checkedin() == 1
    with vault.session() as session:
        session.add(Setting(key="na-lezen", value="schrijft"))
    with vault.session() as session:
        assert session.scalar(select(Setting.value).where(Setting.key == "na-lezen")) == "schrijft"


def test_the_inspection_export_checks_the_chain_on_more_connections_alike(vault, clock):
    """gather(connect=register.reader), as the CLI's export and the Beheer page call it:
    the same chain report as on the session alone, untouched and tampered with."""
    with vault.session() as session:
        for name in ("Jansen", "Bakker"):
            add_family(session, SYSTEM, clock, last_name=name)

    def both() -> tuple:
        period = (date(2026, 8, 1), date(2027, 7, 31))
        reports = []
        for connect in (None, vault.reader):
            session = vault.new_session()
            try:
                inspection = gather(session, SYSTEM, *period, now=clock(), connect=connect)
                reports.append((inspection.chain_ok, inspection.chain_message))
            finally:
                session.rollback()  # the export's own audit entry: not compared
                session.close()
        return reports

    alone, beside = both()
    assert alone == beside and alone[0]
    with tamper(vault) as connection:
        connection.execute(text("UPDATE audit_entry SET record_id = '99' WHERE seq = 3"))
    alone, beside = both()
    assert alone == beside and not alone[0] and "Auditregel 3" in alone[1]
    with vault.session() as session:
        assert not verify_chain(session, connect=vault.reader).ok
