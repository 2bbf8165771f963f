"""The CLI for what the school tells parents, each command its own process: `print schoolgids`
(DOCX and PDF, a line per supplier left out), `print verwerkingsregister` and `photo-check`."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from docx import Document
from pypdf import PdfReader
from sqlalchemy import select

from db.clock import local_today
from db.consents import record_decision
from db.permissions import SYSTEM
from db.photo_check import photo_candidates, photo_check
from db.purposes import current_texts
from db.schema import Channel, ConsentPurpose, Decision, PupilGuardian
from db.suppliers import SupplierInput, save_supplier
from db.vault import Vault

PASSPHRASE = "een lange wachtwoordzin voor de test"


def cli(tmp_path, *argv):
    env = {**os.environ, "PRIVACYREGISTER_PASSPHRASE": PASSPHRASE,
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
           "XDG_DATA_HOME": str(tmp_path / "data"), "LOCALAPPDATA": str(tmp_path / "data")}
    done = subprocess.run([sys.executable, "-m", "desktop.cli", "--database",
                           str(tmp_path / "school.db"), *argv], env=env, capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert "Traceback" not in done.stderr, done.stderr
    return done


@pytest.fixture(scope="module")
def school(tmp_path_factory):
    """A demo school made by the CLI, with one supplier whose agreement expired yesterday.
    The commands run on today's date (they are processes): the test data is dated from it."""
    folder = tmp_path_factory.mktemp("cli-ouders")
    made = cli(folder, "demo", "--pupils", "40")
    assert made.returncode == 0, made.stderr
    today = local_today()
    vault = Vault.open(folder / "school.db", passphrase=PASSPHRASE)
    try:
        with vault.session() as session:
            save_supplier(session, SYSTEM, SupplierInput(
                name="Oud Rekenen BV", product="RekenOud", signed_on=today - timedelta(900),
                ends_on=today - timedelta(1)))
    finally:
        vault.close(backup=False)
    return folder


@pytest.mark.parametrize("suffix", ["docx", "pdf"])
def test_print_schoolgids_writes_the_paragraph_and_names_who_was_left_out(school, suffix):
    out = school / f"schoolgids.{suffix}"
    done = cli(school, "print", "schoolgids", "--out", str(out))
    assert done.returncode == 0, done.stderr
    yesterday = local_today() - timedelta(1)
    assert (f"Weggelaten: RekenOud van Oud Rekenen BV — de verwerkersovereenkomst is verlopen "
            f"op {yesterday:%d-%m-%Y}.") in done.stdout
    assert done.stdout.count("Weggelaten:") == 1
    if suffix == "docx":
        text = " ".join(p.text for p in Document(str(out)).paragraphs)
    else:
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
    assert "ParnasSys" in text and "RekenOud" not in text
    assert "mr. J. (Josien) van Ommen" in text and "één maand" in text


def test_print_schoolgids_refuses_another_kind_of_file(school):
    done = cli(school, "print", "schoolgids", "--out", str(school / "gids.txt"))
    assert done.returncode == 2 and ".docx" in done.stderr
    assert not (school / "gids.txt").exists()


def test_print_verwerkingsregister(school):
    out = school / "register.pdf"
    done = cli(school, "print", "verwerkingsregister", "--out", str(out))
    assert done.returncode == 0, done.stderr
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
    assert "g. Beveiliging" in text and "Leerlingadministratie" in text


def test_photo_check_names_who_may_not_and_why_and_prints_it(school):
    vault = Vault.open(school / "school.db", passphrase=PASSPHRASE)
    try:
        with vault.session() as session:
            codes = {p.code: p.id for p, _t in current_texts(session)}
            pupils = photo_candidates(session, SYSTEM, today=local_today(), group="5A")
            refuser = pupils[0]
            guardian = session.scalar(select(PupilGuardian.guardian_id).where(
                PupilGuardian.pupil_id == refuser.pupil_id, PupilGuardian.has_authority))
            web = session.scalar(select(ConsentPurpose.id)
                                 .where(ConsentPurpose.code == "foto_website"))
            record_decision(session, SYSTEM, refuser.pupil_id, web, Decision.WITHDRAWN,
                            decided_on=local_today(), guardian_id=guardian,
                            channel=Channel.EMAIL)
        with vault.session() as session:
            expected = photo_check(session, SYSTEM, [codes["foto_website"],
                                                     codes["foto_sociale_media"]],
                                   [p.pupil_id for p in pupils], local_today())
    finally:
        vault.close(backup=False)
    out = school / "fotocheck.pdf"
    done = cli(school, "photo-check", "--purpose", "foto_website", "--purpose",
               "foto_sociale_media", "--group", "5A", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert (f"Mogen niet op de foto: {len(expected.blocked)} van {expected.checked}."
            in done.stdout)
    assert (f"  {refuser.name} (groep 5A): ingetrokken (Foto's en video's op de "
            "schoolwebsite)") in done.stdout
    for blocked in expected.blocked:
        assert f"  {blocked.pupil.name} (groep 5A): {blocked.describe()}" in done.stdout
    for clear in expected.clear:
        assert f"  {clear.name} (groep" not in done.stdout
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
    assert "Fotocheck — groep 5A" in text and refuser.name in text
    assert f"Mogen niet op de foto ({len(expected.blocked)})" in text


def test_photo_check_names_the_purposes_in_use_when_a_code_is_unknown(school):
    done = cli(school, "photo-check", "--purpose", "foto_maan", "--group", "5A")
    assert done.returncode == 2
    assert "Onbekend doel: foto_maan" in done.stderr and "foto_website" in done.stderr


def test_photo_check_of_an_unknown_group(school):
    done = cli(school, "photo-check", "--purpose", "foto_website", "--group", "9Z")
    assert done.returncode == 2 and "Groep '9Z' heeft geen huidige leerlingen" in done.stderr
