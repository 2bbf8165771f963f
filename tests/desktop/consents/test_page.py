"""Recording a stack of paper forms through the matrix, the history and 'Nog te vragen'."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication
from sqlalchemy import insert, select

from db.consents import ConsentState, history
from db.pupils import PupilInput, enrol_pupil
from db.purposes import add_purpose
from db.schema import Channel, ConsentEvent, Decision, Pupil
from desktop.consents.matrix_model import FIRST_PURPOSE, ConsentMatrixModel
from desktop.consents.page import ConsentsPage
from desktop.kit.page import AreaContext
from tests.desktop.consents.conftest import event_count, pid, state_of


def make_page(qtbot, vault, user, clock) -> ConsentsPage:
    page = ConsentsPage(AreaContext(vault, user, "OBS De Klimop", "12AB", clock=clock))
    qtbot.addWidget(page)
    page.resize(1150, 690)
    return page


@pytest.fixture
def view(qtbot, vault, people, school, clock, boxes):
    widget = make_page(qtbot, vault, people["office"], clock)
    choose_group(widget, "5A")
    return widget


def choose_group(view: ConsentsPage, group: str) -> None:
    view.group_combo.setCurrentIndex(view.group_combo.findData(group))
    assert view.current_group() == group


def go_to(view: ConsentsPage, school, first: str, code: str) -> None:
    row = view.model.row_of(pid(school, first))
    column = view.model.column_of(school["purposes"][code])
    view.set_current(row, column)
    view.table.setFocus()


def choose_guardian(view: ConsentsPage, relation: str) -> None:
    combo = view.guardian_combo
    index = next(i for i in range(combo.count()) if f"({relation})" in combo.itemText(i))
    combo.setCurrentIndex(index)
    view._on_guardian_chosen(index)


def test_matrix_model_passes_the_model_tester(qtmodeltester, view):
    qtmodeltester.check(view.model)
    assert view.model.rowCount() == 4
    assert view.model.columnCount() == FIRST_PURPOSE + 9  # the nine default purposes
    empty = ConsentMatrixModel()
    qtmodeltester.check(empty)


def test_matrix_shows_pupils_by_surname_and_each_state(view, school):
    names = [view.model.index(r, 0).data() for r in range(view.model.rowCount())]
    assert names == ["Berg, van den", "El Amrani", "Visser", "Vries, de"]
    website = view.model.column_of(school["purposes"]["foto_website"])
    cell = {first: view.model.index(view.model.row_of(pid(school, first)), website)
            for first in ("Daan", "Ismaël", "Zoë", "Noor")}
    assert cell["Daan"].data() == "✓"
    assert cell["Ismaël"].data() == "✗"
    assert cell["Zoë"].data() == "–"
    assert cell["Noor"].data(ConsentMatrixModel.StateRole) == ConsentState.REFUSED
    assert cell["Ismaël"].data(Qt.ItemDataRole.ToolTipRole) == (
        "Ismaël El Amrani — Foto's en video's op de schoolwebsite: geweigerd op 01-09-2025")
    tooltip = view.model.headerData(website, Qt.Orientation.Horizontal,
                                    Qt.ItemDataRole.ToolTipRole)
    assert tooltip == "Foto's en video's op de schoolwebsite (versie 1)"
    assert view.model.headerData(website, Qt.Orientation.Horizontal) == "Website"


def test_withdrawn_has_its_own_mark_colour_and_date_not_the_refusal_cross(view, school):
    """Bram gave consent for social media and withdrew it on 01-03-2026: ↩ in amber with
    the day, where Ismaël's refusal is the red ✗; the legend names all four."""
    choose_group(view, "6B")
    social = view.model.column_of(school["purposes"]["foto_sociale_media"])
    cell = view.model.index(view.model.row_of(pid(school, "Bram")), social)
    assert cell.data(ConsentMatrixModel.StateRole) == ConsentState.WITHDRAWN
    assert cell.data() == "↩"
    assert cell.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#8a4b00"
    assert cell.data(Qt.ItemDataRole.BackgroundRole).color().name() == "#fdf0d9"
    assert cell.data(Qt.ItemDataRole.ToolTipRole).endswith(": ingetrokken op 01-03-2026")
    legend = view.legend.text()
    assert "↩</b> ingetrokken" in legend and "✗</b> geweigerd" in legend
    choose_group(view, "5A")
    website = view.model.column_of(school["purposes"]["foto_website"])
    refused = view.model.index(view.model.row_of(pid(school, "Ismaël")), website)
    assert (refused.data(), refused.data(ConsentMatrixModel.StateRole)) == (
        "✗", ConsentState.REFUSED)


def test_pressing_i_after_consent_shows_withdrawn_at_once(qtbot, vault, view, school,
                                                           people):
    go_to(view, school, "Daan", "foto_website")
    choose_guardian(view, "moeder")
    qtbot.keyClick(view.table, Qt.Key.Key_I)
    purpose = school["purposes"]["foto_website"]
    assert state_of(vault, people["office"], pid(school, "Daan"), purpose) is \
        ConsentState.WITHDRAWN
    cell = view.model.index(view.model.row_of(pid(school, "Daan")),
                            view.model.column_of(purpose))
    assert cell.data() == "↩"
    assert cell.data(Qt.ItemDataRole.ToolTipRole).endswith("ingetrokken op 24-11-2026")


def test_pressing_j_records_consent_updates_the_cell_and_the_history(qtbot, vault, view,
                                                                     school, people):
    go_to(view, school, "Zoë", "foto_website")
    assert view.history.model.rowCount() == 0
    choose_guardian(view, "moeder")
    qtbot.keyClick(view.table, Qt.Key.Key_J)

    purpose = school["purposes"]["foto_website"]
    assert state_of(vault, people["office"], pid(school, "Zoë"), purpose) is ConsentState.GIVEN
    row = view.model.row_of(pid(school, "Zoë"))
    assert view.model.index(row, view.model.column_of(purpose)).data() == "✓"
    assert not view.status_is_error()
    assert "Vastgelegd" in view.status.text()
    assert view.history.model.rowCount() == 1
    item = view.history.model.row_at(0)
    assert (item.decided_on, item.decision, item.version, item.via, item.noted_by) == (
        date(2026, 11, 24), "gegeven", "1", "papieren formulier", "Petra Administratie")
    assert item.by == "Moeder Berg (moeder)"
    # the cursor moved on to the next purpose of the same pupil
    assert view.table.currentIndex().column() == view.model.column_of(purpose) + 1
    assert view.current_pupil_id() == pid(school, "Zoë")

    qtbot.keyClick(view.table, Qt.Key.Key_N)
    second = school["purposes"]["foto_nieuwsbrief_schoolgids"]
    assert state_of(vault, people["office"], pid(school, "Zoë"), second) is \
        ConsentState.REFUSED
    assert view.history.model.rowCount() == 2
    assert view.history.model.row_at(0).decision == "geweigerd"  # newest first


def test_channel_and_date_from_the_toolbar_are_recorded(qtbot, vault, view, school):
    go_to(view, school, "Zoë", "klassenlijst_contact")
    view.channel_combo.setCurrentIndex(view.channel_combo.findData(Channel.PARRO))
    view.date_edit.setText("3-9-2026")
    qtbot.keyClick(view.table, Qt.Key.Key_I)
    with vault.session() as session:
        event = session.scalars(select(ConsentEvent).order_by(ConsentEvent.id.desc())).first()
        assert (event.decision, event.channel, event.decided_on) == (
            Decision.WITHDRAWN, Channel.PARRO, date(2026, 9, 3))


def test_a_refusal_by_one_parent_stays_red_after_the_other_parents_yes(qtbot, vault, view,
                                                                        school, people):
    go_to(view, school, "Zoë", "foto_website")
    choose_guardian(view, "vader")
    qtbot.keyClick(view.table, Qt.Key.Key_N)
    go_to(view, school, "Zoë", "foto_website")
    choose_guardian(view, "moeder")
    qtbot.keyClick(view.table, Qt.Key.Key_J)

    purpose = school["purposes"]["foto_website"]
    assert state_of(vault, people["office"], pid(school, "Zoë"), purpose) is \
        ConsentState.REFUSED
    cell = view.model.index(view.model.row_of(pid(school, "Zoë")),
                            view.model.column_of(purpose))
    assert cell.data() == "✗"
    assert cell.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#b3261e"
    assert "andere ouder" in view.status.text()
    assert view.history.model.rowCount() == 2


def test_a_date_in_the_future_shows_an_error_and_saves_nothing(qtbot, vault, view, school):
    before = event_count(vault)
    go_to(view, school, "Zoë", "foto_website")
    view.date_edit.setText("25-11-2026")
    qtbot.keyClick(view.table, Qt.Key.Key_J)
    assert event_count(vault) == before
    assert view.status_is_error()
    assert "toekomst" in view.status.text()
    assert "niets opgeslagen" in view.status.text()
    assert "#b3261e" in view.status.styleSheet()
    assert view.date_edit.property("invalid") is True  # a red frame round the date
    assert view.model.index(view.table.currentIndex().row(),
                            view.table.currentIndex().column()).data() == "–"
    assert view.history.model.rowCount() == 0
    view.date_edit.setText("24-11-2026")  # corrected: the same key now saves
    qtbot.keyClick(view.table, Qt.Key.Key_J)
    assert not view.status_is_error()
    assert view.date_edit.property("invalid") is False
    assert event_count(vault) == before + 1


def test_a_date_that_is_no_date_saves_nothing(qtbot, vault, view, school):
    before = event_count(vault)
    go_to(view, school, "Zoë", "foto_website")
    view.date_edit.setText("31-02-2026")
    qtbot.keyClick(view.table, Qt.Key.Key_J)
    assert event_count(vault) == before
    assert view.status_is_error()
    assert "bestaat niet" in view.status.text()


def test_after_the_last_purpose_the_cursor_goes_to_the_next_pupil(qtbot, view, school):
    go_to(view, school, "Zoë", "deelname_onderzoek")  # the last column
    assert view.table.currentIndex().column() == view.model.columnCount() - 1
    qtbot.keyClick(view.table, Qt.Key.Key_J)
    zoe_row = view.model.row_of(pid(school, "Zoë"))
    assert view.table.currentIndex().row() == zoe_row + 1
    assert view.table.currentIndex().column() == FIRST_PURPOSE
    assert view.current_pupil_id() == pid(school, "Ismaël")
    assert "El Amrani" in view.history.title.text()


def test_a_whole_form_is_nine_key_presses(qtbot, vault, view, school, people):
    go_to(view, school, "Zoë", "foto_website")
    for key in "JJNJJNJJJ":
        qtbot.keyClick(view.table, getattr(Qt.Key, f"Key_{key}"))
    states = [state_of(vault, people["office"], pid(school, "Zoë"), p)
              for p in school["purposes"].values()]
    assert states.count(ConsentState.GIVEN) == 7
    assert states.count(ConsentState.REFUSED) == 2
    assert view.current_pupil_id() == pid(school, "Ismaël")  # the next pupil's form


def test_space_switches_between_yes_and_no(qtbot, vault, view, school, people):
    purpose = school["purposes"]["foto_website"]
    go_to(view, school, "Zoë", "foto_website")
    qtbot.keyClick(view.table, Qt.Key.Key_Space)
    assert state_of(vault, people["office"], pid(school, "Zoë"), purpose) is ConsentState.GIVEN
    go_to(view, school, "Zoë", "foto_website")
    qtbot.keyClick(view.table, Qt.Key.Key_Space)
    assert state_of(vault, people["office"], pid(school, "Zoë"), purpose) is \
        ConsentState.REFUSED


def test_a_key_on_the_name_column_records_nothing(qtbot, vault, view, school):
    before = event_count(vault)
    view.set_current(0, 0)
    qtbot.keyClick(view.table, Qt.Key.Key_J)
    assert event_count(vault) == before
    assert view.status_is_error()


def test_the_finder_jumps_to_a_pupil_also_when_the_filter_hides_them(qtbot, view, school):
    view.search.setText("vries")
    assert view.model.rowCount() == 1
    view.focus_finder()
    qtbot.keyClicks(view.finder, "noor")
    qtbot.keyClick(view.finder, Qt.Key.Key_Return)
    assert view.current_pupil_id() == pid(school, "Noor")
    assert view.table.currentIndex().column() == FIRST_PURPOSE
    assert view.search.text() == ""
    assert view.model.rowCount() == 4
    assert view.finder.text() == ""
    assert not view.go_to_pupil_named("Pietje Puk")
    assert view.status_is_error()


def test_ctrl_f_focuses_the_finder(qtbot, view):
    with qtbot.waitActive(view):
        view.show()
        view.activateWindow()
    view.table.setFocus()
    qtbot.keySequence(view.table, QKeySequence.StandardKey.Find)
    assert view.finder.hasFocus()


def test_filter_by_name_and_only_not_asked(view, school):
    view.search.setText("berg")
    assert [view.model.pupil_at(r).id for r in range(view.model.rowCount())] == [
        pid(school, "Zoë")]
    view.search.setText("")
    view.only_not_asked.setChecked(True)
    assert [view.model.pupil_at(r).id for r in range(view.model.rowCount())] == [
        pid(school, "Zoë")]
    assert "1 met 'niet gevraagd'" in view.count_label.text()
    view.only_not_asked.setChecked(False)
    assert view.model.rowCount() == 4


def test_from_sixteen_the_pupil_decides_herself(qtbot, vault, view, school, people):
    choose_group(view, "8B")
    go_to(view, school, "Sanne", "foto_website")
    assert view.guardian_combo.count() == 1
    assert "leerling zelf" in view.guardian_combo.currentText()
    qtbot.keyClick(view.table, Qt.Key.Key_J)
    with vault.session() as session:
        rows = history(session, people["office"], pid(school, "Sanne"))
    assert [(r.by_pupil, r.guardian_id) for r in rows] == [(True, None)]
    assert view.history.model.row_at(0).by == "de leerling zelf"
    # on a date before her 16th birthday her parents decide
    view.date_edit.setText("01-09-2025")
    view.date_edit.editingFinished.emit()
    assert "(moeder)" in view.guardian_combo.currentText()


def test_a_pupil_without_guardians_gets_a_clear_message(qtbot, vault, view, school):
    choose_group(view, "8B")
    before = event_count(vault)
    go_to(view, school, "Tim", "foto_website")
    assert not view.guardian_combo.isEnabled()
    qtbot.keyClick(view.table, Qt.Key.Key_J)
    assert event_count(vault) == before
    assert "Leerlingen" in view.status.text() and view.status_is_error()


def test_a_reader_without_record_rights_sees_but_cannot_record(qtbot, vault, people, school,
                                                               clock, boxes):
    view = make_page(qtbot, vault, people["fg"], clock)
    assert view.record_bar.isHidden()
    assert not view.buttons["purposes"].isEnabled()  # disabled, and the tooltip says who may
    assert "toestemmingsdoelen" in view.buttons["purposes"].toolTip()
    before = event_count(vault)
    choose_group(view, "5A")
    go_to(view, school, "Zoë", "foto_website")
    qtbot.keyClick(view.table, Qt.Key.Key_J)
    assert event_count(vault) == before
    assert view.status_is_error()


def test_nog_te_vragen_lists_the_pupils_never_asked_and_shrinks(qtbot, vault, view, school):
    waiting = {r.pupil_id for r in view.to_ask.rows()}
    assert waiting == {pid(school, "Zoë"), pid(school, "Sanne"), pid(school, "Tim")}
    assert view.tabs.tabText(1) == "Nog te vragen (3)"
    go_to(view, school, "Zoë", "foto_website")
    qtbot.keyClick(view.table, Qt.Key.Key_J)
    assert pid(school, "Zoë") not in {r.pupil_id for r in view.to_ask.rows()}
    assert view.tabs.tabText(1) == "Nog te vragen (2)"


def test_opening_a_pupil_from_nog_te_vragen_shows_them_in_the_matrix(qtbot, view, school):
    view.tabs.setCurrentIndex(1)
    row = next(n for n, r in enumerate(view.to_ask.rows()) if r.pupil_id == pid(school, "Tim"))
    view.to_ask.table.selectRow(row)
    view.to_ask.table.setFocus()
    qtbot.keyClick(view.to_ask.table, Qt.Key.Key_Return)
    assert view.tabs.currentIndex() == 0
    assert view.current_group() == "8B"
    assert view.current_pupil_id() == pid(school, "Tim")


def test_refresh_keeps_the_selected_pupil_and_shows_new_purposes(vault, view, school,
                                                                  people, clock):
    go_to(view, school, "Noor", "foto_ouderapp")
    with vault.session() as session:
        add_purpose(session, people["beheer"], code="jaarboek", title="Foto in het jaarboek",
                    text="Een foto van uw kind in het jaarboek van groep 8.", is_image=True,
                    clock=clock)
    view.refresh()
    assert view.current_pupil_id() == pid(school, "Noor")
    assert view.model.columnCount() == FIRST_PURPOSE + 10
    last = view.model.columnCount() - 1
    assert view.model.headerData(last, Qt.Orientation.Horizontal) == "Foto in het…"
    assert view.model.headerData(last, Qt.Orientation.Horizontal,
                                 Qt.ItemDataRole.ToolTipRole) == "Foto in het jaarboek (versie 1)"


def test_a_group_of_thirty_by_ten_shows_every_pupil_and_purpose(qtbot, vault, people, clock, boxes):
    office, beheer = people["office"], people["beheer"]
    with vault.session() as session:
        from db.purposes import seed_default_purposes

        seed_default_purposes(session, beheer, clock=clock)
        for n in range(1):  # nine defaults and one of the school's own: ten
            add_purpose(session, beheer, code=f"extra_{n}", title=f"Extra doel {n}",
                        text="Een extra doel om de tabel breder te maken.", clock=clock)
        for n in range(30):
            enrol_pupil(session, office, PupilInput(
                first_name=f"Kind{n}", last_name=f"Achternaam{n:02d}",
                date_of_birth=date(2016, 1, 1), group_name="7C",
                enrolled_on=date(2020, 8, 31)), clock=clock)
        for n in range(30):
            enrol_pupil(session, office, PupilInput(
                first_name=f"Ander{n}", last_name="Kind", date_of_birth=date(2016, 1, 1),
                group_name="7D", enrolled_on=date(2020, 8, 31)), clock=clock)
    view = make_page(qtbot, vault, office, clock)
    view.show()
    for group in ("7C", "7D", "7C"):  # its speed is measured by tests/bench/bench_gui.py
        choose_group(view, group)
        QApplication.processEvents()  # paint it
        assert view.model.rowCount() == 30
    assert view.model.columnCount() == FIRST_PURPOSE + 10


def test_the_groups_offered_are_those_with_current_pupils_and_a_group_shows_fresh(
        qtbot, vault, people, school, clock):
    """The area reads a group's pupils when it shows the group (not the whole register when
    it opens): the groups offered are still those with current pupils, and a group shows
    its current pupils in surname order."""
    from db.pupils import record_leaving

    with vault.session() as session:
        record_leaving(session, people["office"], pid(school, "Bram"), date(2026, 9, 1),
                       clock=clock)  # 6B's only pupil
    view = make_page(qtbot, vault, people["office"], clock)
    groups = [view.group_combo.itemData(i) for i in range(view.group_combo.count())]
    assert groups == ["5A", "8B"]
    choose_group(view, "5A")
    shown = [view.model.pupil_at(row).full_name for row in range(view.model.rowCount())]
    assert shown == ["Zoë van den Berg", "Ismaël El Amrani", "Noor Visser", "Daan de Vries"]


def test_without_current_pupils_the_area_says_so(qtbot, vault, people, clock):
    view = make_page(qtbot, vault, people["office"], clock)
    assert view.empty_label.text().startswith("Er staan nog geen leerlingen in het register.")
    with vault.session() as session:  # a current pupil in no group (as an old import left it)
        session.execute(insert(Pupil).values(
            first_name="Sem", given_names="", prefix="", last_name="Bakker", group_name="",
            notes="", created_at=clock()))
    view.refresh()
    assert view.group_combo.count() == 0
    assert view.empty_label.text() == "Deze groep heeft geen huidige leerlingen."
