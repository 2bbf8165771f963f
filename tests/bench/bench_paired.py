"""Whole commands of an earlier commit and of this checkout, run in turn (A B A B …) on the
same data: the CSV and EDEXML imports and the inspection export at 20,000 pupils, each pair
giving one ratio, against the targets of issue 14.

Run from the repository root:  python -m tests.bench.bench_paired --before COMMIT
                               [--pupils 20000] [--pairs 5]
Writes the 'paired' section of docs/benchmarks.md.

The earlier commit is taken with `git archive` into a temporary folder and run with this
virtualenv (`python -m desktop.cli` from that folder, so its own code is imported). Every
figure is a whole process under `/usr/bin/time -v`: wall time, processor time (user + system,
children included: the export's second process counts) and peak RSS (ru_maxrss, the largest
single process). One warm-up run of each side is not counted. An import runs on a fresh copy
of an empty register made by `init`; the export on a demo register (passphrase, as in
bench_scale). The load average before and after says how busy the shared machine was: the
ratios hold when its speed drifts, absolute wall times do not.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tests.bench.bench_scale import Measured, env_for, timed
from tests.bench.report import ROOT, machine, write_section
from tests.db.imports.make_fixtures import make_csv, make_edexml

TARGETS = {"import CSV": 2.0, "import EDEXML": 1.5, "export inspection": 2.0}
WHAT = {
    "import CSV": "`import` from CSV: pupils with two guardians each, the backup after",
    "import EDEXML": "`import` from EDEXML, the backup after",
    "export inspection": "`export inspection` (PDF + ZIP of CSV, chain check included)",
}


@dataclass
class Pair:
    before: Measured
    after: Measured


def checkout(commit: str, into: Path) -> Path:
    archive = subprocess.run(["git", "archive", commit], cwd=ROOT, check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def command(code: Path, database: Path, *argv: str) -> list[str]:
    return [sys.executable, "-c", "import runpy, sys; sys.path.insert(0, sys.argv.pop(1)); "
            "runpy.run_module('desktop.cli', run_name='__main__')", str(code),
            "--database", str(database), *argv]


def run_pairs(kind: str, codes: dict[str, Path], folder: Path, data: dict[str, Path],
              pairs: int) -> list[Pair]:
    out: list[Pair] = []
    for number in range(pairs + 1):  # the first pair is the warm-up
        got = {}
        for side in ("before", "after"):
            if kind == "export inspection":
                argv = command(codes[side], data["demo"], "export", "inspection", "--from",
                               "01-08-2025", "--to", "31-07-2026", "--out",
                               str(folder / f"inspectie-{side}.pdf"))
            else:
                target = folder / f"import-{side}.db"
                for suffix in ("", ".json"):
                    shutil.copyfile(f"{data['empty']}{suffix}", f"{target}{suffix}")
                shutil.rmtree(folder / "data", ignore_errors=True)  # the rotating backups
                argv = command(codes[side], target, "import",
                               str(data["csv" if kind == "import CSV" else "xml"]))
            got[side] = timed(argv, folder)
        if number:
            out.append(Pair(got["before"], got["after"]))
        print(kind, number, got, flush=True)
    return out


def figures(values: list[Measured]) -> str:
    wall = statistics.median(v.seconds for v in values)
    cpu = statistics.median(v.cpu for v in values)
    peak = statistics.median(v.peak_mb for v in values)
    return f"{wall:.2f} s / {cpu:.2f} s / {peak:.0f} MB"


def ratio(pairs: list[Pair], field: str) -> str:
    values = [getattr(p.after, field) / getattr(p.before, field) for p in pairs]
    return f"**{statistics.median(values):.2f}** ({min(values):.2f}–{max(values):.2f})"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", required=True, help="the commit to compare with")
    parser.add_argument("--pupils", type=int, default=20_000)
    parser.add_argument("--pairs", type=int, default=5)
    args = parser.parse_args()
    before_name = subprocess.run(["git", "rev-parse", "--short", args.before], cwd=ROOT,
                                 check=True, capture_output=True, text=True).stdout.strip()
    after_name = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=True,
                                capture_output=True, text=True).stdout.strip()
    load_before = os.getloadavg()
    results: dict[str, list[Pair]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-paired-") as tmp:
        folder = Path(tmp)
        codes = {"before": checkout(args.before, folder / "before"), "after": ROOT}
        env = env_for(folder)
        data = {"demo": folder / "demo.db", "empty": folder / "leeg.db",
                "csv": folder / "export.csv", "xml": folder / "export.xml"}
        subprocess.run(command(ROOT, data["demo"], "demo", "--pupils", str(args.pupils)),
                       env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        subprocess.run(command(ROOT, data["empty"], "init", "--school", "Bench", "--brin",
                               "12AB", "--admin", "beheer"),
                       env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        data["csv"].write_bytes(make_csv(args.pupils))
        data["xml"].write_bytes(make_edexml(args.pupils))
        for kind in WHAT:
            results[kind] = run_pairs(kind, codes, folder, data, args.pairs)
    load_after = os.getloadavg()
    busy = max(load_before[0], load_after[0]) > 1.5
    lines = [
        "## Issue 14: before and after, paired whole commands",
        "",
        f"`python -m tests.bench.bench_paired --before {before_name} --pupils {args.pupils} "
        f"--pairs {args.pairs}` "
        f"— measured {date.today():%d-%m-%Y} on {machine()}: commit {before_name} (before) "
        f"and {after_name} (after), {args.pairs} pairs after one warm-up pair, A B "
        f"alternating, {args.pupils:,} pupils. Each cell: median wall time / processor time "
        "(user + system, second processes included) / peak RSS of the largest process. "
        f"Load average (1 min) {load_before[0]:.1f} before and {load_after[0]:.1f} after on "
        "2 CPUs" + (": **the machine was busy** with other work; the ratios come from paired "
                    "runs, the absolute wall times are slower than on a quiet machine and "
                    "the verdicts (on the median wall time) say what was measured here."
                    if busy else "."),
        "",
        "| what | before | after | after ÷ before, wall (median, min–max) | after ÷ before, "
        "processor time | target (wall) | verdict |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for kind, pairs in results.items():
        wall = statistics.median(p.after.seconds for p in pairs)
        verdict = "met" if wall <= TARGETS[kind] else "not met"
        lines.append(f"| {WHAT[kind]} | {figures([p.before for p in pairs])} | "
                     f"{figures([p.after for p in pairs])} | {ratio(pairs, 'seconds')} | "
                     f"{ratio(pairs, 'cpu')} | ≤ {TARGETS[kind]:g} s | {verdict} |")
    body = "\n".join(lines)
    print(body)
    write_section("paired", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
