"""privacyregister: the desktop application.

Start-up: translations, then the first window as soon as possible. An existing register shows
the login at once, and is opened behind it on a background thread while the user types
(desktop/opening.py: the database stack, the keyring and every area are imported there, not
before the first paint). A register that needs its passphrase asks for it first; a missing file
gets the set-up. When opening fails (no key, a key that does not fit, a damaged file) the login
closes and the unlock dialog or the message follows, the same as before. Then the main window.
Afmelden returns to the login; closing the window closes the register, which makes the
rotating backup.

This module imports PySide6 and the login dialog; everything else when it is needed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import traceback
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from db.sidecar import passphrase_to_ask
from desktop import paths
from desktop.i18n import install_translations
from desktop.kit import view_settings
from desktop.login_dialog import LoginDialog
from desktop.opening import RegisterOpening

if TYPE_CHECKING:
    from db.schema import User
    from db.server import ServerAddress, ServerRegister
    from db.vault import Vault
    from desktop.main_window import MainWindow

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


def open_register(path: Path, backup_dir: Path, parent: QWidget | None = None, *,
                  opening: RegisterOpening | None = None) -> Vault | None:
    """Set up, open or unlock the register at `path`. None when cancelled or impossible.

    `opening`: the register was being opened in the background (desktop/opening.py); its
    outcome gets the same dialogs and messages as opening it here."""
    from db.errors import DamagedFileError, MissingKeyError, RegisterError, WrongKeyError
    from db.keystore import configure_keyring
    from db.vault import Vault
    from desktop.setup_dialog import SetupDialog
    from desktop.unlock_dialog import PASSPHRASE, UnlockDialog, key_mode_of

    configure_keyring()  # the set-up and the recovery key store the key there
    path = Path(path)
    if not path.exists():
        return SetupDialog.ask(parent, database=path, backup_dir=backup_dir)
    try:
        if opening is not None:
            vault = opening.result()
        else:
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
    say_if_migrated(parent, vault)
    return vault


def say_if_migrated(parent: QWidget | None, vault: Vault | None) -> None:
    if vault is not None and vault.migrated_from:
        QMessageBox.information(parent, translate("App", "Register bijgewerkt"), translate(
            "App", "Het register is bijgewerkt voor deze versie van Privacyregister. Vooraf is "
            "automatisch een reservekopie gemaakt."))


def open_demo(parent: QWidget | None = None) -> tuple[Vault, tuple] | None:
    """The demo register (made on first use) and its users; None when that failed."""
    from db.demo import DEMO_USERS, open_or_create_demo
    from db.errors import RegisterError

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


def _school_key(path: Path) -> str:
    digest = hashlib.sha256(str(Path(path).resolve()).encode("utf-8")).hexdigest()[:16]
    return f"login/school-{digest}"


def remembered_school(path: Path) -> str:
    """The school's name this computer saw in the register at `path` (not personal data), so
    the login shows it before the register is open."""
    return view_settings.remembered_text(_school_key(path))


def remember_school(path: Path, name: str) -> None:
    if remembered_school(path) != name:
        view_settings.remember_text(_school_key(path), name)


class Controller(QObject):
    """First window → login → main window → (Afmelden → login …) → quit.

    With a `vault` the register is open already (the demo, a test); with a `database` path
    ``start()`` shows the first window and opens the register behind the login."""

    def __init__(self, app: QApplication, vault: Vault | None = None, *,
                 database: Path | None = None, backup_dir: Path | None = None,
                 demo_users: Sequence = (), demo: bool = False,
                 server: ServerAddress | None = None) -> None:
        super().__init__()
        self.app = app
        self.vault: Vault | ServerRegister | None = None
        self.server = server  # the remembered register on a server (desktop/server_connection)
        self.database = Path(database) if database is not None else None
        self.backup_dir = backup_dir
        self.demo_users = tuple(demo_users)
        self.demo = demo
        self.window: MainWindow | None = None
        self.school_name = ""
        if vault is not None:
            self._use(vault)

    def _use(self, vault: Vault, school_name: str | None = None) -> None:
        self.vault = vault
        if school_name is None:
            from db.school import get_school

            with vault.session() as session:
                school = get_school(session)
                school_name = school.name if school else ""
        self.school_name = school_name
        if not self.demo and vault.path is not None:  # a server register has no file
            remember_school(vault.path, school_name)

    def start(self) -> bool:
        """Show the first window, then (logged in) the main window. False when there is
        nothing to run: cancelled, or the register could not be opened."""
        if self.vault is not None:
            return self.login()
        if self.server is not None:
            return self._start_on_server(self.server)
        assert self.database is not None
        path = self.database
        if not path.exists() or passphrase_to_ask(path):
            if path.exists():  # the passphrase first: what open_register would ask for
                from desktop.unlock_dialog import UnlockDialog

                vault = UnlockDialog.ask(None, database=path, backup_dir=self.backup_dir)
                say_if_migrated(None, vault)
            else:
                vault = open_register(path, self.backup_dir)  # the set-up
            if vault is None:
                return False
            self._use(vault)
            return self.login()
        opening = RegisterOpening(path, self.backup_dir)
        user = LoginDialog.ask(None, opening=opening, school_name=remembered_school(path),
                               demo_users=self.demo_users)
        opening.wait()  # done when the user logged in; the user may have cancelled before
        if opening.error is not None:  # the key, or why it did not open: as before
            vault = open_register(path, self.backup_dir, opening=opening)
            if vault is None:
                return False
            self._use(vault)
            return self.login()
        assert opening.vault is not None
        self._use(opening.vault, opening.school_name)
        if user is None:
            return False  # cancelled; closing the register still makes its backup
        say_if_migrated(None, self.vault)
        self._show_main_window(user)
        return True

    def _start_on_server(self, address: ServerAddress) -> bool:
        """The remembered register on the server, opened behind the login as the file is. No
        password in the keyring (or a refused one): it is asked; any other refusal (the
        server unreachable, its certificate not approved) is said in Dutch."""
        from db.errors import ServerError, ServerLoginError, ServerPasswordMissingError
        from desktop.server_connection import ServerOpening, ServerPasswordDialog

        opening = ServerOpening(address)
        user = LoginDialog.ask(None, opening=opening, school_name="",
                               demo_users=self.demo_users)
        opening.wait()
        if opening.error is not None:
            error = opening.error
            if isinstance(error, (ServerPasswordMissingError, ServerLoginError)):
                reason = "" if isinstance(error, ServerPasswordMissingError) else str(error)
                register = ServerPasswordDialog.ask(None, address, reason)
            elif isinstance(error, ServerError):
                show_error(None, str(error), translate("App", "Register niet geopend"))
                return False
            else:
                raise error
            if register is None:
                return False
            self._use(register)
            return self.login()
        assert opening.vault is not None
        self._use(opening.vault, opening.school_name)
        if user is None:
            return False
        self._show_main_window(user)
        return True

    def login(self) -> bool:
        """Ask for a login and show the main window. False when the user cancelled."""
        user = LoginDialog.ask(None, vault=self.vault, school_name=self.school_name,
                               demo_users=self.demo_users)
        if user is None:
            return False
        self._show_main_window(user)
        return True

    def _show_main_window(self, user: User) -> None:
        from desktop.main_window import MainWindow

        self.window = MainWindow(self.vault, user, demo=self.demo, load_after_paint=True)
        self.window.logout_requested.connect(self._logout)
        self.window.quit_requested.connect(self.app.quit)
        self.window.show()

    def _logout(self) -> None:
        if self.window is not None:
            self.window.deleteLater()
            self.window = None
        if self.vault is not None:
            self.vault.use_scope(None)  # the next user's school comes with their log-in
        if not self.login():
            self.app.quit()

    def close_register(self) -> None:
        """Close the vault, making the rotating backup; say so if that failed.

        The backup's own error (disk full, read-only, no permission, locked) names the cause
        and what to do; the register is closed either way.
        """
        if self.vault is None:
            return
        from sqlalchemy.exc import DBAPIError
        from sqlcipher3.dbapi2 import DatabaseError

        from db.errors import RegisterError
        from db.vault import translate_storage_error
        from desktop.kit import widgets

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
    from desktop.failures import install_hooks

    install_hooks()  # background threads' uncaught errors are logged too
    previous_hook, sys.excepthook = sys.excepthook, _excepthook
    app.setQuitOnLastWindowClosed(False)  # Afmelden closes the window without quitting
    try:
        if args.demo:
            from db.keystore import configure_keyring

            configure_keyring()
            opened = open_demo()
            if opened is None:
                return 1
            vault, demo_users = opened
            controller = Controller(app, vault, demo_users=demo_users, demo=True)
        else:  # the keyring is configured where the register is opened (desktop/opening.py)
            server = None
            if args.database is None:  # the register on the server chosen at the first start
                from desktop.server_connection import remembered_server

                server = remembered_server()
            controller = Controller(app, database=args.database or paths.default_database(),
                                    backup_dir=paths.backup_dir(), server=server)
        try:
            if not controller.start():
                return 0
            return app.exec()
        finally:
            controller.close_register()
    finally:
        sys.excepthook = previous_hook


if __name__ == "__main__":
    sys.exit(main())
