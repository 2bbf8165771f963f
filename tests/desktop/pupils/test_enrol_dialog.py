"""Inschrijven: typed into the dialog, saved on OK, errors at the field, duplicates confirmed."""

from datetime import date

from PySide6.QtWidgets import QDialog

from db.pupils import pupil_rows
from desktop.kit.page import AreaContext
from desktop.pupils.enrol_dialog import EnrolDialog
from desktop.pupils.page import PupilsPage
from tests.desktop.pupils.helpers import pupil_count


def make_dialog(qtbot, vault, user, clock) -> EnrolDialog:
    dialog = EnrolDialog(None, vault, user, clock=clock)
    qtbot.addWidget(dialog)
    return dialog


def fill(qtbot, dialog, *, first="Noor", prefix="van der", last="Meer", born="7-3-2019",
         group="2A") -> None:
    form = dialog.form
    qtbot.keyClicks(form.first_name, first)
    qtbot.keyClicks(form.given_names, f"{first} Maria")
    qtbot.keyClicks(form.prefix, prefix)
    qtbot.keyClicks(form.last_name, last)
    qtbot.keyClicks(form.date_of_birth, born)
    form.group_name.setEditText("")
    qtbot.keyClicks(form.group_name.lineEdit(), group)


def test_enrolling_adds_a_row_to_the_list(qtbot, vault, people, school, clock):
    view = PupilsPage(AreaContext(vault, people["office"], "OBS De Klimop", "12AB", clock=clock))
    qtbot.addWidget(view)
    before = view.model.rowCount()
    dialog = make_dialog(qtbot, vault, people["office"], clock)
    assert dialog.form.enrolled_on.text() == "24-11-2026"  # today by default
    fill(qtbot, dialog)
    data = dialog.value()
    assert (data.first_name, data.prefix, data.last_name, data.date_of_birth) == \
        ("Noor", "van der", "Meer", date(2019, 3, 7))
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.pupil_id is not None
    view.refresh()
    assert view.model.rowCount() == before + 1
    assert view.select_pupil(dialog.pupil_id)
    row = view.model.pupil_at(view.table.currentIndex().row())
    assert (row.sort_name, row.group_name, row.year_group) == ("Meer, van der", "2A", 2)


def test_a_bad_date_is_shown_in_red_at_its_field_and_nothing_is_saved(qtbot, vault, people,
                                                                      clock):
    dialog = make_dialog(qtbot, vault, people["office"], clock)
    fill(qtbot, dialog, born="31-02-2019")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "'31-02-2019' bestaat niet" in dialog.form.error_text("date_of_birth")
    assert pupil_count(vault) == 0


def test_a_validation_error_from_the_register_points_at_its_field(qtbot, vault, people, clock):
    dialog = make_dialog(qtbot, vault, people["office"], clock)
    fill(qtbot, dialog, last="")
    dialog.accept()
    assert dialog.form.error_text("last_name") == "Vul de achternaam in."
    assert dialog.form.error_text("first_name") == ""
    assert pupil_count(vault) == 0
    qtbot.keyClicks(dialog.form.last_name, "Meer")
    dialog.accept()
    assert dialog.form.error_text("last_name") == ""
    assert pupil_count(vault) == 1


def test_a_same_name_and_birth_date_warns_and_enrols_only_when_confirmed(qtbot, vault, people,
                                                                         school, clock):
    dialog = make_dialog(qtbot, vault, people["office"], clock)
    fill(qtbot, dialog, first="Sem", prefix="van den", last="Berg", born="03-05-2017",
         group="4B")
    dialog.accept()
    assert "Er staat al een leerling Sem Berg" in dialog.duplicate_warning()
    assert dialog.ok_button.text() == "Toch inschrijven"
    assert pupil_count(vault) == 5 and dialog.result() != QDialog.DialogCode.Accepted
    dialog.accept()  # Toch inschrijven
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert pupil_count(vault) == 6


def test_editing_after_the_duplicate_warning_checks_again(qtbot, vault, people, school, clock):
    dialog = make_dialog(qtbot, vault, people["office"], clock)
    fill(qtbot, dialog, first="Sem", prefix="van den", last="Berg", born="03-05-2017")
    dialog.accept()
    assert dialog.duplicate_warning()
    qtbot.keyClicks(dialog.form.notes, "tweeling")
    assert dialog.duplicate_warning() == "" and dialog.ok_button.text() == "Inschrijven"
    dialog.accept()
    assert dialog.duplicate_warning() and pupil_count(vault) == 5


def test_ask_returns_the_new_pupil_id(qtbot, vault, people, clock, monkeypatch):
    def fake_exec(self):
        fill(qtbot, self)
        self.accept()
        return self.result()

    monkeypatch.setattr(EnrolDialog, "exec", fake_exec)
    pupil_id = EnrolDialog.ask(None, vault, people["office"], clock=clock)
    with vault.session() as session:
        (row,) = pupil_rows(session, people["office"])
    assert row.id == pupil_id and row.full_name == "Noor van der Meer"


def test_a_role_without_edit_rights_gets_the_registers_message(qtbot, vault, people, clock):
    dialog = make_dialog(qtbot, vault, people["fg"], clock)
    fill(qtbot, dialog)
    dialog.accept()
    assert "U mag leerlinggegevens wijzigen niet" in dialog.form.error_text("")
    assert pupil_count(vault) == 0
