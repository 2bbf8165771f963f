"""The office's round, as a soak (issue 18): one process, one main window, the round repeated
all day. Used by the soak benchmark (tests/bench/bench_soak.py) and by the short soak test
(tests/desktop/test_soak.py), so both drive the very same round.

One round, through the real MainWindow and the real dialogs:
  1. switch through every area of the navigation;
  2. search the pupil list as you type, real key presses letter by letter (they also keep the
     idle lock from locking the window, as the office's typing does), then clear the search;
  3. open a pupil card, look at its special-category tab ("Tonen"), close it;
  4. choose another group in the consent matrix;
  5. open a breach's detail and close it;
  6. in the first round and every ``print_every`` rounds after it: print the 'niet op de foto'
     list of the group (file dialog answered, the work on its worker thread, the real 'Klaar'
     box closed at once).
Then the deferred deletes run, as the event loop would run them.

A modal exec() is replaced by: show the window, let it paint, let the round act in it, close it
(Esc, or the box's escape button) and return its result, as a real exec() would after the user
closed it. Nothing else of the windows is patched.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QEventLoop
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox, QWidget

from desktop.breaches.detail import BreachDetail
from desktop.pupils.card import PupilCard

SEARCHES = ("jansen", "de vries", "bakker", "sophie", "van dijk")
Patch = Callable[[object, str, object], None]


def process_deletes() -> None:
    """Run the deferred deletes (deleteLater) now, as the event loop would."""
    for _ in range(3):
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()


def rss_kb() -> tuple[int, int]:
    """(VmRSS, VmHWM) of this process in kB, from /proc/self/status (Linux)."""
    values = {}
    with open("/proc/self/status") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])
    return values["VmRSS"], values["VmHWM"]


def census() -> dict[str, int]:
    """What an all-day leak would grow: live widgets, top-level windows, open files, RSS,
    and (to find a leak) the objects Python's garbage collector tracks."""
    rss, peak = rss_kb()
    return {"widgets": len(QApplication.allWidgets()),
            "top_levels": len(QApplication.topLevelWidgets()),
            "files": len(os.listdir("/proc/self/fd")), "rss_kb": rss, "peak_kb": peak,
            "objects": len(gc.get_objects())}


class OfficeDay:
    """Drives the round on ``window`` (a shown desktop.main_window.MainWindow). ``patch`` is
    setattr or pytest's monkeypatch.setattr; prints go to ``save_dir``."""

    def __init__(self, window: Any, save_dir: Path, patch: Patch, *,
                 print_every: int = 10, searches: tuple[str, ...] = SEARCHES) -> None:
        self.window = window
        self.searches = searches
        self.save_dir = save_dir
        self.print_every = print_every
        self.rounds = 0
        self.cards_opened = 0
        self.special_tabs_shown = 0
        self.special_rows_seen = 0
        self.details_opened = 0
        self.prints = 0
        self.boxes_closed = 0
        self._install(patch)

    # --- the modal windows: shown, painted, acted in, closed ------------------------------

    def _install(self, patch: Patch) -> None:
        day = self

        def dialog_exec(window: QDialog) -> int:
            window.show()
            QApplication.processEvents()  # laid out and painted, as on screen
            if isinstance(window, PupilCard):
                day._look_at_card(window)
            elif isinstance(window, BreachDetail):
                day.details_opened += 1
            window.reject()  # Esc
            return int(QDialog.result(window))

        def box_exec(box: QMessageBox) -> int:
            box.show()
            QApplication.processEvents()
            day.boxes_closed += 1
            escape = box.escapeButton()
            if escape is not None:
                escape.click()
            else:
                box.reject()
            return int(QDialog.result(box))

        def save_as(_parent: QWidget | None, _title: str, start: str, _filter: str = "",
                    *_args: object) -> tuple[str, str]:
            return str(day.save_dir / Path(start).name), ""

        patch(QDialog, "exec", dialog_exec)
        patch(QMessageBox, "exec", box_exec)
        patch(QFileDialog, "getSaveFileName", staticmethod(save_as))

    def _look_at_card(self, card: PupilCard) -> None:
        self.cards_opened += 1
        if card.special_tab is not None:
            self.special_tabs_shown += 1
            card.tabs.setCurrentWidget(card.special_tab)
            card.load_special()  # Tonen (audited, as in the office)
            self.special_rows_seen += card.special_model.rowCount()
            QApplication.processEvents()

    # --- the round ---------------------------------------------------------------------------

    def run_round(self) -> None:
        self.rounds += 1
        number = self.rounds
        window = self.window
        for row in range(window.nav.count()):
            window.nav.setCurrentRow(row)
            QApplication.processEvents()
        self._search(self.searches[number % len(self.searches)])
        self._open_card(number)
        consents = self._choose_group(number)
        self._open_breach(number)
        if self.print_every and (number - 1) % self.print_every == 0:
            self._print(consents)
        process_deletes()
        if getattr(self.window, "idle_lock", None) is not None and self.window.idle_lock.is_locked:
            raise RuntimeError("the idle lock locked the window during the round")

    def _search(self, text: str) -> None:
        page = self.window.show_area("pupils")
        page.search.setFocus()
        for letter in text:
            QTest.keyClick(page.search, letter)
            QApplication.processEvents()
        page.search.clear()
        QApplication.processEvents()

    def _open_card(self, number: int) -> None:
        page = self.window.show_area("pupils")
        shown = page.model.shown_count()
        if shown:
            page.table.setCurrentIndex(page.model.index((number * 37) % shown, 0))
            page.open_current()
            QApplication.processEvents()

    def _choose_group(self, number: int) -> Any:
        page = self.window.show_area("consents")
        count = page.group_combo.count()
        if count:
            page.group_combo.setCurrentIndex(number % count)
            QApplication.processEvents()
        return page

    def _open_breach(self, number: int) -> None:
        page = self.window.show_area("breaches")
        rows = page.table.rows()
        if rows:
            page.table.choose(rows[number % len(rows)].row.id)
            page.open_breach()
            QApplication.processEvents()

    def _print(self, consents: Any) -> None:
        self.window.show_area("consents")
        ended: list[bool] = []
        task = consents.print_photo_list()
        if task is None:
            return
        task.finished.connect(lambda _outcome: ended.append(True))
        task.wait()
        while not ended:  # the outcome comes back through the event loop
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        self.prints += 1
