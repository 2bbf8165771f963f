"""The school-guide paragraph's wording: the school's own sections survive, fill-ins are
checked, missing contact settings are named; and the school contact itself."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from db.audit import verify_chain
from db.clock import fixed_clock
from db.errors import PermissionDenied, ValidationError
from db.permissions import SYSTEM
from db.schema import Role, User
from db.school import SchoolContact, school_contact, set_school_contact
from db.schoolgids import (
    reset_section_text,
    save_section_text,
    schoolgids,
    schoolgids_sections,
    template_sections,
)
from db.users import create_user

CLOCK = fixed_clock(datetime(2026, 11, 24, 9, 30, tzinfo=UTC))
TODAY = date(2026, 11, 24)
CONTACT = SchoolContact(fg_name="A. de Vries", fg_email="fg@stichting.example",
                        privacy_email="privacy@school.example",
                        disclosure_address="security@school.example", parent_app="Parro",
                        controller="Stichting Klimop")


def _text(section) -> str:
    return " ".join(b.text or " ".join(b.items) for b in section.blocks)


def test_the_contact_is_set_once_and_audited(vault):
    with vault.session() as session:
        admin = session.scalar(select(User))
        set_school_contact(session, admin, CONTACT, clock=CLOCK)
        assert school_contact(session, admin) == CONTACT
        assert verify_chain(session).ok
        with pytest.raises(ValidationError, match="e-mailadres"):
            set_school_contact(session, admin, SchoolContact(privacy_email="geen adres"))
        fg = create_user(session, admin, "fg", "wachtwoord-123", Role.FG, clock=CLOCK)
        assert school_contact(session, fg).fg_name == "A. de Vries"
        with pytest.raises(PermissionDenied):
            set_school_contact(session, fg, CONTACT)


def test_a_missing_setting_is_named_in_the_text(vault):
    with vault.session() as session:
        guide = schoolgids(session, SYSTEM, TODAY)
    fg = next(s for s in guide.sections if s.key == "fg")
    assert "[nog in te vullen: de naam van de functionaris gegevensbescherming]" in _text(fg)
    assert "de naam van de functionaris gegevensbescherming" in guide.missing
    assert "het adres voor het melden van kwetsbaarheden" in guide.missing


def test_an_edited_section_is_used_instead_of_the_template_and_survives(vault):
    with vault.session() as session:
        admin = session.scalar(select(User))
        set_school_contact(session, admin, CONTACT, clock=CLOCK)
        assert save_section_text(session, admin, "fg", title="Onze FG",
                                 text="Vragen? Mail {fg_naam} via {fg_email}.\n\nOf bel ons.",
                                 clock=CLOCK)
    with vault.session() as session:  # a new session: stored, not remembered
        sections = {s.key: s for s in schoolgids_sections(session, SYSTEM, TODAY)}
        fg = sections["fg"]
        assert (fg.title, fg.edited) == ("Onze FG", True)
        assert [b.text for b in fg.blocks] == [
            "Vragen? Mail A. de Vries via fg@stichting.example.", "Of bel ons."]
        assert not sections["rechten"].edited
        assert verify_chain(session).ok
        reset_section_text(session, SYSTEM, "fg", clock=CLOCK)
        again = {s.key: s for s in schoolgids_sections(session, SYSTEM, TODAY)}["fg"]
        default = next(t for t in template_sections() if t.key == "fg")
        assert (again.title, again.text, again.edited) == (default.title, default.text, False)


def test_the_template_wording_is_not_stored_as_the_schools_own(vault):
    default = template_sections()[0]
    with vault.session() as session:
        assert not save_section_text(session, SYSTEM, default.key, title=default.title,
                                     text=default.text, clock=CLOCK)
        assert not schoolgids_sections(session, SYSTEM, TODAY)[0].edited


def test_an_unknown_fill_in_or_empty_text_is_refused(vault):
    with vault.session() as session:
        with pytest.raises(ValidationError, match=r"\{fg_telefoon\}"):
            save_section_text(session, SYSTEM, "fg", title="FG", text="Bel {fg_telefoon}.")
        with pytest.raises(ValidationError, match="Standaardtekst terugzetten"):
            save_section_text(session, SYSTEM, "fg", title="FG", text="  ")


def test_the_request_term_and_the_yearly_rhythm_come_from_the_rules(vault):
    from db.consents import set_year_rhythm

    with vault.session() as session:
        set_year_rhythm(session, SYSTEM, ask_each_year=True, closing_month_day=None)
        sections = {s.key: s for s in schoolgids(session, SYSTEM, TODAY).sections}
    assert "binnen één maand nadat wij het hebben ontvangen" in _text(sections["rechten"])
    assert "ten hoogste twee maanden" in _text(sections["rechten"])
    assert "elk schooljaar opnieuw" in _text(sections["toestemming"])


def test_a_register_without_suppliers_says_so_in_the_text(vault):
    with vault.session() as session:
        guide = schoolgids(session, SYSTEM, TODAY)
    suppliers = next(s for s in guide.sections if s.key == "leveranciers")
    assert ("[nog in te vullen: leveranciers met een geldige verwerkersovereenkomst]"
            in _text(suppliers))
    assert "leveranciers met een geldige verwerkersovereenkomst" in guide.missing
