"""A small school and the preference exports of its parent app, in two realistic layouts.

The register (set up like a real school's, with the default purposes) gets five pupils: four
with a ParnasSys leerlingnummer and one without (identified by name and date of birth), and
Lotte's mother, with gezag, who later changed one choice on paper.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

from db.consents import record_decision
from db.pupils import GuardianInput, PupilInput, add_guardian, enrol_pupil
from db.schema import Channel, ConsentPurpose, Decision

CLOSING = date(2026, 10, 1)      # the day the app closed the choices
PAPER_DAY = date(2026, 10, 12)   # Lotte's mother refused the website on paper afterwards

# Parro via ParnasSys: ; separated, Ja/Nee, a Dutch header per category, Leerlingnummer.
PARRO_HEADER = ("Leerlingnummer;Achternaam;Roepnaam;Groep;Foto's op de website;"
                "Foto's in de nieuwsbrief en schoolgids;Foto's op social media;"
                "Foto's in Parro;Schoolfotograaf;Voornaam bij foto;Klassenlijst;"
                "Deelname aan onderzoek")
PARRO_ROWS = [
    "1001;Berg;Sem;4A;Ja;Ja;Nee;Ja;Ja;Nee;Ja;Nee",
    "1002;Bergen;Lotte;4A;Ja;Nee;Nee;Ja;Ja;Ja;Ja;Ja",
    "1003;Jansen;Fleur;3B;Ja;;;Ja;Nee;;Nee;",          # silence on three categories
    "1004;Visser;Noor;5A;Ja;Misschien;Ja;Ja;Ja;Ja;Ja;Ja",  # 'Misschien': a row problem
    "7777;Onbekend;Piet;6A;Ja;Ja;Ja;Ja;Ja;Ja;Ja;Ja",    # not in the register
]
# what the image purposes of the Parro file say for the pupils that are imported
PARRO_IMAGE_CODES = ("foto_website", "foto_nieuwsbrief_schoolgids", "foto_sociale_media",
                     "foto_ouderapp", "schoolfotograaf")


def parro_csv(tmp_path: Path, rows: list[str] | None = None) -> Path:
    path = tmp_path / "privacyvoorkeuren parro.csv"
    text = "\r\n".join([PARRO_HEADER, *(PARRO_ROWS if rows is None else rows)]) + "\r\n"
    path.write_bytes(text.encode("cp1252"))  # Excel on Windows saves CSV as Windows-1252
    return path


def social_schools_xlsx(tmp_path: Path) -> Path:
    """Social Schools: a workbook, Akkoord/Niet akkoord, pupils by name and date of birth,
    the date of each parent's last change per row."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Privacyvoorkeuren"
    sheet.append(["Privacyvoorkeuren schooljaar 2026-2027"])  # a title above the header
    sheet.append([])
    sheet.append(["Naam leerling", "Geboortedatum", "Groep", "Website", "Nieuwsbrief",
                  "Social media", "Ouderapp", "Schoolfotograaf", "Laatst gewijzigd"])
    sheet.append(["Berg, Sem van den", datetime(2017, 5, 3), "4A", "Akkoord", "Akkoord",
                  "Niet akkoord", "Akkoord", "Akkoord", datetime(2026, 9, 20, 19, 42)])
    sheet.append(["Daan de Vries", datetime(2016, 2, 14), "5A", "Niet akkoord", None,
                  "Niet akkoord", "Akkoord", "Akkoord", datetime(2026, 9, 28, 8, 5)])
    sheet.append(["Fleur Jansen", datetime(2018, 1, 20), "3B", None, None, None, None, None,
                  None])  # opened the app, chose nothing, and no date: the closing date
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "privacyvoorkeuren social schools.xlsx"
    path.write_bytes(buffer.getvalue())
    return path


def make_school(session, actor, clock) -> dict[str, int]:
    """The five pupils (ids by first name, lower case) and Lotte's paper decision."""
    ids = {}
    for key, data in (
        ("sem", PupilInput("Sem", "Berg", date(2017, 5, 3), "4A", date(2021, 8, 30),
                           prefix="van den", source_key="1001")),
        ("lotte", PupilInput("Lotte", "Bergen", date(2017, 9, 12), "4A", date(2021, 8, 30),
                             source_key="1002")),
        ("fleur", PupilInput("Fleur", "Jansen", date(2018, 1, 20), "3B", date(2022, 8, 29),
                             source_key="1003")),
        ("noor", PupilInput("Noor", "Visser", date(2016, 6, 1), "5A", date(2020, 8, 31),
                            source_key="1004")),
        ("daan", PupilInput("Daan", "Vries", date(2016, 2, 14), "5A", date(2020, 8, 31),
                            prefix="de")),
    ):
        ids[key] = enrol_pupil(session, actor, data, clock=clock).id
    mother = add_guardian(session, actor, ids["lotte"],
                          GuardianInput("Bergen", first_name="Karin", relation="moeder"),
                          clock=clock)
    ids["lotte_mother"] = mother.id
    website = purpose_id(session, "foto_website")
    record_decision(session, actor, ids["lotte"], website, Decision.REFUSED,
                    decided_on=PAPER_DAY, guardian_id=mother.id, channel=Channel.PAPER,
                    clock=clock)
    return ids


def purpose_id(session, code: str) -> int:
    from sqlalchemy import select

    return session.scalar(select(ConsentPurpose.id).where(ConsentPurpose.code == code))
