"""The first-run dialog's second choice: the register on the board's PostgreSQL server (the
run's test server), verified TLS only, the password in the keyring, the connection remembered
so that the next start opens the server register behind the login."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QScrollArea

from db.server import ServerAddress, ServerRegister, load_password, store_password
from db.users import authenticate
from desktop import paths
from desktop.app import main
from desktop.kit import screen
from desktop.login_dialog import LoginDialog
from desktop.main_window import MainWindow
from desktop.server_connection import (
    ServerPasswordDialog,
    remember_server,
    remembered_server,
    server_file,
)
from desktop.setup_dialog import SetupDialog
from tests.conftest import ADMIN_PASSWORD
from tests.support.postgres import APPLICATION

SCREENSHOTS = Path(os.environ.get("PRIVACYREGISTER_SHOTS", "/tmp/privacyregister-shots"))


@pytest.fixture
def server_register(server_workspace) -> ServerAddress:
    """The run's template register on the server, fresh; no password in the keyring yet."""
    server_workspace.reset()
    return server_workspace.address


def make_dialog(qtbot, tmp_path, clock) -> SetupDialog:
    dialog = SetupDialog(database=tmp_path / "register.db", backup_dir=tmp_path / "backups",
                         keyring_available=True, clock=clock,
                         recovery_pdf=tmp_path / "Herstelsleutel Privacyregister.pdf")
    qtbot.addWidget(dialog)
    return dialog


def choose_server(qtbot, dialog: SetupDialog, address: ServerAddress, password: str) -> None:
    dialog.on_server.click()
    fields = dialog.server_fields
    fields.host.clear()
    qtbot.keyClicks(fields.host, address.host)
    fields.port.clear()
    qtbot.keyClicks(fields.port, str(address.port))
    qtbot.keyClicks(fields.database, address.database)
    qtbot.keyClicks(fields.user, address.user)
    qtbot.keyClicks(fields.ca_file, str(address.ca_file))
    qtbot.keyClicks(fields.password, password)


def error_at(dialog: SetupDialog, key: str) -> str:
    field = dialog.fields[key]
    return field.error.text() if not field.error.isHidden() else ""


def test_the_file_is_the_default_and_the_server_shows_its_own_fields(qtbot, tmp_path, clock):
    dialog = make_dialog(qtbot, tmp_path, clock)
    dialog.show()
    ok = dialog.buttons.buttons()[0]
    assert dialog.on_computer.isChecked() and not dialog.server_chosen
    assert dialog.on_computer.text() == "Op deze &computer (versleuteld bestand)"
    assert dialog.on_server.text() == "Op de ser&ver van het bestuur (PostgreSQL)"
    assert not dialog.server_group.isVisible() and dialog.school_name.isVisible()
    assert ok.text() == "Register &aanmaken"
    dialog.on_server.click()
    assert dialog.server_group.isVisible() and not dialog.school_name.isVisible()
    assert not dialog.pdf_path.isVisible()
    assert ok.text() == "&Verbinden"
    assert not dialog.validate()  # the server's fields, not the school's
    assert error_at(dialog, "server_host") == "Vul de naam of het adres van de server in."
    assert error_at(dialog, "server_password") and not error_at(dialog, "school_name")


def test_connecting_keeps_the_password_and_the_next_start_opens_the_server_register(
        qtbot, tmp_path, clock, server_register, postgres_server, monkeypatch):
    dialog = make_dialog(qtbot, tmp_path, clock)
    choose_server(qtbot, dialog, server_register, postgres_server.application_password)
    informed = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: informed.append(box.text()) or 0)
    dialog.accept()
    assert dialog.result() == SetupDialog.DialogCode.Accepted, error_at(dialog, "server_host")
    register = dialog.vault
    try:
        assert isinstance(register, ServerRegister)
        assert informed == ["Het register op de server is geopend."]
        with register.session() as session:
            assert authenticate(session, "beheer", ADMIN_PASSWORD) is not None
    finally:
        register.close()
    assert load_password(server_register) == postgres_server.application_password
    assert remembered_server() == server_register
    assert server_file().parent == paths.data_dir()
    assert "password" not in server_file().read_text() and \
        postgres_server.application_password not in server_file().read_text()
    assert not (tmp_path / "register.db").exists()  # no file was made

    seen = {}

    def log_in(login):  # the next start: no --database, the remembered server
        login.show()
        qtbot.waitUntil(lambda: login.vault is not None or not login.isVisible(),
                        timeout=20000)
        seen["register"] = type(login.vault).__name__
        qtbot.keyClicks(login.username, "beheer")
        qtbot.keyClicks(login.password, ADMIN_PASSWORD)
        login.buttons.button(login.buttons.StandardButton.Ok).click()
        return login.result()

    def fake_exec(app):
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]
        seen["title"] = windows[-1].windowTitle()
        windows[-1].close()
        return 0

    monkeypatch.setattr(LoginDialog, "exec", log_in)
    monkeypatch.setattr(QApplication, "exec", fake_exec)
    assert main([]) == 0
    assert seen == {"register": "ServerRegister", "title": "Privacyregister — OBS De Klimop"}
    assert not paths.default_database().exists()


def test_a_plain_connection_is_refused_with_the_dutch_explanation(
        qtbot, tmp_path, clock, server_register, postgres_server):
    dialog = make_dialog(qtbot, tmp_path, clock)
    dialog.on_server.click()
    qtbot.keyClicks(dialog.server_fields.host,
                    f"postgresql://{APPLICATION}@127.0.0.1:{postgres_server.port}/"
                    f"{server_register.database}?sslmode=disable")
    qtbot.keyClicks(dialog.server_fields.password, postgres_server.application_password)
    dialog.accept()
    assert dialog.result() != SetupDialog.DialogCode.Accepted and dialog.vault is None
    message = error_at(dialog, "server_host")
    assert message.startswith("Deze verbinding met de databaseserver wordt geweigerd.")
    assert "verify-full" in message and "meelezen" in message
    assert remembered_server() is None and load_password(server_register) is None


def test_without_the_boards_ca_certificate_nothing_connects(qtbot, tmp_path, clock,
                                                            server_register, postgres_server):
    dialog = make_dialog(qtbot, tmp_path, clock)
    choose_server(qtbot, dialog, server_register, postgres_server.application_password)
    dialog.server_fields.ca_file.clear()
    dialog.accept()
    assert dialog.vault is None
    assert "CA-certificaat van het bestuur nodig" in error_at(dialog, "server_host")
    assert remembered_server() is None


def test_a_wrong_password_is_said_and_nothing_is_remembered(qtbot, tmp_path, clock,
                                                            server_register, monkeypatch):
    dialog = make_dialog(qtbot, tmp_path, clock)
    choose_server(qtbot, dialog, server_register, "niet-het-wachtwoord")
    warned = []
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda _parent, title, text: warned.append((title, text)))
    dialog.accept()
    assert dialog.vault is None
    ((title, text),) = warned
    assert title == "Geen verbinding met het register"
    assert "gebruikersnaam of het wachtwoord geweigerd" in text
    assert remembered_server() is None and load_password(server_register) is None


def test_the_password_dialog_opens_the_register_and_keeps_the_password(
        qtbot, server_register, postgres_server):
    dialog = ServerPasswordDialog(None, server_register)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.password, "verkeerd")
    assert dialog.try_open() is None
    assert "gebruikersnaam of het wachtwoord geweigerd" in dialog.field.error.text()
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, postgres_server.application_password)
    register = dialog.try_open()
    try:
        assert isinstance(register, ServerRegister)
        assert load_password(server_register) == postgres_server.application_password
    finally:
        register.close()


def test_a_remembered_server_without_its_password_asks_for_it_at_the_start(
        qtbot, server_register, postgres_server, monkeypatch):
    remember_server(server_register)
    asked = []

    def give_password(_parent, address, reason=""):
        asked.append(address)
        store_password(address, postgres_server.application_password)
        return ServerRegister.open(address)

    monkeypatch.setattr(ServerPasswordDialog, "ask", give_password)
    monkeypatch.setattr(LoginDialog, "exec", lambda login: 0)  # the user stops at the login
    assert main([]) == 0
    assert asked == [server_register]


def test_the_server_choice_fits_a_1366_by_768_screen(qtbot, tmp_path, clock, monkeypatch):
    monkeypatch.setattr(screen, "_available", lambda _widget=None: QRect(0, 0, 1366, 728))
    dialog = make_dialog(qtbot, tmp_path, clock)  # sized by fit_to_screen, as on the laptop
    dialog.on_server.click()
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.height() + screen.FRAME.height() <= 768
    scroll = dialog.findChild(QScrollArea)
    assert scroll.verticalScrollBar().maximum() == 0  # everything visible without scrolling
    for label in dialog.findChildren(QLabel):
        if label.isVisible() and not label.wordWrap() and label.text():
            assert label.width() >= label.sizeHint().width(), label.text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(SCREENSHOTS / "setup_server.png"))


def test_the_server_choice_speaks_english_with_the_english_translation(qtbot, tmp_path, clock,
                                                                      qapp):
    from PySide6.QtCore import QLocale

    from desktop.i18n import install_translations, remove_translations

    translators = install_translations(qapp, "en")
    try:
        dialog = make_dialog(qtbot, tmp_path, clock)
        dialog.on_server.click()
        assert dialog.on_server.text() == "On the board's ser&ver (PostgreSQL)"
        assert dialog.buttons.buttons()[0].text() in ("&Connect", "Cancel")
        assert not dialog.validate()
        assert error_at(dialog, "server_host") == "Enter the name or address of the server."
    finally:
        remove_translations(qapp, translators)
        QLocale.setDefault(QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands))
