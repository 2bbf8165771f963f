"""The breach register and a breach report, read back with pypdf."""

from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from db.breaches import (
    BreachInput,
    add_amendment,
    assess,
    breach_rows,
    gather_breach_report,
    record_notification,
    register_breach,
    sign_off,
)
from db.permissions import SYSTEM
from db.schema import Risk, Role, User
from db.users import create_user
from desktop import cli
from desktop.printing.breaches import breach_register_pdf, breach_report_pdf

NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


def text_of(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.fixture
def breaches(vault, clock):
    """Three breaches: notified in time, notified late, open and overdue; plus one in 2025."""
    with vault.session() as session:
        admin = session.scalar(select(User))
        director = create_user(session, admin, "dir", "wachtwoord-1", Role.DIRECTIE,
                               clock=clock)
        office = create_user(session, admin, "office", "wachtwoord-1", Role.ADMINISTRATIE,
                             clock=clock)

        def breach(day, month=11, year=2026, text="Lek"):
            return register_breach(session, office, BreachInput(
                discovered_at=datetime(year, month, day, 8, 0, tzinfo=UTC), description=text,
                affected_min=2, affected_max=5), clock=clock)

        early = breach(2, 3, 2025, "Vorig jaar")
        in_time = breach(2, text="USB-stick kwijt")
        assess(session, office, in_time.id, risk=Risk.RISK, reasons="namen", notify_ap=True,
               notify_reason="risico", clock=clock)
        record_notification(session, office, in_time.id,
                            notified_at=datetime(2026, 11, 3, 8, 0, tzinfo=UTC),
                            ap_reference="AP-1", clock=clock)
        sign_off(session, director, in_time.id, clock=clock)
        add_amendment(session, office, in_time.id, "Stick teruggevonden bij de conciërge.",
                      clock=clock)
        late = breach(10, text="Mail aan verkeerde ouders")
        record_notification(session, office, late.id,
                            notified_at=datetime(2026, 11, 14, 8, 0, tzinfo=UTC),
                            ap_reference="AP-2", late_reason="De ontvangers eerst nagebeld.",
                            clock=clock)
        overdue = breach(20, text="Inbraak in de administratie")
    return {"ids": (early.id, in_time.id, late.id, overdue.id), "office": office}


def test_register_holds_every_breach_of_the_period_and_its_72_hour_outcome(vault, breaches,
                                                                           tmp_path):
    with vault.session() as session:
        rows = breach_rows(session, SYSTEM, start=datetime(2026, 1, 1, tzinfo=UTC))
    out = breach_register_pdf(tmp_path / "register.pdf", "OBS De Klimop", rows,
                              period=(date(2026, 1, 1), date(2026, 12, 31)), now=NOW)
    text = text_of(out)
    for reference, outcome in (("DL-2026-001", "op tijd gemeld"),
                               ("DL-2026-002", "te laat gemeld (24 uur na de"),
                               ("DL-2026-003", "termijn verstreken")):
        line = text.split(reference)[1].split("DL-")[0]
        assert outcome in line.replace("\n", " "), (reference, line)
    assert "Redenen: De ontvangers eerst nagebeld." in text.split("DL-2026-002")[1].replace(
        "\n", " ")
    assert "DL-2025-001" not in text and "Vorig jaar" not in text
    assert "3 datalekken geregistreerd, 2 gemeld" in text.replace("\n", " ")


def test_breach_report_has_timeline_assessment_sign_off_and_amendments(vault, breaches,
                                                                       tmp_path):
    with vault.session() as session:
        report = gather_breach_report(session, SYSTEM, breaches["ids"][1], NOW)
        out = breach_report_pdf(tmp_path / "lek.pdf", report, printed_at=NOW)
    text = text_of(out).replace("\n", " ")
    for expected in ("Datalek DL-2026-001", "USB-stick kwijt", "Ontdekt 02-11-2026 09:00",
                     "72-uurstermijn tot 05-11-2026 09:00", "Kenmerk AP AP-1",
                     "Uitkomst 72 uur op tijd gemeld", "Risico risico", "Afgetekend door dir",
                     "Stick teruggevonden bij de conciërge.", "(over: overig)",
                     "OBS De Klimop", "Auditketen bij afdrukken"):
        assert expected in text, expected


def test_cli_exports_the_register_and_refuses_a_reversed_period(vault, breaches, db_path,
                                                              tmp_path, capsys):
    vault.close(backup=False)
    out = tmp_path / "cli.pdf"
    code = cli.main(["--database", str(db_path), "export", "breaches", "--from", "01-11-2026",
                     "--to", "30-11-2026", "--out", str(out)])
    assert code == 0 and "3 datalekken" in capsys.readouterr().out
    assert "DL-2026-003" in text_of(out)
    code = cli.main(["--database", str(db_path), "export", "breaches", "--from", "30-11-2026",
                     "--to", "01-11-2026", "--out", str(tmp_path / "x.pdf")])
    assert code == 2 and "eindigt vóór" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_breach_report_of_a_late_notification_prints_the_reasons(vault, breaches, tmp_path):
    with vault.session() as session:
        report = gather_breach_report(session, SYSTEM, breaches["ids"][2], NOW)
    text = text_of(breach_report_pdf(tmp_path / "laat.pdf", report, printed_at=NOW))
    assert "Redenen voor de late melding De ontvangers eerst nagebeld." in text.replace("\n", " ")
