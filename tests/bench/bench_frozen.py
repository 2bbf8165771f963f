"""The PyInstaller one-folder build: its size on disk and its self-test time against the same
self-test run from the virtualenv.

Run from the repository root:  python -m tests.bench.bench_frozen
Writes the 'frozen' section of docs/benchmarks.md.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from tests.bench.report import ROOT, machine, write_section

RUNS = 5
SIZE_TARGET_MB = 150  # issue 14: the Linux one-folder build
RATIO_TARGET = 2.0


def verdict(met: bool) -> str:
    return "met" if met else "not met"


def largest_parts(app: Path, count: int = 8) -> list[tuple[str, float]]:
    """The biggest files of the build (symbolic links not counted), in MB."""
    files = [(p.relative_to(app).as_posix(), p.stat().st_size / 2**20)
             for p in app.rglob("*") if p.is_file() and not p.is_symlink()]
    return sorted(files, key=lambda item: -item[1])[:count]


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd="/", env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-frozen-") as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level",
                        "WARN", "--distpath", str(work / "dist"), "--workpath",
                        str(work / "build"), str(ROOT / "installer" / "privacyregister.spec")],
                       cwd=ROOT, check=True)
        build_s = time.perf_counter() - started
        app = work / "dist" / "Privacyregister"
        size_mb = sum(p.stat().st_size for p in app.rglob("*")
                      if p.is_file() and not p.is_symlink()) / 2**20
        parts = largest_parts(app)
        env = dict(os.environ, HOME=str(work), XDG_DATA_HOME=str(work),
                   QT_QPA_PLATFORM="offscreen",
                   PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        venv_cmd = [sys.executable, "-m", "desktop.cli", "selftest"]
        frozen_cmd = [str(app / "privacyregister-cli"), "selftest"]
        venv_env = dict(env, PYTHONPATH=str(ROOT))
        timed(venv_cmd, venv_env), timed(frozen_cmd, env)  # warm-up (bytecode, disk cache)
        load_before = os.getloadavg()[0]
        venv_runs, frozen_runs = [], []
        for _ in range(RUNS):  # paired and alternated, so load on the machine hits both alike
            venv_runs.append(timed(venv_cmd, venv_env))
            frozen_runs.append(timed(frozen_cmd, env))
        venv_s, frozen_s = statistics.median(venv_runs), statistics.median(frozen_runs)
        load_after = os.getloadavg()[0]
    ratio = frozen_s / venv_s
    body = "\n".join([
        "## Frozen build (PyInstaller one-folder, Linux)",
        "",
        f"`python -m tests.bench.bench_frozen` — measured {date.today():%d-%m-%Y} on "
        f"{machine()}.",
        "",
        "| what | figure | target | verdict |",
        "| --- | --- | --- | --- |",
        f"| build time | {build_s:.0f} s | | |",
        f"| size on disk of the one-folder app (GUI + CLI), Linux | **{size_mb:.0f} MB** | "
        f"≤ {SIZE_TARGET_MB} MB | {verdict(size_mb <= SIZE_TARGET_MB)} |",
        f"| self-test from the virtualenv, whole process (median of {RUNS}) | {venv_s:.2f} s "
        "| | |",
        f"| self-test of the frozen CLI, whole process (median of {RUNS}, alternated with the "
        f"virtualenv run) | {frozen_s:.2f} s | | |",
        f"| frozen ÷ virtualenv | **{ratio:.2f}×** | ≤ {RATIO_TARGET:g}× | "
        f"{verdict(ratio <= RATIO_TARGET)} |",
        "",
        f"Load average (1 minute) before / after the timed runs: {load_before:.1f} / "
        f"{load_after:.1f} on {os.cpu_count()} cores shared with other work; the self-test "
        "times move with it, the ratio and the size do not.",
        "",
        "Largest files of the build: " + "; ".join(
            f"`{name}` {mb:.1f} MB" for name, mb in parts) + ".",
        "",
        "What keeps it small (installer/privacyregister.spec): one module archive shared by "
        "both executables (`_internal/privacyregister.pyz`) instead of one embedded in each; "
        "Qt's ICU data cut to root, Dutch and English (installer/slim_icu.py: 30 MB → 4.5 MB; "
        "Linux only, Windows uses its own ICU); QtNetwork, the GTK3 theme plugin and every "
        "library only pruned plugins needed left out; stdnum registries no collected module "
        "reads, reportlab's own fonts and python-docx's unpacked template source left out. "
        "`cryptography` stays: pypdf's AES-256 for the access export needs it (or "
        "pycryptodome), and on Linux keyring's Secret Service backend needs it too.",
        "",
        "The Windows build's size is not measured here (no Windows machine): the workflow "
        "`.github/workflows/windows.yml` prints it in its log and in the job summary of each "
        "run; it has not run on this branch yet.",
    ])
    print(body)
    write_section("frozen", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
