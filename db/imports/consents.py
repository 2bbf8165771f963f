"""Privacyvoorkeuren uit de ouderapp: the choices parents made in Parro (ParnasSys), Social
Schools or another app, imported from the list the school exports (CSV or XLSX).

One row per pupil (leerlingnummer, or name + date of birth), one column per category with
values such as Ja/Nee, Akkoord/Niet akkoord, Wel/Niet, Toestemming/Geen toestemming, X or
empty. The steps, so the app can show and correct what it guessed in between:

- ``read_preferences`` reads the file into a Table (db.imports.tabular does the reading);
- ``guess_mapping`` proposes which column names the pupil, the date, the guardian and which
  purpose, and what each value means (given / refused / not answered);
- ``parse_preferences`` validates every row under a (corrected) mapping: an unknown value is
  a problem of that row, never a guess;
- ``build_consent_preview`` compares the rows with the register: pupils not found, decisions
  already there, newer decisions that stay (conflicts), and what would be recorded;
- ``commit_consent_import`` appends the decisions in one transaction, audited, cancellable.

Not answered records nothing: silence is not consent. A decision in the register that is
newer than the imported one is kept and reported; an identical one is not recorded again, so
importing the same file twice changes nothing. A row that names no guardian is recorded as
"ouder via app" (guardian_id None, see db.consents.combine).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from db.audit import audit_many
from db.clock import Clock, local_today, system_clock
from db.consents import DECISION_LABELS, VIA_APP, counting_from, import_decision_problem
from db.errors import Cancelled
from db.imports.detect import not_a_table
from db.imports.model import MAX_KEPT_PROBLEMS, ImportProblem
from db.imports.preview import lock_for_import
from db.imports.tabular import Cell, Table, TableError, field_of, mapping_key, read_table
from db.permissions import Actor, Permission, require
from db.purposes import current_texts
from db.schema import (
    Channel,
    ConsentEvent,
    ConsentPurpose,
    Decision,
    Guardian,
    Pupil,
    PupilGuardian,
    Setting,
)
from db.school import setting_row
from db.text import fold, format_dutch_date, parse_dutch_date


class Source(StrEnum):
    """Where the preferences come from; the CLI's --source values."""

    PARRO = "parro"
    SOCIAL_SCHOOLS = "socialschools"
    OTHER = "anders"


SOURCE_CHANNELS = {Source.PARRO: Channel.PARRO, Source.SOCIAL_SCHOOLS: Channel.SOCIAL_SCHOOLS,
                   Source.OTHER: Channel.OTHER_APP}
SOURCE_LABELS = {Source.PARRO: "Parro (ParnasSys)", Source.SOCIAL_SCHOOLS: "Social Schools",
                 Source.OTHER: "een andere ouderapp"}


class Answer(StrEnum):
    """What a cell means."""

    GIVEN = "given"
    REFUSED = "refused"
    NONE = "none"  # not answered: nothing is recorded


ANSWER_LABELS = {Answer.GIVEN: "toestemming gegeven", Answer.REFUSED: "geweigerd",
                 Answer.NONE: "niet ingevuld"}

# The columns that are not a category, with their Dutch labels (as the wizard shows them).
FIELDS: dict[str, str] = {
    "source_key": "Leerlingnummer",
    "full_name": "Naam leerling (voluit)",
    "first_name": "Roepnaam of voornaam",
    "prefix": "Tussenvoegsel",
    "last_name": "Achternaam",
    "date_of_birth": "Geboortedatum",
    "group_name": "Groep",
    "decided_on": "Datum van de keuze",
    "guardian": "Ingevuld door (ouder)",
}

_OWN_ALIASES: dict[str, str] = {}
for _field, _names in (
    ("full_name", "naam naamleerling leerling leerlingnaam kind naamkind volledigenaam "
                  "naamvoluit"),
    ("decided_on", "datum datumkeuze datumingevuld ingevuldop laatstgewijzigd gewijzigdop "
                   "datumgewijzigd datumtoestemming bijgewerkt bijgewerktop "
                   "datumlaatstewijziging laatstewijziging ingevuld"),
    ("guardian", "ouder ouderverzorger ingevulddoor gewijzigddoor naamouder doorouder "
                 "ingevuldouder"),
):
    for _name in _names.split():
        _OWN_ALIASES[_name] = _field
_FROM_PUPIL_LIST = {"source_key": "source_key", "first_name": "first_name",
                    "given_names": "first_name", "prefix": "prefix", "last_name": "last_name",
                    "date_of_birth": "date_of_birth", "group_name": "group_name"}

# Words in a column's name → the default purpose it is about. The first that matches wins, so
# the specific ones come first ("Naam bij foto in de nieuwsbrief" is about the name).
PURPOSE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("voornaam_bij_foto", ("voornaam", "naambij", "naamvan", "naamvermelden",
                           "naamvermelding", "metnaam")),
    ("klassenlijst_contact", ("klassenlijst", "adreslijst", "contactlijst", "telefoonlijst",
                              "contactgegevens", "telefoonnummer")),
    ("uitwisseling_ggd_jgz", ("ggd", "jgz", "jeugdgezondheid", "jeugdarts",
                              "jeugdverpleegkundige")),
    ("deelname_onderzoek", ("onderzoek", "cbs", "universiteit", "wetenschap", "cohort")),
    ("schoolfotograaf", ("fotograaf", "schoolfoto", "klassenfoto", "portretfoto",
                         "groepsfoto")),
    ("foto_sociale_media", ("socialmedia", "socialemedia", "facebook", "instagram",
                            "twitter", "linkedin", "youtube", "tiktok")),
    ("foto_ouderapp", ("parro", "ouderapp", "socialschools", "schoolapp", "klasbord",
                       "ouderportaal", "besloten", "app")),
    ("foto_nieuwsbrief_schoolgids", ("nieuwsbrief", "schoolgids", "jaarverslag",
                                     "schoolkrant", "nieuws")),
    ("foto_website", ("website", "site", "internet", "web")),
)

# Values parents' apps write, folded (see _value_key) → what they mean.
KNOWN_VALUES: dict[str, Answer] = {}
for _answer, _values in (
    (Answer.GIVEN, ("ja", "j", "yes", "y", "akkoord", "wel", "wel akkoord", "toestemming",
                    "toestemming gegeven", "geeft toestemming", "wel toestemming", "x", "1",
                    "true", "waar", "gegeven", "mag", "mag wel", "ja, akkoord", "✓", "v")),
    (Answer.REFUSED, ("nee", "n", "no", "niet akkoord", "niet", "geen toestemming",
                      "geen toestemming gegeven", "geeft geen toestemming", "0", "false",
                      "onwaar", "geweigerd", "mag niet", "nee, niet akkoord", "geen", "✗")),
    (Answer.NONE, ("", "-", "niet ingevuld", "nog niet ingevuld", "onbekend", "geen keuze",
                   "geen antwoord", "?", "n.v.t.", "nvt")),
):
    for _value in _values:
        KNOWN_VALUES[_value] = _answer


def _compact(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", fold(text))


def _value_key(text: str) -> str:
    return fold(text.strip().strip("."))


def _tokens(*parts: str) -> tuple[str, ...]:
    """A name as a sorted tuple of folded words: 'Berg, Sem van den' = 'Sem van den Berg'."""
    words = re.sub(r"[^\w]+", " ", fold(" ".join(parts))).split()
    return tuple(sorted(words))


# --- reading and mapping ----------------------------------------------------------------

def read_preferences(data: bytes, name: str) -> Table:
    """The export as a table (CSV ; , or tab, any usual encoding, or the first sheet of an
    .xlsx). Raises TableError with a Dutch message when it is no list."""
    reason = not_a_table(data)
    if reason is not None:
        raise TableError(reason + " Er is niets ingelezen.")
    return read_table(data, name)


@dataclass
class ConsentMapping:
    """What the columns and values of one export layout mean."""

    fields: dict[str, str] = field(default_factory=dict)    # field → header
    purposes: dict[str, str] = field(default_factory=dict)  # header → purpose code
    values: dict[str, str] = field(default_factory=dict)    # value key → Answer

    def to_json(self) -> str:
        return json.dumps({"fields": self.fields, "purposes": self.purposes,
                           "values": self.values}, sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> ConsentMapping:
        raw = json.loads(text)
        return cls(dict(raw.get("fields", {})), dict(raw.get("purposes", {})),
                   dict(raw.get("values", {})))

    def fitted(self, table: Table, purpose_codes: Iterable[str]) -> ConsentMapping:
        """This mapping less what names a column the table lacks or a purpose not in use."""
        codes = set(purpose_codes)
        return ConsentMapping(
            {k: v for k, v in self.fields.items() if k in FIELDS and v in table.headers},
            {h: c for h, c in self.purposes.items() if h in table.headers and c in codes},
            {k: v for k, v in self.values.items() if v in set(Answer)})


@dataclass(frozen=True)
class PurposeChoice:
    """A purpose the wizard offers: its code, title and whether it is about images."""

    purpose_id: int
    code: str
    title: str
    is_image: bool


def purpose_choices(session: Session, actor: Actor) -> list[PurposeChoice]:
    """The purposes in use, in form order, to map the categories of a file to."""
    require(actor, Permission.RECORD_CONSENT)
    return [PurposeChoice(p.id, p.code, t.title, p.is_image) for p, t in current_texts(session)]


def guess_purpose(header: str, purposes: Iterable[PurposeChoice]) -> str | None:
    """The purpose a category's column name is about, or None."""
    key = _compact(header)
    if not key:
        return None
    known = {p.code: p for p in purposes}
    for code, words in PURPOSE_WORDS:
        if code in known and any(word in key for word in words):
            return code
    for purpose in known.values():  # a purpose the school added: its own title
        title = _compact(purpose.title)
        if len(key) >= 5 and (key in title or title in key):
            return purpose.code
    return None


def guess_mapping(table: Table, purposes: Iterable[PurposeChoice]) -> ConsentMapping:
    """A first mapping from the column names and the values in the file."""
    purposes = list(purposes)
    mapping = ConsentMapping()
    for header in table.headers:
        name = _OWN_ALIASES.get(_compact(header))
        hit = field_of(header)  # a column of a pupil list (also 'E-mail ouder 1')
        if name is None and hit is not None:
            name = _FROM_PUPIL_LIST.get(hit[0])
        if name is not None:
            mapping.fields.setdefault(name, header)
        elif hit is None and (code := guess_purpose(header, purposes)) is not None:
            mapping.purposes[header] = code
    if "full_name" in mapping.fields and "first_name" in mapping.fields:
        # 'Naam' beside 'Roepnaam' is the surname
        header = mapping.fields.pop("full_name")
        mapping.fields.setdefault("last_name", header)
    for value in values_in(table, mapping.purposes):
        if value in KNOWN_VALUES:
            mapping.values[value] = KNOWN_VALUES[value]
    return mapping


def values_in(table: Table, columns: Iterable[str]) -> dict[str, int]:
    """value key → how often it occurs in these columns (the empty value included)."""
    indexes = [table.headers.index(h) for h in columns if h in table.headers]
    counts: dict[str, int] = {}
    for row in table.rows:
        for index in indexes:
            value = _value_key(_text(row[index]))
            counts[value] = counts.get(value, 0) + 1
    return counts


def value_examples(table: Table, columns: Iterable[str]) -> dict[str, str]:
    """value key → the value as the file writes it (first seen), for the wizard."""
    indexes = [table.headers.index(h) for h in columns if h in table.headers]
    shown: dict[str, str] = {}
    for row in table.rows:
        for index in indexes:
            text = _text(row[index])
            shown.setdefault(_value_key(text), text)
    return shown


def mapping_problems(mapping: ConsentMapping, *, has_date: bool) -> list[str]:
    """What the mapping still lacks before rows can be read, in Dutch (empty: nothing)."""
    chosen = {k for k, v in mapping.fields.items() if v}
    problems = []
    named = "full_name" in chosen or "last_name" in chosen
    if "source_key" not in chosen and not (named and "date_of_birth" in chosen):
        problems.append("Kies de kolom met het leerlingnummer, of de kolommen met de naam en "
                        "de geboortedatum van de leerling.")
    if not mapping.purposes:
        problems.append("Koppel minstens één kolom aan een toestemmingsdoel.")
    if "decided_on" not in chosen and not has_date:
        problems.append("Het bestand heeft geen kolom met de datum van de keuze: geef de datum "
                        "op waarop de keuzes in de app werden gesloten.")
    return problems


def _text(value: Cell) -> str:
    return format_dutch_date(value) if isinstance(value, date) else " ".join(value.split())


# --- parsing ----------------------------------------------------------------------------

@dataclass(frozen=True)
class PreferenceRow:
    """One pupil's choices as the file has them. `answers`: (purpose code, Answer)."""

    where: str
    source_key: str | None
    name: str
    name_key: tuple[str, ...]
    date_of_birth: date | None
    group_name: str
    decided_on: date
    guardian: str
    answers: tuple[tuple[str, Answer], ...]


@dataclass
class ParsedPreferences:
    source: str = ""  # "CSV" or "XLSX"
    rows: list[PreferenceRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    problems_left_out: int = 0
    purpose_codes: list[str] = field(default_factory=list)  # in the order of the file

    def add_problem(self, problem: ImportProblem) -> None:
        if len(self.problems) < MAX_KEPT_PROBLEMS:
            self.problems.append(problem)
        else:
            self.problems_left_out += 1

    @property
    def problem_count(self) -> int:
        return len(self.problems) + self.problems_left_out


def parse_preferences(table: Table, mapping: ConsentMapping, *,
                      decided_on: date | None) -> ParsedPreferences:
    """Every row under the mapping: a PreferenceRow, or one problem naming the line.

    `decided_on`: the date for rows whose date column is empty, or for every row when the
    file has none (the date the app closed the choices)."""
    parsed = ParsedPreferences(source=table.source)
    unknown = [h for h in [*mapping.fields.values(), *mapping.purposes]
               if h and h not in table.headers]
    if unknown:
        parsed.problems.append(ImportProblem("kolommen", "Deze kolommen staan niet in het "
                                             f"bestand: {', '.join(unknown)}. Er is niets "
                                             "ingelezen."))
        return parsed
    missing = mapping_problems(mapping, has_date=decided_on is not None)
    if missing:
        parsed.problems.extend(ImportProblem("kolommen", m + " Er is niets ingelezen.")
                               for m in missing)
        return parsed
    if not table.rows:
        parsed.problems.append(ImportProblem("bestand", "Het bestand bevat alleen kolomkoppen, "
                                             "geen leerlingen. Er is niets ingelezen."))
        return parsed
    columns = {name: table.headers.index(h) for name, h in mapping.fields.items() if h}
    by_code: dict[str, list[tuple[str, int]]] = {}
    for header, code in mapping.purposes.items():
        by_code.setdefault(code, []).append((header, table.headers.index(header)))
    parsed.purpose_codes = list(by_code)
    for line, row in zip(table.lines, table.rows, strict=True):
        result = _row(line, row, columns, by_code, mapping.values, decided_on)
        if isinstance(result, PreferenceRow):
            parsed.rows.append(result)
        else:
            parsed.add_problem(result)
    return parsed


def _row(line: int, row: list[Cell], columns: dict[str, int],
         by_code: dict[str, list[tuple[str, int]]], values: Mapping[str, str],
         default_day: date | None) -> PreferenceRow | ImportProblem:
    issues: list[str] = []

    def text(name: str) -> str:
        index = columns.get(name)
        return _text(row[index]) if index is not None else ""

    def day(name: str, label: str) -> date | None:
        index = columns.get(name)
        value = row[index] if index is not None else ""
        if isinstance(value, date):
            return value
        if not value.strip():
            return None
        try:
            return parse_dutch_date(value)
        except ValueError as error:
            issues.append(f"{label} {error}")
            return None

    key = text("source_key") or None
    full = text("full_name")
    parts = (text("first_name"), text("prefix"), text("last_name"))
    name = full or " ".join(p for p in parts if p)
    born = day("date_of_birth", "geboortedatum")
    if key is None and not (name and born):
        issues.append("leerlingnummer ontbreekt, en naam en geboortedatum zijn niet allebei "
                      "ingevuld")
    decided = day("decided_on", "datum van de keuze") or default_day
    if decided is None and not any(i.startswith("datum van de keuze") for i in issues):
        issues.append("datum van de keuze ontbreekt; geef de datum op waarop de keuzes in de "
                      "app werden gesloten")
    answers = []
    for code, cells in by_code.items():
        found = []
        for header, index in cells:
            raw = _text(row[index])
            meaning = values.get(_value_key(raw))
            if meaning is None and not raw:
                meaning = Answer.NONE  # an empty cell: not answered, unless mapped otherwise
            if meaning is None:
                shown = raw if len(raw) <= 40 else raw[:40] + "…"
                issues.append(f"kolom '{header}': '{shown}' is geen bekende keuze (geef in de "
                              "koppeling aan wat deze waarde betekent)")
                continue
            found.append(Answer(meaning))
        if len(found) == len(cells):
            answers.append((code, _together(found)))
    if issues:
        return ImportProblem(f"regel {line}", "; ".join(issues))
    return PreferenceRow(where=f"regel {line}", source_key=key, name=name,
                         name_key=_tokens(full) if full else _tokens(*parts),
                         date_of_birth=born, group_name=text("group_name"),
                         decided_on=decided, guardian=text("guardian"), answers=tuple(answers))


def _together(answers: list[Answer]) -> Answer:
    """Several columns for one purpose: refused if any refuses, given only if all give."""
    if Answer.REFUSED in answers:
        return Answer.REFUSED
    if all(a is Answer.GIVEN for a in answers):
        return Answer.GIVEN
    return Answer.NONE


# --- the preview ------------------------------------------------------------------------

@dataclass
class PurposeCount:
    """Per purpose: what the file says for the pupils found, and what becomes of it."""

    purpose_id: int
    title: str
    is_image: bool
    given: int = 0
    refused: int = 0
    unanswered: int = 0
    to_record: int = 0
    already: int = 0     # the register already has this decision
    newer: int = 0       # the register has a newer decision, which stays


@dataclass(frozen=True)
class NotFound:
    where: str
    name: str
    source_key: str | None
    date_of_birth: date | None
    group_name: str


@dataclass(frozen=True)
class Conflict:
    """A newer decision in the register that is kept instead of the file's."""

    where: str
    pupil_name: str
    purpose_title: str
    message: str  # "op papier gewijzigd op 12-10-2026 (geweigerd); in het bestand: gegeven"


@dataclass(frozen=True)
class Planned:
    pupil_id: int
    purpose_id: int
    decision: Decision
    decided_on: date
    guardian_id: int | None
    note: str


@dataclass
class ConsentPreview:
    source: Source
    file_kind: str = ""
    rows_read: int = 0
    pupils_found: int = 0
    counts: list[PurposeCount] = field(default_factory=list)
    planned: list[Planned] = field(default_factory=list)
    not_found: list[NotFound] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    problems_left_out: int = 0

    @property
    def problem_count(self) -> int:
        return len(self.problems) + self.problems_left_out

    @property
    def has_work(self) -> bool:
        return bool(self.planned)

    def add_problem(self, problem: ImportProblem) -> None:
        if len(self.problems) < MAX_KEPT_PROBLEMS:
            self.problems.append(problem)
        else:
            self.problems_left_out += 1


@dataclass(frozen=True)
class _Event:
    decision: str
    decided_on: date
    guardian_id: int | None
    by_pupil: bool
    channel: str


_CHANGED_VIA = {Channel.PAPER: "op papier", Channel.EMAIL: "per e-mail",
                Channel.IN_PERSON: "persoonlijk", Channel.PARRO: "via Parro",
                Channel.SOCIAL_SCHOOLS: "via Social Schools",
                Channel.OTHER_APP: "via een andere ouderapp"}


def _events(session: Session, pupil_ids: Iterable[int],
            purpose_ids: Iterable[int]) -> dict[tuple[int, int], list[_Event]]:
    """(pupil, purpose) → its decisions, oldest first."""
    ids, purposes = sorted(set(pupil_ids)), sorted(set(purpose_ids))
    result: dict[tuple[int, int], list[_Event]] = {}
    if not purposes:
        return result
    for start in range(0, len(ids), 900):  # stay under every database's bind limit
        query = (select(ConsentEvent.pupil_id, ConsentEvent.purpose_id, ConsentEvent.decision,
                        ConsentEvent.decided_on, ConsentEvent.guardian_id,
                        ConsentEvent.by_pupil, ConsentEvent.channel)
                 .where(ConsentEvent.pupil_id.in_(ids[start:start + 900]),
                        ConsentEvent.purpose_id.in_(purposes))
                 .order_by(ConsentEvent.decided_on, ConsentEvent.id))
        for pupil_id, purpose_id, *rest in session.execute(query):
            result.setdefault((pupil_id, purpose_id), []).append(_Event(*rest))
    return result


def _outcome(events: list[_Event], decision: Decision, decided_on: date,
             guardian_id: int | None, first_day: date | None) -> tuple[str, _Event | None]:
    """'newer' (a later decision stays), 'already' (this voice said so already) or 'record'."""
    newer = [e for e in events if e.decided_on > decided_on]
    if newer:
        return "newer", newer[-1]
    own = [e for e in events if not e.by_pupil and e.guardian_id == guardian_id
           and (first_day is None or e.decided_on >= first_day)]
    if own and (own[-1].decision == Decision.GIVEN) == (decision == Decision.GIVEN):
        return "already", own[-1]
    return "record", None


class _Counting:
    """counting_from() per date, asked once per distinct date."""

    def __init__(self, session: Session) -> None:
        self.session, self.known = session, {}

    def __call__(self, day: date) -> date | None:
        if day not in self.known:
            self.known[day] = counting_from(self.session, day)
        return self.known[day]


def build_consent_preview(session: Session, actor: Actor, parsed: ParsedPreferences,
                          source: Source | str, *, clock: Clock = system_clock,
                          ) -> ConsentPreview:
    """Compare the file's choices with the register. Nothing is written.

    Pupils are matched on the leerlingnummer (the source system's key), else on name and
    date of birth. Takes the write lock first, as the pupils import does, so a second import
    of the same file waits and then finds the decisions of the first."""
    require(actor, Permission.RECORD_CONSENT)
    lock_for_import(session)
    source = Source(source)
    today = local_today(clock)
    preview = ConsentPreview(source=source, file_kind=parsed.source,
                             rows_read=len(parsed.rows) + parsed.problem_count,
                             problems=list(parsed.problems),
                             problems_left_out=parsed.problems_left_out)
    purposes = {p.code: p for p in purpose_choices(session, actor)}
    codes = [c for c in parsed.purpose_codes if c in purposes]
    counts = {code: PurposeCount(purposes[code].purpose_id, purposes[code].title,
                                 purposes[code].is_image) for code in codes}
    preview.counts = list(counts.values())
    pupils = _pupils(session)
    by_key: dict[str, int] = {}
    by_name: dict[tuple, list[int]] = {}
    for pid, info in pupils.items():
        if info.source_key:
            by_key.setdefault(info.source_key, pid)
        for key in info.name_keys:
            ids = by_name.setdefault((key, info.born), [])
            if pid not in ids:
                ids.append(pid)
    matched: list[tuple[PreferenceRow, int]] = []
    seen: dict[int, str] = {}
    for row in parsed.rows:
        pid = by_key.get(row.source_key) if row.source_key else None
        if pid is None and row.name_key and row.date_of_birth is not None:
            candidates = by_name.get((row.name_key, row.date_of_birth), [])
            if len(candidates) > 1:
                preview.add_problem(ImportProblem(row.where, "meer dan één leerling in het "
                                                  "register heeft deze naam en geboortedatum; "
                                                  "vul het leerlingnummer in"))
                continue
            pid = candidates[0] if candidates else None
        if pid is None:
            preview.not_found.append(NotFound(row.where, row.name, row.source_key,
                                              row.date_of_birth, row.group_name))
            continue
        if pid in seen:
            preview.add_problem(ImportProblem(row.where, "deze leerling staat al eerder in het "
                                              f"bestand ({seen[pid]}); deze regel is "
                                              "overgeslagen"))
            continue
        seen[pid] = row.where
        info = pupils[pid]
        problem = import_decision_problem(born=info.born, enrolled_on=info.enrolled_on,
                                          decided_on=row.decided_on, today=today)
        if problem is not None:
            preview.add_problem(ImportProblem(row.where, problem))
            continue
        matched.append((row, pid))
    preview.pupils_found = len(matched)
    guardians = _guardians(session, [pid for row, pid in matched if row.guardian])
    events = _events(session, [pid for _, pid in matched],
                     [purposes[c].purpose_id for c in codes])
    counting = _Counting(session)
    for row, pid in matched:
        guardian_id, note = None, f"door: {VIA_APP}"
        if row.guardian:
            found = _guardian_named(guardians.get(pid, []), row.guardian)
            if found is not None and not found[1]:
                preview.add_problem(ImportProblem(row.where, f"{row.guardian} heeft geen gezag "
                                                  "en kan geen toestemming geven of weigeren"))
                continue
            if found is not None:
                guardian_id, note = found[0], ""
            else:
                note = f"door: {VIA_APP} (in het bestand: {row.guardian})"
        for code, answer in row.answers:
            if code not in counts:
                continue
            count = counts[code]
            if answer is Answer.NONE:
                count.unanswered += 1
                continue
            if answer is Answer.GIVEN:
                count.given += 1
                decision = Decision.GIVEN
            else:
                count.refused += 1
                decision = Decision.REFUSED
            outcome, event_ = _outcome(events.get((pid, count.purpose_id), []), decision,
                                       row.decided_on, guardian_id, counting(row.decided_on))
            if outcome == "newer":
                count.newer += 1
                preview.conflicts.append(Conflict(row.where, pupils[pid].name, count.title,
                                                  _conflict_message(event_, decision)))
            elif outcome == "already":
                count.already += 1
            else:
                count.to_record += 1
                preview.planned.append(Planned(pid, count.purpose_id, decision, row.decided_on,
                                               guardian_id, note))
    return preview


def _conflict_message(event_: _Event, decision: Decision) -> str:
    via = _CHANGED_VIA.get(event_.channel, "in het register")
    return (f"{via} gewijzigd op {format_dutch_date(event_.decided_on)} "
            f"({DECISION_LABELS.get(event_.decision, event_.decision)}); in het bestand: "
            f"{DECISION_LABELS[decision]}")


@dataclass(frozen=True)
class _PupilInfo:
    source_key: str | None
    name: str
    name_keys: tuple[tuple[str, ...], ...]
    born: date | None
    enrolled_on: date | None


def _pupils(session: Session) -> dict[int, _PupilInfo]:
    result = {}
    for pid, key, first, given, prefix, last, born, enrolled in session.execute(
            select(Pupil.id, Pupil.source_key, Pupil.first_name, Pupil.given_names,
                   Pupil.prefix, Pupil.last_name, Pupil.date_of_birth, Pupil.enrolled_on)
            .order_by(Pupil.legacy_duplicate, Pupil.id)):
        keys = {_tokens(first, prefix, last)}
        if given:
            keys.add(_tokens(given, prefix, last))
        name = " ".join(p for p in (first, prefix, last) if p)
        result[pid] = _PupilInfo(key, name, tuple(keys), born, enrolled)
    return result


def _guardians(session: Session, pupil_ids: list[int],
               ) -> dict[int, list[tuple[int, bool, tuple[str, ...]]]]:
    """pupil → (guardian id, has gezag, name key) of the guardians linked to it."""
    result: dict[int, list[tuple[int, bool, tuple[str, ...]]]] = {}
    ids = sorted(set(pupil_ids))
    for start in range(0, len(ids), 900):
        for pid, gid, authority, first, prefix, last in session.execute(
                select(PupilGuardian.pupil_id, Guardian.id, PupilGuardian.has_authority,
                       Guardian.first_name, Guardian.prefix, Guardian.last_name)
                .join(Guardian, Guardian.id == PupilGuardian.guardian_id)
                .where(PupilGuardian.pupil_id.in_(ids[start:start + 900]))):
            result.setdefault(pid, []).append((gid, bool(authority),
                                               _tokens(first, prefix, last)))
    return result


def _guardian_named(linked: list[tuple[int, bool, tuple[str, ...]]],
                    name: str) -> tuple[int, bool] | None:
    wanted = _tokens(name)
    hits = [(gid, authority) for gid, authority, key in linked if key == wanted]
    return hits[0] if len(hits) == 1 else None


# --- the commit -------------------------------------------------------------------------

@dataclass(frozen=True)
class ConsentImportResult:
    recorded: int
    pupils: int
    skipped: int = 0  # became identical or older than the register between preview and commit


def commit_consent_import(session: Session, actor: Actor, preview: ConsentPreview, *,
                          clock: Clock = system_clock,
                          progress: Callable[[int, int], bool] | None = None,
                          ) -> ConsentImportResult:
    """Append the preview's decisions, audited ("consent.import"), recorded by `actor`.

    Takes the write lock and checks each decision again against the register (another
    import or a paper form may have come in since the preview). The caller owns the
    transaction: one commit at the end, a rollback on Cancelled."""
    require(actor, Permission.RECORD_CONSENT)
    lock_for_import(session)
    now = clock()
    channel = str(SOURCE_CHANNELS[preview.source])
    planned = preview.planned
    active = dict(session.execute(select(ConsentPurpose.id, ConsentPurpose.version)
                                  .where(ConsentPurpose.retired_at.is_(None))).all())
    events = _events(session, [p.pupil_id for p in planned], [p.purpose_id for p in planned])
    counting = _Counting(session)
    rows, skipped = [], 0
    for item in planned:
        outcome, _ = _outcome(events.get((item.pupil_id, item.purpose_id), []), item.decision,
                              item.decided_on, item.guardian_id, counting(item.decided_on))
        if outcome != "record" or item.purpose_id not in active:
            skipped += 1
            continue
        rows.append({"pupil_id": item.pupil_id, "purpose_id": item.purpose_id,
                     "purpose_version": active[item.purpose_id],
                     "decision": str(item.decision), "decided_on": item.decided_on,
                     "guardian_id": item.guardian_id, "by_pupil": False, "channel": channel,
                     "note": item.note, "recorded_by": actor.id, "recorded_at": now})
    table = ConsentEvent.__table__
    ids: list[int] = []
    for start in range(0, len(rows), 1000):
        chunk = rows[start:start + 1000]
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        ids.extend(session.connection().execute(statement, chunk).scalars())
        if progress is not None and not progress(len(ids), len(rows)):
            raise Cancelled("Het importeren is afgebroken. Er is niets opgeslagen.")
    audit_many(session, actor, "consent.import", "consent_event", ids, clock=clock)
    return ConsentImportResult(len(ids), len({r["pupil_id"] for r in rows}), skipped)


# --- remembered mappings ----------------------------------------------------------------

def _setting_key(source: Source | str, headers: list[str]) -> str:
    return f"import.consents.{Source(source)}.{mapping_key(headers)}"


def load_consent_mapping(session: Session, actor: Actor, source: Source | str,
                         headers: list[str]) -> ConsentMapping | None:
    """The mapping remembered for this source and export layout, if any."""
    require(actor, Permission.RECORD_CONSENT)
    row = setting_row(session, _setting_key(source, headers))
    return ConsentMapping.from_json(row.value) if row is not None else None


def save_consent_mapping(session: Session, actor: Actor, source: Source | str,
                         headers: list[str], mapping: ConsentMapping) -> None:
    """Remember the mapping for this source and export layout (no personal data: column
    names, purpose codes and cell values such as 'Ja')."""
    require(actor, Permission.RECORD_CONSENT)
    key = _setting_key(source, headers)
    row = setting_row(session, key)
    if row is None:
        session.add(Setting(key=key, value=mapping.to_json()))
    else:
        row.value = mapping.to_json()
