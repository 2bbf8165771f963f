"""Consent forms, 'niet op de foto' lists and the per-pupil overview, read back with pypdf."""

import re
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from db.consent_sheets import (
    FormTerms,
    form_pupils,
    form_terms,
    photo_lists,
    pupil_consent_overview,
    purpose_texts,
)
from db.consents import record_decision
from db.permissions import SYSTEM
from db.pupils import GuardianInput, PupilInput, add_guardian, enrol_pupil
from db.purposes import edit_purpose_text, seed_default_purposes
from db.schema import Channel, ConsentPurpose, Decision, User
from db.settings import FORM_RETURN_DAYS, PUPILS_FROM_16, write_setting
from desktop.printing.consent_forms import SchoolInfo, consent_forms
from desktop.printing.consent_overview import consent_overview_pdf
from desktop.printing.photo_lists import photo_list_pdf

TODAY = date(2026, 11, 24)
TERMS = FormTerms(printed_on=TODAY, return_by=date(2026, 12, 8), school_year="2026-2027",
                  asks_each_year=False, pupils_from_16=False)


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.fixture
def school(vault, clock):
    """Group 5A: Daan (all given), Ismaël (website refused), Zoë (never asked), Noor
    (website given by one parent, refused by the other); group 6B: Bram (withdrawn)."""
    with vault.session() as session:
        actor = session.scalar(select(User))
        seed_default_purposes(session, actor, clock=clock)
        purposes = {p.code: p.id for p in session.scalars(select(ConsentPurpose))}
        ids = {}
        for first, prefix, last, group in (("Daan", "de", "Vries", "5A"),
                                           ("Ismaël", "", "El Amrani", "5A"),
                                           ("Zoë", "van den", "Berg", "5A"),
                                           ("Noor", "", "Visser", "5A"),
                                           ("Bram", "", "Kok", "6B")):
            pupil = enrol_pupil(session, actor, PupilInput(
                first_name=first, prefix=prefix, last_name=last, date_of_birth=date(2016, 4, 1),
                group_name=group, enrolled_on=date(2020, 8, 31)), clock=clock)
            mother = add_guardian(session, actor, pupil.id, GuardianInput(
                first_name="Moeder", last_name=last), clock=clock)
            father = add_guardian(session, actor, pupil.id, GuardianInput(
                first_name="Vader", last_name=last), clock=clock)
            ids[first] = (pupil.id, mother.id, father.id)

        def decide(first, code, decision, parent=1, on=date(2025, 9, 1)):
            pid, *parents = ids[first]
            record_decision(session, actor, pid, purposes[code], decision, decided_on=on,
                            guardian_id=parents[parent - 1], channel=Channel.PAPER, clock=clock)

        image_codes = [code for code, in session.execute(
            select(ConsentPurpose.code).where(ConsentPurpose.is_image.is_(True)))]
        for code in purposes:
            decide("Daan", code, Decision.GIVEN)
            decide("Ismaël", code, Decision.REFUSED if code == "foto_website"
                   else Decision.GIVEN)
            decide("Bram", code, Decision.GIVEN)
            decide("Noor", code, Decision.GIVEN)
        decide("Noor", "foto_website", Decision.REFUSED, parent=2)
        decide("Bram", "foto_sociale_media", Decision.WITHDRAWN, on=date(2026, 3, 1))
    return {"ids": ids, "purposes": purposes, "image_codes": image_codes, "actor": actor}


def test_consent_form_holds_the_pupil_every_purpose_and_its_version_code(vault, clock, school,
                                                                          tmp_path):
    with vault.session() as session:
        edit_purpose_text(session, school["actor"], school["purposes"]["foto_website"],
                          title="Foto's en video's op de website",
                          text="Een nieuwe tekst voor dit doel.", clock=clock)
    with vault.session() as session:
        pupils = form_pupils(session, SYSTEM, group="5A", today=TODAY)
        purposes = purpose_texts(session)
    out = tmp_path / "formulieren.pdf"
    pages = consent_forms(out, SchoolInfo("OBS De Klimop", "12AB"), pupils, purposes, TERMS)
    reader = PdfReader(out)
    assert pages == len(reader.pages) == 4  # one page per pupil of 5A
    texts = [page.extract_text() for page in reader.pages]
    assert [t.split("Leerling")[1].split("Groep")[0].strip() for t in texts] == \
        ["Zoë van den Berg", "Ismaël El Amrani", "Noor Visser", "Daan de Vries"]
    first = texts[-1]
    assert "Daan de Vries" in first and "5A" in first and "24-11-2026" in first
    assert "Moeder Vries" in first and "Vader Vries" in first  # signature lines
    assert len(purposes) == 9  # the defaults, "Deelname aan onderzoek" included
    for purpose in purposes:
        assert purpose.title in first
    # parents see no version numbers; the office finds them in the footer code
    assert "versie" not in first
    edited = [n for n, p in enumerate(purposes, 1) if p.title.endswith("op de website")]
    codes = " ".join(f"{n}v{2 if n in edited else 1}" for n in range(1, 10))
    assert f"Formulier 2026-11-24 · doelen {codes}" in first
    assert len(edited) == 1
    assert "wijzigen of intrekken" in first
    assert "gelden tot u ze wijzigt" in first.replace("\n", " ")


def test_where_consent_is_asked_each_year_the_form_names_its_school_year(vault, school,
                                                                        tmp_path):
    with vault.session() as session:
        pupils = form_pupils(session, SYSTEM, group="6B", today=TODAY)
        purposes = purpose_texts(session)
    out = tmp_path / "jaarlijks.pdf"
    consent_forms(out, SchoolInfo("OBS De Klimop", "12AB"), pupils, purposes,
                  replace(TERMS, asks_each_year=True))
    text = PdfReader(out).pages[0].extract_text().replace("\n", " ")
    assert "Schooljaar 2026-2027" in text
    assert "gelden voor schooljaar 2026-2027. Volgend schooljaar vragen wij ze opnieuw." in text


def _form_text(vault, tmp_path, *, today=TODAY) -> str:
    with vault.session() as session:
        pupils = form_pupils(session, SYSTEM, group="6B", today=today)
        purposes = purpose_texts(session)
        terms = form_terms(session, SYSTEM, today=today)
    out = tmp_path / "formulier.pdf"
    consent_forms(out, SchoolInfo("OBS De Klimop", "12AB"), pupils, purposes, terms)
    return PdfReader(out).pages[0].extract_text().replace("\n", " ")


def test_form_asks_it_back_two_weeks_after_printing_unless_the_school_chose_otherwise(
        vault, school, tmp_path):
    assert "Graag terug vóór 08-12-2026" in _form_text(vault, tmp_path)
    with vault.session() as session:
        write_setting(session, school["actor"], FORM_RETURN_DAYS, 21)
    text = _form_text(vault, tmp_path, today=date(2026, 12, 20))
    assert "Graag terug vóór 10-01-2027" in text and "08-12-2026" not in text


def test_print_date_and_signature_date_are_told_apart(vault, school, tmp_path):
    text = _form_text(vault, tmp_path)
    assert "Afgedrukt op 24-11-2026" in text
    assert text.count("Datum ondertekening") == 2  # one per parent with gezag
    assert "Naam ouder/verzorger" in text and "Handtekening" in text
    assert " Datum 24-11-2026" not in text and "Datum Handtekening" not in text


def test_age_16_sentence_only_where_the_school_has_pupils_who_reach_16(vault, school,
                                                                        tmp_path):
    assert "16 jaar" not in _form_text(vault, tmp_path)  # a basisschool: off by default
    with vault.session() as session:
        write_setting(session, school["actor"], PUPILS_FROM_16, True)
    text = _form_text(vault, tmp_path)
    assert "Een wijziging geldt vanaf het moment dat wij hem ontvangen. Vanaf 16 jaar beslist " \
        "uw kind zelf." in text


def test_form_terms_read_the_settings_typed(vault, school):
    with vault.session() as session:
        terms = form_terms(session, SYSTEM, today=TODAY)
        assert terms == TERMS
        write_setting(session, school["actor"], PUPILS_FROM_16, True)
        write_setting(session, school["actor"], FORM_RETURN_DAYS, 1)
        terms = form_terms(session, SYSTEM, today=TODAY)
    assert terms.pupils_from_16 is True and terms.return_by == date(2026, 11, 25)
    assert PUPILS_FROM_16.parse("0") is False and PUPILS_FROM_16.parse("ja") is True
    assert PUPILS_FROM_16.parse("onzin") is False and FORM_RETURN_DAYS.parse("500") == 90


def test_photo_list_holds_exactly_the_pupils_without_consent(vault, school, tmp_path):
    with vault.session() as session:
        lists = photo_lists(session, SYSTEM, today=TODAY)
    out = tmp_path / "foto.pdf"
    assert photo_list_pdf(out, "OBS De Klimop", lists, printed_on=TODAY) == 2
    page_5a, page_6b = (page.extract_text() for page in PdfReader(out).pages)
    website = page_5a.split("Foto's en video's op de schoolwebsite")[1].split("Foto's in de")[0]
    assert "3 van 4" in website
    names = set(re.findall(r"• ([^•\n]+?)\s*(?=•|\n|$)", website))
    assert names == {"Ismaël El Amrani", "Zoë van den Berg", "Noor Visser"}
    assert "Daan" not in page_5a.split("Niet op de foto")[1]
    assert "Bram Kok" in page_6b.split("sociale media")[1].split("besloten")[0]
    assert page_6b.count("Bram Kok") == 1


def test_teacher_may_print_the_photo_list_but_not_read_the_register(vault, school, clock):
    from db.errors import PermissionDenied
    from db.schema import Role
    from db.users import create_user

    with vault.session() as session:
        teacher = create_user(session, school["actor"], "juf", "wachtwoord-1", Role.LEERKRACHT,
                              group_name="5A", clock=clock)
        assert photo_lists(session, teacher, today=TODAY, group="5A")[0].pupils_in_group == 4
        with pytest.raises(PermissionDenied):
            form_pupils(session, teacher, today=TODAY)
        with pytest.raises(PermissionDenied):  # another group, or all of them
            photo_lists(session, teacher, today=TODAY, group="6B")
        with pytest.raises(PermissionDenied):
            photo_lists(session, teacher, today=TODAY)


def test_consent_overview_shows_the_history(vault, school, tmp_path):
    with vault.session() as session:
        pupil, lines = pupil_consent_overview(session, SYSTEM, school["ids"]["Bram"][0],
                                              today=TODAY)
    out = consent_overview_pdf(tmp_path / "overzicht.pdf", "OBS De Klimop", pupil, lines,
                               printed_on=TODAY)
    text = pdf_text(out)
    assert "Bram Kok" in text and "ingetrokken" in text and "01-03-2026" in text
    assert "Foto's en video's op sociale media van de school — ingetrokken" in text


def test_unknown_group_is_a_clear_message(vault, school):
    from db.errors import ValidationError

    with vault.session() as session, pytest.raises(ValidationError, match="Groep '9Z'"):
        form_pupils(session, SYSTEM, group="9Z", today=TODAY)
