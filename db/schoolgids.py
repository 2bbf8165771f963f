"""De privacyparagraaf voor de schoolgids, drawn from the register on the day of printing.

The wording ships in ``resources/texts/schoolgids.json`` as sections with fill-ins such as
``{leveranciers}`` or ``{fg_naam}``. The school may rewrite any section; its own text is stored
in the register (table school_guide_section) and used instead of the template from then on, also
after an upgrade that ships new template wording. The fill-ins are filled from the register
when the paragraph is made: the suppliers with a current processing agreement, the consent
purposes in use, the request term of db.requests, the retention terms, the school's contacts.
A supplier whose agreement has expired (or that has none) is left out and reported; a contact
setting that is missing is named in the text itself, so nobody prints a hole unnoticed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.audit import audit
from db.clock import Clock, system_clock
from db.consents import year_rhythm
from db.errors import NotFoundError, ValidationError
from db.permissions import Actor, Permission, require
from db.processing import supplier_label, term_line
from db.purposes import current_texts
from db.requests import answer_term_words
from db.schema import RetentionRule, SchoolGuideSection
from db.school import CONTACT_LABELS, get_school, school_contact
from db.suppliers import supplier_rows

# fill-in → what it becomes (shown to the school beside the editor)
FILL_INS: dict[str, str] = {
    "school": "de naam van de school",
    "bevoegd_gezag": "het bestuur (bevoegd gezag), uit de schoolgegevens",
    "leveranciers": "de lijst van leveranciers met een geldige verwerkersovereenkomst",
    "toestemmingsdoelen": "de lijst van doelen waarvoor de school toestemming vraagt",
    "toestemming_geldig": "of de school elk schooljaar opnieuw om toestemming vraagt",
    "keuze_wijzigen": "hoe ouders een keuze wijzigen (ouderapp, e-mailadres)",
    "verzoek_termijn": "de termijn voor het beantwoorden van een verzoek (één maand)",
    "verlenging": "de langste verlenging van die termijn (twee maanden)",
    "bewaartermijnen": "de lijst van bewaartermijnen",
    "privacy_email": "het e-mailadres voor vragen over privacy",
    "fg_naam": "de naam van de functionaris gegevensbescherming",
    "fg_email": "het e-mailadres van de functionaris gegevensbescherming",
    "melding_adres": "het adres voor het melden van kwetsbaarheden",
}
LISTS = ("leveranciers", "toestemmingsdoelen", "bewaartermijnen")
_FILL_IN = re.compile(r"\{(\w+)\}")
MISSING_MARK = re.compile(r"\[nog in te vullen: [^\]]+\]")
CURRENT_AGREEMENT = ("geldig", "verloopt binnenkort")
EMPTY_LISTS = {"leveranciers": "leveranciers met een geldige verwerkersovereenkomst",
               "toestemmingsdoelen": "de doelen waarvoor de school toestemming vraagt",
               "bewaartermijnen": "de bewaartermijnen"}


@dataclass(frozen=True)
class TemplateSection:
    key: str
    title: str
    text: str


@cache
def _template() -> dict:
    return json.loads((files("resources") / "texts" / "schoolgids.json").read_text("utf-8"))


def template_sections() -> list[TemplateSection]:
    """The shipped default sections, in their order; each fill-in must be known."""
    sections = [TemplateSection(s["key"], s["title"], s["text"])
                for s in _template()["sections"]]
    for section in sections:
        unknown = set(_FILL_IN.findall(section.text)) - set(FILL_INS)
        if unknown:
            raise ValueError(f"schoolgids.json, '{section.key}': onbekende invulplek(ken) "
                             f"{sorted(unknown)}")
    return sections


def guide_title() -> str:
    return _template()["title"]


# --- the parts drawn from the register ------------------------------------------------------

@dataclass(frozen=True)
class Block:
    """A paragraph (`items` empty) or a bulleted list (`text` empty)."""

    text: str = ""
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class GuideSection:
    key: str
    title: str
    text: str            # the wording with fill-ins: the school's own or the template's
    edited: bool         # the school's own wording
    default_title: str
    default_text: str
    blocks: tuple[Block, ...]  # the wording filled from the register on the day asked


@dataclass(frozen=True)
class LeftOut:
    """A supplier left out of the paragraph, and why."""

    supplier: str
    reason: str


@dataclass(frozen=True)
class SchoolGuide:
    school_name: str
    title: str
    made_on: date
    sections: tuple[GuideSection, ...]
    left_out: tuple[LeftOut, ...]
    missing: tuple[str, ...]  # Dutch labels of settings or lists still to fill in


def _missing(label: str) -> str:
    return f"[nog in te vullen: {label}]"


def _lower_first(text: str, keep: str = "") -> str:
    """'E-mail, samenwerken' → 'e-mail, samenwerken' after a colon; a name, an abbreviation
    or a word of `keep` (the supplier's name and product) keeps its capital."""
    text = text.strip().rstrip(".")
    first, _, rest = text.partition(" ")
    if first.casefold() in keep.casefold().split() or not first[:1].isupper():
        return text
    if first == "Eén":
        return "één" + (" " + rest if rest else "")
    if any(char.isupper() for char in first[1:]):
        return text
    return first[0].lower() + first[1:] + (" " + rest if rest else "")


class _Values:
    """Every fill-in's value on one day, read from the register once."""

    def __init__(self, session: Session, actor: Actor, today: date) -> None:
        school = get_school(session)
        contact = school_contact(session, actor)
        self.missing: list[str] = []
        self.left_out: list[LeftOut] = []
        suppliers = []
        for row in supplier_rows(session, actor):
            state = row.agreement_state(today)
            if state in CURRENT_AGREEMENT:
                what = _lower_first(row.purpose, f"{row.name} {row.product}")
                suppliers.append(f"{supplier_label(row)}: {what}" if what
                                 else supplier_label(row))
            elif state == "verlopen":
                self.left_out.append(LeftOut(supplier_label(row), "de verwerkersovereenkomst "
                                             f"is verlopen op {row.ends_on:%d-%m-%Y}"))
            else:
                self.left_out.append(LeftOut(supplier_label(row),
                                             "er is geen verwerkersovereenkomst vastgelegd"))
        purposes = [text.title for _purpose, text in current_texts(session)]
        terms = [term_line(label, years) for label, years in session.execute(
            select(RetentionRule.label, RetentionRule.years_after_leaving)
            .order_by(RetentionRule.years_after_leaving, RetentionRule.label))]
        answer, longest = answer_term_words()
        yearly = year_rhythm(session, today).ask_each_year
        self.lists = {"leveranciers": suppliers, "toestemmingsdoelen": purposes,
                      "bewaartermijnen": terms}
        self.words = {
            "school": school.name if school else "",
            "verzoek_termijn": answer, "verlenging": longest,
            "toestemming_geldig": ("Wij vragen uw toestemming elk schooljaar opnieuw."
                                   if yearly else "Uw keuze geldt tot u die wijzigt."),
        }
        self.contact = contact

    def word(self, name: str) -> str:
        contact = self.contact
        direct = {"bevoegd_gezag": "controller", "privacy_email": "privacy_email",
                  "fg_naam": "fg_name", "fg_email": "fg_email",
                  "melding_adres": "disclosure_address"}
        if name in direct:
            return self._contact(direct[name])
        if name == "keuze_wijzigen":
            email = self._contact("privacy_email")
            if contact.parent_app:
                return (f"U kunt uw keuze altijd wijzigen of intrekken: in {contact.parent_app}, "
                        f"met een e-mail aan {email} of bij de administratie.")
            return (f"U kunt uw keuze altijd wijzigen of intrekken: met een e-mail aan {email} "
                    "of bij de administratie.")
        if name in self.lists:
            return "; ".join(self.lists[name]) or "geen"
        return self.words[name]

    def empty_list(self, name: str) -> str:
        label = EMPTY_LISTS[name]
        if label not in self.missing:
            self.missing.append(label)
        return _missing(label)

    def _contact(self, name: str) -> str:
        value = getattr(self.contact, name)
        if value:
            return value
        label = CONTACT_LABELS[name]
        if label not in self.missing:
            self.missing.append(label)
        return _missing(label)


def _fill(text: str, values: _Values) -> tuple[Block, ...]:
    blocks = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        paragraph = " ".join(paragraph.split())
        if not paragraph:
            continue
        whole = _FILL_IN.fullmatch(paragraph)
        if whole and whole.group(1) in LISTS:
            items = values.lists[whole.group(1)]
            blocks.append(Block(items=tuple(items)) if items
                          else Block(text=values.empty_list(whole.group(1))))
            continue
        blocks.append(Block(text=_FILL_IN.sub(
            lambda m: values.word(m.group(1)) if m.group(1) in FILL_INS else m.group(0),
            paragraph)))
    return tuple(blocks)


def _stored(session: Session) -> dict[str, SchoolGuideSection]:
    return {row.key: row for row in session.scalars(select(SchoolGuideSection))}


def schoolgids_sections(session: Session, actor: Actor, today: date) -> list[GuideSection]:
    """Each section: its wording (the school's own or the template), and that wording filled
    from the register as it is on `today`."""
    return list(schoolgids(session, actor, today).sections)


def schoolgids(session: Session, actor: Actor, today: date) -> SchoolGuide:
    """The whole paragraph as it would be printed on `today`, with what was left out and
    which contact settings are still missing."""
    require(actor, Permission.READ_REGISTER)
    values = _Values(session, actor, today)
    stored = _stored(session)
    sections = []
    for default in template_sections():
        own = stored.get(default.key)
        title, text = (own.title, own.text) if own is not None else (default.title,
                                                                      default.text)
        sections.append(GuideSection(default.key, title, text, own is not None, default.title,
                                     default.text, _fill(text, values)))
    school = get_school(session)
    return SchoolGuide(school.name if school else "", guide_title(), today, tuple(sections),
                       tuple(values.left_out), tuple(values.missing))


def _section_default(key: str) -> TemplateSection:
    for section in template_sections():
        if section.key == key:
            return section
    raise NotFoundError("Dit onderdeel van de schoolgidstekst bestaat niet.")


def save_section_text(session: Session, actor: Actor, key: str, *, title: str, text: str,
                      clock: Clock = system_clock) -> bool:
    """Store the school's own wording of a section. Wording equal to the template is not
    stored (the section follows the template again). Returns whether own wording is stored."""
    require(actor, Permission.SETTINGS)
    default = _section_default(key)
    title, text = title.strip(), text.strip()
    if not title:
        raise ValidationError("Geef dit onderdeel een kop.", field="title")
    if not text:
        raise ValidationError("De tekst is leeg. Wilt u de standaardtekst terug? Kies dan "
                              "'Standaardtekst terugzetten'.", field="text")
    unknown = sorted(set(_FILL_IN.findall(text)) - set(FILL_INS))
    if unknown:
        known = ", ".join("{" + name + "}" for name in FILL_INS)
        raise ValidationError(
            "Deze invulplek(ken) kent het programma niet: "
            + ", ".join("{" + name + "}" for name in unknown)
            + f". Gebruik alleen: {known}.", field="text")
    row = session.scalar(select(SchoolGuideSection).where(SchoolGuideSection.key == key))
    if (title, text) == (default.title, default.text.strip()):
        if row is not None:
            _remove(session, actor, row, clock)
        return False
    if row is None:
        row = SchoolGuideSection(key=key, title=title, text=text, updated_by=actor.id,
                                 updated_at=clock())
        session.add(row)
    elif (row.title, row.text) == (title, text):
        return True
    else:
        row.title, row.text, row.updated_by, row.updated_at = title, text, actor.id, clock()
    audit(session, actor, "schoolgids.save", row, clock=clock)
    return True


def reset_section_text(session: Session, actor: Actor, key: str, *,
                       clock: Clock = system_clock) -> None:
    """Drop the school's own wording of a section: the template's wording counts again."""
    require(actor, Permission.SETTINGS)
    _section_default(key)
    row = session.scalar(select(SchoolGuideSection).where(SchoolGuideSection.key == key))
    if row is not None:
        _remove(session, actor, row, clock)


def _remove(session: Session, actor: Actor, row: SchoolGuideSection, clock: Clock) -> None:
    record_id = row.id
    session.delete(row)
    session.flush()
    audit(session, actor, "schoolgids.reset", table_name="school_guide_section",
          record_id=record_id, clock=clock)

