"""A date-and-time field for moments at the school (Amsterdam time): 'dd-mm-jjjj uu:mm'."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLineEdit, QWidget

from db.clock import format_school_moment, parse_school_moment


def _tr(text: str) -> str:
    return QCoreApplication.translate("DateTimeEdit", text)


class DateTimeEdit(QLineEdit):
    """Typed as '24-11-2026 09:15' (the time may be left out: 00:00). Empty = None."""

    def __init__(self, value: datetime | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(_tr("dd-mm-jjjj uu:mm"))
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("onbekend (leeg laten)") + 24)
        self.setMaximumWidth(self.fontMetrics().horizontalAdvance("onbekend (leeg laten)") + 40)
        self.set_value(value)

    def set_value(self, value: datetime | None) -> None:
        self.setText(format_school_moment(value))

    def value(self) -> datetime | None:
        """The moment (aware, UTC), None when empty; ValueError with a Dutch message."""
        return parse_school_moment(self.text())
