"""Nog te vragen: current pupils never asked for consent, or (when the school asks every
school year) whose latest decision predates this school year. From db.consents.pupils_to_ask.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from db.consents import ToAsk, YearRhythm, school_year_label
from db.text import format_dutch_date
from desktop.kit.forms import hint
from desktop.kit.widgets import RowsModel, plural, setup_table


class ToAskPanel(QWidget):
    """The list, its explanation, and 'print forms for these pupils'.

    ``open_pupil(pupil_id, group)`` fires on Enter or a double-click: the view shows that
    pupil in the matrix.
    """

    open_pupil = Signal(int, str)
    print_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        never = self.tr("nog nooit")
        self.model = RowsModel([
            (self.tr("Leerling"), lambda r: r.name),
            (self.tr("Groep"), lambda r: r.group_name),
            (self.tr("Laatste keuze vastgelegd op"),
             lambda r: format_dutch_date(r.last_asked) if r.last_asked else never),
        ], parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_table(self.table)
        self.table.setAccessibleName(self.tr("Nog te vragen"))
        self.table.horizontalHeader().resizeSection(0, 360)
        self.table.horizontalHeader().resizeSection(1, 110)
        self.table.doubleClicked.connect(lambda index: self._open(index.row()))
        self.table.installEventFilter(self)
        self.explanation = hint("")
        self.count = QLabel()
        self.print_button = QPushButton(self.tr("Formulieren voor deze leerlingen afdrukken…"))
        self.print_button.setToolTip(self.tr(
            "Eén toestemmingsformulier per leerling uit deze lijst, om mee te geven"))
        self.print_button.clicked.connect(self.print_requested)

        foot = QHBoxLayout()
        foot.addWidget(self.count)
        foot.addStretch(1)
        open_hint = hint(self.tr("Enter of dubbelklik toont de leerling in de tabel."))
        open_hint.setWordWrap(False)
        foot.addWidget(open_hint)
        foot.addSpacing(16)
        foot.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 0)  # inside the page's tab: the page has margins
        layout.setSpacing(10)
        layout.addWidget(self.explanation)
        layout.addWidget(self.table, 1)
        layout.addLayout(foot)

    def show_rows(self, rows: list[ToAsk], rhythm: YearRhythm, today: date) -> None:
        if rhythm.ask_each_year:
            text = self.tr(
                "Leerlingen van wie nog geen enkele keuze is vastgelegd, en leerlingen van wie "
                "de laatste keuze van vóór schooljaar {year} is: de school vraagt elk schooljaar "
                "opnieuw om toestemming.").format(year=school_year_label(today))
            if rhythm.closing is not None:
                text += " " + self.tr("De formulieren moeten uiterlijk {day} terug zijn.").format(
                    day=format_dutch_date(rhythm.closing))
        else:
            text = self.tr(
                "Leerlingen van wie nog geen enkele keuze is vastgelegd. Zonder keuze geldt: "
                "geen toestemming.")
        self.explanation.setText(text)
        self.model.set_rows(rows)
        self.count.setText(plural(len(rows), self.tr("1 leerling nog te vragen"),
                                  self.tr("%1 leerlingen nog te vragen")) if rows else
                           self.tr("Van alle leerlingen is een keuze vastgelegd."))
        self.print_button.setEnabled(bool(rows))

    def rows(self) -> list[ToAsk]:
        return self.model.rows()

    def _open(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            item = self.model.row_at(row)
            self.open_pupil.emit(item.pupil_id, item.group_name)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.table and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self._open(self.table.currentIndex().row())
            return True
        return super().eventFilter(watched, event)
