"""Beheer > Overzetten naar server…: the open register of this computer copied to an empty
database on the run's PostgreSQL server, or as a new school into a database that already holds
another school of the board, on a worker with a progress bar; the program's own database user
remembered for the next start, its password in the keyring."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, inspect, select

from db.audit import chain_head, verify_chain
from db.schema import Base, User
from db.server import ServerAddress, ServerRegister, load_password, make_engine
from desktop.admin.move_to_server import MoveToServerDialog
from desktop.main_window import MainWindow
from desktop.server_connection import remembered_server
from tests.support.postgres import APPLICATION, OWNER, database_for_test


@pytest.fixture
def empty_database(postgres_server, postgres_admin, request):
    with database_for_test(postgres_admin, request, "gui") as name:
        yield ServerAddress.parse(postgres_server.url(name, OWNER))


def fill(qtbot, dialog: MoveToServerDialog, owner: ServerAddress, server, *,
         app_password: str | None = None) -> None:
    fields = dialog.server_fields
    fields.host.clear()
    qtbot.keyClicks(fields.host, owner.host)
    fields.port.clear()
    qtbot.keyClicks(fields.port, str(owner.port))
    qtbot.keyClicks(fields.database, owner.database)
    qtbot.keyClicks(fields.user, OWNER)
    qtbot.keyClicks(fields.ca_file, str(owner.ca_file))
    qtbot.keyClicks(fields.password, server.owner_password)
    qtbot.keyClicks(dialog.app_user, APPLICATION)
    qtbot.keyClicks(dialog.app_password, app_password or server.application_password)


def messages_told(monkeypatch) -> list[tuple[str, str, str]]:
    """(title, text, details) of each message box the dialog shows, instead of showing it."""
    told: list[tuple[str, str, str]] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: told.append(
        (box.windowTitle(), box.text(), box.informativeText())) or 0)
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda _parent, title, text: told.append((title, text, "")))
    return told


def tables(owner: ServerAddress, password: str) -> list[str]:
    engine = make_engine(owner, password)
    try:
        with engine.connect() as connection:
            return inspect(connection).get_table_names()
    finally:
        engine.dispose()


def test_the_open_register_moves_to_the_server_on_a_worker(
        qtbot, vault, people, school, clock, empty_database, postgres_server, monkeypatch):
    with vault.session() as session:
        local_head = chain_head(session)
    before = {name: Path(name).read_bytes() for name in (vault.path, f"{vault.path}-wal")
              if Path(name).exists()}
    told = messages_told(monkeypatch)
    dialog = MoveToServerDialog(None, vault, people["beheer"])
    qtbot.addWidget(dialog)
    fill(qtbot, dialog, empty_database, postgres_server)

    task = dialog.start()  # on its worker, with the progress dialog
    assert task is not None and task.dialog is not None
    assert task.dialog.labelText() == "Het register wordt overgezet naar de server…"
    qtbot.waitUntil(lambda: dialog.report is not None or bool(told), timeout=60000)

    assert dialog.report is not None, told
    assert dialog.report.local_head == dialog.report.server_head == local_head
    ((title, text, details),) = told
    assert title == "Register overgezet" and "ongeschonden" in text
    assert f"Ketenkop op deze computer: {local_head}" in details
    assert f"Ketenkop op de server: {local_head}" in details
    assert "Sluit Privacyregister en start het opnieuw" in details and "pg_dump" in details
    app_address = ServerAddress.parse(postgres_server.url(empty_database.database))
    assert remembered_server() == app_address  # the next start opens the server register
    assert load_password(app_address) == postgres_server.application_password
    assert load_password(empty_database) is None  # the owner's password is not kept
    register = ServerRegister.open(app_address)  # with the password from the keyring
    try:
        with register.session() as session:
            assert verify_chain(session).ok and chain_head(session) == local_head
    finally:
        register.close()
    after = {name: Path(name).read_bytes() for name in before}
    assert after == before  # the file was only read


def test_a_board_database_with_another_school_gets_this_school_as_a_new_one(
        qtbot, vault, people, school, clock, empty_database, postgres_server, monkeypatch,
        tmp_path, capsys, real_runs):
    from db.audit import COVERED
    from db.migrate_to import copy_to_server, open_read_only
    from db.schema import AuditEntry, School
    from tests.desktop.test_cli_migrate_to import PASSPHRASE, make_school_file

    # the board's first school, already on the server
    other = make_school_file(tmp_path / "regenboog", capsys, monkeypatch, "OBS De Regenboog",
                             "34CD", real_runs=real_runs)
    engine = open_read_only(other, passphrase=PASSPHRASE)
    try:
        with engine.connect() as source:
            copy_to_server(source, empty_database, password=postgres_server.owner_password,
                           application_role=APPLICATION)
    finally:
        engine.dispose()
    with vault.session() as session:
        local_head = chain_head(session)
        covered = sum(session.execute(select(func.count()).select_from(
            Base.metadata.tables[name])).scalar_one() for name in COVERED)
    told = messages_told(monkeypatch)
    dialog = MoveToServerDialog(None, vault, people["beheer"])
    qtbot.addWidget(dialog)
    fill(qtbot, dialog, empty_database, postgres_server)
    dialog.start(blocking=True)

    report = dialog.report
    assert report is not None, told
    assert report.added_school and report.local_head == report.server_head == local_head
    assert report.baseline_entries == covered
    ((title, text, details),) = told
    assert title == "Register overgezet" and "ongeschonden" in text
    assert f"Ketenkop op de server: {local_head}" in details
    assert "als nieuwe school toegevoegd" in details
    assert f"{covered} basisregels" in details and str(report.final_head) in details
    engine = make_engine(empty_database, postgres_server.owner_password)
    try:
        with engine.connect() as connection:
            ids = dict(connection.execute(select(School.brin, School.id)).all())
            assert set(ids) == {"12AB", "34CD"} and ids["12AB"] == report.school_id
            for school_id in ids.values():
                checked = verify_chain(connection, school_id=school_id)
                assert checked.ok and checked.changed == (), checked.message
            assert connection.execute(select(AuditEntry.hash).where(
                AuditEntry.school_id == report.school_id,
                AuditEntry.seq == local_head.seq)).scalar_one() == local_head.hash
            assert chain_head(connection, report.school_id) == report.final_head
    finally:
        engine.dispose()


def test_a_wrong_program_password_copies_nothing(qtbot, vault, people, empty_database,
                                                 postgres_server, monkeypatch):
    warned = []
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda _parent, title, text: warned.append((title, text)))
    dialog = MoveToServerDialog(None, vault, people["beheer"])
    qtbot.addWidget(dialog)
    fill(qtbot, dialog, empty_database, postgres_server, app_password="verkeerd-wachtwoord")
    dialog.start(blocking=True)
    ((title, text),) = warned
    assert title == "Overzetten mislukt"
    assert "programmagebruiker of diens wachtwoord geweigerd" in text
    assert dialog.report is None and remembered_server() is None
    assert tables(empty_database, postgres_server.owner_password) == []


def test_the_fields_say_what_is_missing_and_the_owner_is_not_the_program(
        qtbot, vault, people, postgres_server):
    dialog = MoveToServerDialog(None, vault, people["beheer"])
    qtbot.addWidget(dialog)
    assert dialog.start(blocking=True) is None
    assert dialog.fields["host"].error.text() == "Vul de naam of het adres van de server in."
    assert dialog.fields["app_user"].error.text() == \
        "Vul de databasegebruiker van het programma in."
    qtbot.keyClicks(dialog.server_fields.user, OWNER)
    qtbot.keyClicks(dialog.app_user, OWNER)
    dialog.start(blocking=True)
    assert "andere databasegebruiker dan de eigenaar" in dialog.fields["app_user"].error.text()


def test_beheer_offers_it_to_the_beheerder_of_a_file_register_only(
        qtbot, vault, people, clock, server_vault):
    for user, shown in ((people["beheer"], True), (people["office"], False)):
        window = MainWindow(vault, user, clock=clock)
        qtbot.addWidget(window)
        assert window.move_to_server_action.isVisible() is shown
        assert window.move_to_server_action.text() == "&Overzetten naar server…"
    with server_vault.session() as session:
        admin = session.scalar(select(User).where(User.username == "beheer"))
    on_server = MainWindow(server_vault, admin, clock=clock)
    qtbot.addWidget(on_server)
    assert not on_server.move_to_server_action.isVisible()
