"""privacyregister-cli import-consents: the parent app's preferences from the command line,
each run its own process, as IT staff would run it. Exit codes as `import`: 0 ok, 1 rows with
problems (or pupils not found), 2 usage or open error."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.clock import fixed_clock
from db.permissions import SYSTEM
from db.schema import AuditEntry, Channel, ConsentEvent
from db.vault import Vault
from tests.db.imports.consent_files import PARRO_ROWS, make_school, parro_csv
from tests.desktop.test_cli_messages import ENGLISH, PASSPHRASE, cli, init

CLOCK = fixed_clock(datetime(2026, 11, 24, 9, 30, tzinfo=UTC))


def init_with_pupils(folder: Path) -> None:
    """`init` in its own process, then the five pupils of the consent files."""
    init(folder)
    vault = Vault.open(folder / "school.db", passphrase=PASSPHRASE,
                       backup_dir=folder / "kopieen")
    with vault.session() as session:
        make_school(session, SYSTEM, CLOCK)
    vault.close(backup=False)


@pytest.fixture
def register(tmp_path, real_runs) -> Path:
    """A register made by `init`, with the five pupils of the consent files: the worker's one
    run of it, copied (tests/support/real_runs.py)."""
    real_runs.copy("test_cli_import_consents.register", init_with_pupils, tmp_path)
    return tmp_path / "school.db"


def stored(path: Path) -> list[tuple]:
    vault = Vault.open(path, passphrase=PASSPHRASE, backup_dir=path.parent / "kopieen")
    try:
        with vault.session() as session:
            rows = session.execute(select(ConsentEvent.channel, ConsentEvent.decided_on,
                                          ConsentEvent.guardian_id, ConsentEvent.decision)
                                   ).all()
            audited = session.scalar(select(func.count()).select_from(AuditEntry).where(
                AuditEntry.action == "consent.import"))
    finally:
        vault.close(backup=False)
    assert audited == len([r for r in rows if r.channel != Channel.PAPER])
    return rows


def dutch(text: str) -> None:
    for word in ENGLISH:
        assert word not in text, word


def test_a_dry_run_shows_what_would_be_recorded_and_saves_nothing(tmp_path, register):
    done = cli(tmp_path, "import-consents", str(parro_csv(tmp_path)), "--source", "parro",
               "--date", "01-10-2026", "--dry-run")
    assert done.returncode == 1, done.stderr  # one row with a problem, one pupil not found
    out = done.stdout
    dutch(out + done.stderr)
    assert out.startswith("CSV uit Parro (ParnasSys): 5 regels, 3 leerlingen gevonden, 1 niet "
                          "gevonden, 1 nieuwere keuzes in het register, 1 met fouten.")
    assert ("  Foto's en video's op de schoolwebsite: 3 gegeven, 0 geweigerd, 0 niet "
            "ingevuld; 2 vast te leggen, 0 al vastgelegd, 1 nieuwer in het register.") in out
    assert "  niet gevonden (regel 6): leerling 7777" in out
    assert "op papier gewijzigd op 12-10-2026" in out
    assert "  fout, regel 5: kolom 'Foto's in de nieuwsbrief en schoolgids': 'Misschien'" in out
    assert "Proefimport: er is niets opgeslagen." in out
    assert len(stored(register)) == 1  # only Lotte's paper decision


def test_a_real_import_records_the_choices_and_a_second_one_nothing(tmp_path, register):
    path = parro_csv(tmp_path)
    done = cli(tmp_path, "import-consents", str(path), "--source", "parro", "--date",
               "01-10-2026")
    assert done.returncode == 1, done.stderr
    assert "Opgeslagen: 19 keuzes van 3 leerlingen vastgelegd" in done.stdout
    rows = stored(register)
    imported = [r for r in rows if r.channel == Channel.PARRO]
    assert len(imported) == 19  # Sem 8, Lotte 7 (website: paper is newer), Fleur 4
    assert {(r.decided_on.isoformat(), r.guardian_id) for r in imported} == {
        ("2026-10-01", None)}
    again = cli(tmp_path, "import-consents", str(path), "--source", "parro", "--date",
                "01-10-2026")
    assert "Opgeslagen: 0 keuzes van 0 leerlingen vastgelegd" in again.stdout
    assert len(stored(register)) == len(rows)


def test_a_clean_file_exits_with_zero(tmp_path, register):
    path = parro_csv(tmp_path, rows=PARRO_ROWS[:3])
    done = cli(tmp_path, "import-consents", str(path), "--source", "anders", "--date",
               "1-10-2026")
    assert done.returncode == 0, done.stdout + done.stderr
    assert {r.channel for r in stored(register)} == {Channel.PAPER, Channel.OTHER_APP}


@pytest.mark.parametrize(("argv", "message"), [
    (["--source", "parro"], "geen kolom met de datum van de keuze"),
    (["--source", "parro", "--date", "31-02-2026"], "--date: '31-02-2026' bestaat niet"),
    (["--source", "parro", "--date", "01-10-2999"], "ligt in de toekomst"),
])
def test_usage_errors_exit_with_two_and_save_nothing(tmp_path, register, argv, message):
    done = cli(tmp_path, "import-consents", str(parro_csv(tmp_path)), *argv)
    assert done.returncode == 2
    assert message in done.stderr and done.stderr.startswith("Fout: ")
    assert "Er is niets ingelezen." in done.stderr
    dutch(done.stderr)
    assert len(stored(register)) == 1


def test_an_unknown_source_or_a_missing_file_is_a_usage_error(tmp_path, register):
    wrong = cli(tmp_path, "import-consents", str(parro_csv(tmp_path)), "--source", "magister",
                "--date", "01-10-2026")
    assert wrong.returncode == 2 and "ongeldige keuze: 'magister'" in wrong.stderr
    missing = cli(tmp_path, "import-consents", str(tmp_path / "weg.csv"), "--source", "parro",
                  "--date", "01-10-2026")
    assert missing.returncode == 2
    assert "weg.csv kan niet worden gelezen" in missing.stderr
    pdf = tmp_path / "lijst.pdf"
    pdf.write_bytes(b"%PDF-1.7\n...")
    foreign = cli(tmp_path, "import-consents", str(pdf), "--source", "parro", "--date",
                  "01-10-2026")
    assert foreign.returncode == 2 and "Dit is een PDF-bestand" in foreign.stderr
