"""Benchmarks of printing, exports and imports.

Run from the repository root:  python -m tests.bench.bench_prints
Writes the 'prints' section of docs/benchmarks.md. Uses an in-memory keyring in-process and
passphrase databases for child processes, so the machine's keyring is never touched.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import keyring
from pypdf import PdfReader
from sqlalchemy import insert

from db.access_export import gather_access
from db.breaches import breach_rows
from db.clock import local_today
from db.consent_sheets import form_pupils, photo_lists
from db.demo import DEMO_PASSPHRASE
from db.imports.detect import parse_file
from db.imports.preview import build_preview, commit_import
from db.inspection import gather
from db.schema import Breach
from db.vault import Vault
from desktop.printing.access_export import access_export_pdf
from desktop.printing.breaches import breach_register_pdf
from desktop.printing.inspection import write_inspection
from desktop.printing.photo_lists import photo_list_pdf
from tests.bench.report import ROOT, machine, write_section
from tests.db.imports.make_fixtures import make_csv, make_edexml
from tests.support.memkeyring import MemoryKeyring

ENV = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
           PRIVACYREGISTER_PASSPHRASE=DEMO_PASSPHRASE)


def run(*argv: str, folder: Path) -> float:
    env = dict(ENV, XDG_DATA_HOME=str(folder / "data"), LOCALAPPDATA=str(folder / "data"))
    started = time.perf_counter()
    subprocess.run([sys.executable, *argv], check=True, env=env, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def timed(function, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def demo(folder: Path, pupils: int) -> Path:
    path = folder / f"demo-{pupils}.db"
    run("-m", "desktop.cli", "--database", str(path), "demo", "--pupils", str(pupils),
        folder=folder)
    return path


def bench_consent_forms(folder: Path) -> dict:
    db = demo(folder, 5000)
    ours = folder / "forms.pdf"
    app_times = [run("-m", "desktop.cli", "--database", str(db), "print", "consent-forms",
                     "--all", "--out", str(ours), folder=folder) for _ in range(3)]
    pages = len(PdfReader(ours).pages)
    bare_times = [run(str(ROOT / "tests" / "bench" / "bare_consent_canvas.py"), str(pages),
                      str(folder / "bare.pdf"), folder=folder) for _ in range(3)]
    app, bare = statistics.median(app_times), statistics.median(bare_times)
    return {"pages": pages, "app_s": app, "bare_s": bare,
            "app_pps": pages / app, "bare_pps": pages / bare, "ratio": bare / app}


def bench_photo_lists(folder: Path) -> float:
    vault = Vault.open(demo(folder, 1000), passphrase=DEMO_PASSPHRASE)
    times = []
    for _ in range(3):
        with vault.session() as session:
            seconds, _ = timed(lambda s=session: photo_list_pdf(
                folder / "foto.pdf", "School", photo_lists(s, None, today=local_today()),
                printed_on=local_today()))
        times.append(seconds)
    vault.engine.dispose()
    return statistics.median(times)


def bench_breach_register(folder: Path) -> float:
    vault, _ = Vault.create(folder / "breaches.db", passphrase="x")
    start = datetime(2024, 1, 1, tzinfo=UTC)
    rows = [{"reference": f"DL-{2024 + i // 250}-{i % 250 + 1:03d}", "status": "closed",
             "discovered_at": start + timedelta(days=i, hours=3),
             "notified_at": start + timedelta(days=i, hours=3 + (i % 100)),
             "notify_ap": True, "risk": "risk", "ap_reference": f"AP-{i}",
             "description": "Een e-mail met de klassenlijst is naar de verkeerde ouders "
                            "gestuurd; de ontvangers is gevraagd hem te verwijderen.",
             "affected_min": 20, "affected_max": 30, "created_at": start} for i in range(500)]
    with vault.session() as session:
        session.execute(insert(Breach), rows)
    times = []
    for _ in range(3):
        with vault.session() as session:
            seconds, _ = timed(lambda s=session: breach_register_pdf(
                folder / "register.pdf", "School", breach_rows(s, None),
                period=(date(2024, 1, 1), date(2026, 12, 31)), now=datetime.now(UTC)))
        times.append(seconds)
    vault.engine.dispose()
    return statistics.median(times)


def bench_exports(folder: Path) -> tuple[float, float]:
    vault = Vault.open(demo(folder, 20000), passphrase=DEMO_PASSPHRASE)
    with vault.session() as session:
        inspection_s, _ = timed(lambda: write_inspection(
            folder / "inspectie.pdf", gather(session, None, date(2025, 8, 1), date(2026, 7, 31),
                                             now=datetime.now(UTC))))
        pupil = form_pupils(session, None, today=local_today())[100].pupil_id
        access_s, _ = timed(lambda: access_export_pdf(
            folder / "inzage.pdf", "School", gather_access(session, None, pupil),
            printed_at=datetime.now(UTC), password="geheim123"))
    vault.engine.dispose()
    return inspection_s, access_s


def bench_imports(folder: Path) -> dict[str, tuple[float, float]]:
    result = {}
    for label, data, name in (("EDEXML", make_edexml(20000), "export.xml"),
                              ("CSV", make_csv(20000), "export.csv")):
        vault, _ = Vault.create(folder / f"import-{label}.db", passphrase="x")
        with vault.session() as session:
            started = time.perf_counter()
            parsed, _ = parse_file(data, name)
            preview = build_preview(session, None, parsed)
            shown = time.perf_counter() - started
            started = time.perf_counter()
            commit_import(session, None, preview)
            session.flush()
        committed = time.perf_counter() - started
        assert len(preview.new) == 20000, (label, len(preview.new), preview.problems[:3])
        vault.engine.dispose()
        result[label] = (shown, committed)
    return result


def main() -> int:
    keyring.set_keyring(MemoryKeyring())
    with tempfile.TemporaryDirectory(prefix="bench-prints-") as tmp:
        folder = Path(tmp)
        forms = bench_consent_forms(folder)
        print("consent forms", forms, flush=True)
        photo = bench_photo_lists(folder)
        print("photo lists", photo, flush=True)
        register = bench_breach_register(folder)
        print("breach register", register, flush=True)
        inspection, access = bench_exports(folder)
        print("exports", inspection, access, flush=True)
        imports = bench_imports(folder)
        print("imports", imports, flush=True)
    body = "\n".join([
        "## Prints, exports and imports",
        "",
        f"`python -m tests.bench.bench_prints` — measured {date.today():%d-%m-%Y} on "
        f"{machine()}. Medians of 3 unless said otherwise.",
        "",
        "| what | figure | target |",
        "| --- | --- | --- |",
        f"| consent forms, 5,000-pupil demo school (`privacyregister-cli print consent-forms "
        f"--all`, whole process): {forms['pages']:,} pages | {forms['app_s']:.1f} s = "
        f"{forms['app_pps']:.0f} pages/s | |",
        f"| bare reportlab canvas script, same layout and page count, whole process | "
        f"{forms['bare_s']:.1f} s = {forms['bare_pps']:.0f} pages/s | |",
        f"| consent forms ÷ bare canvas, pages per second | **{forms['ratio']:.2f}×** | "
        "≥ 1.0× |",
        f"| 'niet op de foto' lists for every group of a 1,000-pupil school (query + PDF) | "
        f"{photo:.2f} s | ≤ 1 s |",
        f"| breach register PDF of 500 breaches (query + PDF) | {register:.2f} s | ≤ 2 s |",
        f"| inspection export (PDF + CSV zip), 20,000-pupil demo school, one run | "
        f"{inspection:.1f} s | ≤ 5 s |",
        f"| access export (one pupil, AES-256 password), same database, one run | "
        f"{access:.2f} s | ≤ 1 s |",
        *(f"| import of 20,000 pupils from {label}: parse + preview / commit, one run | "
          f"{shown:.1f} s / {committed:.1f} s | ≤ 3 s / ≤ 3 s |"
          for label, (shown, committed) in imports.items()),
    ])
    print(body)
    write_section("prints", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
