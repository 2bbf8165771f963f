"""Dialogs of the Verzoeken area: register, extend, answer, the access-export password and
the choice of what an erasure request removes. Each saves through db.requests and shows a
ValidationError under the field it names."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QCompleter,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from db.clock import Clock, local_today, system_clock
from db.errors import ValidationError
from db.permissions import Actor
from db.pupils import PupilRow, guardians_of
from db.requests import (
    MAX_EXTENSION_MONTHS,
    RequestInput,
    RequestRow,
    add_months,
    answer,
    answer_deadline,
    extend,
    register_request,
)
from db.retention import ERASABLE
from db.schema import RequestKind
from db.text import fold, format_dutch_date
from db.vault import Vault
from desktop.kit.forms import FormDialog, date_of, hint, text_box
from desktop.kit.labels import code_label, explained, label
from desktop.kit.widgets import DateEdit

SEARCH_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole
NOT_IN_LIST = -1  # pupil_id() when the typed text matches no pupil


def _tr(text: str) -> str:
    return QCoreApplication.translate("requests", text)


def pupil_label(row: PupilRow, today: date) -> str:
    """'Sem van den Berg (groep 4A)', with '— vertrokken' for a pupil who left."""
    text = _tr("{name} (groep {group})").format(name=row.full_name, group=row.group_name) \
        if row.group_name else row.full_name
    if not row.is_current(today):
        text += " — " + _tr("vertrokken")
    return text


class _NameCompleter(QCompleter):
    """Matches on a folded search text (accents, voorvoegsel), shows and fills in the name."""

    def pathFromIndex(self, index: QModelIndex) -> str:
        return str(index.data(Qt.ItemDataRole.DisplayRole) or "")


class PupilCombo(QComboBox):
    """A pupil chosen by typing part of the name: 'berg', 'ismael' and 'van den' all find
    them. ``pupil_id()`` is None when empty and NOT_IN_LIST when the text matches no one."""

    def __init__(self, rows: list[PupilRow], today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(15)
        self.setMinimumWidth(420)
        model = QStandardItemModel(self)
        for row in rows:
            label = pupil_label(row, today)
            item = QStandardItem(label)
            item.setData(row.id, ID_ROLE)
            item.setData(f"{label} | {fold(label)} | {row.search_key}", SEARCH_ROLE)
            model.appendRow(item)
        self.setModel(model)
        completer = _NameCompleter(model, self)
        completer.setCompletionRole(SEARCH_ROLE)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setMaxVisibleItems(12)
        self.setCompleter(completer)
        self.setCurrentIndex(-1)
        self.lineEdit().setPlaceholderText(_tr("typ een deel van de naam"))

    def pupil_id(self) -> int | None:
        text = self.currentText().strip()
        if not text:
            return None
        index = self.currentIndex()
        if index < 0 or self.itemText(index) != text:
            index = self.findText(text, Qt.MatchFlag.MatchFixedString)
        return self.itemData(index, ID_ROLE) if index >= 0 else NOT_IN_LIST

    def select_pupil(self, pupil_id: int) -> bool:
        index = self.findData(pupil_id, ID_ROLE)
        self.setCurrentIndex(index)
        return index >= 0


class RegisterRequestDialog(FormDialog):
    """Verzoek registreren. After accept(), ``request_id`` holds the new request's id."""

    def __init__(self, parent: QWidget | None, vault: Vault, user: Actor, pupils: list[PupilRow],
                 *, clock: Clock = system_clock) -> None:
        super().__init__(parent, self.tr("Verzoek registreren"), ok_text=self.tr("Registreren"),
                         intro=self.tr(
                             "Een verzoek van een ouder/verzorger (of van een leerling vanaf 16 "
                             "jaar) over de gegevens die de school vastlegt. Het antwoord moet "
                             "binnen een maand na ontvangst zijn verstuurd."))
        self.vault, self.user, self.clock = vault, user, clock
        self.request_id: int | None = None
        today = local_today(clock)
        self.kind = QComboBox()
        for kind in RequestKind:
            self.kind.addItem(explained(kind), kind)
        self.received_on = DateEdit(today)
        self.deadline_hint = QLabel()
        self.deadline_hint.setStyleSheet("color: #555555;")
        self.pupil = PupilCombo(pupils, today)
        self.guardian = QComboBox()
        self.guardian.setMinimumWidth(420)
        self.description = text_box(4)
        self.description.setPlaceholderText(self.tr(
            "Wat vraagt de ouder precies, en hoe kwam het verzoek binnen (brief, e-mail, "
            "gesprek)?"))
        self.errors.add(self.form, "kind", self.tr("&Soort verzoek *"), self.kind)
        received = QWidget()
        row = QVBoxLayout(received)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(self.received_on)
        row.addWidget(self.deadline_hint)
        self.errors.add(self.form, "received_on", self.tr("&Ontvangen op *"), self.received_on,
                        extra=received)
        self.errors.add(self.form, "pupil", self.tr("&Leerling *"), self.pupil)
        self.errors.add(self.form, "guardian", self.tr("Van &ouder/verzorger"), self.guardian)
        self.errors.add(self.form, "description", self.tr("&Omschrijving"), self.description)
        self.received_on.textChanged.connect(self._update_deadline)
        self.pupil.currentIndexChanged.connect(self._load_guardians)
        self._load_guardians()
        self._update_deadline()
        self.kind.setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None, vault: Vault, user: Actor, pupils: list[PupilRow], *,
            clock: Clock = system_clock) -> int | None:
        dialog = cls(parent, vault, user, pupils, clock=clock)
        try:
            return dialog.request_id if dialog.exec() == FormDialog.DialogCode.Accepted \
                else None
        finally:
            dialog.deleteLater()

    def _update_deadline(self) -> None:
        try:
            received = self.received_on.date_value()
        except ValueError:
            received = None
        self.deadline_hint.setText(self.tr("Antwoorden uiterlijk op {day}.").format(
            day=format_dutch_date(answer_deadline(received))) if received else "")

    def _load_guardians(self) -> None:
        self.guardian.clear()
        self.guardian.addItem(self.tr("— geen ouder (bijvoorbeeld de leerling zelf) —"), None)
        pupil_id = self.pupil.pupil_id()
        if pupil_id in (None, NOT_IN_LIST):
            self.guardian.setEnabled(False)
            return
        with self.vault.session() as session:
            guardians = guardians_of(session, self.user, pupil_id)
        for guardian in guardians:
            details = guardian.relation or self.tr("ouder")
            if guardian.has_authority:
                details += ", " + self.tr("met gezag")
            self.guardian.addItem(f"{guardian.full_name} ({details})", guardian.id)
        self.guardian.setEnabled(True)
        if guardians:
            self.guardian.setCurrentIndex(1)

    def value(self) -> RequestInput:
        received = date_of(self.received_on, "received_on", self.tr("De ontvangstdatum"))
        pupil_id = self.pupil.pupil_id()
        if pupil_id is None:
            raise ValidationError(self.tr("Kies de leerling om wie het verzoek gaat."),
                                  field="pupil")
        if pupil_id == NOT_IN_LIST:
            raise ValidationError(self.tr(
                "Deze leerling staat niet in de lijst. Typ een deel van de naam en kies de "
                "leerling met de pijltjestoetsen en Enter."), field="pupil")
        return RequestInput(kind=self.kind.currentData(), received_on=received,
                            pupil_id=pupil_id, guardian_id=self.guardian.currentData(),
                            description=self.description.toPlainText())

    def save(self) -> None:
        data = self.value()
        with self.vault.session() as session:
            self.request_id = register_request(session, self.user, data, clock=self.clock).id


class ExtendDialog(FormDialog):
    """Verlengen (AVG art. 12 lid 3): one or two months more, with a reason that the requester
    was told within the first month."""

    def __init__(self, parent: QWidget | None, vault: Vault, user: Actor, request: RequestRow, *,
                 clock: Clock = system_clock) -> None:
        first_month = answer_deadline(request.received_on)
        super().__init__(parent, self.tr("Termijn verlengen — verzoek {n}").format(n=request.id),
                         ok_text=self.tr("Verlengen"), intro=self.tr(
                             "Verlengen kan met ten hoogste twee maanden, alleen met een reden, "
                             "en alleen als de verzoeker dat binnen de eerste maand (uiterlijk "
                             "{day}) te horen krijgt.").format(
                                 day=format_dutch_date(first_month)))
        self.vault, self.user, self.clock, self.request = vault, user, clock, request
        self.months = QComboBox()
        for months in range(1, MAX_EXTENSION_MONTHS + 1):
            new_deadline = add_months(first_month, months)
            text = self.tr("1 maand") if months == 1 else self.tr("{n} maanden").format(n=months)
            self.months.addItem(self.tr("{months} (nieuwe termijn tot {day})").format(
                months=text, day=format_dutch_date(new_deadline)), months)
        self.months.setCurrentIndex(max(0, self.months.findData(request.extended_months or 1)))
        self.reason = text_box(3)
        self.reason.setPlaceholderText(self.tr(
            "Bijvoorbeeld: het verzoek is complex, er is overleg met de leverancier nodig."))
        self.told_on = DateEdit(local_today(clock))
        self.errors.add(self.form, "months", self.tr("&Verlengen met *"), self.months)
        self.errors.add(self.form, "reason", self.tr("&Reden *"), self.reason)
        self.errors.add(self.form, "told_on", self.tr("Verzoeker &ingelicht op *"), self.told_on)
        self.errors.alias("status", "months")
        self.months.setFocus()

    def save(self) -> None:
        told_on = date_of(self.told_on, "told_on", self.tr("De datum van inlichten"))
        with self.vault.session() as session:
            extend(session, self.user, self.request.id, months=self.months.currentData(),
                   reason=self.reason.toPlainText(), told_on=told_on,
                   loaded_version=self.request.version, clock=self.clock)


class AnswerDialog(FormDialog):
    """Beantwoorden: when the answer went out and what it said, in short."""

    def __init__(self, parent: QWidget | None, vault: Vault, user: Actor, request: RequestRow, *,
                 clock: Clock = system_clock) -> None:
        super().__init__(parent, self.tr("Verzoek {n} beantwoorden").format(n=request.id),
                         ok_text=self.tr("Opslaan als beantwoord"), intro=self.tr(
                             "{kind}, ontvangen op {received}; termijn tot {deadline}.").format(
                                 kind=label(RequestKind(request.kind)),
                                 received=format_dutch_date(request.received_on),
                                 deadline=format_dutch_date(request.deadline)))
        self.vault, self.user, self.clock, self.request = vault, user, clock, request
        self.answered_on = DateEdit(local_today(clock))
        self.text = text_box(5)
        self.text.setPlaceholderText(self.tr(
            "Wat is er geantwoord of gedaan? Bijvoorbeeld: overzicht per e-mail verstuurd, "
            "gegevens gecorrigeerd in ParnasSys."))
        self.errors.add(self.form, "answered_on", self.tr("&Beantwoord op *"), self.answered_on)
        self.errors.add(self.form, "answer", self.tr("&Samenvatting antwoord *"), self.text)
        self.errors.alias("status", "answer")
        self.text.setFocus()

    def save(self) -> None:
        answered_on = date_of(self.answered_on, "answered_on", self.tr("De antwoorddatum"))
        with self.vault.session() as session:
            answer(session, self.user, self.request.id, answered_on=answered_on,
                   text=self.text.toPlainText(), loaded_version=self.request.version,
                   clock=self.clock)


MIN_EXPORT_PASSWORD = 8


class AccessExportDialog(FormDialog):
    """Inzage-export: an optional password (typed twice) for the PDF. ``password`` after
    accept(): the password, or '' for a PDF without one."""

    def __init__(self, parent: QWidget | None, pupil_name: str) -> None:
        super().__init__(parent, self.tr("Inzage-export maken"), ok_text=self.tr("Verder…"),
                         intro=self.tr(
                             "Een PDF met alles wat het register over {name} vastlegt: "
                             "gegevens, ouders, toestemmingen, uitwisselingen, verzoeken en wie "
                             "de gegevens heeft ingezien.").format(name=pupil_name))
        self.password: str | None = None
        self.first = QLineEdit()
        self.second = QLineEdit()
        for edit in (self.first, self.second):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setMinimumWidth(300)
        self.errors.add(self.form, "password", self.tr("&Wachtwoord"), self.first)
        self.errors.add(self.form, "repeat", self.tr("&Nog een keer"), self.second)
        self.add_below_form(hint(self.tr(
            "Gaat de PDF per e-mail of op een USB-stick de school uit, geef hem dan een "
            "wachtwoord (minstens {n} tekens) en geef dat wachtwoord apart door, bijvoorbeeld "
            "telefonisch. Leeg laten: een PDF zonder wachtwoord.").format(
                n=MIN_EXPORT_PASSWORD)))
        self.first.setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None, pupil_name: str) -> str | None:  # type: ignore[override]
        dialog = cls(parent, pupil_name)
        try:
            return dialog.password if dialog.exec() == FormDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()  # it held the password

    def save(self) -> None:
        first, second = self.first.text(), self.second.text()
        if first and len(first) < MIN_EXPORT_PASSWORD:
            raise ValidationError(self.tr("Een wachtwoord voor de export heeft minstens {n} "
                                          "tekens.").format(n=MIN_EXPORT_PASSWORD),
                                  field="password")
        if first != second:
            raise ValidationError(self.tr("De twee wachtwoorden zijn niet gelijk. Typ ze "
                                          "opnieuw."), field="repeat")
        self.password = first


class EraseChoiceDialog(FormDialog):
    """Verwijderen op verzoek: what goes. ``category`` after accept() (a key of ERASABLE)."""

    def __init__(self, parent: QWidget | None, pupil_name: str, request_id: int) -> None:
        super().__init__(parent, self.tr("Gegevens verwijderen — verzoek {n}").format(
            n=request_id), ok_text=self.tr("Verder…"), intro=self.tr(
                "Wat moet er van {name} worden verwijderd? U ziet hierna nog een bevestiging; "
                "vóór het verwijderen wordt een reservekopie gemaakt.").format(name=pupil_name))
        self.category: str | None = None
        self.group = QButtonGroup(self)
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        self.options: dict[str, QRadioButton] = {}
        for key in ERASABLE:
            button = QRadioButton(code_label("erase", key))
            self.group.addButton(button)
            self.options[key] = button
            column.addWidget(button)
            if code_label("erase", f"{key}.detail"):
                detail = hint(code_label("erase", f"{key}.detail"))
                detail.setContentsMargins(26, 0, 0, 4)
                column.addWidget(detail)
        self.errors.add(self.form, "category", self.tr("Verwijderen *"), box)
        self.preferred_width = 600

    @classmethod
    def ask(cls, parent: QWidget | None, pupil_name: str,  # type: ignore[override]
            request_id: int) -> str | None:
        dialog = cls(parent, pupil_name, request_id)
        try:
            return dialog.category if dialog.exec() == FormDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    def save(self) -> None:
        chosen = next((key for key, button in self.options.items() if button.isChecked()), None)
        if chosen is None:
            raise ValidationError(self.tr("Kies wat er verwijderd moet worden."),
                                  field="category")
        self.category = chosen


__all__ = ["AccessExportDialog", "AnswerDialog", "EraseChoiceDialog", "ExtendDialog",
           "PupilCombo", "RegisterRequestDialog"]
