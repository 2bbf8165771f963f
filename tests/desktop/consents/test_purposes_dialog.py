"""Doelen beheren: add, new text version, retire, and the school-year rhythm."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QLabel
from sqlalchemy import select

from db.consents import ConsentState, history, record_decision, year_rhythm
from db.errors import ValidationError
from db.purposes import code_for, purpose_texts
from db.schema import Channel, ConsentPurpose, Decision
from desktop.consents.page import ConsentsPage
from desktop.consents.purposes_dialog import PurposesDialog, PurposeTextDialog
from desktop.kit.page import AreaContext
from tests.desktop.consents.conftest import TODAY, pid, state_of


@pytest.fixture
def dialog(qtbot, vault, people, school, clock, boxes):
    widget = PurposesDialog(vault, people["beheer"], clock)
    qtbot.addWidget(widget)
    return widget


def answer_with(monkeypatch, *, title=None, text=None, image=False):
    """Let PurposeTextDialog.exec() fill in the fields and press OK, as a user would."""
    seen = []

    def fake_exec(self):
        seen.append(self)
        if title is not None:
            self.title_edit.setText(title)
        if text is not None:
            self.text_edit.setPlainText(text)
        self.image_box.setChecked(image)
        self.accept()
        return self.result()

    monkeypatch.setattr(PurposeTextDialog, "exec", fake_exec)
    return seen


def test_lists_every_purpose_with_version_and_status(qtmodeltester, dialog, school):
    qtmodeltester.check(dialog.model)
    assert len(dialog.rows()) == 9  # the defaults, "Deelname aan onderzoek" included
    assert dialog.model.index(0, 3).data() == "in gebruik"
    assert dialog.model.index(0, 2).data() == "foto/video"
    assert "Versies: versie 1 sinds 24-11-2026." == dialog.versions.text()


def test_editing_the_text_creates_version_2_and_earlier_decisions_keep_1(
        monkeypatch, vault, dialog, school, people):
    website = school["purposes"]["foto_website"]
    dialog.select_purpose(website)
    seen = answer_with(monkeypatch, title="Foto's en video's op de website",
                       text="Wij plaatsen foto's en video's op de nieuwe website van de school.")
    dialog.edit()
    assert seen and "versie 2" in seen[0].ok_button.text()
    assert seen[0].result() == PurposeTextDialog.DialogCode.Accepted
    assert dialog.changed
    with vault.session() as session:
        assert [t.version for t in purpose_texts(session, website)] == [1, 2]
        assert session.get(ConsentPurpose, website).version == 2
        daan = history(session, people["office"], pid(school, "Daan"), website)
    assert [row.purpose_version for row in daan] == [1]
    row = next(r for r in dialog.rows() if r.id == website)
    assert (row.version, row.title) == (2, "Foto's en video's op de website")
    assert dialog.model.index(0, 1).data() == "2"


def test_the_edit_dialog_says_which_version_it_makes(qtbot, dialog, school):
    row = next(r for r in dialog.rows() if r.id == school["purposes"]["foto_website"])
    edit = PurposeTextDialog(dialog, lambda value: None, current=row)
    qtbot.addWidget(edit)
    assert edit.ok_button.text() == "Opslaan als versie 2"
    assert any("versie 2" in label.text() and "versie 1" in label.text()
               for label in edit.findChildren(QLabel))


def test_a_text_that_is_too_short_is_shown_at_its_field_and_the_dialog_stays(qtbot, dialog):
    def save(value):
        raise ValidationError("Beschrijf het doel in een zin die ouders begrijpen.",
                              field="text")

    edit = PurposeTextDialog(dialog, save)
    qtbot.addWidget(edit)
    edit.title_edit.setText("Iets")
    edit.text_edit.setPlainText("kort")
    edit.accept()
    assert edit.result() != PurposeTextDialog.DialogCode.Accepted
    assert not edit.text_field.error.isHidden()
    assert "ouders begrijpen" in edit.text_field.error.text()


def test_adding_a_purpose_makes_a_code_and_shows_it(monkeypatch, vault, dialog):
    answer_with(monkeypatch, title="Foto's in het jaarboek",
                text="Een foto van uw kind in het jaarboek van groep 8.", image=True)
    dialog.add()
    with vault.session() as session:
        added = session.scalar(select(ConsentPurpose).where(
            ConsentPurpose.code == "fotos_in_het_jaarboek"))
        assert added is not None and added.is_image and added.version == 1
    assert dialog.rows()[dialog.table.currentIndex().row()].id == added.id


def test_code_for_is_unique_and_plain():
    assert code_for("Foto's in het jaarboek!", set()) == "fotos_in_het_jaarboek"
    assert code_for("Zoë's werk", {"zoes_werk"}) == "zoes_werk_2"
    assert code_for("???", set()) == "doel"


def test_retiring_asks_first_and_then_refuses_new_decisions(vault, dialog, boxes, school,
                                                            people, clock):
    website = school["purposes"]["foto_website"]
    dialog.select_purpose(website)
    boxes.answer = False
    dialog.retire()
    assert "buiten gebruik" in boxes.asked[0]
    with vault.session() as session:
        assert session.get(ConsentPurpose, website).retired_at is None
    boxes.answer = True
    dialog.retire()
    with vault.session() as session:
        assert session.get(ConsentPurpose, website).retired_at is not None
    row = next(r for r in dialog.rows() if r.id == website)
    assert row.retired_on == TODAY
    assert dialog.rows()[-1].id == website  # retired ones at the bottom
    dialog.select_purpose(website)
    assert not dialog.retire_button.isEnabled() and not dialog.edit_button.isEnabled()
    with pytest.raises(ValidationError), vault.session() as session:
        record_decision(session, people["office"], pid(school, "Zoë"), website,
                        Decision.GIVEN, decided_on=date(2026, 11, 1),
                        guardian_id=school["ids"]["Zoë"][1], channel=Channel.PAPER,
                        clock=clock)
    assert state_of(vault, people["office"], pid(school, "Daan"), website) is \
        ConsentState.GIVEN  # the history stays


def test_the_school_year_rhythm_is_saved(vault, dialog):
    dialog.yearly.setChecked(True)
    dialog.closing.setText("1-10")
    assert dialog.save_rhythm()
    assert dialog.closing.text() == "01-10"
    with vault.session() as session:
        rhythm = year_rhythm(session, TODAY)
    assert rhythm.ask_each_year
    assert rhythm.closing == date(2026, 10, 1)  # this school year's 1 October
    assert dialog.saved_label.text() == "Opgeslagen."


def test_a_closing_date_that_does_not_exist_is_refused(qtbot, vault, dialog):
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.closing.setText("31-02")
    assert not dialog.save_rhythm()
    assert "bestaat niet" in dialog.closing_error.text()
    dialog.closing.setText("oktober")
    assert not dialog.save_rhythm()
    assert "dag-maand" in dialog.closing_error.text()
    dialog.reject()  # Sluiten with a bad date: stays open, pointing at the field
    assert dialog.isVisible()
    with vault.session() as session:
        assert year_rhythm(session, TODAY).closing is None


def test_the_view_opens_the_dialog_only_for_managers_and_reloads_after(
        qtbot, monkeypatch, vault, people, school, clock, boxes):
    office_view = ConsentsPage(AreaContext(vault, people["office"], "", "", clock=clock))
    qtbot.addWidget(office_view)
    assert not office_view.buttons["purposes"].isEnabled()
    view = ConsentsPage(AreaContext(vault, people["beheer"], "", "", clock=clock))
    qtbot.addWidget(view)
    assert view.buttons["purposes"].isEnabled()
    monkeypatch.setattr(PurposesDialog, "ask", classmethod(lambda cls, *args: True))
    calls = []
    monkeypatch.setattr(view, "refresh", lambda: calls.append(1))
    view.manage_purposes()
    assert calls == [1]
