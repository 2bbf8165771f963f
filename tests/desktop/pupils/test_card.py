"""De leerlingkaart: details, guardians, leaving and the audited special-category tab."""

from datetime import date

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from db.errors import PermissionDenied
from db.permissions import SYSTEM
from db.pupils import GuardianInput, add_guardian, get_pupil, guardians_of, read_special
from desktop.pupils.card import LeaveDialog, PupilCard, SpecialDialog
from desktop.pupils.guardian_dialog import GuardianDialog
from tests.desktop.pupils.helpers import audit_count


def make_card(qtbot, vault, user, pupil_id, clock) -> PupilCard:
    card = PupilCard(None, vault, user, pupil_id, clock=clock)
    qtbot.addWidget(card)
    return card


def tab_titles(card) -> list[str]:
    return [card.tabs.tabText(i) for i in range(card.tabs.count())]


def stored(vault, user, pupil_id):
    with vault.session() as session:
        p = get_pupil(session, user, pupil_id)
        return p.first_name, p.last_name, p.group_name, p.year_group, p.left_on, p.notes


def test_card_shows_the_pupil(qtbot, vault, people, school, clock):
    card = make_card(qtbot, vault, people["office"], school["sem"], clock)
    assert card.title.text() == "Sem van den Berg"
    assert card.subtitle.text() == "Groep 4A · huidige leerling"
    form = card.form
    assert (form.first_name.text(), form.prefix.text(), form.last_name.text(),
            form.date_of_birth.text(), form.group_name.currentText(),
            form.year_group.currentData(), form.enrolled_on.text()) == \
        ("Sem", "van den", "Berg", "03-05-2017", "4A", 4, "30-08-2021")


@pytest.mark.parametrize(("who", "visible"), [("office", True), ("dir", True),
                                               ("beheer", False), ("fg", False)])
def test_special_tab_only_for_roles_that_may_read_it(qtbot, vault, people, school, clock, who,
                                                     visible):
    card = make_card(qtbot, vault, people[who], school["sem"], clock)
    assert ("Bijzondere persoonsgegevens" in tab_titles(card)) is visible
    assert (card.special_tab is not None) is visible


def test_a_teacher_cannot_open_a_card(qtbot, vault, people, school, clock, boxes):
    with pytest.raises(PermissionDenied):
        PupilCard(None, vault, people["juf"], school["sem"], clock=clock)
    assert PupilCard.show_pupil(None, vault, people["juf"], school["sem"], clock=clock) is False
    assert "Leerkracht" in boxes.warnings[0]


def test_opening_the_card_reads_no_special_data_opening_the_tab_does_and_is_audited(
        qtbot, vault, people, school, clock):
    card = make_card(qtbot, vault, people["office"], school["sem"], clock)
    card.tabs.setCurrentWidget(card.special_tab)
    assert audit_count(vault, "special.read") == 0
    assert not card.special_loaded and card.special_model.rowCount() == 0
    qtbot.mouseClick(card.show_special_button, Qt.MouseButton.LeftButton)
    assert audit_count(vault, "special.read") == 1
    assert card.special_model.data(card.special_model.index(0, 1)) == "dyslexieverklaring"
    assert card.special_model.data(card.special_model.index(0, 0)) == "Medisch"


def test_special_data_can_be_added_and_removed_by_the_office(qtbot, vault, people, school, clock,
                                                             boxes, monkeypatch):
    def fake_ask(cls, parent, save):
        dialog = SpecialDialog(parent, save)
        qtbot.addWidget(dialog)
        dialog.category.setCurrentIndex(dialog.category.findData("other"))
        dialog.accept()  # empty description: refused at the field
        assert dialog.fields["description"].error.text() == "Vul een omschrijving in."
        qtbot.keyClicks(dialog.description, "faalangst")
        dialog.accept()
        return dialog.value() if dialog.result() == QDialog.DialogCode.Accepted else None

    monkeypatch.setattr(SpecialDialog, "ask", classmethod(fake_ask))
    office = people["office"]
    card = make_card(qtbot, vault, office, school["sem"], clock)
    card.load_special()
    card.add_special()
    assert card.special_model.rowCount() == 2
    card.special_table.selectRow(0)
    card.remove_special()
    assert boxes.asked and card.special_model.rowCount() == 1
    with vault.session() as session:
        assert [r.description for r in read_special(session, office, school["sem"])] == \
            ["faalangst"]


def test_the_director_reads_but_the_buttons_to_change_follow_edit_special(qtbot, vault, people,
                                                                          school, clock):
    card = make_card(qtbot, vault, people["dir"], school["sem"], clock)
    card.load_special()
    assert card.special_model.rowCount() == 1
    assert not card.add_special_button.isHidden()  # directie has EDIT_SPECIAL


def test_saving_edits(qtbot, vault, people, school, clock):
    office = people["office"]
    card = make_card(qtbot, vault, office, school["fleur"], clock)
    card.form.group_name.setEditText("")
    qtbot.keyClicks(card.form.group_name.lineEdit(), "4B")
    assert card.form.year_group.currentData() == 4  # follows the group name
    qtbot.keyClicks(card.form.notes, "Broertje in groep 1.")
    assert card.is_dirty()
    card.save()
    assert not card.is_dirty() and card.changed
    assert card.status.text() == "De gegevens zijn opgeslagen."
    assert stored(vault, office, school["fleur"])[2:4] == ("4B", 4)
    assert card.subtitle.text().startswith("Groep 4B")


def test_a_validation_error_is_shown_at_the_field_and_nothing_is_saved(qtbot, vault, people,
                                                                       school, clock):
    office = people["office"]
    card = make_card(qtbot, vault, office, school["fleur"], clock)
    card.form.first_name.clear()
    card.form.enrolled_on.setText("01-01-2000")
    card.save()
    assert card.form.error_text("first_name") == "Vul de roepnaam in."
    assert stored(vault, office, school["fleur"])[0] == "Fleur"
    qtbot.keyClicks(card.form.first_name, "Fleur")
    card.save()
    assert card.form.error_text("enrolled_on") == "De inschrijfdatum ligt vóór de geboortedatum."
    assert card.form.error_text("first_name") == ""
    assert not card.changed


def test_closing_with_unsaved_edits_asks_first(qtbot, vault, people, school, clock, boxes):
    card = make_card(qtbot, vault, people["office"], school["fleur"], clock)
    card.show()
    qtbot.keyClicks(card.form.notes, "iets")
    boxes.answer = False
    qtbot.keyClick(card, Qt.Key.Key_Escape)
    assert boxes.asked == ["Wijzigingen niet opgeslagen. Toch sluiten?"]
    assert card.isVisible()
    boxes.answer = True
    card.close()
    assert not card.isVisible() and len(boxes.asked) == 2


def test_closing_without_edits_does_not_ask(qtbot, vault, people, school, clock, boxes):
    card = make_card(qtbot, vault, people["office"], school["fleur"], clock)
    card.show()
    qtbot.keyClick(card, Qt.Key.Key_Escape)
    assert not card.isVisible() and boxes.asked == []


def test_read_only_for_roles_that_may_not_edit(qtbot, vault, people, school, clock, boxes):
    card = make_card(qtbot, vault, people["fg"], school["fleur"], clock)
    assert card.save_button is None and card.form.first_name.isReadOnly()
    assert card.add_guardian_button.isHidden() and card.leave_button.isHidden()
    card.show()
    qtbot.keyClick(card, Qt.Key.Key_Escape)
    assert boxes.asked == []


def test_leaving_asks_the_date_and_can_be_undone(qtbot, vault, people, school, clock, boxes,
                                                 monkeypatch):
    def fake_ask(cls, parent, name, today, save):
        dialog = LeaveDialog(parent, name, today, save)
        qtbot.addWidget(dialog)
        assert dialog.left_on.text() == "24-11-2026"  # today by default
        dialog.left_on.setText("01-01-2020")
        dialog.accept()
        assert "vóór de inschrijfdatum" in dialog.field.error.text()
        dialog.left_on.setText("19-12-2026")
        dialog.accept()
        return dialog.value() if dialog.result() == QDialog.DialogCode.Accepted else None

    monkeypatch.setattr(LeaveDialog, "ask", classmethod(fake_ask))
    office = people["office"]
    card = make_card(qtbot, vault, office, school["fleur"], clock)
    card.leave()
    assert stored(vault, office, school["fleur"])[4] == date(2026, 12, 19)
    assert card.subtitle.text() == "Groep 3B · vertrekt per 19-12-2026"
    assert card.leave_button.isHidden() and not card.undo_leave_button.isHidden()
    card.undo_leave()
    assert boxes.asked and stored(vault, office, school["fleur"])[4] is None
    assert card.subtitle.text() == "Groep 3B · huidige leerling"


def test_guardians_add_edit_and_remove_with_confirmation(qtbot, vault, people, school, clock,
                                                         boxes, monkeypatch):
    steps = []

    def fake_ask(cls, parent, guardian=None, *, pupil_name="", save=None):
        dialog = GuardianDialog(parent, guardian, pupil_name=pupil_name, save=save)
        qtbot.addWidget(dialog)
        steps.append(dialog.windowTitle())
        if guardian is None:
            qtbot.keyClicks(dialog.first_name, "Fatima")
            qtbot.keyClicks(dialog.last_name, "Jansen")
            qtbot.keyClicks(dialog.email, "geen-adres")
            dialog.accept()
            assert dialog.error_text("email") == "'geen-adres' is geen geldig e-mailadres."
            dialog.email.setText("fatima@example.nl")
        else:
            dialog.has_authority.setChecked(False)
            dialog.address_secret.setChecked(True)
        dialog.accept()
        return dialog.value() if dialog.result() == QDialog.DialogCode.Accepted else None

    monkeypatch.setattr(GuardianDialog, "ask", classmethod(fake_ask))
    office = people["office"]
    card = make_card(qtbot, vault, office, school["fleur"], clock)
    assert tab_titles(card)[1] == "Ouders/verzorgers (0)"
    card.add_guardian()
    assert tab_titles(card)[1] == "Ouders/verzorgers (1)"
    model = card.guardian_model
    assert [model.data(model.index(0, c)) for c in range(6)] == \
        ["Fatima Jansen", "ouder", "ja", "", "fatima@example.nl", ""]
    card.guardian_table.selectRow(0)
    card.edit_guardian()
    assert [model.data(model.index(0, c)) for c in (2, 5)] == ["nee", "ja"]
    assert steps == ["Ouder/verzorger toevoegen", "Ouder/verzorger wijzigen"]
    boxes.answer = False
    card.remove_guardian()
    assert model.rowCount() == 1
    boxes.answer = True
    card.remove_guardian()
    assert "Fatima Jansen verwijderen bij Fleur Jansen?" in boxes.asked[-1]
    assert model.rowCount() == 0
    with vault.session() as session:
        assert guardians_of(session, office, school["fleur"]) == []


def test_guardians_are_listed_for_readers(qtbot, vault, people, school, clock):
    with vault.session() as session:
        add_guardian(session, people["office"], school["sem"], GuardianInput(
            first_name="Karin", prefix="van den", last_name="Berg", phone="06-12345678",
            relation="moeder"), clock=clock)
    card = make_card(qtbot, vault, people["fg"], school["sem"], clock)
    model = card.guardian_model
    assert model.data(model.index(0, 0)) == "Karin van den Berg"
    assert model.data(model.index(0, 3)) == "06-12345678"


def test_the_consent_history_is_shown_newest_first(qtbot, vault, people, school, clock):
    from db.consents import record_decision
    from db.purposes import list_purposes, seed_default_purposes
    from db.schema import Channel, Decision

    office = people["office"]
    with vault.session() as session:
        seed_default_purposes(session, SYSTEM, clock=clock)
        purpose = list_purposes(session)[0]
        mother = add_guardian(session, office, school["sem"], GuardianInput(
            first_name="Karin", last_name="Berg", relation="moeder"), clock=clock)
        for decided_on, decision in ((date(2025, 9, 1), Decision.GIVEN),
                                     (date(2026, 3, 2), Decision.WITHDRAWN)):
            record_decision(session, office, school["sem"], purpose.id, decision,
                            decided_on=decided_on, guardian_id=mother.id,
                            channel=Channel.PARRO, clock=clock)
    card = make_card(qtbot, vault, people["fg"], school["sem"], clock)
    assert "Toestemmingen" in tab_titles(card)
    model = card.consent_model
    assert [model.data(model.index(0, c)) for c in (0, 2, 3, 4)] == \
        ["02-03-2026", "ingetrokken", "Karin Berg", "Parro"]
    assert model.data(model.index(1, 2)) == "gegeven"
    assert model.data(model.index(0, 1))  # the purpose's title


def test_opening_the_card_is_audited_for_the_access_export(qtbot, vault, people, school, clock):
    make_card(qtbot, vault, people["office"], school["sem"], clock)
    make_card(qtbot, vault, people["office"], school["sem"], clock)
    assert audit_count(vault, "pupil.open") == 2


def test_the_card_opens_with_nothing_selected_and_prints_the_pupils_form(
        qtbot, vault, people, school, clock, boxes, save_as):
    card = make_card(qtbot, vault, people["office"], school["sem"], clock)
    card.show()
    assert not card.form.first_name.hasSelectedText()
    assert card.focusWidget() is card.tabs.tabBar()
    card.print_form(blocking=True)
    assert boxes.warnings == []
    ((_text, path),) = boxes.saved
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    assert "Sem van den Berg" in " ".join(reader.pages[0].extract_text().split())


def test_a_save_over_someone_elses_change_is_refused_and_the_typed_input_stays(
        qtbot, vault, people, school, clock):
    """Two workstations have the card of the same pupil open (issue 15, point 5)."""
    first = make_card(qtbot, vault, people["office"], school["fleur"], clock)
    second = make_card(qtbot, vault, people["dir"], school["fleur"], clock)
    qtbot.keyClicks(first.form.notes, "Broertje in groep 1.")
    assert first.save()
    second.form.group_name.setEditText("")
    qtbot.keyClicks(second.form.group_name.lineEdit(), "4B")
    qtbot.keyClicks(second.form.notes, "Allergie doorgegeven.")
    assert second.save() is False
    assert second.form.error_text("").startswith(
        "Iemand anders heeft deze leerling intussen gewijzigd. Uw wijzigingen zijn niet "
        "opgeslagen;")
    # what was typed is still there, the card is still open, and it offers the other's version
    assert (second.form.group_name.currentText(), second.form.notes.toPlainText()) == \
        ("4B", "Allergie doorgegeven.")
    assert second.is_dirty() and second.reload_button.isVisibleTo(second)
    # the first save is in the register, once in the audit log
    assert stored(vault, people["office"], school["fleur"])[2] == "3B"
    assert stored(vault, people["office"], school["fleur"])[5] == "Broertje in groep 1."
    assert audit_count(vault, "pupil.update") == 1

    qtbot.mouseClick(second.reload_button, Qt.MouseButton.LeftButton)
    assert (second.form.group_name.currentText(), second.form.notes.toPlainText()) == \
        ("3B", "Broertje in groep 1.")
    assert not second.is_dirty() and not second.reload_button.isVisibleTo(second)
    assert second.form.error_text("") == ""
    second.form.group_name.setEditText("")
    qtbot.keyClicks(second.form.group_name.lineEdit(), "4B")
    assert second.save()  # on the version it now shows
    assert stored(vault, people["office"], school["fleur"])[2] == "4B"
    assert stored(vault, people["office"], school["fleur"])[5] == "Broertje in groep 1."
    assert audit_count(vault, "pupil.update") == 2


def test_the_own_leaving_does_not_refuse_the_next_save_of_the_card(qtbot, vault, people,
                                                                   school, clock, monkeypatch):
    card = make_card(qtbot, vault, people["office"], school["fleur"], clock)
    monkeypatch.setattr(LeaveDialog, "ask",
                        classmethod(lambda cls, parent, name, today, save: (
                            save(date(2026, 12, 31)), date(2026, 12, 31))[1]))
    card.leave()
    qtbot.keyClicks(card.form.notes, "Verhuist.")
    assert card.save()
    assert stored(vault, people["office"], school["fleur"])[4:] == (date(2026, 12, 31),
                                                                     "Verhuist.")
