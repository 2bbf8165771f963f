"""The supplier dialog (leverancier + verwerkersovereenkomst) and the exchange dialog
(gegevensuitwisseling with a third party, on the basis of law or of consent)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from db.clock import Clock, local_today, system_clock
from db.errors import ValidationError
from db.pupils import PupilRow, matches
from db.schema import LegalBasis, User
from db.suppliers import ExchangeInput, SupplierInput, SupplierRow, record_exchange, save_supplier
from db.vault import Vault
from desktop.kit.forms import FormDialog, date_of, text_box
from desktop.kit.widgets import DateEdit, plural
from desktop.requests.dialogs import pupil_label

MODEL_AGREEMENT = "Model Verwerkersovereenkomst (Privacyconvenant Onderwijs)"
RECIPIENT_KINDS = ("leerplicht", "zorg", "school", "gemeente", "veiligheid", "overig")


def _tr(text: str) -> str:
    return QCoreApplication.translate("suppliers", text)


def _column(title: str) -> tuple[QGroupBox, QFormLayout]:
    box = QGroupBox(title)
    form = QFormLayout(box)
    form.setContentsMargins(14, 12, 14, 12)
    form.setVerticalSpacing(10)
    form.setHorizontalSpacing(14)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    return box, form


class SupplierDialog(FormDialog):
    """Leverancier toevoegen or wijzigen. ``supplier_id`` after accept()."""

    def __init__(self, parent: QWidget | None, vault: Vault, user: User,
                 supplier: SupplierRow | None = None, *, clock: Clock = system_clock) -> None:
        title = self.tr("Leverancier wijzigen") if supplier else self.tr("Leverancier toevoegen")
        super().__init__(parent, title, ok_text=self.tr("Opslaan"), intro=self.tr(
            "Een leverancier die leerlinggegevens ontvangt of verwerkt, en de "
            "verwerkersovereenkomst die de school met hem heeft. Ouders mogen deze lijst "
            "opvragen. Velden met * zijn verplicht."))
        self.vault, self.user, self.clock = vault, user, clock
        self.supplier_id = supplier.id if supplier else None
        # the version the form was loaded with: a save over someone else's later change is
        # refused (ChangedElsewhereError, shown under the form; the input stays)
        self.loaded_version = supplier.version if supplier else None
        self.name = QLineEdit()
        self.name.setMaxLength(200)
        self.product = QLineEdit()
        self.product.setMaxLength(200)
        self.product.setPlaceholderText(self.tr("bijvoorbeeld ParnasSys, Parro, Snappet"))
        self.data_categories = text_box(3, minimum_width=320)
        self.data_categories.setPlaceholderText(self.tr("bijvoorbeeld naam, groep, resultaten"))
        self.purpose = text_box(3, minimum_width=320)
        self.storage_location = QLineEdit()
        self.storage_location.setMaxLength(200)
        self.storage_location.setPlaceholderText(self.tr("bijvoorbeeld EU (Nederland)"))
        self.sub_processors = text_box(2, minimum_width=320)
        self.agreement_model = QComboBox()
        self.agreement_model.setEditable(True)
        self.agreement_model.addItem(MODEL_AGREEMENT)
        self.agreement_model.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.agreement_model.setMinimumWidth(320)
        self.agreement_model.setEditText("")
        self.agreement_version = QLineEdit()
        self.agreement_version.setMaxLength(40)
        self.agreement_version.setMaximumWidth(140)
        self.signed_on = DateEdit()
        self.ends_on = DateEdit()
        self.ends_on.setToolTip(self.tr("Leeg laten als de overeenkomst voor onbepaalde tijd "
                                        "geldt."))
        self.privacy_insert_ref = QLineEdit()
        self.privacy_insert_ref.setMaxLength(200)
        self.privacy_insert_ref.setPlaceholderText(self.tr("kenmerk of vindplaats"))

        left, left_form = _column(self.tr("Leverancier en gegevens"))
        right, right_form = _column(self.tr("Verwerkersovereenkomst"))
        add = self.errors.add
        add(left_form, "name", self.tr("&Naam *"), self.name)
        add(left_form, "product", self.tr("&Product of dienst"), self.product)
        add(left_form, "data_categories", self.tr("&Welke gegevens"), self.data_categories)
        add(left_form, "purpose", self.tr("Waa&rvoor"), self.purpose)
        add(left_form, "storage_location", self.tr("&Opslag"), self.storage_location)
        add(left_form, "sub_processors", self.tr("S&ubverwerkers"), self.sub_processors)
        add(right_form, "agreement_model", self.tr("&Model"), self.agreement_model)
        add(right_form, "agreement_version", self.tr("&Versie"), self.agreement_version)
        add(right_form, "signed_on", self.tr("&Getekend op"), self.signed_on)
        add(right_form, "ends_on", self.tr("&Loopt tot"), self.ends_on)
        add(right_form, "privacy_insert_ref", self.tr("&Privacybijsluiter"),
            self.privacy_insert_ref)
        columns = QHBoxLayout()
        columns.setSpacing(16)
        columns.addWidget(left, 1)
        columns.addWidget(right, 1)
        self.add_below_form(columns)
        self.add_below_form(_hint_label(self.tr(
            "‘Loopt tot’ leeg: de overeenkomst geldt voor onbepaalde tijd. Zonder datum bij "
            "‘Getekend op’ staat de leverancier op ‘geen overeenkomst’.")))
        self.preferred_width = 980
        if supplier is not None:
            self.set_values(supplier)
        self.name.setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None, vault: Vault, user: User,  # type: ignore[override]
            supplier: SupplierRow | None = None, *, clock: Clock = system_clock) -> int | None:
        dialog = cls(parent, vault, user, supplier, clock=clock)
        try:
            return dialog.supplier_id if dialog.exec() == FormDialog.DialogCode.Accepted \
                else None
        finally:
            dialog.deleteLater()  # a closed dialog with a parent lives as long as the parent

    def set_values(self, row: SupplierRow) -> None:
        self.name.setText(row.name)
        self.product.setText(row.product)
        self.data_categories.setPlainText(row.data_categories)
        self.purpose.setPlainText(row.purpose)
        self.storage_location.setText(row.storage_location)
        self.sub_processors.setPlainText(row.sub_processors)
        self.agreement_model.setEditText(row.agreement_model)
        self.agreement_model.lineEdit().setCursorPosition(0)
        self.agreement_version.setText(row.agreement_version)
        self.signed_on.set_date(row.signed_on)
        self.ends_on.set_date(row.ends_on)
        self.privacy_insert_ref.setText(row.privacy_insert_ref)

    def value(self) -> SupplierInput:
        return SupplierInput(
            name=self.name.text(), product=self.product.text(),
            data_categories=self.data_categories.toPlainText(),
            purpose=self.purpose.toPlainText(),
            agreement_model=self.agreement_model.currentText(),
            agreement_version=self.agreement_version.text(),
            signed_on=date_of(self.signed_on, "signed_on", self.tr("De datum van tekenen"),
                              required=False),
            ends_on=date_of(self.ends_on, "ends_on", self.tr("De einddatum"), required=False),
            privacy_insert_ref=self.privacy_insert_ref.text(),
            storage_location=self.storage_location.text(),
            sub_processors=self.sub_processors.toPlainText())

    def save(self) -> None:
        data = self.value()
        with self.vault.session() as session:
            saved = save_supplier(session, self.user, data, self.supplier_id,
                                  loaded_version=self.loaded_version, clock=self.clock)
            self.supplier_id, self.loaded_version = saved.id, saved.version


def _hint_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555555;")
    return label


class PupilPicker(QWidget):
    """Several pupils, chosen by ticking them in a list narrowed by typing part of a name.
    Space ticks the current pupil; Down moves from the search box into the list."""

    def __init__(self, rows: list[PupilRow], today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_tr("Zoek op naam of groep…"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(_tr("Leerlingen zoeken"))
        self.list = QListWidget()
        self.list.setAccessibleName(_tr("Leerlingen"))
        self.list.setUniformItemSizes(True)
        self.list.setMinimumHeight(self.fontMetrics().lineSpacing() * 7 + 16)
        self.list.setStyleSheet("QListWidget::item { padding: 3px 2px; }")
        self.count = QLabel()
        self._keys: list[str] = []
        for row in rows:
            item = QListWidgetItem(pupil_label(row, today))
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
            self._keys.append(f"{row.search_key} {row.group_name.casefold()}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        layout.addWidget(self.count)
        self.setFocusProxy(self.search)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self.focus_list)
        self.search.installEventFilter(self)
        self.list.itemChanged.connect(self._update_count)
        self._update_count()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress \
                and event.key() == Qt.Key.Key_Down:
            self.focus_list()
            return True
        return super().eventFilter(watched, event)

    def focus_list(self) -> None:
        """Into the list, on the first pupil that matches the search."""
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)
        current = self.list.currentItem()
        if current is None or current.isHidden():
            for i in range(self.list.count()):
                if not self.list.item(i).isHidden():
                    self.list.setCurrentRow(i)
                    break

    def _filter(self, text: str) -> None:
        for index, key in enumerate(self._keys):
            self.list.item(index).setHidden(bool(text.strip()) and not matches(key, text))

    def _update_count(self, *_args: object) -> None:
        self.count.setText(plural(len(self.chosen()), _tr("1 leerling gekozen"),
                                  _tr("%1 leerlingen gekozen")))

    def chosen(self) -> tuple[int, ...]:
        return tuple(self.list.item(i).data(Qt.ItemDataRole.UserRole)
                     for i in range(self.list.count())
                     if self.list.item(i).checkState() == Qt.CheckState.Checked)

    def set_chosen(self, pupil_ids: set[int] | list[int] | tuple[int, ...]) -> None:
        wanted = set(pupil_ids)
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole)
                               in wanted else Qt.CheckState.Unchecked)


class ExchangeDialog(FormDialog):
    """Uitwisseling vastleggen: what was shared with whom, when, and on what basis. Consent as
    the basis must be given now for every chosen pupil; otherwise db refuses at 'purpose'."""

    def __init__(self, parent: QWidget | None, vault: Vault, user: User,
                 pupils: list[PupilRow], purposes: list[tuple[int, str]], *,
                 recipients: list[str] = (), clock: Clock = system_clock) -> None:
        super().__init__(parent, self.tr("Uitwisseling vastleggen"), ok_text=self.tr(
            "Vastleggen"), intro=self.tr(
                "Leg vast welke gegevens van welke leerlingen met wie zijn gedeeld, en op welke "
                "grondslag: een wettelijke plicht, of toestemming van de ouders die nú geldt."))
        self.vault, self.user, self.clock = vault, user, clock
        self.exchange_id: int | None = None
        today = local_today(clock)
        self.occurred_on = DateEdit(today)
        self.recipient = QLineEdit()
        self.recipient.setMaxLength(200)
        self.recipient.setPlaceholderText(self.tr(
            "bijvoorbeeld Leerplichtambtenaar gemeente Amersfoort"))
        if recipients:
            completer = QCompleter(sorted(set(recipients)), self.recipient)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            self.recipient.setCompleter(completer)
        self.recipient_kind = QComboBox()
        self.recipient_kind.setEditable(True)
        self.recipient_kind.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.recipient_kind.addItems([self.kind_text(k) for k in RECIPIENT_KINDS])
        self.recipient_kind.setMaximumWidth(260)
        self.data_shared = text_box(3, minimum_width=460)
        self.data_shared.setPlaceholderText(self.tr(
            "bijvoorbeeld naam, geboortedatum, groep en verzuimoverzicht"))
        self.law = QRadioButton(self.tr("&Wettelijke plicht (bijvoorbeeld Leerplichtwet, "
                                        "overstapdossier)"))
        self.consent = QRadioButton(self.tr("&Toestemming van de ouders voor dit doel:"))
        self.basis_group = QButtonGroup(self)
        self.basis_group.addButton(self.law)
        self.basis_group.addButton(self.consent)
        self.purpose = QComboBox()
        self.purpose.addItem(self.tr("— kies het toestemmingsdoel —"), None)
        for purpose_id, title in purposes:
            self.purpose.addItem(title, purpose_id)
        self.purpose.setMinimumWidth(360)
        basis = QWidget()
        basis_layout = QVBoxLayout(basis)
        basis_layout.setContentsMargins(0, 0, 0, 0)
        basis_layout.setSpacing(6)
        basis_layout.addWidget(self.law)
        basis_layout.addWidget(self.consent)
        indented = QHBoxLayout()
        indented.setContentsMargins(24, 0, 0, 0)
        indented.addWidget(self.purpose)
        indented.addStretch(1)
        basis_layout.addLayout(indented)
        self.pupils = PupilPicker(pupils, today)
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("bijvoorbeeld via het verzuimregister van DUO"))

        add = self.errors.add
        add(self.form, "occurred_on", self.tr("&Datum *"), self.occurred_on)
        add(self.form, "recipient", self.tr("&Ontvanger *"), self.recipient)
        add(self.form, "recipient_kind", self.tr("&Soort ontvanger"), self.recipient_kind)
        add(self.form, "data_shared", self.tr("&Gedeelde gegevens *"), self.data_shared)
        basis_field = add(self.form, "legal_basis", self.tr("Grondslag *"), self.law,
                          extra=basis)
        self.errors.fields["purpose"] = basis_field  # the consent refusal shows here
        add(self.form, "pupils", self.tr("&Leerlingen *"), self.pupils.search,
            extra=self.pupils)
        add(self.form, "note", self.tr("&Toelichting"), self.note)
        self.law.toggled.connect(self._basis_changed)
        self.consent.toggled.connect(self._basis_changed)
        self._basis_changed()
        self.preferred_width = 720
        self.recipient.setFocus()

    @staticmethod
    def kind_text(kind: str) -> str:
        return {"leerplicht": _tr("leerplicht"), "zorg": _tr("zorg"), "school": _tr("school"),
                "gemeente": _tr("gemeente"), "veiligheid": _tr("veiligheid"),
                "overig": _tr("overig")}.get(kind, kind)

    @classmethod
    def ask(cls, parent: QWidget | None, vault: Vault, user: User,  # type: ignore[override]
            pupils: list[PupilRow], purposes: list[tuple[int, str]], *,
            recipients: list[str] = (), clock: Clock = system_clock) -> int | None:
        dialog = cls(parent, vault, user, pupils, purposes, recipients=recipients, clock=clock)
        try:
            return dialog.exchange_id if dialog.exec() == FormDialog.DialogCode.Accepted \
                else None
        finally:
            dialog.deleteLater()

    def _basis_changed(self, *_args: object) -> None:
        self.purpose.setEnabled(self.consent.isChecked())

    def value(self) -> ExchangeInput:
        occurred = date_of(self.occurred_on, "occurred_on", self.tr("De datum"))
        if self.law.isChecked():
            basis = LegalBasis.LAW
        elif self.consent.isChecked():
            basis = LegalBasis.CONSENT
        else:
            raise ValidationError(self.tr("Kies de grondslag: wettelijke plicht of "
                                          "toestemming."), field="legal_basis")
        return ExchangeInput(
            occurred_on=occurred, recipient=self.recipient.text(),
            recipient_kind=self.recipient_kind.currentText(),
            data_shared=self.data_shared.toPlainText(), legal_basis=basis,
            pupil_ids=self.pupils.chosen(),
            purpose_id=self.purpose.currentData() if basis == LegalBasis.CONSENT else None,
            note=self.note.text())

    def save(self) -> None:
        data = self.value()
        with self.vault.session() as session:
            self.exchange_id = record_exchange(session, self.user, data, clock=self.clock).id
