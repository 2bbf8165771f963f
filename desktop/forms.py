"""Small building blocks the dialogs share: a field with its error line, headings, hints."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

ERROR_COLOUR = "#b3261e"  # 6.0:1 on white: readable, and the text itself says what is wrong
HINT_COLOUR = "#555555"


class FieldError(QLabel):
    """The red line under a field that says what is wrong with it. Hidden while empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.hide()

    def show_message(self, message: str) -> None:
        self.setText(message)
        self.setVisible(bool(message))

    def clear(self) -> None:
        """Empty and hide (QLabel.clear only empties)."""
        super().clear()
        self.hide()


class Field(QWidget):
    """An input widget with its FieldError underneath, for one row of a QFormLayout."""

    def __init__(self, widget: QWidget, parent: QWidget | None = None,
                 extra: QWidget | None = None) -> None:
        super().__init__(parent)
        self.widget = widget
        self.error = FieldError(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        if extra is None:
            layout.addWidget(widget)
        else:
            layout.addWidget(extra)  # e.g. the line edit and a Bladeren… button in a row
        layout.addWidget(self.error)
        self.setFocusProxy(widget)


def heading(text: str, *, size_delta: int = 2) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setBold(True)
    font.setPointSize(font.pointSize() + size_delta)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def hint(text: str) -> QLabel:
    """A wrapped explanatory paragraph in a quieter colour."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {HINT_COLOUR};")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
