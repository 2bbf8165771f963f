"""What every desktop test may use: watching that the windows an area opens are freed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from shiboken6 import isValid


class WindowWatch:
    """Replaces ``exec`` on window classes so a test drives the real ``ask()`` path, remembers
    every window that was opened, and checks afterwards that each one is gone (issue 18: the
    office keeps the program open all day)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._monkeypatch = monkeypatch
        self.opened: list[QWidget] = []
        self.destroyed: list[str] = []
        self._before: set[QWidget] = set()

    def watch(self, cls: type, answer: Callable[[QWidget], object] | None = None) -> None:
        """``cls.exec()`` records the window, lets ``answer(window)`` act (default: Esc,
        that is reject()) and returns the window's result, as a real exec() would."""

        def fake_exec(window: QWidget) -> int:
            self.opened.append(window)
            name = type(window).__name__
            window.destroyed.connect(lambda *_: self.destroyed.append(name))
            if answer is not None:
                answer(window)
            elif isinstance(window, QDialog):
                window.reject()
            return QDialog.result(window) if isinstance(window, QDialog) else 0

        self._monkeypatch.setattr(cls, "exec", fake_exec)

    def start(self) -> None:
        """Remember the top-level windows before the action under test."""
        flush()
        self._before = set(QApplication.topLevelWidgets())

    def assert_freed(self, *names: str) -> None:
        """Every window opened since start() is destroyed, and the top-level windows are what
        they were; ``names``: the classes that must have been opened."""
        flush()
        assert self.opened, "no window was opened"
        assert not [w for w in self.opened if isValid(w)], "a closed window is still alive"
        assert set(names) <= set(self.destroyed)
        assert set(QApplication.topLevelWidgets()) == self._before


def flush() -> None:
    """Run the deferred deletes (deleteLater) now, as the event loop would."""
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def windows(monkeypatch) -> WindowWatch:
    return WindowWatch(monkeypatch)
