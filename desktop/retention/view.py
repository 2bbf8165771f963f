"""Bewaartermijnen: what is due for deletion now, the purge (after a confirmation that lists what
goes, and a backup first), the terms per category, and the erasures done (tombstones, no names).

Seeing it needs READ_REGISTER; deleting needs ERASE; changing a term needs SETTINGS."""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from db.clock import Clock, local_today, system_clock
from db.errors import RegisterError
from db.permissions import Permission, may
from db.retention import CATEGORY_SCOPE, DueItem, due_items, erasure_rows, purge, set_term
from db.schema import Erasure, RetentionRule, User
from db.users import user_names
from db.vault import Vault
from desktop.kit import widgets
from desktop.kit.files import delete_after_backup
from desktop.kit.forms import FormDialog, hint, text_box
from desktop.kit.table import ToneRowsModel
from desktop.kit.widgets import local_time, plural, setup_table

LISTED_IN_CONFIRMATION = 12  # the confirmation names this many items, then "en nog …"


def _tr(text: str) -> str:
    return QCoreApplication.translate("retention", text)


def scope_label(category: str) -> str:
    return {"leerlingdossier": _tr("notities en bijzondere persoonsgegevens"),
            "verwijsdossier": _tr("uitwisselingen met derden"),
            "inschrijving_verzuim": _tr("de hele leerling: gegevens, ouders, toestemmingen")
            }.get(category, CATEGORY_SCOPE.get(category, category))


def erased_label(category: str) -> str:
    return {"all": _tr("alles over de leerling"), "special": _tr("bijzondere persoonsgegevens"),
            "consents": _tr("toestemmingen"), "notes": _tr("notities"),
            "leerlingdossier": _tr("leerlingdossier"), "verwijsdossier": _tr("verwijsdossier"),
            "inschrijving_verzuim": _tr("de hele leerling (inschrijving en verzuim)"),
            }.get(category, category)


def reason_label(reason: str) -> str:
    return {"verzoek": _tr("op verzoek"), "bewaartermijn": _tr("bewaartermijn verstreken")
            }.get(reason, reason)


def short_label(label: str) -> str:
    """'Leerlingdossier (leerlingvolgsysteem, …)' → 'Leerlingdossier' for a narrow column."""
    return label.split(" (", 1)[0]


class RuleRow(NamedTuple):
    category: str
    label: str
    years: int
    source: str


class ErasureLine(NamedTuple):
    erasure: Erasure
    by: str


def rule_rows(session) -> list[RuleRow]:  # noqa: ANN001
    return [RuleRow(*row) for row in session.execute(
        select(RetentionRule.category, RetentionRule.label, RetentionRule.years_after_leaving,
               RetentionRule.source).order_by(RetentionRule.years_after_leaving,
                                              RetentionRule.category))]


class TermDialog(FormDialog):
    """Bewaartermijn wijzigen: years after leaving, and where that term comes from."""

    def __init__(self, parent: QWidget | None, vault: Vault, user: User, rule: RuleRow, *,
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


class RetentionView(QWidget):
    """Three tabs: Nu te verwijderen, Bewaartermijnen, Verwijderd."""

    changed = Signal()
    DUE_TAB, TERMS_TAB, ERASED_TAB = range(3)

    def __init__(self, vault: Vault, user: User, clock: Clock = system_clock,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault, self.user, self.clock = vault, user, clock
        self.can_read = may(user, Permission.READ_REGISTER)
        self.can_erase = may(user, Permission.ERASE)
        self.can_set = may(user, Permission.SETTINGS)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._build_due(), self.tr("Nu te &verwijderen"))
        self.tabs.addTab(self._build_terms(), self.tr("&Bewaartermijnen"))
        self.tabs.addTab(self._build_erased(), self.tr("Ver&wijderd"))
        self.locked_label = QLabel(self.tr(
            "U mag de bewaartermijnen niet inzien met uw rol. Vraag de beheerder of de "
            "directie als u dit voor uw werk nodig hebt."))
        self.locked_label.setWordWrap(True)
        self.locked_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.locked_label.setStyleSheet("color: #555555; padding: 24px;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.tabs)
        layout.addWidget(self.locked_label)
        if not self.can_read:
            self.tabs.hide()
        else:
            self.locked_label.hide()
            self.refresh()

    # --- tabs ------------------------------------------------------------------------------

    def _table(self, model, name: str) -> QTableView:  # noqa: ANN001
        table = QTableView()
        table.setModel(model)
        setup_table(table)
        table.setAccessibleName(name)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    def _build_due(self) -> QWidget:
        page = QWidget()
        self.due_model = ToneRowsModel([
            (self.tr("Leerling"), lambda i: i.name),
            (self.tr("Wat"), lambda i: short_label(i.label)),
            (self.tr("Valt eronder"), lambda i: scope_label(i.category)),
            (self.tr("Vertrokken op"), lambda i: i.left_on),
            (self.tr("Te verwijderen sinds"), lambda i: i.due_on),
        ], [], parent=self)
        self.due_table = self._table(self.due_model, self.tr("Nu te verwijderen"))
        self.due_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        for column, width in ((0, 240), (1, 220), (2, 380), (3, 140)):
            self.due_table.horizontalHeader().resizeSection(column, width)
        self.due_count = QLabel()
        self.purge_button = QPushButton(self.tr("Alles &verwijderen…"))
        self.purge_button.setVisible(self.can_erase)
        self.due_empty = QLabel(self.tr(
            "Er is nu niets te verwijderen: van geen enkele vertrokken leerling is een "
            "bewaartermijn verstreken."))
        self.due_empty.setWordWrap(True)
        self.due_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.due_empty.setStyleSheet("color: #555555; padding: 24px;")
        bar = QHBoxLayout()
        bar.addWidget(self.due_count)
        bar.addStretch(1)
        bar.addWidget(self.purge_button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(hint(self.tr(
            "Gegevens van vertrokken leerlingen waarvan de bewaartermijn voorbij is. Kies regels "
            "(Ctrl of Shift + klik) om alleen die te verwijderen; zonder keuze gaat alles.\n"
            "Vóór het verwijderen wordt altijd een reservekopie gemaakt.")))
        layout.addLayout(bar)
        layout.addWidget(self.due_table, 1)
        layout.addWidget(self.due_empty, 1)
        self.purge_button.clicked.connect(lambda: self.purge_due())
        self.due_table.selectionModel().selectionChanged.connect(self._due_selection)
        return page

    def _build_terms(self) -> QWidget:
        page = QWidget()
        self.rule_model = ToneRowsModel([
            (self.tr("Categorie"), lambda r: short_label(r.label)),
            (self.tr("Valt eronder"), lambda r: scope_label(r.category)),
            (self.tr("Termijn"), lambda r: self.tr("1 jaar") if r.years == 1
             else self.tr("{n} jaar").format(n=r.years)),
            (self.tr("Bron"), lambda r: r.source),
        ], [], parent=self)
        self.rule_table = self._table(self.rule_model, self.tr("Bewaartermijnen"))
        for column, width in ((0, 260), (1, 360), (2, 100)):
            self.rule_table.horizontalHeader().resizeSection(column, width)
        self.term_button = QPushButton(self.tr("Termijn &wijzigen…"))
        self.term_button.setVisible(self.can_set)
        self.term_button.setEnabled(False)
        bar = QHBoxLayout()
        bar.addWidget(hint(self.tr(
            "De termijn telt vanaf de datum van vertrek van de leerling. Pas een termijn "
            "alleen aan met een bron (wet, reglement of besluit van het bestuur).")), 1)
        bar.addWidget(self.term_button, 0, Qt.AlignmentFlag.AlignTop)
        self.source_label = QLabel()
        self.source_label.setWordWrap(True)
        self.source_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(bar)
        layout.addWidget(self.rule_table, 1)
        layout.addWidget(self.source_label)
        self.term_button.clicked.connect(self.edit_term)
        self.rule_table.doubleClicked.connect(lambda _i: self.edit_term())
        self.rule_table.selectionModel().selectionChanged.connect(self._rule_selection)
        return page

    def _build_erased(self) -> QWidget:
        page = QWidget()
        self.erased_model = ToneRowsModel([
            (self.tr("Datum"), lambda e: local_time(e.erasure.erased_at)),
            (self.tr("Leerlingnummer (intern)"), lambda e: e.erasure.pupil_ref),
            (self.tr("Wat"), lambda e: erased_label(e.erasure.category)),
            (self.tr("Reden"), lambda e: reason_label(e.erasure.reason)),
            (self.tr("Verzoek"), lambda e: e.erasure.request_id or ""),
            (self.tr("Door"), lambda e: e.by),
        ], [], parent=self)
        self.erased_table = self._table(self.erased_model, self.tr("Verwijderd"))
        for column, width in ((0, 150), (1, 190), (2, 300), (3, 200), (4, 90)):
            self.erased_table.horizontalHeader().resizeSection(column, width)
        self.erased_count = QLabel()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(hint(self.tr(
            "Wat er is verwijderd, wanneer en door wie, zonder namen: zo kan de school laten "
            "zien dát het is gebeurd.")))
        layout.addWidget(self.erased_count)
        layout.addWidget(self.erased_table, 1)
        return page

    # --- data ------------------------------------------------------------------------------

    def refresh(self) -> None:
        if not self.can_read:
            return
        today = local_today(self.clock)
        try:
            with self.vault.session() as session:
                due = due_items(session, self.user, today)
                rules = rule_rows(session)
                tombs = erasure_rows(session, self.user)
                names = {u.id: u.label for u in user_names(session, self.user)}
        except RegisterError as error:
            self.locked_label.setText(str(error))
            self.tabs.hide()
            self.locked_label.show()
            return
        self.due_model.set_rows(due)
        self.rule_model.set_rows(rules)
        self.erased_model.set_rows([ErasureLine(t, names.get(t.erased_by, _tr("systeem")))
                                    for t in tombs])
        pupils = len({item.pupil_id for item in due})
        self.due_count.setText(plural(len(due), self.tr("1 onderdeel"),
                                      self.tr("%1 onderdelen")) + " " + plural(
            pupils, self.tr("van 1 leerling"), self.tr("van %1 leerlingen")) if due else "")
        self.due_table.setVisible(bool(due))
        self.due_empty.setVisible(not due)
        self.tabs.setTabText(self.DUE_TAB, self.tr("Nu te &verwijderen ({n})").format(
            n=len(due)))
        self.erased_count.setText(plural(len(tombs), self.tr("1 verwijdering"),
                                         self.tr("%1 verwijderingen")))
        self._due_selection()
        self._rule_selection()

    def due(self) -> list[DueItem]:
        return self.due_model.rows()

    def _selected_due(self) -> list[DueItem]:
        rows = sorted({index.row() for index in self.due_table.selectionModel().selectedRows()})
        return [self.due_model.row_at(row) for row in rows]

    def _due_selection(self, *_args: object) -> None:
        chosen = self._selected_due()
        self.purge_button.setText(self.tr("Gekozen regels &verwijderen…") if chosen
                                  else self.tr("Alles &verwijderen…"))
        self.purge_button.setEnabled(bool(self.due_model.rowCount()))

    def _rule_selection(self, *_args: object) -> None:
        row = widgets.selected_row(self.rule_table)
        self.term_button.setEnabled(row is not None)
        rule = self.rule_model.row_at(row) if row is not None else None
        self.source_label.setText(self.tr("{label}\nTermijn: {years} jaar na vertrek. Bron: "
                                          "{source}").format(label=rule.label, years=rule.years,
                                                             source=rule.source)
                                  if rule else "")

    # --- actions ---------------------------------------------------------------------------

    def edit_term(self) -> None:
        row = widgets.selected_row(self.rule_table)
        if row is None or not self.can_set:
            return
        if TermDialog.ask(self, self.vault, self.user, self.rule_model.row_at(row),
                          clock=self.clock):
            self.refresh()
            self.rule_table.selectRow(row)
            self.changed.emit()

    def purge_due(self, items: list[DueItem] | None = None) -> bool:
        """Confirm (listing what goes), back up, purge. True when something was deleted."""
        if not self.can_erase:
            return False
        items = items if items is not None else (self._selected_due() or self.due())
        if not items:
            return False
        title = self.tr("Gegevens verwijderen")
        listed = [f"• {item.name}: {item.label}" for item in items[:LISTED_IN_CONFIRMATION]]
        if len(items) > LISTED_IN_CONFIRMATION:
            listed.append(self.tr("… en nog {n} onderdelen").format(
                n=len(items) - LISTED_IN_CONFIRMATION))
        whole = len({i.pupil_id for i in items if i.category == "inschrijving_verzuim"})
        question = self.tr(
            "Dit wordt definitief verwijderd:\n\n{lines}\n\n{whole}Eerst wordt een reservekopie "
            "van het register gemaakt. In het register blijft alleen vastgelegd dát er is "
            "verwijderd, zonder namen.\n\nNu verwijderen?").format(
                lines="\n".join(listed), whole=(plural(
                    whole, self.tr("1 leerling wordt helemaal uit het register verwijderd, met "
                                   "ouders en toestemmingen."),
                    self.tr("%1 leerlingen worden helemaal uit het register verwijderd, met "
                            "ouders en toestemmingen.")) + "\n\n") if whole else "")
        if not widgets.confirm(self, title, question, yes=self.tr("Verwijderen"),
                               no=self.tr("Annuleren"), danger=True):
            return False
        done = delete_after_backup(self, self.vault, self.user, title, lambda session: purge(
            session, self.user, items, clock=self.clock))
        if done is None:
            return False
        backup, result = done
        self.refresh()
        self.changed.emit()
        widgets.inform(self, title, self.tr(
            "Verwijderd: {items}; {pupils} helemaal uit het register.\n\nDe reservekopie van "
            "vóór het verwijderen staat in\n{backup}").format(
                items=plural(result.items, self.tr("1 onderdeel"), self.tr("%1 onderdelen")),
                pupils=plural(result.pupils_removed, self.tr("1 leerling"),
                              self.tr("%1 leerlingen")), backup=backup))
        return True


__all__ = ["RetentionView", "TermDialog"]
