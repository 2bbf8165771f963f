"""Verwerking toevoegen or wijzigen: one activity of the art. 30 register, with the suppliers
and retention terms of this register it is linked to (db.processing.save_activity)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLineEdit, QWidget

from db.clock import Clock, local_today, system_clock
from db.permissions import Actor
from db.processing import (
    Activity,
    ActivityInput,
    save_activity,
    supplier_label,
    term_choices,
    term_line,
)
from db.suppliers import AgreementState, SupplierRow, supplier_rows
from db.vault import Vault
from desktop.kit.checklist import CheckList
from desktop.kit.forms import FormDialog, text_box
from desktop.kit.labels import label


def _tr(text: str) -> str:
    return QCoreApplication.translate("processing", text)


def _column(title: str) -> tuple[QGroupBox, QFormLayout]:
    box = QGroupBox(title)
    form = QFormLayout(box)
    form.setContentsMargins(14, 12, 14, 12)
    form.setVerticalSpacing(8)
    form.setHorizontalSpacing(12)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    return box, form


def supplier_choice(row: SupplierRow, today: date) -> str:
    """'ParnasSys van Topicus (verlopen)': the agreement state when it is not simply valid."""
    state = row.agreement_state(today)
    text = supplier_label(row)
    return text if state is AgreementState.VALID else f"{text} ({label(state)})"


class ActivityDialog(FormDialog):
    """``activity_id`` after accept()."""

    def __init__(self, parent: QWidget | None, vault: Vault, user: Actor,
                 activity: Activity | None = None, *, clock: Clock = system_clock) -> None:
        super().__init__(parent, _tr("Verwerking wijzigen") if activity
                         else _tr("Verwerking toevoegen"), ok_text=_tr("Opslaan"), intro=_tr(
                             "Wat de school met persoonsgegevens doet, waarom, van wie, met "
                             "wie ze worden gedeeld, hoe lang ze worden bewaard en hoe ze zijn "
                             "beveiligd (AVG artikel 30). Velden met * zijn verplicht."))
        self.vault, self.user, self.clock = vault, user, clock
        self.activity_id = activity.id if activity else None
        today = local_today(clock)
        with vault.session() as session:
            suppliers = supplier_rows(session, user)
            terms = term_choices(session, user)
        self.name = QLineEdit()
        self.name.setMaxLength(200)
        self.name.setPlaceholderText(_tr("bijvoorbeeld Leerlingadministratie"))
        self.purposes = text_box(3, minimum_width=300)
        self.legal_basis = QLineEdit()
        self.legal_basis.setMaxLength(200)
        self.legal_basis.setPlaceholderText(_tr("bijvoorbeeld wettelijke plicht (WPO)"))
        self.subjects = text_box(2, minimum_width=300)
        self.subjects.setPlaceholderText(_tr("bijvoorbeeld leerlingen en hun ouders"))
        self.data_categories = text_box(4, minimum_width=300)
        self.recipients = text_box(3, minimum_width=300)
        self.recipients.setPlaceholderText(_tr("ontvangers anders dan de leveranciers hiernaast"))
        self.transfers = QLineEdit()
        self.transfers.setMaxLength(300)
        self.transfers.setPlaceholderText(_tr("bijvoorbeeld geen; alle gegevens blijven in de EU"))
        self.retention = text_box(2, minimum_width=300)
        self.retention.setPlaceholderText(_tr("alleen wat de gekozen termijnen niet zeggen"))
        self.security = text_box(4, minimum_width=300)
        self.suppliers = CheckList(_tr("Leveranciers"))
        self.suppliers.set_items([(s.id, supplier_choice(s, today),
                                   " — ".join(filter(None, (supplier_choice(s, today),
                                                            s.purpose))))
                                  for s in suppliers])
        self.terms = CheckList(_tr("Bewaartermijnen"))
        self.terms.set_items([(t.rule_id, term_line(t.label, t.years_after_leaving), "")
                              for t in terms])
        lines = self.fontMetrics().lineSpacing()
        self.suppliers.setFixedHeight(lines * 5 + 28)
        self.terms.setFixedHeight(lines * 4 + 24)

        left, left_form = _column(_tr("Wat en waarom"))
        right, right_form = _column(_tr("Ontvangers, bewaren en beveiligen"))
        add = self.errors.add
        add(left_form, "name", _tr("&Naam *"), self.name)
        add(left_form, "purposes", _tr("&Doelen *"), self.purposes)
        add(left_form, "legal_basis", _tr("&Grondslag"), self.legal_basis)
        add(left_form, "subjects", _tr("&Betrokkenen *"), self.subjects)
        add(left_form, "data_categories", _tr("G&egevens *"), self.data_categories)
        add(left_form, "security", _tr("Be&veiliging"), self.security)
        add(right_form, "suppliers", _tr("&Leveranciers"), self.suppliers)
        add(right_form, "recipients", _tr("&Andere ontvangers"), self.recipients)
        add(right_form, "transfers", _tr("Buiten de E&U"), self.transfers)
        add(right_form, "terms", _tr("Bewaar&termijnen"), self.terms)
        add(right_form, "retention", _tr("Bewaren, &toelichting"), self.retention)
        columns = QHBoxLayout()
        columns.setSpacing(16)
        columns.addWidget(left, 1)
        columns.addWidget(right, 1)
        self.add_below_form(columns)
        self.preferred_width = 1060
        if activity is not None:
            self.set_values(activity)
        self.name.setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None, vault: Vault, user: Actor,  # type: ignore[override]
            activity: Activity | None = None, *, clock: Clock = system_clock) -> int | None:
        dialog = cls(parent, vault, user, activity, clock=clock)
        try:
            return dialog.activity_id if dialog.exec() == FormDialog.DialogCode.Accepted \
                else None
        finally:
            dialog.deleteLater()  # a closed dialog with a parent lives as long as the parent

    def set_values(self, activity: Activity) -> None:
        self.name.setText(activity.name)
        self.purposes.setPlainText(activity.purposes)
        self.legal_basis.setText(activity.legal_basis)
        self.subjects.setPlainText(activity.subjects)
        self.data_categories.setPlainText(activity.data_categories)
        self.recipients.setPlainText(activity.recipients)
        self.transfers.setText(activity.transfers)
        self.retention.setPlainText(activity.retention)
        self.security.setPlainText(activity.security)
        for edit in (self.name, self.legal_basis, self.transfers):
            edit.setCursorPosition(0)
        self.suppliers.set_chosen(s.id for s in activity.suppliers)
        self.terms.set_chosen(t.rule_id for t in activity.terms)

    def value(self) -> ActivityInput:
        return ActivityInput(
            name=self.name.text(), purposes=self.purposes.toPlainText(),
            subjects=self.subjects.toPlainText(),
            data_categories=self.data_categories.toPlainText(),
            legal_basis=self.legal_basis.text(), recipients=self.recipients.toPlainText(),
            transfers=self.transfers.text(), retention=self.retention.toPlainText(),
            security=self.security.toPlainText(), supplier_ids=self.suppliers.chosen(),
            rule_ids=self.terms.chosen())

    def save(self) -> None:
        data = self.value()
        with self.vault.session() as session:
            self.activity_id = save_activity(session, self.user, data, self.activity_id,
                                             clock=self.clock).id
