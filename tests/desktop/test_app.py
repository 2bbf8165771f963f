"""The user paths through the application: first run, normal start, lost key, demo, quit."""

from pypdf import PdfReader
from PySide6.QtWidgets import QApplication, QMessageBox

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


def test_start_opens_the_register_logs_in_and_closes_with_a_backup(qtbot, vault, monkeypatch):
    vault.engine.dispose()
    seen = {}

    def fake_login(parent, *, vault, school_name, demo_users):
        seen["school"], seen["demo_users"] = school_name, demo_users
        from db.users import authenticate

        with vault.session() as session:
            return authenticate(session, "beheer", ADMIN_PASSWORD)

    def fake_exec(app):
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]
        seen["title"] = windows[-1].windowTitle()
        windows[-1].close()
        return 0

    monkeypatch.setattr(LoginDialog, "ask", fake_login)
    monkeypatch.setattr(QApplication, "exec", fake_exec)
    assert main(["--database", str(vault.path)]) == 0
    assert seen == {"school": "OBS De Klimop", "demo_users": (),
                    "title": "Privacyregister — OBS De Klimop"}
    backups = list(paths.backup_dir().glob("privacyregister-*.db"))
    assert len(backups) == 1  # closing made the rotating backup


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
