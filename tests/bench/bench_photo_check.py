"""Benchmark of the fotocheck: one group, and the whole school, for two purposes.

Run from the repository root:  python -m tests.bench.bench_photo_check  [--pupils 2000]

The check must answer in under 100 ms for a group (what the office and a teacher do before a
photo); the whole school is measured beside it. Writes its own section of docs/benchmarks.md.
An in-memory keyring is installed first, so the machine's real keyring is never touched.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import keyring

from db.clock import fixed_clock, local_today
from db.consents import set_year_rhythm
from db.demo import DEMO_TEACHER_GROUP, populate_demo
from db.permissions import SYSTEM
from db.photo_check import photo_candidates, photo_check
from db.purposes import current_texts
from db.vault import Vault
from tests.bench.report import machine, write_section
from tests.support.memkeyring import MemoryKeyring

REPEATS = 30
BUDGET_MS = 100


def _median_ms(call) -> float:  # noqa: ANN001 - a callable without arguments
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pupils", type=int, default=2000)
    args = parser.parse_args()
    keyring.set_keyring(MemoryKeyring())
    clock = fixed_clock(datetime(2026, 11, 24, 9, 30, tzinfo=UTC))
    today = local_today(clock)
    with tempfile.TemporaryDirectory() as folder:
        vault, _ = Vault.create(Path(folder) / "bench.db", backup_dir=None, clock=clock)
        with vault.session() as session:
            populate_demo(session, pupils=args.pupils, clock=clock)
            set_year_rhythm(session, SYSTEM, ask_each_year=True, closing_month_day=None)
        rows = []
        with vault.session() as session:
            codes = {p.code: p.id for p, _t in current_texts(session)}
            purposes = [codes["foto_website"], codes["foto_sociale_media"]]
            group = [p.pupil_id for p in photo_candidates(session, SYSTEM, today=today,
                                                          group=DEMO_TEACHER_GROUP)]
            school = [p.pupil_id for p in photo_candidates(session, SYSTEM, today=today)]
            for label, pupils in ((f"groep {DEMO_TEACHER_GROUP}", group),
                                  ("hele school", school)):
                ms = _median_ms(lambda p=pupils: photo_check(session, SYSTEM, purposes, p,
                                                             today))
                rows.append((label, len(pupils), ms))
        vault.close(backup=False)
    lines = [f"Machine: {machine()}", "",
             f"Demo school of {args.pupils} pupils, consent asked each school year, two "
             f"purposes (website, social media); median of {REPEATS} runs.", "",
             "| pupils checked | n | median ms | budget |", "| --- | --- | --- | --- |"]
    for label, count, ms in rows:
        verdict = "ok" if ms < BUDGET_MS else "TOO SLOW"
        lines.append(f"| {label} | {count} | {ms:.1f} | {BUDGET_MS} ms: {verdict} |")
    body = "## Fotocheck\n\n" + "\n".join(lines)
    print(body)
    write_section("photo-check", body)


if __name__ == "__main__":
    main()
