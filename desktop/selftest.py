"""`privacyregister --selftest`: proves an installation can do its work, without a window.

Opens a throw-away encrypted register (passphrase mode: nothing is written to the keyring),
fills it with a small fake school, renders every kind of PDF the app prints to a temporary
folder, reads each back and checks its text, and prints one line. Exit code 0 or 1.
"""

from __future__ import annotations

import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from db import __version__
from db.permissions import SYSTEM


@dataclass(frozen=True)
class PrintCheck:
    """One kind of PDF: how to render it from an open vault, and text it must contain."""

    name: str
    render: Callable[..., Path]
    expected: tuple[str, ...]
    password: str | None = None  # the PDF must be encrypted and open with this password


# The access export leaves the school encrypted (AES-256 through pypdf and `cryptography`);
# the self-test renders it with this password, so a build without the AES backend fails.
ACCESS_EXPORT_PASSWORD = "zelftest-inzage"


def _render_recovery_key(vault, folder: Path) -> Path:
    from db.recovery import encode_recovery_key
    from desktop.printing.recovery_key import write_recovery_pdf

    return write_recovery_pdf(folder / "herstelsleutel.pdf", school_name="Zelftestschool",
                              brin="12AB", database_id=vault.database_id,
                              recovery_key=encode_recovery_key(secrets.token_bytes(32)),
                              created_at=datetime.now(UTC))


def _render_consent_forms(vault, folder: Path) -> Path:
    from db.consent_sheets import form_pupils, form_terms, purpose_texts
    from desktop.printing.consent_forms import SchoolInfo, consent_forms

    with vault.session() as session:
        pupils = form_pupils(session, SYSTEM, today=_today())[:5]
        purposes = purpose_texts(session)
        terms = form_terms(session, SYSTEM, today=_today())
    path = folder / "toestemmingsformulieren.pdf"
    consent_forms(path, SchoolInfo("Zelftestschool", "12AB"), pupils, purposes, terms)
    return path


def _render_photo_lists(vault, folder: Path) -> Path:
    from db.consent_sheets import photo_lists
    from desktop.printing.photo_lists import photo_list_pdf

    with vault.session() as session:
        lists = photo_lists(session, SYSTEM, today=_today())
    path = folder / "niet-op-de-foto.pdf"
    photo_list_pdf(path, "Zelftestschool", lists, printed_on=_today())
    return path


def _render_consent_overview(vault, folder: Path) -> Path:
    from db.consent_sheets import form_pupils, pupil_consent_overview
    from desktop.printing.consent_overview import consent_overview_pdf

    with vault.session() as session:
        first = form_pupils(session, SYSTEM, today=_today())[0]
        pupil, lines = pupil_consent_overview(session, SYSTEM, first.pupil_id, today=_today())
    path = folder / "overzicht-toestemmingen.pdf"
    return consent_overview_pdf(path, "Zelftestschool", pupil, lines, printed_on=_today())


def _render_breach_register(vault, folder: Path) -> Path:
    from datetime import date

    from db.breaches import breach_rows
    from desktop.printing.breaches import breach_register_pdf

    with vault.session() as session:
        rows = breach_rows(session, SYSTEM)
    return breach_register_pdf(folder / "register-datalekken.pdf", "Zelftestschool", rows,
                               period=(date(2000, 1, 1), _today()), now=datetime.now(UTC))


def _render_breach_report(vault, folder: Path) -> Path:
    from db.breaches import breach_rows, gather_breach_report
    from desktop.printing.breaches import breach_report_pdf

    with vault.session() as session:
        first = breach_rows(session, SYSTEM)[-1]
        report = gather_breach_report(session, SYSTEM, first.id, datetime.now(UTC))
        return breach_report_pdf(folder / "datalek.pdf", report, printed_at=datetime.now(UTC))


def _render_inspection(vault, folder: Path) -> Path:
    from datetime import date

    from db.inspection import gather
    from desktop.printing.inspection import write_inspection

    with vault.session() as session:
        inspection = gather(session, SYSTEM, date(2000, 1, 1), _today(), now=datetime.now(UTC))
    pdf, _zip, _digest = write_inspection(folder / "inspectie.pdf", inspection)
    return pdf


def _render_access_export(vault, folder: Path) -> Path:
    from db.access_export import gather_access
    from db.consent_sheets import form_pupils
    from desktop.printing.access_export import access_export_pdf

    with vault.session() as session:
        first = form_pupils(session, SYSTEM, today=_today())[0]
        facts = gather_access(session, SYSTEM, first.pupil_id)
    return access_export_pdf(folder / "inzage.pdf", "Zelftestschool", facts,
                             printed_at=datetime.now(UTC), password=ACCESS_EXPORT_PASSWORD)


def _render_supplier_list(vault, folder: Path) -> Path:
    from db.suppliers import supplier_rows
    from desktop.printing.supplier_list import supplier_list_pdf

    with vault.session() as session:
        rows = supplier_rows(session, SYSTEM)
    return supplier_list_pdf(folder / "leveranciers.pdf", "Zelftestschool", rows,
                             printed_on=_today())


def _today():
    from db.clock import local_today

    return local_today()


def print_checks() -> list[PrintCheck]:
    """Every PDF the app can print, the recovery key first. Grows with each print that lands."""
    return [
        PrintCheck("herstelsleutel", _render_recovery_key, ("Herstelsleutel", "Zelftestschool")),
        PrintCheck("toestemmingsformulieren", _render_consent_forms,
                   ("Toestemmingsformulier", "Foto's en video's op de schoolwebsite",
                    "Graag terug vóór", "doelen 1v1")),
        PrintCheck("niet op de foto", _render_photo_lists, ("Niet op de foto", "groep")),
        PrintCheck("overzicht toestemmingen", _render_consent_overview,
                   ("Overzicht toestemmingen", "Zelftestschool")),
        PrintCheck("register datalekken", _render_breach_register,
                   ("Register datalekken", "72-uurstermijn")),
        PrintCheck("datalek", _render_breach_report, ("Datalek DL-", "Tijdlijn")),
        PrintCheck("inspectie-export", _render_inspection,
                   ("inspectie-export", "SHA-256 van de inhoud", "AVG art. 30")),
        PrintCheck("leverancierslijst", _render_supplier_list,
                   ("Leveranciers die leerlinggegevens ontvangen", "Basispoort")),
        PrintCheck("inzage", _render_access_export, ("Inzage in de gegevens van", "Toestemmingen"),
                   password=ACCESS_EXPORT_PASSWORD),
    ]


def server_driver_problem() -> str | None:
    """None when the PostgreSQL driver (psycopg 3 with its libpq) loads, as a register on a
    server needs; else what is missing. Nothing is connected to."""
    try:
        import psycopg
        from sqlalchemy.dialects.postgresql import psycopg as _dialect  # noqa: F401

        if psycopg.pq.version() < 140000:  # libpq 14+: certificates checked for IP addresses
            return "serverdriver (libpq te oud)"
    except Exception as exc:  # noqa: BLE001 - report, never crash the self-test
        return f"serverdriver ({type(exc).__name__})"
    return None


class NotEncrypted(Exception):
    """A PDF that must be encrypted is not."""


def _pdf_text(path: Path, password: str | None = None) -> str:
    from pypdf import PdfReader

    reader = PdfReader(path)
    if password is not None:
        if not reader.is_encrypted:
            raise NotEncrypted(path.name)
        reader.decrypt(password)
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def run_selftest(out=None) -> int:
    """Run every check; print one line; 0 when all passed."""
    out = out or sys.stdout
    started = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="privacyregister-zelftest-"))
    failures: list[str] = []
    done = 0
    try:
        from db.demo import populate_demo
        from db.vault import Vault

        vault, _ = Vault.create(folder / "zelftest.db", passphrase=secrets.token_hex(16))
        try:
            with vault.session() as session:
                populate_demo(session, pupils=60)
            if vault.integrity_problems():
                failures.append("database")
            for check in print_checks():
                try:
                    text = _pdf_text(check.render(vault, folder), check.password)
                    missing = [word for word in check.expected if word not in text]
                    if missing:
                        failures.append(f"{check.name} (tekst ontbreekt)")
                    done += 1
                except Exception as exc:  # noqa: BLE001 - report, never crash the self-test
                    failures.append(f"{check.name} ({type(exc).__name__})")
        finally:
            vault.engine.dispose()
    except Exception as exc:  # noqa: BLE001
        failures.append(f"database ({type(exc).__name__}: {exc})")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if (problem := server_driver_problem()) is not None:
        failures.append(problem)
    seconds = time.perf_counter() - started
    if failures:
        print(f"Zelftest MISLUKT (Privacyregister {__version__}): " + "; ".join(failures),
              file=out, flush=True)
        return 1
    print(f"Zelftest geslaagd (Privacyregister {__version__}): versleutelde database en "
          f"{done} PDF-soorten in orde, {seconds:.1f} s.", file=out, flush=True)
    return 0
