"""Fotocheck: "may these pupils be in this photo for these purposes?" (db.photo_check).

On the left what the photo is for (one or more purposes) and who is in it (a whole group, or
pupils ticked by name); on the right who may not, and why, updated as the choice changes. A
leerkracht is offered only their own group(s); db.photo_check refuses any other. The answer
prints for the photographer through export.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from db.clock import local_today
from db.consent_sheets import purpose_texts
from db.errors import RegisterError
from db.permissions import Permission, own_groups
from db.photo_check import (
    REASON_LABELS,
    Blocked,
    CheckPupil,
    PhotoCheck,
    photo_candidates,
    photo_check,
)
from db.pupils import group_names, matches
from db.school import get_school
from db.text import fold, format_dutch_date
from desktop.kit.checklist import CheckList
from desktop.kit.forms import heading, hint
from desktop.kit.page import Action, RegisterPage, register_page
from desktop.kit.table import Column, RowsTable
from desktop.kit.tasks import Task, export
from desktop.kit.widgets import plural

ALL_GROUPS = ""  # the group filter's "alle groepen"


def _tr(text: str) -> str:
    return QCoreApplication.translate("photo_check", text)


@dataclass(frozen=True)
class Choices:
    today: date
    purposes: list[tuple[int, str, bool]]  # id, title, is an image purpose
    groups: list[str]
    pupils: list[CheckPupil]


class PhotoCheckPage(RegisterPage):
    KEY, TITLE = "photo_check", QT_TRANSLATE_NOOP("Areas", "Fotocheck")
    PERMISSION = Permission.READ_GROUP_PHOTO_LIST
    TR_CONTEXT = "photo_check"
    HINT = QT_TRANSLATE_NOOP("photo_check", "Kies waarvoor de foto is en wie erop staan: u ziet "
                             "meteen wie niet op de foto mag, en waarom. Geen toestemming "
                             "gegeven betekent: niet op de foto.")

    def build(self) -> QWidget:
        self.today = local_today(self.clock)
        self.check: PhotoCheck | None = None
        self._pupils: dict[int, CheckPupil] = {}
        self._keys: dict[int, str] = {}
        self._first = True

        self.purposes = CheckList(_tr("Waarvoor de foto is"))
        self.group = QComboBox()
        self.group.setAccessibleName(_tr("Groep"))
        self.group.setMinimumWidth(150)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_tr("Zoek op naam…"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(_tr("Leerlingen zoeken"))
        self.pupils = CheckList(_tr("Leerlingen op de foto"))
        self.nobody = QPushButton(_tr("&Niemand"))
        self.nobody.setToolTip(_tr("Alle vinkjes weghalen"))
        self.chosen_label = QLabel()

        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 8, 0)
        column.setSpacing(6)
        what = heading(_tr("1. &Waarvoor is de foto?"), size_delta=0)
        what.setBuddy(self.purposes)
        column.addWidget(what)
        column.addWidget(self.purposes)
        who = heading(_tr("2. Wie staan erop?"), size_delta=0)
        column.addSpacing(6)
        column.addWidget(who)
        row = QHBoxLayout()
        caption = QLabel(_tr("&Groep"))
        caption.setBuddy(self.group)
        row.addWidget(caption)
        row.addWidget(self.group, 1)
        column.addLayout(row)
        column.addWidget(self.search)
        column.addWidget(self.pupils, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.chosen_label, 1)
        bottom.addWidget(self.nobody)
        column.addLayout(bottom)

        self.answer = heading("", size_delta=3)
        self.answer.setAccessibleName(_tr("Uitkomst"))
        self.answer.setTextFormat(Qt.TextFormat.PlainText)
        self.blocked = RowsTable([
            Column(_tr("Leerling"), lambda b: b.pupil.name, 200),
            Column(_tr("Groep"), lambda b: b.pupil.group_name, 64),
            Column(_tr("Waarom niet"), self._why),
        ], key=lambda b: b.pupil.pupil_id, tone=lambda _b: "red",
            name=_tr("Mogen niet op de foto"),
            empty_text=_tr("✓ Iedereen die u koos mag op de foto, voor alles wat u aanvinkte."))
        self.clear_label = hint("")
        self.clear_label.setTextFormat(Qt.TextFormat.PlainText)
        right = QWidget()
        result = QVBoxLayout(right)
        result.setContentsMargins(8, 0, 0, 0)
        result.setSpacing(8)
        result.addWidget(self.answer)
        result.addWidget(self.blocked, 1)
        result.addWidget(self.clear_label)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([420, 720])
        splitter.setChildrenCollapsible(False)

        self.purposes.changed.connect(self.update_check)
        self.pupils.changed.connect(self.update_check)
        self.group.currentIndexChanged.connect(lambda _index: self.choose_group())
        self.group.activated.connect(lambda _index: self.choose_group())  # the same group again
        self.search.textChanged.connect(self._filter)
        self.nobody.clicked.connect(lambda: self.pupils.set_chosen(()))
        return splitter

    # --- reading ----------------------------------------------------------------------------

    def load(self, session: Session) -> Choices:
        today = local_today(self.clock)
        texts = purpose_texts(session)
        groups = group_names(session, self.user)
        if own_groups(self.user) is None:
            pupils = photo_candidates(session, self.user, today=today)
        else:  # a leerkracht: their own group(s) only
            pupils = [p for group in groups
                      for p in photo_candidates(session, self.user, today=today, group=group)]
        return Choices(today, [(t.purpose_id, t.title, t.is_image) for t in texts], groups,
                       pupils)

    def show_rows(self, data: Choices) -> None:
        self.today = data.today
        purposes, pupils = self.purposes.chosen(), self.pupils.chosen()
        group = self.group.currentData()
        images = [p for p in data.purposes if p[2]] or data.purposes
        self.purposes.set_items([(pid, title, "") for pid, title, _image in images])
        lines = self.fontMetrics().lineSpacing()
        self.purposes.setFixedHeight(min(len(images), 6) * (lines + 8) + 8)
        self._pupils = {p.pupil_id: p for p in data.pupils}
        self._keys = {p.pupil_id: fold(f"{p.name} {p.group_name}") for p in data.pupils}
        self.pupils.set_items([(p.pupil_id, _tr("{name} (groep {group})").format(
            name=p.name, group=p.group_name), "") for p in data.pupils])
        self.group.blockSignals(True)
        self.group.clear()
        if own_groups(self.user) is None:
            self.group.addItem(_tr("alle groepen"), ALL_GROUPS)
        for name in data.groups:
            self.group.addItem(_tr("Groep {name}").format(name=name), name)
        if self._first:  # the first image purpose and the user's (or the first) group
            self._first = False
            own = sorted(own_groups(self.user) or ())
            group = own[0] if own else (data.groups[0] if data.groups else ALL_GROUPS)
            purposes = images[:1] and (images[0][0],)
            pupils = tuple(p.pupil_id for p in data.pupils if p.group_name == group)
        self.group.setCurrentIndex(max(0, self.group.findData(group)))
        self.group.blockSignals(False)
        self.pupils.blockSignals(True)
        self.purposes.blockSignals(True)
        self.purposes.set_chosen(purposes)
        self.pupils.set_chosen(pupils)
        self.pupils.blockSignals(False)
        self.purposes.blockSignals(False)
        self._filter(self.search.text())
        self.update_check()

    # --- choosing ---------------------------------------------------------------------------

    def current_group(self) -> str:
        return self.group.currentData() or ALL_GROUPS

    def _filter(self, text: str) -> None:
        group = self.current_group()
        for index, pupil_id in enumerate(self.pupils.keys()):
            pupil = self._pupils[pupil_id]
            shown = (not group or pupil.group_name == group) and (
                not text.strip() or matches(self._keys[pupil_id], text))
            self.pupils.item(index).setHidden(not shown)

    def choose_group(self) -> None:
        """A group chosen: show and tick its pupils (and only them). 'alle groepen' shows
        everyone to pick by name, and leaves the ticks as they are."""
        group = self.current_group()
        self._filter(self.search.text())
        if group:
            self.pupils.set_chosen(pid for pid, p in self._pupils.items()
                                   if p.group_name == group)

    # --- the answer -------------------------------------------------------------------------

    def _why(self, blocked: Blocked) -> str:
        if self.check is not None and len(self.check.purposes) > 1:
            return blocked.describe()
        return "; ".join(REASON_LABELS[reason] for _title, reason in blocked.reasons)

    def update_check(self) -> None:
        """Ask db.photo_check again for the current choice (a few milliseconds)."""
        purposes, pupils = list(self.purposes.chosen()), list(self.pupils.chosen())
        self.chosen_label.setText(plural(len(pupils), _tr("1 leerling gekozen"),
                                         _tr("%1 leerlingen gekozen")))
        self.check = None
        message = ""
        if not purposes:
            message = _tr("Vink aan waarvoor de foto is.")
        elif not pupils:
            message = _tr("Kies een groep of vink de leerlingen aan die op de foto komen.")
        else:
            try:
                with self.vault.session() as session:
                    self.check = photo_check(session, self.user, purposes, pupils, self.today)
            except RegisterError as error:
                message = str(error)
        if "print" in self.buttons:
            self.buttons["print"].setEnabled(self.check is not None)
        if self.check is None:
            self.answer.setText(message)
            self.blocked.set_rows([])
            self.blocked.empty_label.setText(message)
            self.clear_label.setText("")
            self.set_count("")
            return
        check = self.check
        self.blocked.empty_label.setText(_tr(
            "✓ Iedereen die u koos mag op de foto, voor alles wat u aanvinkte."))
        self.answer.setText(_tr("{n} van de {total} mogen niet op de foto").format(
            n=len(check.blocked), total=check.checked) if check.blocked
            else _tr("Alle {total} mogen op de foto").format(total=check.checked))
        self.blocked.set_rows(list(check.blocked), keep_selection=False)
        names = ", ".join(p.name for p in check.clear)
        self.clear_label.setText(_tr("Mogen wel op de foto ({n}): {names}").format(
            n=len(check.clear), names=names) if check.clear else "")
        self.set_count(_tr("Stand van {day} · schooljaar {year}").format(
            day=format_dutch_date(check.on), year=check.school_year))

    # --- printing ---------------------------------------------------------------------------

    def actions(self) -> list[Action]:
        return [Action(_tr("&Afdrukken voor de fotograaf…"), self.print_check, primary=True,
                       name="print", tooltip=_tr("Wie niet op de foto mag, en waarom, als "
                                                 "PDF"))]

    def check_label(self) -> str:
        """What was checked, for the print's heading: 'groep 5A' or '12 leerlingen'."""
        chosen = set(self.pupils.chosen())
        groups = sorted({self._pupils[pid].group_name for pid in chosen},
                        key=lambda name: (len(name), name))
        whole = all({pid for pid, p in self._pupils.items() if p.group_name == group} <= chosen
                    for group in groups)
        if groups and whole:
            return _tr("groep {names}").format(names=", ".join(groups))
        return plural(len(chosen), _tr("1 leerling"), _tr("%1 leerlingen"))

    def print_check(self, *, blocking: bool = False) -> Task | None:
        from desktop.printing.photo_check import photo_check_pdf

        purposes, pupils = list(self.purposes.chosen()), list(self.pupils.chosen())
        if not purposes or not pupils:
            return None
        today, label = self.today, self.check_label()

        def gather(session: Session) -> tuple[PhotoCheck, str]:
            school = get_school(session)
            return (photo_check(session, self.user, purposes, pupils, today),
                    school.name if school else "")

        def write(path: Path, data: tuple[PhotoCheck, str], _progress) -> None:  # noqa: ANN001
            check, school_name = data
            photo_check_pdf(path, school_name, check, label=label)

        return export(self, self.vault, title=_tr("Fotocheck afdrukken"),
                      suggested_name=_tr("Fotocheck {label} {day}").format(
                          label=label, day=format_dutch_date(today)),
                      gather=gather, write=write, blocking=blocking,
                      saved_text=_tr("De fotocheck is opgeslagen:\n{path}"))


register_page(PhotoCheckPage)
