"""Child process of bench_gui: start the real app path (or a bare QMainWindow) and exit right
after the first paint. Prints one JSON line. Not a test; run by tests/bench/bench_gui.py."""

import json
import os
import resource
import sys
import time

started = time.perf_counter()
mode, database = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else ""

from PySide6.QtCore import QEvent, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: E402


class FirstPaint(QObject):
    def __init__(self, then) -> None:  # noqa: ANN001
        super().__init__()
        self.then, self.done = then, False

    def eventFilter(self, watched, event) -> bool:  # noqa: ANN001, N802
        if event.type() == QEvent.Type.Paint and not self.done:
            self.done = True
            QTimer.singleShot(0, self.then)
        return False


def finish(app: QApplication, extra: dict) -> None:
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with open("/proc/self/statm") as statm:  # Linux: resident pages now
        now_mb = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    print(json.dumps({"seconds": time.perf_counter() - started, "rss_mb": now_mb,
                      "peak_rss_mb": peak_mb, **extra}), flush=True)
    app.quit()


app = QApplication(sys.argv[:1])
if mode == "bare":
    window = QMainWindow()
    window.resize(1100, 720)
else:
    import keyring
    from keyring.backend import KeyringBackend

    class EnvKeyring(KeyringBackend):  # the bench's stand-in for Windows Credential Manager
        priority = 1

        def get_password(self, service, username):  # noqa: ANN001, ANN201
            return os.environ["BENCH_RAW_KEY"]

        def set_password(self, service, username, password):  # noqa: ANN001, ANN201
            pass

        def delete_password(self, service, username):  # noqa: ANN001, ANN201
            pass

    keyring.set_keyring(EnvKeyring())
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

extra: dict = {}


def after_first_paint() -> None:
    if mode == "app-pupils":
        window.show_area("pupils")
        app.processEvents()
        extra["pupils_shown"] = window.stack.currentWidget().model.rowCount()
    finish(app, extra)


paint = FirstPaint(after_first_paint)
window.installEventFilter(paint)
window.show()
app.exec()
