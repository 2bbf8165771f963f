"""Datalekken: the register with its 72-hour countdown, filters, and printing the register."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.breaches import STATUS_LABELS, breach_rows
from db.clock import SCHOOL_TZ, Clock, local_today, system_clock
from db.permissions import Permission, may
from db.schema import BreachStatus, User
from db.school import get_school
from db.vault import Vault
from desktop.breaches.detail import BreachDetail
from desktop.breaches.dialog import BreachDialog
from desktop.breaches.model import DEADLINE_COLUMN, BreachTableModel
from desktop.kit import widgets
from desktop.kit.forms import FieldError
from desktop.kit.widgets import DateEdit, selected_row, setup_table


class BreachesView(QWidget):
    changed = Signal()

    def __init__(self, vault: Vault, user: User, clock: Clock = system_clock,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault, self.user, self.clock = vault, user, clock
        self.year = QComboBox()
        self.status = QComboBox()
        self.status.addItem(self.tr("Alle statussen"), None)
        for status in BreachStatus:
            self.status.addItem(STATUS_LABELS[status], status.value)
        self.overdue = QCheckBox(self.tr("Alleen &verlopen termijn"))
        self.model = BreachTableModel(clock(), self)
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_table(self.table, stretch_column=2)
        header = self.table.horizontalHeader()
        for column, width in ((0, 100), (1, 122), (3, 85), (4, 100), (5, 115),
                              (DEADLINE_COLUMN, 200)):
            header.resizeSection(column, width)
        self.table.doubleClicked.connect(lambda index: self.open_breach(index.row()))
        self.count = QLabel()
        self.new_button = QPushButton(self.tr("Datalek &registreren…"))
        self.new_button.clicked.connect(self.register)
        self.new_button.setVisible(may(user, Permission.RECORD_BREACH))
        self.open_button = QPushButton(self.tr("&Openen"))
        self.open_button.clicked.connect(lambda: self.open_breach(selected_row(self.table)))
        self.print_button = QPushButton(self.tr("Register &afdrukken…"))
        self.print_button.clicked.connect(self.print_register)

        bar = QHBoxLayout()
        year_label = QLabel(self.tr("&Jaar"))
        year_label.setBuddy(self.year)
        status_label = QLabel(self.tr("&Status"))
        status_label.setBuddy(self.status)
        for widget in (year_label, self.year, status_label, self.status, self.overdue):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.new_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count)
        bottom.addStretch(1)
        bottom.addWidget(self.open_button)
        bottom.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        for widget in (self.year, self.status):
            widget.currentIndexChanged.connect(self.refresh)
        self.overdue.toggled.connect(self.refresh)
        QShortcut(QKeySequence.StandardKey.New, self, self.register)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table,
                  lambda: self.open_breach(selected_row(self.table)))
        self.timer = QTimer(self)  # the countdown moves on while the view is open
        self.timer.timeout.connect(lambda: self.model.set_now(self.clock()))
        self.timer.start(60_000)
        self._fill_years()
        self.refresh()

    def _fill_years(self) -> None:
        with self.vault.session() as session:
            years = sorted({row.discovered_at.astimezone(SCHOOL_TZ).year
                            for row in breach_rows(session, self.user)}, reverse=True)
        self.year.blockSignals(True)
        self.year.clear()
        self.year.addItem(self.tr("Alle jaren"), None)
        for year in years:
            self.year.addItem(str(year), year)
        self.year.blockSignals(False)

    def refresh(self) -> None:
        year = self.year.currentData()
        now = self.clock()
        start = datetime(year, 1, 1, tzinfo=SCHOOL_TZ) if year else None
        end = datetime(year + 1, 1, 1, tzinfo=SCHOOL_TZ) if year else None
        with self.vault.session() as session:
            rows = breach_rows(session, self.user, start=start, end=end,
                               status=self.status.currentData(),
                               overdue_at=now if self.overdue.isChecked() else None)
        self.model.set_rows(rows, now)
        overdue = sum(1 for row in rows if row.deadline(now).overdue)
        text = widgets.plural(len(rows), self.tr("1 datalek"), self.tr("%1 datalekken"))
        if overdue:
            text += self.tr(" · {n} met verlopen termijn").format(n=overdue)
        self.count.setText(text)

    def register(self) -> None:
        if not may(self.user, Permission.RECORD_BREACH):
            return
        breach_id = BreachDialog.ask(self, self.vault, self.user, clock=self.clock)
        if breach_id is not None:
            self._fill_years()
            self.refresh()
            self.changed.emit()
            BreachDetail.show_breach(self, self.vault, self.user, breach_id, clock=self.clock)
            self.refresh()

    def open_breach(self, row: int | None) -> None:
        if row is None or not 0 <= row < self.model.rowCount():
            return
        if BreachDetail.show_breach(self, self.vault, self.user, self.model.row_at(row).id,
                                    clock=self.clock):
            self.refresh()
            self.changed.emit()

    def print_register(self, path: str | None = None,
                       period: tuple[date, date] | None = None) -> str | None:
        """Ask a period and a file; write the register for the board, the FG or the AP."""
        if period is None:
            period = PeriodDialog.ask(self, local_today(self.clock))
            if period is None:
                return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("Register opslaan"), "Register datalekken.pdf",
                self.tr("PDF-bestanden (*.pdf)"))
        if not path:
            return None
        from db.audit import chain_head
        from desktop.printing.breaches import breach_register_pdf

        start, end = period
        now = self.clock()
        with self.vault.session() as session:
            rows = breach_rows(session, self.user,
                               start=datetime.combine(start, time(), SCHOOL_TZ),
                               end=datetime.combine(end + timedelta(days=1), time(), SCHOOL_TZ))
            school = get_school(session)
            head = str(chain_head(session) or "")
        rows.reverse()
        breach_register_pdf(Path(path), school.name, rows, period=period, now=now,
                            chain_head=head)
        widgets.inform(self, self.tr("Register afgedrukt"),
                       self.tr("Het register staat in {path}.").format(path=path) + "\n\n"
                       + self.tr("Het bestand is niet versleuteld; bewaar het zorgvuldig."))
        return path


class PeriodDialog(QDialog):
    """A period from–to, refusing one that ends before it starts."""

    def __init__(self, parent: QWidget | None, today: date) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Periode kiezen"))
        self.start = DateEdit(date(today.year, 1, 1))
        self.end = DateEdit(today)
        self.error = FieldError()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("&Van"), self.start)
        form.addRow(self.tr("&Tot en met"), self.end)
        form.addRow("", self.error)
        form.addRow(buttons)

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
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
