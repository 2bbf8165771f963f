"""Child process of bench_gui. Prints one JSON line, then ends at once (os._exit: no
teardown, the same for every mode). Not a test; run by tests/bench/bench_gui.py.

Modes:
  bare DB        a bare PySide6 window: QMainWindow with a QTableView over a small model;
                 ends right after its first paint.
  start DB       the real start-up, desktop.app.main(["--database", DB]); ends right after the
                 first paint of the first window (login, unlock or set-up). Reports which
                 window that was and which of the database stack was imported by then.
  login DB       the real start-up; once the login window is painted and the register is
                 open (the user is typing), fill in directie / demo-directie and press
                 Aanmelden. Reports the seconds from the press to the main window's first
                 paint, the argon2 check's share of them, and the seconds to the overview's
                 counts being shown.
  app-pupils DB  main window with the pupil list open (RSS after, peak).

The key comes from the keyring backend named by PYTHON_KEYRING_BACKEND (the benchmark's
file keyring), so the application imports keyring where it always does.
"""

import json
import os
import resource
import sys
import threading
import time

started = time.perf_counter()
mode, database = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else ""

from PySide6.QtCore import QEvent, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

HEAVY = ("sqlalchemy", "sqlcipher3", "argon2", "keyring", "reportlab", "db.vault", "db.schema",
         "desktop.main_window", "desktop.consents.page")
PLACEHOLDERS = ("", "–", "…")


def finish(extra: dict) -> None:
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with open("/proc/self/statm") as statm:  # Linux: resident pages now
        now_mb = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    print(json.dumps({"seconds": time.perf_counter() - started, "rss_mb": now_mb,
                      "peak_rss_mb": peak_mb, **extra}), flush=True)
    os._exit(0)


class Paints(QObject):
    """Calls ``then(window)`` once, after the first paint of a top-level window that
    ``wanted(window)`` accepts (the paint is done: the call comes from the next loop)."""

    def __init__(self, wanted, then) -> None:  # noqa: ANN001
        super().__init__()
        self.wanted, self.then, self.done = wanted, then, False

    def eventFilter(self, watched, event) -> bool:  # noqa: ANN001, N802
        if (not self.done and event.type() == QEvent.Type.Paint
                and isinstance(watched, QWidget) and self.wanted(watched.window())):
            self.done = True
            window = watched.window()
            QTimer.singleShot(0, lambda: self.then(window))
        return False


def class_names(window: QWidget) -> set[str]:
    return {cls.__name__ for cls in type(window).__mro__}


app = QApplication(sys.argv[:1])
extra: dict = {}

if mode == "bare":
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QMainWindow, QTableView

    window = QMainWindow()
    window.setWindowTitle("Privacyregister")
    model = QStandardItemModel(30, 3)
    for row in range(30):
        for column in range(3):
            model.setItem(row, column, QStandardItem(f"{row},{column}"))
    table = QTableView()
    table.setModel(model)
    window.setCentralWidget(table)
    window.resize(1100, 720)
    painted = Paints(lambda w: w is window, lambda _w: finish(extra))
    app.installEventFilter(painted)
    window.show()
    app.exec()

elif mode in ("start", "login"):
    def first_window(window: QWidget) -> None:
        extra["window"] = type(window).__name__
        extra["imported"] = sorted(name for name in HEAVY if name in sys.modules)
        if mode == "start":
            finish(extra)
        typing_started = time.perf_counter()

        def press_when_open() -> None:
            # the user types for half a second at least; the register opens meanwhile
            busy = threading.active_count() > 1
            if busy or time.perf_counter() - typing_started < 0.5:
                QTimer.singleShot(20, press_when_open)
                return
            window.username.setText("directie")
            window.password.setText("demo-directie")
            time_the_password_check()
            extra["pressed_at"] = time.perf_counter()
            app.installEventFilter(main_painted)
            window.buttons.button(window.buttons.StandardButton.Ok).click()

        press_when_open()

    def time_the_password_check() -> None:
        """argon2's share of the press: db.users' hasher, timed (imported by now; the old
        start-up had it imported before the first paint)."""
        import db.users

        hasher = db.users._hasher

        class Timed:
            def __getattr__(self, name):  # noqa: ANN001, ANN204
                return getattr(hasher, name)

            def verify(self, *args):  # noqa: ANN002, ANN201
                begun = time.perf_counter()
                try:
                    return hasher.verify(*args)
                finally:
                    extra["argon2"] = time.perf_counter() - begun

        db.users._hasher = Timed()

    def main_window_painted(window: QWidget) -> None:
        extra["to_paint"] = time.perf_counter() - extra["pressed_at"]
        overview = window.stack.currentWidget()

        def counts_shown() -> None:
            card = overview.cards["pupils_current"]
            if card.number.text() in PLACEHOLDERS:
                QTimer.singleShot(1, counts_shown)
                return
            extra["to_counts"] = time.perf_counter() - extra["pressed_at"]
            extra["pupils_current"] = card.number.text()
            finish(extra)

        counts_shown()

    first_painted = Paints(lambda w: w.isWindow(), first_window)
    main_painted = Paints(lambda w: "MainWindow" in class_names(w), main_window_painted)
    app.installEventFilter(first_painted)
    from desktop.app import main

    main(["--database", database])
    print(json.dumps({"error": "the application ended before the benchmark did"}), flush=True)
    os._exit(1)

elif mode == "app-pupils":
    from pathlib import Path

    from db.users import authenticate
    from db.vault import Vault
    from desktop.i18n import install_translations
    from desktop.main_window import MainWindow

    install_translations(app, "nl")
    vault = Vault.open(Path(database))
    with vault.session() as session:
        user = authenticate(session, "directie", "demo-directie")
    window = MainWindow(vault, user)

    def show_pupils(_window: QWidget) -> None:
        window.show_area("pupils")
        app.processEvents()
        extra["pupils_shown"] = window.stack.currentWidget().model.rowCount()
        finish(extra)

    painted = Paints(lambda w: w is window, show_pupils)  # kept: the filter is not owned
    app.installEventFilter(painted)
    window.show()
    app.exec()
