"""Tables of plain rows: a colour per row (red, amber, grey) so a late request or an expired
agreement stands out; the text of the row always says it too."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor

from desktop.kit.widgets import RowsModel

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
