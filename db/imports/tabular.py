"""CSV and XLSX pupil lists (ParnasSys/ESIS overviews, the office's own spreadsheets).

Two steps so the app can show and correct the column mapping in between:
``read_table`` turns the bytes into headers and rows (strings, or dates from date cells),
``guess_mapping`` proposes field → header from common Dutch headers, ``parse_table`` validates
each row under a (possibly corrected) mapping. ``mapping_key`` names an export layout, so the
app can remember a corrected mapping for the next file of the same shape.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import chain, islice
from typing import NamedTuple

from db.imports.edexml import MAX_FILE_BYTES, length_problems
from db.imports.model import ImportedGuardian, ImportedPupil, ImportProblem, ParsedFile
from db.text import (
    clean_group_name,
    fold,
    format_dutch_date,
    parse_dutch_date,
    parse_year_group,
    split_full_name,
    split_prefix,
)

Cell = str | date
MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024  # a workbook that inflates beyond this is refused
MAX_NOTES = 100  # notes about single rows; a count stands for the rest
GUARDIANS = (1, 2)


class Field(NamedTuple):
    label: str      # Dutch, as the mapping dialog shows it
    required: bool


FIELDS: dict[str, Field] = {
    "source_key": Field("Leerlingnummer", False),
    "first_name": Field("Roepnaam", False),     # roepnaam or voornamen is required
    "given_names": Field("Voornamen", False),
    "prefix": Field("Voorvoegsel", False),
    "last_name": Field("Achternaam", True),
    "date_of_birth": Field("Geboortedatum", True),
    "group_name": Field("Groep", True),
    "year_group": Field("Jaargroep", False),
    "enrolled_on": Field("Datum inschrijving", False),
    "left_on": Field("Datum uitschrijving", False),
    **{f"guardian{n}_{part}": Field(f"{label} ouder/verzorger {n}", False)
       for n in GUARDIANS
       for part, label in (("name", "Naam"), ("first_name", "Voornaam"),
                           ("prefix", "Voorvoegsel"), ("last_name", "Achternaam"),
                           ("email", "E-mail"), ("phone", "Telefoon"))},
}
ONE_OF = (("first_name", "given_names"),)


class TableError(ValueError):
    """The file cannot be read as a table; the message is Dutch and meant for the user."""


@dataclass
class Table:
    headers: list[str]             # unique: empty → "kolom 3", repeated → "E-mail (2)"
    rows: Sequence[list[Cell]]     # each as long as headers; blank rows left out
    lines: list[int]               # the line of each row as a spreadsheet numbers it
    source: str = "CSV"            # "CSV" or "XLSX"
    header_line: int = 1
    notes: list[str] = field(default_factory=list)


class _CsvRows(Sequence[list[Cell]]):
    """A CSV table's rows, kept as the text of each record and split again when read.

    One string per row instead of a list of cell strings: a file of a million rows takes a
    quarter of the memory, and reading the rows again costs what reading the file did.
    """

    def __init__(self, delimiter: str, width: int) -> None:
        self.records: list[str] = []
        self.delimiter, self.width = delimiter, width

    def __len__(self) -> int:
        return len(self.records)

    def __getitem__(self, index):  # noqa: ANN001, ANN204 - int or slice, as a list's
        if isinstance(index, slice):
            return list(self._split(self.records[index]))
        return next(self._split([self.records[index]]))

    def __iter__(self) -> Iterator[list[Cell]]:
        return self._split(self.records)

    def _split(self, records: Iterable[str]) -> Iterator[list[Cell]]:
        for row in csv.reader(records, delimiter=self.delimiter):
            yield _fit(row, self.width)


def _fit(row: list[Cell], width: int) -> list[Cell]:
    return row if len(row) == width else row[:width] + [""] * (width - len(row))


# --- reading ---------------------------------------------------------------------------------

def read_table(data: bytes, name: str) -> Table:
    """Headers and rows of a CSV (; , or tab; UTF-8, UTF-16 or Windows-1252) or of the first
    sheet of an .xlsx. Raises TableError with a Dutch message when it cannot."""
    if len(data) > MAX_FILE_BYTES:
        raise TableError("Het bestand is groter dan 200 MB; dat is geen leerlingenlijst.")
    if data.startswith(b"PK\x03\x04"):
        return _table(((line, row, "") for line, row in _xlsx_rows(data)), "XLSX")
    text = _decode(data)
    delimiter = _delimiter(text)
    return _table(_csv_rows(text, delimiter), "CSV", delimiter=delimiter)


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


_QUOTED = re.compile(r'"[^"]*"')


def _delimiter(text: str) -> str:
    """The one of ; tab , that occurs most in the first lines (outside quotes); ; wins ties."""
    sample = [_QUOTED.sub("", line) for line in text[:65536].splitlines()[:20]]
    counts = {d: sum(line.count(d) for line in sample) for d in (";", "\t", ",")}
    return max(counts, key=lambda d: counts[d])  # max keeps the first of equal counts


def _csv_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[Cell], str]]:
    """The rows one by one, each with the text of its record (a quoted cell may hold line
    breaks, so a record can span lines): a big file is never held as a list of cell lists."""
    consumed: list[str] = []

    def lines() -> Iterator[str]:
        for line in _text_lines(text):
            consumed.append(line)
            yield line

    reader = csv.reader(lines(), delimiter=delimiter)
    start = 1
    try:
        for row in reader:
            record = consumed[0] if len(consumed) == 1 else "".join(consumed)
            consumed.clear()
            yield start, row, record
            start = reader.line_num + 1
    except csv.Error as error:
        reason = "een veld is te lang" if "limit" in str(error) else "ongeldige opmaak"
        raise TableError(f"Het bestand is geen geldige CSV (regel {start}: {reason}).") from None


def _text_lines(text: str) -> Iterator[str]:
    """The lines of `text` with their line ends, as slices (io.StringIO would copy the whole
    text into a buffer of four bytes per character). Ends in \n, or in \r alone when the
    file has no \n at all (old Mac exports); csv joins a quoted field's lines again."""
    end_of_line = "\n" if "\n" in text else "\r"
    start, size = 0, len(text)
    while start < size:
        end = text.find(end_of_line, start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end + 1]
        start = end + 1


def _xlsx_rows(data: bytes) -> list[tuple[int, list[Cell]]]:
    import openpyxl  # only needed for workbooks
    from openpyxl.xml import DEFUSEDXML

    unreadable = "Het bestand is geen leesbaar Excel-bestand (.xlsx)."
    if not DEFUSEDXML:  # openpyxl uses defusedxml when it is installed: no entity expansion
        raise TableError("Excel-bestanden kunnen op deze installatie niet veilig worden "
                         "gelezen (defusedxml ontbreekt). Sla het bestand op als CSV, of laat "
                         "Privacyregister opnieuw installeren.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
                raise TableError("Het Excel-bestand is uitgepakt groter dan 1 GB; dat is geen "
                                 "leerlingenlijst.")
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except TableError:
        raise
    except Exception:  # a damaged or foreign zip fails in many ways inside openpyxl
        raise TableError(unreadable) from None
    try:
        if not book.worksheets:
            raise TableError("Het Excel-bestand heeft geen werkblad.")
        sheet = book.worksheets[0]
        return [(number, [_cell(value) for value in row])
                for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    except TableError:
        raise
    except Exception:
        raise TableError(unreadable) from None
    finally:
        book.close()


def _cell(value: object) -> Cell:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, time):
        return value.isoformat()
    return str(value)


def _blank(row: list[Cell]) -> bool:
    return all(isinstance(c, str) and not c.strip() for c in row)


def _table(rows: Iterable[tuple[int, list[Cell], str]], source: str, *,
           delimiter: str | None = None) -> Table:
    """The table under its header row. With a `delimiter` (CSV) each row is kept as the text
    of its record (see _CsvRows); a workbook's rows are kept as cells."""
    filled = (item for item in rows if not _blank(item[1]))
    first = list(islice(filled, 20))
    if not first:
        raise TableError("Het bestand is leeg.")
    head = 0
    for index, (_line, row, _record) in enumerate(first):  # skip a title above the header
        if len(guess_mapping(_header_names(row))) >= 2:
            head = index
            break
    header_line, header_row, _record = first[head]
    headers = _header_names(header_row)
    width = len(headers)
    kept: list[list[Cell]] | _CsvRows = _CsvRows(delimiter, width) if delimiter else []
    table = Table(headers=headers, rows=kept, lines=[], source=source, header_line=header_line)
    too_wide = 0
    for line, row, record in chain(first[head + 1:], filled):
        if len(row) > width and not _blank(row[width:]):
            too_wide += 1
            if too_wide <= MAX_NOTES:
                table.notes.append(f"regel {line}: meer cellen dan kolomkoppen; de rest is "
                                   "genegeerd")
        if isinstance(kept, _CsvRows):
            kept.records.append(record)
        else:
            kept.append(_fit(row, width))
        table.lines.append(line)
    if too_wide > MAX_NOTES:
        table.notes.append(f"… en nog {too_wide - MAX_NOTES} regels met meer cellen dan "
                           "kolomkoppen")
    return table


def _header_names(row: Iterable[Cell]) -> list[str]:
    names: list[str] = []
    seen: dict[str, int] = {}
    for index, cell in enumerate(row, start=1):
        text = format_dutch_date(cell) if isinstance(cell, date) else " ".join(cell.split())
        text = text or f"kolom {index}"
        seen[text] = seen.get(text, 0) + 1
        names.append(text if seen[text] == 1 else f"{text} ({seen[text]})")
    return names


# --- mapping ---------------------------------------------------------------------------------

def _compact(header: str) -> str:
    return re.sub(r"[^0-9a-z]", "", fold(header))


_ALIASES: dict[str, tuple[str, int]] = {}
for _field, _priority, _names in (
    ("first_name", 0, "roepnaam roepnaamleerling roepnaamll"),
    ("given_names", 0, "voornamen voornamenleerling officielevoornamen"),
    ("given_names", 1, "voornaam voornaamleerling"),
    ("prefix", 0, "tussenvoegsel tussenvoegsels voorvoegsel voorvoegsels tussenv "
                  "tussenvoegselleerling voorvoegselleerling"),
    ("prefix", 1, "tv vv"),
    ("last_name", 0, "achternaam achternaamleerling geslachtsnaam familienaam"),
    ("last_name", 1, "naam naamleerling"),
    ("date_of_birth", 0, "geboortedatum gebdatum gebdat geboortedatumleerling geborenop "
                         "datumgeboorte"),
    ("date_of_birth", 1, "geboren"),
    ("group_name", 0, "groep klas klasnaam groepsnaam groepnaam stamgroep basisgroep "
                      "huidigegroep"),
    ("year_group", 0, "leerjaar jaargroep jaarlaag"),
    ("enrolled_on", 0, "datuminschrijving inschrijfdatum inschrijvingsdatum instroomdatum "
                       "datuminstroom ingeschrevenop"),
    ("enrolled_on", 1, "startdatum datumbinnenkomst"),
    ("left_on", 0, "datumuitschrijving uitschrijfdatum uitschrijvingsdatum uitstroomdatum "
                   "datumuitstroom vertrekdatum datumvertrek"),
    ("left_on", 1, "einddatum"),
    ("source_key", 0, "leerlingnummer leerlingid leerlingnr llnr leerlingkey llnummer "
                      "leerlingcode"),
    ("source_key", 1, "id key nr nummer"),
):
    for _name in _names.split():
        _ALIASES[_name] = (_field, _priority)

_GUARDIAN = re.compile(r"([a-z]*?)(?:ouderverzorger|verzorgerouder|ouders?|verzorgers?"
                       r"|contactpersoon|ov)([12])([a-z]*)")
_GUARDIAN_KINDS: dict[str, tuple[str, int]] = {}
for _part, _priority, _names in (
    ("name", 0, " naam volledigenaam naamvolledig"),
    ("last_name", 0, "achternaam geslachtsnaam"),
    ("first_name", 0, "voornaam roepnaam voornamen voorletters"),
    ("prefix", 0, "tussenvoegsel voorvoegsel tussenv"),
    ("email", 0, "email emailadres mail mailadres"),
    ("phone", 0, "mobiel mobielnummer mobielnr mobieletelefoon gsm telefoonmobiel"),
    ("phone", 1, "telefoon tel telefoonnummer telnr telefoonnr"),
):
    for _name in _names.split(" "):
        _GUARDIAN_KINDS[_name] = (_part, _priority)


def field_of(header: str) -> tuple[str, int] | None:
    """The field a header names and how sure that is (0 = sure), or None."""
    key = _compact(header)
    if key in _ALIASES:
        return _ALIASES[key]
    match = _GUARDIAN.fullmatch(key)
    if match and (match[1] + match[3]) in _GUARDIAN_KINDS:
        part, priority = _GUARDIAN_KINDS[match[1] + match[3]]
        return f"guardian{match[2]}_{part}", priority
    return None


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Field → header for the headers that look like a known column; the surest one wins."""
    best: dict[str, tuple[int, int, str]] = {}
    for index, header in enumerate(headers):
        hit = field_of(header)
        if hit and (hit[0] not in best or (hit[1], index) < best[hit[0]][:2]):
            best[hit[0]] = (hit[1], index, header)
    return {name: best[name][2] for name in FIELDS if name in best}


def mapping_key(headers: list[str]) -> str:
    """A stable name for an export layout: the same headers give the same key."""
    names = sorted({_compact(h) for h in headers} - {""})
    return hashlib.sha256("\n".join(names).encode()).hexdigest()[:16]


def missing_fields(mapping: Mapping[str, str]) -> list[str]:
    """Dutch labels of the required fields the mapping leaves without a column."""
    chosen = {name for name, header in mapping.items() if header}
    missing = [FIELDS[n].label for n, spec in FIELDS.items() if spec.required and n not in chosen]
    missing += [" of ".join(FIELDS[n].label for n in group) for group in ONE_OF
                if not chosen & set(group)]
    return missing


# --- validating ------------------------------------------------------------------------------

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def parse_table(table: Table, mapping: Mapping[str, str]) -> ParsedFile:
    """Validate every row under the mapping: a pupil, or one problem naming the line."""
    parsed = ParsedFile(source=table.source)
    columns, unknown = _columns(table.headers, mapping)
    missing = missing_fields({name: table.headers[i] for name, i in columns.items()})
    if unknown:
        parsed.problems.append(ImportProblem("kolommen", "Deze kolommen staan niet in het "
                                             f"bestand: {', '.join(unknown)}."))
    if missing:
        parsed.problems.append(ImportProblem("kolommen", "Kies een kolom voor: "
                                             f"{', '.join(missing)}. Er is niets ingelezen."))
    if not (unknown or missing or table.rows):
        parsed.problems.append(ImportProblem("bestand", "Het bestand bevat alleen kolomkoppen, "
                                             "geen leerlingen. Er is niets ingelezen."))
    if unknown or missing or not table.rows:
        return parsed
    split = "prefix" not in columns
    guardians = tuple(n for n in GUARDIANS if any(k.startswith(f"guardian{n}_") for k in columns))
    for line, row in zip(table.lines, table.rows, strict=True):
        result = _row(line, row, columns, split, guardians)
        if isinstance(result, ImportedPupil):
            parsed.pupils.append(result)
        else:
            parsed.add_problem(result)
    return parsed


def _columns(headers: list[str], mapping: Mapping[str, str]) -> tuple[dict[str, int], list[str]]:
    exact = {h: i for i, h in reversed(list(enumerate(headers)))}
    loose = {_compact(h): i for i, h in reversed(list(enumerate(headers)))}
    columns: dict[str, int] = {}
    unknown: list[str] = []
    for name, header in mapping.items():
        if name not in FIELDS or not header:
            continue
        index = exact.get(header, loose.get(_compact(header)))
        if index is None:
            unknown.append(f"'{header}' ({FIELDS[name].label.lower()})")
        else:
            columns[name] = index
    return columns, unknown


class _Row:
    """One row's cells by field, and the issues found while reading them."""

    def __init__(self, row: list[Cell], columns: dict[str, int]) -> None:
        self.row, self.columns, self.issues = row, columns, []

    def text(self, name: str) -> str:
        index = self.columns.get(name)
        if index is None:
            return ""
        value = self.row[index]
        if value.__class__ is str:  # nearly every cell: the check below only for the rest
            return " ".join(value.split())
        return format_dutch_date(value) if isinstance(value, date) else " ".join(value.split())

    def day(self, name: str, *, required: bool = False) -> date | None:
        index = self.columns.get(name)
        value = self.row[index] if index is not None else ""
        if isinstance(value, date):
            return value
        label = FIELDS[name].label.lower()
        value = " ".join(value.split())
        if not value:
            if required:
                self.issues.append(f"{label} ontbreekt")
            return None
        try:
            return parse_dutch_date(value)
        except ValueError as error:
            self.issues.append(f"{label} {error}")
            return None


def _row(line: int, row: list[Cell], columns: dict[str, int], split: bool,
         guardians: tuple[int, ...]) -> ImportedPupil | ImportProblem:
    cells = _Row(row, columns)
    issues = cells.issues
    given = cells.text("given_names")
    first = cells.text("first_name") or given.partition(" ")[0]
    last, prefix = cells.text("last_name"), cells.text("prefix")
    if last and not prefix and (split or "," in last):
        prefix, last = split_prefix(last)
    if not first:
        issues.append("roepnaam en voornamen ontbreken")
    if not last:
        issues.append("achternaam ontbreekt")
    born = cells.day("date_of_birth", required=True)
    year = None
    if raw_year := cells.text("year_group"):
        try:
            year = parse_year_group(raw_year)
        except ValueError as error:
            issues.append(f"jaargroep {error}")
    group = clean_group_name(cells.text("group_name"))
    if not group:
        issues.append("groep ontbreekt")
    pupil = ImportedPupil(
        where=f"regel {line}", source_key=cells.text("source_key") or None, first_name=first,
        last_name=last, prefix=prefix, given_names=given, date_of_birth=born, year_group=year,
        group_name=group, enrolled_on=cells.day("enrolled_on"), left_on=cells.day("left_on"),
        guardians=tuple(g for n in guardians if (g := _guardian(cells, n))))
    issues += length_problems(pupil)
    if issues:
        return ImportProblem(f"regel {line}", "; ".join(issues))
    return pupil


# (part, field) of each guardian's columns, made once rather than for every row
_GUARDIAN_KEYS = {n: tuple((p, f"guardian{n}_{p}") for p in ("name", "first_name", "prefix",
                                                             "last_name", "email", "phone"))
                  for n in GUARDIANS}


def _guardian(cells: _Row, number: int) -> ImportedGuardian | None:
    keys = _GUARDIAN_KEYS[number]
    text = cells.text
    part = {p: text(key) for p, key in keys}
    if not any(part.values()):
        return None
    first, prefix, last = part["first_name"], part["prefix"], part["last_name"]
    if part["name"] and not last:
        whole = split_full_name(part["name"])
        first, prefix, last = first or whole[0], prefix or whole[1], whole[2]
    elif last and not prefix and keys[2][1] not in cells.columns:
        prefix, last = split_prefix(last)
    email = part["email"]
    if email and not _EMAIL.fullmatch(email):
        shown = email if len(email) <= 60 else email[:60] + "…"
        cells.issues.append(f"e-mail ouder/verzorger {number} '{shown}' is geen e-mailadres")
    return ImportedGuardian(last_name=last, first_name=first, prefix=prefix, email=email,
                            phone=part["phone"])
