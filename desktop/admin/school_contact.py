"""Contactgegevens van de school: the FG, the privacy e-mail address, the address for reporting
vulnerabilities, the parent app and the controller (bevoegd gezag). Every text for parents (the
schoolgids paragraph) and the art. 30 register reads them; db.school.set_school_contact checks
them (SETTINGS) and writes the audit log."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from db.clock import Clock, system_clock
from db.permissions import Actor, Permission, may
from db.school import PARENT_APPS, SchoolContact, school_contact, set_school_contact
from db.vault import Vault
from desktop.kit.forms import FormDialog


def _tr(text: str) -> str:
    return QCoreApplication.translate("school_contact", text)


def contact_button_text() -> str:
    """The button's text, also named in the notices that point here."""
    return _tr("Contactgegevens school…")


def where_to_fill_in(user: Actor) -> str:
    """Where a missing contact setting is filled in, for this user."""
    if may(user, Permission.SETTINGS):
        return _tr("Vul dit in met de knop ‘{button}’ (ook te vinden bij Beheer › "
                   "Gebruikers).").format(button=contact_button_text().rstrip("…"))
    return _tr("Vraag de beheerder of de directie dit in te vullen bij ‘{button}’.").format(
        button=contact_button_text().rstrip("…"))


class SchoolContactDialog(FormDialog):
    """The school's privacy contacts. True from ask() when saved."""

    def __init__(self, parent: QWidget | None, vault: Vault, user: Actor, *,
                 clock: Clock = system_clock) -> None:
        super().__init__(parent, _tr("Contactgegevens van de school"), ok_text=_tr("Opslaan"),
                         intro=_tr("Deze gegevens komen in de privacytekst voor de schoolgids "
                                   "en in het verwerkingsregister. Laat een veld leeg als het "
                                   "(nog) niet van toepassing is; de teksten zeggen dan wat er "
                                   "nog ontbreekt."))
        self.vault, self.user, self.clock = vault, user, clock
        with vault.session() as session:
            current = school_contact(session, user)
        self.controller = self._line(current.controller, _tr(
            "bijvoorbeeld Stichting Openbaar Onderwijs Regenboog"))
        self.privacy_email = self._line(current.privacy_email, _tr(
            "bijvoorbeeld privacy@deklimop.nl"))
        self.fg_name = self._line(current.fg_name, _tr("naam, of de naam van het bureau"))
        self.fg_email = self._line(current.fg_email, _tr("bijvoorbeeld fg@stichting.nl"))
        self.disclosure_address = self._line(current.disclosure_address, _tr(
            "e-mailadres of webpagina (https://…)"))
        self.parent_app = QComboBox()
        self.parent_app.setEditable(True)
        self.parent_app.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.parent_app.addItem("")
        self.parent_app.addItems(list(PARENT_APPS))
        self.parent_app.setEditText(current.parent_app)
        self.parent_app.setMinimumWidth(240)
        self.parent_app.lineEdit().setPlaceholderText(_tr("leeg: de school heeft geen ouderapp"))
        add = self.errors.add
        add(self.form, "controller", _tr("&Bevoegd gezag"), self.controller)
        add(self.form, "privacy_email", _tr("&Privacy-e-mailadres"), self.privacy_email)
        add(self.form, "fg_name", _tr("&Naam FG"), self.fg_name)
        add(self.form, "fg_email", _tr("&E-mailadres FG"), self.fg_email)
        add(self.form, "disclosure_address", _tr("&Kwetsbaarheid melden via"),
            self.disclosure_address)
        add(self.form, "parent_app", _tr("&Ouderapp"), self.parent_app)
        self.preferred_width = 640
        self.controller.setFocus()

    @staticmethod
    def _line(value: str, example: str) -> QLineEdit:
        edit = QLineEdit(value)
        edit.setMaxLength(200)
        edit.setMinimumWidth(360)
        edit.setPlaceholderText(example)
        edit.setCursorPosition(0)  # a long name shows its beginning
        return edit

    def value(self) -> SchoolContact:
        return SchoolContact(fg_name=self.fg_name.text(), fg_email=self.fg_email.text(),
                             privacy_email=self.privacy_email.text(),
                             disclosure_address=self.disclosure_address.text(),
                             parent_app=self.parent_app.currentText(),
                             controller=self.controller.text())

    def save(self) -> None:
        with self.vault.session() as session:
            set_school_contact(session, self.user, self.value(), clock=self.clock)
