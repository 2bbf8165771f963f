"""Inspectie-export (EXPORT): for a period, a PDF and a ZIP of CSV files with everything the
school must be able to show (register of processing, suppliers, consents, breaches, requests,
exchanges, retention, erasures, the audit chain), written in a worker. The SHA-256 of the
content is shown so the FG can check that the paper and the files say the same."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from db.clock import Clock, local_today, system_clock
from db.consents import school_year_label
from db.errors import ValidationError
from db.inspection import Inspection, gather, school_year_period
from db.permissions import Permission, may
from db.schema import User
from db.text import format_dutch_date
from db.vault import Vault
from desktop.kit import files
from desktop.kit.forms import FormErrors, date_of, heading, hint
from desktop.kit.screen import fit_to_screen
from desktop.kit.tasks import Outcome, Task, export
from desktop.kit.widgets import DateEdit


def school_year(today: date) -> tuple[date, date]:
    """1 August – 31 July of the school year that `today` falls in (db.inspection)."""
    return school_year_period(today)


class InspectionExportDialog(QDialog):
    """Inspectie-export maken. After a successful export ``result`` is (pdf, zip, sha256)."""

    def __init__(self, parent: QWidget | None, vault: Vault, user: User, *,
                 clock: Clock = system_clock) -> None:
        super().__init__(parent)
        self.vault, self.user, self.clock = vault, user, clock
        self.task: Task | None = None
        self.result_files: tuple[Path, Path, str] | None = None
        self.setWindowTitle(self.tr("Inspectie-export"))
        today = local_today(clock)
        first, last = school_year(today)
        self.start = DateEdit(first)
        self.end = DateEdit(last)
        self.errors = FormErrors()
        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.setHorizontalSpacing(16)
        self.errors.add(form, "start", self.tr("&Van *"), self.start)
        self.errors.add(form, "period", self.tr("&Tot en met *"), self.end)
        self.errors.alias("end", "period")
        form.addRow(QLabel(), hint(self.tr("Standaard het schooljaar {year}.").format(
            year=school_year_label(today))))

        self.result_frame = QFrame()
        self.result_frame.setObjectName("exportResult")
        self.result_frame.setStyleSheet(
            "QFrame#exportResult { background: #eaf4ea; border: 1px solid #1b5e20;"
            " border-radius: 4px; }")
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.digest_label = QLabel()
        self.digest_label.setWordWrap(True)
        self.digest_label.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.digest_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.open_folder_button = QPushButton(self.tr("&Map openen"))
        self.copy_button = QPushButton(self.tr("SHA-256 &kopiëren"))
        result_buttons = QHBoxLayout()
        result_buttons.addWidget(self.open_folder_button)
        result_buttons.addWidget(self.copy_button)
        result_buttons.addStretch(1)
        result_layout = QVBoxLayout(self.result_frame)
        result_layout.setContentsMargins(12, 10, 12, 10)
        result_layout.setSpacing(6)
        result_layout.addWidget(self.result_label)
        result_layout.addWidget(QLabel(self.tr("SHA-256 van de inhoud (ook op het voorblad van "
                                               "de PDF en in LEESMIJ.txt in de ZIP):")))
        result_layout.addWidget(self.digest_label)
        result_layout.addLayout(result_buttons)
        self.result_frame.hide()

        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton(self.tr("&Exporteren…"),
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(self.tr("Sluiten"),
                                                   QDialogButtonBox.ButtonRole.RejectRole)
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        self.open_folder_button.clicked.connect(self.open_folder)
        self.copy_button.clicked.connect(self.copy_digest)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(heading(self.tr("Inspectie-export")))
        layout.addWidget(hint(self.tr(
            "Een PDF en een ZIP met CSV-bestanden voor de inspectie of de FG: het register van "
            "verwerkingen, leveranciers, toestemmingen, datalekken, verzoeken, uitwisselingen, "
            "bewaartermijnen en verwijderingen in de gekozen periode, met de controle van het "
            "auditlog. De bestanden bevatten geen namen van leerlingen.")))
        layout.addLayout(form)
        layout.addWidget(self.errors.general)
        layout.addWidget(self.result_frame)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(640)
        if not may(user, Permission.EXPORT):
            self.export_button.setEnabled(False)
            self.errors.general.show_message(self.tr(
                "U mag geen exports maken met uw rol. Vraag de directie of de beheerder."))
        fit_to_screen(self)
        self.start.setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None, vault: Vault, user: User, *,
            clock: Clock = system_clock) -> None:
        dialog = cls(parent, vault, user, clock=clock)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()  # closed is gone: the office keeps the app open all day

    def period(self) -> tuple[date, date]:
        start = date_of(self.start, "start", self.tr("De begindatum"))
        end = date_of(self.end, "period", self.tr("De einddatum"))
        if end < start:  # db.inspection.gather says so too; asked here before the file dialog
            raise ValidationError(self.tr("De periode eindigt vóór ze begint."),
                                  field="period")
        return start, end

    def export(self, *, blocking: bool = False) -> Task | None:
        """Check the period, ask for the PDF's name, then gather and write on a worker
        (kit.tasks.export): the PDF and the ZIP beside it, both whole or neither."""
        from desktop.printing.inspection import write_inspection_parts

        self.errors.clear()
        try:
            start, end = self.period()
        except ValidationError as error:
            self.errors.show(error)
            return None
        user, now = self.user, self.clock()

        def collect(session: Session) -> Inspection:
            return gather(session, user, start, end, now=now)

        def write(parts: tuple[Path, Path], inspection: Inspection, _progress) -> str:  # noqa: ANN001
            pdf_part, zip_part = parts
            return write_inspection_parts(pdf_part, zip_part, inspection)

        self.result_frame.hide()
        self.result_files = None
        task = export(self, self.vault, title=self.tr("Inspectie-export"),
                      suggested_name=self.tr("Inspectie-export {start} tot en met {end}").format(
                          start=format_dutch_date(start), end=format_dutch_date(end)),
                      gather=collect, write=write, blocking=blocking, saved_text="",
                      companions=lambda pdf: (pdf.with_suffix(".zip"),),
                      on_saved=self._saved)
        if task is None or blocking:
            return task
        self.task = task
        self._busy(True)
        task.finished.connect(self._ended)
        return task

    def _busy(self, busy: bool) -> None:
        for widget in (self.export_button, self.close_button, self.start, self.end):
            widget.setEnabled(not busy)

    def _ended(self, _outcome: Outcome) -> None:
        self.task = None
        self._busy(False)

    def _saved(self, pdf: Path, digest: str) -> None:
        zip_path = pdf.with_suffix(".zip")
        self.result_files = (pdf, zip_path, digest)
        self.result_label.setText(self.tr("Klaar. Opgeslagen in {folder}:\n• {pdf}\n• {zip}")
                                  .format(folder=pdf.parent, pdf=pdf.name, zip=zip_path.name)
                                  + "\n\n" + self.tr(
                                      "Deze bestanden zijn niet versleuteld. Geef ze alleen "
                                      "versleuteld door (bijvoorbeeld op een versleutelde "
                                      "USB-stick) en verwijder ze als ze niet meer nodig zijn."))
        self.digest_label.setText(digest)
        self.result_frame.show()
        self.open_folder_button.setFocus()

    def open_folder(self) -> None:
        if self.result_files is not None:
            files.open_folder(self.result_files[0])

    def copy_digest(self) -> None:
        if self.result_files is not None:
            QGuiApplication.clipboard().setText(self.result_files[2])


__all__ = ["InspectionExportDialog", "school_year"]
