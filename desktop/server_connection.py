"""The register on the board's PostgreSQL server, as the window asks for it and remembers it.

- `ServerFields`: the fields of a connection (server, port, database, user, the board's CA
  certificate, password), shared by the first-run dialog and Beheer > Overzetten naar server.
  `address()` turns them into a checked `ServerAddress` (db/server.py): TLS with the
  certificate verified, or refused with db/server.py's Dutch explanation. A full
  ``postgresql://…`` address pasted into the server field is read as such, so an IT partner's
  address can be pasted whole (and a plain one, ``sslmode=disable``, is refused).
- `remember_server` / `remembered_server`: the chosen connection (never its password, which is
  in the keyring) kept in ``server.json`` in the app's data folder, beside where the local
  register would be. The next start opens that register (desktop/app.py).
- `ServerOpening`: the server register opened behind the login, as desktop/opening.py opens the
  file.
- `ServerPasswordDialog`: asks the password when the keyring has none (or a wrong one).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import paths
from desktop.kit.forms import Field, hint
from desktop.kit.screen import fit_to_screen
from desktop.opening import RegisterOpening

if TYPE_CHECKING:
    from db.server import ServerAddress, ServerRegister

SERVER_FILE = "server.json"
translate = QCoreApplication.translate  # lupdate reads translate("ServerFields", "…")
DEFAULT_PORT = "5432"


# --- the fields ------------------------------------------------------------------------------

class ServerFields:
    """The line edits of a server connection; a dialog lays them out with its own form."""

    KEYS = ("host", "port", "database", "user", "ca_file", "password")

    def __init__(self, parent: QWidget, *, user_hint: str = "") -> None:
        self.parent = parent
        self.host = QLineEdit(parent)
        self.host.setPlaceholderText(translate("ServerFields", "bijvoorbeeld db.bestuur.nl"))
        self.port = QLineEdit(DEFAULT_PORT, parent)
        self.port.setMaximumWidth(120)
        self.database = QLineEdit(parent)
        self.database.setPlaceholderText(translate("ServerFields",
                                                   "bijvoorbeeld privacyregister"))
        self.user = QLineEdit(parent)
        self.user.setPlaceholderText(user_hint or translate(
            "ServerFields", "de databasegebruiker van de school"))
        self.ca_file = QLineEdit(parent)
        self.ca_file.setPlaceholderText(translate(
            "ServerFields", "het bestand van uw ICT-partner (.crt of .pem)"))
        self.browse_button = QPushButton(translate("ServerFields", "Bl&aderen…"), parent)
        self.browse_button.clicked.connect(self._browse)
        self.ca_row = QWidget(parent)
        row = QHBoxLayout(self.ca_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.ca_file, 1)
        row.addWidget(self.browse_button)
        self.password = QLineEdit(parent)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)

    def rows(self) -> list[tuple[str, str, QWidget, QWidget | None]]:
        """(key, label, widget, extra) per field, in order."""
        return [("host", translate("ServerFields", "&Server:"), self.host, None),
                ("port", translate("ServerFields", "&Poort:"), self.port, None),
                ("database", translate("ServerFields", "&Database:"), self.database, None),
                ("user", translate("ServerFields", "&Gebruiker:"), self.user, None),
                ("ca_file", translate("ServerFields", "&CA-certificaat:"), self.ca_file,
                 self.ca_row),
                ("password", translate("ServerFields", "&Wachtwoord:"), self.password, None)]

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self.parent, translate("ServerFields", "CA-certificaat van het bestuur kiezen"),
            self.ca_file.text(),
            translate("ServerFields", "Certificaten (*.crt *.pem *.cer);;Alle bestanden (*)"))
        if chosen:
            self.ca_file.setText(chosen)

    def errors(self) -> dict[str, str]:
        """The empty or malformed fields, by key (the address itself is checked by address())."""
        found: dict[str, str] = {}
        if not self.host.text().strip():
            found["host"] = translate("ServerFields", "Vul de naam of het adres van de server in.")
        if self._pasted_address():
            if not self.password.text():
                found["password"] = translate(
                    "ServerFields", "Vul het wachtwoord van de databasegebruiker in.")
            return found
        if not self.port.text().strip().isdigit() or not 0 < int(self.port.text()) < 65536:
            found["port"] = translate("ServerFields", "Een poort is een getal, meestal 5432.")
        if not self.database.text().strip():
            found["database"] = translate("ServerFields", "Vul de naam van de database in.")
        if not self.user.text().strip():
            found["user"] = translate("ServerFields", "Vul de databasegebruiker in.")
        if not self.password.text():
            found["password"] = translate(
                "ServerFields", "Vul het wachtwoord van de databasegebruiker in.")
        return found

    def _pasted_address(self) -> bool:
        return self.host.text().strip().lower().startswith(("postgresql://", "postgres://"))

    def address(self) -> ServerAddress:
        """The checked address; raises ServerAddressError or InsecureConnectionError (Dutch)."""
        from db.server import ServerAddress

        ca = self.ca_file.text().strip() or None
        if self._pasted_address():
            return ServerAddress.parse(self.host.text().strip(), ca_file=ca)
        host = self.host.text().strip()
        host_text = f"[{host}]" if ":" in host else host
        url = (f"postgresql://{quote(self.user.text().strip(), safe='')}@{host_text}:"
               f"{self.port.text().strip()}/{quote(self.database.text().strip(), safe='')}")
        return ServerAddress.parse(url, ca_file=ca)

    def show(self, address: ServerAddress) -> None:
        """Fill the fields from an address (without its password)."""
        self.host.setText(address.host)
        self.port.setText(str(address.port))
        self.database.setText(address.database)
        self.user.setText(address.user)
        self.ca_file.setText(str(address.ca_file) if address.ca_file else "")


# --- remembering the choice ------------------------------------------------------------------

def server_file() -> Path:
    return paths.data_dir() / SERVER_FILE


def remember_server(address: ServerAddress) -> None:
    """Keep the connection (no password) so the next start opens the server register."""
    file = server_file()
    file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = file.with_name(file.name + ".part")
    partial.write_text(json.dumps({"address": str(address)}), "utf-8")
    os.replace(partial, file)


def remembered_server() -> ServerAddress | None:
    """The remembered connection, or None (none, or one that can no longer be used, such as a
    CA file that was removed: then the first-run choice is offered again)."""
    try:
        data = json.loads(server_file().read_text("utf-8"))
    except (OSError, ValueError):
        return None
    from db.errors import ServerError
    from db.server import ServerAddress

    try:
        return ServerAddress.parse(str(data.get("address", "")))
    except ServerError:
        return None


def forget_server() -> None:
    server_file().unlink(missing_ok=True)


# --- opening it at the start -----------------------------------------------------------------

class ServerOpening(RegisterOpening):
    """The server register opened on a background thread behind the login; the password from
    the keyring (when it has none, ``error`` says so and the GUI thread asks for it)."""

    def __init__(self, address: ServerAddress) -> None:
        super().__init__(Path(), None)
        self.address = address

    def _open(self) -> tuple[ServerRegister, str]:
        from db.keystore import configure_keyring
        from db.school import get_school
        from db.server import ServerRegister

        configure_keyring()
        register = ServerRegister.open(self.address)
        try:
            with register.session() as session:
                school = get_school(session)
                name = school.name if school else ""
        except BaseException:
            register.close()
            raise
        return register, name


class ServerPasswordDialog(QDialog):
    """The password of the database user, when the keyring of this computer has none (or the
    server refused it). On OK the register is opened with it and the password kept in the
    keyring."""

    def __init__(self, parent: QWidget | None, address: ServerAddress, reason: str = "") -> None:
        super().__init__(parent)
        self.address = address
        self.register: ServerRegister | None = None
        self.setWindowTitle(self.tr("Wachtwoord voor de databaseserver"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        intro = QLabel(self.tr(
            "Het register staat op de databaseserver {host} (database {database}). Voer het "
            "wachtwoord in van de databasegebruiker {user}; u krijgt het van uw ICT-partner. Het "
            "wordt bewaard in de beveiligde sleutelopslag van deze computer.").format(
                host=address.host, database=address.database, user=address.user))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        if reason:
            layout.addWidget(hint(reason))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        self.field = Field(self.password)
        form.addRow(self.tr("&Wachtwoord:"), self.field)
        form.labelForField(self.field).setBuddy(self.password)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Verbinden"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            self.tr("Annuleren"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        fit_to_screen(self)
        self.password.setFocus()

    def try_open(self) -> ServerRegister | None:
        """Open with the typed password; the server's refusal is shown at the field."""
        from db.errors import ServerError
        from db.server import ServerRegister, store_password

        if not self.password.text():
            self.field.error.show_message(self.tr("Vul het wachtwoord in."))
            return None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            register = ServerRegister.open(self.address, password=self.password.text())
        except ServerError as exc:
            self.field.error.show_message(str(exc))
            return None
        finally:
            QApplication.restoreOverrideCursor()
        store_password(self.address, self.password.text())
        self.register = register
        return register

    def accept(self) -> None:
        if self.try_open() is not None:
            super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, address: ServerAddress,
            reason: str = "") -> ServerRegister | None:
        dialog = cls(parent, address, reason)
        try:
            return dialog.register if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
