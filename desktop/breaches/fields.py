"""A date-and-time field for moments in Amsterdam time: 'dd-mm-jjjj uu:mm'."""

from __future__ import annotations

from datetime import datetime, time

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLineEdit, QWidget

from db.clock import SCHOOL_TZ
from db.text import parse_dutch_date


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
        self.setText(value.astimezone(SCHOOL_TZ).strftime("%d-%m-%Y %H:%M") if value else "")

    def value(self) -> datetime | None:
        """The moment (aware), None when empty; ValueError with a Dutch message otherwise."""
        text = self.text().strip()
        if not text:
            return None
        day_text, _, time_text = text.partition(" ")
        day = parse_dutch_date(day_text)
        moment = time(0, 0)
        if time_text.strip():
            try:
                hours, minutes = (int(part) for part in time_text.strip().split(":"))
                moment = time(hours, minutes)
            except ValueError:
                raise ValueError(_tr("'{text}' is geen tijd (verwacht uu:mm).")
                                 .format(text=time_text.strip())) from None
        return datetime.combine(day, moment, SCHOOL_TZ)
