"""Dutch text helpers shared by the register, the importers and the GUI: search folding,
dd-mm-jjjj dates and splitting a voorvoegsel (``van den``) off a surname.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

# Letters that NFKD does not decompose into a base letter plus combining marks.
_LETTERS = str.maketrans({
    "ı": "i", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
    "ŀ": "l", "ħ": "h", "ŧ": "t", "’": "'", "‘": "'", "ʼ": "'", "`": "'",
})


def fold(text: str) -> str:
    """Casefold, strip accents and collapse whitespace: 'Ismaël  Yılmaz' → 'ismael yilmaz'.

    Used for search keys and for comparing names from different sources; never shown.
    """
    if text.isascii():
        return " ".join(text.casefold().split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.translate(_LETTERS).split())


_DUTCH_DATE = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME = re.compile(r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")


def parse_dutch_date(text: str) -> date:
    """'7-3-2015', '07/03/2015', '07.03.2015' or ISO '2015-03-07' → date(2015, 3, 7).

    A time of day after the date ('07-03-2015 00:00', as spreadsheets write it) is ignored.
    Raises ValueError with a Dutch message that quotes the value.
    """
    value = " ".join(str(text).split())
    if len(value) == 10 and value.isascii():  # the usual forms, read without a pattern
        if value[2] == value[5] and value[2] in "-/." and value[:2].isdigit() \
                and value[3:5].isdigit() and value[6:].isdigit():
            day, month, year = int(value[:2]), int(value[3:5]), int(value[6:])
        elif value[4] == value[7] == "-" and value[:4].isdigit() and value[5:7].isdigit() \
                and value[8:].isdigit():
            year, month, day = int(value[:4]), int(value[5:7]), int(value[8:])
        else:
            year = 0
        if year:
            try:
                return date(year, month, day)
            except ValueError:
                raise ValueError(f"'{value}' bestaat niet") from None
    match = _DUTCH_DATE.match(value)
    if match and _TIME.fullmatch(value, match.end()):
        day, month, year = int(match[1]), int(match[3]), int(match[4])
    else:
        match = _ISO_DATE.match(value)
        if not (match and _TIME.fullmatch(value, match.end())):
            shown = value if len(value) <= 40 else value[:40] + "…"
            raise ValueError(f"'{shown}' is geen datum (verwacht dd-mm-jjjj)")
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"'{value}' bestaat niet") from None


def format_dutch_date(d: date | datetime | None) -> str:
    """date(2015, 3, 7) → '07-03-2015'; None → ''."""
    if d is None:
        return ""
    return f"{d.day:02d}-{d.month:02d}-{d.year:04d}"


# Voorvoegsels (NEN 1888 / the BRP table, the common ones), lower case, apostrophes straight.
PREFIXES = frozenset("""
van|van de|van der|van den|van het|van 't|van ter|van ten|van de l'|van 's|van t
de|den|der|des|het|'t|'s|te|ter|ten|t
in|in 't|in de|in den|in der|in het|in t
op|op de|op den|op der|op het|op 't|op ten|op t
uit|uit de|uit den|uit het|uit 't|uit te de|uit t
aan|aan de|aan den|aan der|aan het|aan 't
bij|bij de|bij den|bij het|bij 't
onder|onder de|onder den|onder het|onder 't
over|over de|over den|over het|over 't
voor|voor de|voor den|voor het|voor 't|voor in 't
tot|tot de|tot den
le|la|les|l'|el|al|di|da|du|do|dos|das|del|della|dalla|dei|degli|dello|d'|dell'
de la|de las|de los|de le|de l'|de die|de die le|de van der|di la|du le
von|von der|von dem|von den|vom|zu|zum|zur|von und zu
v.|v.d.|v/d|vd|v. d.|v.d|v.der|v. der|v.den|v. den
""".replace("\n", "|").strip("|").split("|")) - {""}

_LONGEST_PREFIX = max(len(p.split()) for p in PREFIXES)


def split_prefix(last_name: str) -> tuple[str, str]:
    """'van den Berg' → ('van den', 'Berg'); 'Berg' → ('', 'Berg').

    Takes the longest known voorvoegsel at the start that still leaves a surname, keeping the
    case as written ('Van Dijk' → ('Van', 'Dijk')). Also reads the sorted form
    'Berg, van den' → ('van den', 'Berg').
    """
    name = " ".join(last_name.split())
    surname, comma, tail = name.partition(",")
    if comma and tail.strip() and surname.strip():
        tail = tail.strip()
        if _is_prefix(tail):
            return tail, surname.strip()
        return "", name
    words = name.split(" ")
    for size in range(min(_LONGEST_PREFIX, len(words) - 1), 0, -1):
        candidate = " ".join(words[:size])
        if _is_prefix(candidate):
            return candidate, " ".join(words[size:])
    return "", name


def _is_prefix(text: str) -> bool:
    return text.casefold().translate(_LETTERS) in PREFIXES


_GROUP_WORD = re.compile(r"groep(?:\s+|(?=\d))(?=\S)", re.IGNORECASE)


def clean_group_name(name: str) -> str:
    """The school's own group name without a leading 'Groep': 'Groep 5a' → '5a', 'Groep 1/2'
    → '1/2', 'Kabouters' → 'Kabouters'. The register's column is already called Groep.
    """
    name = " ".join(name.split())
    return _GROUP_WORD.sub("", name, count=1) if _GROUP_WORD.match(name) else name


def parse_year_group(text: str) -> int:
    """'5', '05' or 'groep 5' → 5. Raises ValueError (Dutch) unless it is 1 to 8."""
    value = " ".join(str(text).split())
    digits = clean_group_name(value)
    if digits.isdigit() and digits.isascii() and 1 <= int(digits) <= 8:
        return int(digits)
    if not value:
        raise ValueError("is leeg (verwacht 1 tot en met 8)")
    shown = value if len(value) <= 20 else value[:20] + "…"
    raise ValueError(f"'{shown}' is geen groep 1 tot en met 8")


def split_full_name(name: str) -> tuple[str, str, str]:
    """A whole name in one field → (first, prefix, last).

    'Fatima El Amrani' → ('Fatima', 'El', 'Amrani'); 'Jan Peter de Vries' → ('Jan Peter', 'de',
    'Vries'); 'Vries, Jan de' and 'de Vries, Jan' → ('Jan', 'de', 'Vries'); 'Jansen' → ('', '',
    'Jansen'). Without a known voorvoegsel the first word is the first name.
    """
    name = " ".join(name.split())
    surname, comma, given = name.partition(",")
    if comma and surname.strip() and given.strip():
        words = given.split()
        tail = len(words)
        while tail > 0 and _is_prefix(" ".join(words[tail - 1:])):
            tail -= 1  # 'Jan de' → the voorvoegsel follows the first name
        prefix, last = split_prefix(surname)
        return " ".join(words[:tail]), " ".join(filter(None, (" ".join(words[tail:]),
                                                                prefix))), last
    words = name.split(" ")
    for start in range(1, len(words) - 1):
        prefix, last = split_prefix(" ".join(words[start:]))
        if prefix:
            return " ".join(words[:start]), prefix, last
    if len(words) == 1:
        return "", "", name
    return words[0], "", " ".join(words[1:])
