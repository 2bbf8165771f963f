"""privacyregister: the desktop application.

Start-up: translations, the keyring backend, then the register: set it up when the file does
not exist yet, open it with the key from the keyring, or ask for the recovery key or
passphrase. Then the login, then the main window. Afmelden returns to the login; closing the
window closes the register, which makes the rotating backup.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget
from sqlalchemy.exc import DBAPIError
from sqlcipher3.dbapi2 import DatabaseError

from db.errors import DamagedFileError, MissingKeyError, RegisterError, WrongKeyError
from db.keystore import configure_keyring
from db.school import get_school
from db.vault import Vault, translate_storage_error
from desktop import paths
from desktop.i18n import install_translations
from desktop.kit import widgets
from desktop.login_dialog import LoginDialog
from desktop.main_window import MainWindow
from desktop.setup_dialog import SetupDialog
from desktop.unlock_dialog import PASSPHRASE, UnlockDialog, key_mode_of

APP_NAME = "Privacyregister"
ORGANISATION = "Privacyregister"


translate = QCoreApplication.translate  # lupdate reads translate("App", "…") calls


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="privacyregister", description="Privacyregister: de AVG-administratie van de school.")
    parser.add_argument("--database", metavar="BESTAND", type=Path, default=None,
                        help="het registerbestand (standaard: privacyregister.db in de "
                             "gegevensmap)")
    parser.add_argument("--demo", action="store_true",
                        help="open (of maak) het demonstratieregister met verzonnen gegevens")
    parser.add_argument("--selftest", action="store_true",
                        help="controleer de installatie zonder venster en stop")
    args, unknown = parser.parse_known_args(list(argv) if argv is not None else None)
    args.qt_arguments = unknown  # Qt's own options (-style, -platform …) go to QApplication
    return args


def app_icon() -> QIcon:
    icon = resources.files("resources").joinpath("icons", "privacyregister.png")
    return QIcon(str(icon)) if icon.is_file() else QIcon()


def create_application(argv: Sequence[str]) -> QApplication:
    app = QApplication.instance() or QApplication(list(argv))
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(ORGANISATION)
    app.setWindowIcon(app_icon())
    return app


def show_error(parent: QWidget | None, message: str, title: str | None = None) -> None:
    QMessageBox.critical(parent, title or translate("App", "Privacyregister"), message)


def open_register(path: Path, backup_dir: Path, parent: QWidget | None = None) -> Vault | None:
    """Set up, open or unlock the register at `path`. None when cancelled or impossible."""
    path = Path(path)
    if not path.exists():
        return SetupDialog.ask(parent, database=path, backup_dir=backup_dir)
    try:
        vault = Vault.open(path, backup_dir=backup_dir)
    except MissingKeyError:
        vault = UnlockDialog.ask(parent, database=path, backup_dir=backup_dir)
    except (WrongKeyError, DamagedFileError):
        reason = "" if key_mode_of(path) == PASSPHRASE else translate(
            "App", "De sleutel die op deze computer is bewaard, past niet bij dit register, of "
            "het bestand is beschadigd. Probeer de herstelsleutel; helpt dat niet, zet dan de "
            "laatste reservekopie terug.")
        vault = UnlockDialog.ask(parent, database=path, backup_dir=backup_dir, reason=reason)
    except RegisterError as exc:
        show_error(parent, str(exc), translate("App", "Register niet geopend"))
        return None
    except OSError:
        message = translate("App", "Het registerbestand kon niet worden gelezen: {path}")
        show_error(parent, message.format(path=path), translate("App", "Register niet geopend"))
        return None
    if vault is not None and vault.migrated_from:
        QMessageBox.information(parent, translate("App", "Register bijgewerkt"), translate(
            "App", "Het register is bijgewerkt voor deze versie van Privacyregister. Vooraf is "
            "automatisch een reservekopie gemaakt."))
    return vault


def open_demo(parent: QWidget | None = None) -> tuple[Vault, tuple] | None:
    """The demo register (made on first use) and its users; None when that failed."""
    from db.demo import DEMO_USERS, open_or_create_demo

    path = paths.demo_database()
    busy = QProgressDialog(translate("App", "Het demonstratieregister wordt voorbereid…"), "",
                           0, 0, parent)
    busy.setWindowTitle(translate("App", "Privacyregister"))
    busy.setCancelButton(None)
    busy.setMinimumDuration(0)
    busy.setWindowModality(Qt.WindowModality.ApplicationModal)
    busy.show()
    QApplication.processEvents()
    try:
        vault = open_or_create_demo(path, backup_dir=path.parent / "backups")
    except RegisterError as exc:
        busy.close()
        show_error(parent, str(exc), translate("App", "Demonstratieregister niet geopend"))
        return None
    busy.close()
    return vault, tuple(DEMO_USERS)


class Controller(QObject):
    """Login → main window → (Afmelden → login …) → quit."""

    def __init__(self, app: QApplication, vault: Vault, *, demo_users: Sequence = (),
                 demo: bool = False) -> None:
        super().__init__()
        self.app = app
        self.vault = vault
        self.demo_users = tuple(demo_users)
        self.demo = demo
        self.window: MainWindow | None = None
        with vault.session() as session:
            school = get_school(session)
            self.school_name = school.name if school else ""

    def login(self) -> bool:
        """Ask for a login and show the main window. False when the user cancelled."""
        user = LoginDialog.ask(None, vault=self.vault, school_name=self.school_name,
                               demo_users=self.demo_users)
        if user is None:
            return False
        self.window = MainWindow(self.vault, user, demo=self.demo)
        self.window.logout_requested.connect(self._logout)
        self.window.quit_requested.connect(self.app.quit)
        self.window.show()
        return True

    def _logout(self) -> None:
        if self.window is not None:
            self.window.deleteLater()
            self.window = None
        if not self.login():
            self.app.quit()

    def close_register(self) -> None:
        """Close the vault, making the rotating backup; say so if that failed.

        The backup's own error (disk full, read-only, no permission, locked) names the cause
        and what to do; the register is closed either way.
        """
        try:
            self.vault.close()
        except (RegisterError, OSError, DatabaseError, DBAPIError) as exc:
            cause = translate_storage_error(exc, "Het maken van de reservekopie") or exc
            detail = str(cause) if isinstance(cause, RegisterError) else ""
            message = translate("App", "Bij het afsluiten kon geen reservekopie worden gemaakt. "
                                "Het register zelf is in orde: alles wat u hebt opgeslagen, "
                                "staat erin.")
            widgets.warn(None, translate("App", "Reservekopie mislukt"),
                         (message + "\n\n" + detail).strip())
            self.vault.close(backup=False)


def _excepthook(kind, value, tb) -> None:  # noqa: ANN001
    """No traceback for the user: a Dutch message. Where it happened goes to the failure log
    (type and code path, never the message: desktop/failures.py); the rest only to stderr."""
    from desktop.failures import log_failure

    if value is not None:
        log_failure("onverwachte fout", value.with_traceback(tb))
    traceback.print_exception(kind, value, tb, file=sys.stderr)
    if QApplication.instance() is not None:
        QMessageBox.critical(None, translate("App", "Privacyregister"), translate(
            "App", "Er ging iets onverwachts mis. Wat nog niet was opgeslagen, is teruggedraaid; "
            "de gegevens in het register zijn veilig. Sluit Privacyregister en start het "
            "opnieuw. Blijft dit gebeuren, neem dan contact op met uw ICT-partner."))


def main(argv: Sequence[str] | None = None) -> int:
    os.umask(0o077)  # whatever this process creates is the user's only (0600 / 0700)
    args = parse_args(argv if argv is not None else sys.argv[1:])
    if args.selftest:
        from desktop.selftest import run_selftest

        return run_selftest()

    app = create_application([sys.argv[0] if sys.argv else "privacyregister",
                              *args.qt_arguments])
    translators = install_translations(app)  # noqa: F841 - kept alive for the app's lifetime
    configure_keyring()
    from desktop.failures import install_hooks

    install_hooks()  # background threads' uncaught errors are logged too
    previous_hook, sys.excepthook = sys.excepthook, _excepthook
    app.setQuitOnLastWindowClosed(False)  # Afmelden closes the window without quitting
    try:
        if args.demo:
            opened = open_demo()
            if opened is None:
                return 1
            vault, demo_users = opened
        else:
            database = args.database or paths.default_database()
            vault = open_register(database, paths.backup_dir())
            if vault is None:
                return 0
            demo_users = ()
        controller = Controller(app, vault, demo_users=demo_users, demo=args.demo)
        try:
            if not controller.login():
                return 0
            return app.exec()
        finally:
            controller.close_register()
    finally:
        sys.excepthook = previous_hook


if __name__ == "__main__":
    sys.exit(main())
