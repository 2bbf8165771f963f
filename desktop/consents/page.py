"""Toestemmingen: the consent matrix of a group, the fast keyboard path for a stack of returned
paper forms, the pupil's history, 'Nog te vragen', and the prints.

Keys in the matrix: J = ja (toestemming gegeven), N = nee (geweigerd), I = ingetrokken,
spatie = wisselen tussen ja en nee. After the last purpose of a row the cursor goes to the next
pupil. Ctrl+F: go to a pupil by name. Each key press is one decision, recorded through
db.consents.record_decision (append-only; a wrong entry is corrected by a new one).

Which page a user gets (ConsentsPage.create): READ_REGISTER (beheerder, administratie,
directie, FG) → this page, where recording needs RECORD_CONSENT and 'Doelen beheren…'
MANAGE_PURPOSES; only READ_GROUP_PHOTO_LIST (leerkracht) → the teacher's 'Niet op de foto'
(desktop/consents/teacher_page.py).
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QKeySequence, QPainter, QPalette, QPen, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from db.clock import Clock, local_today
from db.consent_sheets import (
    form_pupils,
    form_terms,
    photo_lists,
    pupil_consent_overview,
    purpose_texts,
)
from db.consents import (
    ConsentState,
    ToAsk,
    YearRhythm,
    count_to_ask,
    decides_alone,
    explain_states,
    history_entries,
    pupils_to_ask,
    record_decision,
    year_rhythm,
)
from db.errors import RegisterError
from db.permissions import Actor, Permission, may
from db.pupils import (
    PupilRow,
    current_group_names,
    current_group_rows,
    guardians_of,
    matches,
)
from db.purposes import current_texts
from db.schema import Channel, Decision
from db.school import get_school
from db.text import fold
from db.vault import Vault
from desktop.consents.history import HistoryPanel, history_items
from desktop.consents.matrix_model import FIRST_PURPOSE, ConsentMatrixModel, MatrixPurpose
from desktop.consents.purposes_dialog import PurposesDialog
from desktop.consents.to_ask import ToAskPanel
from desktop.kit.forms import ERROR_COLOUR, hint
from desktop.kit.labels import (
    CONSENT_COLOURS,
    CONSENT_SYMBOLS,
    label,
    short_title,
)
from desktop.kit.page import Action, AreaContext, Attention, RegisterPage, register_page
from desktop.kit.screen import available_size
from desktop.kit.table import OK_COLOUR
from desktop.kit.tasks import Progress, Task, export
from desktop.kit.view_settings import remember, remembered
from desktop.kit.widgets import DateEdit, plural

KEYS = {Qt.Key.Key_J: Decision.GIVEN, Qt.Key.Key_N: Decision.REFUSED,
        Qt.Key.Key_I: Decision.WITHDRAWN}
PUPIL_SELF = "pupil"  # the Door combo's data for 'De leerling zelf'
HISTORY_FOLDED = "consents/history_folded"  # kit.view_settings: this computer remembers it
LOW_SCREEN = 800  # px of window height: below it (a 1366×768 laptop) the history starts folded
AFTER_PRINTING = QT_TRANSLATE_NOOP("consents", "Open het bestand om het af te drukken. Het "
                                   "bestand is niet versleuteld: verwijder het na het afdrukken.")


def _tr(text: str) -> str:
    return QCoreApplication.translate("consents", text)


def saved_text(what: str) -> str:
    """'… is opgeslagen: {path}' and what to do with the (unencrypted) file."""
    return _tr("{what} is opgeslagen:").format(what=what) + "\n{path}\n\n" + _tr(AFTER_PRINTING)


def page_progress(progress: Progress, total: int):  # noqa: ANN201 - Callable[[int], bool]
    """A printer's progress(i) as the kit's progress(done, total)."""
    return lambda index: progress(index, total)


class CellDelegate(QStyledItemDelegate):
    """A selected purpose cell keeps its green/red/grey and gets a thick frame instead of the
    selection colour, so the state stays visible while typing J / N."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        if index.column() < FIRST_PURPOSE:
            super().paint(painter, option, index)
            return
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        plain = QStyleOptionViewItem(option)
        plain.state &= ~QStyle.StateFlag.State_Selected
        plain.state &= ~QStyle.StateFlag.State_HasFocus
        if selected:  # the view already filled the cell with the selection colour
            painter.fillRect(option.rect, option.palette.base())
        super().paint(painter, plain, index)
        if selected:
            painter.save()
            pen = QPen(option.palette.color(QPalette.ColorRole.Highlight), 3)
            pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
            painter.setPen(pen)
            painter.drawRect(option.rect.adjusted(2, 2, -2, -2))
            painter.restore()


class MatrixTable(QTableView):
    """The matrix: J / N / I / spatie ask the page to record a decision for the current cell."""

    decision_key = Signal(object)  # a Decision, or None for spatie (wisselen)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier \
            & ~Qt.KeyboardModifier.KeypadModifier
        if modifiers == Qt.KeyboardModifier.NoModifier and not event.isAutoRepeat():
            if event.key() in KEYS:
                self.decision_key.emit(KEYS[Qt.Key(event.key())])
                return
            if event.key() == Qt.Key.Key_Space:
                self.decision_key.emit(None)
                return
        super().keyPressEvent(event)

    def keyboardSearch(self, search: str) -> None:
        """Typing letters does not jump around: J, N and I mean decisions here."""


class ConsentsData(NamedTuple):
    groups: list[str]               # the groups with current pupils ('' for those without)
    purposes: list[MatrixPurpose]
    to_ask: list[ToAsk]
    rhythm: YearRhythm
    today: date


class ConsentsPage(RegisterPage):
    """The Toestemmingen area. ``changed`` fires after a decision was recorded."""

    KEY, TITLE = "consents", QT_TRANSLATE_NOOP("Areas", "Toestemmingen")
    PERMISSION = Permission.READ_GROUP_PHOTO_LIST  # the teacher gets the photo list instead
    TR_CONTEXT = "consents"
    LOCKED_TEXT = QT_TRANSLATE_NOOP("consents", "U mag de toestemmingen niet inzien met uw "
                                    "rol. Vraag de beheerder of de directie als u dit voor uw "
                                    "werk nodig hebt.")

    def __init__(self, context: AreaContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        if self.may_open(self.user):
            self.buttons["forms"].setMenu(self.forms_menu)
            self.buttons["photo"].setMenu(self.photo_menu)

    @classmethod
    def create(cls, context: AreaContext) -> QWidget:
        """The consent page, or the teacher's read-only 'Niet op de foto'."""
        if may(context.user, Permission.READ_REGISTER):
            return cls(context)
        from desktop.consents.teacher_page import PhotoListPage

        return PhotoListPage(context)

    @classmethod
    def may_open(cls, user: Actor) -> bool:
        return may(user, Permission.READ_REGISTER)

    @classmethod
    def title_for(cls, user: Actor) -> str | None:
        """The title of the consent area this user gets, or None when they get none."""
        if may(user, Permission.READ_REGISTER):
            return QCoreApplication.translate("Areas", cls.TITLE)
        if may(user, Permission.READ_GROUP_PHOTO_LIST):
            return QCoreApplication.translate("Areas", "Niet op de foto")
        return None

    @classmethod
    def attention(cls, context: AreaContext, session: Session) -> list[Attention]:
        """'Aandacht nodig' for the overview: pupils still to be asked for consent."""
        if not cls.may_open(context.user):
            return []
        waiting = count_to_ask(session, context.user, local_today(context.clock))
        if not waiting:
            return []
        text = plural(waiting, _tr("1 leerling is nog niet om toestemming gevraagd."),
                      _tr("%1 leerlingen zijn nog niet om toestemming gevraagd."))
        return [Attention(text=text, area=cls.KEY)]

    # --- the content -----------------------------------------------------------------------

    def build(self) -> QWidget:
        self.can_record = may(self.user, Permission.RECORD_CONSENT)
        self.last_load_ms = 0.0
        self._any_current = False  # some pupil is current (in a group or not)
        self._purposes: list[MatrixPurpose] = []
        self._to_ask_ids: set[int] = set()
        self._shown_pupil: int | None = None
        self._guardian_position = 0

        # the top bar: group, filter, and the finder (Ctrl+F)
        self.group_combo = QComboBox()
        self.group_combo.setMinimumWidth(110)
        self.group_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.group_combo.setAccessibleName(_tr("Groep"))
        self.search = QLineEdit()
        self.search.setPlaceholderText(_tr("Filter op naam…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(140)
        self.search.setAccessibleName(_tr("Filter op naam"))
        self.only_not_asked = QCheckBox(_tr("Alleen 'niet gevraagd'"))
        self.only_not_asked.setToolTip(_tr(
            "Toon alleen leerlingen bij wie voor minstens één doel nog niets is vastgelegd"))
        self.finder = QLineEdit()
        self.finder.setPlaceholderText(_tr("naam typen, Enter"))
        self.finder.setMinimumWidth(140)
        self.finder.setAccessibleName(_tr("Ga naar leerling"))
        self.finder.setToolTip(_tr("Typ (een deel van) de naam en druk op Enter (Ctrl+F)"))
        self.completer = QCompleter([], self.finder)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.finder.setCompleter(self.completer)
        self.add_filter(self.group_combo, _tr("&Groep"))
        self.add_filter(self.search, _tr("&Filter"))
        self.add_filter(self.only_not_asked)
        self.add_filter(self.finder, _tr("Ga &naar"))

        legend = QLabel(" &nbsp;&nbsp; ".join(
            f"<span style='color:{CONSENT_COLOURS[state][0]}'><b>{CONSENT_SYMBOLS[state]}</b> "
            f"{label(state)}</span>"
            for state in (ConsentState.GIVEN, ConsentState.REFUSED, ConsentState.WITHDRAWN,
                          ConsentState.NOT_ASKED)))
        legend.setAccessibleName(_tr("Legenda"))
        legend.setToolTip(_tr("Ingetrokken: eerder gegeven toestemming is teruggenomen. "
                              "Geweigerd: nooit gegeven. In beide gevallen geldt: geen "
                              "toestemming."))
        self.legend = legend

        # the record bar: date, channel, who
        self.date_edit = DateEdit(local_today(self.clock))
        self.date_edit.setAccessibleName(_tr("Datum van de keuze"))
        self.date_edit.setToolTip(_tr("De datum waarop de ouder de keuze maakte, zoals op "
                                      "het formulier"))
        self.channel_combo = QComboBox()
        for channel in Channel:
            self.channel_combo.addItem(label(channel), channel)
        self.channel_combo.setCurrentIndex(self.channel_combo.findData(Channel.PAPER))
        self.channel_combo.setAccessibleName(_tr("Via"))
        self.guardian_combo = QComboBox()
        self.guardian_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.guardian_combo.setMinimumContentsLength(24)
        self.guardian_combo.setAccessibleName(_tr("Keuze gemaakt door"))
        record = QHBoxLayout()
        record.setSpacing(8)
        for text, widget in ((_tr("&Datum"), self.date_edit), (_tr("&Via"), self.channel_combo),
                             (_tr("D&oor"), self.guardian_combo)):
            caption = QLabel(text)
            caption.setBuddy(widget)
            record.addWidget(caption)
            record.addWidget(widget)
            record.addSpacing(12)
        record.addStretch(1)
        self.record_bar = QFrame()
        self.record_bar.setObjectName("recordBar")
        self.record_bar.setStyleSheet(
            "QFrame#recordBar { background: palette(alternate-base); "
            "border: 1px solid palette(mid); border-radius: 6px; } "
            f"*[invalid=\"true\"] {{ border: 2px solid {ERROR_COLOUR}; border-radius: 3px; }}")
        keys = hint(_tr("Toetsen: J ja, N nee, I ingetrokken, spatie wisselt"))
        keys.setWordWrap(False)
        keys.setToolTip(_tr(
            "Kies een vakje en druk J (ja), N (nee) of I (ingetrokken); spatie wisselt. Daarna "
            "gaat de cursor door naar het volgende doel, en zo naar de volgende leerling."))
        record.addWidget(keys)  # one line, so the matrix keeps the height
        record_box = QVBoxLayout(self.record_bar)
        record_box.setContentsMargins(10, 6, 10, 6)
        record_box.addLayout(record)
        self.record_bar.setVisible(self.can_record)

        # the matrix, status line and history
        self.model = ConsentMatrixModel(self)
        self.table = MatrixTable()
        self.table.setModel(self.model)
        self._setup_matrix()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleName(_tr("Melding"))
        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("color: #555555; padding: 24px;")
        self.empty_label.hide()
        self.history = HistoryPanel()

        matrix_box = QWidget()
        matrix_layout = QVBoxLayout(matrix_box)
        matrix_layout.setContentsMargins(0, 0, 0, 0)
        matrix_layout.setSpacing(6)
        matrix_layout.addWidget(self.table, 1)
        matrix_layout.addWidget(self.empty_label, 1)
        status_row = QHBoxLayout()
        status_row.setSpacing(16)
        status_row.addWidget(self.status, 1)
        status_row.addWidget(legend, 0, Qt.AlignmentFlag.AlignTop)
        matrix_layout.addLayout(status_row)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(matrix_box)
        self.splitter.addWidget(self.history)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self._history_sizes: list[int] = []
        self.history.fold_toggled.connect(self.set_history_folded)
        # until the user chooses, a laptop screen starts folded: 15 pupils or more in view
        low_screen = available_size(self).height() < LOW_SCREEN
        self.set_history_folded(remembered(HISTORY_FOLDED, low_screen), save=False)

        per_group = QWidget()
        group_layout = QVBoxLayout(per_group)
        group_layout.setContentsMargins(0, 10, 0, 0)
        group_layout.setSpacing(10)
        group_layout.addWidget(self.record_bar)
        group_layout.addWidget(self.splitter, 1)

        self.to_ask = ToAskPanel()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(per_group, _tr("Per groep"))
        self.tabs.addTab(self.to_ask, _tr("Nog te vragen"))

        # the print menus (on the buttons at the bottom)
        self.forms_menu = QMenu(self)
        self.forms_group_action = self.forms_menu.addAction("")
        self.forms_group_action.triggered.connect(lambda: self.print_forms(whole_school=False))
        forms_all = self.forms_menu.addAction(_tr("Hele school…"))
        forms_all.triggered.connect(lambda: self.print_forms(whole_school=True))
        self.photo_menu = QMenu(self)
        self.photo_group_action = self.photo_menu.addAction("")
        self.photo_group_action.triggered.connect(lambda: self.print_photo_list(all_groups=False))
        photo_all = self.photo_menu.addAction(_tr("Alle groepen…"))
        photo_all.triggered.connect(lambda: self.print_photo_list(all_groups=True))

        # signals
        self.group_combo.currentIndexChanged.connect(lambda _i: self.load_group())
        self.search.textChanged.connect(self._on_filter)
        self.only_not_asked.toggled.connect(self._on_only_not_asked)
        self.table.decision_key.connect(self.record)
        self.table.selectionModel().currentChanged.connect(self._on_current_changed)
        self.finder.returnPressed.connect(self.go_to_typed_pupil)
        self.completer.activated.connect(self.go_to_pupil_named)
        self.date_edit.editingFinished.connect(self._on_date_changed)
        self.date_edit.returnPressed.connect(self.table.setFocus)
        self.channel_combo.activated.connect(lambda _i: self.table.setFocus())
        self.guardian_combo.activated.connect(self._on_guardian_chosen)
        self.history.print_requested.connect(self.print_overview)
        self.to_ask.open_pupil.connect(self.show_pupil)
        self.to_ask.print_requested.connect(self.print_forms_to_ask)
        self.tabs.currentChanged.connect(self._on_tab)
        find = QShortcut(QKeySequence.StandardKey.Find, self, self.focus_finder)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        return self.tabs

    def set_history_folded(self, folded: bool, *, save: bool = True) -> None:
        """Fold the history to its title line (the matrix gets the room) or unfold it;
        this computer remembers the choice for the next time the area opens."""
        if folded and not self.history.folded:
            self._history_sizes = self.splitter.sizes()
        was_folded = self.history.folded
        self.history.set_folded(folded)
        self.splitter.handle(1).setEnabled(not folded)
        if was_folded and not folded:
            total = sum(self.splitter.sizes())
            sizes = self._history_sizes if sum(self._history_sizes) == total and \
                self._history_sizes[1] > self.history.minimumSizeHint().height() \
                else [total * 2 // 3, total - total * 2 // 3]
            self.splitter.setSizes(sizes)
        if save:
            remember(HISTORY_FOLDED, folded)

    def history_folded(self) -> bool:
        return self.history.folded

    def actions(self) -> list[Action]:
        return [
            Action(_tr("Toestemmings&formulieren afdrukken"), lambda: None, name="forms",
                   tooltip=_tr("Eén formulier per leerling, met de namen van de ouders met "
                               "gezag, om mee te geven")),
            Action(_tr("Niet-op-de-foto-&lijst afdrukken"), lambda: None, name="photo",
                   tooltip=_tr("Per groep de leerlingen die niet op de foto mogen, voor "
                               "leerkrachten en de schoolfotograaf")),
            Action(_tr("Voorkeuren uit ouderapp &importeren…"), self.import_preferences,
                   Permission.RECORD_CONSENT, name="app_import",
                   tooltip=_tr("Keuzes die ouders in Parro, Social Schools of een andere "
                               "ouderapp maakten, in één keer overnemen")),
            Action(_tr("Doelen &beheren…"), self.manage_purposes, Permission.MANAGE_PURPOSES,
                   name="purposes",
                   tooltip=_tr("Doelen toevoegen, teksten wijzigen (nieuwe versie), doelen "
                               "buiten gebruik stellen en het schooljaar instellen")),
        ]

    def import_preferences(self) -> None:
        from desktop.consents.import_wizard import ConsentImportWizard

        if ConsentImportWizard.run(self, self.vault, self.user,
                                                       clock=self.clock):
            self.refresh()
            self.changed.emit()

    def _setup_matrix(self) -> None:
        table = self.table
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        table.setAccessibleName(_tr("Toestemmingen per leerling en doel"))
        table.setItemDelegate(CellDelegate(table))
        vertical = table.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(table.fontMetrics().height() + 10)  # 15+ rows at 768 px
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setMinimumSectionSize(80)
        header.setStretchLastSection(False)
        header.setDefaultSectionSize(120)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 140)
        header.resizeSection(1, 100)
        header.setMinimumSectionSize(60)  # eight purposes fit beside the names at 1100 px
        for column in range(FIRST_PURPOSE, self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)

    # --- loading ---------------------------------------------------------------------------

    def load(self, session: Session) -> ConsentsData:
        """The groups, purposes and 'Nog te vragen'; a group's pupils are read when it is
        shown (load_group), so opening the area does not read the whole register."""
        today = local_today(self.clock)
        purposes = [MatrixPurpose(p.id, p.code, short_title(p.code, t.title), t.title,
                                  p.version, p.is_image) for p, t in current_texts(session)]
        return ConsentsData(current_group_names(session, self.user, today), purposes,
                            pupils_to_ask(session, self.user, today), year_rhythm(session, today),
                            today)

    def show_rows(self, data: ConsentsData) -> None:
        """Pupils, groups, purposes, the matrix and 'Nog te vragen'. The selection stays."""
        pupil_id, column = self.current_pupil_id(), self.table.currentIndex().column()
        self._purposes = data.purposes
        self._any_current = bool(data.groups)
        chosen = self.group_combo.currentData()
        if chosen is None and self.user.group_name in data.groups:
            chosen = self.user.group_name
        self.group_combo.blockSignals(True)
        self.group_combo.clear()
        for name in data.groups:
            if name:
                self.group_combo.addItem(_tr("Groep {name}").format(name=name), name)
        index = self.group_combo.findData(chosen) if chosen is not None else 0
        self.group_combo.setCurrentIndex(max(0, index))
        self.group_combo.blockSignals(False)
        self.load_group(select_pupil=pupil_id, column=column)
        self._show_to_ask(data.to_ask, data.rhythm, data.today)

    def current_group(self) -> str | None:
        return self.group_combo.currentData()

    def load_group(self, select_pupil: int | None = None, column: int = FIRST_PURPOSE) -> None:
        """Show the chosen group: its pupils, and their states from ONE explain_states call."""
        started = time.perf_counter()
        group = self.current_group()
        try:
            with self.vault.session() as session:
                pupils = self._group_pupils(session, group) if group else []
                states, since = self._states_of(session, [r.id for r in pupils])
        except RegisterError as error:
            self._show_empty(str(error))
            return
        self.model.set_matrix(pupils, self._purposes, states, since)
        self._size_columns()
        self.completer.model().setStringList([r.full_name for r in pupils])
        only_group = _tr("Alleen groep {name}…").format(name=group or "")
        self.forms_group_action.setText(only_group)
        self.photo_group_action.setText(only_group)
        self.forms_group_action.setEnabled(bool(pupils))
        self.photo_group_action.setEnabled(bool(pupils))
        self._update_count()
        self.set_status("")
        self._shown_pupil = None
        if not pupils:
            self._show_empty(_tr("Er staan nog geen leerlingen in het register. Schrijf ze "
                                 "in of importeer ze bij Leerlingen.")
                             if not self._any_current
                             else _tr("Deze groep heeft geen huidige leerlingen."))
        elif not self._purposes:
            self._show_empty(_tr("Er zijn geen toestemmingsdoelen in gebruik. Voeg ze toe "
                                 "met 'Doelen beheren…'."))
        else:
            self.empty_label.hide()
            self.table.show()
        self._go_to(select_pupil, column)
        self.last_load_ms = (time.perf_counter() - started) * 1000

    def _group_pupils(self, session: Session, group: str) -> list[PupilRow]:
        """The group's current pupils, by surname (folded: 'de Vries' beside 'Vries')."""
        rows = current_group_rows(session, self.user, group, local_today(self.clock))
        return sorted(rows, key=lambda r: (fold(r.last_name), fold(r.first_name), r.id))

    def _states_of(self, session: Session, pupil_ids: list[int]) -> tuple[dict, dict]:
        """(pupil, purpose) → state today, and → the day of the decision that settles it
        (db.consents.explain_states: the same rule as current_states)."""
        why = explain_states(session, self.user, pupil_ids, [p.id for p in self._purposes],
                             on=local_today(self.clock))
        states = {key: w.state for key, w in why.items()
                  if w.state is not ConsentState.NOT_ASKED}
        since = {key: w.decision.decided_on for key, w in why.items()
                 if w.decision is not None}
        return states, since

    def _show_empty(self, text: str) -> None:
        self.empty_label.setText(text)
        self.empty_label.show()
        self.table.hide()
        self.history.show_items(None, [])

    def _update_count(self) -> None:
        shown, total = self.model.shown_count(), self.model.total_count()
        text = plural(total, _tr("1 leerling"), _tr("%1 leerlingen"))
        if shown != total:
            text = _tr("{shown} van {total}").format(shown=shown, total=text)
        not_asked = sum(1 for r in self.model.all_pupils() if self.model.has_not_asked(r.id))
        if not_asked:
            text += " · " + plural(not_asked, _tr("1 met 'niet gevraagd'"),
                                   _tr("%1 met 'niet gevraagd'"))
        self.set_count(text)

    def refresh_to_ask(self) -> None:
        today = local_today(self.clock)
        try:
            with self.vault.session() as session:
                rows = pupils_to_ask(session, self.user, today)
                rhythm = year_rhythm(session, today)
        except RegisterError:
            return
        self._show_to_ask(rows, rhythm, today)

    def _show_to_ask(self, rows: list[ToAsk], rhythm: YearRhythm, today: date) -> None:
        self._to_ask_ids = {r.pupil_id for r in rows}
        self.to_ask.show_rows(rows, rhythm, today)
        self.tabs.setTabText(1, _tr("Nog te vragen ({n})").format(n=len(rows)) if rows
                             else _tr("Nog te vragen"))

    # --- selection -------------------------------------------------------------------------

    def current_pupil_id(self) -> int | None:
        pupil = self.model.pupil_at(self.table.currentIndex().row())
        return pupil.id if pupil else None

    def current_pupil(self) -> PupilRow | None:
        return self.model.pupil_at(self.table.currentIndex().row())

    def _go_to(self, pupil_id: int | None, column: int = FIRST_PURPOSE) -> None:
        row = self.model.row_of(pupil_id) if pupil_id is not None else None
        if row is None:
            row = 0
        if self.model.rowCount() == 0:
            self._load_pupil(None)
            return
        column = column if FIRST_PURPOSE <= column < self.model.columnCount() else \
            min(FIRST_PURPOSE, self.model.columnCount() - 1)
        self.set_current(row, column)

    def set_current(self, row: int, column: int) -> None:
        index = self.model.index(row, column)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.table.scrollTo(index)
        if self.current_pupil_id() != self._shown_pupil:
            self._load_pupil(self.current_pupil())

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        pupil = self.model.pupil_at(current.row())
        if (pupil.id if pupil else None) != self._shown_pupil:
            self._load_pupil(pupil)

    def _load_pupil(self, pupil: PupilRow | None) -> None:
        """The Door combo and the history for the pupil of the current row."""
        self._shown_pupil = pupil.id if pupil else None
        if pupil is None:
            self.guardian_combo.clear()
            self.history.show_items(None, [])
            return
        try:
            with self.vault.session() as session:
                guardians = [g for g in guardians_of(session, self.user, pupil.id)
                             if g.has_authority]
                entries = history_entries(session, self.user, pupil.id)
        except RegisterError as error:
            self.set_status(str(error), error=True)
            return
        self._fill_guardians(pupil, guardians)
        self.history.show_items(self._pupil_title(pupil), history_items(entries))

    def _pupil_title(self, pupil: PupilRow) -> str:
        return _tr("{name} (groep {group})").format(name=pupil.full_name,
                                                   group=pupil.group_name)

    def _decision_day(self) -> date:
        try:
            return self.date_edit.date_value() or local_today(self.clock)
        except ValueError:
            return local_today(self.clock)

    def _fill_guardians(self, pupil: PupilRow, guardians: list) -> None:  # noqa: ANN001
        combo = self.guardian_combo
        combo.blockSignals(True)
        combo.clear()
        if decides_alone(pupil.date_of_birth, self._decision_day()):
            combo.addItem(_tr("De leerling zelf (16 jaar of ouder)"), (PUPIL_SELF, None))
        else:
            for guardian in guardians:
                text = guardian.full_name
                if guardian.relation:
                    text += f" ({guardian.relation})"
                combo.addItem(text, ("guardian", guardian.id))
        if combo.count() == 0:
            combo.addItem(_tr("geen ouder/verzorger met gezag bekend"), None)
            combo.setEnabled(False)
        else:
            combo.setEnabled(True)
            combo.setCurrentIndex(min(self._guardian_position, combo.count() - 1))
        combo.blockSignals(False)

    def _on_guardian_chosen(self, index: int) -> None:
        self._guardian_position = index
        self.table.setFocus()

    def _on_date_changed(self) -> None:
        pupil = self.current_pupil()
        if pupil is not None:
            self._shown_pupil = None
            self._load_pupil(pupil)

    # --- filters and the finder ------------------------------------------------------------

    def _on_filter(self, text: str) -> None:
        keep = self.current_pupil_id(), self.table.currentIndex().column()
        self.model.set_search(text)
        self._after_reset(*keep)

    def _on_only_not_asked(self, only: bool) -> None:
        keep = self.current_pupil_id(), self.table.currentIndex().column()
        self.model.set_only_not_asked(only)
        self._after_reset(*keep)

    def _after_reset(self, pupil_id: int | None, column: int) -> None:
        self._update_count()
        self._go_to(pupil_id, column)

    def focus_finder(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.finder.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.finder.selectAll()

    def go_to_pupil_named(self, text: str) -> bool:
        """Jump to the pupil whose name matches ``text`` (a whole name first, then the words);
        the filters give way when that pupil is hidden. True when found."""
        if not text.strip():
            return False
        pupils = self.model.all_pupils()
        key = fold(text)
        found = next((p for p in pupils if fold(p.full_name) == key), None)
        if found is None:
            found = next((p for p in pupils if matches(p.search_key, text)), None)
        if found is None:
            self.set_status(_tr("Geen leerling in deze groep gevonden met '{text}'.")
                            .format(text=text.strip()), error=True)
            return False
        if self.model.row_of(found.id) is None:  # hidden by the filters
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self.model.set_search("")
            self.only_not_asked.blockSignals(True)
            self.only_not_asked.setChecked(False)
            self.only_not_asked.blockSignals(False)
            self.model.set_only_not_asked(False)
            self._update_count()
        self.set_current(self.model.row_of(found.id), FIRST_PURPOSE)
        self.finder.clear()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.set_status("")
        return True

    def go_to_typed_pupil(self) -> None:
        """Enter in the finder. After the completer's activated() the text is already empty."""
        self.completer.popup().hide()
        if self.finder.text().strip():
            self.go_to_pupil_named(self.finder.text())

    def show_pupil(self, pupil_id: int, group: str) -> None:
        """From 'Nog te vragen': show this pupil in the matrix of their group."""
        self.tabs.setCurrentIndex(0)
        index = self.group_combo.findData(group)
        if index >= 0 and index != self.group_combo.currentIndex():
            self.group_combo.blockSignals(True)
            self.group_combo.setCurrentIndex(index)
            self.group_combo.blockSignals(False)
            self.load_group()
        if self.model.row_of(pupil_id) is None:
            self.search.clear()
            self.only_not_asked.setChecked(False)
        row = self.model.row_of(pupil_id)
        if row is not None:
            self.set_current(row, FIRST_PURPOSE)
        self.table.setFocus()

    def _on_tab(self, index: int) -> None:
        for widget in (self.group_combo, self.search, self.only_not_asked):
            widget.setEnabled(index == 0)  # they filter the matrix, not this list
        if index == 1:
            self.refresh_to_ask()

    # --- recording -------------------------------------------------------------------------

    def mark_invalid(self, field: str | None) -> None:
        """A red frame round the toolbar field a message is about ('decided_on', 'guardian')."""
        for name, widget in (("decided_on", self.date_edit), ("guardian", self.guardian_combo)):
            invalid = name == field
            if bool(widget.property("invalid")) != invalid:
                widget.setProperty("invalid", invalid)
                widget.style().unpolish(widget)
                widget.style().polish(widget)

    def set_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {ERROR_COLOUR if error else OK_COLOUR};")
        self.status.setProperty("error", error)

    def status_is_error(self) -> bool:
        return bool(self.status.property("error")) and bool(self.status.text())

    def record(self, decision: Decision | None) -> bool:
        """Record ``decision`` (None: wisselen) for the current cell. True when saved."""
        index = self.table.currentIndex()
        pupil = self.model.pupil_at(index.row())
        purpose = self.model.purpose_at(index.column())
        if not self.can_record:
            self.set_status(_tr("U mag met uw rol geen toestemmingen vastleggen; u kunt "
                                "ze wel inzien."), error=True)
            return False
        if pupil is None or purpose is None:
            self.set_status(_tr("Kies eerst een vakje: ga met de pijltjestoetsen naar de "
                                "kolom van een doel, rechts van de naam."), error=True)
            return False
        try:
            decided_on = self.date_edit.date_value()
        except ValueError as problem:
            self.set_status(_tr("Datum: {problem}. Er is niets opgeslagen.")
                            .format(problem=problem), error=True)
            self.mark_invalid("decided_on")
            return False
        if decided_on is None:
            self.set_status(_tr("Vul de datum van de keuze in (dd-mm-jjjj). Er is niets "
                                "opgeslagen."), error=True)
            self.mark_invalid("decided_on")
            return False
        who = self.guardian_combo.currentData()
        if who is None:
            self.set_status(_tr(
                "Bij {name} staat geen ouder/verzorger met gezag. Voeg die eerst toe bij "
                "Leerlingen; er is niets opgeslagen.").format(name=pupil.full_name), error=True)
            return False
        if decision is None:
            state = self.model.state(pupil.id, purpose.id)
            decision = Decision.REFUSED if state is ConsentState.GIVEN else Decision.GIVEN
        by_pupil = who[0] == PUPIL_SELF
        try:
            with self.vault.session() as session:
                record_decision(session, self.user, pupil.id, purpose.id, decision,
                                decided_on=decided_on, guardian_id=who[1],
                                channel=self.channel_combo.currentData(), by_pupil=by_pupil,
                                clock=self.clock)
                states, since = self._states_of(session, [pupil.id])
                entries = history_entries(session, self.user, pupil.id)
        except RegisterError as error:
            self.set_status(_tr("{message} Er is niets opgeslagen.").format(
                message=str(error)), error=True)
            self.mark_invalid(getattr(error, "field", None))
            return False
        self.mark_invalid(None)
        self.model.update_pupil(pupil.id, states, since)
        self.history.show_items(self._pupil_title(pupil), history_items(entries))
        now = states.get((pupil.id, purpose.id), ConsentState.NOT_ASKED)
        message = _tr("Vastgelegd: {pupil} — {purpose}: {decision} door {who}.").format(
            pupil=pupil.full_name, purpose=purpose.short, decision=label(decision),
            who=_tr("de leerling zelf") if by_pupil else self.guardian_combo.currentText())
        if decision == Decision.GIVEN and now is not ConsentState.GIVEN:
            message += " " + _tr("Er is nog géén toestemming: een andere ouder/verzorger "
                                 "met gezag heeft geweigerd.")
        self.set_status(message)
        self._update_count()
        if pupil.id in self._to_ask_ids:
            self.refresh_to_ask()
        self.changed.emit()
        self._advance(index)
        return True

    def _advance(self, index: QModelIndex) -> None:
        """Next purpose; after the last one, the next pupil's first purpose."""
        last = self.model.columnCount() - 1
        if index.column() < last:
            self.set_current(index.row(), index.column() + 1)
        elif index.row() + 1 < self.model.rowCount():
            self.set_current(index.row() + 1, FIRST_PURPOSE)
        else:
            self.set_status(self.status.text() + " " + _tr("Dit was de laatste leerling "
                                                           "van de groep."))

    # --- purposes --------------------------------------------------------------------------

    def manage_purposes(self) -> None:
        if not may(self.user, Permission.MANAGE_PURPOSES):
            return
        if PurposesDialog.ask(self.vault, self.user, self.clock, self):
            self.refresh()

    # --- printing: every print through kit.tasks.export, off the GUI thread -----------------

    def print_forms(self, whole_school: bool = False, *, blocking: bool = False) -> Task | None:
        """Toestemmingsformulieren for this group or the whole school."""
        group = None if whole_school else self.current_group()
        if not whole_school and group is None:
            return None
        name = _tr("Toestemmingsformulieren hele school") if whole_school else \
            _tr("Toestemmingsformulieren groep {group}").format(group=group)
        return self._print_forms(name, group=group, blocking=blocking)

    def print_forms_to_ask(self, *, blocking: bool = False) -> Task | None:
        """Forms for the pupils on 'Nog te vragen'."""
        wanted = {r.pupil_id for r in self.to_ask.rows()}
        if not wanted:
            return None
        return self._print_forms(_tr("Toestemmingsformulieren nog te vragen"), wanted=wanted,
                                 blocking=blocking)

    def _print_forms(self, name: str, *, group: str | None = None,
                     wanted: set[int] | None = None, blocking: bool) -> Task | None:
        return print_consent_forms(self, self.vault, self.user, self.clock, name, group=group,
                                   pupil_ids=wanted, blocking=blocking)

    def print_photo_list(self, all_groups: bool = False, *,
                         blocking: bool = False) -> Task | None:
        """'Niet op de foto' for this group or all groups."""
        group = None if all_groups else self.current_group()
        if not all_groups and group is None:
            return None
        name = _tr("Niet op de foto alle groepen") if all_groups else \
            _tr("Niet op de foto groep {group}").format(group=group)
        return print_photo_lists(self, group, name, blocking=blocking)

    def print_overview(self, *, blocking: bool = False) -> Task | None:
        """The selected pupil's consent overview (for a parent who asks)."""
        from desktop.printing.consent_overview import consent_overview_pdf

        pupil = self.current_pupil()
        if pupil is None:
            return None
        user, today, pupil_id = self.user, local_today(self.clock), pupil.id

        def gather(session: Session) -> tuple:
            form, lines = pupil_consent_overview(session, user, pupil_id, today=today)
            school = get_school(session)
            return form, lines, school.name if school else ""

        def write(path: Path, data: tuple, _progress: Progress) -> None:
            form, lines, school_name = data
            consent_overview_pdf(path, school_name, form, lines, printed_on=today)

        return export(self, self.vault, title=_tr("Overzicht afdrukken"),
                      suggested_name=_tr("Toestemmingen {name} {day}").format(
                          name=pupil.full_name, day=today.isoformat()),
                      gather=gather, write=write,
                      saved_text=saved_text(_tr("Het overzicht")), blocking=blocking)


def print_consent_forms(parent: QWidget, vault: Vault, user: Actor, clock: Clock, name: str,
                        *, group: str | None = None, pupil_ids: set[int] | None = None,
                        blocking: bool = False) -> Task | None:
    """Toestemmingsformulieren of one group, the whole school (both None) or the pupils in
    ``pupil_ids`` (one pupil's form at enrolment: one page). Shared by the consent page, the
    enrolment dialog and the pupil card."""
    from desktop.printing.consent_forms import SchoolInfo, consent_forms

    today = local_today(clock)

    def gather(session: Session) -> tuple:
        pupils = form_pupils(session, user, group=group, today=today, pupil_ids=pupil_ids)
        school = get_school(session)
        return (pupils, purpose_texts(session),
                SchoolInfo(school.name, school.brin) if school else SchoolInfo("", ""),
                form_terms(session, user, today=today))

    def write(path: Path, data: tuple, progress: Progress) -> None:
        pupils, purposes, school, terms = data
        consent_forms(path, school, pupils, purposes, terms,
                      progress=page_progress(progress, len(pupils)))

    return export(parent, vault, title=_tr("Toestemmingsformulieren afdrukken"),
                  suggested_name=f"{name} {today.isoformat()}", gather=gather, write=write,
                  saved_text=saved_text(_tr("De toestemmingsformulieren")), blocking=blocking)


def print_photo_lists(page: RegisterPage, group: str | None, name: str, *,
                      blocking: bool = False) -> Task | None:
    """'Niet op de foto' of one group (or all groups, None) as a PDF: one page per group.
    Shared by the consent page and the teacher's photo list."""
    from desktop.printing.photo_lists import photo_list_pdf

    user, today = page.user, local_today(page.clock)

    def gather(session: Session) -> tuple:
        school = get_school(session)
        return (photo_lists(session, user, today=today, group=group),
                school.name if school else "")

    def write(path: Path, data: tuple, progress: Progress) -> None:
        lists, school_name = data
        photo_list_pdf(path, school_name, lists, printed_on=today,
                       progress=page_progress(progress, len(lists)))

    return export(page, page.vault, title=_tr("Niet-op-de-foto-lijst afdrukken"),
                  suggested_name=f"{name} {today.isoformat()}", gather=gather, write=write,
                  saved_text=saved_text(_tr("De niet-op-de-foto-lijst")), blocking=blocking)


register_page(ConsentsPage)
