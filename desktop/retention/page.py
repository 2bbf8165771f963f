"""Bewaartermijnen: what is due for deletion now, the purge (after a confirmation that lists what
goes, and a backup first), the terms per category, and the erasures done (tombstones, no names).

Seeing it needs READ_REGISTER; deleting needs ERASE; changing a term needs SETTINGS. The rules
(what is due, the backup before deleting, what a purge removes) live in db.retention.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from db.clock import Clock, local_today, system_clock
from db.errors import BackupFirstError
from db.permissions import Actor, Permission, may
from db.retention import (
    DueItem,
    ErasedPart,
    ErasureLine,
    ErasureReason,
    RetentionCategory,
    RuleRow,
    due_items,
    erasure_lines,
    purge_after_backup,
    rule_rows,
    set_term,
)
from db.vault import Vault
from desktop.kit import widgets
from desktop.kit.details import DetailsBox
from desktop.kit.files import failure_reason
from desktop.kit.forms import FormDialog, hint, text_box
from desktop.kit.labels import label, scope_label
from desktop.kit.page import Action, AreaContext, Attention, RegisterPage, register_page
from desktop.kit.table import Column, RowsTable
from desktop.kit.tasks import run_and_wait
from desktop.kit.widgets import local_time, plural

LISTED_IN_CONFIRMATION = 12  # the confirmation names this many items, then "en nog …"


def _tr(text: str) -> str:
    return QCoreApplication.translate("retention", text)


def short_label(text: str) -> str:
    """'Leerlingdossier (leerlingvolgsysteem, …)' → 'Leerlingdossier' for a narrow column."""
    return text.split(" (", 1)[0]


def erased_label(category: str) -> str:
    for kind in (ErasedPart, RetentionCategory):
        try:
            return label(kind(category))
        except ValueError:
            continue
    return category


class RetentionData(NamedTuple):
    due: list[DueItem]
    rules: list[RuleRow]
    erased: list[ErasureLine]


class TermDialog(FormDialog):
    """Bewaartermijn wijzigen: years after leaving, and where that term comes from."""

    def __init__(self, parent: QWidget | None, vault: Vault, user: Actor, rule: RuleRow, *,
                 clock: Clock = system_clock) -> None:
        super().__init__(parent, self.tr("Bewaartermijn wijzigen"), ok_text=self.tr("Opslaan"),
                         intro=self.tr("{label}. Valt eronder: {scope}.").format(
                             label=rule.label, scope=scope_label(rule.category)))
        self.vault, self.user, self.clock, self.rule = vault, user, clock, rule
        self.years = QSpinBox()
        self.years.setRange(0, 100)
        self.years.setValue(rule.years)
        self.years.setSuffix(self.tr(" jaar na vertrek"))
        self.years.setMinimumWidth(200)
        self.years.setMaximumWidth(240)
        self.source = text_box(4)
        self.source.setPlainText(rule.source)
        self.errors.add(self.form, "years", self.tr("&Termijn *"), self.years)
        self.errors.add(self.form, "source", self.tr("&Bron"), self.source)
        self.years.setFocus()

    def save(self) -> None:
        with self.vault.session() as session:
            set_term(session, self.user, self.rule.category, self.years.value(),
                     self.source.toPlainText(), clock=self.clock)


class RetentionPage(RegisterPage):
    """Three tabs: Nu te verwijderen, Bewaartermijnen, Verwijderd."""

    KEY, TITLE = "retention", QT_TRANSLATE_NOOP("Areas", "Bewaartermijnen")
    PERMISSION = Permission.READ_REGISTER
    TR_CONTEXT = "retention"
    HINT = QT_TRANSLATE_NOOP("retention", "Gegevens van vertrokken leerlingen worden verwijderd "
                             "als hun bewaartermijn voorbij is. Vóór het verwijderen wordt "
                             "altijd een reservekopie gemaakt.")
    LOCKED_TEXT = QT_TRANSLATE_NOOP("retention", "U mag de bewaartermijnen niet inzien met uw "
                                    "rol. Vraag de beheerder of de directie als u dit voor uw "
                                    "werk nodig hebt.")
    DUE_TAB, TERMS_TAB, ERASED_TAB = range(3)

    def build(self) -> QWidget:
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._build_due(), _tr("Nu te &verwijderen"))
        self.tabs.addTab(self._build_terms(), _tr("&Bewaartermijnen"))
        self.tabs.addTab(self._build_erased(), _tr("Ver&wijderd"))
        self.tabs.currentChanged.connect(lambda _index: self._show_count())
        self._data = RetentionData([], [], [])
        return self.tabs

    def _build_due(self) -> QWidget:
        self.due_table = RowsTable([
            Column(_tr("Leerling"), lambda i: i.name, 220),
            Column(_tr("Wat"), lambda i: short_label(i.label), 200),
            Column(_tr("Valt eronder"), lambda i: scope_label(i.category), 330),
            Column(_tr("Vertrokken op"), lambda i: i.left_on, 130),
            Column(_tr("Te verwijderen sinds"), lambda i: i.due_on),
        ], key=lambda i: (i.pupil_id, i.category), name=_tr("Nu te verwijderen"),
            empty_text=_tr("Er is nu niets te verwijderen: van geen enkele vertrokken leerling "
                           "is een bewaartermijn verstreken."))
        self.due_table.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.due_table.view.selectionModel().selectionChanged.connect(self._due_selection)
        return self._tab(hint(_tr("Kies regels (Ctrl of Shift + klik) om alleen die te "
                                  "verwijderen; zonder keuze gaat alles.")), self.due_table)

    def _build_terms(self) -> QWidget:
        self.rule_table = RowsTable([
            Column(_tr("Categorie"), lambda r: short_label(r.label), 220),
            Column(_tr("Valt eronder"), lambda r: scope_label(r.category), 340),
            Column(_tr("Termijn"), lambda r: _tr("1 jaar") if r.years == 1
                   else _tr("{n} jaar").format(n=r.years), 90),
            Column(_tr("Bron"), lambda r: r.source),
        ], key=lambda r: r.category, name=_tr("Bewaartermijnen"))
        self.rule_details = DetailsBox(_tr("Gekozen bewaartermijn"), [
            ("label", _tr("Categorie")), ("years", _tr("Termijn")), ("source", _tr("Bron"))])
        self.rule_table.selected.connect(self._rule_selection)
        self.rule_table.view.doubleClicked.connect(lambda _index: self.edit_term())
        self.rule_table.view.activated.connect(lambda _index: self.edit_term())
        return self._tab(hint(_tr("De termijn telt vanaf de datum van vertrek van de leerling. "
                                  "Pas een termijn alleen aan met een bron (wet, reglement of "
                                  "besluit van het bestuur).")), self.rule_table,
                         self.rule_details)

    def _build_erased(self) -> QWidget:
        self.erased_table = RowsTable([
            Column(_tr("Datum"), lambda e: local_time(e.erased_at), 150),
            Column(_tr("Leerlingnummer (intern)"), lambda e: e.pupil_ref, 180),
            Column(_tr("Wat"), lambda e: erased_label(e.category), 280),
            Column(_tr("Reden"), lambda e: label(e.reason, ErasureReason), 190),
            Column(_tr("Verzoek"), lambda e: e.request_id or "", 90),
            Column(_tr("Door"), lambda e: e.by),
        ], key=lambda e: (e.erased_at, e.pupil_ref, e.category), name=_tr("Verwijderd"),
            empty_text=_tr("Er is nog niets verwijderd."))
        return self._tab(hint(_tr("Wat er is verwijderd, wanneer en door wie, zonder namen: zo "
                                  "kan de school laten zien dát het is gebeurd.")),
                         self.erased_table)

    @staticmethod
    def _tab(*widgets_: QWidget) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(8)
        for widget in widgets_:
            layout.addWidget(widget, 1 if isinstance(widget, RowsTable) else 0)
        return page

    def actions(self) -> list[Action]:
        return [Action(_tr("Alles &verwijderen…"), self.purge_due, Permission.ERASE,
                       primary=True, name="purge",
                       tooltip=_tr("Verwijder wat nu te verwijderen is; eerst wordt een "
                                   "reservekopie gemaakt")),
                Action(_tr("Termijn &wijzigen…"), self.edit_term, Permission.SETTINGS,
                       name="term", shortcut=QKeySequence("Ctrl+E"),
                       tooltip=_tr("De gekozen bewaartermijn wijzigen (Ctrl+E)"))]

    @classmethod
    def attention(cls, context: AreaContext, session: Session) -> list[Attention]:
        """For whoever may delete: left pupils whose term has passed."""
        if not cls.may_open(context.user) or not may(context.user, Permission.ERASE):
            return []
        pupils = {item.pupil_id for item in due_items(session, context.user,
                                                      local_today(context.clock))}
        if not pupils:
            return []
        return [Attention(text=plural(
            len(pupils), _tr("Van 1 vertrokken leerling is de bewaartermijn verstreken."),
            _tr("Van %1 vertrokken leerlingen is de bewaartermijn verstreken.")),
            area=cls.KEY, level="todo", target="due")]

    def open_target(self, target: object) -> None:
        """'due', 'terms' or 'erased': open that tab."""
        tab = {"due": self.DUE_TAB, "terms": self.TERMS_TAB,
               "erased": self.ERASED_TAB}.get(str(target))
        if tab is not None and self.may_open(self.user):
            self.tabs.setCurrentIndex(tab)

    # --- data ------------------------------------------------------------------------------

    def load(self, session: Session) -> RetentionData:
        return RetentionData(due_items(session, self.user, local_today(self.clock)),
                             rule_rows(session, self.user), erasure_lines(session, self.user))

    def show_rows(self, data: RetentionData) -> None:
        self._data = data
        self.due_table.set_rows(data.due, keep_selection=False)
        self.rule_table.set_rows(data.rules)
        self.erased_table.set_rows(data.erased)
        self.tabs.setTabText(self.DUE_TAB, _tr("Nu te &verwijderen ({n})").format(
            n=len(data.due)))
        self._due_selection()
        self._rule_selection(self.rule_table.current())
        self._show_count()

    def _show_count(self) -> None:
        tab = self.tabs.currentIndex()
        data = self._data
        if tab == self.DUE_TAB:
            pupils = len({item.pupil_id for item in data.due})
            text = (plural(len(data.due), _tr("1 onderdeel"), _tr("%1 onderdelen")) + " "
                    + plural(pupils, _tr("van 1 leerling"), _tr("van %1 leerlingen"))
                    if data.due else _tr("Niets te verwijderen"))
        elif tab == self.TERMS_TAB:
            text = plural(len(data.rules), _tr("1 bewaartermijn"), _tr("%1 bewaartermijnen"))
        else:
            text = plural(len(data.erased), _tr("1 verwijdering"), _tr("%1 verwijderingen"))
        self.set_count(text)

    def due(self) -> list[DueItem]:
        return self.due_table.rows()

    def _selected_due(self) -> list[DueItem]:
        view = self.due_table.view
        rows = sorted({index.row() for index in view.selectionModel().selectedRows()})
        return [self.due_table.model.row_at(row) for row in rows]

    def _due_selection(self, *_args: object) -> None:
        button = self.buttons.get("purge")
        if button is None:
            return
        button.setText(_tr("Gekozen regels &verwijderen…") if self._selected_due()
                       else _tr("Alles &verwijderen…"))
        if self.may_erase:
            button.setEnabled(bool(self.due_table.count()))

    @property
    def may_erase(self) -> bool:
        return may(self.user, Permission.ERASE)

    def _rule_selection(self, rule: RuleRow | None) -> None:
        if "term" in self.buttons and may(self.user, Permission.SETTINGS):
            self.buttons["term"].setEnabled(rule is not None)
        if rule is None:
            self.rule_details.clear()
            return
        self.rule_details.show_values(short_label(rule.label), {
            "label": rule.label,
            "years": _tr("{n} jaar na vertrek").format(n=rule.years),
            "source": rule.source})

    # --- actions ---------------------------------------------------------------------------

    def edit_term(self) -> None:
        rule = self.rule_table.current()
        if rule is None or not may(self.user, Permission.SETTINGS):
            return
        if TermDialog.ask(self, self.vault, self.user, rule, clock=self.clock):
            self.refresh()
            self.rule_table.choose(rule.category)
            self.changed.emit()

    def confirmation(self, items: list[DueItem]) -> str:
        listed = [f"• {item.name}: {item.label}" for item in items[:LISTED_IN_CONFIRMATION]]
        if len(items) > LISTED_IN_CONFIRMATION:
            listed.append(_tr("… en nog {n} onderdelen").format(
                n=len(items) - LISTED_IN_CONFIRMATION))
        whole = len({i.pupil_id for i in items if i.removes_pupil})
        return _tr(
            "Dit wordt definitief verwijderd:\n\n{lines}\n\n{whole}Eerst wordt een reservekopie "
            "van het register gemaakt. In het register blijft alleen vastgelegd dát er is "
            "verwijderd, zonder namen.\n\nNu verwijderen?").format(
                lines="\n".join(listed), whole=(plural(
                    whole, _tr("1 leerling wordt helemaal uit het register verwijderd, met "
                               "ouders en toestemmingen."),
                    _tr("%1 leerlingen worden helemaal uit het register verwijderd, met "
                        "ouders en toestemmingen.")) + "\n\n") if whole else "")

    def purge_due(self, items: list[DueItem] | None = None) -> bool:
        """Confirm (listing what goes), back up, purge. True when something was deleted."""
        if not self.may_erase:
            return False
        items = items if items is not None else (self._selected_due() or self.due())
        if not items:
            return False
        title = _tr("Gegevens verwijderen")
        if not widgets.confirm(self, title, self.confirmation(items), yes=_tr("Verwijderen"),
                               no=_tr("Annuleren"), danger=True):
            return False
        outcome = run_and_wait(  # on a worker with connections of its own
            self, lambda _progress: purge_after_backup(self.vault, self.user, items,
                                                       clock=self.clock, own_connection=True),
            title=title, label=_tr("Eerst een reservekopie, dan verwijderen…"))
        if not outcome.ok:
            error = outcome.error
            if isinstance(error, BackupFirstError):
                failure = _tr("De reservekopie kon niet worden gemaakt, dus er is niets "
                              "verwijderd. {reason}").format(reason=failure_reason(error.cause))
            else:
                failure = _tr("Er is niets verwijderd: {reason}").format(
                    reason=failure_reason(error))
            widgets.warn(self, title, failure)
            return False
        result = outcome.result
        self.refresh()
        self.changed.emit()
        widgets.inform(self, title, _tr(
            "Verwijderd: {items}; {pupils} helemaal uit het register.\n\nDe reservekopie van "
            "vóór het verwijderen staat in\n{backup}").format(
                items=plural(result.items, _tr("1 onderdeel"), _tr("%1 onderdelen")),
                pupils=plural(result.pupils_removed, _tr("1 leerling"), _tr("%1 leerlingen")),
                backup=result.backup))
        return True


register_page(RetentionPage)
