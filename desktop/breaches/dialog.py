"""Register or edit a breach: one form, filled in under a minute."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from db.breaches import (
    DATA_CATEGORIES,
    GROUPS,
    NATURES,
    BreachInput,
    breach_input,
    breach_version,
    register_breach,
    update_breach,
)
from db.clock import Clock, system_clock
from db.errors import ChangedElsewhereError, ValidationError
from db.permissions import Actor
from db.vault import Vault
from desktop.breaches.fields import DateTimeEdit
from desktop.kit import widgets
from desktop.kit.forms import Field, FieldError, heading, hint
from desktop.kit.screen import fit_to_screen, scrolling


class BreachDialog(QDialog):
    """Datalek registreren (or, with a breach id, wijzigen while it is not signed off)."""

    def __init__(self, parent: QWidget | None, vault: Vault, user: Actor, *,
                 breach_id: int | None = None, clock: Clock = system_clock) -> None:
        super().__init__(parent)
        self.vault, self.user, self.clock, self.breach_id = vault, user, clock, breach_id
        self.saved_id: int | None = None
        # the breach's version the form was loaded with: a save over someone else's later
        # change is refused (db/versions.py); the typed input stays, reload_button offers
        # the other's version
        self.loaded_version: int | None = None
        self.setWindowTitle(self.tr("Datalek registreren") if breach_id is None
                            else self.tr("Datalek wijzigen"))
        self.resize(780, 760)

        self.discovered = DateTimeEdit(clock())
        self.started = DateTimeEdit()
        self.started.setPlaceholderText(self.tr("onbekend (leeg laten)"))
        self.ended = DateTimeEdit()
        self.ended.setPlaceholderText(self.tr("onbekend (leeg laten)"))
        self.ongoing = QCheckBox(self.tr("Het lek is nog gaande"))
        self.description = QPlainTextEdit()
        self.description.setPlaceholderText(self.tr("Wat is er gebeurd, en hoe is het ontdekt?"))
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(80)
        self.nature = {code: QCheckBox(label) for code, label in NATURES.items()}
        self.categories = {code: QCheckBox(label) for code, label in DATA_CATEGORIES.items()}
        self.groups = {code: QCheckBox(label) for code, label in GROUPS.items()}
        self.count_known = QCheckBox(self.tr("Aantal bekend:"))
        self.count_min, self.count_max = QSpinBox(), QSpinBox()
        for spin in (self.count_min, self.count_max):
            spin.setRange(0, 1_000_000)
            spin.setValue(0)
            spin.setEnabled(False)
        self.count_known.toggled.connect(self.count_min.setEnabled)
        self.count_known.toggled.connect(self.count_max.setEnabled)
        self.encrypted = QCheckBox(self.tr("De gegevens waren versleuteld"))
        self.cause = QLineEdit()
        self.consequences = QLineEdit()
        self.reported_by = QLineEdit()

        self.fields = {
            "discovered_at": Field(self.discovered), "started_at": Field(self.started),
            "ended_at": Field(self.ended, extra=self._row(self.ended, self.ongoing)),
            "description": Field(self.description),
            "nature": Field(self._checks(self.nature, 2)),
            "data_categories": Field(self._checks(self.categories, 2)),
            "affected_groups": Field(self._checks(self.groups, 3)),
            "affected_min": Field(self._row(self.count_known, self.count_min,
                                            hint(self.tr("tot en met")), self.count_max)),
        }
        self.fields["affected_max"] = self.fields["affected_min"]
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for label, key in ((self.tr("&Ontdekt op"), "discovered_at"),
                           (self.tr("&Begonnen op"), "started_at"),
                           (self.tr("Be&ëindigd op"), "ended_at"),
                           (self.tr("&Wat is er gebeurd"), "description"),
                           (self.tr("Aard"), "nature"),
                           (self.tr("Welke gegevens"), "data_categories"),
                           (self.tr("Van wie"), "affected_groups"),
                           (self.tr("Hoeveel mensen"), "affected_min")):
            form.addRow(label, self.fields[key])
        form.addRow("", self.encrypted)
        form.addRow(self.tr("Oor&zaak"), self.cause)
        form.addRow(self.tr("&Gevolgen"), self.consequences)
        form.addRow(self.tr("Gemeld &door"), self.reported_by)

        body = QWidget()
        inner = QVBoxLayout(body)
        inner.addWidget(heading(self.windowTitle(), size_delta=4))
        inner.addWidget(hint(self.tr("Leg elk datalek vast, ook als het niet gemeld hoeft te "
                                     "worden. Weet u iets (nog) niet, laat het dan leeg; u kunt "
                                     "het later aanvullen.")))
        inner.addLayout(form)
        inner.addStretch(1)  # spare height goes below the form, not between its rows
        scroll = scrolling(body)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(self.tr("&Opslaan"),
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        self.conflict = FieldError()
        self.reload_button = buttons.addButton(self.tr("Gegevens van de ander &laden"),
                                               QDialogButtonBox.ButtonRole.ResetRole)
        self.reload_button.setToolTip(self.tr("Toont het datalek zoals de ander het heeft "
                                              "opgeslagen; wat u hier typte vervalt"))
        self.reload_button.clicked.connect(self.reload)
        self.reload_button.hide()
        buttons.addButton(self.tr("Annuleren"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(self.conflict)
        layout.addWidget(buttons)
        if breach_id is not None:
            self._load(breach_id)
        self._initial = self.snapshot()
        fit_to_screen(self)

    @staticmethod
    def _row(*items: QWidget) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        for item in items:
            row.addWidget(item)
        row.addStretch(1)
        return box

    @staticmethod
    def _checks(boxes: dict[str, QCheckBox], columns: int) -> QWidget:
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        for n, check in enumerate(boxes.values()):
            grid.addWidget(check, n // columns, n % columns)
        return box

    def _load(self, breach_id: int) -> None:
        with self.vault.session() as session:
            data = breach_input(session, self.user, breach_id)
            self.loaded_version = breach_version(session, self.user, breach_id)
        self.discovered.set_value(data.discovered_at)
        self.started.set_value(data.started_at)
        self.ended.set_value(data.ended_at)
        self.ongoing.setChecked(data.ongoing)
        self.description.setPlainText(data.description)
        for codes, boxes in ((data.nature, self.nature), (data.data_categories, self.categories),
                             (data.affected_groups, self.groups)):
            for code, check in boxes.items():
                check.setChecked(code in codes)
        known = data.affected_min is not None or data.affected_max is not None
        self.count_known.setChecked(known)  # also unticked on a reload
        self.count_min.setValue(data.affected_min or 0)
        self.count_max.setValue(data.affected_max if data.affected_max is not None
                                else data.affected_min or 0)
        self.encrypted.setChecked(data.data_encrypted)
        self.cause.setText(data.cause)
        self.consequences.setText(data.consequences)
        self.reported_by.setText(data.reported_by)

    def snapshot(self) -> tuple:
        return (self.discovered.text(), self.started.text(), self.ended.text(),
                self.ongoing.isChecked(), self.description.toPlainText(),
                tuple(c.isChecked() for c in (*self.nature.values(), *self.categories.values(),
                                              *self.groups.values())),
                self.count_known.isChecked(), self.count_min.value(), self.count_max.value(),
                self.encrypted.isChecked(), self.cause.text(), self.consequences.text(),
                self.reported_by.text())

    def has_unsaved_input(self) -> bool:
        return self.snapshot() != self._initial

    def _clear_errors(self) -> None:
        for field in self.fields.values():
            field.error.clear()
        self.conflict.clear()

    def _show_error(self, field: str | None, message: str) -> None:
        target = self.fields.get(field or "", self.fields["description"])
        target.error.show_message(message)
        target.widget.setFocus()

    def value(self) -> BreachInput | None:
        """The input, or None after showing what is wrong at the field."""
        self._clear_errors()
        moments: dict[str, datetime | None] = {}
        for key, edit in (("discovered_at", self.discovered), ("started_at", self.started),
                          ("ended_at", self.ended)):
            try:
                moments[key] = edit.value()
            except ValueError as error:
                self._show_error(key, str(error))
                return None
        if moments["discovered_at"] is None:
            self._show_error("discovered_at", self.tr("Vul in wanneer het lek is ontdekt."))
            return None
        known = self.count_known.isChecked()
        return BreachInput(
            discovered_at=moments["discovered_at"], started_at=moments["started_at"],
            ended_at=moments["ended_at"], ongoing=self.ongoing.isChecked(),
            description=self.description.toPlainText(),
            nature=tuple(c for c, box in self.nature.items() if box.isChecked()),
            data_categories=tuple(c for c, box in self.categories.items() if box.isChecked()),
            affected_groups=tuple(c for c, box in self.groups.items() if box.isChecked()),
            affected_min=self.count_min.value() if known else None,
            affected_max=self.count_max.value() if known else None,
            data_encrypted=self.encrypted.isChecked(), cause=self.cause.text(),
            consequences=self.consequences.text(), reported_by=self.reported_by.text())

    def save(self) -> bool:
        data = self.value()
        if data is None:
            return False
        try:
            with self.vault.session() as session:
                if self.breach_id is None:
                    breach = register_breach(session, self.user, data, clock=self.clock)
                else:
                    breach = update_breach(session, self.user, self.breach_id, data,
                                           loaded_version=self.loaded_version,
                                           clock=self.clock)
                self.saved_id, self.loaded_version = breach.id, breach.version
        except ValidationError as error:
            self._show_error(error.field, str(error))
            return False
        except ChangedElsewhereError as error:  # the dialog stays open with what was typed
            self.conflict.show_message(str(error))
            self.reload_button.show()
            return False
        self._initial = self.snapshot()
        return True

    def reload(self) -> None:
        """After a refused save: the breach as someone else saved it, in the form; the input
        typed here is replaced (the button says so)."""
        self._clear_errors()
        self._load(self.breach_id)
        self._initial = self.snapshot()
        self.reload_button.hide()

    def accept(self) -> None:
        if self.save():
            super().accept()

    def reject(self) -> None:
        if self.has_unsaved_input() and not widgets.confirm(
                self, self.windowTitle(),
                self.tr("U hebt gegevens ingevuld die nog niet zijn opgeslagen. Toch sluiten?"),
                yes=self.tr("Sluiten zonder opslaan"), no=self.tr("Terug")):
            return
        super().reject()

    @classmethod
    def ask(cls, parent: QWidget | None, vault: Vault, user: Actor, *,
            breach_id: int | None = None, clock: Clock = system_clock) -> int | None:
        dialog = cls(parent, vault, user, breach_id=breach_id, clock=clock)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        try:
            return dialog.saved_id if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()  # a closed dialog with a parent lives as long as the parent
