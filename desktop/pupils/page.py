"""Leerlingen: the searchable pupil list with its filters, the card, enrolment and import.

The list can hold 20,000 pupils, so it keeps its own fast model (PupilTableModel: sorting and
filtering on its own list, fixed row heights) instead of the kit's RowsTable. Typing in the
search box narrows the list at once; Enter (or a double click) opens the pupil card; with one
hit left, Enter in the search box opens it straight away.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QTableView,
    QWidget,
)
from sqlalchemy.orm import Session

from db.clock import local_today
from db.permissions import Permission
from db.pupils import PupilRow, group_names, pupil_rows
from desktop.kit.page import Action, RegisterPage, register_page
from desktop.kit.widgets import plural, setup_table
from desktop.pupils.card import PupilCard
from desktop.pupils.enrol_dialog import EnrolDialog
from desktop.pupils.table_model import ALL_GROUPS, Column, PupilTableModel, Status


def _tr(text: str) -> str:
    return QCoreApplication.translate("PupilsPage", text)


class PupilsData(NamedTuple):
    rows: list[PupilRow]
    groups: list[str]
    today: date


class PupilsPage(RegisterPage):
    """The Leerlingen area. ``changed`` fires after an enrolment, import or edit."""

    KEY, TITLE = "pupils", QT_TRANSLATE_NOOP("Areas", "Leerlingen")
    PERMISSION = Permission.READ_REGISTER
    TR_CONTEXT = "PupilsPage"
    HINT = QT_TRANSLATE_NOOP("PupilsPage", "Typ om te zoeken. Enter of dubbelklik opent de "
                             "leerlingkaart.")
    LOCKED_TEXT = QT_TRANSLATE_NOOP("PupilsPage", "U mag het leerlingenregister niet inzien "
                                    "met uw rol. Hebt u dit wel nodig voor uw werk, vraag het "
                                    "dan aan de beheerder of de directie.")

    def build(self) -> QWidget:
        self._select_after: int | None = None
        self.search = QLineEdit()
        self.search.setPlaceholderText(_tr("Zoek op naam…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(240)
        self.search.setAccessibleName(_tr("Zoeken"))
        self.search.setToolTip(_tr("Zoek op roepnaam, voornamen of achternaam (Ctrl+F)"))
        self.group_filter = QComboBox()
        self.group_filter.setMinimumWidth(130)
        self.group_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.status_filter = QComboBox()
        self.status_filter.addItem(_tr("Huidige leerlingen"), Status.CURRENT)
        self.status_filter.addItem(_tr("Vertrokken"), Status.LEFT)
        self.status_filter.addItem(_tr("Alle"), Status.ALL)
        self.add_filter(self.search, _tr("&Zoeken"))
        self.add_filter(self.group_filter, _tr("&Groep"))
        self.add_filter(self.status_filter, _tr("&Toon"))

        self.model = PupilTableModel([], local_today(self.clock), self)
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_table(self.table)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(Column.LAST_NAME,
                                                       Qt.SortOrder.AscendingOrder)
        self.table.setAccessibleName(_tr("Leerlingen"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in ((Column.FIRST_NAME, 170), (Column.LAST_NAME, 260),
                              (Column.GROUP, 90), (Column.BORN, 140)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("color: #555555; padding: 24px;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_label)

        self.search.textChanged.connect(self.model.set_search)
        self.search.installEventFilter(self)
        self.table.installEventFilter(self)
        self.group_filter.currentIndexChanged.connect(
            lambda _i: self.model.set_group(self.group_filter.currentData()))
        self.status_filter.currentIndexChanged.connect(
            lambda _i: self.model.set_status(self.status_filter.currentData()))
        self.table.doubleClicked.connect(lambda index: self.open_card(index.row()))
        self.model.modelReset.connect(self._update_count)
        self.model.modelReset.connect(self._update_status_column)
        self.model.layoutChanged.connect(self._update_count)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        find = QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        return self.stack

    def actions(self) -> list[Action]:
        return [Action(_tr("&Inschrijven…"), self.enrol, Permission.EDIT_PUPILS, primary=True,
                       name="enrol", tooltip=_tr("Een nieuwe leerling inschrijven (Ctrl+N)"),
                       shortcut=QKeySequence.StandardKey.New),
                Action(_tr("Leerlingkaart &openen"), self.open_current, name="open",
                       tooltip=_tr("De kaart van de gekozen leerling (Enter)")),
                Action(_tr("I&mporteren…"), self.import_file, Permission.IMPORT_PUPILS,
                       name="import", tooltip=_tr(
                           "Leerlingen inlezen uit ParnasSys of ESIS (.xml) of uit een lijst "
                           "(.csv, .xlsx)"))]

    # --- data ------------------------------------------------------------------------------

    def load(self, session: Session) -> PupilsData:
        return PupilsData(pupil_rows(session, self.user), group_names(session, self.user),
                          local_today(self.clock))

    def show_rows(self, data: PupilsData) -> None:
        """New rows and group names; the filters and the chosen pupil stay as they are."""
        current = self._select_after if self._select_after is not None \
            else self.current_pupil_id()
        self._select_after = None
        self._set_groups(data.groups)
        self.model.set_rows(data.rows, data.today)
        if current is not None:
            self.select_pupil(current)
        self._update_buttons()

    def refresh_and_show(self, pupil_id: int) -> None:
        self._select_after = pupil_id
        self.refresh()

    def _set_groups(self, groups: list[str]) -> None:
        chosen = self.group_filter.currentData()
        self.group_filter.blockSignals(True)
        self.group_filter.clear()
        self.group_filter.addItem(_tr("Alle groepen"), ALL_GROUPS)
        for name in groups:
            self.group_filter.addItem(_tr("Groep %1").replace("%1", name), name)
        index = self.group_filter.findData(chosen) if chosen is not None else 0
        self.group_filter.setCurrentIndex(max(0, index))
        self.group_filter.blockSignals(False)
        self.model.set_group(self.group_filter.currentData())

    def _update_status_column(self) -> None:
        """No column that says 'Huidig' on every row of a list of current pupils."""
        self.table.setColumnHidden(Column.STATUS, not self.model.status_column_needed())

    def _update_count(self) -> None:
        shown = self.model.shown_count()
        self.set_count(plural(shown, _tr("1 leerling"), _tr("%1 leerlingen")))
        if shown == 0:
            if self.model.total_count() == 0:
                text = _tr("Er staan nog geen leerlingen in het register. Kies "
                           "‘Inschrijven…’ of ‘Importeren…’ om te beginnen.")
            else:
                text = _tr("Geen leerlingen gevonden. Controleer de zoektekst en de "
                           "filters Groep en Toon.")
            self.empty_label.setText(text)
        self.stack.setCurrentWidget(self.table if shown else self.empty_label)

    def _update_buttons(self, *_args: object) -> None:
        if "open" in self.buttons:
            self.buttons["open"].setEnabled(self.current_pupil_id() is not None)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # --- selection -------------------------------------------------------------------------

    def current_pupil_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.model.shown_count():
            return None
        return self.model.pupil_at(index.row()).id

    def select_pupil(self, pupil_id: int) -> bool:
        row = self.model.row_of(pupil_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if watched is self.search and key in (Qt.Key.Key_Down, Qt.Key.Key_Return,
                                                  Qt.Key.Key_Enter):
                if self.model.shown_count():
                    if key != Qt.Key.Key_Down and self.model.shown_count() == 1:
                        self.open_card(0)
                        return True
                    self.table.setFocus()
                    if not self.table.currentIndex().isValid():
                        self.table.setCurrentIndex(self.model.index(0, 0))
                    return True
            if watched is self.table and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                index = self.table.currentIndex()
                if index.isValid():
                    self.open_card(index.row())
                    return True
        return super().eventFilter(watched, event)

    # --- actions ---------------------------------------------------------------------------

    def open_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.open_card(index.row())

    def open_card(self, row: int) -> None:
        if not 0 <= row < self.model.shown_count():
            return
        pupil_id = self.model.pupil_at(row).id
        if PupilCard.show_pupil(self, self.vault, self.user, pupil_id, clock=self.clock):
            self.refresh_and_show(pupil_id)
            self.changed.emit()
        self.table.setFocus()

    def enrol(self) -> None:
        if not self.buttons["enrol"].isEnabled():
            return
        pupil_id = EnrolDialog.ask(self, self.vault, self.user, clock=self.clock)
        if pupil_id is not None:
            self._show_new_pupil(pupil_id)
            self.changed.emit()

    def _show_new_pupil(self, pupil_id: int) -> None:
        self.refresh()
        if not self.select_pupil(pupil_id):  # hidden by a filter: clear them so it shows
            self.search.clear()
            self.group_filter.setCurrentIndex(0)
            self.status_filter.setCurrentIndex(self.status_filter.findData(Status.ALL))
            self.select_pupil(pupil_id)
        self.table.setFocus()

    def import_file(self) -> None:
        if not self.buttons["import"].isEnabled():
            return
        from desktop.pupils.import_wizard import ImportWizard

        if ImportWizard.run(self, self.vault, self.user, clock=self.clock):
            self.refresh()
            self.changed.emit()


register_page(PupilsPage)
