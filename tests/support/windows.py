"""Windows are freed when they close (issue 18): open a window the way the GUI does, with its
exec() answered at once, and check that it is destroyed and no top-level window stays."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox


def process_deferred_deletes() -> None:
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()


def opened_and_freed(monkeypatch: Any, window_class: type, open_it: Callable[[], Any], *,
                     answer: Callable[[Any], int] | None = None) -> tuple[Any, list]:
    """Run `open_it()` with `window_class.exec` patched (rejects, or `answer(window)`), then
    process the deferred deletes. Returns open_it's result and the shown windows' validity
    (each must be False: destroyed). Also checks that the top-level windows are as before."""
    process_deferred_deletes()
    before = set(QApplication.topLevelWidgets())
    shown: list = []
    destroyed: list[bool] = []

    def fake_exec(window) -> int:  # noqa: ANN001
        shown.append(window)
        window.destroyed.connect(lambda *_args: destroyed.append(True))
        if answer is not None:
            return answer(window)
        return QDialog.DialogCode.Rejected if isinstance(window, QDialog) \
            else QMessageBox.StandardButton.NoButton

    monkeypatch.setattr(window_class, "exec", fake_exec)
    result = open_it()
    process_deferred_deletes()
    assert shown, f"{window_class.__name__} was not shown"
    assert len(destroyed) == len(shown), f"{window_class.__name__} was not destroyed"
    valid = [shiboken6.isValid(window) for window in shown]
    shown.clear()
    assert set(QApplication.topLevelWidgets()) == before, "a window stayed behind"
    return result, valid
