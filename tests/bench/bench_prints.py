"""Benchmarks of printing, exports and imports.

Run from the repository root:  python -m tests.bench.bench_prints  [--pairs 5] [--no-big]
Writes the 'prints' section of docs/benchmarks.md. Uses an in-memory keyring in-process and
passphrase databases for child processes, so the machine's keyring is never touched. The use
cases run in-process act as the system actor (SYSTEM), as the CLI does.

Consent forms (issue 14), whole processes under /usr/bin/time -v: the app's `print
consent-forms --all` and the bare canvas script (tests/bench/bare_consent_canvas.py, the same
layout and pages, no database) alternate A B A B …, the first of a pair alternating too; each
pair gives one ratio of pages per second. The first page on disk is polled every 5 ms
(tests.bench.bench_scale.first_page) at 2,000 and at 20,000 pupils (19,000 pages; its peak RSS
is that run's). `--no-big` leaves the 20,000-pupil forms out (minutes).
"""

from __future__ import annotations

import argparse
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
from db.permissions import SYSTEM
from db.register import NewSchool, set_up_register
from db.schema import Breach, Role
from db.vault import Vault
from desktop.printing.access_export import access_export_pdf
from desktop.printing.breaches import breach_register_pdf
from desktop.printing.inspection import write_inspection
from desktop.printing.photo_lists import photo_list_pdf
from tests.bench import bench_scale
from tests.bench.bench_scale import BARE, CLI, first_page
from tests.bench.bench_scale import timed as timed_process
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


def forms_command(db: Path, out: Path) -> list[str]:
    return [*CLI, "--database", str(db), "print", "consent-forms", "--all", "--out", str(out)]


def bench_consent_forms(folder: Path, pairs: int) -> dict:
    """2,000-pupil demo school: first page on disk (median of 3) and `pairs` A/B pairs of
    the app and the bare canvas script, after one warm-up of each."""
    db = demo(folder, 2000)
    ours = folder / "forms.pdf"
    firsts = [first_page(forms_command(db, ours), folder, ours)[0] for _ in range(3)]
    pages = len(PdfReader(ours).pages)
    app = forms_command(db, ours)
    bare = [*BARE, str(pages), str(folder / "bare.pdf")]
    timed_process(app, folder), timed_process(bare, folder)  # warm-up: bytecode, file cache
    runs = []
    for n in range(pairs):
        order = (("app", app), ("bare", bare)) if n % 2 == 0 else (("bare", bare), ("app", app))
        runs.append({name: timed_process(command, folder) for name, command in order})
    ratios = sorted(run["bare"].seconds / run["app"].seconds for run in runs)
    return {"pages": pages, "first": statistics.median(firsts), "firsts": sorted(firsts),
            "app_s": statistics.median(run["app"].seconds for run in runs),
            "bare_s": statistics.median(run["bare"].seconds for run in runs),
            "app_cpu": statistics.median(run["app"].cpu for run in runs),
            "bare_cpu": statistics.median(run["bare"].cpu for run in runs),
            "app_peak": max(run["app"].peak_mb for run in runs),
            "bare_peak": max(run["bare"].peak_mb for run in runs),
            "ratio": statistics.median(ratios), "ratios": ratios,
            "cpu_ratio": statistics.median(run["bare"].cpu / run["app"].cpu for run in runs)}


def keyring_env(folder: Path) -> dict[str, str]:
    """A register whose key is in a keyring, as a school's own (tests/support/filekeyring.py
    stands in for Windows Credential Manager): no key derivation when it opens."""
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="tests.support.filekeyring.FileKeyring",
               FILE_KEYRING=str(folder / "keyring.json"), PYTHONPATH=str(ROOT),
               XDG_DATA_HOME=str(folder / "data"), LOCALAPPDATA=str(folder / "data"))
    env.pop("PRIVACYREGISTER_PASSPHRASE", None)
    return env


def bench_keyring_first_page(folder: Path) -> list[float]:
    """First page on disk, 2,000-pupil demo school with its key in a keyring (3 runs)."""
    folder = folder / "keyring"
    folder.mkdir()
    db = folder / "demo-2000.db"
    subprocess.run([*CLI, "--database", str(db), "demo", "--pupils", "2000"], check=True,
                   env=keyring_env(folder), cwd=ROOT, stdout=subprocess.DEVNULL)
    out = folder / "forms.pdf"
    return sorted(first_page(forms_command(db, out), folder, out, keyring_env(folder))[0]
                  for _ in range(3))


def bench_big_forms(db: Path, folder: Path) -> dict:
    """The 20,000-pupil demo school: first page on disk, the whole run and its peak RSS."""
    out = folder / "forms-20000.pdf"
    first, whole = first_page(forms_command(db, out), folder, out)
    return {"pages": len(PdfReader(out).pages), "first": first, "seconds": whole.seconds,
            "peak": whole.peak_mb}


def bench_photo_lists(folder: Path) -> float:
    vault = Vault.open(demo(folder, 1000), passphrase=DEMO_PASSPHRASE)
    times = []
    for _ in range(3):
        with vault.session() as session:
            seconds, _ = timed(lambda s=session: photo_list_pdf(
                folder / "foto.pdf", "School", photo_lists(s, SYSTEM, today=local_today()),
                printed_on=local_today()))
        times.append(seconds)
    vault.engine.dispose()
    return statistics.median(times)


def new_register(path: Path) -> Vault:
    """A new register set up as a school's own (school, beheerder, defaults), as `init` does."""
    vault, _ = Vault.create(path, passphrase="x")
    with vault.session() as session:
        set_up_register(session, NewSchool("OBS Bench", "12AB", "beheer", "bench-wachtwoord-1",
                                           admin_role=Role.BEHEERDER))
    return vault


def bench_breach_register(folder: Path) -> float:
    vault = new_register(folder / "breaches.db")
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
                folder / "register.pdf", "School", breach_rows(s, SYSTEM),
                period=(date(2024, 1, 1), date(2026, 12, 31)), now=datetime.now(UTC)))
        times.append(seconds)
    vault.engine.dispose()
    return statistics.median(times)


def bench_exports(db: Path) -> tuple[float, float]:
    folder = db.parent
    vault = Vault.open(db, passphrase=DEMO_PASSPHRASE)
    with vault.session() as session:
        inspection_s, _ = timed(lambda: write_inspection(
            folder / "inspectie.pdf", gather(session, SYSTEM, date(2025, 8, 1), date(2026, 7, 31),
                                             now=datetime.now(UTC))))
        pupil = form_pupils(session, SYSTEM, today=local_today())[100].pupil_id
        access_s, _ = timed(lambda: access_export_pdf(
            folder / "inzage.pdf", "School", gather_access(session, SYSTEM, pupil),
            printed_at=datetime.now(UTC), password="geheim123"))
    vault.engine.dispose()
    return inspection_s, access_s


def bench_imports(folder: Path) -> dict[str, tuple[float, float]]:
    result = {}
    for label, data, name in (("EDEXML", make_edexml(20000), "export.xml"),
                              ("CSV", make_csv(20000), "export.csv")):
        vault = new_register(folder / f"import-{label}.db")
        with vault.session() as session:
            started = time.perf_counter()
            parsed, _ = parse_file(data, name)
            preview = build_preview(session, SYSTEM, parsed)
            shown = time.perf_counter() - started
            started = time.perf_counter()
            commit_import(session, SYSTEM, preview)
            session.flush()
        committed = time.perf_counter() - started
        assert len(preview.new) == 20000, (label, len(preview.new), preview.problems[:3])
        vault.engine.dispose()
        result[label] = (shown, committed)
    return result


def verdict(value: float, limit: float, *, at_least: bool = False) -> str:
    return "met" if (value >= limit if at_least else value <= limit) else "not met"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=5, help="A/B pairs, app and bare canvas")
    parser.add_argument("--no-big", action="store_true", help="no forms at 20,000 pupils")
    args = parser.parse_args()
    bench_scale.key_mode = "passphrase"  # this script's children open passphrase registers
    keyring.set_keyring(MemoryKeyring())
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-prints-") as tmp:
        folder = Path(tmp)
        forms = bench_consent_forms(folder, args.pairs)
        print("consent forms", forms, flush=True)
        keyring_firsts = bench_keyring_first_page(folder)
        print("first page, key in a keyring", keyring_firsts, flush=True)
        big_db = demo(folder, 20000)
        big = None if args.no_big else bench_big_forms(big_db, folder)
        print("consent forms, 20,000 pupils", big, flush=True)
        photo = bench_photo_lists(folder)
        print("photo lists", photo, flush=True)
        register = bench_breach_register(folder)
        print("breach register", register, flush=True)
        inspection, access = bench_exports(big_db)
        print("exports", inspection, access, flush=True)
        imports = bench_imports(folder)
        print("imports", imports, flush=True)
    load_after = os.getloadavg()
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    pages = forms["pages"]
    ratios = ", ".join(f"{r:.2f}" for r in forms["ratios"])
    firsts = ", ".join(f"{f:.2f}" for f in forms["firsts"])
    big_rows = [] if big is None else [
        f"| consent forms, 20,000-pupil demo school ({big['pages']:,} pages, one run): first "
        f"page on disk after start | **{big['first']:.2f} s** | ≤ 1 s | "
        f"{verdict(big['first'], 1)} |",
        f"| the same run: whole / peak RSS | {big['seconds']:.1f} s / **{big['peak']:.0f} MB** "
        f"| peak ≤ 250 MB | {verdict(big['peak'], 250)} |",
    ]
    body = "\n".join([
        "## Prints, exports and imports",
        "",
        f"`python -m tests.bench.bench_prints` — measured {date.today():%d-%m-%Y} on "
        f"{machine()}. Medians of 3 unless said otherwise. Child processes open passphrase "
        f"databases (the key derivation, about 0.15 s of processor time, is part of every "
        f"command's start; a school's own register uses a raw key from the keyring). Load "
        f"average (1 min) {load_before[0]:.1f} before and {load_after[0]:.1f} after on "
        f"{cpus} CPUs"
        + (": **the machine was busy** with other work; the ratios come from paired runs, "
           "the absolute times are slower than on a quiet machine." if
           max(load_before[0], load_after[0]) > cpus else "."),  # the bench: ≈ 1
        "",
        "| what | figure | target | verdict |",
        "| --- | --- | --- | --- |",
        f"| consent forms, 2,000-pupil demo school (`privacyregister-cli print consent-forms "
        f"--all`, whole process): first page on disk after start (median of 3: {firsts}) | "
        f"**{forms['first']:.2f} s** | ≤ 1 s | {verdict(forms['first'], 1)} |",
        f"| the same with the register's key in a keyring, as a school's own (no key "
        f"derivation; median of 3: {', '.join(f'{f:.2f}' for f in keyring_firsts)}) | "
        f"**{keyring_firsts[1]:.2f} s** | ≤ 1 s | {verdict(keyring_firsts[1], 1)} |",
        *big_rows,
        f"| the app, {pages:,} pages, whole process (median of {len(forms['ratios'])} paired "
        f"runs): wall / processor time / peak RSS | {forms['app_s']:.1f} s = "
        f"{pages / forms['app_s']:.0f} pages/s / {forms['app_cpu']:.1f} s / "
        f"{forms['app_peak']:.0f} MB | | |",
        f"| bare reportlab canvas script, same layout and page count, whole process (the "
        f"other half of each pair) | {forms['bare_s']:.1f} s = "
        f"{pages / forms['bare_s']:.0f} pages/s / {forms['bare_cpu']:.1f} s / "
        f"{forms['bare_peak']:.0f} MB | | |",
        f"| consent forms ÷ bare canvas, pages per second (median of the pairs' ratios; "
        f"{ratios}) | **{forms['ratio']:.2f}×** | ≥ 1.0× | "
        f"{verdict(forms['ratio'], 1.0, at_least=True)} |",
        f"| the same from processor time (user + system) per pair, median | "
        f"{forms['cpu_ratio']:.2f}× | | |",
        f"| 'niet op de foto' lists for every group of a 1,000-pupil school (query + PDF, "
        f"in-process) | {photo:.2f} s | ≤ 1 s | {verdict(photo, 1)} |",
        f"| breach register PDF of 500 breaches (query + PDF, in-process) | {register:.2f} s | "
        f"≤ 2 s | {verdict(register, 2)} |",
        f"| inspection export (PDF + CSV zip), 20,000-pupil demo school, one run in-process | "
        f"{inspection:.1f} s | ≤ 5 s | {verdict(inspection, 5)} |",
        f"| access export (one pupil, AES-256 password), same database, one run in-process | "
        f"{access:.2f} s | ≤ 1 s | {verdict(access, 1)} |",
        *(f"| import of 20,000 pupils from {label}: parse + preview / commit, one run "
          f"in-process | {shown:.1f} s / {committed:.1f} s | ≤ 3 s / ≤ 3 s | "
          f"{verdict(max(shown, committed), 3)} |"
          for label, (shown, committed) in imports.items()),
    ])
    print(body)
    write_section("prints", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
