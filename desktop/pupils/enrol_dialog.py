"""Inschrijven: a new pupil. The dialog saves on OK and stays open on a validation error."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from db.clock import Clock, local_today, system_clock
from db.errors import RegisterError, ValidationError
from db.pupils import enrol_pupil, group_names
from db.schema import User
from db.vault import Vault
from desktop.kit.forms import heading, hint
from desktop.pupils.form import PupilForm

WARNING_STYLE = ("QFrame#duplicateWarning { background: #fff4ce; border: 1px solid #c8a400;"
                 " border-radius: 4px; }")


class EnrolDialog(QDialog):
    """Leerling inschrijven. After accept(), ``pupil_id`` holds the new pupil's id."""

    def __init__(self, parent: QWidget | None, vault: Vault, user: User, *,
                 clock: Clock = system_clock, groups: list[str] | None = None) -> None:
        super().__init__(parent)
        self.vault, self.user, self.clock = vault, user, clock
        self.pupil_id: int | None = None
        self._duplicate_confirmable = False
        if groups is None:
            with vault.session() as session:
                groups = group_names(session, user)
        self.setWindowTitle(self.tr("Leerling inschrijven"))

        self.form = PupilForm(groups)
        self.form.enrolled_on.set_date(local_today(clock))
        self.form.edited.connect(self._on_edited)

        self.warning = QFrame()
        self.warning.setObjectName("duplicateWarning")
        self.warning.setStyleSheet(WARNING_STYLE)
        self.warning_text = QLabel()
        self.warning_text.setWordWrap(True)
        self.warning_text.setTextFormat(Qt.TextFormat.PlainText)
        warning_layout = QVBoxLayout(self.warning)
        warning_layout.setContentsMargins(12, 10, 12, 10)
        warning_layout.addWidget(self.warning_text)
        self.warning.hide()

        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(self.tr("Inschrijven"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.tr("Annuleren"), QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(heading(self.tr("Leerling inschrijven")))
        layout.addWidget(hint(self.tr("Velden met * zijn verplicht. Typ datums als dd-mm-jjjj, "
                                      "bijvoorbeeld 07-03-2019.")))
        layout.addSpacing(4)
        layout.addWidget(self.form)
        layout.addWidget(self.warning)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.form.first_name.setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None, vault: Vault, user: User, *,
            clock: Clock = system_clock, groups: list[str] | None = None) -> int | None:
        """Show the dialog; the new pupil's id, or None when cancelled."""
        dialog = cls(parent, vault, user, clock=clock, groups=groups)
        try:
            return dialog.pupil_id if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()  # a closed dialog with a parent lives as long as the parent

    def value(self):  # noqa: ANN201 - PupilInput; raises ValidationError for a bad date
        return self.form.value()

    def accept(self) -> None:
        """Enrol; on a validation error show it at the field and stay open."""
        self.form.clear_errors()
        allow_duplicate = self._duplicate_confirmable
        try:
            data = self.value()
            with self.vault.session() as session:
                pupil = enrol_pupil(session, self.user, data, allow_duplicate=allow_duplicate,
                                    clock=self.clock)
                pupil_id = pupil.id
        except ValidationError as error:
            if error.field == "duplicate":
                self._show_duplicate(str(error))
            else:
                self.form.show_error(error)
            return
        except RegisterError as error:
            self.form.show_error(ValidationError(str(error)))
            return
        self.pupil_id = pupil_id
        super().accept()

    def duplicate_warning(self) -> str:
        """The duplicate warning shown ('' when none)."""
        return self.warning_text.text() if not self.warning.isHidden() else ""

    def _show_duplicate(self, message: str) -> None:
        self.warning_text.setText(message + "\n\n" + self.tr(
            "Is het een andere leerling? Kies dan ‘Toch inschrijven’. Is het dezelfde "
            "leerling, kies dan ‘Annuleren’ en zoek de leerling op in de lijst."))
        self.warning.show()
        self.ok_button.setText(self.tr("Toch inschrijven"))
        self._duplicate_confirmable = True
        self.ok_button.setFocus()

    def _on_edited(self) -> None:
        if self._duplicate_confirmable:  # something changed: check again before enrolling
            self._duplicate_confirmable = False
            self.warning.hide()
            self.ok_button.setText(self.tr("Inschrijven"))
