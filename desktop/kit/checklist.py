"""A list of things to tick (purposes, suppliers, retention terms): each item carries its key;
``chosen()`` gives the ticked keys in list order, ``set_chosen()`` ticks exactly these keys and
``changed`` fires once per change (once for a whole ``set_chosen``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget


class CheckList(QListWidget):
    changed = Signal()

    def __init__(self, name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if name:
            self.setAccessibleName(name)
        self.setUniformItemSizes(True)
        self.setStyleSheet("QListWidget::item { padding: 3px 2px; }")
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)  # the tooltip has the whole text
        self._quiet = False
        self.itemChanged.connect(self._item_changed)

    def set_items(self, items: Sequence[tuple[object, str, str]]) -> None:
        """(key, text, tooltip) per item; none ticked."""
        self._quiet = True
        self.clear()
        for key, text, tooltip in items:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setToolTip(tooltip or text)
            self.addItem(item)
        self._quiet = False

    def keys(self) -> list[object]:
        return [self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())]

    def chosen(self) -> tuple:
        return tuple(self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())
                     if self.item(i).checkState() == Qt.CheckState.Checked)

    def set_chosen(self, keys: Iterable[object]) -> None:
        wanted = set(keys)
        before = self.chosen()
        self._quiet = True
        for i in range(self.count()):
            item = self.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole)
                               in wanted else Qt.CheckState.Unchecked)
        self._quiet = False
        if self.chosen() != before:
            self.changed.emit()

    def set_checked(self, key: object, checked: bool = True) -> None:
        """Tick (or untick) one item, as a click would."""
        for i in range(self.count()):
            if self.item(i).data(Qt.ItemDataRole.UserRole) == key:
                self.item(i).setCheckState(Qt.CheckState.Checked if checked
                                           else Qt.CheckState.Unchecked)

    def _item_changed(self, _item: QListWidgetItem) -> None:
        if not self._quiet:
            self.changed.emit()
