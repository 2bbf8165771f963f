"""The consent matrix at 1366×768 (issue 12, point 6): in the main window on a laptop screen at
least 15 pupils are in view; the history under the matrix folds to one line and this computer
remembers that the next time the area opens; a tall screen starts with the history open."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication

from db.pupils import PupilInput, enrol_pupil
from desktop.consents.page import HISTORY_FOLDED, ConsentsPage
from desktop.kit import screen
from desktop.kit.view_settings import remembered
from desktop.main_window import MainWindow
from tests.desktop.conftest import process_deletes

LAPTOP = QRect(0, 0, 1366, 728)  # 1366×768 less a Windows taskbar
DESKTOP = QRect(0, 0, 1920, 1040)


@pytest.fixture
def big_group(vault, people, school, clock) -> str:
    """Group 5A with 24 pupils: the four of the school fixture and twenty more."""
    with vault.session() as session:
        for n in range(20):
            enrol_pupil(session, people["office"], PupilInput(
                first_name=f"Kind{n:02d}", last_name=f"Achternaam{n:02d}",
                date_of_birth=date(2016, 1, 1 + n), group_name="5A",
                enrolled_on=date(2020, 8, 31)), clock=clock)
    return "5A"


def use_screen(monkeypatch, area: QRect) -> None:
    monkeypatch.setattr(screen, "_available", lambda _widget=None: QRect(area))


def open_consents(qtbot, vault, user, clock, group: str) -> tuple[MainWindow, ConsentsPage]:
    """The main window as big as the screen allows (less the title bar), at Toestemmingen."""
    window = MainWindow(vault, user, clock=clock)
    qtbot.addWidget(window)
    window.resize(screen.available_size(window))
    window.show()
    qtbot.waitExposed(window)
    page = window.show_area("consents")
    assert isinstance(page, ConsentsPage)
    page.group_combo.setCurrentIndex(page.group_combo.findData(group))
    for _ in range(3):
        QApplication.processEvents()
    return window, page


def rows_in_view(page: ConsentsPage) -> int:
    """Pupils whose whole row is visible in the matrix."""
    table = page.table
    viewport = table.viewport().rect()
    return sum(1 for row in range(page.model.rowCount())
               if viewport.contains(table.visualRect(page.model.index(row, 0))))


def close(window: MainWindow) -> None:
    window.close()  # qtbot frees it at the end of the test
    process_deletes()


def test_a_laptop_shows_fifteen_pupils_and_the_folded_history_is_remembered(
        qtbot, monkeypatch, vault, people, big_group, clock, boxes):
    use_screen(monkeypatch, LAPTOP)
    window, page = open_consents(qtbot, vault, people["office"], clock, big_group)
    assert window.size().width() <= 1350 and window.size().height() <= 688
    assert page.model.rowCount() == 24
    assert page.history_folded()  # nothing chosen yet: a low screen starts folded
    assert page.history.table.isHidden()
    assert page.history.fold_button.text() == "Geschiedenis tonen"
    assert rows_in_view(page) >= 15

    page.history.fold_button.click()  # the office wants the history back
    assert not page.history_folded() and page.history.table.isVisibleTo(page)
    assert page.history.fold_button.text() == "Geschiedenis verbergen"
    assert page.history.height() > 100
    assert not remembered(HISTORY_FOLDED, True)
    close(window)

    window, page = open_consents(qtbot, vault, people["office"], clock, big_group)
    assert not page.history_folded()  # as it was left
    page.history.fold_button.click()
    assert page.history_folded()
    close(window)

    window, page = open_consents(qtbot, vault, people["office"], clock, big_group)
    assert page.history_folded()
    assert rows_in_view(page) >= 15
    window.show_area("pupils")
    window.show_area("consents")  # the area opened again in the same window
    assert page.history_folded() and rows_in_view(page) >= 15


def test_a_tall_screen_starts_with_the_history_open(qtbot, monkeypatch, vault, people,
                                                    big_group, clock, boxes):
    use_screen(monkeypatch, DESKTOP)
    _window, page = open_consents(qtbot, vault, people["office"], clock, big_group)
    assert not page.history_folded()
    assert page.history.table.isVisibleTo(page)
    assert rows_in_view(page) >= 15
