"""Verzoeken: the requests of data subjects (inzage, correctie, verwijdering, beperking, bezwaar)
with their one-month term; late ones red, almost due amber, closed grey. Registering,
extending and answering need HANDLE_REQUESTS; erasing on request needs ERASE as well.

The rules (the term, 'bijna verlopen', which statuses are closed) live in db.requests.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QSplitter, QWidget
from sqlalchemy.orm import Session

from db.access_export import AccessFacts, gather_access
from db.clock import local_today
from db.permissions import Permission, may
from db.pupils import pupil_rows
from db.requests import RequestLine, RequestStatus, request_details, request_lines
from db.retention import erase
from db.schema import RequestKind
from db.school import get_school
from db.text import format_dutch_date
from desktop.kit import widgets
from desktop.kit.details import DetailsBox
from desktop.kit.files import delete_after_backup
from desktop.kit.labels import code_label, label
from desktop.kit.page import Action, AreaContext, Attention, RegisterPage, register_page
from desktop.kit.table import Column, RowsTable
from desktop.kit.tasks import Task, export
from desktop.kit.widgets import plural
from desktop.requests.dialogs import (
    AccessExportDialog,
    AnswerDialog,
    EraseChoiceDialog,
    ExtendDialog,
    RegisterRequestDialog,
)

SHOW_ALL, SHOW_OPEN = "all", "open"
TONES = {"late": "red", "soon": "amber", "done": "grey"}  # db: RequestLine.urgency


def _tr(text: str) -> str:
    return QCoreApplication.translate("requests", text)


def pupil_name(line: RequestLine) -> str:
    return line.pupil or _tr("(leerling verwijderd)")


def status_text(line: RequestLine) -> str:
    """'open — nog 9 dagen', 'verlengd — laatste dag', 'beantwoord (te laat)'."""
    text = label(line.status)
    if line.status is RequestStatus.ANSWERED and line.answered_late:
        return _tr("{status} (te laat)").format(status=text)
    if line.closed:
        return text
    if line.overdue:
        return _tr("{status} — termijn verstreken").format(status=text)
    if line.days_left == 0:
        return _tr("{status} — laatste dag").format(status=text)
    if line.days_left == 1:
        return _tr("{status} — nog 1 dag").format(status=text)
    return _tr("{status} — nog {n} dagen").format(status=text, n=line.days_left)


class RequestsPage(RegisterPage):
    KEY, TITLE = "requests", QT_TRANSLATE_NOOP("Areas", "Verzoeken")
    PERMISSION = Permission.READ_REGISTER
    TR_CONTEXT = "requests"
    HINT = QT_TRANSLATE_NOOP("requests", "Antwoord binnen een maand na ontvangst; verlengen kan "
                             "met ten hoogste twee maanden, met een reden. Rood: de termijn is "
                             "verstreken. Oranje: nog een week of minder.")
    LOCKED_TEXT = QT_TRANSLATE_NOOP("requests", "U mag de verzoeken niet inzien met uw rol. "
                                    "Vraag de beheerder of de directie als u dit voor uw werk "
                                    "nodig hebt.")
    NUMBER, KIND, PUPIL, RECEIVED, DEADLINE, STATUS, ANSWERED = range(7)

    def build(self) -> QWidget:
        self._all: list[RequestLine] = []
        self.show_filter = QComboBox()
        self.show_filter.addItem(_tr("Alle verzoeken"), SHOW_ALL)
        self.show_filter.addItem(_tr("Alleen openstaande verzoeken"), SHOW_OPEN)
        self.show_filter.setMinimumWidth(240)
        self.add_filter(self.show_filter, _tr("&Toon"))
        self.show_filter.currentIndexChanged.connect(self._apply_filter)

        self.table = RowsTable([
            Column(_tr("Nummer"), lambda line: line.request.id, 80),
            Column(_tr("Soort"), lambda line: label(RequestKind(line.request.kind)), 120),
            Column(_tr("Leerling"), pupil_name, 260),
            Column(_tr("Ontvangen"), lambda line: line.request.received_on, 120),
            Column(_tr("Termijn tot"), lambda line: line.request.deadline, 120),
            Column(_tr("Status"), status_text, 260),
            Column(_tr("Beantwoord"), lambda line: line.request.answered_on),
        ], key=lambda line: line.request.id, tone=lambda line: TONES.get(line.urgency or ""),
            empty_text="", name=_tr("Verzoeken"))
        self.model = self.table.model
        self.details = DetailsBox(_tr("Gekozen verzoek"), [
            ("who", _tr("Leerling en ouder")), ("description", _tr("Omschrijving")),
            ("extension", _tr("Verlenging")), ("answer", _tr("Antwoord"))])
        self.table.selected.connect(self._on_selection)
        self.table.view.doubleClicked.connect(lambda _index: self.answer_selected())
        enter = QShortcut(QKeySequence(Qt.Key.Key_Return), self.table.view,
                          self.answer_selected)
        enter.setContext(Qt.ShortcutContext.WidgetShortcut)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        return splitter

    def load(self, session: Session) -> list[RequestLine]:
        return request_lines(session, self.user, local_today(self.clock))

    def show_rows(self, lines: list[RequestLine]) -> None:
        self._all = lines
        self._apply_filter()

    def _apply_filter(self) -> None:
        only_open = self.show_filter.currentData() == SHOW_OPEN
        lines = [line for line in self._all if not (only_open and line.closed)]
        self.table.empty_label.setText(
            _tr("Er zijn geen openstaande verzoeken.") if only_open and self._all else
            _tr("Er zijn nog geen verzoeken geregistreerd. Kies ‘Verzoek registreren…’ "
                "wanneer een ouder om inzage, correctie of verwijdering vraagt."))
        self.table.set_rows(lines)
        overdue = sum(1 for line in self._all if line.overdue)
        text = plural(len(lines), _tr("1 verzoek"), _tr("%1 verzoeken"))
        if overdue:
            text += " · " + plural(overdue, _tr("1 met verstreken termijn"),
                                   _tr("%1 met verstreken termijn"))
        self.set_count(text)

    def actions(self) -> list[Action]:
        return [
            Action(_tr("Verzoek &registreren…"), self.register, Permission.HANDLE_REQUESTS,
                   primary=True, name="register", shortcut=QKeySequence.StandardKey.New,
                   tooltip=_tr("Een nieuw verzoek van een ouder vastleggen (Ctrl+N)")),
            Action(_tr("&Verlengen…"), self.extend_selected, Permission.HANDLE_REQUESTS,
                   name="extend", tooltip=_tr("De termijn met een of twee maanden verlengen, "
                                              "met een reden")),
            Action(_tr("&Beantwoorden…"), self.answer_selected, Permission.HANDLE_REQUESTS,
                   name="answer", tooltip=_tr("Vastleggen dat en hoe het verzoek is "
                                              "beantwoord (Enter)")),
            Action(_tr("&Inzage-export…"), self.export_selected, Permission.HANDLE_REQUESTS,
                   name="export", tooltip=_tr("Een PDF met alles wat het register over de "
                                              "leerling vastlegt (bij een inzageverzoek)")),
            Action(_tr("Ver&wijderen…"), self.erase_selected, Permission.ERASE, name="erase",
                   tooltip=_tr("Gegevens van de leerling verwijderen (bij een "
                               "verwijderingsverzoek)")),
        ]

    @classmethod
    def attention(cls, context: AreaContext, session: Session) -> list[Attention]:
        """Requests past their term, and the open ones with the first deadline."""
        if not cls.may_open(context.user):
            return []
        lines = [line for line in request_lines(session, context.user,
                                                local_today(context.clock))
                 if not line.closed]
        overdue = [line for line in lines if line.overdue]
        running = sorted((line for line in lines if not line.overdue),
                         key=lambda line: line.request.deadline)
        items = []
        if overdue:
            items.append(Attention(text=plural(
                len(overdue),
                _tr("1 verzoek van een ouder is niet binnen de termijn beantwoord."),
                _tr("%1 verzoeken van ouders zijn niet binnen de termijn beantwoord.")),
                area=cls.KEY, level="late"))
        if running:
            text = plural(len(running), _tr("Er staat 1 verzoek open"),
                          _tr("Er staan %1 verzoeken open"))
            first = running[0]
            items.append(Attention(
                text=_tr("{open}; beantwoord het eerste uiterlijk op {day}.").format(
                    open=text, day=format_dutch_date(first.request.deadline)),
                area=cls.KEY, level="soon" if first.urgency == "soon" else "todo",
                target=first.request.id))
        return items

    # --- the chosen request ------------------------------------------------------------

    def lines(self) -> list[RequestLine]:
        return self.table.rows()

    def current_line(self) -> RequestLine | None:
        return self.table.current()

    def current_request_id(self) -> int | None:
        line = self.current_line()
        return line.request.id if line else None

    def select_request(self, request_id: int) -> bool:
        return self.table.choose(request_id)

    def refresh_to(self, request_id: int) -> None:
        self.refresh()
        self.select_request(request_id)

    def _allowed(self, name: str) -> bool:
        return name in self.buttons and may(self.user, {
            "erase": Permission.ERASE}.get(name, Permission.HANDLE_REQUESTS))

    def _on_selection(self, line: RequestLine | None) -> None:
        request = line.request if line else None
        is_open = line is not None and not line.closed
        wanted = {"extend": is_open, "answer": is_open,
                  "export": request is not None and request.kind == RequestKind.ACCESS
                  and request.pupil_id is not None,
                  "erase": request is not None and request.kind == RequestKind.ERASURE
                  and request.pupil_id is not None and is_open
                  and may(self.user, Permission.HANDLE_REQUESTS)}
        for name, enabled in wanted.items():
            if name in self.buttons:
                self.buttons[name].setEnabled(enabled and self._allowed(name))
        self._show_details(line)

    def _show_details(self, line: RequestLine | None) -> None:
        if line is None:
            self.details.clear()
            return
        request = line.request
        with self.vault.session() as session:
            details = request_details(session, self.user, request.id)
        who = pupil_name(line)
        if details.guardian:
            who += _tr(" — verzoek van {name}").format(name=details.guardian)
        if request.extended_months:
            months = _tr("1 maand") if request.extended_months == 1 else \
                _tr("{n} maanden").format(n=request.extended_months)
            extension = _tr("{months} verlengd tot {deadline}; ingelicht op {told}. Reden: "
                            "{reason}").format(
                months=months, deadline=format_dutch_date(request.deadline),
                told=format_dutch_date(details.extension_told_on),
                reason=details.extension_reason)
        else:
            extension = _tr("niet verlengd")
        answer = _tr("{day}: {text}").format(day=format_dutch_date(request.answered_on),
                                             text=details.answer) \
            if request.answered_on else _tr("nog niet beantwoord")
        self.details.show_values(
            _tr("Verzoek {n}: {kind}").format(n=request.id,
                                              kind=label(RequestKind(request.kind)).lower()),
            {"who": who, "description": details.description, "extension": extension,
             "answer": answer})

    # --- actions -----------------------------------------------------------------------

    def register(self) -> int | None:
        if not may(self.user, Permission.HANDLE_REQUESTS):
            return None
        with self.vault.session() as session:
            pupils = pupil_rows(session, self.user)
        request_id = RegisterRequestDialog.ask(self, self.vault, self.user, pupils,
                                               clock=self.clock)
        if request_id is not None:
            self.show_filter.setCurrentIndex(0)
            self.refresh_to(request_id)
            self.changed.emit()
        return request_id

    def extend_selected(self) -> None:
        line = self.current_line()
        if line is None or line.closed or not self._allowed("extend"):
            return
        if ExtendDialog.ask(self, self.vault, self.user, line.request, clock=self.clock):
            self.refresh_to(line.request.id)
            self.changed.emit()

    def answer_selected(self) -> None:
        line = self.current_line()
        if line is None or line.closed or not self._allowed("answer"):
            return
        if AnswerDialog.ask(self, self.vault, self.user, line.request, clock=self.clock):
            self.refresh_to(line.request.id)
            self.changed.emit()

    def export_selected(self, *, password: str | None = None,
                        blocking: bool = False) -> Task | None:
        """Inzage-export: a password (dialog), where to save, then gathering and writing the
        PDF on a worker (kit.tasks.export)."""
        from desktop.printing.access_export import access_export_pdf

        line = self.current_line()
        if line is None or line.request.pupil_id is None or not self._allowed("export"):
            return None
        if password is None:
            password = AccessExportDialog.ask(self, pupil_name(line))
            if password is None:
                return None
        user, clock, pupil_id = self.user, self.clock, line.request.pupil_id
        printed_at = clock()

        def gather(session: Session) -> tuple[str, AccessFacts]:
            school = get_school(session)
            return (school.name if school else "",
                    gather_access(session, user, pupil_id, clock=clock))

        def write(path: Path, data: tuple[str, AccessFacts], _progress) -> None:  # noqa: ANN001
            school_name, facts = data
            access_export_pdf(path, school_name, facts, printed_at=printed_at,
                              password=password or None)

        protected = _tr("De PDF is beveiligd met het gekozen wachtwoord; geef dat apart "
                        "door.") if password else \
            _tr("De PDF heeft geen wachtwoord en is dus niet versleuteld: bewaar of verstuur "
                "hem zorgvuldig en verwijder hem als hij niet meer nodig is.")
        return export(self, self.vault, title=_tr("Inzage-export"),
                      suggested_name=_tr("Inzage {name}").format(name=pupil_name(line)),
                      gather=gather, write=write, blocking=blocking,
                      saved_text=_tr("De inzage-export is opgeslagen:\n{path}") + "\n\n"
                      + protected.replace("{", "{{").replace("}", "}}"))

    def erase_selected(self, *, category: str | None = None) -> bool:
        """Verwijderen op verzoek: choose what, confirm, back up, erase. True when erased."""
        line = self.current_line()
        if line is None or line.request.pupil_id is None or not self._allowed("erase") \
                or not may(self.user, Permission.HANDLE_REQUESTS):
            return False
        title = _tr("Gegevens verwijderen")
        if category is None:
            category = EraseChoiceDialog.ask(self, pupil_name(line), line.request.id)
            if category is None:
                return False
        question = _tr(
            "Dit wordt verwijderd:\n\n• {pupil}: {what}\n\nEerst wordt een reservekopie van het "
            "register gemaakt. In het register blijft alleen vastgelegd dát er op verzoek {n} is "
            "verwijderd, zonder namen. Dit kan niet ongedaan worden gemaakt.\n\n"
            "Nu verwijderen?").format(pupil=pupil_name(line),
                                      what=code_label("erase", category), n=line.request.id)
        if not widgets.confirm(self, title, question, yes=_tr("Verwijderen"),
                               no=_tr("Annuleren"), danger=True):
            return False
        user, clock, request = self.user, self.clock, line.request
        done = delete_after_backup(self, self.vault, user, title, lambda session: erase(
            session, user, request.pupil_id, category, request_id=request.id, clock=clock))
        if done is None:
            return False
        backup = done[0]
        self.refresh_to(request.id)
        self.changed.emit()
        widgets.inform(self, title, _tr(
            "Verwijderd. Een reservekopie van vóór het verwijderen staat in\n{backup}\n\n"
            "Vergeet niet het verzoek te beantwoorden (‘Beantwoorden…’).").format(backup=backup))
        return True


register_page(RequestsPage)
