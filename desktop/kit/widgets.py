"""Small widgets and helpers the area views share.

- DateEdit: a line edit for dd-mm-jjjj dates (typing is faster than a calendar for the office).
- RowsModel: a read-only table model over a list of plain rows and column getters.
- setup_table: fixed row heights, whole-row selection, no editing — for every QTableView.
- confirm / inform / warn: message boxes with Dutch buttons. Tests monkeypatch these three,
  so nothing ever calls exec() in a test.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QTableView,
    QTreeView,
    QWidget,
)

from db.clock import SCHOOL_TZ
from db.text import format_dutch_date, parse_dutch_date


def _tr(text: str) -> str:
    return QCoreApplication.translate("widgets", text)


class DateEdit(QLineEdit):
    """A date typed as dd-mm-jjjj ('7-3-2015', '07.03.2015' and ISO are accepted too).

    ``date_value()`` returns the date or None when empty and raises ValueError with a Dutch
    message when the text is not a date. On leaving the field the text is written out in full.
    """

    def __init__(self, value: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(_tr("dd-mm-jjjj"))
        self.setMaxLength(20)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("00-00-00000") + 24)
        self.setMaximumWidth(self.fontMetrics().horizontalAdvance("00-00-0000") * 2 + 24)
        self.editingFinished.connect(self._tidy)
        self.set_date(value)

    def set_date(self, value: date | None) -> None:
        self.setText(format_dutch_date(value))

    def date_value(self) -> date | None:
        text = self.text().strip()
        if not text:
            return None
        return parse_dutch_date(text)

    def _tidy(self) -> None:
        try:
            value = self.date_value()
        except ValueError:
            return  # leave the text as typed; the dialog says what is wrong on saving
        if value is not None:
            self.setText(format_dutch_date(value))


class RowsModel(QAbstractTableModel):
    """Plain rows in, Qt roles out. ``columns`` is a sequence of (header, getter)."""

    def __init__(self, columns: Sequence[tuple[str, Callable[[Any], object]]],
                 rows: Sequence[Any] = (), parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self._columns = list(columns)
        self._rows = list(rows)

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def rows(self) -> list[Any]:
        return list(self._rows)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = self._columns[index.column()][1](self._rows[index.row()])
            if isinstance(value, date):
                return format_dutch_date(value)
            return "" if value is None else str(value)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self._columns)):
            return self._columns[section][0]
        return None


def setup_table(view: QTableView, *, stretch_column: int | None = None) -> None:
    """The house style of a read-only list: whole rows, fixed heights, no grid clutter."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)  # Tab leaves the table, arrows move inside it
    vertical = view.verticalHeader()
    vertical.setVisible(False)
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(view.fontMetrics().height() + 12)
    horizontal = view.horizontalHeader()
    horizontal.setHighlightSections(False)
    horizontal.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    horizontal.setMinimumSectionSize(60)
    if stretch_column is not None:
        horizontal.setStretchLastSection(False)
        horizontal.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    else:
        horizontal.setStretchLastSection(True)


def roomy_tree(tree: QTreeView) -> None:
    """A tree's rows as tall as a table's (Qt's default is cramped for the office's eyes)."""
    tree.setUniformRowHeights(True)
    tree.setAlternatingRowColors(True)
    tree.setStyleSheet("QTreeView::item { padding: 4px 2px; }")


def plural(count: int, one: str, many: str) -> str:
    """'1 leerling' or '3 leerlingen': ``many`` holds %1 for the number (20.000 style)."""
    if count == 1:
        return one
    return many.replace("%1", f"{count:,}".replace(",", "."))


def selected_row(view: QTableView) -> int | None:
    """The row of the current selection, or None."""
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    return rows[0].row() if rows else None


# --- message boxes (monkeypatched in tests) ------------------------------------------------

def confirm(parent: QWidget | None, title: str, text: str, *, yes: str, no: str | None = None,
            danger: bool = False) -> bool:
    """Ask a yes/no question with spelled-out buttons. The safe answer is the default."""
    box = QMessageBox(QMessageBox.Icon.Warning if danger else QMessageBox.Icon.Question,
                      title, text, QMessageBox.StandardButton.NoButton, parent)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    no_button = box.addButton(no or _tr("Annuleren"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no_button if danger else yes_button)
    box.setEscapeButton(no_button)
    try:
        box.exec()
        return box.clickedButton() is yes_button
    finally:
        box.deleteLater()


def inform(parent: QWidget | None, title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, text,
                      QMessageBox.StandardButton.NoButton, parent)
    box.addButton(_tr("OK"), QMessageBox.ButtonRole.AcceptRole)
    try:
        box.exec()
    finally:
        box.deleteLater()


def warn(parent: QWidget | None, title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text,
                      QMessageBox.StandardButton.NoButton, parent)
    box.addButton(_tr("OK"), QMessageBox.ButtonRole.AcceptRole)
    try:
        box.exec()
    finally:
        box.deleteLater()


def local_time(moment: datetime | None) -> str:
    """dd-mm-jjjj uu:mm at the school (Europe/Amsterdam); '' for None."""
    return moment.astimezone(SCHOOL_TZ).strftime("%d-%m-%Y %H:%M") if moment else ""
