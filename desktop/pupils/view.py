"""Leerlingen: the searchable pupil list with its filters and actions."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.clock import Clock, local_today, system_clock
from db.errors import RegisterError
from db.permissions import Permission, may
from db.pupils import group_names, pupil_rows
from db.schema import User
from db.vault import Vault
from desktop.kit.forms import hint
from desktop.kit.widgets import plural, setup_table
from desktop.pupils.card import PupilCard
from desktop.pupils.enrol_dialog import EnrolDialog
from desktop.pupils.table_model import ALL_GROUPS, Column, PupilTableModel, Status


class PupilsView(QWidget):
    """The Leerlingen area. ``changed`` fires after an enrolment, import or edit."""

    changed = Signal()

    def __init__(self, vault: Vault, user: User, clock: Clock = system_clock,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault, self.user, self.clock = vault, user, clock
        self.can_read = may(user, Permission.READ_REGISTER)
        self.can_enrol = may(user, Permission.EDIT_PUPILS)
        self.can_import = may(user, Permission.IMPORT_PUPILS)

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Zoek op naam…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(320)
        self.search.setAccessibleName(self.tr("Zoeken"))
        self.search.setToolTip(self.tr("Zoek op roepnaam, voornamen of achternaam (Ctrl+F)"))
        self.group_filter = QComboBox()
        self.group_filter.setMinimumWidth(150)
        self.group_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.status_filter = QComboBox()
        self.status_filter.setMinimumWidth(180)
        self.status_filter.addItem(self.tr("Huidige leerlingen"), Status.CURRENT)
        self.status_filter.addItem(self.tr("Vertrokken"), Status.LEFT)
        self.status_filter.addItem(self.tr("Alle"), Status.ALL)
        self.enrol_button = QPushButton(self.tr("Inschrijven…"))
        self.enrol_button.setToolTip(self.tr("Een nieuwe leerling inschrijven (Ctrl+N)"))
        self.import_button = QPushButton(self.tr("Importeren…"))
        self.import_button.setToolTip(self.tr(
            "Leerlingen inlezen uit ParnasSys of ESIS (.xml) of uit een lijst (.csv, .xlsx)"))
        self.enrol_button.setVisible(self.can_enrol)
        self.import_button.setVisible(self.can_import)

        self.model = PupilTableModel([], local_today(clock), self)
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_table(self.table)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(Column.LAST_NAME,
                                                       Qt.SortOrder.AscendingOrder)
        self.table.setAccessibleName(self.tr("Leerlingen"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in ((Column.FIRST_NAME, 170), (Column.LAST_NAME, 260),
                              (Column.GROUP, 90), (Column.BORN, 140)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)

        self.count_label = QLabel()
        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("color: #555555; padding: 24px;")
        self.empty_label.hide()

        search_label = QLabel(self.tr("&Zoeken"))
        search_label.setBuddy(self.search)
        group_label = QLabel(self.tr("&Groep"))
        group_label.setBuddy(self.group_filter)
        status_label = QLabel(self.tr("&Toon"))
        status_label.setBuddy(self.status_filter)
        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(search_label)
        bar.addWidget(self.search, 2)
        bar.addSpacing(16)
        bar.addWidget(group_label)
        bar.addWidget(self.group_filter)
        bar.addSpacing(16)
        bar.addWidget(status_label)
        bar.addWidget(self.status_filter)
        bar.addStretch(1)
        bar.addWidget(self.enrol_button)
        bar.addWidget(self.import_button)

        foot = QHBoxLayout()
        foot.addWidget(self.count_label)
        foot.addStretch(1)
        open_hint = hint(self.tr("Enter of dubbelklik opent de leerlingkaart."))
        open_hint.setWordWrap(False)
        foot.addWidget(open_hint)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(10)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addLayout(foot)

        self.search.textChanged.connect(self._on_search)
        self.search.installEventFilter(self)
        self.table.installEventFilter(self)
        self.group_filter.currentIndexChanged.connect(self._on_group)
        self.status_filter.currentIndexChanged.connect(self._on_status)
        self.table.doubleClicked.connect(lambda index: self.open_card(index.row()))
        self.enrol_button.clicked.connect(self.enrol)
        self.import_button.clicked.connect(self.import_file)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        find = QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search)
        find.setContext(context)
        if self.can_enrol:
            new = QShortcut(QKeySequence.StandardKey.New, self, self.enrol)
            new.setContext(context)
        self.model.modelReset.connect(self._update_count)
        self.model.layoutChanged.connect(self._update_count)

        if not self.can_read:
            self._show_locked()
        else:
            self.refresh()

    # --- data ------------------------------------------------------------------------------

    def refresh(self, select_id: int | None = None) -> None:
        """Reload the rows and group names from the register; filters stay as they are."""
        if not self.can_read:
            return
        current = select_id if select_id is not None else self.current_pupil_id()
        try:
            with self.vault.session() as session:
                rows = pupil_rows(session, self.user)
                groups = group_names(session, self.user)
        except RegisterError as error:
            self.empty_label.setText(str(error))
            self.table.hide()
            self.empty_label.show()
            return
        self._set_groups(groups)
        self.model.set_rows(rows, local_today(self.clock))
        if current is not None:
            self.select_pupil(current)

    def _set_groups(self, groups: list[str]) -> None:
        chosen = self.group_filter.currentData()
        self.group_filter.blockSignals(True)
        self.group_filter.clear()
        self.group_filter.addItem(self.tr("Alle groepen"), ALL_GROUPS)
        for name in groups:
            self.group_filter.addItem(self.tr("Groep %1").replace("%1", name), name)
        index = self.group_filter.findData(chosen) if chosen is not None else 0
        self.group_filter.setCurrentIndex(max(0, index))
        self.group_filter.blockSignals(False)
        self.model.set_group(self.group_filter.currentData())

    def _show_locked(self) -> None:
        for widget in (self.search, self.group_filter, self.status_filter, self.table):
            widget.setEnabled(False)
        self.table.hide()
        self.empty_label.setText(self.tr(
            "U mag het leerlingenregister niet inzien met uw rol. Hebt u dit wel nodig voor "
            "uw werk, vraag het dan aan de beheerder of de directie."))
        self.empty_label.show()

    # --- filters ---------------------------------------------------------------------------

    def _on_search(self, text: str) -> None:
        self.model.set_search(text)

    def _on_group(self, _index: int) -> None:
        self.model.set_group(self.group_filter.currentData())

    def _on_status(self, _index: int) -> None:
        self.model.set_status(self.status_filter.currentData())

    def _update_count(self) -> None:
        shown = self.model.shown_count()
        self.count_label.setText(plural(shown, self.tr("1 leerling"),
                                        self.tr("%1 leerlingen")))
        empty = shown == 0 and self.can_read
        if empty:
            if self.model.total_count() == 0:
                text = self.tr("Er staan nog geen leerlingen in het register. Kies "
                               "‘Inschrijven…’ of ‘Importeren…’ om te beginnen.")
            else:
                text = self.tr("Geen leerlingen gevonden. Controleer de zoektekst en de "
                               "filters Groep en Toon.")
            self.empty_label.setText(text)
        self.table.setVisible(not empty)
        self.empty_label.setVisible(empty)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # --- selection -------------------------------------------------------------------------

    def current_pupil_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid():
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

    def open_card(self, row: int) -> None:
        if not 0 <= row < self.model.shown_count():
            return
        pupil_id = self.model.pupil_at(row).id
        if PupilCard.show_pupil(self, self.vault, self.user, pupil_id, clock=self.clock):
            self.refresh(select_id=pupil_id)
            self.changed.emit()
        self.table.setFocus()

    def enrol(self) -> None:
        if not self.can_enrol:
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
        if not self.can_import:
            return
        from desktop.pupils.import_wizard import ImportWizard

        if ImportWizard.run(self, self.vault, self.user, clock=self.clock):
            self.refresh()
            self.changed.emit()
