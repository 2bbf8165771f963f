"""Geschiedenis: every decision of one pupil, newest first, from db.consents.history_entries().
The panel can be folded to its title line, so the matrix above it gets the room."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.consents import APP_CHANNELS, HistoryEntry
from desktop.kit.forms import hint
from desktop.kit.labels import label
from desktop.kit.widgets import RowsModel, setup_table

QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's "no maximum" for a widget's size


class HistoryItem(NamedTuple):
    decided_on: date
    purpose: str
    decision: str
    version: str
    by: str
    via: str
    noted_by: str
    note: str


def _tr(text: str) -> str:
    return QCoreApplication.translate("consents", text)


def history_items(entries: list[HistoryEntry]) -> list[HistoryItem]:
    """The pupil's decisions (db.consents.history_entries, newest first) as display rows."""
    pupil_self, unknown = _tr("de leerling zelf"), _tr("onbekend")
    items = []
    for entry in entries:
        version = str(entry.version)
        if entry.version != entry.current_version:
            version = _tr("{version} (nu {current})").format(version=entry.version,
                                                             current=entry.current_version)
        if entry.by_pupil:
            who = pupil_self
        elif entry.guardian_name:
            who = f"{entry.guardian_name} ({entry.guardian_relation})" \
                if entry.guardian_relation else entry.guardian_name
        elif entry.channel in APP_CHANNELS:
            who = _tr("ouder via app")
        else:
            who = unknown
        items.append(HistoryItem(entry.decided_on, entry.purpose_title or unknown,
                                 label(entry.decision), version, who, label(entry.channel),
                                 entry.recorded_by or unknown, entry.note))
    return items


class HistoryPanel(QWidget):
    """The selected pupil's history, with 'Overzicht afdrukken…' and a button that folds it
    to its title line (``fold_toggled`` says which way; the page remembers it)."""

    print_requested = Signal()
    fold_toggled = Signal(bool)  # True: folded

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.print_button = QPushButton(self.tr("Overzicht afdrukken…"))
        self.print_button.setToolTip(self.tr(
            "Een PDF met alle keuzes van deze leerling, bijvoorbeeld voor ouders die erom "
            "vragen"))
        self.print_button.clicked.connect(self.print_requested)
        self.folded = False
        self.fold_button = QPushButton()
        self.fold_button.setAutoDefault(False)
        self.fold_button.clicked.connect(lambda: self.fold_toggled.emit(not self.folded))
        self.model = RowsModel([
            (self.tr("Datum"), lambda r: r.decided_on),
            (self.tr("Doel"), lambda r: r.purpose),
            (self.tr("Keuze"), lambda r: r.decision),
            (self.tr("Versie"), lambda r: r.version),
            (self.tr("Door"), lambda r: r.by),
            (self.tr("Via"), lambda r: r.via),
            (self.tr("Genoteerd door"), lambda r: r.noted_by),
        ], parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_table(self.table, stretch_column=1)
        self.table.setAccessibleName(self.tr("Geschiedenis van de keuzes"))
        header = self.table.horizontalHeader()
        for column, width in ((0, 95), (2, 90), (3, 60), (4, 180), (5, 125), (6, 140)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        self.empty = hint("")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.print_button)
        top.addWidget(self.fold_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        self._top = top
        self.set_folded(False)
        self.show_items(None, [])

    def set_folded(self, folded: bool) -> None:
        """Only the title line (folded), or the whole history."""
        self.folded = folded
        self.table.setVisible(not folded)
        self.empty.setVisible(not folded and self.model.rowCount() == 0)
        if folded:
            self.fold_button.setText(self.tr("Geschiedenis tonen"))
            self.fold_button.setToolTip(self.tr("De keuzes van de gekozen leerling weer "
                                                "onder de tabel tonen"))
            margins = self.layout().contentsMargins()
            self.setMaximumHeight(self._top.sizeHint().height() + margins.top()
                                  + margins.bottom())
        else:
            self.fold_button.setText(self.tr("Geschiedenis verbergen"))
            self.fold_button.setToolTip(self.tr("Alleen deze regel tonen, zodat er meer "
                                                "leerlingen in de tabel passen"))
            self.setMaximumHeight(QWIDGETSIZE_MAX)

    def show_items(self, pupil_name: str | None, items: list[HistoryItem]) -> None:
        if pupil_name is None:
            self.title.setText(self.tr("Geschiedenis"))
            self.empty.setText(self.tr("Kies een leerling in de tabel om de geschiedenis van "
                                       "de keuzes te zien."))
        else:
            self.title.setText(self.tr("Geschiedenis van {name} (nieuwste bovenaan)")
                               .format(name=pupil_name))
            self.empty.setText(self.tr("Voor deze leerling is nog geen enkele keuze "
                                       "vastgelegd: nergens toestemming voor."))
        self.model.set_rows(items)
        self.print_button.setEnabled(pupil_name is not None)
        self.empty.setVisible(not items and not self.folded)
