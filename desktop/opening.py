"""The register opened behind the first window.

The login window comes first (desktop/app.py). Once it is painted, a background thread imports
the database stack (SQLAlchemy, SQLCipher, argon2, the keyring backend), opens the register,
reads the school's name and imports the main window with every area, while the user types.
Aanmelden waits for it when it is not ready yet (desktop/login_dialog.py). An error while
opening (no key, a key that does not fit, a damaged file) is kept and raised again on the GUI
thread by ``result()``, where desktop/app.py turns it into the same dialogs and messages as an
open on the GUI thread.

A plain Python thread that creates no Qt object. Its end is told through ``finished``, a signal
of this object, which has no Qt parent (Python owns it, as desktop/kit/tasks.py explains) and
lives on the GUI thread: connect to it queued.

This module imports nothing of the database stack itself.
"""

from __future__ import annotations

import importlib
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from db.vault import Vault

# what the main window needs once the user is logged in; the areas come from desktop/areas.py
MAIN_WINDOW_MODULES = ("db.users", "db.overview", "desktop.main_window", "desktop.areas")


def import_main_window() -> None:
    """Import the main window and every area's page (and what they print with), so that
    Aanmelden imports nothing. A module that fails to import is left for the GUI thread,
    which meets the same error where it needs the module."""
    for name in MAIN_WINDOW_MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - raised again, and shown, on the GUI thread
            return
    from desktop.areas import import_area_modules

    try:
        import_area_modules()
    except Exception:  # noqa: BLE001 - as above
        return


class _RunsOnce:
    """``start()`` runs ``self._thread`` once, whoever asks first; ``wait()`` starts it if
    nobody did and blocks until it ends."""

    _thread: threading.Thread
    _started: bool

    def start(self) -> None:
        if not self._started:
            self._started = True
            self._thread.start()

    def wait(self) -> None:
        self.start()
        self._thread.join()


class StackImport(_RunsOnce):
    """Import the database stack on a background thread (behind the unlock dialog, while the
    key is typed); ``wait()`` before using it on the GUI thread, so that no module is imported
    by two threads at once."""

    def __init__(self) -> None:
        self._thread = threading.Thread(target=self._run, name="database-stack-import")
        self._started = False

    @staticmethod
    def _run() -> None:
        try:
            importlib.import_module("db.vault")
            from db.keystore import configure_keyring

            configure_keyring()  # a recovery key typed goes into the keyring
        except Exception:  # noqa: BLE001 - raised again, and shown, on the GUI thread
            return


class RegisterOpening(_RunsOnce, QObject):
    """Open the register at ``path`` on a background thread; ``finished`` when it is done.

    ``start()`` is idempotent; ``wait()`` starts the thread if nobody did and blocks until it
    ends; ``result()`` is the open Vault or raises what opening it raised."""

    finished = Signal()

    def __init__(self, path: Path, backup_dir: Path | None) -> None:
        super().__init__()  # no Qt parent: see the module's docstring
        self.path = Path(path)
        self.backup_dir = backup_dir
        self.vault: Vault | None = None
        self.error: BaseException | None = None
        self.school_name = ""
        self._thread = threading.Thread(target=self._run, name="register-opening")
        self._started = False

    @property
    def started(self) -> bool:
        return self._started

    @property
    def done(self) -> bool:
        """The thread has finished: ``vault`` or ``error`` is set."""
        return self._started and not self._thread.is_alive()


    def result(self) -> Vault:
        """The open register; raises the error that opening it raised."""
        self.wait()
        if self.error is not None:
            raise self.error
        assert self.vault is not None
        return self.vault

    def _run(self) -> None:  # on the background thread
        try:
            self.vault, self.school_name = self._open()
        except BaseException as error:  # handed to the GUI thread by result()
            self.error = error
        else:
            import_main_window()
        finally:
            self.finished.emit()

    def _open(self) -> tuple[Vault, str]:
        from db.keystore import configure_keyring
        from db.school import get_school
        from db.vault import Vault

        configure_keyring()
        vault = Vault.open(self.path, backup_dir=self.backup_dir)
        try:
            with vault.session() as session:
                school = get_school(session)
                name = school.name if school else ""
        except BaseException:
            vault.close(backup=False)
            raise
        return vault, name
