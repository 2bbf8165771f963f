"""The PyInstaller one-folder build, on Linux: it must carry everything the app needs, so a
missing hidden import or resource is caught here before it reaches a Windows machine."""

import os
import shutil
import signal
import subprocess
import sys
import threading
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


# Qt logs every flush of a widget's backing store to the window under this rule: the line
# appears once the first window (the setup dialog of a fresh workstation) has been painted.
PAINTED = "qt.widgets.painting: Flushing"


def first_painted_line(command: list[str], env: dict[str, str]) -> str | None:
    """Start the frozen GUI, read its log until the first window is painted, stop it."""
    env = dict(env, QT_LOGGING_RULES="qt.widgets.painting.debug=true")
    process = subprocess.Popen(command, cwd="/", env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    watchdog = threading.Timer(240, os.killpg, (process.pid, signal.SIGKILL))  # a hung start
    watchdog.start()
    try:
        return next((line for line in process.stderr if line.startswith(PAINTED)), None)
    finally:
        watchdog.cancel()
        try:
            os.killpg(process.pid, signal.SIGTERM)  # xvfb-run, Xvfb and the app together
        except ProcessLookupError:
            pass
        process.wait(timeout=60)


@pytest.mark.parametrize("platform", ["offscreen", "xcb"])
def test_frozen_gui_paints_its_first_window(frozen, tmp_path, platform):
    """The Qt platform plugins and every library they load travelled along (the build prunes
    plugins and the libraries only they needed): the window is painted, not just imported."""
    env = dict(clean_env(tmp_path), QT_QPA_PLATFORM=platform)
    command = [str(frozen / "Privacyregister")]
    if platform == "xcb":
        if shutil.which("xvfb-run") is None:
            pytest.skip("xvfb-run (Xvfb) is not installed")
        command = ["xvfb-run", "--auto-servernum", *command]
    line = first_painted_line(command, env)
    assert line is not None and "SetupDialog" in line, line


def test_frozen_build_stores_python_modules_once_and_icu_slim(frozen):
    """One shared module archive (not one per executable) and the slim ICU data library."""
    internal = frozen / "_internal"
    assert (internal / "privacyregister.pyz").stat().st_size > 5 * 2**20
    for executable in ("Privacyregister", "privacyregister-cli"):
        assert (frozen / executable).stat().st_size < 2**20, executable
    icu_data = next(internal.rglob("libicudata.so.*"))
    assert icu_data.stat().st_size < 8 * 2**20
    for gone in ("libqgtk3.so", "libQt6Network.so.6", "libcairo.so.2", "libgssapi_krb5.so.2"):
        assert not list(internal.rglob(gone)), gone
    assert not [p for p in internal.rglob("*") if p.is_symlink() and not p.exists()]


def test_frozen_size_is_recorded(frozen):
    """Not a target check (that is the benchmark's job): the build must not balloon."""
    size = sum(p.stat().st_size for p in frozen.rglob("*") if p.is_file() and not p.is_symlink())
    assert size < 400 * 2**20, f"{size / 2**20:.0f} MB"


if os.name == "nt":  # the Windows build is checked by installer/build.ps1
    pytestmark = [*pytestmark, pytest.mark.skip(reason="Linux frozen build only")]
