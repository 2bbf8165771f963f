"""Leveranciers en uitwisselingen: who receives pupil data under a processing agreement
(verwerkersovereenkomst), and what was shared with third parties (gegevensuitwisseling).

Seeing the lists needs READ_REGISTER; suppliers are changed with MANAGE_SUPPLIERS, exchanges
are recorded with HANDLE_REQUESTS (the rule lives in db.suppliers)."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from db.clock import Clock, local_today, system_clock
from db.consent_sheets import purpose_texts
from db.errors import RegisterError
from db.permissions import Permission, may
from db.pupils import pupil_rows
from db.schema import ConsentPurposeText, Exchange, ExchangePupil, Pupil, User
from db.school import get_school
from db.suppliers import ExchangeRow, SupplierRow, exchange_rows, supplier_rows
from db.text import format_dutch_date
from db.vault import Vault
from desktop.kit import files, widgets
from desktop.kit.files import failure_reason
from desktop.kit.forms import hint
from desktop.kit.table import ToneRowsModel
from desktop.kit.tasks import Outcome, Task, run_task
from desktop.kit.widgets import plural, setup_table
from desktop.suppliers.dialogs import ExchangeDialog, SupplierDialog


def _tr(text: str) -> str:
    return QCoreApplication.translate("suppliers", text)


def state_label(state: str) -> str:
    return {"geen overeenkomst": _tr("geen overeenkomst"), "verlopen": _tr("verlopen"),
            "verloopt binnenkort": _tr("verloopt binnenkort"),
            "geldig": _tr("geldig")}.get(state, state)


def basis_label(basis: str) -> str:
    return {"law": _tr("wettelijke plicht"), "consent": _tr("toestemming")}.get(basis, basis)


class SupplierLine(NamedTuple):
    supplier: SupplierRow
    state: str  # db's agreement_state(today)

    @property
    def tone(self) -> str | None:
        return {"verlopen": "red", "geen overeenkomst": "red",
                "verloopt binnenkort": "amber"}.get(self.state)

    @property
    def agreement(self) -> str:
        s = self.supplier
        return f"{s.agreement_model} {s.agreement_version}".strip()


class SupplierTableModel(ToneRowsModel):
    NAME, PRODUCT, AGREEMENT, SIGNED, ENDS, STATE = range(6)

    def __init__(self, lines: list[SupplierLine] = (), parent=None) -> None:  # noqa: ANN001
        super().__init__([
            (_tr("Leverancier"), lambda line: line.supplier.name),
            (_tr("Product of dienst"), lambda line: line.supplier.product),
            (_tr("Verwerkersovereenkomst"), lambda line: line.agreement),
            (_tr("Getekend"), lambda line: line.supplier.signed_on),
            (_tr("Loopt tot"), lambda line: line.supplier.ends_on
             or (_tr("onbepaald") if line.supplier.signed_on else "")),
            (_tr("Status"), lambda line: state_label(line.state)),
        ], lines, tone=lambda line: line.tone, parent=parent)

    def row_of(self, supplier_id: int) -> int | None:
        return next((i for i, line in enumerate(self.rows()) if line.supplier.id == supplier_id),
                    None)


class ExchangeTableModel(ToneRowsModel):
    def __init__(self, rows: list[ExchangeRow] = (), parent=None) -> None:  # noqa: ANN001
        super().__init__([
            (_tr("Datum"), lambda r: r.occurred_on),
            (_tr("Ontvanger"), lambda r: r.recipient),
            (_tr("Soort"), lambda r: ExchangeDialog.kind_text(r.recipient_kind)),
            (_tr("Grondslag"), lambda r: basis_label(r.legal_basis)),
            (_tr("Leerlingen"), lambda r: r.pupils),
            (_tr("Gedeelde gegevens"), lambda r: r.data_shared.replace("\n", " ")),
        ], rows, parent=parent)

    def row_of(self, exchange_id: int) -> int | None:
        return next((i for i, r in enumerate(self.rows()) if r.id == exchange_id), None)


def _details_box(title: str, captions: list[tuple[str, str]]) -> tuple[QGroupBox, dict]:
    box = QGroupBox(title)
    form = QFormLayout(box)
    form.setContentsMargins(12, 10, 12, 10)
    form.setVerticalSpacing(6)
    form.setHorizontalSpacing(16)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    labels = {}
    for key, caption in captions:
        label = QLabel("—")
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        labels[key] = label
        form.addRow(QLabel(caption), label)
    return box, labels


class SuppliersView(QWidget):
    """Two tabs: Leveranciers (with the agreement state) and Uitwisselingen met derden."""

    changed = Signal()

    def __init__(self, vault: Vault, user: User, clock: Clock = system_clock,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault, self.user, self.clock = vault, user, clock
        self.can_read = may(user, Permission.READ_REGISTER)
        self.can_manage = may(user, Permission.MANAGE_SUPPLIERS)
        self.can_record = may(user, Permission.HANDLE_REQUESTS)
        self.task: Task | None = None

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._build_suppliers(), self.tr("&Leveranciers"))
        self.tabs.addTab(self._build_exchanges(), self.tr("&Uitwisselingen met derden"))
        self.locked_label = QLabel(self.tr(
            "U mag de leveranciers en uitwisselingen niet inzien met uw rol. Vraag de beheerder "
            "of de directie als u dit voor uw werk nodig hebt."))
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

    # --- suppliers tab ---------------------------------------------------------------------

    def _build_suppliers(self) -> QWidget:
        page = QWidget()
        self.add_button = QPushButton(self.tr("Leverancier &toevoegen…"))
        self.add_button.setToolTip(self.tr("Een nieuwe leverancier vastleggen (Ctrl+N)"))
        self.edit_button = QPushButton(self.tr("&Wijzigen…"))
        self.print_button = QPushButton(self.tr("Lijst &afdrukken…"))
        self.print_button.setToolTip(self.tr(
            "De lijst voor ouders als PDF: welke leveranciers welke gegevens krijgen, en "
            "waarvoor"))
        self.add_button.setVisible(self.can_manage)
        self.edit_button.setVisible(self.can_manage)
        self.supplier_model = SupplierTableModel([], self)
        self.supplier_table = QTableView()
        self.supplier_table.setModel(self.supplier_model)
        setup_table(self.supplier_table)
        self.supplier_table.setAccessibleName(self.tr("Leveranciers"))
        header = self.supplier_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in ((SupplierTableModel.NAME, 170), (SupplierTableModel.PRODUCT, 330),
                              (SupplierTableModel.AGREEMENT, 250),
                              (SupplierTableModel.SIGNED, 110), (SupplierTableModel.ENDS, 110)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        self.supplier_count = QLabel()
        self.supplier_details, self.supplier_labels = _details_box(self.tr("Gekozen leverancier"), [
            ("data", self.tr("Welke gegevens")), ("purpose", self.tr("Waarvoor")),
            ("storage", self.tr("Opslag en subverwerkers")),
            ("insert", self.tr("Privacybijsluiter"))])

        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(self.supplier_count)
        bar.addStretch(1)
        bar.addWidget(self.add_button)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.print_button)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.setSpacing(8)
        upper_layout.addWidget(hint(self.tr(
            "Rood: de verwerkersovereenkomst is verlopen of ontbreekt. Oranje: ze verloopt "
            "binnen drie maanden; vraag tijdig een nieuwe aan.")))
        upper_layout.addWidget(self.supplier_table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(self.supplier_details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

        self.add_button.clicked.connect(self.add_supplier)
        self.edit_button.clicked.connect(self.edit_supplier)
        self.print_button.clicked.connect(self.print_list)
        self.supplier_table.doubleClicked.connect(lambda _i: self.edit_supplier())
        self.supplier_table.selectionModel().selectionChanged.connect(self._supplier_selected)
        if self.can_manage:
            new = QShortcut(QKeySequence.StandardKey.New, page, self.add_supplier)
            new.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        return page

    # --- exchanges tab ---------------------------------------------------------------------

    def _build_exchanges(self) -> QWidget:
        page = QWidget()
        self.record_button = QPushButton(self.tr("Uitwisseling &vastleggen…"))
        self.record_button.setToolTip(self.tr(
            "Vastleggen welke gegevens met een derde zijn gedeeld (Ctrl+N)"))
        self.record_button.setVisible(self.can_record)
        self.exchange_model = ExchangeTableModel([], self)
        self.exchange_table = QTableView()
        self.exchange_table.setModel(self.exchange_model)
        setup_table(self.exchange_table)
        self.exchange_table.setAccessibleName(self.tr("Uitwisselingen met derden"))
        header = self.exchange_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in ((0, 110), (1, 320), (2, 110), (3, 150), (4, 100)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        self.exchange_count = QLabel()
        self.exchange_details, self.exchange_labels = _details_box(
            self.tr("Gekozen uitwisseling"), [
                ("data", self.tr("Gedeelde gegevens")), ("basis", self.tr("Grondslag")),
                ("pupils", self.tr("Leerlingen")), ("note", self.tr("Toelichting"))])
        bar = QHBoxLayout()
        bar.addWidget(self.exchange_count)
        bar.addStretch(1)
        bar.addWidget(self.record_button)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.setSpacing(8)
        upper_layout.addWidget(hint(self.tr(
            "Gegevens delen met een derde (leerplicht, zorg, een volgende school) mag op grond "
            "van de wet, of met toestemming van de ouders die op dat moment geldt.")))
        upper_layout.addWidget(self.exchange_table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(self.exchange_details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        self.record_button.clicked.connect(self.record_exchange)
        self.exchange_table.selectionModel().selectionChanged.connect(self._exchange_selected)
        if self.can_record:
            new = QShortcut(QKeySequence.StandardKey.New, page, self.record_exchange)
            new.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        return page

    # --- data ------------------------------------------------------------------------------

    def refresh(self) -> None:
        if not self.can_read:
            return
        today = local_today(self.clock)
        chosen_supplier = self.current_supplier()
        chosen_exchange = self.current_exchange()
        try:
            with self.vault.session() as session:
                suppliers = supplier_rows(session, self.user)
                exchanges = exchange_rows(session, self.user)
        except RegisterError as error:
            self.locked_label.setText(str(error))
            self.tabs.hide()
            self.locked_label.show()
            return
        lines = [SupplierLine(s, s.agreement_state(today)) for s in suppliers]
        self.supplier_model.set_rows(lines)
        attention = sum(1 for line in lines if line.tone)
        text = plural(len(lines), self.tr("1 leverancier"), self.tr("%1 leveranciers"))
        if attention:
            text += " · " + plural(attention, self.tr("1 vraagt aandacht"),
                                   self.tr("%1 vragen aandacht"))
        self.supplier_count.setText(text)
        self.exchange_model.set_rows(exchanges)
        self.exchange_count.setText(plural(len(exchanges), self.tr("1 uitwisseling"),
                                           self.tr("%1 uitwisselingen")))
        if chosen_supplier is not None:
            self.select_supplier(chosen_supplier.supplier.id)
        if chosen_exchange is not None:
            self.select_exchange(chosen_exchange.id)
        self._supplier_selected()
        self._exchange_selected()

    def current_supplier(self) -> SupplierLine | None:
        row = widgets.selected_row(self.supplier_table)
        return self.supplier_model.row_at(row) if row is not None else None

    def current_exchange(self) -> ExchangeRow | None:
        row = widgets.selected_row(self.exchange_table)
        return self.exchange_model.row_at(row) if row is not None else None

    def select_supplier(self, supplier_id: int) -> bool:
        row = self.supplier_model.row_of(supplier_id)
        if row is not None:
            self.supplier_table.selectRow(row)
        return row is not None

    def select_exchange(self, exchange_id: int) -> bool:
        row = self.exchange_model.row_of(exchange_id)
        if row is not None:
            self.exchange_table.selectRow(row)
        return row is not None

    def _supplier_selected(self, *_args: object) -> None:
        line = self.current_supplier()
        self.edit_button.setEnabled(line is not None)
        labels = self.supplier_labels
        if line is None:
            self.supplier_details.setTitle(self.tr("Gekozen leverancier"))
            for label in labels.values():
                label.setText("—")
            return
        s = line.supplier
        self.supplier_details.setTitle(f"{s.name} — {s.product}" if s.product else s.name)
        labels["data"].setText(s.data_categories or "—")
        labels["purpose"].setText(s.purpose or "—")
        storage = s.storage_location or self.tr("onbekend")
        if s.sub_processors:
            storage += self.tr("; subverwerkers: {names}").format(names=s.sub_processors)
        labels["storage"].setText(storage)
        labels["insert"].setText(s.privacy_insert_ref or "—")

    def _exchange_selected(self, *_args: object) -> None:
        row = self.current_exchange()
        labels = self.exchange_labels
        if row is None:
            self.exchange_details.setTitle(self.tr("Gekozen uitwisseling"))
            for label in labels.values():
                label.setText("—")
            return
        with self.vault.session() as session:
            record = session.get(Exchange, row.id)
            note, purpose_id = record.note, record.purpose_id
            names = [" ".join(p for p in parts if p) for parts in session.execute(
                select(Pupil.first_name, Pupil.prefix, Pupil.last_name)
                .join(ExchangePupil, ExchangePupil.pupil_id == Pupil.id)
                .where(ExchangePupil.exchange_id == row.id)
                .order_by(Pupil.last_name, Pupil.first_name))]
            purpose = session.scalar(
                select(ConsentPurposeText.title).where(ConsentPurposeText.purpose_id
                                                       == purpose_id)
                .order_by(ConsentPurposeText.version.desc()).limit(1)) if purpose_id else None
        self.exchange_details.setTitle(self.tr("{day}: {recipient}").format(
            day=format_dutch_date(row.occurred_on), recipient=row.recipient))
        labels["data"].setText(row.data_shared or "—")
        basis = basis_label(row.legal_basis)
        labels["basis"].setText(self.tr("{basis} ({purpose})").format(
            basis=basis, purpose=purpose) if purpose else basis)
        labels["pupils"].setText(", ".join(names) if names else self.tr(
            "(geen leerlingen meer in het register)"))
        labels["note"].setText(note or "—")

    # --- actions ---------------------------------------------------------------------------

    def add_supplier(self) -> None:
        if not self.can_manage:
            return
        supplier_id = SupplierDialog.ask(self, self.vault, self.user, clock=self.clock)
        if supplier_id is not None:
            self.refresh()
            self.select_supplier(supplier_id)
            self.changed.emit()

    def edit_supplier(self) -> None:
        line = self.current_supplier()
        if line is None or not self.can_manage:
            return
        if SupplierDialog.ask(self, self.vault, self.user, line.supplier,
                              clock=self.clock) is not None:
            self.refresh()
            self.changed.emit()

    def record_exchange(self) -> None:
        if not self.can_record:
            return
        with self.vault.session() as session:
            pupils = pupil_rows(session, self.user)
            purposes = [(p.purpose_id, p.title) for p in purpose_texts(session)]
            recipients = [r.recipient for r in exchange_rows(session, self.user)]
        exchange_id = ExchangeDialog.ask(self, self.vault, self.user, pupils, purposes,
                                         recipients=recipients, clock=self.clock)
        if exchange_id is not None:
            self.refresh()
            self.tabs.setCurrentIndex(1)
            self.select_exchange(exchange_id)
            self.changed.emit()

    def print_list(self) -> Task | None:
        """Lijst afdrukken…: the supplier list for parents, as a PDF, written in a worker."""
        title = self.tr("Leverancierslijst afdrukken")
        today = local_today(self.clock)
        path = files.choose_save_path(self, title, self.tr("Leveranciers {day}").format(
            day=format_dutch_date(today)))
        if path is None:
            return None
        with self.vault.session() as session:
            rows = supplier_rows(session, self.user)
            school = get_school(session)
            school_name = school.name if school else ""
        from desktop.printing.supplier_list import supplier_list_pdf

        def work(_progress) -> Path:  # noqa: ANN001 - the worker thread
            return supplier_list_pdf(path, school_name, rows, printed_on=today)

        def done(outcome: Outcome) -> None:
            self.task = None
            if not outcome.ok:
                path.unlink(missing_ok=True)
                widgets.warn(self, title, self.tr(
                    "De lijst kon niet worden gemaakt: {reason}").format(
                        reason=failure_reason(outcome.error)))
                return
            files.show_saved(self, title, self.tr(
                "De leverancierslijst is opgeslagen:\n{path}").format(path=path), path)

        self.task = run_task(self, work, done, title=title,
                             label=self.tr("De leverancierslijst wordt gemaakt…"),
                             cancellable=False)
        return self.task

