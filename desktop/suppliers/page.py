"""Leveranciers: who receives pupil data under a processing agreement (verwerkersovereenkomst);
Uitwisselingen: what was shared with third parties (gegevensuitwisseling). Two register pages.

Reading needs READ_REGISTER; suppliers are changed with MANAGE_SUPPLIERS, exchanges recorded
with HANDLE_REQUESTS. The rules (agreement state, consent on the day of an exchange) live in
db.suppliers.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QSplitter, QWidget
from sqlalchemy.orm import Session

from db.clock import local_today
from db.consent_sheets import purpose_texts
from db.permissions import Permission
from db.pupils import pupil_rows
from db.schema import LegalBasis
from db.school import get_school
from db.suppliers import (
    AgreementState,
    ExchangeRow,
    SupplierRow,
    exchange_details,
    exchange_rows,
    expiring_agreements,
    supplier_rows,
)
from db.text import format_dutch_date
from desktop.kit.details import DetailsBox
from desktop.kit.labels import URGENCY_TONES, label
from desktop.kit.page import Action, AreaContext, Attention, RegisterPage, register_page
from desktop.kit.table import Column, RowsTable
from desktop.kit.tasks import Task, export
from desktop.kit.widgets import plural
from desktop.suppliers.dialogs import ExchangeDialog, SupplierDialog


def _tr(text: str) -> str:
    return QCoreApplication.translate("suppliers", text)


class SupplierLine(NamedTuple):
    supplier: SupplierRow
    state: AgreementState  # on the day the page was read

    @property
    def agreement(self) -> str:
        s = self.supplier
        return f"{s.agreement_model} {s.agreement_version}".strip()


def _split(upper: QWidget, lower: QWidget) -> QSplitter:
    splitter = QSplitter(Qt.Orientation.Vertical)
    splitter.addWidget(upper)
    splitter.addWidget(lower)
    splitter.setStretchFactor(0, 3)
    splitter.setStretchFactor(1, 1)
    splitter.setChildrenCollapsible(False)
    return splitter


class SuppliersPage(RegisterPage):
    KEY, TITLE = "suppliers", QT_TRANSLATE_NOOP("Areas", "Leveranciers")
    PERMISSION = Permission.READ_REGISTER
    TR_CONTEXT = "suppliers"
    HINT = QT_TRANSLATE_NOOP("suppliers", "Rood: de verwerkersovereenkomst is verlopen of "
                             "ontbreekt. Oranje: ze verloopt binnen drie maanden; vraag tijdig "
                             "een nieuwe aan.")
    LOCKED_TEXT = QT_TRANSLATE_NOOP("suppliers", "U mag de leveranciers niet inzien met uw rol. "
                                    "Vraag de beheerder of de directie als u dit voor uw werk "
                                    "nodig hebt.")

    def build(self) -> QWidget:
        self.table = RowsTable([
            Column(_tr("Leverancier"), lambda line: line.supplier.name, 170),
            Column(_tr("Product of dienst"), lambda line: line.supplier.product, 330),
            Column(_tr("Verwerkersovereenkomst"), lambda line: line.agreement, 250),
            Column(_tr("Getekend"), lambda line: line.supplier.signed_on, 110),
            Column(_tr("Loopt tot"), lambda line: line.supplier.ends_on
                   or (_tr("onbepaald") if line.supplier.signed_on else ""), 110),
            Column(_tr("Status"), lambda line: label(line.state)),
        ], key=lambda line: line.supplier.id,
            tone=lambda line: URGENCY_TONES.get(line.state.urgency or ""),
            empty_text=_tr("Nog geen leveranciers. Leg met ‘Leverancier toevoegen…’ vast "
                           "welke leveranciers gegevens van leerlingen krijgen."),
            name=_tr("Leveranciers"))
        self.details = DetailsBox(_tr("Gekozen leverancier"), [
            ("data", _tr("Welke gegevens")), ("purpose", _tr("Waarvoor")),
            ("storage", _tr("Opslag en subverwerkers")), ("insert", _tr("Privacybijsluiter"))])
        self.table.selected.connect(self._show_details)
        self.table.view.doubleClicked.connect(lambda _index: self.edit_supplier())
        return _split(self.table, self.details)

    def load(self, session: Session) -> list[SupplierLine]:
        today = local_today(self.clock)
        return [SupplierLine(s, s.agreement_state(today))
                for s in supplier_rows(session, self.user)]

    def show_rows(self, lines: list[SupplierLine]) -> None:
        self.table.set_rows(lines)
        attention = sum(1 for line in lines if line.state.needs_attention)
        text = plural(len(lines), _tr("1 leverancier"), _tr("%1 leveranciers"))
        if attention:
            text += " · " + plural(attention, _tr("1 vraagt aandacht"),
                                   _tr("%1 vragen aandacht"))
        self.set_count(text)

    def actions(self) -> list[Action]:
        return [Action(_tr("Leverancier &toevoegen…"), self.add_supplier,
                       Permission.MANAGE_SUPPLIERS, primary=True, name="add",
                       tooltip=_tr("Een nieuwe leverancier vastleggen (Ctrl+N)"),
                       shortcut=QKeySequence.StandardKey.New),
                Action(_tr("&Wijzigen…"), self.edit_supplier, Permission.MANAGE_SUPPLIERS,
                       name="edit"),
                Action(_tr("Lijst &afdrukken…"), self.print_list, name="print",
                       tooltip=_tr("De lijst voor ouders als PDF: welke leveranciers welke "
                                   "gegevens krijgen, en waarvoor"))]

    @classmethod
    def attention(cls, context: AreaContext, session: Session) -> list[Attention]:
        """Agreements that expired, are missing or end within three months."""
        if not cls.may_open(context.user):
            return []
        today = local_today(context.clock)
        rows = expiring_agreements(session, context.user, today)
        if not rows:
            return []
        late = any(r.agreement_state(today).urgency == "late" for r in rows)
        return [Attention(text=plural(
            len(rows), _tr("1 verwerkersovereenkomst is verlopen, ontbreekt of verloopt "
                           "binnenkort."),
            _tr("%1 verwerkersovereenkomsten zijn verlopen, ontbreken of verlopen binnenkort.")),
            area=cls.KEY, level="soon" if late else "todo")]

    # the chosen supplier

    def current(self) -> SupplierLine | None:
        return self.table.current()

    def _show_details(self, line: SupplierLine | None) -> None:
        if "edit" in self.buttons:
            self.buttons["edit"].setEnabled(line is not None
                                            and self.buttons["add"].isEnabled())
        if line is None:
            self.details.clear()
            return
        s = line.supplier
        storage = s.storage_location or _tr("onbekend")
        if s.sub_processors:
            storage += _tr("; subverwerkers: {names}").format(names=s.sub_processors)
        self.details.show_values(f"{s.name} — {s.product}" if s.product else s.name, {
            "data": s.data_categories, "purpose": s.purpose, "storage": storage,
            "insert": s.privacy_insert_ref})

    # actions

    def add_supplier(self) -> None:
        supplier_id = SupplierDialog.ask(self, self.vault, self.user, clock=self.clock)
        if supplier_id is not None:
            self.refresh()
            self.table.choose(supplier_id)
            self.changed.emit()

    def edit_supplier(self) -> None:
        line = self.current()
        if line is None or not self.buttons["edit"].isEnabled():
            return
        if SupplierDialog.ask(self, self.vault, self.user, line.supplier,
                              clock=self.clock) is not None:
            self.refresh()
            self.changed.emit()

    def print_list(self, *, blocking: bool = False) -> Task | None:
        """Lijst afdrukken…: the supplier list for parents, as a PDF."""
        from desktop.printing.supplier_list import supplier_list_pdf

        today = local_today(self.clock)

        def gather(session: Session) -> tuple[list[SupplierRow], str]:
            school = get_school(session)
            return supplier_rows(session, self.user), school.name if school else ""

        def write(path: Path, data: tuple[list[SupplierRow], str], _progress) -> None:  # noqa: ANN001
            rows, school_name = data
            supplier_list_pdf(path, school_name, rows, printed_on=today)

        return export(self, self.vault, title=_tr("Leverancierslijst afdrukken"),
                      suggested_name=_tr("Leveranciers {day}").format(
                          day=format_dutch_date(today)),
                      gather=gather, write=write, blocking=blocking,
                      saved_text=_tr("De leverancierslijst is opgeslagen:\n{path}"))


class ExchangesPage(RegisterPage):
    KEY, TITLE = "exchanges", QT_TRANSLATE_NOOP("Areas", "Uitwisselingen")
    PERMISSION = Permission.READ_REGISTER
    TR_CONTEXT = "suppliers"
    HINT = QT_TRANSLATE_NOOP("suppliers", "Gegevens delen met een derde (leerplicht, zorg, een "
                             "volgende school) mag op grond van de wet, of met toestemming van "
                             "de ouders die op de dag van de uitwisseling gold.")

    def build(self) -> QWidget:
        self.table = RowsTable([
            Column(_tr("Datum"), lambda r: r.occurred_on, 110),
            Column(_tr("Ontvanger"), lambda r: r.recipient, 320),
            Column(_tr("Soort"), lambda r: ExchangeDialog.kind_text(r.recipient_kind), 110),
            Column(_tr("Grondslag"), lambda r: label(r.legal_basis, LegalBasis),
                   150),
            Column(_tr("Leerlingen"), lambda r: r.pupils, 100),
            Column(_tr("Gedeelde gegevens"), lambda r: r.data_shared.replace("\n", " ")),
        ], key=lambda r: r.id, name=_tr("Uitwisselingen met derden"),
            empty_text=_tr("Nog geen uitwisselingen vastgelegd."))
        self.details = DetailsBox(_tr("Gekozen uitwisseling"), [
            ("data", _tr("Gedeelde gegevens")), ("basis", _tr("Grondslag")),
            ("pupils", _tr("Leerlingen")), ("note", _tr("Toelichting"))])
        self.table.selected.connect(self._show_details)
        return _split(self.table, self.details)

    def load(self, session: Session) -> list[ExchangeRow]:
        return exchange_rows(session, self.user)

    def show_rows(self, rows: list[ExchangeRow]) -> None:
        self.table.set_rows(rows)
        self.set_count(plural(len(rows), _tr("1 uitwisseling"), _tr("%1 uitwisselingen")))

    def actions(self) -> list[Action]:
        return [Action(_tr("Uitwisseling &vastleggen…"), self.record_exchange,
                       Permission.HANDLE_REQUESTS, primary=True, name="record",
                       tooltip=_tr("Vastleggen welke gegevens met een derde zijn gedeeld "
                                   "(Ctrl+N)"), shortcut=QKeySequence.StandardKey.New)]

    def current(self) -> ExchangeRow | None:
        return self.table.current()

    def _show_details(self, row: ExchangeRow | None) -> None:
        if row is None:
            self.details.clear()
            return
        with self.vault.session() as session:
            details = exchange_details(session, self.user, row.id)
        basis = label(row.legal_basis, LegalBasis)
        self.details.show_values(
            _tr("{day}: {recipient}").format(day=format_dutch_date(row.occurred_on),
                                             recipient=row.recipient),
            {"data": row.data_shared,
             "basis": _tr("{basis} ({purpose})").format(basis=basis,
                                                        purpose=details.purpose_title)
             if details.purpose_title else basis,
             "pupils": ", ".join(details.pupil_names) or _tr(
                 "(geen leerlingen meer in het register)"),
             "note": details.note})

    def record_exchange(self) -> None:
        with self.vault.session() as session:
            pupils = pupil_rows(session, self.user)
            purposes = [(p.purpose_id, p.title) for p in purpose_texts(session)]
            recipients = [r.recipient for r in exchange_rows(session, self.user)]
        exchange_id = ExchangeDialog.ask(self, self.vault, self.user, pupils, purposes,
                                         recipients=recipients, clock=self.clock)
        if exchange_id is not None:
            self.refresh()
            self.table.choose(exchange_id)
            self.changed.emit()


register_page(SuppliersPage)
register_page(ExchangesPage)
