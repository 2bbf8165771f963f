"""Inschrijven: typed into the dialog, saved on OK, errors at the field, duplicates confirmed."""

from datetime import date

from pypdf import PdfReader
from PySide6.QtWidgets import QDialog

from db.consent_sheets import purpose_texts
from db.pupils import guardians_of, pupil_rows
from desktop.kit.page import AreaContext
from desktop.pupils.enrol_dialog import EnrolDialog
from desktop.pupils.page import PupilsPage
from tests.desktop.pupils.helpers import pupil_count


def make_dialog(qtbot, vault, user, clock) -> EnrolDialog:
    dialog = EnrolDialog(None, vault, user, clock=clock)
    qtbot.addWidget(dialog)
    return dialog


def fill(qtbot, dialog, *, first="Noor", prefix="van der", last="Meer", born="7-3-2019",
         group="2A", guardian="Meer") -> None:
    form = dialog.form
    if guardian:
        qtbot.keyClicks(dialog.guardians.rows[0]["first_name"], "Ilse")
        qtbot.keyClicks(dialog.guardians.rows[0]["last_name"], guardian)
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
    assert dialog.saved and dialog.pupil_id is not None
    assert "Noor van der Meer is ingeschreven in groep 2A" in dialog.saved_message()
    assert dialog.print_button.isVisibleTo(dialog) and not dialog.ok_button.isVisibleTo(dialog)
    assert dialog.close_button.text() == "Sluiten"
    dialog.reject()  # Sluiten: the pupil is enrolled, so the dialog ends accepted
    assert dialog.result() == QDialog.DialogCode.Accepted
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
    assert pupil_count(vault) == 5 and not dialog.saved
    dialog.accept()  # Toch inschrijven
    assert dialog.saved
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


def test_enrolment_needs_a_guardian_and_saves_both_with_gezag(qtbot, vault, people, clock):
    dialog = make_dialog(qtbot, vault, people["office"], clock)
    fill(qtbot, dialog, guardian="")
    dialog.accept()
    assert "minstens één ouder/verzorger" in dialog.guardians.error_text(0)
    assert pupil_count(vault) == 0 and not dialog.saved
    dialog.guardians.fill(0, first_name="Ilse", last_name="Meer", relation="moeder")
    dialog.guardians.fill(1, first_name="Tom", last_name="Bakker", relation="vader",
                          has_authority=False)
    dialog.accept()
    assert dialog.saved
    with vault.session() as session:
        rows = guardians_of(session, people["office"], dialog.pupil_id)
    assert [(g.first_name, g.last_name, g.relation, g.has_authority) for g in rows] == \
        [("Ilse", "Meer", "moeder", True), ("Tom", "Bakker", "vader", False)]


def test_a_guardian_error_points_at_its_own_row(qtbot, vault, people, clock):
    dialog = make_dialog(qtbot, vault, people["office"], clock)
    fill(qtbot, dialog)
    qtbot.keyClicks(dialog.guardians.rows[1]["first_name"], "Tom")  # no surname
    dialog.accept()
    assert dialog.guardians.error_text(1) == "Vul de achternaam van de ouder/verzorger in."
    assert dialog.guardians.error_text(0) == "" and pupil_count(vault) == 0


def test_enrolment_prints_the_pupils_own_one_page_form(qtbot, vault, people, school, clock,
                                                        boxes, save_as):
    dialog = make_dialog(qtbot, vault, people["office"], clock)
    fill(qtbot, dialog)
    dialog.accept()
    task = dialog.print_form(blocking=True)
    assert task is not None and boxes.warnings == []
    ((text, path),) = boxes.saved
    assert save_as == ["Toestemmingsformulieren afdrukken"]
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    page = " ".join(reader.pages[0].extract_text().split())
    assert "Noor van der Meer" in page and "Ilse Meer" in page
    for purpose in purpose_titles(vault):
        assert " ".join(purpose.split()) in page, purpose
    assert "Daan" not in page  # only this pupil


def purpose_titles(vault) -> list[str]:
    with vault.session() as session:
        return [p.title for p in purpose_texts(session)]
