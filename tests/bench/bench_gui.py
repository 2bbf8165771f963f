"""GUI benchmarks: cold start against a bare PySide6 window, memory with 20,000 pupils,
search latency per keystroke.

Run from the repository root:  python -m tests.bench.bench_gui
Writes the 'gui' section of docs/benchmarks.md. Offscreen Qt platform; an in-memory keyring.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring  # noqa: E402

from db.demo import create_demo_vault  # noqa: E402
from db.keystore import load_key  # noqa: E402
from tests.bench.report import ROOT, machine, write_section  # noqa: E402
from tests.support.memkeyring import MemoryKeyring  # noqa: E402

RUNS = 5


def child(mode: str, database: Path, raw_key: str) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BENCH_RAW_KEY=raw_key)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed app has its bytecode cached
    started = time.perf_counter()
    out = subprocess.run([sys.executable, str(ROOT / "tests" / "bench" / "gui_child.py"), mode,
                          str(database)], env=env, cwd=ROOT, capture_output=True, text=True,
                         check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - started
    return result


def bench_search(vault) -> tuple[float, float]:  # noqa: ANN001
    from PySide6.QtWidgets import QApplication

    from db.users import authenticate
    from desktop.kit.page import AreaContext
    from desktop.pupils.page import PupilsPage

    app = QApplication.instance() or QApplication([])
    with vault.session() as session:
        user = authenticate(session, "directie", "demo-directie")
    view = PupilsPage(AreaContext(vault, user, "", ""))
    view.resize(1100, 700)
    view.show()
    app.processEvents()
    times = []
    for _ in range(10):
        for end in range(1, len("jansen") + 1):
            started = time.perf_counter()
            view.search.setText("jansen"[:end])
            view.table.viewport().repaint()
            app.processEvents()
            times.append(time.perf_counter() - started)
        view.search.clear()
        app.processEvents()
    return statistics.median(times) * 1000, max(times) * 1000


def bench_matrix(vault) -> tuple[float, float, str]:  # noqa: ANN001
    """Choosing a group in the consent matrix: query + model + repaint, every group once."""
    from PySide6.QtWidgets import QApplication

    from db.users import authenticate
    from desktop.consents.page import ConsentsPage
    from desktop.kit.page import AreaContext

    app = QApplication.instance() or QApplication([])
    with vault.session() as session:
        user = authenticate(session, "administratie", "demo-admin")
    view = ConsentsPage(AreaContext(vault, user, "", ""))
    view.resize(1200, 750)
    view.show()
    app.processEvents()
    times = []
    for index in range(view.group_combo.count()):
        started = time.perf_counter()
        view.group_combo.setCurrentIndex(index)
        view.table.viewport().repaint()
        app.processEvents()
        times.append(time.perf_counter() - started)
    shape = f"{view.model.rowCount()} pupils × {len(view._purposes)} purposes"
    return statistics.median(times) * 1000, max(times) * 1000, shape


def bench_breach_view(vault) -> float:  # noqa: ANN001
    """Opening the breach register with 500 breaches: query + model + first paint."""
    from datetime import UTC, datetime, timedelta

    from PySide6.QtWidgets import QApplication
    from sqlalchemy import insert

    from db.schema import Breach
    from db.users import authenticate
    from desktop.breaches.page import BreachesPage
    from desktop.kit.page import AreaContext

    app = QApplication.instance() or QApplication([])
    start = datetime(2023, 1, 1, tzinfo=UTC)
    with vault.session() as session:
        session.execute(insert(Breach), [
            {"reference": f"DL-B-{i:03d}", "status": "closed",
             "discovered_at": start + timedelta(days=2 * i), "notify_ap": True,
             "notified_at": start + timedelta(days=2 * i, hours=30), "risk": "risk",
             "description": "Een e-mail met namen is naar de verkeerde ouders gestuurd.",
             "created_at": start} for i in range(500)])
        user = authenticate(session, "directie", "demo-directie")
    times = []
    for _ in range(5):
        started = time.perf_counter()
        view = BreachesPage(AreaContext(vault, user, "", ""))
        view.resize(1200, 700)
        view.show()
        view.table.view.viewport().repaint()
        app.processEvents()
        times.append(time.perf_counter() - started)
        view.close()
        view.deleteLater()
    return statistics.median(times) * 1000


def main() -> int:
    keyring.set_keyring(MemoryKeyring())
    with tempfile.TemporaryDirectory(prefix="bench-gui-") as tmp:
        path = Path(tmp) / "demo.db"
        vault = create_demo_vault(path, backup_dir=None, pupils=20000)
        raw = load_key(vault.database_id).hex()
        search_median, search_worst = bench_search(vault)
        matrix_median, matrix_worst, matrix_shape = bench_matrix(vault)
        breach_view_ms = bench_breach_view(vault)
        vault.engine.dispose()
        child("bare", path, raw), child("app-pupils", path, raw)  # warm-up: write bytecode
        bare = [child("bare", path, raw) for _ in range(RUNS)]
        app = [child("app", path, raw) for _ in range(RUNS)]
        pupils = [child("app-pupils", path, raw) for _ in range(3)]
    bare_s = statistics.median(r["wall"] for r in bare)
    app_s = statistics.median(r["wall"] for r in app)
    rss = max(r["rss_mb"] for r in pupils)
    peak = max(r["peak_rss_mb"] for r in pupils)
    body = "\n".join([
        "## GUI",
        "",
        f"`python -m tests.bench.bench_gui` — measured {date.today():%d-%m-%Y} on {machine()}, "
        "Qt platform offscreen, 20,000-pupil demo school, raw key, bytecode cached (one "
        "warm-up run of each), login included (argon2 verify, ~0.1 s).",
        "",
        "| what | figure | target |",
        "| --- | --- | --- |",
        f"| cold start to the first painted window, bare PySide6 QMainWindow, whole process "
        f"(median of {RUNS}) | {bare_s:.2f} s | |",
        f"| cold start to the first painted main window (open the database, log in, overview), "
        f"whole process (median of {RUNS}) | {app_s:.2f} s | |",
        f"| app ÷ bare | **{app_s / bare_s:.2f}×** | ≤ 1.5× |",
        f"| RSS with the main window and the pupil list of {pupils[0]['pupils_shown']:,} "
        f"current pupils loaded (peak: {peak:.0f} MB, of which 64 MB is argon2's login "
        f"hash, freed after) | {rss:.0f} MB | ≤ 200 MB |",
        f"| search as you type ('jansen' letter by letter, 10 rounds, filter + model reset + "
        f"repaint), median / worst | {search_median:.1f} ms / {search_worst:.1f} ms | "
        "≤ 16 ms / ≤ 50 ms |",
        f"| consent matrix shown after choosing a group (every group once; last: {matrix_shape}; "
        f"query + model + repaint), median / worst | {matrix_median:.0f} ms / "
        f"{matrix_worst:.0f} ms | ≤ 100 ms |",
        f"| breach register view with 500 (+ demo) breaches opened: query + model + first "
        f"paint (median of 5) | {breach_view_ms:.0f} ms | ≤ 100 ms |",
    ])
    print(body)
    write_section("gui", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
