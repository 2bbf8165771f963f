"""Tables of plain rows: a colour per row (red, amber, grey) so a late request or an expired
agreement stands out; the text of the row always says it too."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QLabel, QStackedLayout, QTableView, QWidget

from desktop.kit.widgets import RowsModel, selected_row, setup_table

RED_BACKGROUND, RED_TEXT = QColor("#fde4e2"), QColor("#8c1d18")
AMBER_BACKGROUND, AMBER_TEXT = QColor("#fff1c7"), QColor("#5c4300")
GREY_TEXT = QColor("#6b6b6b")
OK_COLOUR = "#1b5e20"

TONES = {"red": (RED_BACKGROUND, RED_TEXT), "amber": (AMBER_BACKGROUND, AMBER_TEXT),
         "grey": (None, GREY_TEXT)}


class ToneRowsModel(RowsModel):
    """Plain rows in; ``tone(row)`` returns 'red', 'amber', 'grey' or None for the colours."""

    def __init__(self, columns: Sequence[tuple[str, Callable[[Any], object]]],
                 rows: Sequence[Any] = (), *, tone: Callable[[Any], str | None] | None = None,
                 parent=None,  # noqa: ANN001
                 tooltips: Sequence[Callable[[Any], str] | None] = ()) -> None:
        super().__init__(columns, rows, parent)
        self._tone = tone
        self._tooltips = list(tooltips)  # per column; None (or missing): the cell's text

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid() \
                and 0 <= index.row() < self.rowCount() \
                and index.column() < len(self._tooltips) \
                and self._tooltips[index.column()] is not None:
            return self._tooltips[index.column()](self.row_at(index.row()))
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            if self._tone is None or not index.isValid() \
                    or not 0 <= index.row() < self.rowCount():
                return None
            colours = TONES.get(self._tone(self.row_at(index.row())) or "")
            if colours is None:
                return None
            return colours[0] if role == Qt.ItemDataRole.BackgroundRole else colours[1]
        return super().data(index, role)


@dataclass(frozen=True)
class Column:
    """One column: its (translated) title, how to get the value from a row, its width."""

    title: str
    value: Callable[[Any], object]
    width: int | None = None  # fixed start width in pixels; None: stretch (the last one)
    tooltip: Callable[[Any], str] | None = None  # the cell's tooltip; None: its text


class RowsTable(QWidget):
    """A table of plain rows with fixed row heights, whole-row selection, a colour per row
    (`tone`), the text shown when there are no rows, and selection by a row's key."""

    selected = Signal(object)  # the chosen row, or None

    def __init__(self, columns: Sequence[Column], *, key: Callable[[Any], object],
                 tone: Callable[[Any], str | None] | None = None, empty_text: str = "",
                 name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._key = key
        self.model = ToneRowsModel([(c.title, c.value) for c in columns], [], tone=tone,
                                   parent=self, tooltips=[c.tooltip for c in columns])
        self.view = QTableView()
        self.view.setModel(self.model)
        setup_table(self.view)
        if name:
            self.view.setAccessibleName(name)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for number, column in enumerate(columns):
            if column.width is not None:
                header.resizeSection(number, column.width)
        header.setStretchLastSection(True)
        self.empty_label = QLabel(empty_text)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("color: #555555; padding: 24px;")
        self._stack = QStackedLayout(self)
        self._stack.setContentsMargins(0, 0, 0, 0)
        self._stack.addWidget(self.view)
        self._stack.addWidget(self.empty_label)
        self.view.selectionModel().selectionChanged.connect(
            lambda *_args: self.selected.emit(self.current()))

    def set_rows(self, rows: Sequence[Any], *, keep_selection: bool = True) -> None:
        chosen = self.current_key() if keep_selection else None
        self.model.set_rows(list(rows))
        self._stack.setCurrentWidget(self.view if rows or not self.empty_label.text()
                                     else self.empty_label)
        if chosen is not None:
            self.choose(chosen)
        self.selected.emit(self.current())

    def rows(self) -> list[Any]:
        return list(self.model.rows())

    def count(self) -> int:
        return self.model.rowCount()

    def current(self) -> Any:
        row = selected_row(self.view)
        return self.model.row_at(row) if row is not None else None

    def current_key(self) -> object:
        chosen = self.current()
        return self._key(chosen) if chosen is not None else None

    def row_of(self, key: object) -> int | None:
        return next((i for i, row in enumerate(self.model.rows()) if self._key(row) == key),
                    None)

    def choose(self, key: object) -> bool:
        """Select the row with this key (and scroll to it); False when it is not shown."""
        row = self.row_of(key)
        if row is not None:
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))
        return row is not None
