"""The user paths through the application: first run, normal start, lost key, demo, quit."""

from pypdf import PdfReader
from PySide6.QtWidgets import QApplication, QMessageBox

from db.vault import Vault
from desktop import paths
from desktop.app import main, open_register
from desktop.login_dialog import LoginDialog
from desktop.main_window import MainWindow
from desktop.setup_dialog import SetupDialog
from desktop.unlock_dialog import UnlockDialog
from tests.conftest import ADMIN_PASSWORD


def test_first_run_dialog_creates_database_and_main_window_appears_after_login(
        qtbot, tmp_path, clock):
    database = tmp_path / "data" / "privacyregister.db"
    pdf = tmp_path / "Documenten" / "Herstelsleutel Privacyregister.pdf"
    setup = SetupDialog(database=database, backup_dir=tmp_path / "backups",
                        keyring_available=True, clock=clock, recovery_pdf=pdf)
    qtbot.addWidget(setup)
    qtbot.keyClicks(setup.school_name, "IKC De Vlinder")
    qtbot.keyClicks(setup.brin, "07xy")
    qtbot.keyClicks(setup.display_name, "Sandra Bakker")
    qtbot.keyClicks(setup.username, "sandra")
    qtbot.keyClicks(setup.password, "lang-wachtwoord")
    qtbot.keyClicks(setup.password_again, "lang-wachtwoord")
    vault = setup.create_register()
    try:
        assert database.is_file()
        assert pdf.is_file()
        assert "IKC De Vlinder" in PdfReader(pdf).pages[0].extract_text()

        login = LoginDialog(vault=vault, school_name="IKC De Vlinder", clock=clock)
        qtbot.addWidget(login)
        qtbot.keyClicks(login.username, "sandra")
        qtbot.keyClicks(login.password, "verkeerd-wachtwoord")
        assert login.try_login() is None
        assert login.password_field.error.text() == "Gebruikersnaam of wachtwoord klopt niet."
        qtbot.keyClicks(login.password, "lang-wachtwoord")
        user = login.try_login()
        assert user is not None and user.display_name == "Sandra Bakker"

        window = MainWindow(vault, user, clock=clock)
        qtbot.addWidget(window)
        window.show()
        assert "IKC De Vlinder" in window.windowTitle()
        overview = window.stack.currentWidget()
        assert {key: card.number.text() for key, card in overview.cards.items()} == {
            "pupils_current": "0", "guardians": "0", "consent_purposes": "9",
            "open_breaches": "0", "open_requests": "0", "suppliers": "0"}
        assert window.user_label.text() == "Aangemeld als Sandra Bakker (Beheerder)"
    finally:
        vault.engine.dispose()


def run_login(qtbot, dialog, *, username="", password=""):
    """LoginDialog.exec without a nested loop: show it (painting it starts the opening), wait
    until the register is open or the dialog closed itself, log in when asked."""
    dialog.show()
    qtbot.waitUntil(lambda: dialog.vault is not None or not dialog.isVisible(), timeout=20000)
    if username and dialog.isVisible():
        qtbot.keyClicks(dialog.username, username)
        qtbot.keyClicks(dialog.password, password)
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    return dialog.result()


def test_start_shows_the_login_opens_the_register_behind_it_and_closes_with_a_backup(
        qtbot, vault, monkeypatch):
    vault.engine.dispose()
    seen = {}

    def log_in(dialog):
        seen["open_at_first"] = dialog.vault is not None
        result = run_login(qtbot, dialog, username="beheer", password=ADMIN_PASSWORD)
        seen["school"] = dialog.school_label.text()
        seen["demo_users"] = dialog.demo_users
        return result

    def fake_exec(app):
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]
        seen["title"] = windows[-1].windowTitle()
        windows[-1].close()
        return 0

    monkeypatch.setattr(LoginDialog, "exec", log_in)
    monkeypatch.setattr(QApplication, "exec", fake_exec)
    assert main(["--database", str(vault.path)]) == 0
    assert seen == {"open_at_first": False, "school": "Privacyregister van OBS De Klimop",
                    "demo_users": (), "title": "Privacyregister — OBS De Klimop"}
    backups = list(paths.backup_dir().glob("privacyregister-*.db"))
    assert len(backups) == 1  # closing made the rotating backup


def test_the_next_start_shows_the_school_before_the_register_is_open(qtbot, vault,
                                                                    monkeypatch):
    vault.engine.dispose()
    schools = []

    def cancel(dialog):
        schools.append((not dialog.school_label.isHidden(), dialog.school_label.text()))
        return 0

    monkeypatch.setattr(LoginDialog, "exec", cancel)
    assert main(["--database", str(vault.path)]) == 0  # the first start learns the name
    assert main(["--database", str(vault.path)]) == 0
    assert schools[0][0] is False  # not known yet: no line until the register is open
    assert schools[1] == (True, "Privacyregister van OBS De Klimop")


def test_cancelled_login_quits_without_a_window(qtbot, vault, monkeypatch):
    vault.engine.dispose()
    monkeypatch.setattr(LoginDialog, "ask", lambda *a, **k: None)
    monkeypatch.setattr(QApplication, "exec", lambda app: 1 / 0)  # must not be reached
    assert main(["--database", str(vault.path)]) == 0


def test_first_start_without_a_file_asks_the_setup(qtbot, tmp_path, monkeypatch):
    asked = []
    monkeypatch.setattr(SetupDialog, "ask",
                        lambda parent, **kwargs: asked.append(kwargs) or None)
    assert open_register(tmp_path / "nieuw.db", tmp_path / "backups") is None
    assert asked[0]["database"] == tmp_path / "nieuw.db"


def test_lost_key_asks_the_recovery_key(qtbot, vault, memory_keyring, monkeypatch):
    vault.engine.dispose()
    memory_keyring.entries.clear()
    asked = []

    def fake_unlock(parent, *, database, backup_dir, reason=""):
        asked.append((database, reason))
        return None  # the user cancelled

    monkeypatch.setattr(UnlockDialog, "ask", fake_unlock)
    assert open_register(vault.path, vault.path.parent / "backups") is None
    assert asked == [(vault.path, "")]


def test_a_file_that_is_no_register_gets_a_dutch_message(qtbot, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical",
                        lambda parent, title, text: shown.append((title, text)))
    bogus = tmp_path / "iets.db"
    bogus.write_bytes(b"geen database")
    assert open_register(bogus, tmp_path / "backups") is None
    assert shown[0][0] == "Register niet geopend"
    assert "geen Privacyregister-database" in shown[0][1]


def test_demo_flag_opens_the_demo_register_and_lists_demo_users(qtbot, monkeypatch):
    from db.demo import DEMO_USERS

    seen = {}

    def fake_login(parent, *, vault, school_name, demo_users):
        seen["school"], seen["users"] = school_name, demo_users
        return None

    monkeypatch.setattr(LoginDialog, "ask", fake_login)
    assert main(["--demo"]) == 0
    assert seen["users"] == tuple(DEMO_USERS) and seen["school"] == "OBS De Regenboog"
    assert paths.demo_database().is_file()
    assert not (paths.backup_dir()).exists()  # demo backups stay beside the demo register


def test_selftest_flag_runs_the_selftest_without_a_window(monkeypatch):
    import desktop.selftest

    monkeypatch.setattr(desktop.selftest, "run_selftest", lambda: 7)
    assert main(["--selftest"]) == 7


def test_a_key_that_does_not_fit_asks_the_recovery_key_and_says_why(qtbot, vault,
                                                                    memory_keyring, monkeypatch):
    vault.engine.dispose()
    for entry in memory_keyring.entries:
        memory_keyring.entries[entry] = "00" * 32  # another register's key
    asked = []
    monkeypatch.setattr(UnlockDialog, "ask",
                        lambda parent, **kwargs: asked.append(kwargs["reason"]) or None)
    assert open_register(vault.path, vault.path.parent / "backups") is None
    assert asked[0].startswith("De sleutel die op deze computer is bewaard, past niet")


def test_when_the_key_in_the_keyring_does_not_fit_the_login_gives_way_to_the_recovery_key(
        qtbot, vault, memory_keyring, monkeypatch):
    """Opening fails behind the login: the login closes itself and the unlock dialog asks,
    with the same reason as when the register was opened before any window."""
    vault.engine.dispose()
    for entry in memory_keyring.entries:
        memory_keyring.entries[entry] = "00" * 32  # another register's key
    logins, asked = [], []

    def login(dialog):
        logins.append(dialog)
        return run_login(qtbot, dialog)

    monkeypatch.setattr(LoginDialog, "exec", login)
    monkeypatch.setattr(UnlockDialog, "ask",
                        lambda parent, **kwargs: asked.append(kwargs["reason"]) or None)
    assert main(["--database", str(vault.path)]) == 0
    assert len(logins) == 1 and logins[0].opening_failed
    assert asked[0].startswith("De sleutel die op deze computer is bewaard, past niet")


def test_a_lost_key_found_behind_the_login_asks_the_recovery_key_then_the_login(
        qtbot, vault, memory_keyring, monkeypatch):
    vault.engine.dispose()
    raw = dict(memory_keyring.entries)
    memory_keyring.entries.clear()
    logins, asked = [], []

    def login(dialog):
        logins.append(dialog.opening is not None)
        return run_login(qtbot, dialog)  # the second login: cancelled once the vault is there

    def unlock(parent, *, database, backup_dir, reason=""):
        asked.append(reason)
        memory_keyring.entries.update(raw)  # the recovery key typed: the key is back
        return Vault.open(database, backup_dir=backup_dir)

    monkeypatch.setattr(LoginDialog, "exec", login)
    monkeypatch.setattr(UnlockDialog, "ask", unlock)
    assert main(["--database", str(vault.path)]) == 0
    assert asked == [""] and logins == [True, False]


def test_a_passphrase_register_asks_the_passphrase_first(qtbot, tmp_path, monkeypatch):
    created, _ = Vault.create(tmp_path / "school.db", passphrase="lange wachtwoordzin")
    created.close(backup=False)
    asked = []
    monkeypatch.setattr(LoginDialog, "exec", lambda dialog: 1 / 0)  # must not be reached
    monkeypatch.setattr(UnlockDialog, "ask",
                        lambda parent, **kwargs: asked.append(kwargs["database"]) or None)
    assert main(["--database", str(tmp_path / "school.db")]) == 0
    assert asked == [tmp_path / "school.db"]
