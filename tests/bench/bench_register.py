"""Benchmarks of the register (db/): demo school creation, opening, cost of encryption.

Run from the repository root:  python -m tests.bench.bench_register  [--pupils 20000]

Writes its own section of docs/benchmarks.md, between the markers below; other sections of
that file belong to other scripts and are kept as they are. An in-memory keyring is installed
first, so the machine's real keyring is never touched.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import keyring
import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import func, select

from db.demo import DEMO_PASSPHRASE
from db.schema import AuditEntry, ConsentEvent, Guardian, Pupil, SpecialCategoryRecord
from db.vault import Key, Vault, _raw_connect
from tests.bench.report import REPORT, ROOT, machine, write_section
from tests.support.memkeyring import MemoryKeyring

OPENS = 20
CIPHER_ROWS = 20_000
LOOKUPS = 200
REPEATS = 3


# --- (a) the demo school ------------------------------------------------------------------

def bench_demo(folder: Path, pupils: int) -> tuple[float, Path, dict[str, int]]:
    """Wall time of the whole `privacyregister-cli demo --pupils N` process.

    The child has no keyring here, so it makes a passphrase database; afterwards the file is
    re-keyed in-process to a raw key in the (in-memory) keyring, for the opening benchmark.
    """
    path = folder / "demo.db"
    env = dict(os.environ, XDG_DATA_HOME=str(folder / "data"), LOCALAPPDATA=str(folder / "data"),
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")  # never the real one
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "desktop.cli", "--database", str(path), "demo",
                    "--pupils", str(pupils)], check=True, env=env, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    vault = Vault.open(path, passphrase=DEMO_PASSPHRASE, backup_dir=None)
    vault.rekey()
    counts = {}
    with vault.session() as session:
        for label, model, where in (
            ("pupils", Pupil, None), ("left", Pupil, Pupil.left_on.is_not(None)),
            ("guardians", Guardian, None), ("consent events", ConsentEvent, None),
            ("special-category records", SpecialCategoryRecord, None),
            ("audit entries", AuditEntry, None),
        ):
            query = select(func.count()).select_from(model)
            counts[label] = session.scalar(query if where is None else query.where(where))
    vault.engine.dispose()
    return seconds, path, counts


# --- (b) opening --------------------------------------------------------------------------

def bench_open(path: Path) -> tuple[float, float]:
    """Median ms of Vault.open (raw key from the keyring, no backup) and of the bare unlock."""
    times = []
    for _ in range(OPENS):
        started = time.perf_counter()
        vault = Vault.open(path, backup_dir=None)
        times.append(time.perf_counter() - started)
        vault.engine.dispose()
    key = vault._key  # the same raw key, for the bare SQLCipher unlock
    bare = []
    for _ in range(OPENS):
        started = time.perf_counter()
        conn = _raw_connect(path, key)
        bare.append(time.perf_counter() - started)
        conn.close()
    return statistics.median(times) * 1000, statistics.median(bare) * 1000


# --- (c) encrypted versus plain -----------------------------------------------------------

DDL = """
CREATE TABLE pupil (
    id INTEGER PRIMARY KEY, source_key VARCHAR(64), first_name VARCHAR(100),
    given_names VARCHAR(200), prefix VARCHAR(30), last_name VARCHAR(150), date_of_birth DATE,
    year_group INTEGER, group_name VARCHAR(20), enrolled_on DATE, left_on DATE, notes TEXT,
    created_at DATETIME);
CREATE INDEX ix_pupil_last_name ON pupil (last_name);
CREATE INDEX ix_pupil_group ON pupil (group_name);
CREATE INDEX ix_pupil_source_key ON pupil (source_key);
"""


def _rows() -> list[tuple]:
    rng = random.Random(1)
    firsts = ["Daan", "Zoë", "Ismaël", "Fatima", "Noor", "Sem", "Bram", "Mees", "Yara", "Elif"]
    lasts = [f"Achternaam{i:04d}" for i in range(2_000)]
    born = date(2015, 1, 1)
    return [(str(1_000_000 + i), rng.choice(firsts), "", rng.choice(["", "van", "de"]),
             rng.choice(lasts), str(born + timedelta(days=rng.randint(0, 2900))),
             rng.randint(1, 8), f"{rng.randint(1, 8)}{rng.choice('ABC')}", "2024-08-26", None,
             "", "2024-08-26 09:00:00.000000") for i in range(CIPHER_ROWS)]


def _connect(path: Path, key: Key | None) -> sqlcipher.Connection:
    conn = sqlcipher.connect(str(path), isolation_level=None)
    if key is not None:
        conn.execute(f"PRAGMA key = {key.pragma_value()}")
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    for pragma in ("temp_store = MEMORY", "journal_mode = WAL", "synchronous = FULL"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def _workload(path: Path, key: Key | None, rows: list[tuple]) -> dict[str, float]:
    """Insert all rows in one transaction; reopen; indexed lookups; a sorted full scan."""
    names = sorted({row[4] for row in rows})
    lookups = random.Random(2).sample(names, LOOKUPS)
    times = {}
    started = time.perf_counter()
    conn = _connect(path, key)
    conn.executescript(DDL)
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO pupil (source_key, first_name, given_names, prefix, last_name,"
                     " date_of_birth, year_group, group_name, enrolled_on, left_on, notes,"
                     " created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    conn.execute("COMMIT")
    conn.close()
    times["insert"] = time.perf_counter() - started
    started = time.perf_counter()
    conn = _connect(path, key)  # a cold page cache: every page read is decrypted
    for name in lookups:
        conn.execute("SELECT * FROM pupil WHERE last_name = ?", (name,)).fetchall()
    times["lookups"] = time.perf_counter() - started
    started = time.perf_counter()
    scanned = conn.execute("SELECT * FROM pupil ORDER BY date_of_birth, id").fetchall()
    times["scan"] = time.perf_counter() - started
    conn.close()
    assert len(scanned) == len(rows)
    times["total"] = times["insert"] + times["lookups"] + times["scan"]
    return times


def bench_cipher(folder: Path) -> dict[str, dict[str, float]]:
    rows = _rows()
    key = Key(raw=os.urandom(32))
    best: dict[str, dict[str, float]] = {}
    for label, mode_key in (("plain", None), ("encrypted", key)):
        runs = []
        for attempt in range(REPEATS):
            path = folder / f"cipher-{label}-{attempt}.db"
            runs.append(_workload(path, mode_key, rows))
        best[label] = {part: min(run[part] for run in runs) for part in runs[0]}
    return best


# --- the report ---------------------------------------------------------------------------

def section(pupils: int, demo_seconds: float, counts: dict[str, int], size_mb: float,
            open_ms: float, unlock_ms: float, cipher: dict[str, dict[str, float]]) -> str:
    plain, enc = cipher["plain"], cipher["encrypted"]

    def ratio(part: str) -> str:
        return f"{enc[part] / plain[part]:.2f}×"

    ms: Callable[[float], str] = lambda s: f"{s * 1000:.0f} ms"  # noqa: E731
    return "\n".join([
        "## Register (db/)",
        "",
        f"`python -m tests.bench.bench_register` — measured {date.today():%d-%m-%Y} on "
        f"{machine()}.",
        "",
        "| what | figure |",
        "| --- | --- |",
        f"| `privacyregister-cli demo --pupils {pupils}`, the whole process (start, "
        f"create the encrypted file, fill it in one "
        f"transaction, {counts['audit entries']:,} audit entries) | {demo_seconds:.1f} s |",
        f"| open that database with its raw key (median of {OPENS} `Vault.open`, after "
        f"imports, no backup) | {open_ms:.1f} ms |",
        f"| of which the SQLCipher unlock (connect, raw key, first read; median of {OPENS}) "
        f"| {unlock_ms:.2f} ms |",
        f"| encrypted ÷ plain SQLite, same workload (best of {REPEATS} each) | "
        f"**{ratio('total')}** |",
        "",
        "Demo database: " + ", ".join(f"{n:,} {label}" for label, n in counts.items())
        + f"; {size_mb:.0f} MB on disk.",
        "",
        f"Encryption workload (same `sqlcipher3` module; plain = no key; WAL, synchronous=FULL): "
        f"insert {CIPHER_ROWS:,} pupil rows in one transaction, reopen, {LOOKUPS} indexed "
        "lookups by last name, one full scan ordered by an unindexed column.",
        "",
        "| part | plain | encrypted | ratio |",
        "| --- | --- | --- | --- |",
        *(f"| {part} | {ms(plain[part])} | {ms(enc[part])} | {ratio(part)} |"
          for part in ("insert", "lookups", "scan", "total")),
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, default=20_000)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    keyring.set_keyring(MemoryKeyring())  # never the machine's real keyring
    with tempfile.TemporaryDirectory(prefix="bench-register-") as tmp:
        folder = Path(tmp)
        print(f"demo school with {args.pupils} pupils ...", flush=True)
        demo_seconds, path, counts = bench_demo(folder, args.pupils)
        size_mb = path.stat().st_size / 1e6
        print(f"  {demo_seconds:.1f} s, {counts}", flush=True)
        open_ms, unlock_ms = bench_open(path)
        print(f"open: {open_ms:.1f} ms (unlock {unlock_ms:.2f} ms)", flush=True)
        cipher = bench_cipher(folder)
        print(f"encrypted / plain: {cipher['encrypted']['total'] / cipher['plain']['total']:.2f}",
              flush=True)
    text = section(args.pupils, demo_seconds, counts, size_mb, open_ms, unlock_ms, cipher)
    print(text)
    if not args.no_write:
        write_section("register", text)
        print(f"written to {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
