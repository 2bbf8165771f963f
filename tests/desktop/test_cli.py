"""privacyregister-cli: init, backup, restore, verify, demo; exit codes 0/1/2; Dutch messages."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from db.vault import Vault, read_sidecar
from desktop import cli


def run(capsys, *argv):
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def init(folder: Path, capsys) -> Path:
    path = folder / "school.db"
    code, out, _ = run(capsys, "--database", str(path), "init", "--school", "OBS De Klimop",
                       "--brin", "12ab", "--admin", "Beheer",
                       "--recovery-pdf", str(folder / "herstel.pdf"))
    assert code == 0, out
    return path


@pytest.fixture
def initialised(tmp_path, monkeypatch, capsys, real_runs, memory_keyring):
    """A register made by `init` (its key in the keyring): the worker's one run of it,
    copied with its key (tests/support/real_runs.py)."""
    monkeypatch.setenv("PRIVACYREGISTER_ADMIN_PASSWORD", "wachtwoord-123")
    real_runs.copy("test_cli.init", lambda folder: init(folder, capsys), tmp_path,
                   files="files", keyring_backend=memory_keyring)
    return tmp_path / "school.db"


@pytest.fixture
def initialised_here(tmp_path, monkeypatch, capsys):
    """`init` run by this test itself."""
    monkeypatch.setenv("PRIVACYREGISTER_ADMIN_PASSWORD", "wachtwoord-123")
    return init(tmp_path, capsys)


def test_init_creates_register_and_recovery_pdf(initialised_here, tmp_path):
    from pypdf import PdfReader

    from db.recovery import decode_recovery_key
    from db.users import authenticate

    text = PdfReader(tmp_path / "herstel.pdf").pages[0].extract_text()
    assert "Herstelsleutel" in text and "OBS De Klimop" in text and "kluis" in text
    assert read_sidecar(initialised_here)["database_id"] in text
    groups = re.findall(r"\b[0-9A-Z]{5}\b", text.split("Zo gaat u")[0].split("Aangemaakt")[1])
    assert len(groups) == 13
    raw = decode_recovery_key("-".join(groups))
    vault = Vault.open(initialised_here, raw_key=raw)
    with vault.session() as session:
        assert authenticate(session, "beheer", "wachtwoord-123").role == "beheerder"
    vault.close(backup=False)


def test_init_refuses_bad_brin_with_dutch_message_and_creates_nothing(tmp_path, capsys,
                                                                        monkeypatch):
    monkeypatch.setenv("PRIVACYREGISTER_ADMIN_PASSWORD", "wachtwoord-123")
    path = tmp_path / "school.db"
    code, _, err = run(capsys, "--database", str(path), "init", "--school", "X", "--brin",
                       "ABCD", "--admin", "beheer", "--recovery-pdf", str(tmp_path / "h.pdf"))
    assert code == 2 and "BRIN" in err
    assert not path.exists()


def test_init_in_passphrase_mode_without_keyring(tmp_path, capsys, monkeypatch):
    from db import keystore

    monkeypatch.setattr(keystore, "keyring_usable", lambda: False)
    monkeypatch.setattr(cli, "keyring_usable", lambda: False)
    monkeypatch.setenv("PRIVACYREGISTER_ADMIN_PASSWORD", "wachtwoord-123")
    monkeypatch.setenv("PRIVACYREGISTER_PASSPHRASE", "een goede wachtwoordzin")
    path = tmp_path / "school.db"
    code, out, _ = run(capsys, "--database", str(path), "init", "--school", "X", "--brin",
                       "12AB", "--admin", "beheer")
    assert code == 0 and "wachtwoordzin" in out
    code, out, _ = run(capsys, "--database", str(path), "verify")
    assert code == 0
    monkeypatch.delenv("PRIVACYREGISTER_PASSPHRASE")
    code, _, err = run(capsys, "--database", str(path), "verify")
    assert code == 2 and "wachtwoordzin" in err


def test_backup_restore_and_verify(initialised, tmp_path, capsys):
    copy = tmp_path / "kopie.db"
    code, out, _ = run(capsys, "--database", str(initialised), "backup", "--to", str(copy))
    assert code == 0 and copy.exists() and read_sidecar(copy)["chain_head"]
    code, out, _ = run(capsys, "--database", str(initialised), "restore", str(copy))
    assert code == 0 and "teruggezet" in out
    code, out, _ = run(capsys, "--database", str(initialised), "verify")
    assert code == 0 and "Bestand in orde" in out and "Ketenkop: " in out


def test_restore_of_something_else_is_refused(initialised, tmp_path, capsys):
    junk = tmp_path / "foto.jpg"
    junk.write_bytes(b"\xff\xd8\xff" + bytes(5000))
    code, _, err = run(capsys, "--database", str(initialised), "restore", str(junk))
    assert code == 2 and "geen Privacyregister-database" in err


def test_open_errors_exit_2_without_traceback(tmp_path, capsys):
    code, _, err = run(capsys, "--database", str(tmp_path / "nergens.db"), "verify")
    assert code == 2 and err.startswith("Fout: ") and "Traceback" not in err


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["verify", "--against"])
    assert exited.value.code == 2


def test_console_entry_point_runs(tmp_path):
    result = subprocess.run([sys.executable, "-m", "desktop.cli", "--version"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "Privacyregister" in result.stdout


def test_demo_creates_a_populated_school(tmp_path, capsys):
    from sqlalchemy import func, select

    from db.schema import Pupil

    path = tmp_path / "demo.db"
    code, out, _ = run(capsys, "--database", str(path), "demo", "--pupils", "80")
    assert code == 0 and "80 leerlingen" in out
    vault = Vault.open(path)
    with vault.session() as session:
        assert session.scalar(select(func.count()).select_from(Pupil)) == 80
    vault.close(backup=False)
    code, _, err = run(capsys, "--database", str(path), "demo", "--pupils", "80")
    assert code == 2 and "bestaat al" in err


def test_demo_refuses_more_than_100000(capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["demo", "--pupils", "100001"])
    assert exited.value.code == 2
    assert "100000" in capsys.readouterr().err


FIXTURES = Path(__file__).parents[1] / "db" / "imports" / "fixtures"


def test_import_dry_run_writes_nothing_then_import_commits(initialised, capsys):
    from sqlalchemy import func, select

    from db.schema import Pupil

    source = FIXTURES / "edexml_export.xml"
    code, out, _ = run(capsys, "--database", str(initialised), "import", str(source),
                       "--dry-run")
    assert "Proefimport: er is niets opgeslagen." in out and "nieuw" in out
    assert "fout, leerling key=" in out and code == 1  # the fixture holds bad pupils
    vault = Vault.open(initialised)
    with vault.session() as session:
        assert session.scalar(select(func.count()).select_from(Pupil)) == 0
    vault.close(backup=False)
    code, out, _ = run(capsys, "--database", str(initialised), "import", str(source))
    added = int(out.split("Opgeslagen: ")[1].split(" ")[0])
    vault = Vault.open(initialised)
    with vault.session() as session:
        assert session.scalar(select(func.count()).select_from(Pupil)) == added > 0
    vault.close(backup=False)
    code, out, _ = run(capsys, "--database", str(initialised), "import", str(source),
                       "--dry-run")
    assert " 0 nieuw, 0 gewijzigd" in out  # a re-import of the same file changes nothing


def test_import_reads_the_file_while_the_register_opens_and_derives_its_backup_key_ahead(
        tmp_path, capsys, monkeypatch):
    """The file is parsed on a thread beside the opening; a passphrase register's backup
    after the import has its key derived on a thread while the import runs (a dry run, which
    makes no backup, derives none). The backup opens with the passphrase."""
    import threading

    import db.imports.detect as detect
    import db.vault as vault_module
    from db.imports.detect import parse_file

    monkeypatch.setenv("PRIVACYREGISTER_ADMIN_PASSWORD", "wachtwoord-123")
    monkeypatch.setenv("PRIVACYREGISTER_PASSPHRASE", "een lange wachtwoordzin")
    monkeypatch.setattr(cli.paths, "backup_dir", lambda: tmp_path / "kopieen")
    path = tmp_path / "school.db"
    assert run(capsys, "--database", str(path), "init", "--school", "OBS De Klimop",
               "--brin", "12ab", "--admin", "Beheer")[0] == 0
    parsed_on, derived = [], []
    monkeypatch.setattr(detect, "parse_file", lambda *a: parsed_on.append(
        threading.current_thread()) or parse_file(*a))
    real = vault_module.hashlib.pbkdf2_hmac
    monkeypatch.setattr(vault_module.hashlib, "pbkdf2_hmac", lambda *args: derived.append(
        (args[2], threading.current_thread())) or real(*args))
    source = FIXTURES / "edexml_export.xml"
    run(capsys, "--database", str(path), "import", str(source), "--dry-run")
    assert [salt for salt, _ in derived] == [path.read_bytes()[:16]]  # the opening's only
    assert parsed_on and parsed_on[0] is not threading.main_thread()
    derived.clear()
    code, out, _ = run(capsys, "--database", str(path), "import", str(source))
    assert "Opgeslagen: " in out
    ahead = [salt for salt, thread in derived if thread is not threading.main_thread()]
    (backup,) = (tmp_path / "kopieen").glob("*.db")
    assert ahead == [backup.read_bytes()[:16]] and len(derived) == 2  # the opening's, ahead
    copy = Vault.open(backup, passphrase="een lange wachtwoordzin", upgrade=False)
    copy.close(backup=False)


def test_print_commands_write_pdfs(tmp_path, capsys):
    from pypdf import PdfReader

    path = tmp_path / "demo.db"
    assert run(capsys, "--database", str(path), "demo", "--pupils", "60")[0] == 0
    forms = tmp_path / "formulieren.pdf"
    code, out, _ = run(capsys, "--database", str(path), "print", "consent-forms", "--all",
                       "--out", str(forms))
    assert code == 0 and "toestemmingsformulieren" in out
    assert "Toestemmingsformulier" in PdfReader(forms).pages[0].extract_text()
    photo = tmp_path / "foto.pdf"
    code, out, _ = run(capsys, "--database", str(path), "print", "niet-op-de-foto", "--group",
                       "1A", "--out", str(photo))
    assert code == 0 and "Niet op de foto — groep 1A" in PdfReader(photo).pages[0].extract_text()
    code, _, err = run(capsys, "--database", str(path), "print", "niet-op-de-foto", "--group",
                       "9Z", "--out", str(photo))
    assert code == 2 and "9Z" in err
