"""Files the user saves: where (a file dialog), the 'Klaar' message with Open buttons, a Dutch
reason when writing failed, and deleting only after a backup.

Tests monkeypatch QFileDialog.getSaveFileName and ``show_saved``; nothing calls exec() then.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from db.errors import RegisterError
from desktop import failures

_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def _tr(text: str) -> str:
    return QCoreApplication.translate("accountability", text)


def safe_file_name(text: str) -> str:
    bad = '<>:"/\\|?*'
    cleaned = "".join("-" if ch in bad else ch for ch in text)
    return " ".join(cleaned.split()).strip(" .") or "export"


def choose_save_path(parent: QWidget | None, title: str, suggested_name: str, *,
                     suffix: str = ".pdf", filter_text: str | None = None) -> Path | None:
    """Ask where to save; None when cancelled. Adds the suffix when the user left it out."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    name = safe_file_name(suggested_name) + suffix
    start = str(Path(folder) / name) if folder else name
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, title, start, filter_text or _tr("PDF-bestanden (*.pdf)"))
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)


def open_path(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def open_folder(path: Path) -> None:
    open_path(path if path.is_dir() else path.parent)


def show_saved(parent: QWidget | None, title: str, text: str, path: Path) -> None:
    """'Klaar' with buttons to open the file or its folder (monkeypatched in tests)."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text,
                      QMessageBox.StandardButton.NoButton, parent)
    open_button = box.addButton(_tr("Bestand openen"), QMessageBox.ButtonRole.AcceptRole)
    folder_button = box.addButton(_tr("Map openen"), QMessageBox.ButtonRole.ActionRole)
    close_button = box.addButton(_tr("Sluiten"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(open_button)
    box.setEscapeButton(close_button)
    try:
        box.exec()
        clicked = box.clickedButton()
    finally:
        box.deleteLater()  # a closed box with a parent would live as long as the parent
    if clicked is open_button:
        open_path(path)
    elif clicked is folder_button:
        open_folder(path)


def failure_reason(error: BaseException) -> str:
    """A Dutch reason for a failed write and what to do about it; never the raw (English)
    text of an OSError. Read-only, missing folder and full disk are each named."""
    if isinstance(error, RegisterError):
        return str(error)
    code = error.errno if isinstance(error, OSError) else None
    if code == errno.EROFS:
        return _tr("De map of de schijf is alleen-lezen (bijvoorbeeld een beveiligde "
                   "USB-stick). Kies een map waarin u mag schrijven, zoals Documenten, en "
                   "probeer het opnieuw.")
    if code in _FULL:
        return _tr("De schijf is vol. Maak ruimte vrij (leeg bijvoorbeeld de prullenbak) of "
                   "kies een map op een andere schijf, en probeer het opnieuw.")
    if isinstance(error, PermissionError):
        return _tr("Windows geeft geen toegang tot dit bestand of deze map. Sluit het bestand "
                   "als het nog geopend is in een ander programma (bijvoorbeeld een PDF-lezer), "
                   "of kies een andere map, en probeer het opnieuw.")
    if isinstance(error, FileNotFoundError):
        return _tr("De gekozen map bestaat niet (meer), bijvoorbeeld omdat een USB-stick of "
                   "netwerkschijf is losgekoppeld. Kies een andere map en probeer het opnieuw.")
    if isinstance(error, OSError):
        return _tr("Het bestand kon niet worden geschreven (foutcode {code}). Controleer de "
                   "map en de schijf en probeer het opnieuw.").format(code=code or "onbekend")
    return _tr("Er ging iets onverwachts mis ({kind}). Probeer het opnieuw; gaat het weer "
               "mis, geef dan het logbestand {log} aan uw ICT-partner.").format(
                   kind=type(error).__name__, log=failures.log_path())


def delete_after_backup(parent: QWidget, vault, user, title: str,  # noqa: ANN001 - db types
                        work: Callable[[Any], Any]) -> tuple[Path, Any] | None:
    """Vault.backup_then (a backup, then ``work(session)`` in one transaction) with the
    messages: returns (backup, result), or None after telling the user (in Dutch) that nothing
    was deleted and why."""
    from db.errors import BackupFirstError
    from desktop.kit import widgets
    from desktop.kit.tasks import run_and_wait

    outcome = run_and_wait(  # on a worker with connections of its own: the window stays free
        parent, lambda _progress: vault.backup_then(user, work, reason="voor verwijderen",
                                                    own_connection=True),
        title=title, label=_tr("Eerst een reservekopie, dan verwijderen…"))
    if outcome.ok:
        return outcome.result
    error = outcome.error
    if isinstance(error, BackupFirstError):
        message = _tr("De reservekopie kon niet worden gemaakt, dus er is niets verwijderd. "
                      "{reason}").format(reason=failure_reason(error.cause))
    else:
        message = _tr("Er is niets verwijderd: {reason}").format(reason=failure_reason(error))
    widgets.warn(parent, title, message)
    return None
