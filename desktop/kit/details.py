"""The details of the chosen row under a list: captions on the left, read-only values right."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QWidget

EMPTY = "—"


class DetailsBox(QGroupBox):
    """`DetailsBox(title, [(key, caption), ...])`; `show_values(title, {key: text})` fills it,
    `clear()` empties it again. Values are plain text and selectable (to copy a reference)."""

    def __init__(self, title: str, captions: Sequence[tuple[str, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.empty_title = title
        form = QFormLayout(self)
        form.setContentsMargins(12, 10, 12, 10)
        form.setVerticalSpacing(6)
        form.setHorizontalSpacing(16)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.labels: dict[str, QLabel] = {}
        for key, caption in captions:
            label = QLabel(EMPTY)
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.labels[key] = label
            form.addRow(QLabel(caption), label)

    def show_values(self, title: str, values: Mapping[str, str]) -> None:
        self.setTitle(title)
        for key, label in self.labels.items():
            label.setText(values.get(key) or EMPTY)

    def clear(self) -> None:
        self.show_values(self.empty_title, {})

    def value(self, key: str) -> str:
        return self.labels[key].text()
