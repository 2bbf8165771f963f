"""Beheer > Overzetten naar server…: the register of this computer copied into an empty
database on the board's PostgreSQL server, or as a new school into the database that already
holds the board's other schools (db/migrate_to.py, as `privacyregister-cli migrate-to`), then
switched to for the next start.

The dialog asks the server's address, the board's CA certificate, the owner of the database
(who makes the schema; the password is used for the copy only and not kept) and the
program's own database user with its password (kept in the keyring, and the connection
remembered, so the next start opens the register on the server). The program's user is
checked before anything is copied. The copy runs on a worker with a progress bar and can be
cancelled; the file on this computer is only read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from db.errors import Cancelled, RegisterError
from desktop.kit.forms import Field, add_field, align_labels, heading, hint
from desktop.kit.screen import fit_to_screen, scrolling
from desktop.kit.tasks import Outcome, Progress, Task, run_task
from desktop.server_connection import ServerFields, remember_server

if TYPE_CHECKING:
    from db.migrate_to import MigrationReport
    from db.schema import User
    from db.server import ServerAddress
    from db.vault import Vault


class MoveToServerDialog(QDialog):
    """Overzetten naar server: where to, as whom; then the copy on a worker."""

    def __init__(self, parent: QWidget | None, vault: Vault, user: User) -> None:
        super().__init__(parent)
        self.vault = vault
        self.user = user
        self.report: MigrationReport | None = None
        self.app_address: ServerAddress | None = None
        self.setWindowTitle(self.tr("Overzetten naar server"))
        self.setMinimumWidth(640)
        self.fields: dict[str, Field] = {}

        content = QWidget()
        body = QVBoxLayout(content)
        body.setContentsMargins(24, 20, 24, 12)
        body.setSpacing(14)
        body.addWidget(heading(self.tr("Het register overzetten naar de server van het bestuur")))
        body.addWidget(hint(self.tr(
            "Alles uit het register op deze computer wordt gekopieerd naar de database op de "
            "PostgreSQL-server van het bestuur: een lege database, of de database waarin al "
            "andere scholen van het bestuur staan (uw school komt er dan als nieuwe school "
            "bij). De auditketen wordt vooraf en achteraf gecontroleerd; alleen als die op de "
            "server precies gelijk is, wordt het overzetten vastgelegd. Het bestand op deze "
            "computer verandert niet. Uw ICT-partner geeft u de gegevens hieronder.")))

        server_box = QGroupBox(self.tr("Server en eigenaar van de database"), self)
        server = self._form(server_box)
        self.server_fields = ServerFields(self, user_hint=self.tr(
            "de eigenaar van de database (maakt de tabellen)"))
        for key, label, widget, extra in self.server_fields.rows():
            if key == "password":
                label = self.tr("W&achtwoord eigenaar:")
            self._add(server, key, label, widget, extra)
        server.addRow(hint(self.tr(
            "Het wachtwoord van de eigenaar wordt alleen voor het overzetten gebruikt en niet "
            "bewaard.")))
        body.addWidget(server_box)

        app_box = QGroupBox(self.tr("Databasegebruiker van het programma"), self)
        app = self._form(app_box)
        app.addRow(hint(self.tr(
            "Na het overzetten werkt Privacyregister met deze gebruiker, niet met de eigenaar: "
            "zo kan de auditlog op de server niet worden herschreven. Het wachtwoord wordt "
            "bewaard in de beveiligde sleutelopslag van deze computer.")))
        self.app_user = QLineEdit()
        self.app_user.setPlaceholderText(self.tr("bijvoorbeeld privacyregister_app"))
        self.app_password = QLineEdit()
        self.app_password.setEchoMode(QLineEdit.EchoMode.Password)
        self._add(app, "app_user", self.tr("Progra&mmagebruiker:"), self.app_user)
        self._add(app, "app_password", self.tr("Wachtwoord &programmagebruiker:"),
                  self.app_password)
        body.addWidget(app_box)
        self._align_labels()
        body.addStretch(1)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Overzetten"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            self.tr("Annuleren"))
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolling(content), 1)
        button_row = QHBoxLayout()
        button_row.setContentsMargins(24, 8, 24, 20)
        button_row.addWidget(self.buttons)
        outer.addLayout(button_row)
        self.setStyleSheet("QGroupBox { font-weight: bold; }")
        self.resize(720, 760)
        fit_to_screen(self)
        self.server_fields.host.setFocus()

    # building

    def _form(self, box: QGroupBox) -> QFormLayout:
        form = QFormLayout(box)
        form.setContentsMargins(16, 16, 16, 16)
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(10)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        return form

    def _add(self, form: QFormLayout, key: str, label: str, widget: QWidget,
             extra: QWidget | None = None) -> None:
        add_field(form, self.fields, key, label, widget, extra)

    def _align_labels(self) -> None:
        align_labels(self.fields)

    # checking

    def _errors(self) -> dict[str, str]:
        errors = dict(self.server_fields.errors())
        if not self.app_user.text().strip():
            errors["app_user"] = self.tr("Vul de databasegebruiker van het programma in.")
        elif self.app_user.text().strip() == self.server_fields.user.text().strip():
            errors["app_user"] = self.tr(
                "Het programma werkt met een andere databasegebruiker dan de eigenaar.")
        if not self.app_password.text():
            errors["app_password"] = self.tr("Vul het wachtwoord van de programmagebruiker in.")
        return errors

    def validate(self) -> ServerAddress | None:
        """Show every problem at its field; the owner's checked address when all is valid."""
        from db.errors import ServerError

        errors = self._errors()
        address = None
        if not errors:
            try:
                address = self.server_fields.address()
            except ServerError as exc:
                errors["host"] = str(exc)
        first = None
        for key, field in self.fields.items():
            field.error.show_message(errors.get(key, ""))
            if key in errors and first is None:
                first = field
        if first is not None:
            first.widget.setFocus()
        return address

    # the copy

    def start(self, *, blocking: bool = False) -> Task | None:
        """Overzetten: check the fields, then copy on a worker with a progress bar."""
        from dataclasses import replace

        owner = self.validate()
        if owner is None:
            return None
        app_address = replace(owner, user=self.app_user.text().strip())
        owner_password = self.server_fields.password.text()
        app_password = self.app_password.text()
        role = app_address.user
        vault = self.vault

        def work(progress: Progress) -> MigrationReport:
            from db.migrate_to import copy_to_server

            _check_program_user(app_address, app_password)
            with vault.reader() as source:
                return copy_to_server(source, owner, password=owner_password,
                                      application_role=role, progress=progress)

        def done(outcome: Outcome) -> None:
            if not outcome.ok:
                self._show_failure(outcome.error)
                return
            from db.server import store_password

            self.report = outcome.result
            self.app_address = app_address
            store_password(app_address, app_password)
            remember_server(app_address)
            self._show_done(outcome.result, app_address)
            self.accept()

        return run_task(self, work, done, title=self.tr("Overzetten naar server"),
                        label=self.tr("Het register wordt overgezet naar de server…"),
                        blocking=blocking)

    def _show_failure(self, error: BaseException | None) -> None:
        if isinstance(error, Cancelled):
            QMessageBox.information(self, self.tr("Overzetten afgebroken"), self.tr(
                "Het overzetten is afgebroken. De database op de server is niet veranderd en "
                "het register op deze computer ook niet."))
            return
        message = str(error) if isinstance(error, RegisterError) else self.tr(
            "Het overzetten is mislukt. De database op de server is niet veranderd en het "
            "register op deze computer ook niet. Probeer het opnieuw; lukt het dan "
            "niet, neem contact op met uw ICT-partner.")
        QMessageBox.warning(self, self.tr("Overzetten mislukt"), message)

    def _show_done(self, report: MigrationReport, app_address: ServerAddress) -> None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("Register overgezet"))
        box.setText(self.tr("Het register staat nu op de server. De auditketen is ongeschonden "
                            "overgezet."))
        added = ""
        if report.added_school:
            added = self.tr(
                "Uw school is als nieuwe school toegevoegd aan het register van het bestuur. "
                "De gegevens kregen op de server nieuwe nummers; daarom volgen na de "
                "overgezette keten {count} basisregels die hun inhoud opnieuw vastleggen. "
                "Ketenkop van de school nu: {final}\n\n").format(
                    count=f"{report.baseline_entries:,}".replace(",", "."),
                    final=report.final_head)
        box.setInformativeText(self.tr(
            "Ketenkop op deze computer: {local}\nKetenkop op de server: {server}\n\n"
            "{added}"
            "Wat nu:\n"
            "1. Sluit Privacyregister en start het opnieuw: dan opent het het register op de "
            "server, met de gebruiker {user}.\n"
            "2. Werk niet meer in het bestand op deze computer. Het is niet veranderd; bewaar "
            "het als laatste reservekopie van vóór het overzetten.\n"
            "3. Op andere werkplekken: kies bij de eerste start 'Op de server van het bestuur' "
            "met dezelfde gegevens.\n"
            "4. Reservekopieën van de server maakt uw ICT-partner (pg_dump).").format(
                local=report.local_head, server=report.server_head, added=added,
                user=app_address.user))
        box.addButton(QMessageBox.StandardButton.Ok)
        try:
            box.exec()
        finally:
            box.deleteLater()

    @classmethod
    def ask(cls, parent: QWidget | None, vault: Vault, user: User) -> MigrationReport | None:
        dialog = cls(parent, vault, user)
        try:
            return dialog.report if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


def _check_program_user(address: ServerAddress, password: str) -> None:
    """The program's user can log in to the database, before anything is copied: an empty
    database says it holds no register yet; a board's database opens (the school is then
    added as a new school, db.migrate_to); a refused log-in is raised."""
    from db.errors import NotADatabaseError, ServerLoginError
    from db.server import ServerRegister

    try:
        ServerRegister.open(address, password=password).close()
    except NotADatabaseError:
        return
    except ServerLoginError:
        raise RegisterError(
            "De server heeft de programmagebruiker of diens wachtwoord geweigerd. Controleer "
            "het wachtwoord van de programmagebruiker, of vraag uw ICT-partner of deze "
            "gebruiker toegang heeft tot de database. Er is niets gewijzigd.") from None
