"""A real school's first day, as separate processes: init, import, print. No demo anywhere.

Version 0.1.0 passed every test on the demo school and gave a real school consent forms
without a single purpose and an empty 'niet op de foto' list."""

import os
import subprocess
import sys
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from db.purposes import load_default_purposes
from db.retention import due_items, load_default_rules
from db.schema import Pupil, RetentionRule, User
from db.vault import Vault

PASSPHRASE = "een lange wachtwoordzin voor de test"
CSV = (
    "Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;Geboortedatum;Groep;"
    "Datum inschrijving;Naam ouder/verzorger 1;E-mail ouder/verzorger 1\r\n"
    "3001;Zoë;van den;Berg;07-03-2018;5a;01-09-2022;Anna van den Berg;anna@example.nl\r\n"
    "3002;Ismaël;;Assati;11-10-2018;5a;01-09-2022;Fatima El Amrani;fatima@example.nl\r\n"
    "3003;Daan;;Jansen;02-02-2017;6b;01-09-2021;Peter Jansen;peter@example.nl\r\n"
)


def text_of(pdf) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


def cli(tmp_path, *argv):
    env = {**os.environ, "PRIVACYREGISTER_PASSPHRASE": PASSPHRASE,
           "PRIVACYREGISTER_ADMIN_PASSWORD": "wachtwoord-123",
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
           "XDG_DATA_HOME": str(tmp_path / "data"), "LOCALAPPDATA": str(tmp_path / "data")}
    done = subprocess.run([sys.executable, "-m", "desktop.cli", "--database",
                           str(tmp_path / "school.db"), *argv], env=env, capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def init_and_import(folder) -> None:
    made = cli(folder, "init", "--school", "OBS De Klimop", "--brin", "12AB",
               "--admin", "beheer")
    assert made.returncode == 0, made.stderr
    (folder / "leerlingen.csv").write_text(CSV, encoding="utf-8")
    imported = cli(folder, "import", str(folder / "leerlingen.csv"))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert "3 toegevoegd" in imported.stdout


@pytest.fixture
def first_day(tmp_path, real_runs):
    """`init` then `import` of the pupil system's CSV, each its own process: the worker's one
    run of the two, copied whole (register, sidecar, data folder with the import's backup;
    tests/support/real_runs.py)."""
    real_runs.copy("test_first_day", init_and_import, tmp_path)
    return tmp_path


def test_init_gives_the_register_every_default_purpose_and_retention_term(first_day):
    vault = Vault.open(first_day / "school.db", passphrase=PASSPHRASE)
    try:
        with vault.session() as session:
            terms = {r.category for r in session.scalars(select(RetentionRule))}
            pupil = session.scalar(select(Pupil).where(Pupil.last_name == "Jansen"))
            pupil.left_on = date(2019, 7, 1)  # left long ago: due for deletion by now
            beheer = session.scalar(select(User))
            due = due_items(session, beheer, date(2026, 11, 30))
    finally:
        vault.close(backup=False)
    assert terms == {r["category"] for r in load_default_rules()}
    assert {item.category for item in due if item.pupil_id == pupil.id} >= {
        "inschrijving_verzuim"}


def test_consent_forms_straight_after_init_and_import_carry_every_default_purpose(first_day):
    out = first_day / "formulieren.pdf"
    printed = cli(first_day, "print", "consent-forms", "--all", "--out", str(out))
    assert printed.returncode == 0, printed.stderr
    reader = PdfReader(out)
    assert len(reader.pages) == 3
    pages = [page.extract_text().replace("\n", " ") for page in reader.pages]
    for name, page in zip(("Ismaël Assati", "Zoë van den Berg", "Daan Jansen"), pages,
                          strict=True):  # by group, then name
        assert name in page
        for purpose in load_default_purposes():
            assert purpose["title"] in page, purpose["title"]


def test_the_photo_list_after_init_and_import_names_every_pupil_nobody_was_asked(first_day):
    out = first_day / "foto.pdf"
    printed = cli(first_day, "print", "niet-op-de-foto", "--out", str(out))
    assert printed.returncode == 0, printed.stderr
    text = text_of(out)
    for name in ("Zoë van den Berg", "Ismaël Assati", "Daan Jansen"):
        assert name in text, name
