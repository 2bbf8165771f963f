"""Pieces the accountability areas share (verzoeken, leveranciers, bewaartermijnen, beheer).

- ToneRowsModel: desktop.widgets.RowsModel plus a colour per row (red, amber, grey), so a late
  request or an expired agreement stands out; the text of the row always says it too.
- FormErrors: the red line under each field of a dialog, addressed by ValidationError.field.
- choose_save_path / show_saved / open_folder: the file dialog and the "Klaar" message.
  Tests monkeypatch QFileDialog.getSaveFileName and ``show_saved``; nothing calls exec() then.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QSize, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from db.clock import SCHOOL_TZ
from db.errors import RegisterError, ValidationError
from desktop.forms import Field, FieldError, heading, hint
from desktop.widgets import DateEdit, RowsModel

RED_BACKGROUND, RED_TEXT = QColor("#fde4e2"), QColor("#8c1d18")
AMBER_BACKGROUND, AMBER_TEXT = QColor("#fff1c7"), QColor("#5c4300")
GREY_TEXT = QColor("#6b6b6b")
OK_COLOUR = "#1b5e20"

TONES = {"red": (RED_BACKGROUND, RED_TEXT), "amber": (AMBER_BACKGROUND, AMBER_TEXT),
         "grey": (None, GREY_TEXT)}


def _tr(text: str) -> str:
    return QCoreApplication.translate("accountability", text)


def local_time(moment: datetime | None) -> str:
    """dd-mm-jjjj uu:mm at the school (Europe/Amsterdam); '' for None."""
    return moment.astimezone(SCHOOL_TZ).strftime("%d-%m-%Y %H:%M") if moment else ""


class ToneRowsModel(RowsModel):
    """Plain rows in; ``tone(row)`` returns 'red', 'amber', 'grey' or None for the colours."""

    def __init__(self, columns: Sequence[tuple[str, Callable[[Any], object]]],
                 rows: Sequence[Any] = (), *, tone: Callable[[Any], str | None] | None = None,
                 parent=None) -> None:  # noqa: ANN001
        super().__init__(columns, rows, parent)
        self._tone = tone

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            if self._tone is None or not index.isValid() \
                    or not 0 <= index.row() < self.rowCount():
                return None
            colours = TONES.get(self._tone(self.row_at(index.row())) or "")
            if colours is None:
                return None
            return colours[0] if role == Qt.ItemDataRole.BackgroundRole else colours[1]
        return super().data(index, role)


class FormErrors:
    """Fields of one dialog by name, each with its error line; ``show(error)`` puts a
    ValidationError under the field it names (or in the general line at the bottom)."""

    def __init__(self) -> None:
        self.fields: dict[str, Field] = {}
        self.general = FieldError()

    def add(self, form: QFormLayout, name: str, label: str, widget: QWidget,
            extra: QWidget | None = None) -> Field:
        field = Field(widget, extra=extra)
        # the error line under a narrow field (a date, a number) gets the row's whole width
        field.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        caption = QLabel(label)
        caption.setBuddy(widget)
        form.addRow(caption, field)
        self.fields[name] = field
        return field

    def alias(self, name: str, existing: str) -> None:
        """Let errors for ``name`` appear under the field ``existing``."""
        self.fields[name] = self.fields[existing]

    def clear(self) -> None:
        for field in self.fields.values():
            field.error.clear()
        self.general.clear()

    def show(self, error: RegisterError | str, field: str | None = None) -> None:
        message = str(error)
        name = field or (error.field if isinstance(error, ValidationError) else None)
        target = self.fields.get(name or "")
        if target is None:
            self.general.show_message(message)
            return
        target.error.show_message(message)
        target.widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def message(self, name: str) -> str:
        """The message shown at a field ('' when none): for tests and screen readers."""
        field = self.fields.get(name)
        error = field.error if field is not None else self.general
        return error.text() if not error.isHidden() else ""


def date_of(edit: DateEdit, field: str, label: str, *, required: bool = True):  # noqa: ANN201
    """The date typed in ``edit``; a ValidationError at ``field`` when it is missing or wrong."""
    try:
        value = edit.date_value()
    except ValueError as error:
        raise ValidationError(_tr("{label} klopt niet: {reason}.").format(
            label=label, reason=error), field=field) from None
    if value is None and required:
        raise ValidationError(_tr("Vul {label} in (dd-mm-jjjj).").format(
            label=label.lower()), field=field)
    return value


def text_box(lines: int = 4, *, minimum_width: int = 420) -> QPlainTextEdit:
    """A multi-line text field where Tab moves on (keyboard users never get stuck in it)."""
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 16)
    box.setMinimumWidth(minimum_width)
    return box


class FormDialog(QDialog):
    """A dialog of labelled fields that saves on OK and stays open on a ValidationError.

    Subclasses add rows with ``self.errors.add(self.form, name, label, widget)`` and implement
    ``save()``; it raises RegisterError (shown at the field it names) or returns normally.
    Tests fill the widgets and call ``accept()``; ``ask()`` is the only place that exec()s.
    """

    def __init__(self, parent: QWidget | None, title: str, *, ok_text: str,
                 intro: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.errors = FormErrors()
        self.form = QFormLayout()
        self.form.setVerticalSpacing(10)
        self.form.setHorizontalSpacing(16)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(_tr("Annuleren"),
                                                    QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(24, 20, 24, 16)
        self.layout_.setSpacing(12)
        self.layout_.addWidget(heading(title))
        if intro:
            self.layout_.addWidget(hint(intro))
        self.layout_.addLayout(self.form)
        self.layout_.addWidget(self.errors.general)
        self.layout_.addStretch(1)
        self.layout_.addWidget(self.buttons)
        self.preferred_width = 560  # at least this wide; wider when the fields need it

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        width = max(hint.width(), self.preferred_width)
        layout = self.layout()
        height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() \
            else hint.height()
        return QSize(width, max(height, hint.height()))

    @classmethod
    def ask(cls, *args: Any, **kwargs: Any) -> bool:
        """Show the dialog; True when it saved."""
        dialog = cls(*args, **kwargs)
        return dialog.exec() == QDialog.DialogCode.Accepted

    def accept(self) -> None:
        self.errors.clear()
        try:
            self.save()
        except RegisterError as error:
            self.errors.show(error)
            return
        super().accept()


# --- files ---------------------------------------------------------------------------------

def safe_file_name(text: str) -> str:
    bad = '<>:"/\\|?*'
    cleaned = "".join("-" if ch in bad else ch for ch in text)
    return " ".join(cleaned.split()).strip(" .") or "export"


def choose_save_path(parent: QWidget | None, title: str, suggested_name: str, *,
                     suffix: str = ".pdf", filter_text: str | None = None) -> Path | None:
    """Ask where to save; None when cancelled. Adds the suffix when the user left it out."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    name = safe_file_name(suggested_name) + suffix
    start = str(Path(folder) / name) if folder else name
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, title, start, filter_text or _tr("PDF-bestanden (*.pdf)"))
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)


def open_path(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def open_folder(path: Path) -> None:
    open_path(path if path.is_dir() else path.parent)


def show_saved(parent: QWidget | None, title: str, text: str, path: Path) -> None:
    """'Klaar' with buttons to open the file or its folder (monkeypatched in tests)."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text,
                      QMessageBox.StandardButton.NoButton, parent)
    open_button = box.addButton(_tr("Bestand openen"), QMessageBox.ButtonRole.AcceptRole)
    folder_button = box.addButton(_tr("Map openen"), QMessageBox.ButtonRole.ActionRole)
    close_button = box.addButton(_tr("Sluiten"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(open_button)
    box.setEscapeButton(close_button)
    box.exec()
    if box.clickedButton() is open_button:
        open_path(path)
    elif box.clickedButton() is folder_button:
        open_folder(path)


def failure_reason(error: BaseException) -> str:
    """A Dutch reason for a failed write; never the raw (English) text of an OSError."""
    if isinstance(error, RegisterError):
        return str(error)
    if isinstance(error, PermissionError):
        return _tr("Windows geeft geen toegang tot dit bestand of deze map. Is het bestand "
                   "nog geopend in een ander programma?")
    if isinstance(error, FileNotFoundError):
        return _tr("De gekozen map bestaat niet (meer).")
    if isinstance(error, OSError):
        return _tr("Het bestand kon niet worden geschreven. Is de schijf vol?")
    return _tr("Er ging iets onverwachts mis ({kind}).").format(kind=type(error).__name__)


def delete_after_backup(parent: QWidget, vault, user, title: str,  # noqa: ANN001 - db types
                        work: Callable[[Any], Any]) -> tuple[Path, Any] | None:
    """Make a backup, then run ``work(session)`` in one transaction. Returns (backup, result),
    or None after telling the user (in Dutch) that nothing was deleted and why."""
    from desktop import widgets

    backup: Path | None = None
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        backup = vault.backup(user, reason="voor verwijderen")
        with vault.session() as session:
            result = work(session)
    except (RegisterError, OSError) as error:
        failure: BaseException | None = error
    else:
        failure = None
    finally:
        QApplication.restoreOverrideCursor()
    if failure is not None:
        reason = failure_reason(failure)
        widgets.warn(parent, title, _tr(
            "De reservekopie kon niet worden gemaakt, dus er is niets verwijderd. {reason}")
            .format(reason=reason) if backup is None
            else _tr("Er is niets verwijderd: {reason}").format(reason=reason))
        return None
    return backup, result
