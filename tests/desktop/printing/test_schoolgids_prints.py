"""What the school tells parents and the supervisor, printed and read back: the school-guide
paragraph (DOCX with python-docx, PDF with pypdf), the art. 30 register, the inspection export."""

import csv
import io
import zipfile
from datetime import UTC, date, datetime

import pytest
from docx import Document
from pypdf import PdfReader
from sqlalchemy import select

from db.clock import fixed_clock
from db.demo import populate_demo
from db.inspection import gather
from db.permissions import SYSTEM
from db.processing import (
    ART30_FIELDS,
    ActivityInput,
    controller_lines,
    processing_activities,
    save_activity,
    supplier_label,
)
from db.purposes import current_texts
from db.schema import Supplier
from db.school import get_school, school_contact
from db.schoolgids import save_section_text, schoolgids
from db.suppliers import SupplierInput, save_supplier, supplier_rows
from db.vault import Vault
from desktop.printing.inspection import write_inspection
from desktop.printing.processing_register import processing_register_pdf
from desktop.printing.schoolgids import write_schoolgids

NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
CLOCK = fixed_clock(NOW)
TODAY = date(2026, 11, 24)


def pdf_text(path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def docx_text(path) -> str:
    return " ".join(" ".join(p.text for p in Document(str(path)).paragraphs).split())


def make_demo(folder) -> None:
    vault, _ = Vault.create(folder / "demo.db", backup_dir=folder / "kopieen", clock=CLOCK)
    with vault.session() as session:
        populate_demo(session, pupils=24, clock=CLOCK)
        save_supplier(session, SYSTEM, SupplierInput(
            name="Oud Rekenen BV", product="RekenOud", purpose="Oefenen",
            signed_on=date(2021, 1, 1), ends_on=date(2025, 12, 31)), clock=CLOCK)
        save_supplier(session, SYSTEM, SupplierInput(name="Zonder Afspraak", product="Quiz"),
                      clock=CLOCK)
    vault.close(backup=False)


@pytest.fixture
def demo(tmp_path, real_runs, memory_keyring):
    """The demo school, plus a supplier whose agreement expired and one without agreement:
    made once per worker (fixed clock and seed), a copy of it with its key opened here."""
    real_runs.copy("test_schoolgids_prints.demo", make_demo, tmp_path, files="files",
                   keyring_backend=memory_keyring)
    vault = Vault.open(tmp_path / "demo.db", backup_dir=tmp_path / "kopieen", clock=CLOCK)
    yield vault
    vault.engine.dispose()


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_the_paragraph_names_the_registers_suppliers_purposes_fg_and_term(demo, tmp_path,
                                                                          suffix):
    with demo.session() as session:
        guide = schoolgids(session, SYSTEM, TODAY)
        current = [r for r in supplier_rows(session, SYSTEM)
                   if r.agreement_state(TODAY) in ("geldig", "verloopt binnenkort")]
        purposes = [text.title for _p, text in current_texts(session)]
        fg_name = get_school(session).fg_name
    out = write_schoolgids(tmp_path / f"schoolgids{suffix}", guide)
    text = docx_text(out) if suffix == ".docx" else pdf_text(out)
    assert len(current) == 7
    for row in current:
        assert supplier_label(row) in text, row.name
    assert "RekenOud" not in text and "Oud Rekenen" not in text and "Quiz" not in text
    assert {left.supplier for left in guide.left_out} == {"RekenOud van Oud Rekenen BV",
                                                          "Quiz van Zonder Afspraak"}
    assert "verlopen op 31-12-2025" in guide.left_out[0].reason + guide.left_out[1].reason
    for title in purposes:
        assert title in text
    assert fg_name in text
    assert "binnen één maand nadat wij het hebben ontvangen" in text
    assert "privacy@obs-regenboog.example" in text and "nog in te vullen" not in text
    assert guide.missing == ()


def test_the_docx_uses_headings_and_bullets_of_word_itself(demo, tmp_path):
    with demo.session() as session:
        guide = schoolgids(session, SYSTEM, TODAY)
    document = Document(str(write_schoolgids(tmp_path / "gids.docx", guide)))
    styles = [p.style.name for p in document.paragraphs]
    assert styles[0] == "Heading 1" and styles.count("Heading 2") == len(guide.sections)
    assert styles.count("List Bullet") == sum(len(b.items) for s in guide.sections
                                              for b in s.blocks)


def test_an_edited_section_is_printed_instead_of_the_template(demo, tmp_path):
    with demo.session() as session:
        save_section_text(session, SYSTEM, "kwetsbaarheden", title="Zwakke plek gevonden?",
                          text="Mail {melding_adres}; wij danken u hartelijk.", clock=CLOCK)
    with demo.session() as session:
        guide = schoolgids(session, SYSTEM, TODAY)
    text = docx_text(write_schoolgids(tmp_path / "gids.docx", guide))
    assert "Zwakke plek gevonden? Mail https://www.obs-regenboog.example/kwetsbaarheid-melden; " \
           "wij danken u hartelijk." in text
    assert "Een zwakke plek melden" not in text


def _register_pdf(vault, path):
    with vault.session() as session:
        school = get_school(session)
        controller = controller_lines(school.name, school_contact(session, SYSTEM))
        activities = processing_activities(session, SYSTEM)
    processing_register_pdf(path, school.name, controller, activities, printed_on=TODAY)
    return activities


def test_the_art30_register_carries_a_to_g_for_every_activity(demo, tmp_path):
    activities = _register_pdf(demo, tmp_path / "register.pdf")
    reader = PdfReader(tmp_path / "register.pdf")
    text = pdf_text(tmp_path / "register.pdf")
    for number, activity in enumerate(activities, start=1):
        start = text.index(f"{number}. {activity.name}")
        end = (text.index(f"{number + 1}. {activities[number].name}")
               if number < len(activities) else len(text))
        part = text[start:end]
        for letter, label in ART30_FIELDS:
            assert f"{letter}. {label}" in part, (activity.name, letter)
    assert "Stichting Openbaar Onderwijs Regenboog" in text
    assert "ParnasSys (leerlingadministratie en leerlingvolgsysteem) van Topicus" in text
    assert reader.metadata.title == "Register van verwerkingsactiviteiten"


def test_a_changed_supplier_shows_in_the_next_print(demo, tmp_path):
    with demo.session() as session:
        gynzy = session.scalar(select(Supplier).where(Supplier.name == "Gynzy"))
        save_supplier(session, SYSTEM, SupplierInput(
            name="Gynzy Nieuw BV", product="Gynzy Plus", signed_on=gynzy.signed_on,
            ends_on=date(2026, 10, 1)), gynzy.id, clock=CLOCK)
    _register_pdf(demo, tmp_path / "register.pdf")
    text = pdf_text(tmp_path / "register.pdf")
    assert "Gynzy Plus van Gynzy Nieuw BV" in text
    assert "VERLOPEN op 01-10-2026" in text


def test_the_inspection_export_carries_the_schools_own_register(demo, tmp_path):
    with demo.session() as session:
        activity = processing_activities(session, SYSTEM)[0]
        save_activity(session, SYSTEM, ActivityInput(
            name="Leerlingadministratie De Regenboog", purposes=activity.purposes,
            subjects=activity.subjects, data_categories=activity.data_categories,
            supplier_ids=tuple(s.id for s in activity.suppliers)), activity.id, clock=CLOCK)
        inspection = gather(session, SYSTEM, date(2026, 1, 1), TODAY, now=NOW)
    pdf, zip_path, _digest = write_inspection(tmp_path / "inspectie.pdf", inspection)
    with zipfile.ZipFile(zip_path) as archive:
        rows = list(csv.reader(io.StringIO(
            archive.read("verwerkingsregister.csv").decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Verwerking" and rows[0][-1] == "Beveiliging (g)"
    names = [row[0] for row in rows[1:]]
    assert names[0] == "Leerlingadministratie De Regenboog"
    assert "Begeleiding van leerlingen" not in names  # the static register of before
    assert "ParnasSys" in rows[1][3]
    text = pdf_text(pdf)
    assert "Leerlingadministratie De Regenboog" in text
    assert "Stichting Openbaar Onderwijs Regenboog" in text
