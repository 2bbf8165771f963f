"""Generated exports of any size, for speed tests and the benchmark (tests/bench).

Deterministic: the same n gives the same bytes. Names are fake, with Dutch voorvoegsels and
accents; every pupil is valid, so a parser should return n pupils and no problems.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from xml.sax.saxutils import escape

FIRST = ["Daan", "Zoë", "Ismaël", "Noor", "Sem", "Liv", "Elif", "Björn", "Anaïs", "Luuk",
         "Fenna", "Mohammed", "Saar", "Jesse", "Chloé", "Thijs", "Yara", "Bram", "Iris", "Ömer"]
LAST = ["Jansen", "Berg", "Vries", "Yılmaz", "Bakker", "Hof", "Amrani", "Dijk", "Çelik",
        "Visser", "Meer", "Smit", "Brink", "Mulder", "Ĳsselmuiden", "Bos", "Laan", "Peeters"]
PREFIX = ["", "", "", "", "van", "de", "van den", "van der", "van 't", "el", "ter"]


def _pupils(n: int, seed: int = 2025):
    rng = random.Random(seed)
    for i in range(n):
        year = i % 8 + 1
        born = date(2025 - year - 4, 10, 1) + timedelta(days=rng.randrange(365))
        yield {
            "key": str(100000 + i), "first": rng.choice(FIRST), "prefix": rng.choice(PREFIX),
            "last": rng.choice(LAST), "born": born, "year": year,
            "group": f"{year}{'abc'[i // 8 % 3]}", "enrolled": born + timedelta(days=4 * 365),
        }


def make_edexml(n: int) -> bytes:
    """An EDEXML 2.1 export with n pupils in 24 groups (1a … 8c)."""
    groups = "".join(
        f'<groep key="G{y}{c}"><naam>Groep {y}{c}</naam><jaargroep>{y}</jaargroep></groep>\n'
        for y in range(1, 9) for c in "abc")
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<EDEX>\n<school><schooljaar>2025-2026'
             '</schooljaar><brincode>99ZZ</brincode></school>\n<groepen>\n', groups,
             '<samengestelde_groep key="SG1"><naam>Plusklas</naam></samengestelde_groep>\n'
             '</groepen>\n<leerlingen>\n']
    for p in _pupils(n):
        prefix = f"<voorvoegsel>{escape(p['prefix'])}</voorvoegsel>" if p["prefix"] else ""
        parts.append(
            f'<leerling key="{p["key"]}" eckid="https://ketenid.nl/201703/{p["key"]}">'
            f"<achternaam>{p['last']}</achternaam>{prefix}"
            f"<voornamen>{p['first']} Maria</voornamen><roepnaam>{p['first']}</roepnaam>"
            f"<geboortedatum>{p['born'].isoformat()}</geboortedatum><geslacht>9</geslacht>"
            f"<jaargroep>{p['year']}</jaargroep><groep key=\"G{p['group']}\"/>"
            f"<bsn>999990019</bsn><instroomdatum>{p['enrolled'].isoformat()}</instroomdatum>"
            "</leerling>\n")
    parts.append("</leerlingen>\n</EDEX>\n")
    return "".join(parts).encode("utf-8")


def make_csv(n: int, *, delimiter: str = ";", encoding: str = "utf-8-sig") -> bytes:
    """A ParnasSys-like CSV overview with n pupils and two guardians each."""
    header = ["Leerlingnummer", "Roepnaam", "Tussenvoegsel", "Achternaam", "Geboortedatum",
              "Groep", "Leerjaar", "Datum inschrijving", "Naam ouder/verzorger 1",
              "E-mail ouder/verzorger 1", "Telefoon ouder/verzorger 1", "Email ouder 2"]
    lines = [delimiter.join(header)]
    for p in _pupils(n):
        lines.append(delimiter.join([
            p["key"], p["first"], p["prefix"], p["last"], p["born"].strftime("%d-%m-%Y"),
            f"Groep {p['group']}", str(p["year"]), p["enrolled"].strftime("%d-%m-%Y"),
            f"Anna {p['prefix']} {p['last']}".replace("  ", " "),
            f"ouder{p['key']}@example.nl", "0612345678", f"tweede{p['key']}@example.nl"]))
    return ("\r\n".join(lines) + "\r\n").encode(encoding)
