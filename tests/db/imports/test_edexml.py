from datetime import date
from pathlib import Path

import pytest

from db.imports import edexml
from db.imports.edexml import parse_edexml
from tests.db.imports.make_fixtures import make_edexml

FIXTURES = Path(__file__).parent / "fixtures"


def read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture(scope="module")
def export():
    return parse_edexml(read("edexml_export.xml"), name="edexml_export.xml")


def by_key(parsed):
    return {p.source_key: p for p in parsed.pupils}


def problem_of(parsed, key):
    return next(p.message for p in parsed.problems if p.where == f"leerling key={key}")


def test_reads_school_and_valid_pupils(export):
    assert export.source == "EDEXML"
    assert (export.school_brin, export.school_year) == ("99ZZ", "2025-2026")
    assert sorted(by_key(export)) == ["1001", "1002", "1003"]
    ismael = by_key(export)["1001"]
    assert ismael.where == "leerling key=1001"
    assert (ismael.first_name, ismael.given_names, ismael.last_name) == (
        "Ismaël", "Ismaël Hassan", "Assati")
    assert ismael.date_of_birth == date(2016, 3, 7)
    assert ismael.enrolled_on == date(2020, 3, 9)
    assert (ismael.year_group, ismael.group_name) == (5, "5a")


def test_roepnaam_voorvoegsel_and_dates(export):
    zoe = by_key(export)["1002"]
    assert (zoe.first_name, zoe.prefix, zoe.last_name) == ("Zoë", "van den", "Berg")
    elif_ = by_key(export)["1003"]
    assert elif_.left_on == date(2025, 7, 11)


def test_group_name_comes_from_the_groep_not_the_samengestelde_groep(export):
    assert by_key(export)["1001"].group_name == "5a"           # "Groep 5a", also in Plusklas
    assert by_key(export)["1002"].group_name == "Kabouters"    # the school's own name kept


def test_year_group_falls_back_to_the_groep(export):
    assert by_key(export)["1003"].year_group == 3               # no own jaargroep, groep 3


def test_pupils_with_missing_fields_are_problems_not_guesses(export):
    assert len(export.problems) == 4
    assert problem_of(export, "1004") == "achternaam ontbreekt (leerling: Wimpie)"
    assert problem_of(export, "1005").startswith("geboortedatum ontbreekt")
    assert "Daphné Dijkstra" in problem_of(export, "1005")
    assert problem_of(export, "1006").startswith(
        "jaargroep '0' is geen groep 1 tot en met 8 (0 = peutergroep)")
    assert "jaargroep 'S'" in problem_of(export, "1007")
    assert not {"1004", "1005", "1006", "1007"} & set(by_key(export))


def test_bsn_is_nowhere_in_the_result(export):
    text = repr(export)
    assert "999990019" not in text
    assert "2731" not in text          # bsn_ondwnr-4
    assert "6971VB" not in text        # postcode
    assert "ketenid" not in text       # eckid


def test_any_namespace_is_accepted():
    parsed = parse_edexml(read("edexml_namespace.xml"))
    assert parsed.problems == []
    [omer] = parsed.pupils
    assert (omer.first_name, omer.last_name, omer.group_name, omer.year_group) == (
        "Ömer", "Çelik", "7", 7)


def test_combinatiegroep_without_own_jaargroep_is_a_problem():
    data = b"""<EDEX><groepen><groep key="C"><naam>1/2</naam><jaargroep>C</jaargroep></groep>
    </groepen><leerlingen><leerling key="9"><achternaam>Bos</achternaam><roepnaam>Sem</roepnaam>
    <geboortedatum>2020-01-01</geboortedatum><groep key="C"/></leerling>
    <leerling key="10"><achternaam>Bos</achternaam><roepnaam>Liv</roepnaam>
    <geboortedatum>2020-01-01</geboortedatum><jaargroep></jaargroep><groep key="C"/></leerling>
    </leerlingen></EDEX>"""
    parsed = parse_edexml(data)
    assert parsed.pupils == []
    assert problem_of(parsed, "9").startswith("jaargroep ontbreekt")
    assert problem_of(parsed, "10").startswith("jaargroep is leeg")


@pytest.mark.parametrize(("value", "expected"), [("14", "(14 = voortgezet onderwijs)"),
                                                 ("H", "(H = historisch)"), ("8", None)])
def test_year_group_values_outside_primary(value, expected):
    data = f"""<EDEX><groepen><groep key="g"><naam>x</naam><jaargroep>8</jaargroep></groep>
    </groepen><leerlingen><leerling key="1"><achternaam>Bos</achternaam><roepnaam>Sem</roepnaam>
    <geboortedatum>2014-01-01</geboortedatum><jaargroep>{value}</jaargroep><groep key="g"/>
    </leerling></leerlingen></EDEX>""".encode()
    parsed = parse_edexml(data)
    if expected is None:
        assert [p.year_group for p in parsed.pupils] == [8]
    else:
        assert expected in problem_of(parsed, "1")


def test_unknown_group_and_bad_dates_are_named():
    data = b"""<EDEX><leerlingen><leerling key="1"><achternaam>Bos</achternaam>
    <roepnaam>Sem</roepnaam><geboortedatum>2014-02-30</geboortedatum><jaargroep>5</jaargroep>
    <groep key="weg"/><instroomdatum>gisteren</instroomdatum></leerling>
    <leerling><achternaam>Laan</achternaam><geboortedatum>2014-02-03</geboortedatum>
    <jaargroep>5</jaargroep></leerling></leerlingen></EDEX>"""
    parsed = parse_edexml(data)
    assert parsed.pupils == []
    first, second = parsed.problems
    assert first.where == "leerling key=1"
    assert "geboortedatum '2014-02-30' bestaat niet" in first.message
    assert "instroomdatum 'gisteren' is geen datum" in first.message
    assert "groep key=weg staat niet bij de groepen" in first.message
    assert second.where == "leerling nr. 2"
    assert "roepnaam en voornamen ontbreken" in second.message
    assert "groep ontbreekt" in second.message


def test_date_with_time_zone_is_read():
    data = b"""<EDEX><groepen><groep key="g"><naam>4b</naam><jaargroep>4</jaargroep></groep>
    </groepen><leerlingen><leerling key="1"><achternaam>Bos</achternaam><roepnaam>Sem</roepnaam>
    <geboortedatum>2017-05-01+02:00</geboortedatum><groep key="g"/></leerling>
    </leerlingen></EDEX>"""
    assert parse_edexml(data).pupils[0].date_of_birth == date(2017, 5, 1)


def test_too_long_group_name_is_a_problem():
    data = b"""<EDEX><groepen><groep key="g"><naam>1-2 Beren (juf Anna en juf Els)</naam>
    <jaargroep>2</jaargroep></groep></groepen><leerlingen><leerling key="1"><achternaam>Bos
    </achternaam><roepnaam>Sem</roepnaam><geboortedatum>2020-05-01</geboortedatum>
    <groep key="g"/></leerling></leerlingen></EDEX>"""
    assert "groep is langer dan 20 tekens" in problem_of(parse_edexml(data), "1")


def test_broken_xml_is_one_problem_with_its_line():
    parsed = parse_edexml(read("edexml_kapot.xml"), name="kapot.xml")
    assert parsed.pupils == []
    [problem] = parsed.problems
    assert problem.where == "kapot.xml"
    assert problem.message.startswith("Het bestand is geen geldige EDEXML-export (regel 6: ")
    assert "sluittag" in problem.message


def test_other_xml_is_not_edexml():
    parsed = parse_edexml(b"<?xml version='1.0'?><rss><channel/></rss>")
    assert parsed.pupils == []
    assert "begint met <rss>" in parsed.problems[0].message


@pytest.mark.parametrize("fixture", ["edexml_entiteiten.xml", "edexml_xxe.xml"])
def test_doctype_and_entities_are_refused(fixture):
    parsed = parse_edexml(read(fixture))
    assert parsed.pupils == []
    [problem] = parsed.problems
    assert "DOCTYPE- of ENTITY-declaratie" in problem.message
    assert "root:" not in repr(parsed)


def test_doctype_in_utf16_is_refused():
    data = read("edexml_entiteiten.xml").decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    parsed = parse_edexml(data.encode("utf-16"))
    assert "DOCTYPE" in parsed.problems[0].message


def test_utf16_export_is_read():
    text = read("edexml_namespace.xml").decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    assert [p.last_name for p in parse_edexml(text.encode("utf-16")).pupils] == ["Çelik"]


def test_files_over_200_mb_are_refused(monkeypatch):
    monkeypatch.setattr(edexml, "MAX_FILE_BYTES", 1000)
    parsed = parse_edexml(read("edexml_export.xml"))
    assert parsed.pupils == []
    assert "groter dan 200 MB" in parsed.problems[0].message


def test_limits_follow_the_schema():
    from db.schema import Guardian, Pupil

    for name, limit in edexml.PUPIL_LIMITS.items():
        assert Pupil.__table__.c[name].type.length == limit, name
    for name, limit in edexml.GUARDIAN_LIMITS.items():
        assert Guardian.__table__.c[name].type.length == limit, name


def test_twenty_thousand_pupils_parse_without_a_problem():
    """Its speed is measured by tests/bench/bench_import.py, not here."""
    parsed = parse_edexml(make_edexml(20_000))
    assert len(parsed.pupils) == 20_000 and parsed.problems == []
    assert "999990019" not in repr(parsed.pupils[:100])
