import io
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.imports.detect import parse_file
from db.imports.model import ParsedFile
from tests.db.imports.make_fixtures import make_csv, make_edexml

FIXTURES = Path(__file__).parent / "fixtures"
HEADER = "Leerlingnummer;Roepnaam;Achternaam;Geboortedatum;Groep;Jaargroep;E-mail ouder 1"


def test_edexml_is_chosen_by_content_not_by_name():
    parsed, table = parse_file((FIXTURES / "edexml_export.xml").read_bytes(), "export.csv")
    assert parsed.source == "EDEXML" and table is None
    assert len(parsed.pupils) == 3


def test_csv_gives_the_table_for_the_mapping_dialog():
    parsed, table = parse_file((FIXTURES / "leerlingen_puntkomma.csv").read_bytes(), "x.txt")
    assert parsed.source == "CSV"
    assert table is not None and table.headers[0] == "Leerlingnummer"
    assert len(parsed.pupils) == 2


def test_xlsx_is_recognised_and_a_given_mapping_wins():
    book = openpyxl.Workbook()
    book.active.append(["Kind", "Familie", "Dag", "Unit"])
    book.active.append(["Saar", "Mulder", "01-01-2017", "4a"])
    buffer = io.BytesIO()
    book.save(buffer)
    parsed, table = parse_file(buffer.getvalue(), "lijst.bin")
    assert parsed.source == "XLSX" and parsed.pupils == []
    assert "Kies een kolom" in parsed.problems[0].message
    mapping = {"first_name": "Kind", "last_name": "Familie", "date_of_birth": "Dag",
               "group_name": "Unit"}
    parsed, _ = parse_file(buffer.getvalue(), "lijst.bin", mapping)
    assert [p.last_name for p in parsed.pupils] == ["Mulder"]


def only_problem(data: bytes, name: str = "bestand.dat") -> str:
    parsed, table = parse_file(data, name)
    assert parsed.pupils == [] and table is None
    [problem] = parsed.problems
    assert problem.where == name
    return problem.message


def test_unknown_files_get_one_dutch_problem():
    assert "leeg" in only_problem(b"")
    assert "leeg" in only_problem(b"\xef\xbb\xbf \r\n")
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64
    assert "oud Excel-bestand (.xls)" in only_problem(ole2)
    assert "PDF" in only_problem(b"%PDF-1.7\n...")
    assert "onbekend bestandstype" in only_problem(bytes(range(256)) * 4)
    assert "webpagina" in only_problem(b"<!DOCTYPE html><html><body>hallo</body></html>")
    assert "geen leesbaar Excel-bestand" in only_problem(b"PK\x03\x04garbage")
    assert "DOCTYPE" in only_problem((FIXTURES / "edexml_xxe.xml").read_bytes())
    assert "regel 6" in only_problem((FIXTURES / "edexml_kapot.xml").read_bytes())
    assert "geen leerlingen" in only_problem(b"<EDEX><leerlingen/></EDEX>")


def test_a_header_without_rows_is_a_problem():
    parsed, table = parse_file(HEADER.encode(), "leeg.csv")
    assert table is not None and parsed.pupils == []
    assert "alleen kolomkoppen" in parsed.problems[0].message


def test_an_unexpected_error_is_still_a_problem(monkeypatch):
    import db.imports.detect as detect

    def boom(*_args, **_kwargs):
        raise RuntimeError("kapot")

    monkeypatch.setattr(detect, "read_table", boom)
    assert "onverwachte fout" in only_problem(b"Roepnaam;Achternaam\nSaar;Mulder\n")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(
    st.binary(max_size=2000),
    st.binary(max_size=500).map(lambda b: b"<EDEX>" + b),
    st.binary(max_size=500).map(lambda b: b"PK\x03\x04" + b),
    st.binary(max_size=500).map(lambda b: b"\xef\xbb\xbf" + HEADER.encode() + b"\r\n" + b),
    st.binary(max_size=500).map(lambda b: b"\xff\xfe" + b),
))
def test_arbitrary_bytes_never_raise(data):
    parsed, table = parse_file(data, "willekeurig")
    assert isinstance(parsed, ParsedFile)
    assert parsed.pupils or parsed.problems


cell = st.text(alphabet=st.characters(exclude_characters=';"\r\n\x00',
                                      exclude_categories=("Cs",)), max_size=12)
dutch_date = st.dates().map(lambda d: d.strftime("%d-%m-%Y"))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(cell, cell, cell, st.one_of(dutch_date, cell), cell,
                          st.one_of(st.sampled_from("12345678"), cell), cell),
                min_size=1, max_size=30))
def test_every_csv_row_ends_as_a_pupil_or_a_problem(rows):
    lines = [HEADER] + [";".join(row) for row in rows]
    data = "\n".join(lines).encode()
    parsed, table = parse_file(data, "lijst.csv")
    assert table is not None
    non_blank = [row for row in rows if any(c.strip() for c in row)]
    assert len(table.rows) == len(non_blank)
    assert len(parsed.pupils) + len(parsed.problems) == len(non_blank)
    wheres = [p.where for p in parsed.pupils] + [p.where for p in parsed.problems]
    assert sorted(wheres) == sorted(f"regel {line}" for line in table.lines)
    for pupil in parsed.pupils:
        assert pupil.first_name and pupil.last_name and pupil.group_name
        assert pupil.date_of_birth is not None
        assert pupil.year_group is None or 1 <= pupil.year_group <= 8


def test_generated_exports_are_fully_valid():
    for data in (make_edexml(50), make_csv(50), make_csv(50, delimiter="\t", encoding="utf-16")):
        parsed, _ = parse_file(data, "gegenereerd")
        assert len(parsed.pupils) == 50 and parsed.problems == []
