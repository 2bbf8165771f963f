"""Ontgrendelen: open a register whose key is not in this computer's keyring.

Asks the recovery key (herstelsleutel, keyring mode) or the passphrase (wachtwoordzin mode,
read from the file's sidecar). A wrong entry is reported at the field and the dialog stays open.

It can be the first window of the start-up (a passphrase register): it imports the database
stack only on a background thread once it is painted, while the user types
(desktop/opening.py), and Openen waits for that.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from db.clock import Clock, system_clock
from db.errors import MissingKeyError, RecoveryKeyError, VaultError, WrongKeyError
from db.sidecar import read_sidecar
from desktop.kit.forms import Field, heading, hint
from desktop.kit.screen import after_first_paint, fit_to_screen
from desktop.opening import StackImport

if TYPE_CHECKING:
    from db.vault import Vault

RECOVERY = "recovery"
PASSPHRASE = "passphrase"


def key_mode_of(path: Path) -> str:
    """RECOVERY or PASSPHRASE: what this file's sidecar says unlocks it."""
    return PASSPHRASE if read_sidecar(Path(path)).get("key_mode") == "passphrase" else RECOVERY


class UnlockDialog(QDialog):
    """Ask for the recovery key or passphrase and open the vault with it."""

    def __init__(self, parent: QWidget | None = None, *, database: Path,
                 backup_dir: Path | None, reason: str = "", mode: str | None = None,
                 clock: Clock = system_clock) -> None:
        super().__init__(parent)
        self.database = Path(database)
        self.backup_dir = backup_dir
        self.clock = clock
        self.mode = mode or key_mode_of(self.database)
        self.vault: Vault | None = None
        self.setMinimumWidth(620)

        self.secret = QLineEdit()
        self.field = Field(self.secret)
        self.secret.textEdited.connect(self.field.error.clear)
        if self.mode == PASSPHRASE:
            self.setWindowTitle(self.tr("Wachtwoordzin invoeren — Privacyregister"))
            title = self.tr("Wachtwoordzin invoeren")
            explanation = self.tr(
                "Dit register is beveiligd met een wachtwoordzin. Voer de wachtwoordzin in die "
                "bij het inrichten is gekozen.")
            label = self.tr("&Wachtwoordzin:")
            self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        else:
            self.setWindowTitle(self.tr("Herstelsleutel invoeren — Privacyregister"))
            title = self.tr("Herstelsleutel invoeren")
            explanation = self.tr(
                "De sleutel van dit register staat niet op deze computer, bijvoorbeeld na een "
                "herinstallatie van Windows of op een andere werkplek. Pak het papier met de "
                "herstelsleutel uit de kluis en typ de sleutel hieronder over. Hoofd- en kleine "
                "letters, spaties en streepjes maken niet uit.")
            label = self.tr("&Herstelsleutel:")
            mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
            mono.setPointSize(max(mono.pointSize(), QFont().pointSize()) + 1)
            self.secret.setFont(mono)
            whole_key = "-".join(["XXXXX"] * 13)  # a full key fits without scrolling
            width = self.secret.fontMetrics().horizontalAdvance(whole_key) + 24
            self.secret.setMinimumWidth(width)
            self.setMinimumWidth(max(620, width + 48))
            self.secret.setPlaceholderText("XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-…")
        self.secret.setAccessibleName(label.replace("&", "").rstrip(":"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(14)
        layout.addWidget(heading(title, size_delta=4))
        self.explanation = hint(explanation)
        layout.addWidget(self.explanation)
        form = QFormLayout()
        form.setHorizontalSpacing(16)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)  # the key gets the width
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(label, self.field)
        form.labelForField(self.field).setBuddy(self.secret)
        layout.addLayout(form)
        if reason:  # why the usual way failed, e.g. the key in the keyring did not fit
            self.reason = hint(reason)
            layout.addWidget(self.reason)
        layout.addWidget(hint(self.tr("Register: {path}").format(path=self.database)))

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Openen"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            self.tr("Annuleren"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        fit_to_screen(self)
        self.secret.setFocus()
        self._stack = StackImport()
        after_first_paint(self, self._stack.start)

    def unlock(self) -> Vault | None:
        """Open the vault with what was typed; None with the reason at the field."""
        text = self.secret.text().strip()
        if not text:
            self.field.error.show_message(
                self.tr("Vul de wachtwoordzin in.") if self.mode == PASSPHRASE
                else self.tr("Vul de herstelsleutel in."))
            return None
        secret = {"passphrase": self.secret.text()} if self.mode == PASSPHRASE \
            else {"recovery_key": text}
        self._stack.wait()  # imported behind the dialog; not twice at once
        from db.vault import Vault

        try:
            return Vault.open(self.database, backup_dir=self.backup_dir, clock=self.clock,
                              **secret)
        except RecoveryKeyError as exc:
            self.field.error.show_message(str(exc))  # names the group with the typo
        except WrongKeyError:
            self.field.error.show_message(
                self.tr("Met deze wachtwoordzin gaat het register niet open. Controleer de "
                        "wachtwoordzin (let op hoofdletters).") if self.mode == PASSPHRASE
                else self.tr("Met deze herstelsleutel gaat het register niet open. Is het de "
                             "sleutel van dit register? Anders is het bestand mogelijk "
                             "beschadigd: zet dan de laatste reservekopie terug."))
        except (MissingKeyError, VaultError) as exc:
            self.field.error.show_message(str(exc))
        self.secret.setFocus()
        self.secret.selectAll()
        return None

    def accept(self) -> None:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.vault = self.unlock()
        finally:
            QApplication.restoreOverrideCursor()
        if self.vault is not None:
            super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, *, database: Path, backup_dir: Path | None,
            reason: str = "", clock: Clock = system_clock) -> Vault | None:
        """The opened vault, or None when the user cancelled."""
        dialog = cls(parent, database=database, backup_dir=backup_dir, reason=reason,
                     clock=clock)
        return dialog.vault if dialog.exec() == QDialog.DialogCode.Accepted else None
