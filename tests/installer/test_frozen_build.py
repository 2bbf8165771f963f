"""The PyInstaller one-folder build, on Linux: it must carry everything the app needs, so a
missing hidden import or resource is caught here before it reaches a Windows machine."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.frozen
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def frozen(tmp_path_factory, worker_id) -> Path:
    """One build per test run, whichever worker asks first; the others wait for it.

    The pytest-xdist workers share the parent of their temporary folders, so the build and
    its lock live there (the xdist recipe for a once-per-run fixture)."""
    pytest.importorskip("PyInstaller", reason="PyInstaller is installed with the 'build' extra")
    import fcntl  # Linux only, like this module

    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        shared = shared.parent
    work = shared / "pyinstaller"
    app = work / "dist" / "Privacyregister"
    work.mkdir(exist_ok=True)
    with open(shared / "pyinstaller.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (work / "built").exists():
            result = subprocess.run(
                [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                 "--distpath", str(work / "dist"), "--workpath", str(work / "build"),
                 str(ROOT / "installer" / "privacyregister.spec")],
                cwd=ROOT, capture_output=True, text=True, timeout=900)
            assert result.returncode == 0, result.stderr[-3000:]
            (work / "built").touch()
    return app


def clean_env(home: Path) -> dict[str, str]:
    """No keyring, no display, a fresh data folder: what a new workstation has."""
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "XDG_DATA_HOME": str(home),
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


@pytest.mark.parametrize("command", [["privacyregister-cli", "selftest"],
                                     ["Privacyregister", "--selftest"]])
def test_frozen_app_passes_its_selftest_from_another_folder(frozen, tmp_path, command):
    result = subprocess.run([str(frozen / command[0]), *command[1:]], cwd="/",
                            env=clean_env(tmp_path), capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    lines = result.stdout.strip().splitlines()
    assert lines[-1].startswith("Zelftest geslaagd"), lines


def test_frozen_app_carries_its_resources_and_migrations(frozen):
    internal = frozen / "_internal"
    for needed in ("resources/fonts/DejaVuSans.ttf", "resources/icons/privacyregister.png",
                   "resources/texts/consent_purposes.json",
                   "resources/translations/privacyregister_en.qm",
                   "db/migrations/env.py", "db/migrations/versions/0001_initial_schema.py"):
        assert (internal / needed).is_file(), needed
    assert not list(internal.rglob("keyrings")), "keyrings.alt must never be frozen in"


def test_frozen_cli_refuses_a_missing_database_with_exit_2(frozen, tmp_path):
    result = subprocess.run([str(frozen / "privacyregister-cli"), "--database",
                             str(tmp_path / "nergens.db"), "verify"], cwd="/",
                            env=clean_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and result.stderr.startswith("Fout: ")


def test_frozen_size_is_recorded(frozen):
    """Not a target check (that is the benchmark's job): the build must not balloon."""
    size = sum(p.stat().st_size for p in frozen.rglob("*") if p.is_file() and not p.is_symlink())
    assert size < 400 * 2**20, f"{size / 2**20:.0f} MB"


if os.name == "nt":  # the Windows build is checked by installer/build.ps1
    pytestmark = [*pytestmark, pytest.mark.skip(reason="Linux frozen build only")]
