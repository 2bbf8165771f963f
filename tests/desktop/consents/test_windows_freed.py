"""Issue 18: every window the Toestemmingen area opens is gone once it is closed, and a print
leaves no task, thread or progress dialog behind."""

from __future__ import annotations

import weakref

from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from shiboken6 import isValid

from desktop.consents.page import ConsentsPage
from desktop.consents.purposes_dialog import PurposesDialog, PurposeTextDialog
from desktop.kit.page import AreaContext
from tests.desktop.conftest import flush


def make_page(qtbot, vault, user, clock) -> ConsentsPage:
    page = ConsentsPage.create(AreaContext(vault, user, "OBS De Klimop", "12AB", clock=clock))
    qtbot.addWidget(page)
    page.resize(1150, 690)
    page.show()
    return page


def test_the_purposes_dialogs_and_their_question_are_destroyed_when_closed(
        qtbot, vault, people, school, clock, windows):
    page = make_page(qtbot, vault, people["beheer"], clock)

    def work_in_the_dialog(dialog):
        dialog.add()  # Toevoegen…: the text dialog opens and is cancelled
        dialog.retire()  # Buiten gebruik stellen…: the question is answered 'Annuleren'
        dialog.reject()  # Sluiten

    windows.watch(PurposesDialog, work_in_the_dialog)
    windows.watch(PurposeTextDialog)
    windows.watch(QMessageBox, lambda box: None)
    windows.start()
    page.manage_purposes()
    windows.assert_freed("PurposesDialog", "PurposeTextDialog", "QMessageBox")


def test_a_print_leaves_no_task_progress_dialog_or_message_box_behind(
        qtbot, monkeypatch, tmp_path, vault, people, school, clock, windows):
    page = make_page(qtbot, vault, people["office"], clock)
    page.group_combo.setCurrentIndex(page.group_combo.findData("5A"))
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args: (str(tmp_path / "lijst.pdf"), "")))
    windows.watch(QMessageBox, lambda box: None)  # the real 'Klaar' box, closed at once
    windows.start()
    task = page.print_photo_list()
    dialog = task.dialog
    assert task.wait()
    kept = weakref.ref(task)
    del task
    qtbot.waitUntil(lambda: bool(windows.opened), timeout=20_000)
    windows.assert_freed("QMessageBox")
    assert kept() is None and not isValid(dialog)
    assert (tmp_path / "lijst.pdf").is_file()


def test_the_teachers_print_leaves_nothing_behind(qtbot, monkeypatch, tmp_path, vault, people,
                                                  school, clock, windows):
    page = make_page(qtbot, vault, people["juf"], clock)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args: (str(tmp_path / "foto.pdf"), "")))
    windows.watch(QMessageBox, lambda box: None)
    windows.start()
    task = page.print_list()
    assert task.wait()
    kept = weakref.ref(task)
    del task
    qtbot.waitUntil(lambda: bool(windows.opened), timeout=20_000)
    windows.assert_freed("QMessageBox")
    assert kept() is None


def test_refreshing_the_page_all_day_does_not_grow_it(qtbot, vault, people, school, clock):
    page = make_page(qtbot, vault, people["office"], clock)
    page.refresh()
    flush()
    before = len(page.findChildren(object))
    windows_before = len(QApplication.topLevelWidgets())
    for _ in range(5):
        page.refresh()
        page.tabs.setCurrentIndex(1)
        page.tabs.setCurrentIndex(0)
    flush()
    assert len(page.findChildren(object)) == before
    assert len(QApplication.topLevelWidgets()) == windows_before
