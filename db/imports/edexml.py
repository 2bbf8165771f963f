"""EDEXML 2.x, the "EDEX & UWLR" export of ParnasSys and ESIS, into a ParsedFile.

The schema (EDEXML.structuur.xsd 2.0/2.1) has no namespace: ``<EDEX>`` holds ``<school>``,
``<vestigingen>``, ``<groepen>`` (``<groep key>`` with ``naam`` and ``jaargroep``;
``<samengestelde_groep key>`` with ``naam``), ``<leerlingen>`` (``<leerling key eckid>``) and
``<leerkrachten>``. Any namespace is accepted. Only the elements the register needs are read;
BSN, onderwijsnummer, postcode, gewicht, etniciteit and the rest are cleared as soon as the
parser has passed them and never copied anywhere.

Decisions (documented for the preview and the office):
- groep: the ``naam`` of the ``<groep>`` the pupil refers to, with a leading "Groep " dropped
  ("Groep 5a" → "5a"; "Kabouters" stays). Samengestelde groepen (plusklas, muziek) are ignored.
- jaargroep: the pupil's own ``<jaargroep>``; when the pupil has none, the group's (unless the
  group is a combinatiegroep, code C). Only 1–8 is accepted: 0 (peuters), S, H, 11–16, empty or
  missing make the pupil a problem, as do a missing achternaam, roepnaam/voornamen, geboortedatum
  or groep. Nothing is guessed.
- A DOCTYPE or ENTITY declaration is refused (entity expansion, external entities).
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from xml.parsers import expat

from db.imports.model import ImportedPupil, ImportProblem, ParsedFile
from db.text import clean_group_name, parse_dutch_date, parse_year_group

MAX_FILE_BYTES = 200 * 1024 * 1024

# Column lengths of db/schema.py (Pupil, Guardian); tests keep them in step.
PUPIL_LIMITS = {"source_key": 64, "first_name": 100, "given_names": 200, "prefix": 30,
                "last_name": 150, "group_name": 20}
GUARDIAN_LIMITS = {"first_name": 100, "prefix": 30, "last_name": 150, "phone": 40,
                   "email": 200}
LABELS = {"source_key": "leerlingnummer", "first_name": "roepnaam", "given_names": "voornamen",
          "prefix": "voorvoegsel", "last_name": "achternaam", "group_name": "groep",
          "phone": "telefoon", "email": "e-mail"}

_READ = frozenset({"achternaam", "voorvoegsel", "voornamen", "roepnaam", "geboortedatum",
                   "jaargroep", "instroomdatum", "uitstroomdatum"})
_YEAR_CODES = {"B": "baby's", "D": "dreumesen", "0": "peutergroep",
               "S": "speciaal (basis)onderwijs", "V": "voortgezet speciaal onderwijs",
               "C": "combinatiegroep", "N": "niet PO/VO", "H": "historisch",
               **{str(n): "voortgezet onderwijs" for n in range(11, 17)}}
_EXPAT_DUTCH = {
    "syntax error": "syntaxfout",
    "no element found": "het bestand houdt halverwege op",
    "not well-formed (invalid token)": "ongeldig teken",
    "unclosed token": "een element is niet afgesloten",
    "mismatched tag": "de sluittag past niet bij de openingstag",
    "junk after document element": "tekst na het einde van het document",
    "undefined entity": "onbekende entiteit",
    "unknown encoding": "onbekende tekencodering",
    "encoding specified in XML declaration is incorrect": "verkeerde tekencodering",
    "duplicate attribute": "dubbel attribuut",
    "XML or text declaration not at start of entity": "XML-declaratie niet aan het begin",
}


def too_large(where: str, source: str = "") -> ParsedFile:
    return ParsedFile(problems=[ImportProblem(where, "Het bestand is groter dan 200 MB; dat is "
                                              "geen leerlingenexport. Er is niets ingelezen.")],
                      source=source)


def length_problems(pupil: ImportedPupil) -> list[str]:
    """Values longer than the register's columns, in Dutch; shared by all importers."""
    found = [f"{LABELS[f]} is langer dan {n} tekens" for f, n in PUPIL_LIMITS.items()
             if len(getattr(pupil, f) or "") > n]
    for number, guardian in enumerate(pupil.guardians, start=1):
        found += [f"{LABELS[f]} ouder {number} is langer dan {n} tekens"
                  for f, n in GUARDIAN_LIMITS.items() if len(getattr(guardian, f)) > n]
    return found


@dataclass(frozen=True)
class _Group:
    name: str
    year: str | None


@dataclass(frozen=True)
class _Record:
    key: str
    number: int
    values: dict[str, str]
    group_key: str | None


class _NotEdex(Exception):
    pass


class _Stop(Exception):
    pass


def parse_edexml(data: bytes, *, name: str = "") -> ParsedFile:
    """Read an EDEXML export; bad pupils become problems, a broken file one problem."""
    where = name or "bestand"
    if len(data) > MAX_FILE_BYTES:
        return too_large(where, "EDEXML")
    if _declares_doctype(data):
        return _fail(where, "Het bestand bevat een DOCTYPE- of ENTITY-declaratie en wordt om "
                     "veiligheidsredenen niet gelezen. Maak de export opnieuw vanuit het "
                     "leerlingadministratiesysteem.")
    parsed = ParsedFile(source="EDEXML")
    try:
        groups, records = _read(data, parsed)
    except ET.ParseError as error:
        line = error.position[0] if error.position else 0
        return _fail(where, f"Het bestand is geen geldige EDEXML-export (regel {line}: "
                     f"{_dutch_reason(error)}). Er is niets ingelezen.")
    except (ValueError, LookupError):
        return _fail(where, "Het bestand is geen geldige EDEXML-export (onbekende "
                     "tekencodering). Er is niets ingelezen.")
    except _NotEdex as error:
        return _fail(where, f"Het bestand is geen EDEXML-export: het begint met <{error}> in "
                     "plaats van <EDEX>. Er is niets ingelezen.")
    if not records:
        return _fail(where, "Het bestand bevat geen leerlingen. Er is niets ingelezen.")
    for record in records:
        result = _pupil(record, groups)
        if isinstance(result, ImportedPupil):
            parsed.pupils.append(result)
        else:
            parsed.add_problem(result)
    return parsed


def _fail(where: str, message: str) -> ParsedFile:
    return ParsedFile(problems=[ImportProblem(where, message)], source="EDEXML")


def _declares_doctype(data: bytes) -> bool:
    """True when a DOCTYPE or ENTITY declaration comes before the root element."""
    parser = expat.ParserCreate()
    found = False

    def doctype(*_args: object) -> None:
        nonlocal found
        found = True
        raise _Stop

    def element(*_args: object) -> None:
        raise _Stop

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = element
    step = 1 << 16
    try:
        for start in range(0, len(data), step):
            parser.Parse(data[start:start + step], start + step >= len(data))
    except (_Stop, expat.ExpatError, ValueError, LookupError):
        pass
    return found


def _dutch_reason(error: ET.ParseError) -> str:
    text = str(error).split(":", 1)[0].strip()
    return _EXPAT_DUTCH.get(text, "ongeldige XML")


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _text(value: str | None) -> str:
    return " ".join(value.split()) if value else ""


def _read(data: bytes, parsed: ParsedFile) -> tuple[dict[str, _Group], list[_Record]]:
    """Stream the document once; keep groups and the whitelisted fields of each pupil.

    Each of the 20 or so elements of a pupil passes here twice (start and end), so this loop
    does as little as it can: the parser hands the same tag text again and again, whose local
    name is looked up once; only the names down to a pupil's fields are kept on the path."""
    groups: dict[str, _Group] = {}
    records: list[_Record] = []
    names: dict[object, str] = {}  # tag → local name
    path: list[str] = []  # local names of the open elements, at most three deep
    depth = 0  # open elements
    for event, elem in ET.iterparse(io.BytesIO(data), events=("start", "end")):
        if event == "start":
            if depth < 3:
                tag = elem.tag
                local = names.get(tag)
                if local is None:
                    local = names[tag] = _local(tag)
                if not depth and local != "EDEX":
                    raise _NotEdex(local[:40])
                path.append(local)
            depth += 1
            continue
        depth -= 1  # ancestors: 1 = child of <EDEX>, 2 = a groep or leerling
        if depth == 3:
            if path[2] == "leerling":
                tag = elem.tag
                local = names.get(tag)
                if local is None:
                    local = names[tag] = _local(tag)
                if local not in _READ and local != "groep":
                    elem.clear()  # BSN and everything else we do not need: dropped at once
            continue
        if depth > 3:
            continue
        local = path.pop()
        if depth == 1:
            if local == "school":
                values = {_local(c.tag): _text(c.text) for c in elem}
                parsed.school_brin = values.get("brincode", "")
                parsed.school_year = values.get("schooljaar", "")
            elem.clear()
        elif depth == 2 and path[1] != "school":
            if path[1] == "groepen" and local == "groep":
                groups[_text(elem.get("key"))] = _group(elem)
            elif path[1] == "leerlingen" and local == "leerling":
                records.append(_record(elem, len(records) + 1, names))
            elem.clear()
    return groups, records


def _group(elem: ET.Element) -> _Group:
    values = {_local(c.tag): _text(c.text) for c in elem}
    return _Group(values.get("naam", ""), values.get("jaargroep"))


def _record(elem: ET.Element, number: int, names: dict[object, str]) -> _Record:
    values: dict[str, str] = {}
    group_key = None
    for child in elem:
        tag = child.tag
        local = names.get(tag)
        if local is None:
            local = names[tag] = _local(tag)
        if local in _READ:
            values[local] = _text(child.text)
        elif local == "groep":
            group_key = _text(child.get("key"))
    return _Record(_text(elem.get("key")), number, values, group_key)


def _pupil(record: _Record, groups: dict[str, _Group]) -> ImportedPupil | ImportProblem:
    where = f"leerling key={record.key}" if record.key else f"leerling nr. {record.number}"
    values = record.values
    issues: list[str] = []
    last, given = values.get("achternaam", ""), values.get("voornamen", "")
    first = values.get("roepnaam", "") or given.partition(" ")[0]
    if not last:
        issues.append("achternaam ontbreekt")
    if not first:
        issues.append("roepnaam en voornamen ontbreken")
    born = _date(values, "geboortedatum", issues, required=True)
    enrolled = _date(values, "instroomdatum", issues)
    left = _date(values, "uitstroomdatum", issues)
    group_name, group = "", None
    if record.group_key is None:
        issues.append("groep ontbreekt")
    elif (group := groups.get(record.group_key)) is None:
        issues.append(f"groep key={record.group_key} staat niet bij de groepen in het bestand")
    elif not group.name:
        issues.append(f"groep key={record.group_key} heeft geen naam")
    else:
        group_name = clean_group_name(group.name)
    year = _year(values.get("jaargroep"), group, issues)
    pupil = ImportedPupil(where=where, source_key=record.key or None, first_name=first,
                          last_name=last, prefix=values.get("voorvoegsel", ""),
                          given_names=given, date_of_birth=born, year_group=year,
                          group_name=group_name, enrolled_on=enrolled, left_on=left)
    issues += length_problems(pupil)
    if not issues:
        return pupil
    who = " ".join(part for part in (first, pupil.prefix, last) if part)
    return ImportProblem(where, "; ".join(issues) + (f" (leerling: {who})" if who else ""))


def _date(values: dict[str, str], field: str, issues: list[str], *,
          required: bool = False) -> date | None:
    raw = values.get(field, "")
    if not raw:
        if required:
            issues.append(f"{field} ontbreekt")
        return None
    if len(raw) > 10 and raw[10] in "Z+-":  # xs:date may carry a time zone
        raw = raw[:10]
    try:
        return parse_dutch_date(raw)
    except ValueError as error:
        issues.append(f"{field} {error}")
        return None


def _year(own: str | None, group: _Group | None, issues: list[str]) -> int | None:
    raw = own
    if raw is None and group is not None and group.year not in (None, "C"):
        raw = group.year
    if raw is None:
        issues.append("jaargroep ontbreekt")
        return None
    try:
        return parse_year_group(raw)
    except ValueError as error:
        code = raw.upper()
        meaning = f" ({code} = {_YEAR_CODES[code]})" if code in _YEAR_CODES else ""
        issues.append(f"jaargroep {error}{meaning}")
        return None

