"""Small things seen at 1366×768 (issue 12, point 10), in the whole main window as the office
sees it: every filter caption is drawn whole (the 'n' of 'Toon' was cut off) and the idle-lock
setting in the users view reads as one line, not a narrow column."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel

from desktop.kit.page import RegisterPage
from desktop.main_window import MainWindow


def main_window(qtbot, vault, user, clock) -> MainWindow:
    window = MainWindow(vault, user, clock=clock)
    qtbot.addWidget(window)  # closed and freed after the test
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def captions(page: RegisterPage) -> list[QLabel]:
    found = []
    for index in range(page.filters.count()):
        widget = page.filters.itemAt(index).widget()
        if isinstance(widget, QLabel) and widget.buddy() is not None:
            found.append(widget)
    return found


def ink_at_right_edge(label: QLabel) -> bool:
    """Whether the label's drawn text reaches its last pixel column (so it may be cut)."""
    image = label.grab().toImage()
    background = label.palette().color(label.backgroundRole()).lightness()
    column = image.width() - 1
    return any(abs(QColor(image.pixel(column, y)).lightness() - background) > 40
               for y in range(image.height()))


@pytest.mark.parametrize("area", ["pupils", "consents", "breaches", "requests"])
def test_every_filter_caption_is_drawn_whole_at_1366(qtbot, vault, people, school, clock, area):
    window = main_window(qtbot, vault, people["office"], clock)
    page = window.show_area(area)
    labels = captions(page)
    assert labels, "the area has filter captions"
    for label in labels:
        assert label.isVisible()
        assert label.width() >= label.sizeHint().width(), label.text()
        text = label.text().replace("&", "")
        assert label.width() >= label.fontMetrics().horizontalAdvance(text) + 2, text
        assert not ink_at_right_edge(label), f"'{text}' is cut off"


def test_the_toon_caption_of_the_pupils_is_not_cut_off(qtbot, vault, people, school, clock):
    page = main_window(qtbot, vault, people["office"], clock).show_area("pupils")
    (toon,) = [label for label in captions(page) if label.text() == "&Toon"]
    assert toon.buddy() is page.status_filter
    assert toon.geometry().right() < page.status_filter.geometry().left()


def test_the_idle_lock_setting_reads_as_one_line_at_1366(qtbot, vault, people, clock):
    page = main_window(qtbot, vault, people["beheer"], clock).show_area("users")
    (after,) = [label for label in page.findChildren(QLabel)
                if label.text().startswith("zonder gebruik")]
    metrics = after.fontMetrics()
    assert after.isVisible()
    assert after.height() < 2 * metrics.lineSpacing()  # one line, not a column
    assert after.width() >= metrics.horizontalAdvance(after.text())
    (before,) = [label for label in page.findChildren(QLabel)
                 if label.text() == "&Vergrendelen na"]
    left = before.mapTo(page, before.rect().topLeft()).x()
    right = page.idle_save.mapTo(page, page.idle_save.rect().topRight()).x()
    assert right - left >= 400  # 'Vergrendelen na [10 minuten] zonder gebruik (…) [Opslaan]'
    row_top = {widget.mapTo(page, widget.rect().center()).y() // 10
               for widget in (before, page.idle_minutes, after, page.idle_save)}
    assert len(row_top) == 1  # side by side on one row


@pytest.mark.parametrize("area", ["pupils", "breaches", "requests"])
def test_a_page_hint_reads_as_a_line_not_a_column_at_1366(qtbot, vault, people, school, clock,
                                                         area):
    page = main_window(qtbot, vault, people["office"], clock).show_area(area)
    hint = page.hint_label
    assert hint.isVisible() and hint.text()
    assert hint.width() >= 1000  # across the page, under the title and the filters
    assert hint.height() < 2 * hint.fontMetrics().lineSpacing()


def test_the_overview_level_words_line_up(qtbot, vault, people, school, clock):
    """Every level word has one width, that of the widest in bold, so the texts beside
    'termijn verstreken', 'termijn loopt bijna af' and 'te doen' start at one x."""
    from PySide6.QtGui import QFont, QFontMetrics

    from db.overview import Level
    from desktop.kit.labels import label
    from desktop.overview.page import OverviewPage

    window = main_window(qtbot, vault, people["dir"], clock)
    page = window.show_area("overview")
    assert isinstance(page, OverviewPage)
    tags = [child for child in page.findChildren(QLabel)
            if hasattr(child.parent(), "level") and child is not child.parent().label]
    assert tags
    bold = QFont(tags[0].font())
    bold.setBold(True)
    widest = max(QFontMetrics(bold).horizontalAdvance(label(level)) for level in Level)
    for tag in tags:
        assert tag.font().bold()
        assert tag.minimumWidth() == tag.maximumWidth() == tag.width() >= widest
