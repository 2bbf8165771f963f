"""First start: record the school, create the first user and print the recovery key; or
connect to the register on the board's PostgreSQL server.

Where the register lives is the first choice: "Op deze computer (versleuteld bestand)", the
default, or "Op de server van het bestuur (PostgreSQL)". On this computer nothing is created
until every field is valid. Then, in this order: the encrypted file (Vault.create), the school
and the beheerder (initialise_register), the recovery-key PDF. If any step fails, the steps
before it are undone, so a half-made register never stays behind.

On the server the register already exists (the board's IT partner made it with
``privacyregister-cli init --server`` or moved a school's file there with ``migrate-to``): the
dialog connects as the program's database user over verified TLS, keeps the password in the
keyring and remembers the connection (desktop/server_connection.py), so the next start opens
the server register. The school and its users are on the server already; the user logs in next.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from db import keystore
from db.clock import Clock, system_clock
from db.errors import RegisterError, ValidationError
from db.register import NewSchool, create_register
from db.school import normalise_brin
from db.users import validate_password, validate_username
from db.vault import Vault

if TYPE_CHECKING:
    from db.server import ServerRegister
from desktop.kit.forms import Field, add_field, align_labels, heading, hint
from desktop.kit.screen import fit_to_screen, scrolling
from desktop.server_connection import ServerFields, remember_server

MIN_PASSPHRASE_LENGTH = 12
RECOVERY_PDF_NAME = "Herstelsleutel Privacyregister"


def default_recovery_pdf(documents: Path | None = None) -> Path:
    """Documents/Herstelsleutel Privacyregister.pdf, numbered when that name is taken."""
    if documents is None:
        location = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        documents = Path(location) if location else Path.home()
    candidate = documents / f"{RECOVERY_PDF_NAME}.pdf"
    number = 2
    while candidate.exists():
        candidate = documents / f"{RECOVERY_PDF_NAME} ({number}).pdf"
        number += 1
    return candidate


class SetupDialog(QDialog):
    """Privacyregister inrichten: school, first user, recovery key (or passphrase)."""

    def __init__(self, parent: QWidget | None = None, *, database: Path,
                 backup_dir: Path | None = None, keyring_available: bool | None = None,
                 clock: Clock = system_clock, recovery_pdf: Path | None = None) -> None:
        super().__init__(parent)
        self.database = Path(database)
        self.backup_dir = backup_dir
        self.vault: Vault | ServerRegister | None = None
        self.clock = clock
        self.passphrase_mode = not (keystore.keyring_usable() if keyring_available is None
                                    else keyring_available)
        self.recovery_pdf_written: Path | None = None
        self.setWindowTitle(self.tr("Privacyregister inrichten"))
        self.setMinimumWidth(640)

        self.school_name = QLineEdit()
        self.school_name.setPlaceholderText(self.tr("bijvoorbeeld OBS De Klimop"))
        self.brin = QLineEdit()
        self.brin.setPlaceholderText(self.tr("bijvoorbeeld 12AB"))
        self.brin.setMaxLength(8)
        self.brin.setMaximumWidth(200)
        self.display_name = QLineEdit()
        self.display_name.setPlaceholderText(self.tr("bijvoorbeeld Marieke de Vries"))
        self.username = QLineEdit()
        self.username.setPlaceholderText(self.tr("één woord, bijvoorbeeld marieke"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again = QLineEdit()
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_again = QLineEdit()
        self.passphrase_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.pdf_path = QLineEdit(str(recovery_pdf or default_recovery_pdf()))
        self.browse_button = QPushButton(self.tr("B&laderen…"))
        self.browse_button.clicked.connect(self._browse)

        self.fields: dict[str, Field] = {}
        content = QWidget()
        body = QVBoxLayout(content)
        body.setContentsMargins(24, 20, 24, 12)
        body.setSpacing(16)
        body.addWidget(heading(self.tr("Welkom bij Privacyregister"), size_delta=4))
        body.addWidget(hint(self.tr(
            "Er is op deze computer nog geen privacyregister. Kies waar het register komt. "
            "Op deze computer: vul de gegevens van de school en van de eerste gebruiker in; "
            "deze gebruiker wordt beheerder en kan later collega's toevoegen.")))

        place = self._group(self.tr("Waar staat het register?"))
        self.on_computer = QRadioButton(self.tr("Op deze &computer (versleuteld bestand)"))
        self.on_server = QRadioButton(self.tr("Op de ser&ver van het bestuur (PostgreSQL)"))
        self.on_computer.setChecked(True)
        place.addRow(self.on_computer)
        place.addRow(self.on_server)
        body.addWidget(place.parentWidget())

        server = self._group(self.tr("Databaseserver van het bestuur"))
        server.addRow(hint(self.tr(
            "Uw ICT-partner of het bestuur heeft het register op de server al aangemaakt en "
            "geeft u de gegevens hieronder, met het CA-certificaat van het bestuur. De "
            "verbinding is altijd versleuteld en het certificaat van de server wordt "
            "gecontroleerd. Het wachtwoord wordt bewaard in de beveiligde sleutelopslag van "
            "deze computer.")))
        self.server_fields = ServerFields(self)
        for key, label, widget, extra in self.server_fields.rows():
            self._add(server, f"server_{key}", label, widget, extra=extra)
        self.server_group = server.parentWidget()
        body.addWidget(self.server_group)

        school = self._group(self.tr("School"))
        self._add(school, "school_name", self.tr("&Naam van de school:"), self.school_name)
        self._add(school, "brin", self.tr("&BRIN-nummer:"), self.brin)
        body.addWidget(school.parentWidget())
        self.file_groups: list[QWidget] = [school.parentWidget()]

        user = self._group(self.tr("Eerste gebruiker (beheerder)"))
        self._add(user, "display_name", self.tr("&Uw naam:"), self.display_name)
        self._add(user, "username", self.tr("&Gebruikersnaam:"), self.username)
        self._add(user, "password", self.tr("&Wachtwoord:"), self.password)
        self._add(user, "password_again", self.tr("Wachtwoord &herhalen:"),
                  self.password_again)
        body.addWidget(user.parentWidget())
        self.file_groups.append(user.parentWidget())

        if self.passphrase_mode:
            secret = self._group(self.tr("Wachtwoordzin van het register"))
            secret.addRow(hint(self.tr(
                "Deze computer heeft geen beveiligde sleutelopslag (zoals Windows "
                "Referentiebeheer). Het register wordt daarom beveiligd met een "
                "wachtwoordzin van minstens {n} tekens, bijvoorbeeld een korte zin. Wie het "
                "register opent, voert deze wachtwoordzin in. Schrijf hem op en bewaar het "
                "papier in de kluis van de school: zonder wachtwoordzin kan niemand de gegevens "
                "nog lezen.").format(n=MIN_PASSPHRASE_LENGTH)))
            self._add(secret, "passphrase", self.tr("Wachtwoord&zin:"), self.passphrase)
            self._add(secret, "passphrase_again", self.tr("Wachtwoordzin he&rhalen:"),
                      self.passphrase_again)
        else:
            secret = self._group(self.tr("Herstelsleutel"))
            secret.addRow(hint(self.tr(
                "De gegevens worden versleuteld opgeslagen. De sleutel bewaart Windows voor u. "
                "Daarnaast maakt Privacyregister een herstelsleutel als PDF-bestand: druk dat "
                "af en bewaar het in de kluis. Met de herstelsleutel opent u het register na "
                "een herinstallatie van Windows of op een andere computer.")))
            row = QWidget()
            row_layout = QHBoxLayout(row)
            row_layout.setContentsMargins(0, 0, 0, 0)
            row_layout.addWidget(self.pdf_path, 1)
            row_layout.addWidget(self.browse_button)
            self._add(secret, "pdf_path", self.tr("&Opslaan als:"), self.pdf_path, extra=row)
        body.addWidget(secret.parentWidget())
        self.file_groups.append(secret.parentWidget())
        self._align_labels()
        self.where_hint = hint(self.tr("Het register wordt opgeslagen in {path}.").format(
            path=self.database))
        body.addWidget(self.where_hint)
        self.file_groups.append(self.where_hint)
        body.addStretch(1)

        scroll = scrolling(content)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            self.tr("Register &aanmaken"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            self.tr("Annuleren"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll, 1)
        button_row = QHBoxLayout()
        button_row.setContentsMargins(24, 8, 24, 20)
        button_row.addWidget(self.buttons)
        outer.addLayout(button_row)
        self.setStyleSheet("QGroupBox { font-weight: bold; }")
        self.on_server.toggled.connect(self._show_place)
        self._show_place()
        self.resize(720, 820 if self.passphrase_mode else 760)
        fit_to_screen(self)  # lower on a laptop: the form scrolls, the buttons stay
        self.school_name.setFocus()

    @property
    def server_chosen(self) -> bool:
        return self.on_server.isChecked()

    def _show_place(self) -> None:
        """The fields of the chosen place only; the OK button says what it will do."""
        server = self.server_chosen
        self.server_group.setVisible(server)
        for group in self.file_groups:
            group.setVisible(not server)
        for field in self.fields.values():
            field.error.clear()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            self.tr("&Verbinden") if server else self.tr("Register &aanmaken"))

    # building

    def _group(self, title: str) -> QFormLayout:
        box = QGroupBox(title, self)  # parented: the layout must not outlive its box
        form = QFormLayout(box)
        form.setContentsMargins(16, 16, 16, 16)
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(12)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return form

    def _add(self, form: QFormLayout, key: str, label: str, widget: QWidget,
             extra: QWidget | None = None) -> None:
        add_field(form, self.fields, key, label, widget, extra)

    def _align_labels(self) -> None:
        align_labels(self.fields)

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, self.tr("Herstelsleutel opslaan als"), self.pdf_path.text(),
            self.tr("PDF-bestanden (*.pdf)"))
        if chosen:
            self.pdf_path.setText(chosen)
            self.fields["pdf_path"].error.clear()

    # validation

    def _errors(self) -> dict[str, str]:
        """Every problem with the input, by field key. Empty when all is valid."""
        if self.server_chosen:
            return {f"server_{key}": message
                    for key, message in self.server_fields.errors().items()}
        errors: dict[str, str] = {}
        if not self.school_name.text().strip():
            errors["school_name"] = self.tr("Vul de naam van de school in.")
        brin = self.brin.text().strip()
        if not brin:
            errors["brin"] = self.tr("Vul het BRIN-nummer van de school in, bijvoorbeeld 12AB.")
        else:
            try:
                normalise_brin(brin)
            except ValidationError:
                errors["brin"] = self.tr(
                    "Een BRIN-nummer heeft twee cijfers en twee letters, bijvoorbeeld 12AB "
                    "(eventueel met een vestigingsnummer: 12AB01).")
        if not self.display_name.text().strip():
            errors["display_name"] = self.tr("Vul uw naam in.")
        if not self.username.text().strip():
            errors["username"] = self.tr("Kies een gebruikersnaam.")
        else:
            try:
                validate_username(self.username.text())
            except ValidationError:
                errors["username"] = self.tr(
                    "Een gebruikersnaam is één woord zonder spaties (hoogstens 64 tekens).")
        try:
            validate_password(self.password.text())
        except ValidationError:
            errors["password"] = self.tr("Een wachtwoord heeft minstens 8 tekens.")
        if "password" not in errors and self.password_again.text() != self.password.text():
            errors["password_again"] = self.tr(
                "De twee wachtwoorden zijn niet gelijk. Typ het wachtwoord nog eens.")
        if self.passphrase_mode:
            if len(self.passphrase.text()) < MIN_PASSPHRASE_LENGTH:
                errors["passphrase"] = self.tr(
                    "Een wachtwoordzin heeft minstens {n} tekens.").format(
                        n=MIN_PASSPHRASE_LENGTH)
            elif self.passphrase_again.text() != self.passphrase.text():
                errors["passphrase_again"] = self.tr(
                    "De twee wachtwoordzinnen zijn niet gelijk. Typ de wachtwoordzin nog eens.")
        else:
            text = self.pdf_path.text().strip()
            pdf = Path(text) if text else None
            if pdf is None:
                errors["pdf_path"] = self.tr(
                    "Kies waar het PDF-bestand met de herstelsleutel komt.")
            elif pdf.exists():
                errors["pdf_path"] = self.tr(
                    "Er staat al een bestand met deze naam. Kies een andere naam, zodat een "
                    "eerdere herstelsleutel niet verloren gaat.")
            elif pdf.parent.exists() and not pdf.parent.is_dir():
                errors["pdf_path"] = self.tr("Deze map bestaat niet. Kies een andere map.")
        return errors

    def validate(self) -> bool:
        """Show every problem at its field; focus the first. True when all is valid."""
        errors = self._errors()
        first = None
        for key, field in self.fields.items():
            message = errors.get(key, "")
            field.error.show_message(message)
            if message and first is None:
                first = field
        if first is not None:
            first.widget.setFocus()
        return not errors

    def recovery_pdf(self) -> Path | None:
        if self.passphrase_mode:
            return None
        pdf = Path(self.pdf_path.text().strip())
        return pdf if pdf.suffix.lower() == ".pdf" else pdf.with_name(pdf.name + ".pdf")

    # the work

    def create_register(self, path: Path | None = None, backup_dir: Path | None = None) -> Vault:
        """Create the register from the filled-in fields. Raises ValidationError if invalid.

        On any failure after the file was made, the file, its sidecar and its keyring entry
        are removed again; the error is raised for the caller to show.
        """
        from desktop.printing.recovery_key import write_recovery_pdf

        if not self.validate():
            first = next(f for f in self.fields.values() if f.error.text())
            raise ValidationError(first.error.text())
        path = Path(path) if path is not None else self.database
        backup_dir = backup_dir if backup_dir is not None else self.backup_dir
        passphrase = self.passphrase.text() if self.passphrase_mode else None
        school = NewSchool(self.school_name.text(), self.brin.text(), self.username.text(),
                           self.password.text(), self.display_name.text())
        pdf = self.recovery_pdf()

        def print_recovery_key(vault: Vault, recovery_key: str | None) -> None:
            if recovery_key is None or pdf is None:
                return
            try:
                self.recovery_pdf_written = write_recovery_pdf(
                    pdf, school_name=school.school_name.strip(),
                    brin=normalise_brin(school.brin), database_id=vault.database_id,
                    recovery_key=recovery_key, created_at=self.clock())
            except OSError as exc:
                self.fields["pdf_path"].error.show_message(self.tr(
                    "Het PDF-bestand kon hier niet worden opgeslagen. Kies een andere map."))
                raise ValidationError(self.tr(
                    "De herstelsleutel kon niet worden opgeslagen in {pdf}. Er is geen "
                    "register aangemaakt.").format(pdf=pdf), field="pdf_path") from exc

        vault, _recovery_key = create_register(path, school, passphrase=passphrase,
                                               backup_dir=backup_dir, clock=self.clock,
                                               then=print_recovery_key)
        return vault

    def connect_to_server(self) -> ServerRegister:
        """Open the register on the server with the filled-in connection, keep the password in
        the keyring and remember the connection for the next start. Raises ValidationError for
        an empty field, ServerError (Dutch) for an address, a plain connection or a server that
        refused."""
        from db.server import ServerRegister, store_password

        if not self.validate():
            first = next(f for f in self.fields.values() if f.error.text())
            raise ValidationError(first.error.text())
        address = self.server_fields.address()
        password = self.server_fields.password.text()
        register = ServerRegister.open(address, password=password, clock=self.clock)
        store_password(address, password)
        remember_server(address)
        return register

    def _accept_server(self) -> None:
        from db.errors import InsecureConnectionError, ServerAddressError, ServerError

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.vault = self.connect_to_server()
        except ValidationError:
            return
        except (ServerAddressError, InsecureConnectionError) as exc:
            self.fields["server_host"].error.show_message(str(exc))
            self.server_fields.host.setFocus()
            return
        except ServerError as exc:
            QApplication.restoreOverrideCursor()
            QMessageBox.warning(self, self.tr("Geen verbinding met het register"), str(exc))
            return
        finally:
            if QApplication.overrideCursor() is not None:
                QApplication.restoreOverrideCursor()
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("Verbonden met de server"))
        box.setText(self.tr("Het register op de server is geopend."))
        box.setInformativeText(self.tr(
            "Meld u hierna aan met de gebruikersnaam en het wachtwoord die u van de beheerder "
            "van het register hebt gekregen. Bij de volgende start opent Privacyregister "
            "meteen dit register op de server. Reservekopieën maakt de server."))
        box.addButton(QMessageBox.StandardButton.Ok)
        try:
            box.exec()
        finally:
            box.deleteLater()
        super().accept()

    def accept(self) -> None:
        """OK: create, then tell where the recovery key is; or connect to the server. Stays
        open on any problem."""
        if not self.validate():
            return
        if self.server_chosen:
            self._accept_server()
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.vault = self.create_register()
        except ValidationError as exc:
            QApplication.restoreOverrideCursor()
            if not any(not field.error.isHidden() for field in self.fields.values()):
                QMessageBox.warning(self, self.tr("Register niet aangemaakt"), str(exc))
            return  # otherwise the message is at its field
        except RegisterError as exc:
            QApplication.restoreOverrideCursor()
            QMessageBox.warning(self, self.tr("Register niet aangemaakt"), str(exc))
            return
        except OSError:
            QApplication.restoreOverrideCursor()
            QMessageBox.warning(self, self.tr("Register niet aangemaakt"), self.tr(
                "Het register kon niet worden opgeslagen in {path}. Er is niets aangemaakt. "
                "Controleer of de schijf vol is of beveiligd tegen schrijven.").format(
                    path=self.database))
            return
        QApplication.restoreOverrideCursor()
        self.show_done_message()
        super().accept()

    def show_done_message(self) -> None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("Register aangemaakt"))
        if self.recovery_pdf_written is not None:
            box.setText(self.tr("Het register is aangemaakt. Druk nu de herstelsleutel af."))
            box.setInformativeText(self.tr(
                "De herstelsleutel staat in het PDF-bestand:\n{pdf}\n\nDruk het af, leg het "
                "papier in de kluis van de school en verwijder daarna het bestand van deze "
                "computer. Met de herstelsleutel opent u het register als de sleutel op deze "
                "computer verloren gaat.").format(pdf=self.recovery_pdf_written))
            open_pdf = box.addButton(self.tr("PDF &openen"), QMessageBox.ButtonRole.ActionRole)
            box.addButton(QMessageBox.StandardButton.Ok)
            box.exec()
            if box.clickedButton() is open_pdf:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.recovery_pdf_written)))
        else:
            box.setText(self.tr("Het register is aangemaakt."))
            box.setInformativeText(self.tr(
                "Heeft u de wachtwoordzin opgeschreven en in de kluis gelegd? Zonder "
                "wachtwoordzin kan niemand de gegevens nog lezen."))
            box.addButton(QMessageBox.StandardButton.Ok)
            box.exec()

    @classmethod
    def ask(cls, parent: QWidget | None, *, database: Path, backup_dir: Path | None,
            clock: Clock = system_clock) -> Vault | ServerRegister | None:
        """Show the dialog; the created, open vault (or the register on the server), or None
        when the user cancelled."""
        dialog = cls(parent, database=database, backup_dir=backup_dir, clock=clock)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.vault
        return None

