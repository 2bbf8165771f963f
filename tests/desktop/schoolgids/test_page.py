"""Schoolgids: the paragraph drawn from the register, what is still missing and where to fill it
in, a section in the school's own words and back to the standard text, the contact settings,
and the Word and PDF files."""

from datetime import date

from docx import Document
from pypdf import PdfReader
from PySide6.QtWidgets import QDialog

from db.suppliers import SupplierInput, save_supplier
from desktop.admin.school_contact import SchoolContactDialog
from desktop.kit.page import AreaContext
from desktop.schoolgids.dialog import SectionDialog
from desktop.schoolgids.page import SchoolgidsPage


def make_view(qtbot, vault, user, clock):
    view = SchoolgidsPage(AreaContext(vault, user, "OBS De Klimop", "12AB", clock=clock))
    qtbot.addWidget(view)
    view.resize(1150, 690)
    view.show()
    return view


def test_what_is_missing_and_who_was_left_out_is_named_with_where_to_fill_it_in(
        qtbot, vault, people, school, clock):
    with vault.session() as session:
        save_supplier(session, people["office"], SupplierInput(
            name="Topicus", product="ParnasSys", purpose="Leerlingadministratie",
            signed_on=date(2024, 1, 1)), clock=clock)
        save_supplier(session, people["office"], SupplierInput(
            name="Snappet", product="Snappet", signed_on=date(2020, 1, 1),
            ends_on=date(2025, 12, 31)), clock=clock)
    view = make_view(qtbot, vault, people["office"], clock)  # reads, may not change settings
    assert view.table.count() == 9 and view.current().key == "inleiding"
    assert not view.buttons["edit"].isEnabled() and not view.buttons["contact"].isEnabled()
    lines = view.notice_lines(view.guide)
    assert view.notice.isVisible()
    assert lines[0].startswith("Nog in te vullen: de naam van het bevoegd gezag")
    assert "het e-mailadres voor vragen over privacy" in lines[0]
    assert lines[0].endswith("Vraag de beheerder of de directie dit in te vullen bij "
                             "‘Contactgegevens school’.")
    assert lines[-1] == ("Niet in de tekst: Snappet, want de verwerkersovereenkomst is "
                         "verlopen op 31-12-2025. Leg een geldige verwerkersovereenkomst vast "
                         "bij Leveranciers, dan komt de leverancier er vanzelf in.")
    text = view.preview.toPlainText()
    assert "ParnasSys van Topicus: leerlingadministratie" in text
    assert "Snappet" not in text
    assert "[nog in te vullen: het e-mailadres voor vragen over privacy]" in text
    assert view.count_label.text() == "9 onderdelen · stand van 24-11-2026"

    director = make_view(qtbot, vault, people["dir"], clock)
    assert director.buttons["edit"].isEnabled()
    assert "met de knop ‘Contactgegevens school’" in director.notice_lines(director.guide)[0]


def test_a_section_in_own_words_and_back_to_the_standard_text(qtbot, vault, people, school,
                                                              clock, windows):
    view = make_view(qtbot, vault, people["dir"], clock)
    view.table.choose("fg")

    def unknown_fill_in(dialog: SectionDialog) -> None:
        assert dialog.title_edit.text() == "Functionaris gegevensbescherming"
        assert dialog.state.text() == "Dit is de standaardtekst van het programma."
        assert not dialog.reset_button.isEnabled()
        dialog.text.setPlainText("Vragen? Mail {fg_mail}.")
        dialog.accept()
        assert dialog.errors.message("text").startswith(
            "Deze invulplek(ken) kent het programma niet: {fg_mail}.")
        dialog.text.setPlainText("Vragen over privacy? Mail onze FG via {fg_email}.")
        assert dialog.reset_button.isEnabled()

    windows.answer(SectionDialog, QDialog.DialogCode.Accepted, before=unknown_fill_in)
    view.edit_section()
    assert view.current().key == "fg" and view.current().edited
    assert view.table.model.data(view.table.model.index(7, 1)) == "eigen tekst"
    assert "Vragen over privacy? Mail onze FG via [nog in te vullen: het e-mailadres van " \
        "de functionaris gegevensbescherming]." in view.preview.toPlainText()
    assert view.count_label.text().startswith("9 onderdelen · 1 in eigen woorden")

    def back(dialog: SectionDialog) -> None:
        dialog.reset_button.click()
        assert dialog.is_default() and not dialog.reset_button.isEnabled()

    windows.answer(SectionDialog, QDialog.DialogCode.Accepted, before=back)
    view.edit_section()
    assert not view.current().edited
    assert "Vragen over privacy?" not in view.preview.toPlainText()
    windows.assert_all_freed()


def test_contact_settings_fill_the_text_and_the_notice_goes(qtbot, vault, people, school,
                                                            clock, windows):
    with vault.session() as session:
        save_supplier(session, people["office"], SupplierInput(
            name="Topicus", product="ParnasSys", signed_on=date(2024, 1, 1)), clock=clock)
    view = make_view(qtbot, vault, people["dir"], clock)
    assert view.notice.isVisible()

    def fill(dialog: SchoolContactDialog) -> None:
        dialog.fg_email.setText("geen adres")
        dialog.accept()
        assert dialog.errors.message("fg_email").startswith(
            "Vul bij het e-mailadres van de functionaris gegevensbescherming een e-mailadres in")
        dialog.controller.setText("Stichting Klimop")
        dialog.privacy_email.setText("privacy@klimop.example")
        dialog.fg_name.setText("Frank de Vries")
        dialog.fg_email.setText("fg@klimop.example")
        dialog.disclosure_address.setText("https://klimop.example/melden")
        dialog.parent_app.setEditText("Parro")

    windows.answer(SchoolContactDialog, QDialog.DialogCode.Accepted, before=fill)
    view.edit_contact()
    assert not view.notice.isVisible()
    text = view.preview.toPlainText()
    assert "nog in te vullen" not in text
    assert "Frank de Vries, bereikbaar via fg@klimop.example" in text
    assert "in Parro, met een e-mail aan privacy@klimop.example" in text
    windows.assert_all_freed()


def test_the_text_as_word_and_as_pdf(qtbot, vault, people, school, clock, boxes, save_as):
    view = make_view(qtbot, vault, people["fg"], clock)  # the FG may read and save it
    task = view.save_docx()
    assert task is not None and task.wait()
    qtbot.waitUntil(lambda: len(boxes.saved) == 1, timeout=20_000)
    _text, docx = boxes.saved[0]
    assert docx.name == "Privacytekst schoolgids 24-11-2026.docx"
    words = " ".join(p.text for p in Document(str(docx)).paragraphs)
    assert "Zorgvuldig met gegevens" in words and "Op OBS De Klimop gaan wij" in words

    task = view.save_pdf()
    assert task is not None and task.wait()
    qtbot.waitUntil(lambda: len(boxes.saved) == 2, timeout=20_000)
    _text, pdf = boxes.saved[1]
    assert pdf.suffix == ".pdf"
    first = PdfReader(pdf).pages[0].extract_text()
    assert "OBS De Klimop · tekst voor de schoolgids" in first
