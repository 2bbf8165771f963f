"""Inschrijven: a new pupil with one or two ouders/verzorgers. The dialog saves on OK and
stays open on a validation error; once saved it offers the pupil's own consent form."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from db.clock import Clock, local_today, system_clock
from db.errors import RegisterError, ValidationError
from db.pupils import MAX_ENROL_GUARDIANS, GuardianInput, enrol_with_guardians, group_names
from db.schema import User
from db.vault import Vault
from desktop.kit.forms import FieldError, heading, hint
from desktop.kit.screen import fit_now, fit_to_screen, scrolling
from desktop.kit.tasks import Task
from desktop.pupils.form import PupilForm
from desktop.pupils.guardian_dialog import RELATIONS

WARNING_STYLE = ("QFrame#duplicateWarning { background: #fff4ce; border: 1px solid #c8a400;"
                 " border-radius: 4px; }")
SAVED_STYLE = ("QFrame#savedNote { background: #e6f4ea; border: 1px solid #1e6b34;"
               " border-radius: 4px; }")


class GuardianRows(QWidget):
    """Up to two ouders/verzorgers at enrolment: name, relation and gezag, one line each.
    The rest (telephone, e-mail, secret address) is on the pupil card."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        for column, text in enumerate((self.tr("Voornaam"), self.tr("Voorvoegsel"),
                                       self.tr("Achternaam"), self.tr("Relatie"))):
            caption = QLabel(text)
            caption.setStyleSheet("color: #555555;")
            grid.addWidget(caption, 0, column)
        self.rows: list[dict[str, QWidget]] = []
        self.errors: list[FieldError] = []
        for index in range(MAX_ENROL_GUARDIANS):
            first, prefix, last = QLineEdit(), QLineEdit(), QLineEdit()
            for edit, limit, width in ((first, 100, 120), (prefix, 30, 80), (last, 150, 150)):
                edit.setMaxLength(limit)
                edit.setMinimumWidth(width)
            relation = QComboBox()
            relation.setEditable(True)
            relation.addItems(list(RELATIONS))
            relation.lineEdit().setMaxLength(40)
            relation.setEditText("moeder" if index == 0 else "vader")
            relation.setMinimumWidth(110)
            authority = QCheckBox(self.tr("gezag"))
            authority.setChecked(True)
            authority.setToolTip(self.tr("Heeft ouderlijk gezag: tekent het "
                                         "toestemmingsformulier"))
            number = index + 1
            first.setAccessibleName(
                self.tr("Voornaam ouder/verzorger %1").replace("%1", str(number)))
            last.setAccessibleName(
                self.tr("Achternaam ouder/verzorger %1").replace("%1", str(number)))
            row = 1 + 2 * index
            for column, widget in enumerate((first, prefix, last, relation, authority)):
                grid.addWidget(widget, row, column)
            error = FieldError()
            grid.addWidget(error, row + 1, 0, 1, 5)
            self.rows.append({"first_name": first, "prefix": prefix, "last_name": last,
                              "relation": relation, "has_authority": authority})
            self.errors.append(error)
        grid.setColumnStretch(2, 1)

    def values(self) -> list[GuardianInput]:
        return [GuardianInput(last_name=row["last_name"].text(),
                              first_name=row["first_name"].text(),
                              prefix=row["prefix"].text(),
                              relation=row["relation"].currentText(),
                              has_authority=row["has_authority"].isChecked())
                for row in self.rows]

    def fill(self, index: int, *, last_name: str, first_name: str = "", prefix: str = "",
             relation: str = "ouder", has_authority: bool = True) -> None:
        row = self.rows[index]
        row["first_name"].setText(first_name)
        row["prefix"].setText(prefix)
        row["last_name"].setText(last_name)
        row["relation"].setEditText(relation)
        row["has_authority"].setChecked(has_authority)

    def show_error(self, error: ValidationError) -> bool:
        """Show an error named ``guardians.N.field`` at row N; False when it is not ours."""
        parts = (error.field or "").split(".")
        if parts[0] != "guardians":
            return False
        index = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
        self.errors[index].show_message(str(error))
        widget = self.rows[index].get(parts[2] if len(parts) > 2 else "last_name")
        (widget or self.rows[index]["last_name"]).setFocus()
        return True

    def clear_errors(self) -> None:
        for error in self.errors:
            error.clear()

    def error_text(self, index: int) -> str:
        error = self.errors[index]
        return error.text() if not error.isHidden() else ""

    def set_read_only(self, read_only: bool) -> None:
        for row in self.rows:
            for widget in row.values():
                if isinstance(widget, QLineEdit):
                    widget.setReadOnly(read_only)
                else:
                    widget.setEnabled(not read_only)


class EnrolDialog(QDialog):
    """Leerling inschrijven. After saving, ``pupil_id`` holds the new pupil's id and the
    dialog stays open to print that pupil's consent form (Toestemmingsformulier afdrukken)."""

    def __init__(self, parent: QWidget | None, vault: Vault, user: User, *,
                 clock: Clock = system_clock, groups: list[str] | None = None) -> None:
        super().__init__(parent)
        self.vault, self.user, self.clock = vault, user, clock
        self.pupil_id: int | None = None
        self._file_name = ""
        self._duplicate_confirmable = False
        if groups is None:
            with vault.session() as session:
                groups = group_names(session, user)
        self.setWindowTitle(self.tr("Leerling inschrijven"))

        self.form = PupilForm(groups)
        self.form.enrolled_on.set_date(local_today(clock))
        self.form.edited.connect(self._on_edited)
        self.guardians = GuardianRows()
        for row in self.guardians.rows:
            for widget in row.values():
                signal = (widget.textEdited if isinstance(widget, QLineEdit)
                          else widget.editTextChanged if isinstance(widget, QComboBox)
                          else widget.toggled)
                signal.connect(self._on_edited)

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

        self.saved_note = QFrame()
        self.saved_note.setObjectName("savedNote")
        self.saved_note.setStyleSheet(SAVED_STYLE)
        self.saved_text = QLabel()
        self.saved_text.setWordWrap(True)
        self.saved_text.setTextFormat(Qt.TextFormat.PlainText)
        saved_layout = QVBoxLayout(self.saved_note)
        saved_layout.setContentsMargins(12, 10, 12, 10)
        saved_layout.addWidget(self.saved_text)
        self.saved_note.hide()

        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(self.tr("Inschrijven"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.print_button = self.buttons.addButton(self.tr("Toestemmingsformulier afdrukken…"),
                                                   QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.clicked.connect(self.print_form)
        self.print_button.hide()
        self.close_button = self.buttons.addButton(self.tr("Annuleren"),
                                                   QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(hint(self.tr("Velden met * zijn verplicht. Typ datums als dd-mm-jjjj, "
                                      "bijvoorbeeld 07-03-2019.")))
        layout.addWidget(self.form)
        layout.addWidget(heading(self.tr("Ouders/verzorgers *"), size_delta=0))
        layout.addWidget(hint(self.tr("Minstens één, hoogstens twee. Wie gezag heeft, tekent "
                                      "het toestemmingsformulier. Telefoon en e-mail vult u "
                                      "in op de leerlingkaart.")))
        layout.addWidget(self.guardians)
        layout.addStretch(1)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 16)
        outer.setSpacing(12)
        outer.addWidget(heading(self.tr("Leerling inschrijven")))
        outer.addWidget(scrolling(content), 1)
        outer.addWidget(self.warning)  # beside the buttons: seen without scrolling
        outer.addWidget(self.saved_note)
        outer.addWidget(self.buttons)
        fit_to_screen(self)
        self.form.first_name.setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None, vault: Vault, user: User, *,
            clock: Clock = system_clock, groups: list[str] | None = None) -> int | None:
        """Show the dialog; the new pupil's id, or None when nothing was saved."""
        dialog = cls(parent, vault, user, clock=clock, groups=groups)
        try:
            dialog.exec()
            return dialog.pupil_id
        finally:
            dialog.deleteLater()  # a closed dialog with a parent lives as long as the parent

    def value(self):  # noqa: ANN201 - PupilInput; raises ValidationError for a bad date
        return self.form.value()

    @property
    def saved(self) -> bool:
        return self.pupil_id is not None

    def accept(self) -> None:
        """Enrol with the guardians; on a validation error show it at its field and stay open.
        Once saved, the dialog offers the consent form; a second accept() closes it."""
        if self.saved:
            super().accept()
            return
        self.form.clear_errors()
        self.guardians.clear_errors()
        allow_duplicate = self._duplicate_confirmable
        try:
            data = self.value()
            with self.vault.session() as session:
                pupil = enrol_with_guardians(session, self.user, data,
                                             self.guardians.values(),
                                             allow_duplicate=allow_duplicate, clock=self.clock)
                pupil_id = pupil.id
        except ValidationError as error:
            if error.field == "duplicate":
                self._show_duplicate(str(error))
            elif not self.guardians.show_error(error):
                self.form.show_error(error)
            return
        except RegisterError as error:
            self.form.show_error(ValidationError(str(error)))
            return
        self.pupil_id = pupil_id
        self._show_saved(data.first_name.strip(), data.group_name.strip())

    def reject(self) -> None:
        if self.saved:  # Sluiten (or Esc) after saving: the pupil is enrolled
            super().accept()
        else:
            super().reject()

    def print_form(self, *, blocking: bool = False) -> Task | None:
        """This pupil's toestemmingsformulier: one page, through kit.tasks.export."""
        if self.pupil_id is None:
            return None
        from desktop.consents.page import print_consent_forms

        name = self.tr("Toestemmingsformulier %1").replace("%1", self._file_name)
        return print_consent_forms(self, self.vault, self.user, self.clock, name,
                                   pupil_ids={self.pupil_id}, blocking=blocking)

    def duplicate_warning(self) -> str:
        """The duplicate warning shown ('' when none)."""
        return self.warning_text.text() if not self.warning.isHidden() else ""

    def saved_message(self) -> str:
        """The 'is ingeschreven' note shown after saving ('' before)."""
        return self.saved_text.text() if not self.saved_note.isHidden() else ""

    def _show_saved(self, first_name: str, group: str) -> None:
        self._file_name = " ".join(part for part in (
            first_name, self.form.prefix.text().strip(), self.form.last_name.text().strip())
            if part)
        self.form.set_read_only(True)
        self.guardians.set_read_only(True)
        self.warning.hide()
        self.saved_text.setText(self.tr(
            "%1 is ingeschreven in groep %2. Druk nu het toestemmingsformulier af om mee "
            "te geven aan de ouders, of sluit dit venster.")
            .replace("%1", self._file_name).replace("%2", group))
        self.saved_note.show()
        self.ok_button.hide()
        self.print_button.show()
        self.print_button.setDefault(True)
        self.close_button.setText(self.tr("Sluiten"))
        self.print_button.setFocus()
        if self.isVisible():
            QTimer.singleShot(0, self._grow)

    def _grow(self) -> None:
        fit_now(self)  # taller now: grow within the screen, or scroll

    def _show_duplicate(self, message: str) -> None:
        self.warning_text.setText(message + "\n\n" + self.tr(
            "Is het een andere leerling? Kies dan ‘Toch inschrijven’. Is het dezelfde "
            "leerling, kies dan ‘Annuleren’ en zoek de leerling op in de lijst."))
        self.warning.show()
        self.ok_button.setText(self.tr("Toch inschrijven"))
        self._duplicate_confirmable = True
        self.ok_button.setFocus()

    def _on_edited(self, *_args: object) -> None:
        if self._duplicate_confirmable:  # something changed: check again before enrolling
            self._duplicate_confirmable = False
            self.warning.hide()
            self.ok_button.setText(self.tr("Inschrijven"))
