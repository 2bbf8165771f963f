"""Niet op de foto: for a teacher (leerkracht), per image purpose the pupils of a group who may
NOT be photographed or shown. Names only — no history, no special-category data, no editing.
Everything comes from db.consent_sheets.photo_lists (Permission.READ_GROUP_PHOTO_LIST).
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from db.clock import Clock, local_today, system_clock
from db.consent_sheets import PhotoList, photo_lists
from db.errors import RegisterError
from db.pupils import group_names
from db.schema import User
from db.school import get_school
from db.text import format_dutch_date
from db.vault import Vault
from desktop.consents.labels import GIVEN_COLOUR, REFUSED_COLOUR
from desktop.consents.printing import PrintJob, start_print
from desktop.kit.forms import heading, hint
from desktop.printing.photo_lists import photo_list_pdf

NAME_COLUMNS = 3

SECTION_STYLE = """
QFrame#section {
    background: palette(base);
    border: 1px solid palette(mid);
    border-radius: 8px;
}
"""


class TeacherView(QWidget):
    """Read-only 'Niet op de foto' for one group at a time (default: the teacher's own)."""

    def __init__(self, vault: Vault, user: User, clock: Clock = system_clock,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault, self.user, self.clock = vault, user, clock
        self.job: PrintJob | None = None
        self.current_list: PhotoList | None = None

        self.title = heading(self.tr("Niet op de foto"), size_delta=6)
        self.group_combo = QComboBox()
        self.group_combo.setMinimumWidth(140)
        self.group_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.group_combo.setAccessibleName(self.tr("Groep"))
        group_label = QLabel(self.tr("&Groep"))
        group_label.setBuddy(self.group_combo)
        self.print_button = QPushButton(self.tr("Lijst &afdrukken…"))
        self.print_button.setToolTip(self.tr("De lijst van deze groep als PDF, om op te hangen "
                                             "of mee te geven aan de schoolfotograaf"))
        self.print_button.clicked.connect(self.print_list)
        self.explanation = hint("")

        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(self.title, 1)
        top.addWidget(group_label)
        top.addWidget(self.group_combo)
        top.addSpacing(12)
        top.addWidget(self.print_button)

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

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 20, 28, 16)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(self.explanation)
        layout.addWidget(self.scroll, 1)

        self.group_combo.currentIndexChanged.connect(lambda _i: self.load_group())
        self.refresh()

    def refresh(self) -> None:
        chosen = self.group_combo.currentData() or self.user.group_name
        with self.vault.session() as session:
            groups = group_names(session, self.user)
        self.group_combo.blockSignals(True)
        self.group_combo.clear()
        for name in groups:
            self.group_combo.addItem(self.tr("Groep {name}").format(name=name), name)
        index = self.group_combo.findData(chosen) if chosen else 0
        self.group_combo.setCurrentIndex(max(0, index))
        self.group_combo.blockSignals(False)
        self.load_group()

    def current_group(self) -> str | None:
        return self.group_combo.currentData()

    def load_group(self) -> None:
        group = self.current_group()
        today = local_today(self.clock)
        self.current_list = None
        message = ""
        if group is None:
            message = self.tr("Er staan nog geen groepen in het register.")
        else:
            try:
                with self.vault.session() as session:
                    lists = photo_lists(session, self.user, today=today, group=group)
                self.current_list = lists[0] if lists else None
            except RegisterError as error:
                message = str(error)
        self.title.setText(self.tr("Niet op de foto — groep {name}").format(name=group)
                           if group else self.tr("Niet op de foto"))
        self.explanation.setText(self.tr(
            "Van deze leerlingen hebben de ouders (nog) geen toestemming gegeven. Zonder "
            "toestemming geldt: niet op de foto. Stand van {day}; de administratie houdt de "
            "keuzes bij.").format(day=format_dutch_date(today)))
        self.print_button.setEnabled(self.current_list is not None)
        self._show(self.current_list, message)

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
        count = QLabel(self.tr("{n} van {total} zonder toestemming").format(
            n=len(names), total=in_group))
        count.setStyleSheet("color: #555555;")
        head.addWidget(count)
        box.addLayout(head)
        if not names:
            everyone = QLabel(self.tr("✓ Iedereen in deze groep heeft toestemming."))
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
            label.setAccessibleName(self.tr("{name}: niet op de foto").format(name=name))
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

    def print_list(self) -> PrintJob | None:
        if self.current_list is None or (self.job is not None and self.job.is_running()):
            return None
        today = local_today(self.clock)
        lists = [self.current_list]
        with self.vault.session() as session:
            school = get_school(session)
            school_name = school.name if school else ""
        group = self.current_group()
        self.job = start_print(
            self, title=self.tr("Lijst afdrukken"), label=self.tr("Lijst maken…"),
            suggested_name=self.tr("Niet op de foto groep {group} {day}").format(
                group=group, day=today.isoformat()),
            total=1, writer=lambda path: lambda progress: photo_list_pdf(
                path, school_name, lists, printed_on=today, progress=progress))
        return self.job
