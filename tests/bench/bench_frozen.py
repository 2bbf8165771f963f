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
        env = dict(os.environ, HOME=str(work), XDG_DATA_HOME=str(work),
                   QT_QPA_PLATFORM="offscreen",
                   PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        venv_cmd = [sys.executable, "-m", "desktop.cli", "selftest"]
        frozen_cmd = [str(app / "privacyregister-cli"), "selftest"]
        venv_env = dict(env, PYTHONPATH=str(ROOT))
        timed(venv_cmd, venv_env), timed(frozen_cmd, env)  # warm-up (bytecode, disk cache)
        venv_s = statistics.median(timed(venv_cmd, venv_env) for _ in range(RUNS))
        frozen_s = statistics.median(timed(frozen_cmd, env) for _ in range(RUNS))
    body = "\n".join([
        "## Frozen build (PyInstaller one-folder, Linux)",
        "",
        f"`python -m tests.bench.bench_frozen` — measured {date.today():%d-%m-%Y} on "
        f"{machine()}.",
        "",
        "| what | figure | target |",
        "| --- | --- | --- |",
        f"| build time | {build_s:.0f} s | |",
        f"| size on disk of the one-folder app (GUI + CLI) | {size_mb:.0f} MB | aim < 150 MB "
        "(Windows) |",
        f"| self-test from the virtualenv, whole process (median of {RUNS}) | {venv_s:.2f} s | |",
        f"| self-test of the frozen CLI, whole process (median of {RUNS}) | {frozen_s:.2f} s | |",
        f"| frozen ÷ virtualenv | **{frozen_s / venv_s:.2f}×** | ≤ 2× |",
        "",
        "The Linux build carries Qt's own ICU (libicudata alone is 31 MB) and the X11/Wayland "
        "platform plugins; the Windows build uses the system's ICU. The Windows build's size "
        "has not been measured yet (no Windows machine here; the workflow builds it).",
    ])
    print(body)
    write_section("frozen", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
