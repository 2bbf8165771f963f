"""The register at 2,000, 20,000 and 100,000 pupils: whole CLI commands, their wall time and
their peak memory, against the targets of issue 14.

Run from the repository root:  python -m tests.bench.bench_scale  [--sizes 2000 20000 100000]
Writes the 'scale' section of docs/benchmarks.md.

Every figure is a whole process (`privacyregister-cli ...` started by `/usr/bin/time -v`, which
gives the wall time, the processor time (user + system, which a busy machine inflates less
than the wall time) and the peak resident set size, ru_maxrss). Children open a register whose
key is in a keyring, as a school's own (a file stands in for the OS keyring, see env_for);
`--passphrase` measures registers protected by a passphrase instead. The
consent-form ratio comes from paired runs in one session: the app and the bare canvas script
(tests/bench/bare_consent_canvas.py) alternate, and each pair gives one ratio.

`--no-forms` leaves the consent forms out (minutes at 20,000 pupils); the table is then
printed, not written, since the section also holds the forms' tables.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pypdf import PdfReader

from db.demo import DEMO_PASSPHRASE
from tests.bench.report import ROOT, machine, write_section
from tests.db.imports.make_fixtures import make_csv, make_edexml

CLI = [sys.executable, "-m", "desktop.cli"]
BARE = [sys.executable, str(ROOT / "tests" / "bench" / "bare_consent_canvas.py")]
RUNS = 3  # medians of three at 2,000 and 20,000 pupils; one run at 100,000


@dataclass
class Measured:
    seconds: float
    peak_mb: float
    cpu: float = 0.0  # user + system seconds


KEY_MODES = ("keyring", "passphrase")
key_mode = "keyring"  # set by --passphrase; module-wide so every child of a run uses one mode


def env_for(folder: Path) -> dict[str, str]:
    """A child's environment. By default the register's key is in a keyring, as a school's own
    (`init` stores it in Windows Credential Manager; tests/support/filekeyring.py stands in, a
    JSON file in the run's folder, so the machine's keyring is never touched): no key
    derivation when it opens. With `--passphrase` the register and its backups are protected
    by a passphrase instead (a workstation without a keyring), which adds the derivation."""
    env = dict(os.environ, PRIVACYREGISTER_ADMIN_PASSWORD="bench-wachtwoord-1",
               XDG_DATA_HOME=str(folder / "data"), LOCALAPPDATA=str(folder / "data"))
    if key_mode == "passphrase":
        env.update(PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
                   PRIVACYREGISTER_PASSPHRASE=DEMO_PASSPHRASE)
    else:
        env.update(PYTHON_KEYRING_BACKEND="tests.support.filekeyring.FileKeyring",
                   FILE_KEYRING=str(folder / "keyring.json"), PYTHONPATH=str(ROOT))
        env.pop("PRIVACYREGISTER_PASSPHRASE", None)
    return env


def timed(command: list[str], folder: Path, *, check: bool = True) -> Measured:
    """One whole process under /usr/bin/time -v: wall seconds and peak RSS."""
    report = folder / "time.txt"
    done = subprocess.run(["/usr/bin/time", "-v", "-o", str(report), *command],
                          env=env_for(folder), cwd=ROOT, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    if check and done.returncode != 0:
        raise SystemExit(f"{command[2:5]} failed ({done.returncode}): {done.stderr[-500:]}")
    text = report.read_text()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1)
    seconds = 0.0
    for part in wall.split(":"):
        seconds = seconds * 60 + float(part)
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    cpu = sum(float(re.search(rf"{kind} time \(seconds\): (\S+)", text).group(1))
              for kind in ("User", "System"))
    return Measured(seconds, peak / 1024, cpu)


def median(values: list[Measured]) -> Measured:
    return Measured(statistics.median(v.seconds for v in values),
                    statistics.median(v.peak_mb for v in values),
                    statistics.median(v.cpu for v in values))


def first_page(command: list[str], folder: Path, out: Path,
               env: dict[str, str] | None = None) -> tuple[float, Measured]:
    """Seconds from start until the first page object is on disk (out or out.part), polled
    every 5 ms, and the whole run (wall time and peak RSS from /usr/bin/time -v); `env`
    instead of the passphrase environment (env_for) when given."""
    part = out.with_name(out.name + ".part")
    for stale in (out, part):
        stale.unlink(missing_ok=True)
    report = folder / "time.txt"
    started = time.perf_counter()
    process = subprocess.Popen(["/usr/bin/time", "-v", "-o", str(report), *command],
                               env=env or env_for(folder), cwd=ROOT, stdout=subprocess.DEVNULL)
    seen = None
    while process.poll() is None:
        if seen is None:
            for candidate in (part, out):
                try:
                    head = candidate.read_bytes()
                except OSError:
                    continue
                if b"/Type /Page\n" in head or b"/Type /Page " in head:
                    seen = time.perf_counter() - started
                    break
        time.sleep(0.005)
    total = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit("print consent-forms failed")
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)",
                         report.read_text()).group(1))
    return (seen if seen is not None else total), Measured(total, peak / 1024)


def scale(size: int, folder: Path, *, forms: bool = True) -> dict:
    runs = RUNS if size <= 20_000 else 1
    db = folder / f"demo-{size}.db"
    result: dict = {"runs": runs}
    result["demo"] = timed([*CLI, "--database", str(db), "demo", "--pupils", str(size)], folder)
    result["verify"] = median([timed([*CLI, "--database", str(db), "verify"], folder)
                               for _ in range(runs)])
    out = folder / f"inspectie-{size}.pdf"
    result["inspection"] = median([timed([*CLI, "--database", str(db), "export", "inspection",
                                          "--from", "01-08-2025", "--to", "31-07-2026",
                                          "--out", str(out)], folder) for _ in range(runs)])
    for label, data, name in (("CSV", make_csv, "export.csv"), ("EDEXML", make_edexml,
                                                                  "export.xml")):
        source = folder / name
        source.write_bytes(data(size))
        measured, backups = [], []
        for run in range(runs):
            target = folder / f"import-{label}-{size}-{run}.db"
            subprocess.run([*CLI, "--database", str(target), "init", "--school", "Bench",
                            "--brin", "12AB", "--admin", "beheer", "--recovery-pdf",
                            str(folder / f"herstel-{label}-{run}.pdf")], env=env_for(folder),
                           cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
            measured.append(timed([*CLI, "--database", str(target), "import", str(source)],
                                  folder))
            # the backup the import ends with, alone: the same copy of the same register
            backups.append(timed([*CLI, "--database", str(target), "backup", "--to",
                                  str(folder / f"kopie-{label}-{size}-{run}.db")], folder))
        result[f"import {label}"] = median(measured)
        result[f"backup {label}"] = median(backups)
        source.unlink()
    if forms and size <= 20_000:
        forms = folder / f"formulieren-{size}.pdf"
        command = [*CLI, "--database", str(db), "print", "consent-forms", "--all",
                   "--out", str(forms)]
        firsts = [first_page(command, folder, forms) for _ in range(runs)]
        result["forms_firsts"] = sorted(first for first, _ in firsts)
        result["forms_first"] = statistics.median(result["forms_firsts"])
        result["forms"] = median([whole for _, whole in firsts])
        pages = len(PdfReader(forms).pages)
        result["pages"] = pages
        ratios, bare = [], []
        # A/B alternated, one ratio per pair; at 2,000 pupils only (19,000 pages take minutes)
        for _ in range(RUNS if size <= 2_000 else 0):
            app = timed(command, folder)
            yardstick = timed([*BARE, str(pages), str(folder / "bare.pdf")], folder)
            bare.append(yardstick)
            ratios.append(yardstick.seconds / app.seconds)
        if ratios:
            result["bare"] = median(bare)
            result["forms_ratio"] = statistics.median(ratios)
    return result


def verdict(value: float, limit: float, *, at_least: bool = False) -> str:
    return "met" if (value >= limit if at_least else value <= limit) else "not met"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_000, 20_000, 100_000])
    parser.add_argument("--passphrase", action="store_true",
                        help="registers protected by a passphrase instead of a key in a keyring")
    parser.add_argument("--no-forms", action="store_true",
                        help="leave the consent forms out; print the table, do not write it")
    args = parser.parse_args()
    global key_mode
    key_mode = "passphrase" if args.passphrase else "keyring"
    results = {}
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        for size in args.sizes:
            results[size] = scale(size, Path(tmp), forms=not args.no_forms)
            print(size, results[size], flush=True)
    targets = {  # (what, key, seconds at 20k, seconds at 100k, peak MB)
        "verify": ("`verify` (integrity check, audit chain, every row's digest)", 1.0, None,
                   None),
        "inspection": ("`export inspection` (PDF + ZIP of CSV, chain check included)", 2.0,
                       6.0, 300.0),
        "import CSV": ("`import` from CSV (pupils + two guardians each, backup after)", 2.0,
                       None, None),
        "import EDEXML": ("`import` from EDEXML (backup after)", 1.5, None, None),
    }
    sizes = list(results)
    lines = [
        "## Scale: 2,000, 20,000 and 100,000 pupils",
        "",
        f"`python -m tests.bench.bench_scale` — measured {date.today():%d-%m-%Y} on "
        f"{machine()}. Every figure is a whole `privacyregister-cli` process under "
        "`/usr/bin/time -v`: wall time / processor time (user + system) / peak RSS "
        "(ru_maxrss). "
        + ("Registers protected by a passphrase (`--passphrase`: the key derivation is part of "
           "every command's start, and of the backup an import ends with). "
           if key_mode == "passphrase" else
           "Registers with their key in a keyring, as a school's own (`init` stores it in the "
           "OS keyring; a file stands in for it here): no key derivation. ")
        + f"Medians of {RUNS} at 2,000 and 20,000 pupils, one run at 100,000. Load average "
        f"(1 minute) {load_before:.1f} before and {os.getloadavg()[0]:.1f} after on "
        f"{os.cpu_count()} CPUs.",
        "",
        "| what | " + " | ".join(f"{s:,} pupils" for s in sizes) + " | target | verdict |",
        "| --- | " + " | ".join("---" for _ in sizes) + " | --- | --- |",
        "| `demo --pupils N` (create and fill, one run) | "
        + " | ".join(f"{results[s]['demo'].seconds:.1f} s / {results[s]['demo'].peak_mb:.0f} MB"
                     for s in sizes) + " | | |",
    ]
    for key, (what, at20, at100, peak) in targets.items():
        cells = " | ".join(f"{results[s][key].seconds:.2f} s / {results[s][key].cpu:.2f} s cpu"
                           f" / {results[s][key].peak_mb:.0f} MB" for s in sizes)
        wanted, verdicts = [], []
        if 20_000 in results:
            wanted.append(f"≤ {at20:g} s at 20,000")
            verdicts.append(verdict(results[20_000][key].seconds, at20))
        if at100 is not None and 100_000 in results:
            wanted.append(f"≤ {at100:g} s at 100,000")
            verdicts.append(verdict(results[100_000][key].seconds, at100))
        if peak is not None:
            wanted.append(f"peak ≤ {peak:g} MB")
            verdicts.append(verdict(max(results[s][key].peak_mb for s in sizes), peak))
        overall = ("—" if not verdicts else "met" if all(v == "met" for v in verdicts)
                   else "not met")
        lines.append(f"| {what} | {cells} | {'; '.join(wanted)} | {overall} |")
        label = key.partition(" ")[2]
        if key.startswith("import") and f"backup {label}" in results[sizes[0]]:
            lines.append(
                f"| of which the backup it ends with: `backup` alone on the register just "
                f"imported ({label}) | "
                + " | ".join(f"{results[s][f'backup {label}'].seconds:.2f} s / "
                             f"{results[s][f'backup {label}'].cpu:.2f} s cpu / "
                             f"{results[s][f'backup {label}'].peak_mb:.0f} MB" for s in sizes)
                + " | | |")
    form_sizes = [s for s in sizes if "forms" in results[s]]
    if form_sizes:
        lines += [
            "",
            "Consent forms (`print consent-forms --all`, whole process):",
            "",
            "| what | " + " | ".join(f"{s:,} pupils" for s in form_sizes)
            + " | target | verdict |",
            "| --- | " + " | ".join("---" for _ in form_sizes) + " | --- | --- |",
        ]
        r = results[form_sizes[-1]]
        paired = [s for s in form_sizes if "forms_ratio" in results[s]]
        lines += [
            "| pages | " + " | ".join(f"{results[s]['pages']:,}" for s in form_sizes)
            + " | | |",
            "| first page on disk, seconds after start (polled every 5 ms; median, the runs "
            "in brackets) | "
            + " | ".join(f"{results[s]['forms_first']:.2f} s ("
                         + ", ".join(f"{f:.2f}" for f in results[s]["forms_firsts"]) + ")"
                         for s in form_sizes)
            + f" | ≤ 1 s | {verdict(r['forms_first'], 1.0)} |",
            "| whole run / peak RSS (median) | "
            + " | ".join(f"{results[s]['forms'].seconds:.1f} s / "
                         f"{results[s]['forms'].peak_mb:.0f} MB" for s in form_sizes)
            + f" | peak ≤ 250 MB | {verdict(r['forms'].peak_mb, 250)} |",
            "| bare canvas script, same pages (median of the paired runs) / peak RSS | "
            + " | ".join(f"{results[s]['bare'].seconds:.1f} s / {results[s]['bare'].peak_mb:.0f}"
                         " MB" if s in paired else "not run" for s in form_sizes) + " | | |",
            f"| app ÷ bare, pages per second (median of {RUNS} paired A/B runs) | "
            + " | ".join(f"**{results[s]['forms_ratio']:.2f}×**" if s in paired else "not run"
                         for s in form_sizes)
            + " | ≥ 1.0× | " + (verdict(results[paired[-1]]["forms_ratio"], 1.0, at_least=True)
                                if paired else "—") + " |",
        ]
    body = "\n".join(lines)
    print(body)
    if not args.no_forms:
        write_section("scale", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
