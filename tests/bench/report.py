"""Shared by the benchmark scripts: the machine line and writing one's own section of
docs/benchmarks.md between its markers, leaving the other sections alone."""

from __future__ import annotations

import os
import platform
from pathlib import Path

import sqlalchemy
import sqlcipher3.dbapi2 as sqlcipher

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "docs" / "benchmarks.md"


def machine() -> str:
    conn = sqlcipher.connect(":memory:")
    cipher = conn.execute("PRAGMA cipher_version").fetchone()[0]
    conn.close()
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (f"{platform.system()} {platform.release()} ({platform.machine()}), {cpus} CPUs "
            f"(nproc), Python {platform.python_version()}, SQLCipher {cipher} "
            f"(SQLite {sqlcipher.sqlite_version}), SQLAlchemy {sqlalchemy.__version__}")


def write_section(name: str, body: str) -> None:
    """Replace the text between <!-- name:start --> and <!-- name:end --> (or append it)."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = f"{start}\n{body.strip()}\n{end}"
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    current = REPORT.read_text("utf-8") if REPORT.exists() else (
        "# Benchmarks\n\nMeasured figures. Each section is written by its own script; "
        "rerun the script to refresh it.\n")
    if start in current and end in current:
        before, _, rest = current.partition(start)
        _, _, after = rest.partition(end)
        updated = before + text + after
    else:
        updated = current.rstrip("\n") + "\n\n" + text + "\n"
    REPORT.write_text(updated, "utf-8")
