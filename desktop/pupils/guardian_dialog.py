"""Ouder/verzorger toevoegen of wijzigen. The dialog calls ``save(value)`` on OK and stays open
on a ValidationError, showing it at the field it names."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from db.errors import RegisterError, ValidationError
from db.pupils import GuardianInput, GuardianRow
from desktop.kit.forms import Field, FieldError, heading, hint
from desktop.kit.screen import fit_to_screen

RELATIONS = ("moeder", "vader", "ouder", "verzorger", "pleegouder", "voogd")


class GuardianDialog(QDialog):
    def __init__(self, parent: QWidget | None, guardian: GuardianRow | None = None, *,
                 pupil_name: str = "",
                 save: Callable[[GuardianInput], object] | None = None) -> None:
        super().__init__(parent)
        self._save = save
        title = (self.tr("Ouder/verzorger wijzigen") if guardian
                 else self.tr("Ouder/verzorger toevoegen"))
        self.setWindowTitle(title)
        self.first_name = QLineEdit()
        self.prefix = QLineEdit()
        self.last_name = QLineEdit()
        self.relation = QComboBox()
        self.relation.setEditable(True)
        self.relation.addItems(list(RELATIONS))  # stored as typed, in Dutch
        self.relation.lineEdit().setMaxLength(40)
        self.has_authority = QCheckBox(self.tr("Heeft ouderlijk &gezag"))
        self.phone = QLineEdit()
        self.email = QLineEdit()
        self.address_secret = QCheckBox(self.tr("Ge&heim adres: niet doorgeven en niet op "
                                                "lijsten zetten"))
        for edit, limit, width in ((self.first_name, 100, 280), (self.prefix, 30, 140),
                                   (self.last_name, 150, 280), (self.phone, 40, 200),
                                   (self.email, 200, 320)):
            edit.setMaxLength(limit)
            edit.setMinimumWidth(width)
        self.relation.setMinimumWidth(200)
        self.phone.setPlaceholderText(self.tr("bijvoorbeeld 06-12345678"))
        self.email.setPlaceholderText(self.tr("naam@voorbeeld.nl"))

        self.fields: dict[str, Field] = {}
        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.setHorizontalSpacing(16)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        for name, label, widget in (
            ("first_name", self.tr("&Voornaam"), self.first_name),
            ("prefix", self.tr("Voorvoeg&sel"), self.prefix),
            ("last_name", self.tr("&Achternaam *"), self.last_name),
            ("relation", self.tr("&Relatie"), self.relation),
            ("has_authority", "", self.has_authority),
            ("phone", self.tr("&Telefoon"), self.phone),
            ("email", self.tr("&E-mail"), self.email),
            ("address_secret", "", self.address_secret),
        ):
            field = Field(widget)
            self.fields[name] = field
            form.addRow(label, field)
        self.general_error = FieldError()

        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(self.tr("Opslaan"),
                                           QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Annuleren"), QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(heading(title))
        if pupil_name:
            layout.addWidget(hint(self.tr("Bij leerling %1. Velden met * zijn verplicht.")
                                  .replace("%1", pupil_name)))
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addStretch(1)
        layout.addWidget(buttons)

        if guardian is not None:
            self.first_name.setText(guardian.first_name)
            self.prefix.setText(guardian.prefix)
            self.last_name.setText(guardian.last_name)
            self.relation.setEditText(guardian.relation)
            self.has_authority.setChecked(guardian.has_authority)
            self.phone.setText(guardian.phone)
            self.email.setText(guardian.email)
            self.address_secret.setChecked(guardian.address_secret)
        else:
            self.relation.setEditText("ouder")
            self.has_authority.setChecked(True)
        fit_to_screen(self)
        self.first_name.setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None, guardian: GuardianRow | None = None, *,
            pupil_name: str = "",
            save: Callable[[GuardianInput], object] | None = None) -> GuardianInput | None:
        dialog = cls(parent, guardian, pupil_name=pupil_name, save=save)
        try:
            return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()  # a closed dialog with a parent lives as long as the parent

    def value(self) -> GuardianInput:
        return GuardianInput(last_name=self.last_name.text(), first_name=self.first_name.text(),
                             prefix=self.prefix.text(), phone=self.phone.text(),
                             email=self.email.text(),
                             address_secret=self.address_secret.isChecked(),
                             relation=self.relation.currentText(),
                             has_authority=self.has_authority.isChecked())

    def accept(self) -> None:
        self.clear_errors()
        if self._save is not None:
            try:
                self._save(self.value())
            except ValidationError as error:
                self.show_error(error)
                return
            except RegisterError as error:
                self.general_error.show_message(str(error))
                return
        super().accept()

    def show_error(self, error: ValidationError) -> None:
        field = self.fields.get(error.field or "")
        if field is None:
            self.general_error.show_message(str(error))
            return
        field.error.show_message(str(error))
        field.widget.setFocus()

    def clear_errors(self) -> None:
        for field in self.fields.values():
            field.error.clear()
        self.general_error.clear()

    def error_text(self, name: str) -> str:
        field = self.fields.get(name)
        label = field.error if field is not None else self.general_error
        return label.text() if not label.isHidden() else ""
