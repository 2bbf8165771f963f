"""Doelen beheren: the consent purposes with their versions, and the school-year rhythm.

Every change is its own use-case in db.purposes / db.consents and is saved at once; the dialog
only shows and asks. New wording is a new version: decisions already made keep theirs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.clock import Clock, local_today, system_clock
from db.consents import parse_closing_date, set_year_rhythm, year_rhythm
from db.errors import RegisterError, ValidationError
from db.purposes import (
    PurposeRow,
    add_school_purpose,
    edit_purpose_text,
    purpose_rows,
    retire_purpose,
)
from db.schema import User
from db.text import format_dutch_date
from db.vault import Vault
from desktop.kit import widgets
from desktop.kit.forms import Field, FieldError, heading, hint
from desktop.kit.screen import fit_to_screen
from desktop.kit.widgets import RowsModel, setup_table


@dataclass(frozen=True)
class PurposeInput:
    title: str
    text: str
    is_image: bool


class PurposeTextDialog(QDialog):
    """Toevoegen or Tekst wijzigen. ``save(PurposeInput)`` runs on OK; a ValidationError it
    raises is shown at its field and the dialog stays open."""

    def __init__(self, parent: QWidget | None, save: Callable[[PurposeInput], None], *,
                 current: PurposeRow | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self.current = current
        self.setWindowTitle(self.tr("Doel toevoegen") if current is None
                            else self.tr("Tekst van het doel wijzigen"))
        self.setMinimumWidth(620)

        self.title_edit = QLineEdit(current.title if current else "")
        self.title_edit.setMaxLength(200)
        self.title_edit.setAccessibleName(self.tr("Titel"))
        self.text_edit = QPlainTextEdit(current.text if current else "")
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setMinimumHeight(150)
        self.text_edit.setAccessibleName(self.tr("Tekst voor ouders"))
        self.image_box = QCheckBox(self.tr(
            "Het gaat om foto's of video's (telt mee voor de niet-op-de-foto-lijst)"))
        self.title_field = Field(self.title_edit)
        self.text_field = Field(self.text_edit)
        self.general_error = FieldError()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        if current is None:
            layout.addWidget(hint(self.tr(
                "Beschrijf in gewone taal waarvoor de school toestemming vraagt. Deze tekst "
                "komt op het toestemmingsformulier.")))
        else:
            note = QLabel(self.tr(
                "Als u de tekst wijzigt, wordt dit <b>versie {new}</b> van dit doel. Keuzes die "
                "ouders al maakten, blijven horen bij de versie waarvoor zij kozen (nu versie "
                "{old}). Is de wijziging wezenlijk, vraag de ouders dan opnieuw om "
                "toestemming.").format(new=current.version + 1, old=current.version))
            note.setWordWrap(True)
            note.setStyleSheet("background: #fff8e1; border: 1px solid #e0c36a; "
                               "border-radius: 6px; padding: 8px;")
            layout.addWidget(note)
        form = QFormLayout()
        form.setSpacing(10)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        title_label = QLabel(self.tr("&Titel"))
        title_label.setBuddy(self.title_edit)
        text_label = QLabel(self.tr("Tekst voor &ouders"))
        text_label.setBuddy(self.text_edit)
        form.addRow(title_label, self.title_field)
        form.addRow(text_label, self.text_field)
        layout.addLayout(form)
        if current is None:
            layout.addWidget(self.image_box)
        layout.addWidget(self.general_error)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(
            self.tr("Toevoegen") if current is None
            else self.tr("Opslaan als versie {n}").format(n=current.version + 1),
            QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Annuleren"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.ok_button.setDefault(True)
        fit_to_screen(self)
        self.title_edit.setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None, save: Callable[[PurposeInput], None], *,
            current: PurposeRow | None = None) -> bool:
        dialog = cls(parent, save, current=current)
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()  # a closed dialog with a parent lives as long as the parent

    def value(self) -> PurposeInput:
        return PurposeInput(self.title_edit.text(), self.text_edit.toPlainText(),
                            self.image_box.isChecked() if self.current is None
                            else self.current.is_image)

    def accept(self) -> None:
        """Save; on a validation error show it and stay open."""
        for error in (self.title_field.error, self.text_field.error, self.general_error):
            error.clear()
        try:
            self._save(self.value())
        except ValidationError as error:
            target = {"title": self.title_field, "text": self.text_field}.get(error.field or "")
            if target is not None:
                target.error.show_message(str(error))
                target.widget.setFocus()
            else:
                self.general_error.show_message(str(error))
            return
        except RegisterError as error:
            self.general_error.show_message(str(error))
            return
        super().accept()


class PurposesDialog(QDialog):
    """'Doelen beheren…'. ``changed`` is True after anything was saved."""

    def __init__(self, vault: Vault, user: User, clock: Clock = system_clock,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault, self.user, self.clock = vault, user, clock
        self.changed = False
        self.setWindowTitle(self.tr("Doelen beheren"))
        self.resize(1000, 700)

        self.model = RowsModel([
            (self.tr("Doel"), lambda r: r.title),
            (self.tr("Versie"), lambda r: r.version),
            (self.tr("Soort"), lambda r: self.tr("foto/video") if r.is_image
             else self.tr("overig")),
            (self.tr("Status"), lambda r: self.tr("in gebruik") if r.retired_on is None
             else self.tr("buiten gebruik sinds {day}").format(
                 day=format_dutch_date(r.retired_on))),
        ], parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_table(self.table, stretch_column=0)
        self.table.setAccessibleName(self.tr("Toestemmingsdoelen"))
        header = self.table.horizontalHeader()
        for column, width in ((1, 70), (2, 100), (3, 210)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setMinimumHeight(self.fontMetrics().lineSpacing() * 3)
        self.versions = hint("")
        text_box = QGroupBox(self.tr("Tekst op het formulier"))
        text_layout = QVBoxLayout(text_box)
        text_layout.setContentsMargins(14, 12, 14, 12)
        text_layout.setSpacing(8)
        text_layout.addWidget(self.details)
        text_layout.addWidget(self.versions)

        self.add_button = QPushButton(self.tr("&Toevoegen…"))
        self.edit_button = QPushButton(self.tr("Tekst &wijzigen…"))
        self.retire_button = QPushButton(self.tr("&Buiten gebruik stellen…"))
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.retire_button.clicked.connect(self.retire)
        self.table.doubleClicked.connect(lambda _index: self.edit())
        for button in (self.add_button, self.retire_button):
            button.setAutoDefault(False)
        self.edit_button.setDefault(True)  # Enter on the list: change the text

        self.yearly = QCheckBox(self.tr("Elk schooljaar opnieuw om toestemming vragen"))
        self.yearly.setToolTip(self.tr(
            "Aan: leerlingen van wie de laatste keuze van vóór dit schooljaar is, staan bij "
            "'Nog te vragen'."))
        self.closing = QLineEdit()
        self.closing.setPlaceholderText(self.tr("dd-mm"))
        self.closing.setMaxLength(5)
        self.closing.setFixedWidth(self.fontMetrics().horizontalAdvance("00-00") * 2 + 24)
        self.closing.setAccessibleName(self.tr("Formulieren terug uiterlijk"))
        self.closing_error = FieldError()
        self.saved_label = hint("")
        self.saved_label.hide()

        buttons = QVBoxLayout()
        buttons.setSpacing(8)
        for button in (self.add_button, self.edit_button, self.retire_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(self.table, 1)
        top.addLayout(buttons)

        year_box = QGroupBox(self.tr("Schooljaar"))
        year_layout = QFormLayout(year_box)
        year_layout.setContentsMargins(14, 12, 14, 12)
        year_layout.setSpacing(10)
        year_layout.addRow(self.yearly)
        closing_label = QLabel(self.tr("&Formulieren terug uiterlijk (dd-mm)"))
        closing_label.setBuddy(self.closing)
        closing_row = QHBoxLayout()
        closing_row.addWidget(self.closing)
        closing_row.addWidget(hint(self.tr("bijvoorbeeld 01-10; leeg laten mag")), 1)
        year_layout.addRow(closing_label, closing_row)
        year_layout.addRow(self.closing_error)
        year_layout.addRow(self.saved_label)

        close = QDialogButtonBox()
        close.addButton(self.tr("Sluiten"), QDialogButtonBox.ButtonRole.RejectRole)
        close.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        layout.addWidget(heading(self.tr("Toestemmingsdoelen")))
        layout.addWidget(hint(self.tr(
            "Waarvoor de school ouders om toestemming vraagt. Een gewijzigde tekst wordt een "
            "nieuwe versie; keuzes die al gemaakt zijn, blijven bij hun eigen versie. Een doel "
            "dat buiten gebruik is, verdwijnt van het formulier; de geschiedenis blijft.")))
        layout.addLayout(top, 1)
        layout.addWidget(text_box)
        layout.addWidget(year_box)
        layout.addWidget(close)

        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_details())
        self.yearly.toggled.connect(lambda _on: self.save_rhythm())
        self.closing.editingFinished.connect(self.save_rhythm)
        self.reload()
        self._load_rhythm()
        fit_to_screen(self)
        self.table.setFocus()

    @classmethod
    def ask(cls, vault: Vault, user: User, clock: Clock = system_clock,
            parent: QWidget | None = None) -> bool:
        """Show the dialog; True when something changed."""
        dialog = cls(vault, user, clock, parent)
        try:
            dialog.exec()
            return dialog.changed
        finally:
            dialog.deleteLater()  # a closed dialog with a parent lives as long as the parent

    # --- purposes --------------------------------------------------------------------------

    def reload(self, select_id: int | None = None) -> None:
        current = select_id if select_id is not None else self._current_id()
        with self.vault.session() as session:
            rows = purpose_rows(session, self.user)  # retired ones at the bottom
        self.model.set_rows(rows)
        row = next((n for n, r in enumerate(rows) if r.id == current), 0)
        if rows:
            self.table.selectRow(row)
        self._show_details()

    def rows(self) -> list[PurposeRow]:
        return self.model.rows()

    def _current_id(self) -> int | None:
        row = self._selected()
        return row.id if row else None

    def _selected(self) -> PurposeRow | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.row_at(index.row())

    def select_purpose(self, purpose_id: int) -> None:
        for n, row in enumerate(self.model.rows()):
            if row.id == purpose_id:
                self.table.selectRow(n)
                self._show_details()
                return

    def _show_details(self) -> None:
        row = self._selected()
        self.edit_button.setEnabled(row is not None and row.retired_on is None)
        self.retire_button.setEnabled(row is not None and row.retired_on is None)
        if row is None:
            self.details.setText("")
            self.versions.setText("")
            return
        self.details.setText(row.text)
        parts = [self.tr("versie {n} sinds {day}").format(n=n, day=format_dutch_date(since))
                 for n, since in row.versions]
        self.versions.setText(self.tr("Versies: {list}.").format(list="; ".join(parts)))

    def save_new(self, value: PurposeInput) -> int:
        with self.vault.session() as session:
            purpose = add_school_purpose(session, self.user, title=value.title,
                                         text=value.text, is_image=value.is_image,
                                         clock=self.clock)
            session.flush()
            new_id = purpose.id
        self.changed = True
        self.reload(new_id)
        return new_id

    def save_text(self, purpose_id: int, value: PurposeInput) -> None:
        with self.vault.session() as session:
            edit_purpose_text(session, self.user, purpose_id, title=value.title,
                              text=value.text, clock=self.clock)
        self.changed = True
        self.reload(purpose_id)

    def add(self) -> None:
        PurposeTextDialog.ask(self, self.save_new)

    def edit(self) -> None:
        row = self._selected()
        if row is None or row.retired_on is not None:
            return
        PurposeTextDialog.ask(self, lambda value: self.save_text(row.id, value), current=row)

    def retire(self) -> None:
        row = self._selected()
        if row is None or row.retired_on is not None:
            return
        if not widgets.confirm(
                self, self.tr("Buiten gebruik stellen"),
                self.tr("'{title}' buiten gebruik stellen?\n\nDit doel komt dan niet meer op "
                        "het formulier en er kunnen geen nieuwe keuzes voor worden vastgelegd. "
                        "De keuzes die al zijn vastgelegd, blijven bewaard in de geschiedenis. "
                        "Dit kan niet ongedaan worden gemaakt.").format(title=row.title),
                yes=self.tr("Buiten gebruik stellen"), danger=True):
            return
        try:
            with self.vault.session() as session:
                retire_purpose(session, self.user, row.id, clock=self.clock)
        except RegisterError as error:
            widgets.warn(self, self.tr("Buiten gebruik stellen"), str(error))
            return
        self.changed = True
        self.reload(row.id)

    # --- school year -----------------------------------------------------------------------

    def _load_rhythm(self) -> None:
        with self.vault.session() as session:
            rhythm = year_rhythm(session, local_today(self.clock))
        self.yearly.blockSignals(True)
        self.yearly.setChecked(rhythm.ask_each_year)
        self.yearly.blockSignals(False)
        if rhythm.closing is not None:
            self.closing.setText(f"{rhythm.closing.day:02d}-{rhythm.closing.month:02d}")
        self._saved = (rhythm.ask_each_year, self.closing.text())

    def parse_closing(self) -> tuple[int, int] | None:
        """'1-10' or '01-10' → (10, 1) as (month, day); '' → None (db.consents' rule)."""
        return parse_closing_date(self.closing.text())

    def save_rhythm(self) -> bool:
        """Save the Schooljaar part when it changed; False (and a red line) when invalid."""
        self.closing_error.clear()
        if (self.yearly.isChecked(), self.closing.text()) == self._saved:
            return True
        try:
            closing = self.parse_closing()
            with self.vault.session() as session:
                set_year_rhythm(session, self.user, ask_each_year=self.yearly.isChecked(),
                                closing_month_day=closing)
        except ValidationError as error:
            self.closing_error.show_message(str(error))
            self.saved_label.hide()
            return False
        if closing is not None:
            self.closing.setText(f"{closing[1]:02d}-{closing[0]:02d}")
        self._saved = (self.yearly.isChecked(), self.closing.text())
        self.changed = True
        self.saved_label.setText(self.tr("Opgeslagen."))
        self.saved_label.show()
        return True

    def reject(self) -> None:
        """Sluiten: a typed closing date that was not yet saved is saved first."""
        if not self.save_rhythm():
            self.closing.setFocus()
            return
        super().reject()

