"""The inspection export (PDF + CSV zip) and the access export, read back."""

import csv
import io
import zipfile
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from db.access_export import gather_access
from db.breaches import BreachInput, record_notification, register_breach
from db.consents import record_decision
from db.errors import ValidationError
from db.inspection import gather
from db.pupils import GuardianInput, PupilInput, add_guardian, add_special, enrol_pupil
from db.purposes import seed_default_purposes
from db.requests import RequestInput, answer, register_request
from db.retention import erase, seed_default_rules
from db.schema import Channel, ConsentPurpose, Decision, RequestKind, Role, User
from db.users import create_user
from desktop import cli
from desktop.printing.access_export import access_export_pdf
from desktop.printing.inspection import content_hash, csv_files, write_inspection

NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


@pytest.fixture
def seeded(vault, clock):
    """One late breach, one timely; one overdue request, one answered in time; consents;
    one erasure."""
    with vault.session() as session:
        admin = session.scalar(select(User))
        director = create_user(session, admin, "dir", "wachtwoord-1", Role.DIRECTIE,
                               clock=clock)
        seed_default_purposes(session, admin, clock=clock)
        seed_default_rules(session, admin, clock=clock)
        pupils = []
        for first in ("Sem", "Noor", "Weg"):
            pupil = enrol_pupil(session, director, PupilInput(
                first_name=first, last_name="Bakker", date_of_birth=date(2017, 3, 3),
                group_name="4A", enrolled_on=date(2021, 8, 30)), clock=clock)
            guardian = add_guardian(session, director, pupil.id, GuardianInput(
                first_name="Fatima", last_name="Bakker", email="fatima@example.nl"),
                clock=clock)
            pupils.append((pupil.id, guardian.id))
        website = session.scalar(select(ConsentPurpose.id)
                                 .where(ConsentPurpose.code == "foto_website"))
        record_decision(session, director, pupils[0][0], website, Decision.GIVEN,
                        decided_on=date(2025, 9, 1), guardian_id=pupils[0][1],
                        channel=Channel.PARRO, clock=clock)
        record_decision(session, director, pupils[1][0], website, Decision.REFUSED,
                        decided_on=date(2025, 9, 1), guardian_id=pupils[1][1],
                        channel=Channel.PAPER, clock=clock)
        add_special(session, director, pupils[0][0], "medical", "dyslexie", clock=clock)
        late = register_breach(session, director, BreachInput(
            discovered_at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC), description="Laat gemeld"),
            clock=clock)
        record_notification(session, director, late.id,
                            notified_at=datetime(2026, 3, 9, 8, 0, tzinfo=UTC),
                            ap_reference="AP-9", late_reason="Pas na een week bekend.",
                            clock=clock)
        timely = register_breach(session, director, BreachInput(
            discovered_at=datetime(2026, 5, 2, 8, 0, tzinfo=UTC), description="Op tijd"),
            clock=clock)
        record_notification(session, director, timely.id,
                            notified_at=datetime(2026, 5, 3, 8, 0, tzinfo=UTC),
                            ap_reference="AP-10", clock=clock)
        register_request(session, director, RequestInput(
            kind=RequestKind.ACCESS, received_on=date(2026, 9, 1), pupil_id=pupils[0][0],
            guardian_id=pupils[0][1]), clock=clock)
        answered = register_request(session, director, RequestInput(
            kind=RequestKind.RECTIFICATION, received_on=date(2026, 10, 1), pupil_id=None,
            guardian_id=None), clock=clock)
        answer(session, director, answered.id, answered_on=date(2026, 10, 20), text="Aangepast",
               clock=clock)
        erase(session, director, pupils[2][0], "all", clock=clock)
    return {"director": director, "sem": pupils[0][0]}


def test_inspection_export_sections_and_counts(vault, seeded, tmp_path):
    with vault.session() as session:
        inspection = gather(session, seeded["director"], date(2026, 1, 1), date(2026, 12, 31),
                            now=NOW)
    pdf, zip_path, digest = write_inspection(tmp_path / "inspectie.pdf", inspection)
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages).replace("\n", " ")
    for title in ("Register van verwerkingsactiviteiten (AVG art. 30)",
                  "Leveranciers en verwerkersovereenkomsten",
                  "Toestemmingen per doel en groep", "Register datalekken met de 72-uurstermijn",
                  "Verzoeken van betrokkenen en de termijn", "Bewaartermijnen",
                  "Verwijderingen in de periode", "Beveiligingsmaatregelen"):
        assert title in text, title
    assert digest in text and "Auditketen in orde" in text
    assert "2 datalekken, 2 gemeld bij de AP, 1 te laat gemeld" in text
    assert "2 verzoeken, 0 te laat beantwoord, 1 open met verstreken termijn" in text
    with zipfile.ZipFile(zip_path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()
                 if name.endswith(".csv")}
        assert "SHA256SUMS" in archive.namelist()
    assert content_hash(files) == digest == content_hash(csv_files(inspection))
    breaches = list(csv.reader(io.StringIO(files["datalekken.csv"].decode("utf-8-sig")),
                               delimiter=";"))
    outcomes = {row[0]: row[7] for row in breaches[1:]}
    assert outcomes["DL-2026-001"].startswith("te laat gemeld")
    assert outcomes["DL-2026-002"] == "op tijd gemeld"
    requests = list(csv.reader(io.StringIO(files["verzoeken.csv"].decode("utf-8-sig")),
                               delimiter=";"))
    assert sorted(row[-1] for row in requests[1:]) == ["op tijd", "termijn verstreken"]
    consents = list(csv.reader(io.StringIO(files["toestemmingen.csv"].decode("utf-8-sig")),
                               delimiter=";"))
    website = next(r for r in consents if r[0].startswith("Foto's en video's op de school"))
    assert website[1:] == ["4A", "2", "1", "1", "0"]
    erasures = files["verwijderingen.csv"].decode("utf-8-sig")
    assert "all" in erasures and "Bakker" not in erasures


def test_export_period_that_ends_before_it_starts_is_refused(vault, seeded, db_path, tmp_path,
                                                           capsys):
    with vault.session() as session, pytest.raises(ValidationError):
        gather(session, seeded["director"], date(2026, 2, 1), date(2026, 1, 1), now=NOW)
    vault.close(backup=False)
    out = tmp_path / "x.pdf"
    code = cli.main(["--database", str(db_path), "export", "inspection", "--from", "01-02-2026",
                     "--to", "01-01-2026", "--out", str(out)])
    assert code == 2 and not out.exists()
    code = cli.main(["--database", str(db_path), "export", "inspection", "--from", "01-01-2026",
                     "--to", "31-12-2026", "--out", str(out)])
    assert code == 0 and out.exists() and out.with_suffix(".zip").exists()


def test_access_export_holds_everything_and_can_be_password_protected(vault, seeded, clock,
                                                                     tmp_path):
    with vault.session() as session:
        facts = gather_access(session, seeded["director"], seeded["sem"], clock=clock)
    out = access_export_pdf(tmp_path / "inzage.pdf", "OBS De Klimop", facts, printed_at=NOW,
                            password="geheim123")
    reader = PdfReader(out)
    assert reader.is_encrypted
    with pytest.raises(Exception):  # noqa: B017 - pypdf raises on text without the password
        reader.pages[0].extract_text()
    reader = PdfReader(out)
    reader.decrypt("geheim123")
    text = "\n".join(page.extract_text() for page in reader.pages).replace("\n", " ")
    for expected in ("Inzage in de gegevens van Sem Bakker", "fatima@example.nl", "dyslexie",
                     "Foto's en video's op de schoolwebsite: toestemming", "Parro", "inzage",
                     "bijzondere gegevens ingezien", "inzage-export gemaakt"):
        assert expected in text, expected


def test_supplier_list_for_parents(vault, clock, tmp_path):
    from db.suppliers import SupplierInput, save_supplier, supplier_rows
    from desktop.printing.supplier_list import supplier_list_pdf

    with vault.session() as session:
        actor = session.scalar(select(User))
        save_supplier(session, actor, SupplierInput(
            name="Basispoort", product="Inlogdienst", data_categories="naam, groep",
            purpose="Inloggen op digitaal lesmateriaal", agreement_model="Model 4.0",
            signed_on=date(2024, 1, 1)), clock=clock)
        rows = supplier_rows(session, actor)
    out = supplier_list_pdf(tmp_path / "lev.pdf", "OBS De Klimop", rows,
                            printed_on=date(2026, 11, 24))
    text = PdfReader(out).pages[0].extract_text().replace("\n", " ")
    assert "Basispoort" in text and "Inloggen op digitaal lesmateriaal" in text
    assert "Model 4.0, getekend 01-01-2024" in text
