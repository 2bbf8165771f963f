import re
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.text import (
    clean_group_name,
    fold,
    format_dutch_date,
    parse_dutch_date,
    parse_year_group,
    split_full_name,
    split_prefix,
)


def test_fold_strips_accents_and_case():
    assert fold("Ismaël") == "ismael"
    assert fold("Yılmaz") == "yilmaz"
    assert fold("Ĳsselstein") == "ijsselstein"
    assert fold("  Zoë   van den  Berg ") == "zoe van den berg"
    assert fold("Çelik Ørsted Straße") == "celik orsted strasse"
    assert "berg" in fold("van den Berg")


def test_fold_makes_spellings_meet():
    assert fold("CHLOÉ") == fold("chloe") == fold("Chloé")
    assert fold("van ’t Hof") == fold("van 't Hof")


@pytest.mark.parametrize("text", ["07-03-2015", "7-3-2015", "07/03/2015", "07.03.2015",
                                  "2015-03-07", " 7-3-2015 ", "07-03-2015 00:00",
                                  "2015-03-07T00:00:00"])
def test_parse_dutch_date_accepts_the_usual_forms(text):
    assert parse_dutch_date(text) == date(2015, 3, 7)


def test_parse_dutch_date_says_a_date_does_not_exist():
    with pytest.raises(ValueError, match=r"^'31-06-2015' bestaat niet$"):
        parse_dutch_date("31-06-2015")
    with pytest.raises(ValueError, match="bestaat niet"):
        parse_dutch_date("29-02-2015")


@pytest.mark.parametrize("text", ["2015/13/01", "7-3-15", "07-03/2015", "", "morgen",
                                  "07-03-2015 later", "1-1-99999"])
def test_parse_dutch_date_refuses_other_text(text):
    with pytest.raises(ValueError, match=r"is geen datum \(verwacht dd-mm-jjjj\)"):
        parse_dutch_date(text)


def test_format_dutch_date():
    assert format_dutch_date(date(2015, 3, 7)) == "07-03-2015"
    assert format_dutch_date(datetime(2015, 3, 7, 12, 0)) == "07-03-2015"
    assert format_dutch_date(None) == ""
    assert parse_dutch_date(format_dutch_date(date(2016, 2, 29))) == date(2016, 2, 29)


@pytest.mark.parametrize(("name", "expected"), [
    ("van den Berg", ("van den", "Berg")),
    ("Van Dijk", ("Van", "Dijk")),
    ("de Vries", ("de", "Vries")),
    ("van 't Hof", ("van 't", "Hof")),
    ("van ’t Hof", ("van ’t", "Hof")),
    ("'t Hart", ("'t", "Hart")),
    ("in 't Veld", ("in 't", "Veld")),
    ("op de Beek", ("op de", "Beek")),
    ("uit den Bogaard", ("uit den", "Bogaard")),
    ("ter Horst", ("ter", "Horst")),
    ("El Amrani", ("El", "Amrani")),
    ("v.d. Berg", ("v.d.", "Berg")),
    ("Berg, van den", ("van den", "Berg")),
    ("Berg", ("", "Berg")),
    ("Ĳsselstein", ("", "Ĳsselstein")),
    ("van", ("", "van")),
    ("Jansen, J.", ("", "Jansen, J.")),
    ("Vandenberg", ("", "Vandenberg")),
])
def test_split_prefix(name, expected):
    assert split_prefix(name) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("Fatima El Amrani", ("Fatima", "El", "Amrani")),
    ("Jan Peter de Vries", ("Jan Peter", "de", "Vries")),
    ("de Vries, Jan", ("Jan", "de", "Vries")),
    ("Vries, Jan de", ("Jan", "de", "Vries")),
    ("Piet Jansen", ("Piet", "", "Jansen")),
    ("Jansen", ("", "", "Jansen")),
])
def test_split_full_name(name, expected):
    assert split_full_name(name) == expected


def test_group_name_loses_the_word_groep_only():
    assert clean_group_name("Groep 5a") == "5a"
    assert clean_group_name("groep  1/2") == "1/2"
    assert clean_group_name("Groep5") == "5"
    assert clean_group_name("Kabouters") == "Kabouters"
    assert clean_group_name("Groepje") == "Groepje"
    assert clean_group_name("Groep") == "Groep"


def test_year_group_is_one_to_eight():
    assert parse_year_group("5") == 5
    assert parse_year_group("05") == 5
    assert parse_year_group("Groep 8") == 8
    for bad in ("0", "9", "14", "S", "5a", "٣"):
        with pytest.raises(ValueError, match=f"'{bad}' is geen groep 1 tot en met 8"):
            parse_year_group(bad)
    with pytest.raises(ValueError, match="is leeg"):
        parse_year_group(" ")


_REF_DUTCH = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})")
_REF_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_REF_TIME = re.compile(r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")


def _reference_date(text: str) -> tuple[str, object]:
    """parse_dutch_date as it read every value before its fast path for ten characters."""
    value = " ".join(str(text).split())
    match = _REF_DUTCH.match(value)
    if match and _REF_TIME.fullmatch(value, match.end()):
        day, month, year = int(match[1]), int(match[3]), int(match[4])
    else:
        match = _REF_ISO.match(value)
        if not (match and _REF_TIME.fullmatch(value, match.end())):
            shown = value if len(value) <= 40 else value[:40] + "…"
            return "error", f"'{shown}' is geen datum (verwacht dd-mm-jjjj)"
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    try:
        return "date", date(year, month, day)
    except ValueError:
        return "error", f"'{value}' bestaat niet"


def _read_date(text: str) -> tuple[str, object]:
    try:
        return "date", parse_dutch_date(text)
    except ValueError as error:
        return "error", str(error)


@given(st.text(alphabet="0123456789-/. T:x٣²", max_size=16))
def test_dates_read_as_the_pattern_reads_them(text):
    assert _read_date(text) == _reference_date(text)


@given(st.integers(0, 39), st.sampled_from("-/.x"), st.integers(0, 19), st.integers(0, 9999),
       st.booleans())
def test_ten_character_dates_read_as_the_pattern_reads_them(day, sep, month, year, iso):
    text = (f"{year:04d}-{month:02d}-{day:02d}" if iso
            else f"{day:02d}{sep}{month:02d}{sep}{year:04d}")
    assert _read_date(text) == _reference_date(text)
