"""The command line explains itself in Dutch, refuses bad output paths before any work, and
leaves no half result behind. Each command runs as its own process, as IT staff would run it."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db.demo import DEMO_PASSPHRASE
from db.register import NewSchool, set_up_register
from db.schema import Role
from db.vault import Vault
from tests.support.folders import read_only_folder

PASSPHRASE = "een lange wachtwoordzin voor de test"
ENGLISH = ("usage", "options", "show this help", "positional arguments", "error:",
           "the following arguments", "invalid choice", "unrecognized arguments", "expected one",
           "not allowed with", "required", "Traceback")


def environment(tmp_path: Path, passphrase: str | None = PASSPHRASE) -> dict:
    env = {**os.environ, "PRIVACYREGISTER_ADMIN_PASSWORD": "wachtwoord-123",
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
           "XDG_DATA_HOME": str(tmp_path / "data"), "LOCALAPPDATA": str(tmp_path / "data")}
    env.pop("PRIVACYREGISTER_PASSPHRASE", None)
    if passphrase:
        env["PRIVACYREGISTER_PASSPHRASE"] = passphrase
    return env


def cli(tmp_path: Path, *argv: str, database: Path | None = None,
        passphrase: str | None = PASSPHRASE) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "--database",
         str(database or tmp_path / "school.db"), *argv],
        env=environment(tmp_path, passphrase), capture_output=True, text=True, timeout=180,
        stdin=subprocess.DEVNULL)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def init(folder: Path) -> None:
    """`init` in its own process: the register school.db and its data folder in `folder`."""
    made = cli(folder, "init", "--school", "OBS De Klimop", "--brin", "12AB",
               "--admin", "beheer")
    assert made.returncode == 0, made.stderr


@pytest.fixture
def register(tmp_path, real_runs) -> Path:
    """A register made by `init` in its own process: the worker's one run of it, copied
    (tests/support/real_runs.py); no test here is about init itself."""
    real_runs.copy("test_cli_messages.init", init, tmp_path)
    return tmp_path / "school.db"


@pytest.mark.parametrize("argv", [["--help"], ["print", "consent-forms", "--help"],
                                  ["export", "inspection", "--help"], ["init", "--help"]])
def test_help_is_dutch(tmp_path, argv):
    done = cli(tmp_path, *argv)
    assert done.returncode == 0
    assert done.stdout.startswith("gebruik: privacyregister-cli")
    assert "deze hulp tonen en stoppen" in done.stdout
    for word in ENGLISH:
        assert word not in done.stdout, word


@pytest.mark.parametrize(("argv", "dutch"), [
    (["print"], "deze argumenten ontbreken: DOCUMENT"),
    (["print", "niet-op-de-foto"], "deze argumenten ontbreken: --out"),
    (["print", "consent-forms", "--all", "--group", "5A", "--out", "x.pdf"], "kan niet samen met"),
    (["toveren"], "ongeldige keuze: 'toveren'"),
    (["verify", "--extra"], "onbekende argumenten: --extra"),
    (["demo", "--pupils", "veel"], "ongeldige waarde: 'veel'"),
])
def test_usage_errors_are_one_dutch_line_with_exit_2(tmp_path, argv, dutch):
    done = cli(tmp_path, *argv)
    assert done.returncode == 2
    assert dutch in done.stderr
    assert done.stderr.startswith("gebruik: ")
    assert "Fout: " in done.stderr and "--help" in done.stderr
    for word in ENGLISH:
        assert word not in done.stderr, word


def test_an_output_folder_that_does_not_exist_is_refused_before_any_work(tmp_path):
    """The database does not even exist: the output path is checked first."""
    out = tmp_path / "bestaat-niet" / "foto.pdf"
    done = cli(tmp_path, "print", "niet-op-de-foto", "--out", str(out),
               database=tmp_path / "geen.db")
    assert done.returncode == 2
    assert f"De map {out.parent} bestaat niet" in done.stderr
    assert done.stderr.count("\n") == 1 and not out.parent.exists()


def test_a_read_only_output_folder_is_refused_and_the_register_untouched(tmp_path, register):
    backups = tmp_path / "data"
    before = sorted(backups.rglob("*"))
    with read_only_folder(tmp_path / "alleen-lezen") as folder:
        done = cli(tmp_path, "export", "inspection", "--from", "01-01-2026", "--to",
                   "31-12-2026", "--out", str(folder / "inspectie.pdf"))
        assert list(folder.iterdir()) == []
    assert done.returncode == 2
    assert "kan niet worden geschreven" in done.stderr and done.stderr.count("\n") == 1
    assert sorted(backups.rglob("*")) == before  # not even opened


def test_a_read_only_folder_for_the_recovery_key_is_refused_and_nothing_is_created(tmp_path,
                                                                                  monkeypatch):
    with read_only_folder(tmp_path / "alleen-lezen") as folder:
        done = cli(tmp_path, "init", "--school", "OBS De Klimop", "--brin", "12AB", "--admin",
                   "beheer", "--recovery-pdf", str(folder / "herstel.pdf"), passphrase=None)
    assert done.returncode == 2
    # without a keyring, init asks for a passphrase before it gets to the PDF; either way,
    # nothing is created and the message is one Dutch line
    assert done.stderr.startswith("Fout: ") and done.stderr.count("\n") == 1
    assert not (tmp_path / "school.db").exists()


def test_init_in_passphrase_mode_says_why_there_is_no_recovery_key(tmp_path):
    pdf = tmp_path / "herstel.pdf"
    done = cli(tmp_path, "init", "--school", "OBS De Klimop", "--brin", "12AB", "--admin",
               "beheer", "--recovery-pdf", str(pdf))
    assert done.returncode == 0
    assert f"Er komt geen herstelsleutel in {pdf}" in done.stdout
    assert "die wachtwoordzin is zelf de sleutel" in done.stdout
    assert not pdf.exists()


def test_demo_keeps_to_the_passphrase_the_user_set(tmp_path):
    path = tmp_path / "demo.db"
    done = cli(tmp_path, "demo", "--pupils", "20", database=path)
    assert done.returncode == 0
    assert "wachtwoordzin uit PRIVACYREGISTER_PASSPHRASE" in done.stdout
    Vault.open(path, passphrase=PASSPHRASE).close(backup=False)


def test_demo_without_a_passphrase_uses_the_demo_one_and_says_so(tmp_path):
    path = tmp_path / "demo.db"
    done = cli(tmp_path, "demo", "--pupils", "20", database=path, passphrase=None)
    assert done.returncode == 0
    assert f"vaste demowachtwoordzin '{DEMO_PASSPHRASE}'" in done.stdout
    Vault.open(path, passphrase=DEMO_PASSPHRASE).close(backup=False)


def test_a_wrong_passphrase_is_told_apart_from_a_damaged_file(tmp_path, register):
    done = cli(tmp_path, "verify", passphrase="niet de goede")
    assert done.returncode == 2 and "wachtwoordzin klopt niet" in done.stderr
    data = register.read_bytes()
    register.write_bytes(data[:len(data) - 1024])
    done = cli(tmp_path, "verify")
    assert done.returncode == 2 and "onvolledig" in done.stderr


def test_import_of_columns_it_cannot_map_names_what_it_found_and_needs(tmp_path, register):
    source = tmp_path / "lijst.csv"
    source.write_text("Nummer;Kind;Klas\r\n1;Saar;4a\r\n", encoding="utf-8")
    done = cli(tmp_path, "import", str(source))
    assert done.returncode == 2
    assert "Gevonden: 'Nummer', 'Kind', 'Klas'" in done.stderr
    assert "Achternaam" in done.stderr and "Geboortedatum" in done.stderr
    assert "venster" not in done.stderr and "Kies een kolom" not in done.stderr


def ctrl_c_as_in_a_terminal() -> None:
    """A background job (CI, a test runner started with &) inherits SIGINT ignored, and Python
    then never turns it into KeyboardInterrupt: give the child the terminal's default."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_inside_a_read_prints_no_library_traceback(tmp_path):
    """Ctrl-C landing in the driver's read (seen once in CI during `migrate-to`): SQLAlchemy
    closes the connection and logs "Error closing cursor" with its traceback, which Python
    printed on stderr. The command line's logging set-up keeps library records off the
    console; without it (`plain`) the traceback is there, so this child shows the case."""
    register = tmp_path / "school.db"
    vault, _ = Vault.create(register, passphrase=PASSPHRASE)
    with vault.session() as session:
        set_up_register(session, NewSchool("OBS De Klimop", "12AB", "beheer",
                                           "wachtwoord-123", admin_role=Role.BEHEERDER))
    vault.close(backup=False)
    seen = {}
    for mode in ("plain", "cli"):
        done = subprocess.run(
            [sys.executable, "-m", "tests.support.interrupted_read_child", str(register),
             PASSPHRASE, mode], env=environment(tmp_path), capture_output=True, text=True,
            timeout=120, stdin=subprocess.DEVNULL, cwd=Path(__file__).parents[2])
        assert done.returncode == 0 and "Afgebroken" in done.stderr, done.stderr
        seen[mode] = done.stderr
    assert "Traceback" in seen["plain"] and "Error closing cursor" in seen["plain"]
    assert seen["cli"].strip() == "Afgebroken"


def test_ctrl_c_during_the_inspection_export_leaves_neither_file(tmp_path):
    """Ctrl-C while the export writes: exit 2, "Afgebroken", no file and no .part left. The
    export is fast; when it had already finished before the signal landed (exit 0, at the
    interpreter's end a Ctrl-C is not raised any more) its files are whole and the run is
    tried again, up to five times: at least one must have been interrupted mid-write."""
    demo = tmp_path / "demo.db"
    assert cli(tmp_path, "demo", "--pupils", "4000", database=demo).returncode == 0
    out = tmp_path / "export" / "inspectie.pdf"
    out.parent.mkdir()
    for _attempt in range(5):
        for left in out.parent.iterdir():
            left.unlink()
        process = subprocess.Popen(
            [sys.executable, "-m", "desktop.cli", "--database", str(demo), "export",
             "inspection", "--from", "01-01-2020", "--to", "31-12-2026", "--out", str(out)],
            env=environment(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, stdin=subprocess.DEVNULL, preexec_fn=ctrl_c_as_in_a_terminal)
        deadline = time.monotonic() + 120
        while not any(p.name.endswith(".part") for p in out.parent.iterdir()):
            assert process.poll() is None, "the export ended before it wrote anything"
            assert time.monotonic() < deadline
            time.sleep(0.005)
        process.send_signal(signal.SIGSTOP)  # held mid-write, however fast or busy the machine
        process.send_signal(signal.SIGINT)
        process.send_signal(signal.SIGCONT)
        _, err = process.communicate(timeout=60)
        if process.returncode == 0:  # finished before the signal: whole files, no .part
            assert not any(p.name.endswith(".part") for p in out.parent.iterdir())
            assert out.exists()
            continue
        assert process.returncode == 2, err
        assert "Afgebroken" in err and "Traceback" not in err
        assert list(out.parent.iterdir()) == []
        return
    pytest.fail("in five runs the export finished every time before Ctrl-C landed")


def test_ctrl_c_that_a_library_turns_into_an_error_of_its_own_is_still_afgebroken(
        tmp_path, monkeypatch, capsys):
    """reportlab's font reader catches the KeyboardInterrupt of a Ctrl-C and raises 'Corrupt
    TTF file' instead (seen in the subprocess test above when Ctrl-C landed there)."""
    from desktop import cli as cli_module

    def export_hit_by_ctrl_c(_args):
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)
        except KeyboardInterrupt as exc:
            raise RuntimeError("Corrupt TTF file: cannot read Table Directory") from exc
        raise AssertionError("Ctrl-C did not arrive")

    monkeypatch.setattr(cli_module, "cmd_export_inspection", export_hit_by_ctrl_c)
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        code = cli_module.main(["--database", str(tmp_path / "register.db"), "export",
                                "inspection", "--from", "01-01-2026", "--to", "31-12-2026",
                                "--out", str(tmp_path / "inspectie.pdf")])
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back
    finally:
        signal.signal(signal.SIGINT, before)
    err = capsys.readouterr().err
    assert code == 2 and "Afgebroken" in err and "TTF" not in err


def test_a_failed_inspection_export_leaves_neither_file(tmp_path, monkeypatch, vault, clock):
    from datetime import date

    from db.inspection import gather
    from db.permissions import SYSTEM
    from desktop.printing import inspection as printing

    with vault.session() as session:
        facts = gather(session, SYSTEM, date(2026, 1, 1), date(2026, 12, 31), now=clock())

    def broken(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(printing, "inspection_pdf", broken)
    with pytest.raises(OSError):
        printing.write_inspection(tmp_path / "inspectie.pdf", facts)
    assert list(tmp_path.glob("inspectie*")) == []


def test_a_photo_list_of_a_register_without_pupils_is_refused_and_the_old_file_kept(tmp_path,
                                                                                    register):
    out = tmp_path / "foto.pdf"
    out.write_bytes(b"de lijst van gisteren")
    done = cli(tmp_path, "print", "niet-op-de-foto", "--out", str(out))
    assert done.returncode == 2
    assert "Er staan nog geen leerlingen in het register" in done.stderr
    assert out.read_bytes() == b"de lijst van gisteren"
    assert not (tmp_path / "foto.pdf.part").exists()
