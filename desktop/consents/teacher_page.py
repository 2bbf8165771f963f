"""Niet op de foto: for a teacher (leerkracht), per image purpose the pupils of a group who may
NOT be photographed or shown. Names only — no history, no special-category data, no editing.
Everything comes from db.consent_sheets.photo_lists (Permission.READ_GROUP_PHOTO_LIST).

The consent area shows this page to a user who may not read the register
(ConsentsPage.create); it is not an area of its own.
"""

from __future__ import annotations

import html
from datetime import date
from typing import NamedTuple

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from db.clock import local_today
from db.consent_sheets import PhotoList, photo_lists
from db.errors import RegisterError
from db.permissions import Permission
from db.pupils import group_names
from db.text import format_dutch_date
from desktop.consents.page import print_photo_lists
from desktop.kit.forms import hint
from desktop.kit.labels import GIVEN_COLOUR, REFUSED_COLOUR
from desktop.kit.page import Action, RegisterPage
from desktop.kit.tasks import Task

NAME_COLUMNS = 3

SECTION_STYLE = """
QFrame#section {
    background: palette(base);
    border: 1px solid palette(mid);
    border-radius: 8px;
}
"""


def _tr(text: str) -> str:
    return QCoreApplication.translate("TeacherView", text)


class PhotoListData(NamedTuple):
    groups: list[str]
    group: str | None
    photo_list: PhotoList | None
    message: str  # why there is no list ('' when there is one)
    today: date


class PhotoListPage(RegisterPage):
    """Read-only 'Niet op de foto' for one group at a time (default: the teacher's own)."""

    KEY, TITLE = "consents", QT_TRANSLATE_NOOP("Areas", "Niet op de foto")
    PERMISSION = Permission.READ_GROUP_PHOTO_LIST
    TR_CONTEXT = "TeacherView"

    def build(self) -> QWidget:
        self.current_list: PhotoList | None = None
        self.group_combo = QComboBox()
        self.group_combo.setMinimumWidth(140)
        self.group_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.group_combo.setAccessibleName(_tr("Groep"))
        self.add_filter(self.group_combo, _tr("&Groep"))
        self.explanation = hint("")

        self.content = QWidget()
        self.content.setStyleSheet(SECTION_STYLE)
        self.sections = QVBoxLayout(self.content)
        self.sections.setContentsMargins(0, 0, 8, 0)
        self.sections.setSpacing(14)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.content)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # arrows and Page Down scroll

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self.explanation)
        layout.addWidget(self.scroll, 1)
        self.group_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        return body

    def actions(self) -> list[Action]:
        return [Action(_tr("Lijst &afdrukken…"), self.print_list, primary=True, name="print",
                       tooltip=_tr("De lijst van deze groep als PDF, om op te hangen of mee "
                                   "te geven aan de schoolfotograaf"))]

    @property
    def print_button(self):  # noqa: ANN201 - QPushButton
        return self.buttons["print"]

    def load(self, session: Session) -> PhotoListData:
        today = local_today(self.clock)
        groups = group_names(session, self.user)
        chosen = self.group_combo.currentData() or self.user.group_name
        group = chosen if chosen in groups else (groups[0] if groups else None)
        if group is None:
            return PhotoListData(groups, None, None,
                                 _tr("Er staan nog geen groepen in het register."), today)
        try:
            lists = photo_lists(session, self.user, today=today, group=group)
        except RegisterError as error:
            return PhotoListData(groups, group, None, str(error), today)
        return PhotoListData(groups, group, lists[0] if lists else None, "", today)

    def show_rows(self, data: PhotoListData) -> None:
        self.group_combo.blockSignals(True)
        self.group_combo.clear()
        for name in data.groups:
            self.group_combo.addItem(_tr("Groep {name}").format(name=name), name)
        self.group_combo.setCurrentIndex(max(0, self.group_combo.findData(data.group)))
        self.group_combo.blockSignals(False)
        self.current_list = data.photo_list
        self.title_label.setText(_tr("Niet op de foto — groep {name}").format(name=data.group)
                                 if data.group else _tr("Niet op de foto"))
        self.explanation.setText(_tr(
            "Van deze leerlingen hebben de ouders (nog) geen toestemming gegeven. Zonder "
            "toestemming geldt: niet op de foto. Stand van {day}; de administratie houdt de "
            "keuzes bij.").format(day=format_dutch_date(data.today)))
        self.print_button.setEnabled(self.current_list is not None)
        self._show(self.current_list, data.message)
        if self.current_list is not None:
            self.set_count(_tr("{n} leerlingen in groep {name}").format(
                n=self.current_list.pupils_in_group, name=data.group))
        else:
            self.set_count("")

    def current_group(self) -> str | None:
        return self.group_combo.currentData()

    def _clear(self) -> None:
        while self.sections.count():
            item = self.sections.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()

    def _show(self, photo_list: PhotoList | None, message: str) -> None:
        self._clear()
        if photo_list is None:
            label = QLabel(message)
            label.setWordWrap(True)
            label.setStyleSheet("color: #555555; padding: 24px;")
            self.sections.addWidget(label)
            self.sections.addStretch(1)
            return
        for title, names in photo_list.by_purpose:
            self.sections.addWidget(self._section(title, names, photo_list.pupils_in_group))
        self.sections.addStretch(1)

    def _section(self, title: str, names: tuple[str, ...], in_group: int) -> QFrame:
        frame = QFrame()
        frame.setObjectName("section")
        box = QVBoxLayout(frame)
        box.setContentsMargins(18, 14, 18, 16)
        box.setSpacing(10)
        head = QHBoxLayout()
        title_label = QLabel(title)
        font = QFont(title_label.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() + 2)
        title_label.setFont(font)
        title_label.setWordWrap(True)
        head.addWidget(title_label, 1)
        count = QLabel(_tr("{n} van {total} zonder toestemming").format(
            n=len(names), total=in_group))
        count.setStyleSheet("color: #555555;")
        head.addWidget(count)
        box.addLayout(head)
        if not names:
            everyone = QLabel(_tr("✓ Iedereen in deze groep heeft toestemming."))
            everyone.setStyleSheet(f"color: {GIVEN_COLOUR};")
            everyone_font = QFont(everyone.font())
            everyone_font.setPointSizeF(everyone_font.pointSizeF() + 2)
            everyone.setFont(everyone_font)
            box.addWidget(everyone)
            return frame
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(6)
        rows = -(-len(names) // NAME_COLUMNS)
        name_font = QFont(title_label.font())
        name_font.setBold(False)
        name_font.setPointSizeF(title_label.font().pointSizeF() + 2)
        for n, name in enumerate(names):
            column, row = divmod(n, rows)
            label = QLabel(f"<span style='color:{REFUSED_COLOUR}'>✗</span>&nbsp;"
                           f"{html.escape(name)}")
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setFont(name_font)
            label.setAccessibleName(_tr("{name}: niet op de foto").format(name=name))
            grid.addWidget(label, row, column)
        for column in range(NAME_COLUMNS):
            grid.setColumnStretch(column, 1)
        box.addLayout(grid)
        return frame

    def shown_names(self) -> dict[str, list[str]]:
        """purpose title → names shown (for tests and screen readers)."""
        if self.current_list is None:
            return {}
        return {title: list(names) for title, names in self.current_list.by_purpose}

    def print_list(self, *, blocking: bool = False) -> Task | None:
        group = self.current_group()
        if self.current_list is None or group is None:
            return None
        return print_photo_lists(self, group, _tr("Niet op de foto groep {group}").format(
            group=group), blocking=blocking)
