"""Backups of a register on a PostgreSQL server are the server's (pg_dump by the board's IT
partner): the CLI's `backup` and the window's Bestand > Reservekopie maken say so in Dutch,
with the command for this database, and copy nothing."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from db.schema import User
from desktop import cli
from desktop.main_window import MainWindow


def test_the_cli_backup_of_a_server_register_names_pg_dump_without_connecting(
        postgres_server, capsys, tmp_path):
    # a port nobody listens on and no password in the keyring: had `backup` connected, it
    # would have said the server is unreachable or asked for the password
    url = (f"postgresql://register_app@127.0.0.1:1/schoolregister"
           f"?sslmode=verify-full&sslrootcert={postgres_server.ca_file}")
    code = cli.main(["--server", url, "backup", "--to", str(tmp_path / "kopie.db")])
    err = capsys.readouterr().err
    assert code == 2
    assert "Reservekopieën daarvan maakt de server, niet dit programma" in err
    assert ("pg_dump --format=custom --host=127.0.0.1 --port=1 --username=EIGENAAR "
            "--file=privacyregister-JJJJ-MM-DD.dump schoolregister") in err
    assert "Er is niets gekopieerd" in err and "niet bereikbaar" not in err
    assert not (tmp_path / "kopie.db").exists()


def test_the_windows_backup_on_a_server_register_explains_the_servers_backups(
        qtbot, server_vault, clock, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(
        (box.windowTitle(), box.icon(), box.text(), box.informativeText())) or 0)
    warned = []  # a failed backup ("Reservekopie mislukt") would be a warning
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warned.append(args))
    with server_vault.session() as session:
        admin = session.scalar(select(User).where(User.username == "beheer"))
    window = MainWindow(server_vault, admin, clock=clock)
    qtbot.addWidget(window)
    page = window.stack.currentWidget()
    assert window.backup_action.isVisible()
    assert not any("reservekopie" in item.text for item in page.attention_items)
    assert window.make_backup(blocking=True) is None  # no task: nothing is copied
    ((title, icon, text, details),) = shown
    assert title == "Reservekopieën op de server" and icon == QMessageBox.Icon.Information
    assert "Reservekopieën daarvan maakt de server, niet dit programma" in text
    assert f"database: {server_vault.address.database}" in details
    assert "pg_dump --format=custom" in details and "Er is niets gekopieerd" in details
    assert warned == []
