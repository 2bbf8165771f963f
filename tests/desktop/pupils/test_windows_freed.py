"""Issue 18: every window the Leerlingen area opens is gone once it is closed — above all the
pupil card, which may have shown special-category data."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from desktop.kit.page import AreaContext
from desktop.pupils.card import LeaveDialog, PupilCard, SpecialDialog
from desktop.pupils.enrol_dialog import EnrolDialog
from desktop.pupils.guardian_dialog import GuardianDialog
from desktop.pupils.import_wizard import ImportWizard
from desktop.pupils.page import PupilsPage


def make_page(qtbot, vault, user, clock) -> PupilsPage:
    page = PupilsPage(AreaContext(vault, user, "OBS De Klimop", "12AB", clock=clock))
    qtbot.addWidget(page)
    page.resize(1150, 690)
    page.show()
    return page


def test_a_pupil_card_that_showed_special_data_is_destroyed_when_closed(
        qtbot, vault, people, school, clock, windows):
    page = make_page(qtbot, vault, people["office"], clock)
    shown = []

    def look_and_close(card):
        card.load_special()  # Tonen: the special-category text is on screen
        shown.append(card.special_model.rowCount())
        card.reject()  # Esc

    windows.watch(PupilCard, look_and_close)
    windows.start()
    page.select_pupil(school["sem"])
    page.open_current()
    assert shown == [1]
    windows.assert_freed("PupilCard")
    page.open_card(0)  # a second card in the same day: also freed
    windows.assert_freed("PupilCard")
    assert len(windows.opened) == 2


def test_the_enrol_dialog_and_the_import_wizard_are_destroyed_when_closed(
        qtbot, vault, people, school, clock, windows):
    page = make_page(qtbot, vault, people["office"], clock)
    windows.watch(EnrolDialog)
    windows.watch(ImportWizard)
    windows.start()
    page.enrol()
    page.import_file()
    windows.assert_freed("EnrolDialog", "ImportWizard")


def test_the_dialogs_of_the_card_are_destroyed_when_closed(qtbot, vault, people, school,
                                                           clock, windows):
    card = PupilCard(None, vault, people["office"], school["sem"], clock=clock)
    qtbot.addWidget(card)
    card.load_special()
    windows.watch(GuardianDialog)
    windows.watch(LeaveDialog)
    windows.watch(SpecialDialog)
    windows.start()
    card.add_guardian()
    card.leave()
    card.add_special()
    windows.assert_freed("GuardianDialog", "LeaveDialog", "SpecialDialog")


def test_a_message_box_of_the_area_is_destroyed_when_closed(qtbot, vault, people, school,
                                                            clock, windows):
    page = make_page(qtbot, vault, people["office"], clock)
    windows.watch(QMessageBox, lambda box: None)
    windows.start()
    PupilCard.show_pupil(page, vault, people["office"], 999_999, clock=clock)  # no such pupil
    windows.assert_freed("QMessageBox")
