"""Time a 20,000-pupil import (new pupils with two guardians each) into a fresh register.

Run from the repository root:  python -m tests.bench.bench_import  [--pupils 20000]
Measures build_preview + commit_import in one transaction, the audit entries included.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import keyring

from db.imports.model import ImportedGuardian, ImportedPupil, ParsedFile
from db.imports.preview import build_preview, commit_import
from db.school import initialise_register
from db.vault import Vault
from tests.support.memkeyring import MemoryKeyring

try:
    from db.permissions import SYSTEM as ACTOR
except ImportError:  # before the explicit system actor, None meant the system
    ACTOR = None


def parsed(pupils: int) -> ParsedFile:
    rows = []
    for n in range(pupils):
        rows.append(ImportedPupil(
            where=f"regel {n + 2}", first_name=f"Kind{n}", last_name=f"Achternaam{n % 997}",
            date_of_birth=date(2014 + n % 8, 1 + n % 12, 1 + n % 28),
            group_name=f"{1 + n % 8}{'ABC'[n % 3]}", source_key=str(1_000_000 + n),
            guardians=(ImportedGuardian(first_name="Ouder", last_name=f"Een{n}",
                                        email=f"een{n}@example.org"),
                       ImportedGuardian(first_name="Ouder", last_name=f"Twee{n}",
                                        email=f"twee{n}@example.org"))))
    return ParsedFile(pupils=rows, source="CSV")


def run(pupils: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        vault, _ = Vault.create(Path(folder) / "import.db")
        with vault.session() as session:
            initialise_register(session, school_name="Bench", brin="12AB",
                                admin_username="beheer", admin_password="wachtwoord-1")
        data = parsed(pupils)
        started = time.perf_counter()
        with vault.session() as session:
            preview = build_preview(session, ACTOR, data)
            commit_import(session, ACTOR, preview)
        seconds = time.perf_counter() - started
        vault.engine.dispose()
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pupils", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    keyring.set_keyring(MemoryKeyring())
    times = [run(args.pupils) for _ in range(args.runs)]
    print(f"import of {args.pupils} pupils: median {statistics.median(times):.2f} s "
          f"(runs: {', '.join(f'{t:.2f}' for t in times)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
