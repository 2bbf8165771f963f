"""A huge file of bad rows keeps memory flat; a workbook with an entity bomb is refused."""

import io
import tracemalloc
import zipfile

from db.imports.detect import parse_file
from db.imports.model import MAX_KEPT_PROBLEMS

ROWS = 60_000


def _bad_csv(rows: int) -> bytes:
    lines = ["Leerlingnummer;Roepnaam;Achternaam;Geboortedatum;Groep"]
    lines += [f"{1_000_000 + n};Kind{n % 97};Achternaam{n % 89};31-02-2015;5a"
              for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def test_a_file_of_bad_rows_keeps_a_capped_list_and_counts_the_rest():
    parsed, table = parse_file(_bad_csv(5000), "leerlingen.csv")
    assert parsed.pupils == [] and len(table.rows) == 5000
    assert len(parsed.problems) == MAX_KEPT_PROBLEMS and parsed.problem_count == 5000
    assert parsed.problems[0].where == "regel 2"
    assert "31-02-2015" in parsed.problems[0].message


def test_memory_for_a_large_bad_file_stays_flat():
    """Held before: every row as a list of cell strings plus every problem (about 720 bytes a
    row; 1 GB for a 50 MB file). Now: each row's text and a capped problem list."""
    data = _bad_csv(ROWS)
    tracemalloc.start()
    try:
        parsed, table = parse_file(data, "leerlingen.csv")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert parsed.problem_count == ROWS and len(table.rows) == ROWS
    assert peak < 300 * ROWS, f"{peak / ROWS:.0f} bytes per row"


def test_csv_rows_read_back_from_their_text_keep_quoted_line_breaks():
    data = (b'Leerlingnummer;Roepnaam;Achternaam;Geboortedatum;Groep;Notitie\n'
            b'1;Sem;Jansen;03-05-2017;4A;"twee\nregels"\n'
            b'2;Noor;Dijk;04-06-2016;5B\n')
    parsed, table = parse_file(data, "x.csv")
    assert table.rows[0][5] == "twee\nregels" and table.rows[1][5] == ""
    assert table.lines == [2, 4] and [p.source_key for p in parsed.pupils] == ["1", "2"]


BOMB_SHEET = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE worksheet [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>Achternaam</t></is></c>
<c r="B1" t="inlineStr"><is><t>Roepnaam</t></is></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>&d;</t></is></c>
<c r="B2" t="inlineStr"><is><t>Sem</t></is></c></row>
</sheetData></worksheet>"""


def _workbook_with(sheet_xml: bytes) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Achternaam", "Roepnaam"])
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml
            target.writestr(info, data)
    return out.getvalue()


def test_a_workbook_with_an_entity_expansion_bomb_is_refused_unexpanded():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML  # openpyxl reads through defusedxml
    tracemalloc.start()
    try:
        parsed, table = parse_file(_workbook_with(BOMB_SHEET), "leerlingen.xlsx")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert table is None and parsed.pupils == []
    assert "geen leesbaar Excel-bestand" in parsed.problems[0].message
    assert peak < 20_000_000  # nothing was expanded (&d; alone is 640,000 characters)
