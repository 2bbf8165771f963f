"""Long work off the GUI thread: a QThread runs ``fn(progress)``, a QProgressDialog shows how
far it is and offers Annuleren.

``fn`` receives ``progress(done, total) -> bool``; it returns False once the user cancelled, so
use-cases like commit_import raise Cancelled and their transaction rolls back. The outcome (the
result or the exception) comes back on the GUI thread through ``on_done``.

``blocking=True`` runs the same function on the calling thread without a dialog: that is how
tests drive a task deterministically.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

Progress = Callable[[int, int], bool]


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
        except Exception as error:  # handed to the GUI thread, which shows it
            outcome = Outcome(error=error)
        self.ended.emit(outcome)


class Task(QObject):
    """One running task. Keep a reference until ``finished`` fires."""

    finished = Signal(object)  # Outcome

    def __init__(self, parent: QWidget | None, fn: Callable[[Progress], Any], *,
                 title: str, label: str, cancellable: bool = True) -> None:
        super().__init__(parent)
        self.cancel_event = threading.Event()
        self._fn = fn
        self._parent = parent
        self._title, self._label, self._cancellable = title, label, cancellable
        self.dialog: QProgressDialog | None = None
        self._thread: _Thread | None = None

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
            outcome = Outcome(error=error)
        self.finished.emit(outcome)
        return outcome

    def start(self) -> None:
        dialog = QProgressDialog(self._label, self.tr("Annuleren") if self._cancellable else "",
                                 0, 0, self._parent)
        dialog.setWindowTitle(self._title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
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
        thread.start()

    def wait(self, timeout_ms: int = 60_000) -> bool:
        """For tests: block until the thread ends (its outcome arrives on the next event loop)."""
        return self._thread.wait(timeout_ms) if self._thread is not None else True

    def _on_progress(self, done: int, total: int) -> None:
        if self.dialog is None:
            return
        if total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))

    def _on_ended(self, outcome: Outcome) -> None:
        if self._thread is not None:
            self._thread.wait()
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        self.finished.emit(outcome)


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
