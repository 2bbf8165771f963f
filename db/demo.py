"""A fake but realistic Dutch primary school, for demonstrations and load tests.

``privacyregister --demo`` opens (or first creates) a separate demo register; the CLI's
``demo --pupils N`` fills one with N pupils. Everything is generated from ``random.Random(seed)``
and the injected clock, so the same seed and clock give the same school. All names are
invented combinations; e-mail addresses use the reserved ``example`` domains.

Record timestamps simulate a register that has been in use for years (enrolments, consent
forms, breaches back to two years ago); the audit entries say when the generator wrote them
(``demo.create`` by the system, user id empty).

Pupils, guardians, links, consent events and special-category records are written with bulk
inserts (no ORM object per row) and audited with ``audit_many``; 20,000 pupils take seconds.
"""

from __future__ import annotations

import math
import os
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import NamedTuple

from argon2 import PasswordHasher
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from db import keystore
from db.audit import audit, audit_many, count_entries
from db.clock import SCHOOL_TZ, Clock, local_today, system_clock
from db.errors import Cancelled, MissingKeyError, WrongKeyError
from db.permissions import SYSTEM, Permission, may
from db.processing import link_suggested_suppliers
from db.purposes import list_purposes
from db.register import NewSchool, add_missing_defaults, create_register, set_up_register
from db.schema import (
    Breach,
    BreachAmendment,
    BreachMeasure,
    BreachStatus,
    Channel,
    ConsentEvent,
    ConsentPurpose,
    DataRequest,
    Decision,
    Exchange,
    ExchangePupil,
    Guardian,
    LegalBasis,
    Pupil,
    PupilGuardian,
    RequestKind,
    RetentionRule,
    Risk,
    Role,
    School,
    SpecialCategoryRecord,
    Supplier,
    User,
    VulnerabilityReport,
)
from db.school import get_school, put_setting, school_contact, set_school_contact
from db.users import create_user, user_count
from db.vault import PASSPHRASE_ENV, Vault, read_sidecar, remove_register_files, write_sidecar

DEMO_PASSPHRASE = "demo-privacyregister"  # only where no keyring exists; the data is fake
DEMO_SCHOOL_NAME = "OBS De Regenboog"
DEMO_BRIN = "12AB"
DEMO_TEACHER_GROUP = "5A"
CHUNK = 500  # pupils per bulk round (and per progress report)


class DemoUser(NamedTuple):
    username: str
    password: str
    role: Role
    display_name: str


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("beheer", "demo-beheer", Role.BEHEERDER, "Demo Beheerder"),
    DemoUser("administratie", "demo-admin", Role.ADMINISTRATIE, "Demo Administratie"),
    DemoUser("directie", "demo-directie", Role.DIRECTIE, "Demo Directeur"),
    DemoUser("leerkracht", "demo-leerkracht", Role.LEERKRACHT,
             f"Demo Leerkracht groep {DEMO_TEACHER_GROUP}"),
    DemoUser("fg", "demo-fg-avg", Role.FG, "Demo Functionaris Gegevensbescherming"),
)


Progress = Callable[[int, int], bool]


@dataclass
class DemoSummary:
    users_created: int = 0
    pupils: int = 0
    left_pupils: int = 0
    guardians: int = 0
    consent_events: int = 0
    special_records: int = 0
    breaches: int = 0
    requests: int = 0
    suppliers: int = 0
    exchanges: int = 0
    retention_rules: int = 0
    vulnerability_reports: int = 0
    audit_entries: int = 0


# --- name material ------------------------------------------------------------------------

class _Origin(NamedTuple):
    weight: int
    boys: tuple[str, ...]
    girls: tuple[str, ...]
    fathers: tuple[str, ...]
    mothers: tuple[str, ...]
    surnames: tuple[tuple[str, str], ...]  # (voorvoegsel, achternaam)


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(",") if name.strip())


def _surnames(text: str) -> tuple[tuple[str, str], ...]:
    """'van den|Berg, Jansen' -> (('van den', 'Berg'), ('', 'Jansen'))."""
    pairs = []
    for item in _names(text):
        prefix, _, name = item.rpartition("|")
        pairs.append((prefix, name))
    return tuple(pairs)


_ORIGINS: tuple[_Origin, ...] = (
    _Origin(
        68,
        _names("Daan, Sem, Bram, Mees, Luuk, Finn, Jesse, Noah, Lucas, Milan, Levi, Thomas, Tim,"
               " Ruben, Thijs, Siem, Gijs, Jurre, Tygo, Mats, Stijn, Olivier, Jayden, Dex, Boaz,"
               " Sven, Guus, Teun, Pepijn, Joep, Hugo, Otis, Vince, Jens, Noël, Julian, Liam,"
               " Max, Lars, Daniël, Ties, Morris, Adam, Sam"),
        _names("Emma, Julia, Mila, Tess, Sophie, Zoë, Sara, Nora, Yara, Noor, Eva, Anna, Lotte,"
               " Fleur, Lieke, Sanne, Daniëlle, Chloë, Anaïs, Loïs, Maud, Evi, Liv, Saar, Fenna,"
               " Esmée, Femke, Benthe, Lynn, Roos, Isa, Jasmijn, Floor, Madelief, Nina, Amélie,"
               " Olivia, Milou, Romée, Naomi, Hannah, Elin"),
        _names("Mark, Jeroen, Martijn, Dennis, Bas, Erik, Rob, Sander, Niels, Joost, Patrick,"
               " Vincent, Wouter, Arjen, Michiel, Tom, Koen, Remco, Bart, Roel, Stefan, Jasper,"
               " Ruud, Maarten"),
        _names("Linda, Sandra, Marieke, Esther, Anouk, Kim, Laura, Iris, Marloes, Femke, Sanne,"
               " Eline, Judith, Mirjam, Wendy, Petra, Saskia, Joyce, Chantal, Ilse, Lisanne,"
               " Manon, Renske, Inge"),
        _surnames("Jansen, de|Vries, van den|Berg, van|Dijk, Bakker, Janssen, Visser, Smit,"
                  " Meijer, de|Boer, Mulder, de|Groot, Bos, Vos, Peters, Hendriks, van|Leeuwen,"
                  " Dekker, Brouwer, de|Wit, Dijkman, Kramer, van der|Linden, Kok, Jacobs,"
                  " de|Haan, Vermeulen, van den|Broek, de|Bruijn, de|Graaf, van der|Heijden,"
                  " Schouten, van|Beek, Willems, van|Vliet, van de|Ven, Maas, Verhoeven, Koster,"
                  " van|Dam, van der|Wal, Prins, Blom, Huisman, de|Lange, Kuipers, van|Wijk,"
                  " Post, ter|Horst, 't|Hart, in 't|Veld, van 't|Zand, ten|Brink, Verbeek,"
                  " Smits, Timmermans, van der|Meer, de|Jong"),
    ),
    _Origin(
        5,
        _names("Hidde, Sjoerd, Wytse, Jelle, Douwe, Tjeerd, Sietse, Jorrit, Jelmer, Bauke,"
               " Fedde, Wessel"),
        _names("Jildou, Sietske, Tjitske, Wietske, Aukje, Sytske, Froukje, Jetske, Minke,"
               " Femke, Tessa, Ymke"),
        _names("Sjoerd, Jelmer, Pieter, Wiebe, Gerrit, Tjalling, Jan, Klaas, Durk, Hylke"),
        _names("Sietske, Anke, Wietske, Griet, Hinke, Tjitske, Marrit, Baukje, Janneke"),
        _surnames("Postma, Hoekstra, Dijkstra, Veenstra, Bosma, Terpstra, Wiersma, Zijlstra,"
                  " van der|Meulen, Jongsma, Sikkema, Kingma, de|Vries, Hofstra"),
    ),
    _Origin(
        10,
        _names("Mohammed, Ayoub, Adam, Ismaël, Rayan, Ilias, Bilal, Hamza, Amin, Yassin, Anas,"
               " Soufiane, Zakaria, Ibrahim, Youssef"),
        _names("Fatima, Aya, Imane, Salma, Nour, Amira, Hiba, Malak, Yasmina, Sara, Nora, Noor,"
               " Inaya, Lina, Maryam"),
        _names("Mohamed, Said, Karim, Rachid, Youssef, Mustapha, Abdelkader, Hassan, Khalid,"
               " Nordin"),
        _names("Samira, Khadija, Naima, Fatima, Malika, Hanan, Loubna, Siham, Nadia, Karima"),
        _surnames("El Amrani, Benali, Bouzid, El Idrissi, Ouali, Aït Taleb, Amrani, Bakkali,"
                  " El Haddaoui, Azzouzi, Tahiri, El Khattabi, Boukhari, Ziani"),
    ),
    _Origin(
        9,
        _names("Yusuf, Emir, Mert, Kerem, Eymen, Ömer, Ali, Mustafa, Efe, Kaan, Berat, Yiğit"),
        _names("Elif, Zeynep, Ecem, Defne, Meryem, Azra, Ela, Eylül, Büşra, Duru, Nehir, Asya"),
        _names("Mehmet, Mustafa, Ahmet, Hasan, Hüseyin, Murat, Emre, Serkan, Osman, Cem"),
        _names("Ayşe, Fatma, Hatice, Büşra, Esra, Merve, Emine, Gülşen, Sevda, Derya"),
        _surnames("Yılmaz, Demir, Çelik, Doğan, Aydın, Öztürk, Kaya, Şahin, Arslan, Koç,"
                  " Kılıç, Yıldız"),
    ),
    _Origin(
        8,
        _names("Kacper, Jakub, Dawid, Oliwer, Arjun, Dev, Rishi, Yonas, Omar, Karim, Minh,"
               " Gabriel, Mateo"),
        _names("Zuzanna, Maja, Lena, Priya, Anjali, Selam, Rania, Leila, Mai, Jade, Gabriela,"
               " Mariana"),
        _names("Piotr, Tomasz, Rajesh, Ravi, Dawit, Samer, Tuan, João, Ahmed, Carlos"),
        _names("Agnieszka, Katarzyna, Sunita, Rekha, Helen, Mariam, Linh, Ana, Rana, Sofia"),
        _surnames("Nowak, Kowalczyk, Sardjoe, Ramdin, Doelwijt, Tesfay, Haddad, Al-Masri,"
                  " Nguyen, Tran, Santos, Pereira, Mohamud"),
    ),
)

# roepnaam -> official first name (voornaam) where they usually differ
_FORMAL = {
    "Bram": "Abraham", "Daan": "Daniël", "Thijs": "Matthijs", "Guus": "Gustaaf",
    "Joep": "Johannes", "Teun": "Antonius", "Mees": "Bartholomeus", "Siem": "Simon",
    "Luuk": "Lucas", "Gijs": "Gijsbert", "Jurre": "Jurriaan", "Lotte": "Charlotte",
    "Maud": "Mathilde", "Sanne": "Susanna", "Saar": "Sarah", "Isa": "Isabella",
    "Roos": "Rosalie", "Floor": "Florentine", "Max": "Maximiliaan", "Sam": "Samuel",
}
_MIDDLE_BOYS = _names("Johannes, Pieter, Jan, Willem, Hendrik, Cornelis, Jacobus, Antonius,"
                      " Gerardus, Maria")
_MIDDLE_GIRLS = _names("Maria, Johanna, Elisabeth, Catharina, Anna, Wilhelmina, Cornelia,"
                       " Sophia, Hendrika")

_MEDICAL = (
    "Dyslexieverklaring aanwezig; extra tijd bij toetsen en voorleessoftware.",
    "Dyscalculie (onderzoek afgerond); gebruikt een rekenkaart.",
    "ADHD; medicatie wordt thuis gegeven. Vaste plek in de klas, korte instructies.",
    "Notenallergie (ernstig). EpiPen in de klas en bij de administratie.",
    "Koemelkallergie; traktaties via ouders afstemmen.",
    "Diabetes type 1; insulinepomp, mag altijd eten en drinken in de klas.",
    "Epilepsie; noodmedicatie en protocol in de map van de groep.",
    "Astma; puffer mee bij gym en schoolreis.",
    "Autismespectrumstoornis (ASS); prikkelarme werkplek, vooraf aankondigen van wijzigingen.",
    "Slechthorend; draagt een hoortoestel, solo-apparatuur in de klas.",
)
_RELIGION = (
    "Geloofsovertuiging: islamitisch (vrijwillig opgegeven bij inschrijving).",
    "Geloofsovertuiging: rooms-katholiek (vrijwillig opgegeven bij inschrijving).",
    "Geloofsovertuiging: protestants-christelijk (vrijwillig opgegeven bij inschrijving).",
)

# chance that a family that was asked gives consent, per purpose code (others: 0.8)
_CONSENT_RATE = {
    "foto_website": 0.78, "foto_nieuwsbrief_schoolgids": 0.86, "foto_sociale_media": 0.62,
    "foto_ouderapp": 0.93, "schoolfotograaf": 0.95, "voornaam_bij_foto": 0.72,
    "klassenlijst_contact": 0.83, "uitwisseling_ggd_jgz": 0.88,
}
_CHANNELS = ((Channel.PAPER, 45), (Channel.PARRO, 33), (Channel.EMAIL, 12),
             (Channel.IN_PERSON, 6), (Channel.SOCIAL_SCHOOLS, 4))
_EMAIL_DOMAINS = ("example.com", "example.net", "example.org")


# --- small helpers ------------------------------------------------------------------------

def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _school_year_start(day: date) -> int:
    """The calendar year in which the school year containing `day` began (August)."""
    return day.year if day.month >= 8 else day.year - 1


def _random_day(rng: random.Random, first: date, last: date) -> date:
    if last <= first:
        return first
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _school_day(day: date) -> date:
    """The same day, or the Monday after it when it falls in a weekend."""
    weekday = day.weekday()
    return day + timedelta(days=7 - weekday) if weekday >= 5 else day


def _at(day: date, rng: random.Random, now: datetime) -> datetime:
    """An office-hours moment on `day` (school time), as UTC, never after `now`."""
    local = datetime.combine(day, time(8 + rng.randint(0, 7), rng.randint(0, 59)),
                             tzinfo=SCHOOL_TZ)
    return min(local.astimezone(UTC), now)


def _group_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: enough letters for a load test's 90 groups per year."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _ascii(text: str) -> str:
    text = text.replace("ı", "i").replace("İ", "I")
    return "".join(ch for ch in unicodedata.normalize("NFKD", text)
                   if ch.isascii() and ch.isalnum()).lower()


def _birth_range(year_group: int, school_year: int) -> tuple[date, date]:
    """Born 1 October .. 30 September: the usual cut-off for a jaargroep in that school year."""
    return (date(school_year - year_group - 4, 10, 1),
            date(school_year - year_group - 3, 9, 30))


def _pick_weighted(rng: random.Random, options):  # noqa: ANN001, ANN202
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights=weights)[0]


# --- the pupil plan -----------------------------------------------------------------------

class _Slot(NamedTuple):
    """One pupil to generate: where they are now (or were when they left)."""

    year_group: int
    group_name: str
    left_on: date | None
    left_reason: str


def _plan_slots(rng: random.Random, pupils: int, today: date) -> list[_Slot]:
    school_year = _school_year_start(today)
    leavers = round(pupils * 0.05)
    active = pupils - leavers
    slots: list[_Slot] = []
    for year_group in range(1, 9):
        count = active // 8 + (1 if year_group <= active % 8 else 0)
        groups = max(1, math.ceil(count / 28))
        for i in range(count):
            slots.append(_Slot(year_group, f"{year_group}{_group_letters(i % groups)}",
                               None, ""))
    for _ in range(leavers):
        if rng.random() < 0.6:  # groep 8, on to secondary school at the end of a school year
            left = _school_day(date(school_year - rng.randint(0, 4), 7, rng.randint(4, 15)))
            slots.append(_Slot(8, "", left, "Uitgeschreven: naar het voortgezet onderwijs."))
        else:  # moved house, at any moment
            left = _school_day(_random_day(rng, _add_years(today, -4), today - timedelta(3)))
            slots.append(_Slot(rng.randint(1, 8), "", min(left, today),
                               "Uitgeschreven: verhuisd."))
    rng.shuffle(slots)
    return slots


def _plan_families(rng: random.Random, slots: list[_Slot]) -> list[list[_Slot]]:
    families: list[list[_Slot]] = []
    i = 0
    while i < len(slots):
        size = _pick_weighted(rng, ((1, 50), (2, 38), (3, 10), (4, 2)))
        families.append(slots[i:i + size])
        i += size
    return families


# --- users and school ---------------------------------------------------------------------

def _ensure_school_and_users(session: Session, clock: Clock) -> int:
    """A fresh register gets the demo school; every register gets the missing demo users."""
    created = 0
    if get_school(session) is None and user_count(session) == 0:
        set_up_register(session, demo_school(), clock=clock)
        created += 1
    elif get_school(session) is None:
        school = School(name=DEMO_SCHOOL_NAME, brin=DEMO_BRIN, created_at=clock())
        session.add(school)
        audit(session, SYSTEM, "demo.create", school, clock=clock)
    school = get_school(session)
    if school.name == DEMO_SCHOOL_NAME and not school.fg_name:
        school.fg_name = "mr. J. (Josien) van Ommen, FG Stichting Openbaar Onderwijs Regenboog"
        school.fg_email = "fg@opo-regenboog.example"
        audit(session, SYSTEM, "demo.create", school, clock=clock)
    contact = school_contact(session, SYSTEM)
    if school.name == DEMO_SCHOOL_NAME and not contact.privacy_email:
        set_school_contact(session, SYSTEM, replace(
            contact, privacy_email="privacy@obs-regenboog.example",
            disclosure_address="https://www.obs-regenboog.example/kwetsbaarheid-melden",
            parent_app="Parro", controller="Stichting Openbaar Onderwijs Regenboog"),
            clock=clock)
    existing = set(session.scalars(select(User.username)))
    manager = next((user for user in session.scalars(select(User).order_by(User.id))
                    if may(user, Permission.MANAGE_USERS)), None)
    for demo in DEMO_USERS:
        if demo.username in existing:
            continue
        group = DEMO_TEACHER_GROUP if demo.role == Role.LEERKRACHT else None
        if manager is not None:
            create_user(session, manager, demo.username, demo.password, demo.role,
                        display_name=demo.display_name, group_name=group, clock=clock)
        else:  # a register whose only users may not manage users: the system adds them
            user = User(username=demo.username, display_name=demo.display_name,
                        role=demo.role, password_hash=PasswordHasher().hash(demo.password),
                        active=True, group_name=group, created_at=clock())
            session.add(user)
            audit(session, SYSTEM, "demo.create", user, clock=clock)
        created += 1
    return created


def _user_id(session: Session, username: str, role: Role) -> int | None:
    """The demo user's id, or else any active user with that role."""
    found = session.scalar(select(User.id).where(User.username == username))
    if found is None:
        found = session.scalar(select(User.id).where(User.role == role, User.active)
                               .order_by(User.id).limit(1))
    return found


# --- the bulk part ------------------------------------------------------------------------

class _Generator:
    def __init__(self, session: Session, rng: random.Random, clock: Clock,
                 purposes: list[ConsentPurpose], office_id: int | None,
                 director_id: int | None) -> None:
        self.session = session
        self.rng = rng
        self.clock = clock
        self.now = clock()
        self.today = local_today(clock)
        self.purposes = purposes
        self.office_id = office_id
        self.director_id = director_id
        self.summary = DemoSummary()

    # one family: names, guardians, pupils
    def family(self, slots: list[_Slot], source_keys: list[str]) -> tuple[list, list, list]:
        rng = self.rng
        origin = rng.choices(_ORIGINS, weights=[o.weight for o in _ORIGINS])[0]
        prefix, last_name = rng.choice(origin.surnames)
        pupils = []
        dobs: list[date] = []
        used: set[str] = set()
        for slot in slots:
            dob = self._date_of_birth(slot, dobs)
            dobs.append(dob)
            girl = rng.random() < 0.5
            first = rng.choice(origin.girls if girl else origin.boys)
            while first in used:
                first = rng.choice(origin.girls if girl else origin.boys)
            used.add(first)
            pupils.append(self._pupil(slot, dob, first, girl, origin, prefix, last_name,
                                      source_keys.pop()))
        guardians = self._guardians(origin, prefix, last_name, min(p["created_at"]
                                                                   for p in pupils))
        return pupils, guardians, dobs

    def _date_of_birth(self, slot: _Slot, siblings: list[date]) -> date:
        rng = self.rng
        reference = slot.left_on or self.today
        first, last = _birth_range(slot.year_group, _school_year_start(reference))
        last = min(last, _add_years(reference, -4))  # a pupil is at least four
        dob = _random_day(rng, first, last)
        for _ in range(6):  # siblings: twins, or born at least ten months apart
            if all(dob == other or abs((dob - other).days) >= 300 for other in siblings):
                break
            dob = _random_day(rng, first, last)
        return dob

    def _pupil(self, slot: _Slot, dob: date, first: str, girl: bool, origin: _Origin,
               prefix: str, last_name: str, source_key: str) -> dict:
        rng = self.rng
        end = slot.left_on or self.today
        enrolled = min(_school_day(_add_years(dob, 4)), end)
        if rng.random() < 0.12:  # zij-instromer: came from another school later
            enrolled = _school_day(_random_day(rng, enrolled, end - timedelta(days=20)))
            enrolled = min(enrolled, end)
        signed_up = enrolled - timedelta(days=rng.randint(14, 120))  # inschrijving
        official = _FORMAL.get(first, first) if origin is _ORIGINS[0] else first
        middle = _MIDDLE_GIRLS if girl else _MIDDLE_BOYS
        if origin is _ORIGINS[0] and rng.random() < 0.55:
            given = f"{official} {rng.choice(middle)}"
        elif rng.random() < 0.25:
            second = rng.choice(origin.girls if girl else origin.boys)
            given = official if second == first else f"{official} {second}"
        else:
            given = official
        return {
            "source_key": source_key, "first_name": first, "given_names": given,
            "prefix": prefix, "last_name": last_name, "date_of_birth": dob,
            "year_group": slot.year_group, "group_name": slot.group_name,
            "enrolled_on": enrolled, "left_on": slot.left_on, "notes": slot.left_reason,
            "created_at": _at(signed_up, rng, self.now),
        }

    def _guardians(self, origin: _Origin, prefix: str, last_name: str,
                   created_at: datetime) -> list[tuple[dict, str, bool]]:
        """(guardian row, relation, has_authority) for one family."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.72:
            kinds = [("moeder", True), ("vader", rng.random() > 0.03)]
        elif roll < 0.74:
            kinds = [("moeder", True), ("moeder", True)]
        elif roll < 0.94:
            kinds = [("moeder", True)] if rng.random() < 0.8 else [("vader", True)]
        else:
            kinds = [("verzorger", rng.random() < 0.6)]
            if rng.random() < 0.5:
                kinds.append(("verzorger", kinds[0][1]))
        secret = rng.random() < 0.01
        result = []
        for number, (relation, authority) in enumerate(kinds):
            if relation == "vader" or (relation == "verzorger" and number == 1):
                first = rng.choice(origin.fathers)
                g_prefix, g_last = prefix, last_name
            elif relation == "verzorger":
                source = _ORIGINS[0] if rng.random() < 0.7 else origin
                first = rng.choice(source.mothers)
                g_prefix, g_last = rng.choice(source.surnames)
            else:
                first = rng.choice(origin.mothers)
                if number == 0 and len(kinds) > 1 and rng.random() < 0.3:
                    g_prefix, g_last = prefix, last_name  # uses the partner's name
                elif number == 0 and len(kinds) == 1 and rng.random() < 0.5:
                    g_prefix, g_last = prefix, last_name
                else:
                    g_prefix, g_last = rng.choice(origin.surnames)
            local = f"{_ascii(first)}.{_ascii(g_prefix + g_last)}"
            email = "" if rng.random() < 0.06 else f"{local}@{rng.choice(_EMAIL_DOMAINS)}"
            result.append(({
                "first_name": first, "prefix": g_prefix, "last_name": g_last,
                "phone": f"06-{rng.randint(10_000_000, 69_999_999)}", "email": email,
                "address_secret": secret and number == 0, "created_at": created_at,
            }, relation, authority))
        return result

    # consents and special categories for one inserted pupil
    def consents(self, pupil_id: int, pupil: dict, deciders: list[int],
                 cautious: bool) -> list[dict]:
        """Only a guardian with gezag decides (db.consents ignores the others); a foster child
        without one has no decisions yet, like a pupil whose form never came back."""
        rng = self.rng
        if rng.random() < 0.06 or not self.purposes or not deciders:
            return []
        end = pupil["left_on"] or self.today
        signed_up = pupil["created_at"].astimezone(SCHOOL_TZ).date()
        decided = min(signed_up + timedelta(days=rng.randint(0, 21)), end)
        guardian = rng.choice(deciders)
        channel = _pick_weighted(rng, _CHANNELS)
        recorder = self.office_id if rng.random() < 0.88 else self.director_id
        recorded_at = _at(min(decided + timedelta(days=rng.randint(0, 3)), self.today),
                          rng, self.now)
        events = []
        for purpose in self.purposes:
            rate = _CONSENT_RATE.get(purpose.code, 0.8)
            if cautious and purpose.is_image:
                rate = 0.1
            given = rng.random() < rate
            events.append(self._event(pupil_id, purpose, Decision.GIVEN if given else
                                      Decision.REFUSED, decided, guardian, channel, "",
                                      recorder, recorded_at))
            change = rng.random()
            if (end - decided).days > 30 and change < 0.035:
                later = _random_day(rng, decided + timedelta(days=14), end)
                note = ("Ingetrokken per e-mail." if given
                        else "Alsnog toestemming gegeven via de ouderapp.")
                events.append(self._event(
                    pupil_id, purpose, Decision.WITHDRAWN if given else Decision.GIVEN, later,
                    guardian, Channel.EMAIL if given else Channel.PARRO, note,
                    self.office_id, _at(later, rng, self.now)))
        return events

    @staticmethod
    def _event(pupil_id: int, purpose: ConsentPurpose, decision: Decision, decided: date,
               guardian: int, channel: Channel, note: str, recorder: int | None,
               recorded_at: datetime) -> dict:
        return {
            "pupil_id": pupil_id, "purpose_id": purpose.id, "purpose_version": purpose.version,
            "decision": str(decision), "decided_on": decided, "guardian_id": guardian,
            "by_pupil": False, "channel": str(channel), "note": note,
            "recorded_by": recorder, "recorded_at": recorded_at,
        }

    def special(self, pupil_id: int, pupil: dict) -> list[dict]:
        rng = self.rng
        rows = []
        enrolled = pupil["enrolled_on"]
        if rng.random() < 0.05:
            rows.append({"pupil_id": pupil_id, "category": "medical",
                         "description": rng.choice(_MEDICAL),
                         "recorded_at": _at(_random_day(rng, enrolled, pupil["left_on"]
                                                        or self.today), rng, self.now),
                         "recorded_by": self.office_id})
        if rng.random() < 0.008:
            rows.append({"pupil_id": pupil_id, "category": "religion",
                         "description": rng.choice(_RELIGION),
                         "recorded_at": _at(enrolled, rng, self.now),
                         "recorded_by": self.office_id})
        return rows

    # write one chunk of families
    def write(self, families: list[list[_Slot]], source_keys: list[str]) -> None:
        session, rng, clock = self.session, self.rng, self.clock
        pupil_rows: list[dict] = []
        guardian_rows: list[dict] = []
        plan = []  # per family: pupil indexes, (guardian index, relation, authority)
        for slots in families:
            pupils, guardians, _ = self.family(slots, source_keys)
            first_pupil, first_guardian = len(pupil_rows), len(guardian_rows)
            pupil_rows.extend(pupils)
            guardian_rows.extend(row for row, _, _ in guardians)
            plan.append((range(first_pupil, len(pupil_rows)),
                         [(first_guardian + i, rel, auth)
                          for i, (_, rel, auth) in enumerate(guardians)],
                         rng.random() < 0.06))
        conn = session.connection()
        pupil_ids = conn.execute(
            insert(Pupil.__table__).returning(Pupil.id, sort_by_parameter_order=True),
            pupil_rows).scalars().all()
        guardian_ids = conn.execute(
            insert(Guardian.__table__).returning(Guardian.id, sort_by_parameter_order=True),
            guardian_rows).scalars().all()
        links, events, specials = [], [], []
        for pupil_range, guardians, cautious in plan:
            deciders = [guardian_ids[i] for i, _, auth in guardians if auth]
            for p in pupil_range:
                for g, relation, authority in guardians:
                    links.append({"pupil_id": pupil_ids[p], "guardian_id": guardian_ids[g],
                                  "relation": relation, "has_authority": authority})
                events.extend(self.consents(pupil_ids[p], pupil_rows[p], deciders, cautious))
                specials.extend(self.special(pupil_ids[p], pupil_rows[p]))
        conn.execute(insert(PupilGuardian.__table__), links)
        event_ids = conn.execute(insert(ConsentEvent.__table__).returning(ConsentEvent.id),
                                 events).scalars().all() if events else []
        special_ids = conn.execute(
            insert(SpecialCategoryRecord.__table__).returning(SpecialCategoryRecord.id),
            specials).scalars().all() if specials else []
        audit_many(session, SYSTEM, "demo.create", "pupil", pupil_ids, clock=clock)
        audit_many(session, SYSTEM, "demo.create", "guardian", guardian_ids, clock=clock)
        audit_many(session, SYSTEM, "demo.create", "pupil_guardian",
                   [f"{link['pupil_id']}/{link['guardian_id']}" for link in links], clock=clock)
        audit_many(session, SYSTEM, "demo.create", "consent_event", event_ids, clock=clock)
        audit_many(session, SYSTEM, "demo.create", "special_category_record", special_ids,
                   clock=clock)
        s = self.summary
        s.pupils += len(pupil_rows)
        s.left_pupils += sum(1 for row in pupil_rows if row["left_on"] is not None)
        s.guardians += len(guardian_rows)
        s.consent_events += len(event_ids)
        s.special_records += len(special_ids)


# --- the scripted part: breaches, requests, suppliers, exchanges, retention ------------------

def _add(session: Session, record, clock: Clock):  # noqa: ANN001, ANN202
    session.add(record)
    session.flush()
    audit(session, SYSTEM, "demo.create", record, clock=clock)
    return record


def _next_breach_number(session: Session, year: int) -> int:
    count = session.scalar(select(func.count()).select_from(Breach)
                           .where(Breach.reference.like(f"DL-{year}-%"))) or 0
    return count + 1


def _office_now(clock: Clock) -> datetime:
    """10:00 today at the school (or now, when that is earlier): keeps the story in office hours."""
    morning = datetime.combine(local_today(clock), time(10, 0), tzinfo=SCHOOL_TZ)
    return min(morning.astimezone(UTC), clock())


def _breaches(session: Session, clock: Clock, office_id: int | None,
              director_id: int | None, group_sizes: dict[str, int]) -> int:
    now = _office_now(clock)
    hours = lambda n: timedelta(hours=n)  # noqa: E731
    days = lambda n: timedelta(days=n)  # noqa: E731
    size = lambda name, default: group_sizes.get(name, default)  # noqa: E731

    def breach(discovered: datetime, **fields) -> Breach:  # noqa: ANN003
        year = discovered.astimezone(SCHOOL_TZ).year
        reference = f"DL-{year}-{_next_breach_number(session, year):03d}"
        record = Breach(reference=reference, discovered_at=discovered, created_by=office_id,
                        created_at=discovered + hours(1), **fields)
        return _add(session, record, clock)

    def measure(record: Breach, kind: str, text: str, owner: str, due: date,
                done: date | None) -> None:
        _add(session, BreachMeasure(breach_id=record.id, kind=kind, description=text,
                                    owner=owner, due_on=due, done_on=done), clock)

    # 1. class list e-mailed to the wrong group: documented, not notified (art. 33(5))
    t = now - days(640)
    b = breach(
        t, status=BreachStatus.CLOSED, started_at=t - hours(3), ended_at=t - hours(3),
        description="De klassenlijst van groep 4B (namen van leerlingen met telefoonnummers en "
                    "e-mailadressen van ouders) is per vergissing naar de ouders van groep 4A "
                    "gestuurd.",
        nature="read,sent", data_categories="name,contact",
        affected_groups="pupils,parents", affected_min=size("4B", 27),
        affected_max=size("4B", 27) * 2, cause="Verkeerde verzendlijst gekozen in de e-mail.",
        consequences="Ouders van een andere groep konden contactgegevens zien.",
        reported_by="Leerkracht groep 4B", risk=Risk.NONE,
        risk_reasons="Alleen namen en contactgegevens; ontvangers zijn ouders van dezelfde "
                     "school; de e-mail is op ons verzoek verwijderd.",
        notify_ap=False,
        notify_reason="Niet gemeld: een risico voor de betrokkenen is onwaarschijnlijk. Geen "
                      "gevoelige gegevens, kleine kring van ontvangers, e-mail verwijderd.",
        subjects_informed=True, informed_at=t + days(1),
        informed_how="Bericht in de ouderapp aan de ouders van groep 4B.",
        signed_off_by=director_id, signed_off_at=t + days(6))
    measure(b, "corrective", "Ontvangers gevraagd de e-mail te verwijderen.", "Directie",
            (t + days(1)).date(), (t + days(1)).date())
    measure(b, "preventive", "Klassenlijsten alleen nog via de ouderapp delen.", "Directie",
            (t + days(30)).date(), (t + days(21)).date())

    # 2. lost USB stick, special categories, notified late (after 72 hours)
    t = now - days(450)
    b = breach(
        t, status=BreachStatus.CLOSED, started_at=t - days(2), ongoing=False,
        ended_at=t + days(9),
        description="Een leerkracht heeft een onversleutelde USB-stick verloren met "
                    "groepsoverzichten en handelingsplannen van groep 6B.",
        nature="read,lost", data_categories="name,dob,results,special",
        special_categories=True, affected_groups="pupils", affected_min=size("6B", 28),
        affected_max=size("6B", 28), data_encrypted=False,
        cause="Gegevens op een eigen, onversleutelde USB-stick gezet.",
        consequences="Vinders kunnen leer- en gezondheidsgegevens van kinderen inzien.",
        reported_by="Leerkracht groep 6B", risk=Risk.HIGH,
        risk_reasons="Bijzondere persoonsgegevens van kinderen, niet versleuteld.",
        notify_ap=True,
        notify_reason="Hoog risico. Gemeld na 80 uur: de stick is eerst twee dagen gezocht; "
                      "de termijn van 72 uur is daardoor overschreden.",
        notified_at=t + hours(80), ap_reference="AP-M-2025-104233",
        late_reason="De stick is eerst twee dagen gezocht in school en bij de leerkracht thuis; "
                    "pas daarna stond vast dat hij kwijt was.",
        subjects_informed=True, informed_at=t + days(4),
        informed_how="Brief aan en gesprek met de ouders van groep 6B.",
        signed_off_by=director_id, signed_off_at=t + days(14))
    measure(b, "preventive", "Alleen nog versleutelde USB-sticks van school; bestanden "
                             "bij voorkeur in OneDrive.", "ICT-coördinator",
            (t + days(30)).date(), (t + days(25)).date())
    _add(session, BreachAmendment(
        breach_id=b.id, author_id=director_id, created_at=t + days(40),
        text="De USB-stick is teruggevonden in de gymzaal van de school. Er zijn geen "
             "aanwijzingen dat de bestanden zijn geopend. Aanvulling gedaan bij de AP."), clock)

    # 3. phishing, account taken over; notified in time
    t = now - days(300)
    b = breach(
        t, status=BreachStatus.CLOSED, started_at=t - hours(20), ended_at=t + hours(1),
        description="Na een phishingmail was het Microsoft 365-account van een leerkracht een "
                    "dag in handen van een onbekende; vanuit het account is spam verstuurd.",
        nature="read", data_categories="name,contact,results",
        affected_groups="pupils,parents,staff", affected_min=30, affected_max=120,
        cause="Phishing; het account had geen tweestapsverificatie.",
        consequences="E-mails met leerlinggegevens kunnen zijn ingezien.",
        reported_by="ICT-partner", risk=Risk.RISK,
        risk_reasons="Toegang tot e-mail met namen en resultaten; geen bijzondere gegevens.",
        notify_ap=True, notify_reason="Risico voor de betrokkenen is niet uit te sluiten.",
        notified_at=t + hours(30), ap_reference="AP-M-2026-011872", subjects_informed=False,
        not_informed_reason="Geen hoog risico: geen aanwijzing dat e-mails zijn gelezen; "
                            "wachtwoord direct gewijzigd.",
        signed_off_by=director_id, signed_off_at=t + days(10))
    measure(b, "preventive", "Tweestapsverificatie verplicht voor alle medewerkers.",
            "ICT-partner", (t + days(14)).date(), (t + days(12)).date())

    # 4. photo in the parent app of a pupil without consent: no risk, not notified
    t = now - days(150)
    breach(
        t, status=BreachStatus.CLOSED, started_at=t - hours(5), ended_at=t + hours(1),
        description="In de ouderapp is een groepsfoto gedeeld waarop een leerling staat "
                    "wiens ouders geen toestemming voor foto's hebben gegeven.",
        nature="read", data_categories="photo", affected_groups="pupils",
        affected_min=1, affected_max=1,
        cause="Fotolijst van de groep niet gecontroleerd vóór het plaatsen.",
        consequences="Ouders van de groep konden de foto zien.", reported_by="Ouder",
        risk=Risk.NONE, risk_reasons="Eén foto in een besloten omgeving, binnen een uur "
                                     "verwijderd.",
        notify_ap=False, notify_reason="Niet gemeld: geen risico; foto binnen een uur "
                                       "verwijderd en ouders ingelicht.",
        subjects_informed=True, informed_at=t + hours(3),
        informed_how="Telefonisch door de leerkracht.",
        signed_off_by=director_id, signed_off_at=t + days(3))

    # 5. stolen laptop, encrypted: assessed, waiting for sign-off
    t = now - days(48)
    breach(
        t, status=BreachStatus.ASSESSED, started_at=t - hours(14),
        description="De laptop van de intern begeleider is uit haar auto gestolen.",
        nature="lost", data_categories="name,dob,results,special",
        special_categories=True, affected_groups="pupils", affected_min=40, affected_max=60,
        data_encrypted=True, cause="Diefstal.", reported_by="Intern begeleider",
        risk=Risk.NONE, risk_reasons="Schijf versleuteld met BitLocker en sterk wachtwoord.",
        notify_ap=False, notify_reason="Niet gemeld: de gegevens zijn versleuteld en voor de "
                                       "dief onleesbaar.")

    # 6. report card in the wrong school bag: notified, measures running
    t = now - days(20)
    b = breach(
        t, status=BreachStatus.NOTIFIED, started_at=t - days(1), ended_at=t,
        description="Het rapport van een leerling uit groep 7A is in de tas van een "
                    "klasgenoot meegegeven.",
        nature="read,sent", data_categories="name,results",
        affected_groups="pupils", affected_min=1, affected_max=1,
        cause="Rapporten in de verkeerde volgorde uitgedeeld.",
        consequences="Andere ouders hebben resultaten en opmerkingen van de leerkracht gezien.",
        reported_by="Ouder", risk=Risk.RISK,
        risk_reasons="Schoolresultaten en persoonlijke opmerkingen over één kind.",
        notify_ap=True, notify_reason="Risico voor de betrokkene.",
        notified_at=t + hours(29), ap_reference="AP-M-2026-052190", subjects_informed=True,
        informed_at=t + hours(6), informed_how="Gesprek met de ouders.")
    measure(b, "preventive", "Rapporten in gesloten envelop op naam meegeven.", "Directie",
            (now + days(10)).date(), None)

    # 7. found at the copier yesterday morning: open, the 72-hour clock is running
    t = now - hours(26)
    breach(
        t, status=BreachStatus.OPEN, ongoing=False,
        description="Een uitdraai uit het zorgdossier van een leerling is bij het "
                    "kopieerapparaat in de personeelskamer gevonden.",
        nature="read", data_categories="name,special",
        special_categories=True, affected_groups="pupils", affected_min=1, affected_max=1,
        reported_by="Conciërge")
    return 7


def _requests(session: Session, clock: Clock, pupil_ids: list[int]) -> int:
    if not pupil_ids:
        return 0
    today = local_today(clock)
    rng = random.Random(len(pupil_ids))

    def guardian_of(pupil_id: int) -> int | None:
        return session.scalar(select(PupilGuardian.guardian_id)
                              .where(PupilGuardian.pupil_id == pupil_id).limit(1))

    plans = [
        (RequestKind.ACCESS, 75, "answered", 21,
         "Ouder vraagt een kopie van alle gegevens over het kind.",
         "Overzicht van de gegevens en het toestemmingsoverzicht per e-mail verstuurd.", 0),
        (RequestKind.RECTIFICATION, 40, "answered", 2,
         "De tweede voornaam van het kind is verkeerd gespeld.",
         "Gecorrigeerd in ParnasSys en in het register.", 0),
        (RequestKind.OBJECTION, 50, "open", None,
         "Bezwaar tegen het gebruik van een leerplatform met leerlinggegevens.", "", 2),
        (RequestKind.ACCESS, 34, "open", None,
         "Gescheiden ouder met gezag vraagt inzage in het leerlingdossier.", "", 0),
        (RequestKind.ERASURE, 9, "open", None,
         "Verzoek om foto's van het kind van de schoolwebsite te verwijderen.", "", 0),
    ]
    for kind, ago, status, took, text, answer, extended in plans:
        pupil_id = rng.choice(pupil_ids)
        received = today - timedelta(days=ago)
        record = DataRequest(
            kind=kind, received_on=received, guardian_id=guardian_of(pupil_id),
            pupil_id=pupil_id, description=text, status=status, answer=answer,
            answered_on=received + timedelta(days=took) if took is not None else None,
            extended_months=extended,
            extension_reason=("Complex verzoek: overleg met de leverancier en de FG nodig."
                              if extended else ""),
            extension_told_on=received + timedelta(days=20) if extended else None,
            created_at=_at(received, rng, clock()))
        _add(session, record, clock)
    return len(plans)


def _suppliers(session: Session, clock: Clock) -> int:
    today = local_today(clock)
    existing = {(name, product) for name, product
                in session.execute(select(Supplier.name, Supplier.product))}
    model = "Model Verwerkersovereenkomst (Privacyconvenant Onderwijs)"
    rows = [
        ("Topicus", "ParnasSys (leerlingadministratie en leerlingvolgsysteem)",
         "naam, geboortedatum, adres, ouders, groep, resultaten, zorg- en verzuimgegevens",
         "Leerlingadministratie, leerlingvolgsysteem, verplichte uitwisseling met DUO",
         "4.0", -900, None, "EU (Nederland)", "Microsoft Azure (EU)"),
        ("Topicus", "Parro (ouderapp)",
         "naam en groep van leerlingen, naam en contactgegevens van ouders, foto's",
         "Communicatie met ouders, delen van foto's met ouders van de groep",
         "4.0", -700, 3 * 365, "EU (Nederland)", ""),
        ("Basispoort", "Basispoort (inloggen op digitaal lesmateriaal)",
         "naam, groep, leerlingnummer (pseudoniem)",
         "Eén inlog voor digitaal lesmateriaal van uitgevers", "3.0", -1500, None,
         "EU (Nederland)", ""),
        ("Snappet", "Snappet (adaptief oefenen)",
         "naam, groep, antwoorden en resultaten", "Oefenen en volgen van de voortgang",
         "4.0", -500, 3 * 365, "EU (Nederland)", "Amazon Web Services (EU)"),
        ("Gynzy", "Gynzy (digibord en oefenen)", "naam, groep, resultaten",
         "Lesmateriaal op het digibord en oefenen", "3.0", -1080, 1080 + 24,
         "EU (Nederland)", "Google Cloud (EU)"),  # ends in 24 days: renew
        ("Microsoft", "Microsoft 365 (e-mail, Teams, OneDrive)",
         "naam en e-mailadres van medewerkers en leerlingen groep 6-8, bestanden",
         "E-mail, samenwerken en opslag van documenten", "4.0", -600, None,
         "EU (EU Data Boundary)", "zie lijst subverwerkers Microsoft"),
        ("Fotostudio De Lens", "Schoolfotografie",
         "naam en groep van leerlingen met toestemming, foto's",
         "Portret- en groepsfoto's maken; bestellen door ouders", "3.0", -330, 2 * 365,
         "EU (Nederland)", ""),
    ]
    count = 0
    for name, product, data, purpose, version, signed, term, where, subs in rows:
        if (name, product) in existing:
            continue
        signed_on = today + timedelta(days=signed)
        _add(session, Supplier(
            name=name, product=product, data_categories=data, purpose=purpose,
            agreement_model=model, agreement_version=version, signed_on=signed_on,
            ends_on=signed_on + timedelta(days=term) if term else None,
            privacy_insert_ref=f"Privacybijsluiter {name} {signed_on.year}",
            storage_location=where, sub_processors=subs, created_at=clock()), clock)
        count += 1
    return count


def _exchanges(session: Session, clock: Clock, office_id: int | None) -> int:
    today = local_today(clock)
    ggd = session.scalar(select(ConsentPurpose.id)
                         .where(ConsentPurpose.code == "uitwisseling_ggd_jgz"))
    active = select(Pupil.id).where(Pupil.left_on.is_(None)).order_by(Pupil.id)
    truant = session.scalar(active.where(Pupil.year_group == 6).limit(1))
    consented = list(session.scalars(
        select(ConsentEvent.pupil_id).where(ConsentEvent.purpose_id == ggd,
                                            ConsentEvent.decision == Decision.GIVEN)
        .join(Pupil, Pupil.id == ConsentEvent.pupil_id)
        .where(Pupil.left_on.is_(None), Pupil.year_group == 2)
        .order_by(ConsentEvent.pupil_id).limit(3))) if ggd else []
    leavers = list(session.scalars(
        select(Pupil.id).where(Pupil.left_on.is_not(None), Pupil.year_group == 8)
        .order_by(Pupil.left_on.desc(), Pupil.id).limit(4)))
    plans = [
        (today - timedelta(days=62), "Leerplichtambtenaar gemeente Amersfoort", "leerplicht",
         "Naam, geboortedatum, groep en verzuimoverzicht (ongeoorloofd verzuim: 16 uur in "
         "4 weken).", LegalBasis.LAW, None,
         "Verzuimmelding via het verzuimregister van DUO (Leerplichtwet).", [truant]),
        (today - timedelta(days=35), "Jeugdgezondheidszorg GGD regio Utrecht", "zorg",
         "Naam, geboortedatum, groep en observaties over de taalontwikkeling.",
         LegalBasis.CONSENT, ggd, "Overleg met de jeugdverpleegkundige (groep 2).", consented),
        (today - timedelta(days=140), "Stedelijk College (voortgezet onderwijs)", "school",
         "Onderwijskundig rapport via het overstapdossier (OSO).", LegalBasis.LAW, None,
         "Wettelijk verplicht bij overstap naar het voortgezet onderwijs (WPO).", leavers),
    ]
    count = 0
    for day, recipient, kind, data, basis, purpose, note, pupils in plans:
        pupils = [p for p in pupils if p is not None]
        if not pupils:
            continue
        record = _add(session, Exchange(
            occurred_on=day, recipient=recipient, recipient_kind=kind, data_shared=data,
            legal_basis=basis, purpose_id=purpose, note=note, recorded_by=office_id,
            created_at=_at(day, random.Random(count), clock())), clock)
        session.execute(insert(ExchangePupil),
                        [{"exchange_id": record.id, "pupil_id": p} for p in pupils])
        audit_many(session, SYSTEM, "demo.create", "exchange_pupil",
                   [f"{record.id}/{p}" for p in pupils], clock=clock)
        count += 1
    return count


def _vulnerability_reports(session: Session, clock: Clock) -> int:
    now = _office_now(clock)
    today = local_today(clock)
    _add(session, VulnerabilityReport(
        received_at=now - timedelta(days=120), reporter="whitehat_nl (pseudoniem)",
        contact="melding@whitehat.example",
        description="De map met uploads van de schoolwebsite was openbaar te doorzoeken.",
        acknowledged_at=now - timedelta(days=119),
        assessment="Terecht; geen leerlinggegevens in de map, wel nieuwsbrieven met foto's.",
        expected_fix_on=today - timedelta(days=110), fixed_at=now - timedelta(days=112),
        updates_sent=",".join(str(today - timedelta(days=d)) for d in (119, 112)),
        credit_wanted=True), clock)
    _add(session, VulnerabilityReport(
        received_at=now - timedelta(days=2), reporter="Anoniem", contact="",
        description="Het contactformulier op de website laat HTML-code toe.",
        acknowledged_at=now - timedelta(days=1), expected_fix_on=today + timedelta(days=12),
        updates_sent=str(today - timedelta(days=1))), clock)
    return 2


# --- the use-case -------------------------------------------------------------------------

def populate_demo(session: Session, *, pupils: int, seed: int = 2026,
                  clock: Clock = system_clock, progress: Progress | None = None) -> DemoSummary:
    """Fill this register with a fake school of `pupils` pupils (plus its history).

    On a fresh register it creates the school "OBS De Regenboog" and the DEMO_USERS; on a set-up
    register it adds the demo users that are missing. `progress(done, total)` is called after
    every batch of pupils; returning False raises Cancelled (the caller's transaction rolls
    back, leaving nothing behind).
    """
    if pupils < 0:
        raise ValueError("pupils must be >= 0")
    rng = random.Random(seed)
    audit_before = count_entries(session)
    users_created = _ensure_school_and_users(session, clock)
    add_missing_defaults(session, SYSTEM, clock=clock)
    put_setting(session, SYSTEM, "demo", "1")
    purposes = list_purposes(session)
    office_id = _user_id(session, "administratie", Role.ADMINISTRATIE)
    director_id = _user_id(session, "directie", Role.DIRECTIE)

    generator = _Generator(session, rng, clock, purposes, office_id, director_id)
    generator.summary.users_created = users_created
    slots = _plan_slots(rng, pupils, generator.today)
    families = _plan_families(rng, slots)
    source_keys = [str(key) for key in rng.sample(range(1_000_000, 9_999_999), len(slots))]
    source_keys.reverse()
    first_pupil_id = (session.scalar(select(func.max(Pupil.id))) or 0) + 1
    done, batch, in_batch = 0, [], 0
    for index, family in enumerate(families):
        batch.append(family)
        in_batch += len(family)
        if in_batch >= CHUNK or index == len(families) - 1:
            generator.write(batch, source_keys)
            done += in_batch
            batch, in_batch = [], 0
            if progress is not None and progress(done, len(slots)) is False:
                raise Cancelled("Het aanmaken van de demoschool is afgebroken. "
                                "Er is niets opgeslagen.")

    summary = generator.summary
    group_sizes = dict(session.execute(
        select(Pupil.group_name, func.count()).where(Pupil.left_on.is_(None))
        .group_by(Pupil.group_name)).all())
    new_pupils = list(session.scalars(select(Pupil.id).where(Pupil.id >= first_pupil_id)
                                      .order_by(Pupil.id)))
    summary.breaches = _breaches(session, clock, office_id, director_id, group_sizes)
    summary.requests = _requests(session, clock, new_pupils)
    summary.suppliers = _suppliers(session, clock)
    link_suggested_suppliers(session, SYSTEM, clock=clock)  # the art. 30 register's processors
    summary.exchanges = _exchanges(session, clock, office_id)
    summary.retention_rules = session.scalar(select(func.count()).select_from(RetentionRule))
    summary.vulnerability_reports = _vulnerability_reports(session, clock)
    summary.audit_entries = count_entries(session) - audit_before
    return summary


# --- the demo database file ---------------------------------------------------------------

def demo_school() -> NewSchool:
    """The demo school as a register's set-up, with the first demo user as its beheerder."""
    first = DEMO_USERS[0]
    return NewSchool(DEMO_SCHOOL_NAME, DEMO_BRIN, first.username, first.password,
                     first.display_name, first.role)


def demo_passphrase() -> str | None:
    """The passphrase for a new demo file: the one the user set in PRIVACYREGISTER_PASSPHRASE,
    none when the keyring can hold the key, else DEMO_PASSPHRASE (the data is fake)."""
    chosen = os.environ.get(PASSPHRASE_ENV)
    if chosen:
        return chosen
    return None if keystore.keyring_usable() else DEMO_PASSPHRASE


def create_demo_vault(path: Path, *, backup_dir: Path | None, pupils: int = 400,
                      clock: Clock = system_clock, seed: int = 2026,
                      progress: Progress | None = None,
                      passphrase: str | None = None) -> Vault:
    """Create the encrypted demo file and fill it; returns it open.

    It is created like any register (create_register), under `passphrase` or else
    demo_passphrase(). Nothing is left behind when filling fails or is cancelled.
    """
    path = Path(path)

    def fill(vault: Vault, _recovery: str | None) -> None:
        with vault.session() as session:
            populate_demo(session, pupils=pupils, seed=seed, clock=clock, progress=progress)
        meta = read_sidecar(path)
        meta["demo"] = True
        write_sidecar(path, meta)

    vault, _recovery = create_register(path, demo_school(),
                                       passphrase=passphrase or demo_passphrase(),
                                       backup_dir=backup_dir, clock=clock, then=fill)
    return vault


def open_or_create_demo(path: Path, *, backup_dir: Path | None, pupils: int = 400,
                        clock: Clock = system_clock) -> Vault:
    """Open the demo register at `path`, or create it when there is none yet.

    A demo file whose key is lost (keyring emptied, other machine) is thrown away and made
    again: only a file whose sidecar marks it as demo data, never a real register.
    """
    path = Path(path)
    if path.exists():
        meta = read_sidecar(path)
        passphrase = None
        if meta.get("key_mode") == "passphrase":
            passphrase = os.environ.get(PASSPHRASE_ENV) or DEMO_PASSPHRASE
        try:
            return Vault.open(path, passphrase=passphrase, backup_dir=backup_dir, clock=clock)
        except (MissingKeyError, WrongKeyError):
            if not meta.get("demo"):
                raise
            remove_register_files(path, meta.get("database_id"))
    return create_demo_vault(path, backup_dir=backup_dir, pupils=pupils, clock=clock)
