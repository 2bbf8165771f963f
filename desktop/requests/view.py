"""Verzoeken: the requests of data subjects (inzage, correctie, verwijdering, beperking, bezwaar)
with their one-month term; late ones in red. Registering, extending and answering need
HANDLE_REQUESTS; erasing on request needs ERASE as well."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from db.access_export import gather_access
from db.clock import Clock, local_today, system_clock
from db.errors import RegisterError
from db.permissions import Permission, may
from db.pupils import pupil_rows
from db.requests import CLOSED, RequestRow, request_rows
from db.retention import erase
from db.schema import DataRequest, Guardian, Pupil, RequestKind, User
from db.school import get_school
from db.text import format_dutch_date
from db.vault import Vault
from desktop.kit import files, widgets
from desktop.kit.files import delete_after_backup, failure_reason
from desktop.kit.forms import hint
from desktop.kit.table import ToneRowsModel
from desktop.kit.tasks import Outcome, Task, run_task
from desktop.kit.widgets import plural, setup_table
from desktop.requests.dialogs import (
    AccessExportDialog,
    AnswerDialog,
    EraseChoiceDialog,
    ExtendDialog,
    RegisterRequestDialog,
)
from desktop.requests.labels import erasable_label, kind_label, status_label

SOON_DAYS = 7  # open requests with this many days or fewer left are shown in amber
SHOW_ALL, SHOW_OPEN = "all", "open"


def _tr(text: str) -> str:
    return QCoreApplication.translate("requests", text)


class RequestLine(NamedTuple):
    """One row of the table: the request and what the office reads from it today."""

    request: RequestRow
    pupil: str
    today: date

    @property
    def overdue(self) -> bool:
        return self.request.overdue(self.today)

    @property
    def days_left(self) -> int:
        return (self.request.deadline - self.today).days

    @property
    def closed(self) -> bool:
        return self.request.status in CLOSED

    @property
    def status_text(self) -> str:
        request = self.request
        text = status_label(request.status)
        if request.status == "answered" and request.answered_in_time is False:
            return _tr("{status} (te laat)").format(status=text)
        if self.closed:
            return text
        if self.overdue:
            return _tr("{status} — termijn verstreken").format(status=text)
        if self.days_left == 0:
            return _tr("{status} — laatste dag").format(status=text)
        if self.days_left == 1:
            return _tr("{status} — nog 1 dag").format(status=text)
        return _tr("{status} — nog {n} dagen").format(status=text, n=self.days_left)

    @property
    def tone(self) -> str | None:
        if self.overdue or self.request.answered_in_time is False:
            return "red"
        if self.closed:
            return "grey"
        return "amber" if self.days_left <= SOON_DAYS else None


def request_columns() -> list:
    return [
        (_tr("Nummer"), lambda line: line.request.id),
        (_tr("Soort"), lambda line: kind_label(line.request.kind)),
        (_tr("Leerling"), lambda line: line.pupil),
        (_tr("Ontvangen"), lambda line: line.request.received_on),
        (_tr("Termijn tot"), lambda line: line.request.deadline),
        (_tr("Status"), lambda line: line.status_text),
        (_tr("Beantwoord"), lambda line: line.request.answered_on),
    ]


class RequestTableModel(ToneRowsModel):
    """Requests, newest first; overdue red, almost due amber, closed grey."""

    NUMBER, KIND, PUPIL, RECEIVED, DEADLINE, STATUS, ANSWERED = range(7)

    def __init__(self, lines: list[RequestLine] = (), parent=None) -> None:  # noqa: ANN001
        super().__init__(request_columns(), lines, tone=lambda line: line.tone, parent=parent)

    def line_at(self, row: int) -> RequestLine:
        return self.row_at(row)

    def row_of(self, request_id: int) -> int | None:
        for number, line in enumerate(self.rows()):
            if line.request.id == request_id:
                return number
        return None


class RequestsView(QWidget):
    """The Verzoeken area (READ_REGISTER to see it; HANDLE_REQUESTS to act; ERASE to erase)."""

    changed = Signal()

    def __init__(self, vault: Vault, user: User, clock: Clock = system_clock,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault, self.user, self.clock = vault, user, clock
        self.can_read = may(user, Permission.READ_REGISTER)
        self.can_handle = may(user, Permission.HANDLE_REQUESTS)
        self.can_erase = self.can_handle and may(user, Permission.ERASE)
        self.task: Task | None = None
        self._all: list[RequestLine] = []

        self.show_filter = QComboBox()
        self.show_filter.addItem(self.tr("Alle verzoeken"), SHOW_ALL)
        self.show_filter.addItem(self.tr("Alleen openstaande verzoeken"), SHOW_OPEN)
        self.show_filter.setMinimumWidth(240)
        show_label = QLabel(self.tr("&Toon"))
        show_label.setBuddy(self.show_filter)
        show_label.setMinimumWidth(show_label.sizeHint().width() + 6)
        self.register_button = QPushButton(self.tr("Verzoek &registreren…"))
        self.register_button.setToolTip(self.tr("Een nieuw verzoek van een ouder vastleggen "
                                                "(Ctrl+N)"))
        self.extend_button = QPushButton(self.tr("&Verlengen…"))
        self.answer_button = QPushButton(self.tr("&Beantwoorden…"))
        self.export_button = QPushButton(self.tr("&Inzage-export…"))
        self.export_button.setToolTip(self.tr(
            "Een PDF met alles wat het register over de leerling vastlegt (bij een "
            "inzageverzoek)"))
        self.erase_button = QPushButton(self.tr("Ver&wijderen…"))
        self.erase_button.setToolTip(self.tr(
            "Gegevens van de leerling verwijderen (bij een verwijderingsverzoek)"))
        for button in (self.register_button, self.extend_button, self.answer_button,
                       self.export_button):
            button.setVisible(self.can_handle)
        self.erase_button.setVisible(self.can_erase)

        self.model = RequestTableModel([], self)
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_table(self.table)
        self.table.setAccessibleName(self.tr("Verzoeken"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in ((RequestTableModel.NUMBER, 80), (RequestTableModel.KIND, 120),
                              (RequestTableModel.PUPIL, 260), (RequestTableModel.RECEIVED, 120),
                              (RequestTableModel.DEADLINE, 120), (RequestTableModel.STATUS, 260)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)

        self.details = QGroupBox(self.tr("Gekozen verzoek"))
        self.detail_labels: dict[str, QLabel] = {}
        form = QFormLayout(self.details)
        form.setContentsMargins(12, 10, 12, 10)
        form.setVerticalSpacing(6)
        form.setHorizontalSpacing(16)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        for key, caption in (("who", self.tr("Leerling en ouder")),
                             ("description", self.tr("Omschrijving")),
                             ("extension", self.tr("Verlenging")),
                             ("answer", self.tr("Antwoord"))):
            label = QLabel()
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.detail_labels[key] = label
            form.addRow(QLabel(caption), label)

        self.count_label = QLabel()
        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("color: #555555; padding: 24px;")
        self.empty_label.hide()

        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(show_label)
        bar.addSpacing(4)
        bar.addWidget(self.show_filter)
        bar.addStretch(1)
        bar.addWidget(self.register_button)
        actions = QHBoxLayout()
        actions.setSpacing(8)
        for button in (self.extend_button, self.answer_button, self.export_button,
                       self.erase_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.count_label)

        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.setSpacing(8)
        upper_layout.addWidget(self.table, 1)
        upper_layout.addWidget(self.empty_label, 1)
        upper_layout.addLayout(actions)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(10)
        layout.addLayout(bar)
        layout.addWidget(hint(self.tr(
            "Antwoord binnen een maand na ontvangst; verlengen kan met ten hoogste twee maanden, "
            "met een reden. Rood: de termijn is verstreken. Oranje: nog een week of minder.")))
        layout.addWidget(splitter, 1)

        self.show_filter.currentIndexChanged.connect(self._apply_filter)
        self.register_button.clicked.connect(self.register)
        self.extend_button.clicked.connect(self.extend_selected)
        self.answer_button.clicked.connect(self.answer_selected)
        self.export_button.clicked.connect(self.export_selected)
        self.erase_button.clicked.connect(self.erase_selected)
        self.table.doubleClicked.connect(lambda _index: self.answer_selected())
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        if self.can_handle:
            new = QShortcut(QKeySequence.StandardKey.New, self, self.register)
            new.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        if not self.can_read:
            self.table.hide()
            self.details.hide()
            self.empty_label.setText(self.tr(
                "U mag de verzoeken niet inzien met uw rol. Vraag de beheerder of de directie "
                "als u dit voor uw werk nodig hebt."))
            self.empty_label.show()
            for button in (self.register_button, self.extend_button, self.answer_button,
                           self.export_button, self.erase_button):
                button.hide()
        else:
            self.refresh()

    # --- data ------------------------------------------------------------------------------

    def refresh(self, select_id: int | None = None) -> None:
        if not self.can_read:
            return
        current = select_id if select_id is not None else self.current_request_id()
        today = local_today(self.clock)
        try:
            with self.vault.session() as session:
                rows = request_rows(session, self.user)
                ids = {row.pupil_id for row in rows if row.pupil_id is not None}
                names = {pid: " ".join(p for p in (first, prefix, last) if p)
                         for pid, first, prefix, last in session.execute(
                             select(Pupil.id, Pupil.first_name, Pupil.prefix, Pupil.last_name)
                             .where(Pupil.id.in_(ids)))} if ids else {}
        except RegisterError as error:
            self.empty_label.setText(str(error))
            self.table.hide()
            self.empty_label.show()
            return
        removed = self.tr("(leerling verwijderd)")
        self._all = [RequestLine(row, names.get(row.pupil_id, removed), today) for row in rows]
        self._apply_filter()
        if current is not None:
            self.select_request(current)
        self._on_selection()

    def _apply_filter(self) -> None:
        only_open = self.show_filter.currentData() == SHOW_OPEN
        lines = [line for line in self._all if not (only_open and line.closed)]
        self.model.set_rows(lines)
        overdue = sum(1 for line in self._all if line.overdue)
        text = plural(len(lines), self.tr("1 verzoek"), self.tr("%1 verzoeken"))
        if overdue:
            text += " · " + plural(overdue, self.tr("1 met verstreken termijn"),
                                   self.tr("%1 met verstreken termijn"))
        self.count_label.setText(text)
        empty = not lines
        if empty:
            self.empty_label.setText(
                self.tr("Er zijn geen openstaande verzoeken.") if only_open and self._all else
                self.tr("Er zijn nog geen verzoeken geregistreerd. Kies ‘Verzoek registreren…’ "
                        "wanneer een ouder om inzage, correctie of verwijdering vraagt."))
        self.table.setVisible(not empty)
        self.empty_label.setVisible(empty)
        self._on_selection()

    def lines(self) -> list[RequestLine]:
        return self.model.rows()

    # --- selection -------------------------------------------------------------------------

    def current_line(self) -> RequestLine | None:
        row = widgets.selected_row(self.table)
        return self.model.line_at(row) if row is not None else None

    def current_request_id(self) -> int | None:
        line = self.current_line()
        return line.request.id if line else None

    def select_request(self, request_id: int) -> bool:
        row = self.model.row_of(request_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def _on_selection(self, *_args: object) -> None:
        line = self.current_line()
        request = line.request if line else None
        is_open = request is not None and request.status not in CLOSED
        self.extend_button.setEnabled(is_open)
        self.answer_button.setEnabled(is_open)
        self.export_button.setEnabled(request is not None and request.kind == RequestKind.ACCESS
                                      and request.pupil_id is not None)
        self.erase_button.setEnabled(request is not None and request.kind == RequestKind.ERASURE
                                     and request.pupil_id is not None and is_open)
        self._show_details(line)

    def _show_details(self, line: RequestLine | None) -> None:
        labels = self.detail_labels
        if line is None:
            self.details.setTitle(self.tr("Gekozen verzoek"))
            for label in labels.values():
                label.setText("—")
            return
        request = line.request
        self.details.setTitle(self.tr("Verzoek {n}: {kind}").format(
            n=request.id, kind=kind_label(request.kind).lower()))
        with self.vault.session() as session:
            record = session.get(DataRequest, request.id)
            guardian = session.get(Guardian, record.guardian_id) if record.guardian_id else None
            guardian_name = " ".join(p for p in (guardian.first_name, guardian.prefix,
                                                 guardian.last_name) if p) if guardian else ""
            description, reason = record.description, record.extension_reason
            told_on, answer_text = record.extension_told_on, record.answer
        who = line.pupil
        if guardian_name:
            who += self.tr(" — verzoek van {name}").format(name=guardian_name)
        labels["who"].setText(who)
        labels["description"].setText(description or "—")
        if request.extended_months:
            months = self.tr("1 maand") if request.extended_months == 1 else \
                self.tr("{n} maanden").format(n=request.extended_months)
            labels["extension"].setText(self.tr(
                "{months} verlengd tot {deadline}; ingelicht op {told}. Reden: {reason}").format(
                    months=months, deadline=format_dutch_date(request.deadline),
                    told=format_dutch_date(told_on), reason=reason))
        else:
            labels["extension"].setText(self.tr("niet verlengd"))
        if request.answered_on:
            labels["answer"].setText(self.tr("{day}: {text}").format(
                day=format_dutch_date(request.answered_on), text=answer_text))
        else:
            labels["answer"].setText(self.tr("nog niet beantwoord"))

    # --- actions ---------------------------------------------------------------------------

    def register(self) -> int | None:
        if not self.can_handle:
            return None
        with self.vault.session() as session:
            pupils = pupil_rows(session, self.user)
        request_id = RegisterRequestDialog.ask(self, self.vault, self.user, pupils,
                                               clock=self.clock)
        if request_id is not None:
            self.show_filter.setCurrentIndex(0)
            self.refresh(select_id=request_id)
            self.changed.emit()
        return request_id

    def extend_selected(self) -> None:
        line = self.current_line()
        if line is None or not self.can_handle:
            return
        if ExtendDialog.ask(self, self.vault, self.user, line.request, clock=self.clock):
            self.refresh(select_id=line.request.id)
            self.changed.emit()

    def answer_selected(self) -> None:
        line = self.current_line()
        if line is None or not self.can_handle or line.closed:
            return
        if AnswerDialog.ask(self, self.vault, self.user, line.request, clock=self.clock):
            self.refresh(select_id=line.request.id)
            self.changed.emit()

    def export_selected(self, *, password: str | None = None) -> Task | None:
        """Inzage-export: password (dialog), file (save dialog), then the PDF in a worker."""
        line = self.current_line()
        if line is None or line.request.pupil_id is None or not self.can_handle:
            return None
        if password is None:
            password = AccessExportDialog.ask(self, line.pupil)
            if password is None:
                return None
        title = self.tr("Inzage-export")
        path = files.choose_save_path(self, title, self.tr("Inzage {name}").format(
            name=line.pupil))
        if path is None:
            return None
        try:
            with self.vault.session() as session:
                facts = gather_access(session, self.user, line.request.pupil_id,
                                      clock=self.clock)
                school = get_school(session)
                school_name = school.name if school else ""
        except RegisterError as error:
            widgets.warn(self, title, str(error))
            return None
        printed_at = self.clock()
        from desktop.printing.access_export import access_export_pdf

        def work(_progress) -> Path:  # noqa: ANN001 - runs on the worker thread
            return access_export_pdf(path, school_name, facts, printed_at=printed_at,
                                     password=password or None)

        def done(outcome: Outcome) -> None:
            self.task = None
            if not outcome.ok:
                path.unlink(missing_ok=True)
                widgets.warn(self, title, self.tr(
                    "De inzage-export kon niet worden gemaakt: {reason}").format(
                        reason=failure_reason(outcome.error)))
                return
            protected = self.tr("De PDF is beveiligd met het gekozen wachtwoord; geef dat "
                                "apart door.") if password else \
                self.tr("De PDF heeft geen wachtwoord en is dus niet versleuteld: bewaar of "
                        "verstuur hem zorgvuldig en verwijder hem als hij niet meer nodig is.")
            files.show_saved(self, title, self.tr(
                "De inzage-export is opgeslagen:\n{path}\n\n{protected}").format(
                    path=path, protected=protected), path)

        self.task = run_task(self, work, done, title=title,
                             label=self.tr("De inzage-export wordt gemaakt…"), cancellable=False)
        return self.task

    def erase_selected(self, *, category: str | None = None) -> bool:
        """Verwijderen op verzoek: choose what, confirm, back up, erase. True when erased."""
        line = self.current_line()
        if line is None or line.request.pupil_id is None or not self.can_erase:
            return False
        title = self.tr("Gegevens verwijderen")
        if category is None:
            category = EraseChoiceDialog.ask(self, line.pupil, line.request.id)
            if category is None:
                return False
        question = self.tr(
            "Dit wordt verwijderd:\n\n• {pupil}: {what}\n\nEerst wordt een reservekopie van het "
            "register gemaakt. In het register blijft alleen vastgelegd dát er op verzoek {n} is "
            "verwijderd, zonder namen. Dit kan niet ongedaan worden gemaakt.\n\n"
            "Nu verwijderen?").format(pupil=line.pupil, what=erasable_label(category),
                                      n=line.request.id)
        if not widgets.confirm(self, title, question, yes=self.tr("Verwijderen"),
                               no=self.tr("Annuleren"), danger=True):
            return False
        done = delete_after_backup(self, self.vault, self.user, title, lambda session: erase(
            session, self.user, line.request.pupil_id, category, request_id=line.request.id,
            clock=self.clock))
        if done is None:
            return False
        backup = done[0]
        self.refresh(select_id=line.request.id)
        self.changed.emit()
        widgets.inform(self, title, self.tr(
            "Verwijderd. Een reservekopie van vóór het verwijderen staat in\n{backup}\n\n"
            "Vergeet niet het verzoek te beantwoorden (‘Beantwoorden…’).").format(backup=backup))
        return True
