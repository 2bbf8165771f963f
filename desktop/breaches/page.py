"""Datalekken: the register of breaches with the 72-hour countdown, filters, registering and
opening a breach, printing the register; for those who handle breaches also the
(confidential) vulnerability reports.

Reading needs READ_REGISTER; registering RECORD_BREACH; signing off SIGN_OFF_BREACH. The
rules (the 72 hours, the urgency colours, the year at the school) live in db.breaches.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from db.breaches import (
    BreachRegister,
    BreachRow,
    DeadlineStatus,
    breach_rows,
    breach_years,
    gather_breach_register,
)
from db.clock import format_school_moment, local_today
from db.overview import Level, breach_level
from db.permissions import Permission, may
from db.schema import BreachStatus, Risk
from db.text import format_dutch_date
from desktop.breaches.detail import BreachDetail, deadline_sentence, deadline_short
from desktop.breaches.dialog import BreachDialog
from desktop.breaches.reports import VulnerabilityReportsView
from desktop.kit.forms import FieldError, heading
from desktop.kit.labels import URGENCY_TONES, label
from desktop.kit.page import Action, AreaContext, Attention, RegisterPage, register_page
from desktop.kit.screen import fit_to_screen
from desktop.kit.table import Column, RowsTable
from desktop.kit.tasks import Task, export
from desktop.kit.widgets import DateEdit, plural

DESCRIPTION_COLUMN, DEADLINE_COLUMN = 2, 6


def _tr(text: str) -> str:
    return QCoreApplication.translate("breaches", text)


class BreachLine(NamedTuple):
    """One row of the register and its 72-hour state at the moment it was shown."""

    row: BreachRow
    deadline: DeadlineStatus
    urgency: str | None  # db: BreachRow.urgency — 'late', 'soon' or None

    @property
    def summary(self) -> str:
        return self.row.description.splitlines()[0] if self.row.description else ""


def lines_at(rows: list[BreachRow], now: datetime) -> list[BreachLine]:
    return [BreachLine(row, row.deadline(now), row.urgency(now)) for row in rows]


class BreachesPage(RegisterPage):
    KEY, TITLE = "breaches", QT_TRANSLATE_NOOP("Areas", "Datalekken")
    PERMISSION = Permission.READ_REGISTER
    TR_CONTEXT = "breaches"
    HINT = QT_TRANSLATE_NOOP("breaches", "Leg elk datalek vast, ook als het niet gemeld hoeft "
                             "te worden. Rood: de 72 uur om te melden bij de Autoriteit "
                             "Persoonsgegevens zijn voorbij. Oranje: nog minder dan een dag.")
    LOCKED_TEXT = QT_TRANSLATE_NOOP("breaches", "U mag de datalekken niet inzien met uw rol. "
                                    "Vraag de beheerder of de directie als u dit voor uw werk "
                                    "nodig hebt.")

    def build(self) -> QWidget:
        self._rows: list[BreachRow] = []
        self.year = QComboBox()
        self.year.addItem(_tr("Alle jaren"), None)
        self.status = QComboBox()
        self.status.addItem(_tr("Alle statussen"), None)
        for status in BreachStatus:
            self.status.addItem(label(status), status.value)
        self.overdue = QCheckBox(_tr("Alleen &verlopen termijn"))
        self.add_filter(self.year, _tr("&Jaar"))
        self.add_filter(self.status, _tr("&Status"))
        self.add_filter(self.overdue)
        for combo in (self.year, self.status):
            combo.currentIndexChanged.connect(self.refresh)
        self.overdue.toggled.connect(self.refresh)

        self.table = RowsTable([
            Column(_tr("Kenmerk"), lambda line: line.row.reference, 105),
            Column(_tr("Ontdekt"), lambda line: format_school_moment(line.row.discovered_at),
                   130),
            Column(_tr("Wat is er gebeurd"), lambda line: line.summary, 300),
            Column(_tr("Betrokkenen"), lambda line: line.row.affected, 100),
            Column(_tr("Risico"), lambda line: label(Risk(line.row.risk)) if line.row.risk
                   else _tr("nog niet beoordeeld"), 140),
            Column(_tr("Status"), lambda line: label(BreachStatus(line.row.status)), 130),
            Column(_tr("72-uurstermijn"), lambda line: deadline_short(line.deadline), 170,
                   tooltip=lambda line: deadline_sentence(line.deadline)),
        ], key=lambda line: line.row.id,
            tone=lambda line: URGENCY_TONES.get(line.urgency or ""),
            empty_text=_tr("Er zijn geen datalekken die aan de keuze voldoen. Registreer elk "
                           "datalek met ‘Datalek registreren…’, ook als het niet gemeld hoeft "
                           "te worden."),
            name=_tr("Datalekken"))
        header = self.table.view.horizontalHeader()
        header.setStretchLastSection(False)  # the description gives way, not the countdown
        header.setSectionResizeMode(DESCRIPTION_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.view.doubleClicked.connect(lambda _index: self.open_breach())
        enter = QShortcut(QKeySequence(Qt.Key.Key_Return), self.table.view, self.open_breach)
        enter.setContext(Qt.ShortcutContext.WidgetShortcut)
        self.table.selected.connect(self._on_selection)

        self.timer = QTimer(self)  # the countdown moves on while the page is open
        self.timer.setInterval(60_000)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

        self.reports: VulnerabilityReportsView | None = None
        if not may(self.user, Permission.RECORD_BREACH):
            return self.table
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, _tr("Datalekken"))
        self.reports = VulnerabilityReportsView(self.vault, self.user, self.clock)
        self.tabs.addTab(self.reports, _tr("Kwetsbaarheidsmeldingen"))
        self.tabs.currentChanged.connect(self._on_tab)
        return self.tabs

    def load(self, session: Session) -> tuple[list[int], list[BreachRow]]:
        return breach_years(session, self.user), breach_rows(
            session, self.user, year=self.year.currentData(),
            status=self.status.currentData(),
            overdue_at=self.clock() if self.overdue.isChecked() else None)

    def show_rows(self, data: tuple[list[int], list[BreachRow]]) -> None:
        years, rows = data
        chosen = self.year.currentData()
        self.year.blockSignals(True)
        while self.year.count() > 1:
            self.year.removeItem(1)
        for year in years:
            self.year.addItem(str(year), year)
        self.year.setCurrentIndex(max(0, self.year.findData(chosen)))
        self.year.blockSignals(False)
        self._rows = rows
        self._show_lines()
        if self.reports is not None:
            self.reports.refresh()

    def _show_lines(self) -> None:
        lines = lines_at(self._rows, self.clock())
        self.table.set_rows(lines)
        late = sum(1 for line in lines if line.urgency == "late")
        text = plural(len(lines), _tr("1 datalek"), _tr("%1 datalekken"))
        if late:
            text += " · " + plural(late, _tr("1 met verlopen termijn"),
                                   _tr("%1 met verlopen termijn"))
        self.set_count(text)

    def _tick(self) -> None:
        if self._rows:
            self._show_lines()

    def actions(self) -> list[Action]:
        return [Action(_tr("Datalek &registreren…"), self.register, Permission.RECORD_BREACH,
                       primary=True, name="register",
                       tooltip=_tr("Een nieuw datalek vastleggen (Ctrl+N)"),
                       shortcut=QKeySequence.StandardKey.New),
                Action(_tr("&Openen"), self.open_breach, name="open",
                       tooltip=_tr("Het gekozen datalek openen (Enter)")),
                Action(_tr("Register &afdrukken…"), self.print_register, name="print",
                       tooltip=_tr("Het register van een periode als PDF, voor het bestuur, de "
                                   "FG of de Autoriteit Persoonsgegevens"))]

    @classmethod
    def attention(cls, context: AreaContext, session: Session) -> list[Attention]:
        """Breaches whose 72 hours have run out, and those still running."""
        if not cls.may_open(context.user):
            return []
        now = context.clock()
        items = []
        for row in breach_rows(session, context.user):
            status = row.deadline(now)
            level = breach_level(status) if row.is_open else None
            if level is Level.LATE:
                items.append(Attention(
                    text=_tr("Datalek {ref}: de 72-uurstermijn is verstreken zonder melding "
                             "bij de AP.").format(ref=row.reference),
                    area=cls.KEY, level=level.value, target=row.id))
            elif level is not None:
                items.append(Attention(
                    text=_tr("Datalek {ref}: nog {hours} uur om te melden.").format(
                        ref=row.reference, hours=status.hours),
                    area=cls.KEY, level=level.value, target=row.id))
        return items

    # --- the chosen breach -------------------------------------------------------------

    def current(self) -> BreachLine | None:
        return self.table.current()

    def _on_selection(self, line: BreachLine | None) -> None:
        self.buttons["open"].setEnabled(line is not None)

    def _on_tab(self, index: int) -> None:
        on_breaches = index == 0
        for widget in (self.year, self.status, self.overdue):
            widget.setEnabled(on_breaches)
        for name in ("open", "print"):
            self.buttons[name].setVisible(on_breaches)
        self.count_label.setVisible(on_breaches)

    # --- actions -----------------------------------------------------------------------

    def register(self) -> int | None:
        if not may(self.user, Permission.RECORD_BREACH):
            return None
        breach_id = BreachDialog.ask(self, self.vault, self.user, clock=self.clock)
        if breach_id is None:
            return None
        self.refresh()
        self.table.choose(breach_id)
        self.changed.emit()
        BreachDetail.show_breach(self, self.vault, self.user, breach_id, clock=self.clock)
        self.refresh()
        return breach_id

    def open_breach(self) -> None:
        line = self.current()
        if line is None:
            return
        if BreachDetail.show_breach(self, self.vault, self.user, line.row.id,
                                    clock=self.clock):
            self.refresh()
            self.changed.emit()

    def print_register(self, *, period: tuple[date, date] | None = None,
                       blocking: bool = False) -> Task | None:
        """Register afdrukken…: a period, a file, then the PDF off the GUI thread."""
        from desktop.printing.breaches import breach_register_pdf

        if period is None:
            period = PeriodDialog.ask(self, local_today(self.clock))
            if period is None:
                return None
        first, last = period
        now, user = self.clock(), self.user

        def gather(session: Session) -> BreachRegister:
            return gather_breach_register(session, user, first, last, now)

        def write(path: Path, register: BreachRegister, progress) -> None:  # noqa: ANN001
            breach_register_pdf(path, register.school_name, register.rows,
                                period=register.period, now=register.now,
                                chain_head=register.chain_head,
                                progress=lambda done: progress(done, len(register.rows)))

        return export(self, self.vault, title=_tr("Register afdrukken"),
                      suggested_name=_tr("Register datalekken {first} tot en met {last}")
                      .format(first=format_dutch_date(first), last=format_dutch_date(last)),
                      gather=gather, write=write, blocking=blocking,
                      saved_text=_tr("Het register is opgeslagen:\n{path}\n\nHet bestand is "
                                     "niet versleuteld; bewaar het zorgvuldig."))


class PeriodDialog(QDialog):
    """A period from–to, refusing one that ends before it starts."""

    def __init__(self, parent: QWidget | None, today: date) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Register afdrukken"))
        self.start = DateEdit(date(today.year, 1, 1))
        self.end = DateEdit(today)
        self.error = FieldError()
        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("&Verder…"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Annuleren"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("&Van"), self.start)
        form.addRow(self.tr("&Tot en met"), self.end)
        form.addRow("", self.error)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(heading(self.tr("Welke periode?")))
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
        fit_to_screen(self)

    def value(self) -> tuple[date, date] | None:
        try:
            start, end = self.start.date_value(), self.end.date_value()
        except ValueError as error:
            self.error.show_message(str(error))
            return None
        if start is None or end is None:
            self.error.show_message(self.tr("Vul beide datums in."))
            return None
        if end < start:
            self.error.show_message(self.tr("De periode eindigt vóór ze begint."))
            return None
        return start, end

    def accept(self) -> None:
        if self.value() is not None:
            super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, today: date) -> tuple[date, date] | None:
        dialog = cls(parent, today)
        try:
            return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


register_page(BreachesPage)
