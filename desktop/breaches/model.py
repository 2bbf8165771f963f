"""The breach register as a table: plain BreachRow values, the 72-hour clock in colour."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from db.breaches import RISK_LABELS, STATUS_LABELS, BreachRow, local

OVERDUE_BACKGROUND = QColor("#fde2e0")
OVERDUE_TEXT = QColor("#a61b1b")
SOON_BACKGROUND = QColor("#fff4d6")
DEADLINE_COLUMN = 6


class BreachTableModel(QAbstractTableModel):
    def __init__(self, now: datetime, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self._rows: list[BreachRow] = []
        self._now = now
        self.COLUMNS = (self.tr("Kenmerk"), self.tr("Ontdekt"), self.tr("Wat is er gebeurd"),
                        self.tr("Betrokkenen"), self.tr("Risico"), self.tr("Status"),
                        self.tr("72-uurstermijn"))

    def set_rows(self, rows: list[BreachRow], now: datetime) -> None:
        self.beginResetModel()
        self._rows, self._now = rows, now
        self.endResetModel()

    def set_now(self, now: datetime) -> None:
        """The countdown moved on: only the deadline column changes."""
        self._now = now
        if self._rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._rows) - 1, len(self.COLUMNS) - 1))

    def row_at(self, row: int) -> BreachRow:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.COLUMNS)):
            return self.COLUMNS[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(row, index.column())
        status = row.deadline(self._now)
        open_and_running = status.applies and not status.done
        if role == Qt.ItemDataRole.BackgroundRole:
            if status.overdue:
                return QBrush(OVERDUE_BACKGROUND)
            if open_and_running and status.remaining < timedelta(hours=24):
                return QBrush(SOON_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and status.overdue:
            return QBrush(OVERDUE_TEXT)
        return None

    def _text(self, row: BreachRow, column: int) -> str:
        if column == 0:
            return row.reference
        if column == 1:
            return local(row.discovered_at)
        if column == 2:
            return row.description.splitlines()[0] if row.description else ""
        if column == 3:
            return row.affected
        if column == 4:
            return RISK_LABELS.get(row.risk, "nog niet beoordeeld")
        if column == 5:
            return STATUS_LABELS.get(row.status, row.status)
        return row.deadline(self._now).label

