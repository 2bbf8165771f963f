"""The Leerlingen page: typing filters, the filters, the count, keys and buttons by role."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QHeaderView

from db.pupils import enrol_pupil
from desktop.kit.page import AreaContext
from desktop.pupils import page as page_module
from desktop.pupils.page import PupilsPage
from desktop.pupils.table_model import Column, Status
from tests.desktop.pupils.helpers import pupil


def make_view(qtbot, vault, user, clock) -> PupilsPage:
    view = PupilsPage(AreaContext(vault, user, "OBS De Klimop", "12AB", clock=clock))
    qtbot.addWidget(view)
    view.resize(1150, 690)
    view.show()
    return view


def names(view) -> list[str]:
    model = view.model
    return [model.pupil_at(r).full_name for r in range(model.rowCount())]


def test_typing_in_the_search_box_narrows_the_rows(qtbot, vault, people, school, clock):
    view = make_view(qtbot, vault, people["office"], clock)
    assert view.count_label.text() == "4 leerlingen"  # current pupils; Daan left
    qtbot.keyClicks(view.search, "berg")
    assert sorted(names(view)) == ["Lotte Bergen", "Sem van den Berg"]
    assert view.count_label.text() == "2 leerlingen"
    view.search.clear()
    qtbot.keyClicks(view.search, "ismael")
    assert names(view) == ["Ismaël El Amrani"]
    assert view.count_label.text() == "1 leerling"
    qtbot.keyClicks(view.search, " xyz")
    assert names(view) == [] and view.empty_label.isVisible()
    assert "Geen leerlingen gevonden" in view.empty_label.text()


def test_group_and_status_filters(qtbot, vault, people, school, clock):
    view = make_view(qtbot, vault, people["office"], clock)
    combo = view.group_filter
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Alle groepen", "Groep 3B", "Groep 4A", "Groep 5B", "Groep 6A"]
    combo.setCurrentIndex(combo.findData("4A"))
    assert sorted(names(view)) == ["Lotte Bergen", "Sem van den Berg"]
    combo.setCurrentIndex(0)
    status = view.status_filter
    assert [status.itemText(i) for i in range(status.count())] == [
        "Huidige leerlingen", "Vertrokken", "Alle"]
    assert view.table.isColumnHidden(Column.STATUS)  # not 'Huidig' on every row
    status.setCurrentIndex(status.findData(Status.LEFT))
    assert names(view) == ["Daan Visser"]
    assert not view.table.isColumnHidden(Column.STATUS)
    assert view.model.data(view.model.index(0, Column.STATUS)) == "Vertrokken per 10-07-2026"
    status.setCurrentIndex(status.findData(Status.ALL))
    assert view.count_label.text() == "5 leerlingen"
    assert not view.table.isColumnHidden(Column.STATUS)
    assert view.model.data(view.model.index(names(view).index("Sem van den Berg"),
                                            Column.STATUS)) == "Huidig"
    status.setCurrentIndex(status.findData(Status.CURRENT))
    assert view.table.isColumnHidden(Column.STATUS)


def test_the_status_column_shows_among_current_pupils_when_one_is_leaving(
        qtbot, vault, people, school, clock):
    from datetime import date

    from db.pupils import record_leaving

    with vault.session() as session:
        record_leaving(session, people["office"], school["sem"], date(2027, 1, 29),
                       clock=clock)
    view = make_view(qtbot, vault, people["office"], clock)
    assert view.status_filter.currentData() is Status.CURRENT
    assert not view.table.isColumnHidden(Column.STATUS)
    texts = {name: view.model.data(view.model.index(row, Column.STATUS))
             for row, name in enumerate(names(view))}
    assert texts["Sem van den Berg"] == "Vertrekt per 29-01-2027"
    assert texts["Lotte Bergen"] == ""  # no 'Huidig' beside every other name
    view.group_filter.setCurrentIndex(view.group_filter.findData("3B"))  # Fleur only
    assert view.table.isColumnHidden(Column.STATUS)


def test_clicking_a_header_sorts(qtbot, vault, people, school, clock):
    view = make_view(qtbot, vault, people["office"], clock)
    assert names(view)[0] == "Sem van den Berg"  # by surname: Berg, Bergen, El Amrani, Jansen
    view.table.sortByColumn(Column.BORN, Qt.SortOrder.AscendingOrder)
    assert names(view)[0] == "Ismaël El Amrani"
    view.table.sortByColumn(Column.FIRST_NAME, Qt.SortOrder.DescendingOrder)
    assert names(view) == ["Sem van den Berg", "Lotte Bergen", "Ismaël El Amrani",
                           "Fleur Jansen"]


def test_rows_have_a_fixed_height(qtbot, vault, people, school, clock):
    view = make_view(qtbot, vault, people["office"], clock)
    header = view.table.verticalHeader()
    assert header.sectionResizeMode(0) == QHeaderView.ResizeMode.Fixed
    assert header.defaultSectionSize() >= view.fontMetrics().height() + 8


def test_ctrl_f_focuses_the_search_box_and_enter_opens_the_card(qtbot, vault, people, school,
                                                                clock, monkeypatch):
    opened = []
    monkeypatch.setattr(page_module.PupilCard, "show_pupil",
                        classmethod(lambda cls, parent, vault, user, pid, clock: opened.append(pid)
                                    or False))
    view = make_view(qtbot, vault, people["office"], clock)
    with qtbot.waitActive(view):
        view.activateWindow()
    view.table.setFocus()
    qtbot.keySequence(view.table, QKeySequence.StandardKey.Find)
    assert view.search.hasFocus()
    qtbot.keyClicks(view.search, "jansen")
    qtbot.keyClick(view.search, Qt.Key.Key_Return)  # one hit: Enter opens it
    assert opened == [school["fleur"]]
    view.search.clear()
    qtbot.keyClick(view.search, Qt.Key.Key_Down)  # several: Down goes into the list
    assert view.table.hasFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened[-1] == view.model.pupil_at(1).id


def test_buttons_follow_the_role(qtbot, vault, people, school, clock):
    office = make_view(qtbot, vault, people["office"], clock)
    assert office.buttons["enrol"].isEnabled() and office.buttons["import"].isEnabled()
    fg = make_view(qtbot, vault, people["fg"], clock)
    # a role that may not enrol or import sees the buttons disabled, with who may
    assert not fg.buttons["enrol"].isEnabled() and not fg.buttons["import"].isEnabled()
    assert fg.buttons["enrol"].isVisible() and fg.buttons["enrol"].toolTip()
    assert fg.count_label.text() == "4 leerlingen"  # the FG may read the register
    fg.enrol()  # Ctrl+N is not even bound for the FG; calling it does nothing
    assert fg.count_label.text() == "4 leerlingen"


def test_enter_and_the_open_button_open_the_chosen_pupil(qtbot, vault, people, school, clock,
                                                         monkeypatch):
    opened = []
    monkeypatch.setattr(page_module.PupilCard, "show_pupil",
                        classmethod(lambda cls, parent, vault, user, pid, clock: opened.append(pid)
                                    or False))
    view = make_view(qtbot, vault, people["fg"], clock)
    assert not view.buttons["open"].isEnabled()  # nothing chosen yet
    view.select_pupil(school["fleur"])
    assert view.buttons["open"].isEnabled()
    view.buttons["open"].click()
    assert opened == [school["fleur"]]


def test_a_teacher_sees_an_explanation_instead_of_the_register(qtbot, vault, people, school,
                                                               clock):
    view = make_view(qtbot, vault, people["juf"], clock)
    assert view.pages.currentWidget() is view.locked_label  # no list was even built
    assert not hasattr(view, "table")
    assert "niet inzien" in view.locked_label.text()


def test_an_empty_register_says_how_to_begin(qtbot, vault, people, clock):
    view = make_view(qtbot, vault, people["office"], clock)
    assert view.count_label.text() == "0 leerlingen"
    assert "Inschrijven" in view.empty_label.text()


def test_enrolling_from_the_view_shows_and_selects_the_new_pupil(qtbot, vault, people, school,
                                                                 clock, monkeypatch):
    def fake_ask(cls, parent, vault_, user, clock):
        with vault_.session() as session:
            return enrol_pupil(session, user, pupil("Noor", "Bakker", group="2A"),
                               clock=clock).id

    monkeypatch.setattr(page_module.EnrolDialog, "ask", classmethod(fake_ask))
    view = make_view(qtbot, vault, people["office"], clock)
    qtbot.keyClicks(view.search, "berg")
    with qtbot.waitSignal(view.changed):
        view.enrol()
    assert view.current_pupil_id() is not None
    assert view.model.pupil_at(view.table.currentIndex().row()).first_name == "Noor"
    assert view.group_filter.findText("Groep 2A") > 0
