"""privacyregister-cli under faults: two imports at once, a full disk, a read-only folder,
a million bad rows; and every file a real run writes is owner-only.

Real processes where the fault needs them (two imports at once, the file modes of a real
run). A full disk and a read-only folder are injected in-process by monkeypatch (an OSError
with ENOSPC / EROFS at the os level): tests run as root, where chmod does not stop a write,
and a small full file system would need a mount.
"""

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

import db.vault as vault_module
from db.schema import Pupil
from db.vault import Vault
from desktop import cli

ROOT = Path(__file__).parents[2]
PASSPHRASE = "een lange wachtwoordzin"


def run(capsys, *argv):
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def cli_env(**extra) -> dict:
    """A machine without a keyring: the register gets the passphrase from the environment."""
    return dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
                PRIVACYREGISTER_PASSPHRASE=PASSPHRASE,
                PRIVACYREGISTER_ADMIN_PASSWORD="wachtwoord-123", PYTHONPATH=str(ROOT), **extra)


def cli_process(*argv, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "desktop.cli", *argv], env=cli_env(),
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, **kwargs)


def cli_run(*argv) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "desktop.cli", *argv], env=cli_env(),
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def pupils_csv(path: Path, count: int) -> Path:
    lines = ["Leerlingnummer;Roepnaam;Achternaam;Geboortedatum;Groep"]
    lines += [f"{5000 + n};Kind;Nummer {n};03-05-2017;4A" for n in range(count)]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


@pytest.fixture
def register(tmp_path) -> Path:
    path = tmp_path / "school.db"
    done = cli_run("--database", str(path), "init", "--school", "OBS De Klimop", "--brin",
                   "12AB", "--admin", "beheer")
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture
def in_process_register(tmp_path, monkeypatch, capsys, real_runs, memory_keyring) -> Path:
    """A register made by `init` through cli.main (its key in the keyring): the worker's one
    run of it, copied with its key (tests/support/real_runs.py)."""
    monkeypatch.setenv("PRIVACYREGISTER_ADMIN_PASSWORD", "wachtwoord-123")

    def init(folder: Path) -> None:
        code, out, err = run(capsys, "--database", str(folder / "school.db"), "init",
                             "--school", "OBS De Klimop", "--brin", "12AB", "--admin",
                             "beheer", "--recovery-pdf", str(folder / "herstel.pdf"))
        assert code == 0, err

    real_runs.copy("test_cli_faults.init", init, tmp_path,
                   files="files", keyring_backend=memory_keyring)
    return tmp_path / "school.db"


def count_pupils(path: Path, *, passphrase: str | None = None) -> tuple[int, int]:
    vault = Vault.open(path, passphrase=passphrase)
    with vault.session() as session:
        total = session.scalar(select(func.count()).select_from(Pupil))
        keys = session.scalar(select(func.count(Pupil.source_key.distinct())))
    vault.close(backup=False)
    return total, keys


# --- two imports at once --------------------------------------------------------------------

def test_two_imports_of_the_same_file_at_once_store_every_pupil_once(register, tmp_path):
    source = pupils_csv(tmp_path / "leerlingen.csv", 400)
    first = cli_process("--database", str(register), "import", str(source))
    second = cli_process("--database", str(register), "import", str(source))
    outputs = [process.communicate(timeout=300) for process in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], outputs
    assert count_pupils(register, passphrase=PASSPHRASE) == (400, 400)
    summaries = sorted(out.splitlines()[0] for out, _ in outputs)
    assert summaries == ["CSV: 0 nieuw, 0 gewijzigd, 400 ongewijzigd, 0 niet meer in het "
                         "bestand, 0 met fouten.",
                         "CSV: 400 nieuw, 0 gewijzigd, 0 ongewijzigd, 0 niet meer in het "
                         "bestand, 0 met fouten."]


# --- a million bad rows ---------------------------------------------------------------------

def test_an_import_prints_at_most_200_problems_then_a_count(in_process_register, tmp_path,
                                                            capsys):
    lines = ["Leerlingnummer;Roepnaam;Achternaam;Geboortedatum;Groep"]
    lines += [f"{n};Kind;Nummer;31-02-2015;4A" for n in range(1500)]
    source = tmp_path / "fout.csv"
    source.write_text("\n".join(lines) + "\n", "utf-8")
    code, out, _ = run(capsys, "--database", str(in_process_register), "import", str(source),
                       "--dry-run")
    assert code == 1 and "1500 met fouten" in out
    assert out.count("  fout, regel") == 200
    assert "  … en nog 1300 fouten." in out


# --- a full disk, a read-only folder: one Dutch line, the right exit code ------------------

def test_an_import_saved_whose_backup_fails_says_so_and_exits_3(in_process_register, tmp_path,
                                                                capsys, monkeypatch):
    """ENOSPC injected at the os level when the backup's .part is put in place."""
    source = pupils_csv(tmp_path / "leerlingen.csv", 5)

    def full(*_args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(vault_module.os, "replace", full)
    code, out, err = run(capsys, "--database", str(in_process_register), "import", str(source))
    monkeypatch.undo()
    assert code == cli.SAVED_WITHOUT_BACKUP == 3
    assert "Opgeslagen: 5 toegevoegd" in out
    assert err.startswith("Fout: De import is opgeslagen, maar de reservekopie daarna is niet "
                          "gemaakt.") and "de schijf is vol" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert count_pupils(in_process_register) == (5, 5)
    assert not [p for p in tmp_path.rglob("*.part*")]


def test_a_full_disk_while_printing_is_one_dutch_line(in_process_register, tmp_path, capsys,
                                                      monkeypatch):
    """ENOSPC injected at the os level where the PDF is created."""
    import desktop.printing.consent_forms as forms

    def full(_path, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(_path))

    monkeypatch.setattr(forms, "create_private_file", full)
    code, out, err = run(capsys, "--database", str(in_process_register), "print",
                         "consent-forms", "--all", "--out", str(tmp_path / "f.pdf"))
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert err.startswith("Fout: De opdracht is mislukt: de schijf is vol.")


def test_init_in_a_read_only_folder_is_one_dutch_line_and_exit_2(tmp_path, capsys,
                                                                 monkeypatch):
    """EROFS injected at the os level for everything created in the folder."""
    folder = tmp_path / "alleen-lezen"
    folder.mkdir()
    real_open = os.open

    def read_only(path, flags, mode=0o777, **kwargs):
        if str(path).startswith(str(folder)) and flags & os.O_CREAT:
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, mode, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    monkeypatch.setenv("PRIVACYREGISTER_ADMIN_PASSWORD", "wachtwoord-123")
    code, out, err = run(capsys, "--database", str(folder / "school.db"), "init", "--school",
                         "X", "--brin", "12AB", "--admin", "beheer",
                         "--recovery-pdf", str(folder / "herstel.pdf"))
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "alleen-lezen" in err and "sleutel" not in err
    assert list(folder.iterdir()) == []


# --- owner-only files of a real run ------------------------------------------------------

@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_every_file_a_real_run_writes_is_owner_only(register, tmp_path, private_data_dir):
    """init + import + backup + print + export in real processes, then stat everything."""
    source = pupils_csv(tmp_path / "leerlingen.csv", 20)
    source.chmod(0o644)  # ours, not the app's
    out = tmp_path / "uit"
    steps = [
        ("import", str(source)),
        ("backup",),
        ("backup", "--to", str(tmp_path / "kopie.db")),
        ("print", "consent-forms", "--all", "--out", str(out / "formulieren.pdf")),
        ("print", "niet-op-de-foto", "--out", str(tmp_path / "foto.pdf")),
        ("export", "breaches", "--from", "01-01-2026", "--to", "31-12-2026",
         "--out", str(tmp_path / "datalekken.pdf")),
        ("export", "inspection", "--from", "01-01-2026", "--to", "31-12-2026",
         "--out", str(tmp_path / "inspectie.pdf")),
    ]
    out.mkdir(mode=0o700)
    for step in steps:
        done = cli_run("--database", str(register), *step)
        assert done.returncode == 0, (step, done.stderr)
        if step[0] in ("print", "export"):
            assert "niet versleuteld" in done.stdout
    written = [p for root in (tmp_path, private_data_dir) for p in root.rglob("*")
               if p != source]
    names = {p.name for p in written}
    assert {"school.db", "school.db.json", "kopie.db", "kopie.db.json", "formulieren.pdf",
            "foto.pdf", "datalekken.pdf", "inspectie.pdf", "inspectie.zip", "backups"} <= names
    assert any(n.startswith("privacyregister-") and n.endswith(".db") for n in names)
    wrong = {str(p.relative_to(p.anchor)): oct(stat.S_IMODE(p.stat().st_mode))
             for p in written
             if stat.S_IMODE(p.stat().st_mode) != (0o700 if p.is_dir() else 0o600)}
    assert wrong == {}
