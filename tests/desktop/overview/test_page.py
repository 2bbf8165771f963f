"""Overzicht: the counters stay in sight at 1366×768; the attention lines come from the areas,
most urgent first (a legal deadline passed, one near, something to do); each line opens its
area at the record; refreshing all day does not grow the page."""

from datetime import date, timedelta

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from db.breaches import BreachInput, register_breach
from db.requests import RequestInput, register_request
from db.schema import RequestKind
from desktop.kit.page import AreaContext, Attention
from desktop.main_window import MainWindow
from desktop.overview.page import OverviewPage
from tests.desktop.conftest import process_deletes


def late_breach_and_near_request(vault, people, school, clock) -> tuple[int, int]:
    """A breach found four days ago and not notified, a request whose month ends in four
    days; the school fixture adds the to-dos (consents to ask, terms passed)."""
    office = people["office"]
    with vault.session() as session:
        breach = register_breach(session, office, BreachInput(
            discovered_at=clock() - timedelta(days=4), description="Lijst kwijt"), clock=clock)
        request = register_request(session, office, RequestInput(
            RequestKind.ACCESS, date(2026, 10, 28), school["ids"]["Daan"],
            school["guardians"]["Daan"]), clock=clock)
        return breach.id, request.id


def make_window(qtbot, vault, user, clock) -> MainWindow:
    window = MainWindow(vault, user, clock=clock)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window


def test_lines_come_most_urgent_first_and_open_their_record(qtbot, vault, people, school,
                                                           clock, monkeypatch):
    breach_id, request_id = late_breach_and_near_request(vault, people, school, clock)
    window = make_window(qtbot, vault, people["dir"], clock)
    page = window.stack.currentWidget()
    assert isinstance(page, OverviewPage)
    levels = [item.level for item in page.attention_items]
    assert levels[:2] == ["late", "soon"] and set(levels[2:]) == {"todo"}
    late, soon = page.attention_items[:2]
    assert late.text.startswith("Datalek DL-") and "72-uurstermijn" in late.text
    assert (late.area, late.target) == ("breaches", breach_id)
    assert (soon.area, soon.target) == ("requests", request_id)
    todo = [item.text for item in page.attention_items[2:]]
    assert "Van 2 vertrokken leerlingen is de bewaartermijn verstreken." in todo
    assert any(text.startswith("1 leerling is nog niet om toestemming") for text in todo)

    rows = [page.attention_box.itemAt(i).widget() for i in range(len(page.attention_items))]
    assert [row.level for row in rows] == levels
    assert rows[0].findChildren(type(rows[0].label))[0].text() == "termijn verstreken"

    opened = []  # the breaches page is another area's; stand in for its open_target
    monkeypatch.setattr(type(window), "show_area",
                        lambda _self, key: opened.append(key) or FakePage())
    rows[0].button.click()
    assert opened == ["breaches"] and FakePage.targets == [breach_id]


class FakePage:
    targets: list = []

    def open_target(self, target: object) -> None:
        FakePage.targets.append(target)


def test_a_line_opens_the_retention_tab_it_is_about(qtbot, vault, people, school, clock):
    window = make_window(qtbot, vault, people["dir"], clock)
    page = window.stack.currentWidget()
    index = next(i for i, item in enumerate(page.attention_items) if item.area == "retention")
    page.attention_box.itemAt(index).widget().button.click()
    retention = window.stack.currentWidget()
    assert window.current_area().key == "retention"
    retention.tabs.setCurrentIndex(retention.ERASED_TAB)
    window.show_area("overview")
    page.attention_box.itemAt(index).widget().button.click()
    assert retention.tabs.currentIndex() == retention.DUE_TAB


def test_the_counters_are_in_sight_at_1366_by_768(qtbot, vault, people, school, clock):
    late_breach_and_near_request(vault, people, school, clock)
    window = make_window(qtbot, vault, people["dir"], clock)
    page = window.stack.currentWidget()
    qtbot.waitUntil(lambda: page.isVisible())
    assert page.cards["pupils_current"].number.text() == "2"
    assert page.cards["open_breaches"].number.text() == "1"
    for card in page.cards.values():
        bottom = card.mapTo(page, card.rect().bottomLeft()).y()
        assert card.isVisible() and bottom < page.height() - 200, card.title
    assert page.columns == 6  # one row of counters


def test_the_levels_order_without_a_window(qtbot, vault, people, school, clock):
    """Lines of any area are sorted by level, keeping menu order within a level."""
    from desktop.kit.page import Area

    def area(key: str, *items: Attention) -> Area:
        return Area(key, key, QWidget, attention=lambda _context, _session: list(items))

    window = type("Window", (), {"areas": [
        area("a", Attention("todo a", area="a")),
        area("b", Attention("soon b", area="b", level="soon"), Attention("late b", level="late")),
        area("c", Attention("late c", level="late"), Attention("todo c"))]})()
    context = AreaContext(vault, people["dir"], "OBS De Klimop", "12AB", window=window,
                          clock=clock)
    page = OverviewPage(context)
    qtbot.addWidget(page)
    assert [item.text for item in page.attention_items] == [
        "late b", "late c", "soon b", "todo a", "todo c"]


def test_fifty_refreshes_do_not_grow_the_page(qtbot, vault, people, school, clock):
    late_breach_and_near_request(vault, people, school, clock)
    window = make_window(qtbot, vault, people["dir"], clock)
    page = window.stack.currentWidget()
    page.refresh()
    process_deletes()
    widgets = len(page.findChildren(QWidget))
    everything = len(QApplication.allWidgets())
    timers = len(page.findChildren(QTimer))
    for _ in range(50):
        page.refresh()
    process_deletes()
    assert len(page.findChildren(QWidget)) == widgets
    assert len(QApplication.allWidgets()) == everything
    assert len(page.findChildren(QTimer)) == timers
    assert len(page.attention_items) == page.attention_box.count() - 1  # and the stretch


def test_at_start_up_the_counts_come_after_the_first_paint_and_nothing_wrong_before(
        qtbot, vault, people, school, clock):
    window = MainWindow(vault, people["dir"], clock=clock, load_after_paint=True)
    qtbot.addWidget(window)
    page = window.stack.currentWidget()
    assert not page.data_shown
    assert {card.number.text() for card in page.cards.values()} == {"…"}
    assert page.attention_box.count() == 1  # the stretch only: not "niets dat aandacht nodig"
    assert page.count_label.text() == ""
    window.show()
    qtbot.waitUntil(lambda: page.data_shown)
    assert page.cards["pupils_current"].number.text() == "2"
    assert any(item.text.startswith("1 leerling is nog niet om toestemming")
               for item in page.attention_items)
