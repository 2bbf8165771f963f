from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from db.imports.tabular import (
    FIELDS,
    TableError,
    guess_mapping,
    mapping_key,
    missing_fields,
    parse_table,
    read_table,
)
from tests.db.imports.make_fixtures import make_csv

FIXTURES = Path(__file__).parent / "fixtures"


def parse(data: bytes, mapping=None):
    table = read_table(data, "lijst")
    return parse_table(table, guess_mapping(table.headers) if mapping is None else mapping)


def problems(parsed):
    return {p.where: p.message for p in parsed.problems}


@pytest.fixture(scope="module")
def semicolons():
    return parse((FIXTURES / "leerlingen_puntkomma.csv").read_bytes())


def test_semicolon_csv_reads_pupils_and_guardians(semicolons):
    assert semicolons.source == "CSV"
    zoe, ismael = semicolons.pupils
    assert (zoe.where, zoe.source_key, zoe.first_name, zoe.prefix, zoe.last_name) == (
        "regel 2", "2001", "Zoë", "van den", "Berg")
    assert (zoe.date_of_birth, zoe.group_name, zoe.year_group, zoe.enrolled_on) == (
        date(2016, 3, 7), "5a", 5, date(2020, 9, 1))
    [anna] = zoe.guardians
    assert (anna.first_name, anna.prefix, anna.last_name, anna.email, anna.phone) == (
        "Anna", "van den", "Berg", "anna.vandenberg@example.nl", "0612345678")
    assert ismael.first_name == "Ismaël"            # no roepnaam: first of the voornamen
    assert ismael.given_names == "Ismaël Hassan"
    fatima, second = ismael.guardians
    assert (fatima.first_name, fatima.prefix, fatima.last_name) == ("Fatima", "El", "Amrani")
    assert (second.email, second.phone) == ("youssef@example.nl", "0687654321")


def test_bad_rows_are_reported_with_their_line(semicolons):
    assert problems(semicolons) == {
        "regel 4": "geboortedatum '31-06-2015' bestaat niet",
        "regel 5": "geboortedatum '2017/13/01' is geen datum (verwacht dd-mm-jjjj)",
        "regel 6": "jaargroep '0' is geen groep 1 tot en met 8",
        "regel 7": "roepnaam en voornamen ontbreken",
        "regel 8": "achternaam ontbreekt; jaargroep 'S' is geen groep 1 tot en met 8",
        "regel 9": "groep ontbreekt; e-mail ouder/verzorger 1 'geen-adres' is geen e-mailadres",
    }
    assert len(semicolons.pupils) + len(semicolons.problems) == 8


def test_comma_csv_with_bom_and_sorted_surname():
    parsed = parse((FIXTURES / "leerlingen_komma_bom.csv").read_bytes())
    assert parsed.problems == []
    chloe, bjorn = parsed.pupils
    assert (chloe.source_key, chloe.first_name, chloe.prefix, chloe.last_name) == (
        "3001", "Chloé", "van der", "Meer")            # no prefix column: split off
    assert chloe.date_of_birth == date(2016, 3, 7) and chloe.group_name == "5B"
    assert (bjorn.prefix, bjorn.last_name, bjorn.date_of_birth) == (
        "ten", "Brink", date(2015, 6, 21))              # "Brink, ten" in a quoted field


def test_windows_1252_csv():
    data = (FIXTURES / "leerlingen_cp1252.csv").read_bytes()
    assert b"\xeb" in data and b"\xef" in data          # ë and ï as single cp1252 bytes
    parsed = parse(data)
    assert [(p.first_name, p.last_name) for p in parsed.pupils] == [
        ("Anaïs", "Dubois"), ("René", "Hoëvenaars")]


def test_tab_separated_utf16_as_excel_writes_unicode_text():
    text = "Roepnaam\tAchternaam\tGeboortedatum\tGroep\r\nSaar\tMulder\t01-01-2017\t4a\r\n"
    parsed = parse(text.encode("utf-16"))
    assert [(p.first_name, p.last_name, p.group_name) for p in parsed.pupils] == [
        ("Saar", "Mulder", "4a")]


def test_xlsx_with_date_cells_and_a_title_row(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Overzicht leerlingen 2025-2026"])
    sheet.append([])
    sheet.append(["Leerlingnummer", "Roepnaam", "Tussenvoegsel", "Achternaam", "Geboortedatum",
                  "Klas", "Jaargroep", "Uitstroomdatum"])
    sheet.append([5001, "Fenna", "de", "Bakker", datetime(2016, 3, 7), "Groep 5a", 5, None])
    sheet.append([5002.0, "Luuk", None, "Visser", date(2015, 1, 31), "6b", "6",
                  datetime(2026, 7, 10, 0, 0)])
    sheet.append([None, None, None, None, None, None, None, None])
    sheet.append([5003, "Thijs", None, "Smit", "31-02-2016", "6b", 6, None])
    path = tmp_path / "leerlingen.xlsx"
    book.save(path)
    table = read_table(path.read_bytes(), path.name)
    assert table.source == "XLSX" and table.header_line == 3
    assert table.lines == [4, 5, 7]
    parsed = parse_table(table, guess_mapping(table.headers))
    assert parsed.source == "XLSX"
    fenna, luuk = parsed.pupils
    assert (fenna.source_key, fenna.date_of_birth, fenna.group_name) == (
        "5001", date(2016, 3, 7), "5a")
    assert (luuk.source_key, luuk.year_group, luuk.left_on) == ("5002", 6, date(2026, 7, 10))
    assert problems(parsed) == {"regel 7": "geboortedatum '31-02-2016' bestaat niet"}


def test_header_mapping_recognises_dutch_headers():
    headers = ["Leerling-ID", "ROEPNAAM", "Voornamen", "Tussenv.", "Geslachtsnaam", "Geb. datum",
               "Groepsnaam", "Leerjaar", "Inschrijfdatum", "Datum uitschrijving",
               "E-mail ouder/verzorger 1", "Telefoon ouder/verzorger 1", "Naam ouder/verzorger 1",
               "Email ouder 2", "Mobiel ouder 2", "Adres ouder 1", "Opmerkingen"]
    assert guess_mapping(headers) == {
        "source_key": "Leerling-ID", "first_name": "ROEPNAAM", "given_names": "Voornamen",
        "prefix": "Tussenv.", "last_name": "Geslachtsnaam", "date_of_birth": "Geb. datum",
        "group_name": "Groepsnaam", "year_group": "Leerjaar", "enrolled_on": "Inschrijfdatum",
        "left_on": "Datum uitschrijving", "guardian1_email": "E-mail ouder/verzorger 1",
        "guardian1_phone": "Telefoon ouder/verzorger 1", "guardian1_name": "Naam ouder/verzorger 1",
        "guardian2_email": "Email ouder 2", "guardian2_phone": "Mobiel ouder 2"}


def test_the_surest_header_wins():
    mapping = guess_mapping(["Naam", "Achternaam", "Voornaam", "Roepnaam", "ID", "Leerlingnr"])
    assert mapping["last_name"] == "Achternaam"
    assert mapping["first_name"] == "Roepnaam" and mapping["given_names"] == "Voornaam"
    assert mapping["source_key"] == "Leerlingnr"


def test_every_field_has_a_dutch_label():
    assert FIELDS["date_of_birth"].label == "Geboortedatum" and FIELDS["date_of_birth"].required
    assert not FIELDS["prefix"].required
    assert missing_fields({}) == ["Achternaam", "Geboortedatum", "Groep", "Roepnaam of Voornamen"]


def test_mapping_key_is_stable_per_layout():
    a = ["Roepnaam", "Achternaam", "Geb. datum"]
    assert mapping_key(a) == mapping_key(["roepnaam ", "ACHTERNAAM", "Geb.datum"])
    assert mapping_key(a) == mapping_key(list(reversed(a)))
    assert mapping_key(a) != mapping_key(a + ["Groep"])
    assert len(mapping_key(a)) == 16


def test_a_corrected_mapping_is_used():
    data = b"Kind;Familie;Dag;Unit\nSaar;Mulder;01-01-2017;4a\n"
    table = read_table(data, "x.csv")
    assert parse_table(table, guess_mapping(table.headers)).pupils == []
    parsed = parse_table(table, {"first_name": "Kind", "last_name": "Familie",
                                 "date_of_birth": "Dag", "group_name": "Unit"})
    assert [(p.first_name, p.last_name) for p in parsed.pupils] == [("Saar", "Mulder")]


def test_missing_or_unknown_columns_stop_the_import():
    table = read_table(b"Roepnaam;Achternaam\nSaar;Mulder\n", "x.csv")
    parsed = parse_table(table, guess_mapping(table.headers))
    assert parsed.pupils == []
    assert parsed.problems[0].message == (
        "Kies een kolom voor: Geboortedatum, Groep. Er is niets ingelezen.")
    parsed = parse_table(table, {"first_name": "Roepnaam", "last_name": "Achternaam",
                                 "date_of_birth": "Geboren", "group_name": "Roepnaam"})
    assert "'Geboren' (geboortedatum)" in parsed.problems[0].message


def test_prefix_column_present_means_no_splitting():
    data = "Roepnaam;Tussenvoegsel;Achternaam;Geboortedatum;Groep\nLaura;;Van Dijk;1-1-2016;5a\n"
    [laura] = parse(data.encode()).pupils
    assert (laura.prefix, laura.last_name) == ("", "Van Dijk")


def test_quoted_line_breaks_keep_line_numbers():
    data = (b'Roepnaam;Achternaam;Geboortedatum;Groep\n"Anna\nMaria";Bos;1-1-2016;5a\n'
            b'Bram;Bos;1-13-2016;5a\n')
    parsed = parse(data)
    assert parsed.pupils[0].first_name == "Anna Maria"
    assert problems(parsed) == {"regel 4": "geboortedatum '1-13-2016' bestaat niet"}


def test_duplicate_and_empty_headers_are_made_unique():
    table = read_table(b"Naam;;E-mail;E-mail\nBos;x;a@b.nl;c@d.nl\n", "x.csv")
    assert table.headers == ["Naam", "kolom 2", "E-mail", "E-mail (2)"]


def test_unreadable_workbook_and_empty_file_raise_table_error():
    with pytest.raises(TableError, match="geen leesbaar Excel-bestand"):
        read_table(b"PK\x03\x04 dit is geen zip", "x.xlsx")
    with pytest.raises(TableError, match="leeg"):
        read_table(b"\n ; ;\n", "x.csv")


def test_twenty_thousand_rows_parse_without_a_problem():
    """Its speed is measured by tests/bench/bench_import.py, not here."""
    parsed = parse(make_csv(20_000))
    assert len(parsed.pupils) == 20_000 and parsed.problems == []
