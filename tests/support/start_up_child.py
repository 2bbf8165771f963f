"""Child process of tests/desktop/test_start_up.py: the real start-up, desktop.app.main, on
the register given. Notes what was imported when the first window was painted, logs in with
the given user name and password once the register is open, notes the overview at the main
window's first paint and once its counts are in, then closes the window (the app ends as it
always does, making its backup). Prints one JSON line. Not a test."""

import json
import os
import sys
import threading

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

database, username, password = sys.argv[1:4]
STACK = ("sqlalchemy", "sqlcipher3", "argon2", "keyring", "reportlab", "db.vault",
         "db.schema", "db.users", "desktop.main_window", "desktop.consents.page")
seen: dict = {}


class FirstPaints(QObject):
    """Calls the handler of a window's class once, after that window's first paint."""

    def __init__(self, handlers: dict) -> None:
        super().__init__()
        self.handlers = handlers

    def eventFilter(self, watched, event) -> bool:  # noqa: ANN001, N802
        if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
            window = watched.window()
            handler = self.handlers.pop(type(window).__name__, None)
            if handler is not None:
                seen.setdefault("painted", []).append(type(window).__name__)
                QTimer.singleShot(0, lambda: handler(window))
        return False


def login_painted(dialog: QWidget) -> None:
    seen["imported_at_first_paint"] = sorted(name for name in STACK if name in sys.modules)
    seen["threads_at_first_paint"] = threading.active_count()

    def when_open() -> None:
        if dialog.vault is None:
            QTimer.singleShot(10, when_open)
            return
        seen["school"] = dialog.school_label.text()
        dialog.username.setText(username)
        dialog.password.setText(password)
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    when_open()


def main_window_painted(window: QWidget) -> None:
    page = window.stack.currentWidget()
    seen["title"] = window.windowTitle()
    seen["cards_at_first_paint"] = sorted({c.number.text() for c in page.cards.values()})

    def when_loaded() -> None:
        if not getattr(page, "data_shown", True):  # (a page without the flag loads at once)
            QTimer.singleShot(10, when_loaded)
            return
        seen["cards"] = {key: card.number.text() for key, card in page.cards.items()}
        seen["attention"] = [item.text for item in page.attention_items]
        window.close()

    when_loaded()


app = QApplication(sys.argv[:1])
watcher = FirstPaints({"LoginDialog": login_painted, "MainWindow": main_window_painted})
app.installEventFilter(watcher)
from desktop.app import main  # noqa: E402

seen["exit"] = main(["--database", database])
print(json.dumps(seen), flush=True)
os._exit(0)
