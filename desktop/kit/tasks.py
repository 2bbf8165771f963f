"""Long work off the GUI thread, the one way: a QThread runs ``fn(progress)``, a
QProgressDialog shows how far it is and offers Annuleren. ``export`` adds the rest of every
print and export: where to save, gathering on the worker's own connection, writing the file
whole or not at all, and the Dutch message (with the traceback in the failure log) when it
failed.

``fn`` receives ``progress(done, total) -> bool``; it returns False once the user cancelled, so
use-cases like commit_import raise Cancelled and their transaction rolls back. The outcome (the
result or the exception) comes back on the GUI thread through ``on_done``.

``blocking=True`` runs the same function on the calling thread without a dialog: that is how
tests drive a task deterministically.

A Task has no Qt parent: Python owns it, and this module keeps each running task until its
outcome is delivered. A QObject with a parent that was deleted later (deleteLater) after its
thread ended crashed the process now and then (a segmentation fault in ~QObject, caught in
CI and reproduced in about one of twenty exports); owned by Python it is freed by reference
counting, off its own event handler.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget
from shiboken6 import isValid
from sqlalchemy.orm import Session

from db.errors import Cancelled, RegisterError
from db.vault import Vault
from desktop.failures import log_failure

Progress = Callable[[int, int], bool]

_running: set[Task] = set()  # tasks whose thread runs or whose outcome is not yet delivered


class Outcome:
    """What a task ended with: ``result`` or ``error`` (an exception), and whether cancelled."""

    def __init__(self, result: Any = None, error: BaseException | None = None) -> None:
        self.result = result
        self.error = error

    @property
    def ok(self) -> bool:
        return self.error is None


class _Thread(QThread):
    progressed = Signal(int, int)
    ended = Signal(object)

    def __init__(self, fn: Callable[[Progress], Any], cancel: threading.Event,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fn, self._cancel = fn, cancel

    def _progress(self, done: int, total: int) -> bool:
        self.progressed.emit(done, total)
        return not self._cancel.is_set()

    def run(self) -> None:  # noqa: D102 - runs on the worker thread
        try:
            outcome = Outcome(result=self._fn(self._progress))
        except BaseException as error:  # handed to the GUI thread, which shows it: no worker
            # ends without closing its progress dialog (SystemExit from a library included)
            if not isinstance(error, RegisterError):
                log_failure("achtergrondtaak mislukt", error)
            outcome = Outcome(error=error)
        self.ended.emit(outcome)


class Task(QObject):
    """One running task; kept by this module until ``finished`` has fired."""

    finished = Signal(object)  # Outcome

    def __init__(self, parent: QWidget | None, fn: Callable[[Progress], Any], *,
                 title: str, label: str, cancellable: bool = True) -> None:
        super().__init__()  # no Qt parent: see the module's docstring
        self.cancel_event = threading.Event()
        self._fn = fn
        self._parent = parent
        self._title, self._label, self._cancellable = title, label, cancellable
        self.dialog: QProgressDialog | None = None
        self._thread: _Thread | None = None
        self._guard: Callable[..., None] | None = None

    def cancel(self) -> None:
        self.cancel_event.set()
        if self.dialog is not None:
            self.dialog.setLabelText(self.tr("Bezig met afbreken…"))

    def run_blocking(self) -> Outcome:
        def progress(_done: int, _total: int) -> bool:
            return not self.cancel_event.is_set()

        try:
            outcome = Outcome(result=self._fn(progress))
        except Exception as error:
            if not isinstance(error, RegisterError):
                log_failure("achtergrondtaak mislukt", error)
            outcome = Outcome(error=error)
        self.finished.emit(outcome)
        return outcome

    def start(self) -> None:
        dialog = QProgressDialog(self._label, self.tr("Annuleren") if self._cancellable else "",
                                 0, 0, self._parent)
        dialog.setWindowTitle(self._title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setValue(0)  # arms the 300 ms: the constructor's timer would show it after 4 s
        dialog.setMinimumWidth(420)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if not self._cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(self.cancel)
        self.dialog = dialog
        thread = _Thread(self._fn, self.cancel_event, self)
        thread.progressed.connect(self._on_progress)
        thread.ended.connect(self._on_ended)
        self._thread = thread
        _running.add(self)
        thread.start()
        if self._parent is not None:
            cancel = self.cancel_event

            def stop_before_the_window_goes(_obj: QObject | None = None) -> None:
                cancel.set()  # nothing is saved for a window that is gone, and the worker
                thread.wait(30_000)  # is done before the register may close

            self._guard = stop_before_the_window_goes
            self._parent.destroyed.connect(stop_before_the_window_goes)

    def wait(self, timeout_ms: int = 60_000) -> bool:
        """For tests: block until the thread ends (its outcome arrives on the next event loop)."""
        return self._thread.wait(timeout_ms) if self._thread is not None else True

    def _on_progress(self, done: int, total: int) -> None:
        if self.dialog is None or not isValid(self.dialog):  # gone with its window
            return
        if total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))

    def _on_ended(self, outcome: Outcome) -> None:
        if self._thread is not None:
            self._thread.wait()
            self._thread = None  # freed with the task
        window_gone = self._parent is not None and not isValid(self._parent)
        if self.dialog is not None and isValid(self.dialog):
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
        self.dialog = None
        if self._guard is not None and not window_gone:
            try:
                self._parent.destroyed.disconnect(self._guard)
            except (RuntimeError, TypeError):
                pass
        self._guard = None
        if not window_gone:  # a closed window has nobody to tell
            self.finished.emit(outcome)
        self._parent = None
        QTimer.singleShot(0, lambda: _running.discard(self))  # freed after this slot returns


def run_task(parent: QWidget | None, fn: Callable[[Progress], Any],
             on_done: Callable[[Outcome], None], *, title: str, label: str,
             blocking: bool = False, cancellable: bool = True) -> Task:
    """Run ``fn`` (in a thread unless blocking) and call ``on_done(outcome)`` on the GUI thread."""
    task = Task(parent, fn, title=title, label=label, cancellable=cancellable)
    task.finished.connect(on_done)
    if blocking:
        task.run_blocking()
    else:
        task.start()
    return task


def _tr(text: str) -> str:
    return QCoreApplication.translate("Kit", text)


def export(parent: QWidget, vault: Vault, *, title: str, suggested_name: str,
           gather: Callable[[Session], Any], write: Callable[[Path, Any, Progress], Any],
           saved_text: str, suffix: str = ".pdf", filter_text: str | None = None,
           blocking: bool = False,
           companions: Callable[[Path], tuple[Path, ...]] | None = None,
           on_saved: Callable[[Path, Any], None] | None = None) -> Task | None:
    """Every print and export: ask where, then on a worker (its own connection) gather the
    records and write the file whole; say where it is, or why it failed (and log that).

    `gather(session)` reads through db/ use cases; `write(path, data, progress)` is a Qt-free
    writer from desktop/printing. Annuleren (progress returns False) or any failure leaves
    no file behind.

    `companions(path)`: more files written beside the chosen one (a ZIP beside a PDF), all
    whole or none; `write` then receives the tuple of their part paths, the chosen one first.
    `on_saved(path, what write returned)` replaces the 'Klaar' message (a dialog that shows
    the result itself).
    """
    from desktop.kit import files, widgets
    from desktop.printing.files import written_whole

    path = files.choose_save_path(parent, title, suggested_name, suffix=suffix,
                                  filter_text=filter_text)
    if path is None:
        return None

    targets = (path, *(companions(path) if companions is not None else ()))

    def work(progress: Progress) -> Any:
        with vault.worker_session() as session:
            data = gather(session)
        if not progress(0, 0):
            raise Cancelled(_tr("Afgebroken; er is niets opgeslagen."))
        with written_whole(*targets) as parts:
            written = write(parts if companions is not None else parts[0], data, progress)
            if not progress(1, 1):
                raise Cancelled(_tr("Afgebroken; er is niets opgeslagen."))
        return written

    def done(outcome: Outcome) -> None:
        if outcome.ok and on_saved is not None:
            on_saved(path, outcome.result)
        elif outcome.ok:
            files.show_saved(parent, title, saved_text.format(path=path), path)
        elif not isinstance(outcome.error, Cancelled):
            widgets.warn(parent, title, _tr("Het bestand is niet gemaakt: {reason}").format(
                reason=files.failure_reason(outcome.error)))

    return run_task(parent, work, done, title=title, label=_tr("Bezig…"), blocking=blocking)


def run_and_wait(parent: QWidget | None, fn: Callable[[Progress], Any], *, title: str,
                 label: str) -> Outcome:
    """Run ``fn`` on a worker and wait for it without blocking the window: the event loop
    keeps running (the progress dialog shows, the window repaints) until the outcome is in.
    For a step the caller must finish before it goes on, such as deleting after a backup."""
    from PySide6.QtCore import QEventLoop

    outcomes: list[Outcome] = []
    loop = QEventLoop()

    def done(outcome: Outcome) -> None:
        outcomes.append(outcome)
        loop.quit()

    run_task(parent, fn, done, title=title, label=label, cancellable=False)
    if not outcomes:
        loop.exec()
    return outcomes[0]
