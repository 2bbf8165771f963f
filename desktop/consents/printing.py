"""Printing the consent papers off the GUI thread.

The caller gathers the plain records on the GUI thread (a few fast queries; the register has
one connection, so a worker must not hold it), then ``PrintJob`` runs the Qt-free writer from
desktop/printing in a QThread. A QProgressDialog shows how far it is; Annuleren makes the
writer's progress callback return False, and the half-written file is removed.

``choose_pdf_path`` and ``show_printed`` are module functions so tests can monkeypatch them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QStandardPaths, Qt, QThread, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from db.errors import RegisterError

# A writer gets progress(i) -> bool (False: stop) and returns the number of pages written.
Writer = Callable[[Callable[[int], bool]], int | None]


def _tr(text: str) -> str:
    return QCoreApplication.translate("consents", text)


def safe_file_name(text: str) -> str:
    """'Toestemmingsformulieren groep 1/2' → a name Windows accepts."""
    bad = '<>:"/\\|?*'
    cleaned = "".join("-" if ch in bad else ch for ch in text)
    return " ".join(cleaned.split()).strip(" .") or "afdruk"


def choose_pdf_path(parent: QWidget | None, title: str, suggested_name: str) -> Path | None:
    """Ask where to save the PDF; None when the user cancelled. Adds '.pdf' when missing."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    start = str(Path(folder) / f"{safe_file_name(suggested_name)}.pdf") if folder else \
        f"{safe_file_name(suggested_name)}.pdf"
    chosen, _filter = QFileDialog.getSaveFileName(parent, title, start,
                                                  _tr("PDF-bestanden (*.pdf)"))
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


def open_file(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def show_printed(parent: QWidget | None, title: str, text: str, path: Path) -> None:
    """'Klaar' with the path, and a button that opens the PDF."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text,
                      QMessageBox.StandardButton.NoButton, parent)
    open_button = box.addButton(_tr("PDF openen"), QMessageBox.ButtonRole.AcceptRole)
    close_button = box.addButton(_tr("Sluiten"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(open_button)
    box.setEscapeButton(close_button)
    box.exec()
    if box.clickedButton() is open_button:
        open_file(path)


def show_failed(parent: QWidget | None, title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text,
                      QMessageBox.StandardButton.NoButton, parent)
    box.addButton(_tr("OK"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()


class PrintResult:
    """How a job ended: pages written, cancelled, or an error."""

    def __init__(self, path: Path, pages: int | None = 0, cancelled: bool = False,
                 error: BaseException | None = None) -> None:
        self.path, self.pages, self.cancelled, self.error = path, pages, cancelled, error

    @property
    def ok(self) -> bool:
        return self.error is None and not self.cancelled


class _Thread(QThread):
    progressed = Signal(int)
    ended = Signal(object)

    def __init__(self, writer: Writer, path: Path, cancel: threading.Event,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._writer, self._path, self._cancel = writer, path, cancel

    def _progress(self, index: int) -> bool:
        self.progressed.emit(index)
        return not self._cancel.is_set()

    def run(self) -> None:  # noqa: D102 - the worker thread
        try:
            pages = self._writer(self._progress)
            result = PrintResult(self._path, pages, cancelled=self._cancel.is_set())
        except Exception as error:  # shown on the GUI thread
            result = PrintResult(self._path, error=error)
        if not result.ok:
            self._path.unlink(missing_ok=True)  # never leave half a PDF behind
        self.ended.emit(result)


class PrintJob(QObject):
    """One PDF being written. ``finished(PrintResult)`` arrives on the GUI thread."""

    finished = Signal(object)

    def __init__(self, parent: QWidget, writer: Writer, path: Path, *, total: int,
                 title: str, label: str) -> None:
        super().__init__(parent)
        self.path = path
        self.result: PrintResult | None = None
        self.cancel_event = threading.Event()
        self.dialog = QProgressDialog(label, _tr("Annuleren"), 0, max(total, 1), parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(400)
        self.dialog.setMinimumWidth(440)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setValue(0)
        self.dialog.canceled.connect(self.cancel)
        self._thread = _Thread(writer, path, self.cancel_event, self)
        self._thread.progressed.connect(self._on_progress)
        self._thread.ended.connect(self._on_ended)
        thread, cancel = self._thread, self.cancel_event

        def stop_before_the_window_goes(_obj: QObject | None = None) -> None:
            cancel.set()  # a QThread destroyed while running would take the app down
            thread.wait(30_000)

        parent.destroyed.connect(stop_before_the_window_goes)

    def start(self) -> PrintJob:
        self._thread.start()
        return self

    def cancel(self) -> None:
        self.cancel_event.set()
        self.dialog.setLabelText(_tr("Bezig met afbreken…"))

    def is_running(self) -> bool:
        return self.result is None

    def _on_progress(self, index: int) -> None:
        if not self.cancel_event.is_set():
            self.dialog.setValue(min(index, self.dialog.maximum()))

    def _on_ended(self, result: PrintResult) -> None:
        self._thread.wait()
        self.dialog.canceled.disconnect(self.cancel)
        self.dialog.close()
        self.dialog.deleteLater()
        self.result = result
        self.finished.emit(result)


def _reason(error: BaseException) -> str:
    """A Dutch reason; never the raw (English) text of an OSError."""
    if isinstance(error, PermissionError):
        return _tr("Windows geeft geen toegang tot dit bestand of deze map.")
    if isinstance(error, FileNotFoundError):
        return _tr("de gekozen map bestaat niet (meer).")
    if isinstance(error, OSError):
        return _tr("het bestand kon niet worden geschreven (is de schijf vol?).")
    if isinstance(error, RegisterError):
        return str(error)
    return _tr("er ging iets onverwachts mis ({kind}).").format(kind=type(error).__name__)


def report_result(parent: QWidget, result: PrintResult, *, title: str) -> None:
    """Tell the user how printing ended: where the PDF is, or what went wrong."""
    if result.error is not None:
        show_failed(parent, title, _tr(
            "Het PDF-bestand kon niet worden gemaakt: {error}\n\nKies een andere map, of sluit "
            "het bestand als het nog in een ander programma openstaat, en probeer het opnieuw."
        ).format(error=_reason(result.error)))
    elif result.cancelled:
        show_failed(parent, title, _tr("Afdrukken afgebroken. Er is geen bestand gemaakt."))
    else:
        if result.pages:
            pages = _tr("1 pagina") if result.pages == 1 else \
                _tr("{n} pagina's").format(n=result.pages)
            text = _tr("Klaar: {pages} opgeslagen in\n{path}").format(pages=pages,
                                                                      path=result.path)
        else:
            text = _tr("Klaar: opgeslagen in\n{path}").format(path=result.path)
        show_printed(parent, title, text + "\n\n" + _tr("Open het bestand om het af te drukken.")
                     + " " + _tr("Het bestand is niet versleuteld: verwijder het na het "
                                 "afdrukken."), result.path)


def start_print(parent: QWidget, *, title: str, label: str, suggested_name: str,
                writer: Callable[[Path], Writer], total: int) -> PrintJob | None:
    """Ask for a file, then write it in a worker with a progress dialog; report when done.

    ``writer(path)`` returns the function the thread runs. Returns the running job (tests wait
    for ``job.result``), or None when the user chose no file.
    """
    path = choose_pdf_path(parent, title, suggested_name)
    if path is None:
        return None
    job = PrintJob(parent, writer(path), path, total=total, title=title, label=label)
    job.finished.connect(lambda result: report_result(parent, result, title=title))
    return job.start()
