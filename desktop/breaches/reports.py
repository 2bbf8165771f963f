"""Kwetsbaarheidsmeldingen (responsible disclosure): confidential, a quick reply promised."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.breaches import breach_rows
from db.clock import Clock, format_school_moment, local_today, system_clock
from db.errors import RegisterError
from db.permissions import Actor
from db.vault import Vault
from db.vulnerabilities import (
    ReportInput,
    ReportRow,
    acknowledge,
    assess_report,
    link_breach,
    mark_fixed,
    record_update_sent,
    register_report,
    report_rows,
)
from desktop.breaches.fields import DateTimeEdit
from desktop.kit.forms import Field, hint
from desktop.kit.labels import URGENCY_TONES, label
from desktop.kit.screen import fit_to_screen
from desktop.kit.table import Column, RowsTable
from desktop.kit.widgets import DateEdit


def _tr(text: str) -> str:
    return QCoreApplication.translate("VulnerabilityReportsView", text)


class ReportsTable(RowsTable):
    """The reports, newest first; red while the reply is overdue (db: ReportRow.urgency)."""

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        self.clock = clock
        super().__init__([
            Column(_tr("Ontvangen"), lambda r: format_school_moment(r.received_at), 130),
            Column(_tr("Melder (of pseudoniem)"), lambda r: r.reporter, 220),
            Column(_tr("Status"), lambda r: label(r.state), 150),
            Column(_tr("Beantwoord"), lambda r: format_school_moment(r.acknowledged_at)
                   or _tr("nog niet"), 130),
            Column(_tr("Verwachte oplossing"), lambda r: r.expected_fix_on, 150),
            Column(_tr("Opgelost"), lambda r: format_school_moment(r.fixed_at))],
            key=lambda r: r.id, tone=lambda r: URGENCY_TONES.get(r.urgency(self.clock()) or ""),
            empty_text=_tr("Nog geen kwetsbaarheidsmeldingen. Registreer een melding wanneer "
                           "iemand een zwakke plek in de systemen van de school meldt."),
            name=_tr("Kwetsbaarheidsmeldingen"), parent=parent)


class ReportDialog(QDialog):
    """Kwetsbaarheidsmelding registreren."""

    @classmethod
    def ask(cls, parent: QWidget | None, clock: Clock) -> ReportInput | None:
        dialog = cls(parent, clock)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.value()
        finally:
            dialog.deleteLater()

    def accept(self) -> None:
        if self.value() is not None:
            super().accept()

    def __init__(self, parent: QWidget | None, clock: Clock) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Kwetsbaarheidsmelding registreren"))
        self.received = DateTimeEdit(clock())
        self.reporter = QLineEdit()
        self.reporter.setPlaceholderText(self.tr("naam of pseudoniem; leeg = anoniem"))
        self.contact = QLineEdit()
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.credit = QCheckBox(self.tr("De melder wil genoemd worden als ontdekker"))
        self.fields = {"received_at": Field(self.received),
                       "description": Field(self.description)}
        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("&Opslaan"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Annuleren"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(hint(self.tr("Vertrouwelijk: deel de gegevens van de melder niet zonder "
                                 "toestemming.")))
        form.addRow(self.tr("&Ontvangen op"), self.fields["received_at"])
        form.addRow(self.tr("&Melder"), self.reporter)
        form.addRow(self.tr("&Contact"), self.contact)
        form.addRow(self.tr("&Wat is er gemeld"), self.fields["description"])
        form.addRow("", self.credit)
        form.addRow(buttons)
        fit_to_screen(self)

    def value(self) -> ReportInput | None:
        try:
            received = self.received.value()
        except ValueError as error:
            self.fields["received_at"].error.show_message(str(error))
            return None
        if received is None:
            self.fields["received_at"].error.show_message(self.tr("Vul de ontvangstdatum in."))
            return None
        return ReportInput(received_at=received, description=self.description.toPlainText(),
                           reporter=self.reporter.text(), contact=self.contact.text(),
                           credit_wanted=self.credit.isChecked())


class VulnerabilityReportsView(QWidget):
    """The second tab of Datalekken, for those who handle breaches (confidential)."""

    def __init__(self, vault: Vault, user: Actor, clock: Clock = system_clock,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault, self.user, self.clock = vault, user, clock
        self.table = ReportsTable(clock)
        self.model = self.table.model
        self.assessment = QLineEdit()
        self.assessment.setPlaceholderText(self.tr("Beoordeling van de melding"))
        self.fix_date = DateEdit()
        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e;")
        actions = QHBoxLayout()
        for text, slot in ((self.tr("Melding &registreren…"), self.register),
                           (self.tr("&Beantwoord vandaag"), self.acknowledge_now),
                           (self.tr("&Voortgang gemeld vandaag"), self.update_sent),
                           (self.tr("&Opgelost vandaag"), self.fixed_now)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            actions.addWidget(button)
        actions.addStretch(1)
        self.breach = QComboBox()
        self.breach.setMinimumWidth(200)
        link = QPushButton(self.tr("&Koppelen"))
        link.clicked.connect(self.link)
        link_row = QHBoxLayout()
        link_row.addWidget(QLabel(self.tr("Gegevens gelekt? Koppel de melding aan datalek")))
        link_row.addWidget(self.breach)
        link_row.addWidget(link)
        link_row.addStretch(1)
        assess_row = QHBoxLayout()
        save = QPushButton(self.tr("Beoordeling &opslaan"))
        save.clicked.connect(self.save_assessment)
        assess_row.addWidget(self.assessment, 1)
        assess_row.addWidget(QLabel(self.tr("Verwacht opgelost op")))
        assess_row.addWidget(self.fix_date)
        assess_row.addWidget(save)
        layout = QVBoxLayout(self)
        layout.addWidget(hint(self.tr("Wie een zwakke plek in de systemen van de school meldt, "
                                      "krijgt zo snel mogelijk antwoord (rood: na drie dagen "
                                      "nog niet beantwoord), een verwachte oplosdatum en "
                                      "bericht over de voortgang.")))
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addLayout(assess_row)
        layout.addLayout(link_row)
        layout.addWidget(self.error)
        self.refresh()

    def refresh(self) -> None:
        """Reload; the selected report stays selected."""
        with self.vault.session() as session:
            reports = report_rows(session, self.user)
            breaches = breach_rows(session, self.user)
        self.table.set_rows(reports)
        chosen = self.breach.currentData()
        self.breach.clear()
        self.breach.addItem(self.tr("— geen —"), None)
        for row in breaches:
            self.breach.addItem(f"{row.reference} · {row.description[:40]}", row.id)
        self.breach.setCurrentIndex(max(0, self.breach.findData(chosen)))

    def _selected(self) -> ReportRow | None:
        return self.table.current()

    def _run(self, action) -> bool:  # noqa: ANN001
        self.error.clear()
        try:
            with self.vault.session() as session:
                action(session)
        except RegisterError as error:
            self.error.setText(str(error))
            return False
        self.refresh()
        return True

    def register(self, data: ReportInput | None = None) -> bool:
        if data is None:
            data = ReportDialog.ask(self, self.clock)
            if data is None:
                return False
        return self._run(lambda s: register_report(s, self.user, data, clock=self.clock))

    def acknowledge_now(self) -> bool:
        report = self._selected()
        return report is not None and self._run(
            lambda s: acknowledge(s, self.user, report.id, self.clock(), clock=self.clock))

    def update_sent(self) -> bool:
        report = self._selected()
        return report is not None and self._run(lambda s: record_update_sent(
            s, self.user, report.id, local_today(self.clock), clock=self.clock))

    def fixed_now(self) -> bool:
        report = self._selected()
        return report is not None and self._run(
            lambda s: mark_fixed(s, self.user, report.id, self.clock(), clock=self.clock))

    def link(self) -> bool:
        report = self._selected()
        if report is None:
            self.error.setText(self.tr("Kies eerst een melding."))
            return False
        breach_id = self.breach.currentData()
        return self._run(lambda s: link_breach(s, self.user, report.id, breach_id,
                                               clock=self.clock))

    def save_assessment(self) -> bool:
        report = self._selected()
        if report is None:
            self.error.setText(self.tr("Kies eerst een melding."))
            return False
        try:
            due = self.fix_date.date_value()
        except ValueError as error:
            self.error.setText(str(error))
            return False
        return self._run(lambda s: assess_report(s, self.user, report.id,
                                                 assessment=self.assessment.text(),
                                                 expected_fix_on=due, clock=self.clock))

