"""Where the time of `verify`, `export inspection` and `import` goes: each part of the
command timed in one process, one after the other (no threads), processor time and wall.

Run from the repository root:  python -m tests.bench.bench_parts  [--pupils 20000]
Writes the 'parts' section of docs/benchmarks.md.

The commands themselves run some of these parts side by side on a second core (verify: the
file check, the chain walk and the rows' check; the export: the chain check beside the
sections); here they run in turn, so that each part's share can be read. The register is a
passphrase database, as in bench_scale: opening it includes the key derivation.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from tests.bench.report import ROOT, machine, write_section

CHILD = r'''
import sys, time
parts, last = [], [time.process_time(), time.perf_counter()]
def part(name):
    cpu, wall = time.process_time(), time.perf_counter()
    parts.append((name, cpu - last[0], wall - last[1]))
    last[:] = [time.process_time(), time.perf_counter()]
what, path = sys.argv[1], sys.argv[2]
from pathlib import Path
from db.vault import Vault
from db.permissions import SYSTEM
if what == "verify":
    from db.audit import _verify_entries, changed_records, chain_head
    part("start: Python and the imports")
    vault = Vault.open(Path(path))
    part("open: key derivation, key check, schema check")
    vault.integrity_problems()
    part("file check (PRAGMA integrity_check)")
    with vault.session() as session:
        _verify_entries(session.connection(), None)
        part("chain walk (every entry's hash)")
        changed_records(session)
        part("rows' check (every row's digest beside its latest entry)")
        chain_head(session)
    vault.close(backup=False)
    part("close")
elif what == "inspection":
    from datetime import UTC, date, datetime
    import db.inspection as inspection
    from desktop.printing.inspection import write_inspection
    part("start: Python and the imports")
    vault = Vault.open(Path(path))
    part("open: key derivation, key check, schema check")
    real = inspection.verify_chain
    def timed(*args, **kwargs):
        part("sections (consents counted in SQL, registers)")
        report = real(*args, **kwargs)
        part("chain check (chain walk and rows' check)")
        return report
    inspection.verify_chain = timed
    with vault.session() as session:
        result = inspection.gather(session, SYSTEM, date(2025, 8, 1), date(2026, 7, 31),
                                   now=datetime.now(UTC))
        session.rollback()
    part("the export's audit entry")
    write_inspection(Path(sys.argv[3]), result)
    part("PDF and ZIP written")
    vault.close(backup=False)
    part("close")
else:
    from db.imports.detect import parse_file
    from db.imports.preview import build_preview, commit_import
    part("start: Python and the imports")
    data = Path(sys.argv[3]).read_bytes()
    vault = Vault.open(Path(path), backup_dir=Path(sys.argv[4]))
    part("open: key derivation, key check, schema check")
    with vault.session() as session:
        parsed, _table = parse_file(data, Path(sys.argv[3]).name)
        part("parse the file")
        preview = build_preview(session, SYSTEM, parsed)
        part("preview (compare with the register)")
        commit_import(session, SYSTEM, preview)
        part("store pupils, guardians, links and their audit entries")
    part("commit")
    vault.close()
    part("the backup it ends with, and close")
for name, cpu, wall in parts:
    print(f"{name}\t{cpu:.3f}\t{wall:.3f}")
'''


def env_for(folder: Path) -> dict[str, str]:
    from db.demo import DEMO_PASSPHRASE

    return dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
                PRIVACYREGISTER_PASSPHRASE=DEMO_PASSPHRASE,
                PRIVACYREGISTER_ADMIN_PASSWORD="bench-wachtwoord-1",
                XDG_DATA_HOME=str(folder / "data"), LOCALAPPDATA=str(folder / "data"))


def child(folder: Path, *argv: str) -> list[tuple[str, float, float]]:
    done = subprocess.run([sys.executable, "-c", CHILD, *argv], env=env_for(folder), cwd=ROOT,
                          check=True, capture_output=True, text=True)
    rows = []
    for line in done.stdout.splitlines():
        name, cpu, wall = line.split("\t")
        rows.append((name, float(cpu), float(wall)))
    return rows


def cli(folder: Path, *argv: str) -> None:
    subprocess.run([sys.executable, "-m", "desktop.cli", *argv], env=env_for(folder),
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def table(title: str, rows: list[tuple[str, float, float]]) -> list[str]:
    total_cpu = sum(cpu for _, cpu, _ in rows)
    total_wall = sum(wall for _, _, wall in rows)
    lines = [f"{title}:", "", "| part | processor time | share | wall |",
             "| --- | --- | --- | --- |"]
    lines += [f"| {name} | {cpu:.2f} s | {cpu / total_cpu:.0%} | {wall:.2f} s |"
              for name, cpu, wall in rows]
    lines.append(f"| all | {total_cpu:.2f} s | | {total_wall:.2f} s |")
    return [*lines, ""]


def main() -> int:
    from tests.db.imports.make_fixtures import make_csv

    parser = argparse.ArgumentParser()
    parser.add_argument("--pupils", type=int, default=20_000)
    args = parser.parse_args()
    n = args.pupils
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-parts-") as tmp:
        folder = Path(tmp)
        register = folder / "demo.db"
        cli(folder, "--database", str(register), "demo", "--pupils", str(n))
        verify = child(folder, "verify", str(register))
        inspection = child(folder, "inspection", str(register), str(folder / "inspectie.pdf"))
        empty = folder / "leeg.db"
        cli(folder, "--database", str(empty), "init", "--school", "Bench", "--brin", "12AB",
            "--admin", "beheer")
        source = folder / "export.csv"
        source.write_bytes(make_csv(n))
        imported = child(folder, "import", str(empty), str(source), str(folder / "kopieen"))
        shutil.rmtree(folder / "kopieen", ignore_errors=True)
    load_after = os.getloadavg()
    lines = [
        "## Where the time goes: verify, the inspection export, the CSV import",
        "",
        f"`python -m tests.bench.bench_parts --pupils {n}` — measured "
        f"{date.today():%d-%m-%Y} on {machine()}. One process per command, its parts timed "
        "in turn (no threads: the commands run some parts side by side on the second core), "
        f"{n:,}-pupil demo register with a passphrase (opening includes the key "
        "derivation); the import: a CSV of as many pupils with two guardians each into a new "
        "register. Processor time (user + system) is the figure to read on a busy machine; "
        "wall times carry the other work on its two cores (and a busy machine inflates "
        "processor time too, by some tens of percent: its cores' caches and shared units "
        f"are taken). Load average (1 min) {load_before[0]:.1f} before and "
        f"{load_after[0]:.1f} after on 2 CPUs.",
        "",
        *table("`verify`", verify),
        *table("`export inspection`", inspection),
        *table("`import` (CSV)", imported),
    ]
    body = "\n".join(lines).rstrip()
    print(body)
    write_section("parts", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
