"""Verwerkingsregister (AVG art. 30): the school's processing activities, each with fields a–g
as they would be printed today (db.processing.activity_fields), added and changed in a dialog
(SETTINGS), retired when the school no longer does it, and printed to PDF through export."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QScrollArea, QSplitter, QWidget
from sqlalchemy.orm import Session

from db.clock import local_today
from db.permissions import Permission
from db.processing import (
    ART30_FIELDS,
    Activity,
    activity_fields,
    controller_lines,
    processing_activities,
    retire_activity,
)
from db.school import get_school, school_contact
from db.text import format_dutch_date
from desktop.admin.school_contact import SchoolContactDialog, contact_button_text
from desktop.kit import widgets
from desktop.kit.details import DetailsBox
from desktop.kit.page import Action, RegisterPage, register_page
from desktop.kit.table import Column, RowsTable
from desktop.kit.tasks import Task, export
from desktop.kit.widgets import plural
from desktop.processing.dialog import ActivityDialog


def _tr(text: str) -> str:
    return QCoreApplication.translate("processing", text)


class RegisterData(NamedTuple):
    school_name: str
    controller: list[str]
    activities: list[Activity]


def _one_line(text: str) -> str:
    return " ".join(text.split())


class ProcessingPage(RegisterPage):
    KEY, TITLE = "processing", QT_TRANSLATE_NOOP("Areas", "Verwerkingsregister")
    PERMISSION = Permission.READ_REGISTER
    TR_CONTEXT = "processing"
    HINT = QT_TRANSLATE_NOOP("processing", "Het register van verwerkingsactiviteiten (AVG "
                             "artikel 30): wat de school met persoonsgegevens doet en waarom. "
                             "Leveranciers en bewaartermijnen komen uit het register, zoals ze "
                             "vandaag zijn.")
    LOCKED_TEXT = QT_TRANSLATE_NOOP("processing", "U mag het verwerkingsregister niet inzien met "
                                    "uw rol. Vraag de beheerder of de directie als u dit voor "
                                    "uw werk nodig hebt.")

    def build(self) -> QWidget:
        self.data: RegisterData | None = None
        self.table = RowsTable([
            Column(_tr("Verwerking"), lambda a: a.name, 250),
            Column(_tr("Doelen"), lambda a: _one_line(a.purposes), 330),
            Column(_tr("Betrokkenen"), lambda a: _one_line(a.subjects), 200),
            Column(_tr("Leveranciers"), lambda a: len(a.suppliers) or "", 100),
            Column(_tr("Bewaartermijnen"), lambda a: "; ".join(t.label for t in a.terms)
                   or _one_line(a.retention)),
        ], key=lambda a: a.id, name=_tr("Verwerkingen"),
            empty_text=_tr("Nog geen verwerkingen. Leg met ‘Verwerking toevoegen…’ vast wat "
                           "de school met persoonsgegevens doet."))
        self.details = DetailsBox(_tr("Gekozen verwerking"), [
            (letter, f"{letter}. {_tr(text)}") for letter, text in ART30_FIELDS])
        scroll = QScrollArea()
        scroll.setWidget(self.details)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.table.selected.connect(self._show_details)
        self.table.view.doubleClicked.connect(lambda _index: self.edit_activity())
        self.table.view.activated.connect(lambda _index: self.edit_activity())
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 340])
        splitter.setChildrenCollapsible(False)
        return splitter

    def load(self, session: Session) -> RegisterData:
        school = get_school(session)
        name = school.name if school else ""
        return RegisterData(name, controller_lines(name, school_contact(session, self.user)),
                            processing_activities(session, self.user))

    def show_rows(self, data: RegisterData) -> None:
        self.data = data
        self.table.set_rows(data.activities)
        if self.table.current() is None and data.activities:
            self.table.choose(data.activities[0].id)
        self.set_count(plural(len(data.activities), _tr("1 verwerking"),
                              _tr("%1 verwerkingen")))

    def actions(self) -> list[Action]:
        return [Action(_tr("Verwerking &toevoegen…"), self.add_activity, Permission.SETTINGS,
                       primary=True, name="add", shortcut=QKeySequence.StandardKey.New,
                       tooltip=_tr("Een verwerking vastleggen die nog niet in het register "
                                   "staat (Ctrl+N)")),
                Action(_tr("&Wijzigen…"), self.edit_activity, Permission.SETTINGS,
                       name="edit", tooltip=_tr("De gekozen verwerking wijzigen (Enter)")),
                Action(_tr("&Buiten gebruik…"), self.retire, Permission.SETTINGS,
                       name="retire", tooltip=_tr("De school doet dit niet meer: de "
                                                  "verwerking gaat uit het register")),
                Action(contact_button_text(), self.edit_contact, Permission.SETTINGS,
                       name="contact", tooltip=_tr("Verantwoordelijke en FG (veld a)")),
                Action(_tr("Register &afdrukken…"), self.print_register, name="print",
                       tooltip=_tr("Het hele register als PDF, voor de FG of een inspectie"))]

    def current(self) -> Activity | None:
        return self.table.current()

    def _show_details(self, activity: Activity | None) -> None:
        for name in ("edit", "retire"):
            if name in self.buttons:
                self.buttons[name].setEnabled(activity is not None
                                              and self.buttons["add"].isEnabled())
        if activity is None or self.data is None:
            self.details.clear()
            return
        fields = activity_fields(activity, local_today(self.clock), self.data.controller)
        self.details.show_values(activity.name, {
            letter: "\n".join(lines) for letter, _label, lines in fields})

    def add_activity(self) -> None:
        activity_id = ActivityDialog.ask(self, self.vault, self.user, clock=self.clock)
        if activity_id is not None:
            self.refresh()
            self.table.choose(activity_id)
            self.changed.emit()

    def edit_activity(self) -> None:
        activity = self.current()
        if activity is None or not self.buttons["edit"].isEnabled():
            return
        if ActivityDialog.ask(self, self.vault, self.user, activity,
                              clock=self.clock) is not None:
            self.refresh()
            self.changed.emit()

    def retire(self) -> None:
        activity = self.current()
        if activity is None or not self.buttons["retire"].isEnabled():
            return
        if not widgets.confirm(self, _tr("Verwerking buiten gebruik"), _tr(
                "Doet de school ‘{name}’ niet meer? Dan gaat deze verwerking uit het register "
                "en uit de afdruk. Het auditlog bewaart dat ze er was.").format(
                    name=activity.name), yes=_tr("Buiten gebruik stellen"), danger=True):
            return
        with self.vault.session() as session:
            retire_activity(session, self.user, activity.id, clock=self.clock)
        self.refresh()
        self.changed.emit()

    def edit_contact(self) -> None:
        if SchoolContactDialog.ask(self, self.vault, self.user, clock=self.clock):
            self.refresh()
            self.changed.emit()

    def print_register(self, *, blocking: bool = False) -> Task | None:
        from desktop.printing.processing_register import processing_register_pdf

        today = local_today(self.clock)

        def gather(session: Session) -> RegisterData:
            return self.load(session)

        def write(path: Path, data: RegisterData, _progress) -> None:  # noqa: ANN001
            processing_register_pdf(path, data.school_name, data.controller, data.activities,
                                    printed_on=today)

        return export(self, self.vault, title=_tr("Verwerkingsregister afdrukken"),
                      suggested_name=_tr("Verwerkingsregister {day}").format(
                          day=format_dutch_date(today)),
                      gather=gather, write=write, blocking=blocking,
                      saved_text=_tr("Het verwerkingsregister is opgeslagen:\n{path}"))


register_page(ProcessingPage)
