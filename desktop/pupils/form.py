"""The pupil's fields, shared by the enrolment dialog and the pupil card.

Field names are those of db.pupils.PupilInput, so a ValidationError's ``field`` points straight
at the widget whose red line shows the message.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from db.errors import ValidationError
from db.pupils import PupilInput, year_group_from_name
from desktop.kit.forms import Field, FieldError
from desktop.kit.widgets import DateEdit

NAME_WIDTH = 320


class PupilForm(QWidget):
    """Roepnaam, voornamen, voorvoegsel, achternaam, geboortedatum, groep, (jaargroep),
    inschrijfdatum and notities, each with its error line."""

    edited = Signal()

    def __init__(self, groups: list[str], *, with_year_group: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first_name = QLineEdit()
        self.given_names = QLineEdit()
        self.prefix = QLineEdit()
        self.last_name = QLineEdit()
        self.date_of_birth = DateEdit()
        self.group_name = QComboBox()
        self.group_name.setEditable(True)
        self.group_name.addItems(groups)
        self.group_name.setCurrentIndex(-1)
        self.group_name.lineEdit().setPlaceholderText(self.tr("bijvoorbeeld 3B"))
        self.group_name.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.year_group: QComboBox | None = None
        self.enrolled_on = DateEdit()
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 16)
        self.notes.setMinimumWidth(NAME_WIDTH)
        for edit, limit in ((self.first_name, 100), (self.given_names, 200),
                            (self.prefix, 30), (self.last_name, 150)):
            edit.setMaxLength(limit)
            edit.setMinimumWidth(NAME_WIDTH)
        self.group_name.lineEdit().setMaxLength(20)
        self.group_name.setMinimumWidth(140)
        self.prefix.setPlaceholderText(self.tr("bijvoorbeeld van den"))
        self.given_names.setPlaceholderText(self.tr("alle voornamen, zoals in het paspoort"))

        self.fields: dict[str, Field] = {}
        self.general_error = FieldError()
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setVerticalSpacing(10)
        layout.setHorizontalSpacing(16)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        rows = [
            ("first_name", self.tr("&Roepnaam *"), self.first_name),
            ("given_names", self.tr("&Voornamen"), self.given_names),
            ("prefix", self.tr("Voorvoeg&sel"), self.prefix),
            ("last_name", self.tr("&Achternaam *"), self.last_name),
            ("date_of_birth", self.tr("&Geboortedatum *"), self.date_of_birth),
            ("group_name", self.tr("Gr&oep *"), self.group_name),
        ]
        if with_year_group:
            self.year_group = QComboBox()
            self.year_group.addItem(self.tr("— onbekend —"), None)
            for year in range(1, 9):
                self.year_group.addItem(str(year), year)
            rows.append(("year_group", self.tr("&Jaargroep"), self.year_group))
        rows += [
            ("enrolled_on", self.tr("&Inschrijfdatum *"), self.enrolled_on),
            ("notes", self.tr("&Notities"), self.notes),
        ]
        for name, label, widget in rows:
            field = Field(widget)
            self.fields[name] = field
            layout.addRow(label, field)
        layout.addRow(self.general_error)

        for edit in (self.first_name, self.given_names, self.prefix, self.last_name,
                     self.date_of_birth, self.enrolled_on):
            edit.textEdited.connect(self._on_edit)
        self.group_name.editTextChanged.connect(self._on_group_edit)
        self.notes.textChanged.connect(self._on_edit)
        if self.year_group is not None:
            self.year_group.currentIndexChanged.connect(self._on_edit)

    # --- values ----------------------------------------------------------------------------

    def set_values(self, *, first_name: str = "", given_names: str = "", prefix: str = "",
                   last_name: str = "", date_of_birth: date | None = None,
                   group_name: str = "", year_group: int | None = None,
                   enrolled_on: date | None = None, notes: str = "") -> None:
        widgets = [self.first_name, self.given_names, self.prefix, self.last_name,
                   self.date_of_birth, self.group_name, self.enrolled_on, self.notes]
        if self.year_group is not None:
            widgets.append(self.year_group)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self.first_name.setText(first_name)
            self.given_names.setText(given_names)
            self.prefix.setText(prefix)
            self.last_name.setText(last_name)
            self.date_of_birth.set_date(date_of_birth)
            self.group_name.setEditText(group_name)
            if self.year_group is not None:
                self.year_group.setCurrentIndex(max(0, self.year_group.findData(year_group)))
            self.enrolled_on.set_date(enrolled_on)
            self.notes.setPlainText(notes)
        finally:
            for widget in widgets:
                widget.blockSignals(False)

    def value(self, *, source_key: str | None = None) -> PupilInput:
        """The input as typed. A date that is not a date raises ValidationError at its field."""
        dates = {}
        labels = {"date_of_birth": self.tr("De geboortedatum"),
                  "enrolled_on": self.tr("De inschrijfdatum")}
        for name in ("date_of_birth", "enrolled_on"):
            edit: DateEdit = getattr(self, name)
            try:
                dates[name] = edit.date_value()
            except ValueError as error:
                raise ValidationError(
                    self.tr("%1 klopt niet: %2.").replace("%1", labels[name])
                    .replace("%2", str(error)), field=name) from None
        year = self.year_group.currentData() if self.year_group is not None else None
        return PupilInput(first_name=self.first_name.text(), last_name=self.last_name.text(),
                          date_of_birth=dates["date_of_birth"],
                          group_name=self.group_name.currentText(),
                          enrolled_on=dates["enrolled_on"], prefix=self.prefix.text(),
                          given_names=self.given_names.text(), year_group=year,
                          notes=self.notes.toPlainText(), source_key=source_key)

    def snapshot(self) -> tuple:
        """Everything typed, to tell whether there are unsaved edits."""
        year = self.year_group.currentIndex() if self.year_group is not None else None
        return (self.first_name.text(), self.given_names.text(), self.prefix.text(),
                self.last_name.text(), self.date_of_birth.text(), self.group_name.currentText(),
                year, self.enrolled_on.text(), self.notes.toPlainText())

    def set_read_only(self, read_only: bool) -> None:
        for edit in (self.first_name, self.given_names, self.prefix, self.last_name,
                     self.date_of_birth, self.enrolled_on):
            edit.setReadOnly(read_only)
        self.notes.setReadOnly(read_only)
        self.group_name.setEnabled(not read_only)
        if self.year_group is not None:
            self.year_group.setEnabled(not read_only)

    # --- errors ----------------------------------------------------------------------------

    def show_error(self, error: ValidationError) -> None:
        """Red text under the field the error names (or at the bottom), and focus there."""
        self.clear_errors()
        field = self.fields.get(error.field or "")
        if field is None:
            self.general_error.show_message(str(error))
            return
        field.error.show_message(str(error))
        field.widget.setFocus()
        if isinstance(field.widget, QLineEdit):
            field.widget.selectAll()

    def clear_errors(self) -> None:
        for field in self.fields.values():
            field.error.clear()
        self.general_error.clear()

    def error_text(self, name: str) -> str:
        """The message under a field ('' when none) — for tests and screen readers."""
        field = self.fields.get(name)
        if field is None:
            return self.general_error.text() if not self.general_error.isHidden() else ""
        return field.error.text() if not field.error.isHidden() else ""

    def _on_edit(self, *_args: object) -> None:
        self.edited.emit()

    def _on_group_edit(self, text: str) -> None:
        if self.year_group is not None:
            year = year_group_from_name(text)
            if year is not None:
                self.year_group.blockSignals(True)
                self.year_group.setCurrentIndex(self.year_group.findData(year))
                self.year_group.blockSignals(False)
        self.edited.emit()
