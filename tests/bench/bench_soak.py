"""Soak benchmark (issue 18): a whole working day in one process. The office's round
(tests/support/office_day.py) repeated through the real MainWindow at 1366 × 768 on a demo
school; memory, live widgets, top-level windows and open files at the start, after the
warm-up and at the end, the growth per 100 rounds and the round time at start and end.

Run from the repository root:
    python -m tests.bench.bench_soak [--rounds 1000] [--warmup 50] [--pupils 2000]
Writes the 'soak' section of docs/benchmarks.md (not with --no-write). Offscreen Qt platform;
an in-memory keyring.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring  # noqa: E402

from tests.bench.report import machine, write_section  # noqa: E402
from tests.support.memkeyring import MemoryKeyring  # noqa: E402

RSS_TARGET_MB = 10.0  # growth over 1,000 rounds after the warm-up
TIME_TARGET = 0.10  # the round at the end within 10 % of the round at the start
TIME_WINDOW = 50  # rounds whose median is "the round time" at the start and at the end


def quiet_platform(_kind: object, _context: object, message: str) -> None:
    """The offscreen platform says 'does not support propagateSizeHints()' for every window
    shown; other Qt messages still reach stderr."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def mb(kb: int) -> float:
    return kb / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1000, help="rounds after the warm-up")
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--pupils", type=int, default=2000)
    parser.add_argument("--print-every", type=int, default=10)
    parser.add_argument("--no-write", action="store_true", help="do not touch benchmarks.md")
    parser.add_argument("--log", type=Path, help="one JSON line per 50 rounds (progress)")
    args = parser.parse_args(argv)

    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from db.demo import create_demo_vault
    from db.users import authenticate
    from desktop.i18n import install_translations
    from desktop.main_window import MainWindow
    from tests.support.office_day import OfficeDay, census, process_deletes

    keyring.set_keyring(MemoryKeyring())
    qInstallMessageHandler(quiet_platform)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_translations(app, "nl")
    log = args.log.open("w") if args.log else None
    with tempfile.TemporaryDirectory(prefix="bench-soak-") as tmp:
        folder = Path(tmp)
        made = time.perf_counter()
        vault = create_demo_vault(folder / "demo.db", backup_dir=folder / "backups",
                                  pupils=args.pupils)
        made = time.perf_counter() - made
        with vault.session() as session:
            user = authenticate(session, "directie", "demo-directie")
        window = MainWindow(vault, user)
        window.resize(1366, 768)
        window.show()
        process_deletes()
        prints = folder / "prints"
        prints.mkdir()
        day = OfficeDay(window, prints, setattr, print_every=args.print_every)
        gc.collect()
        start = census()
        times: list[float] = []
        samples: list[tuple[int, dict]] = [(0, start)]
        total = args.warmup + args.rounds
        began = time.perf_counter()
        for number in range(1, total + 1):
            t0 = time.perf_counter()
            day.run_round()
            times.append(time.perf_counter() - t0)
            if number == args.warmup or number % 50 == 0 or number == total:
                gc.collect()
                samples.append((number, census()))
                if log is not None:
                    log.write(json.dumps({"round": number, **samples[-1][1],
                                          "round_s": statistics.median(times[-50:]),
                                          "elapsed_s": time.perf_counter() - began}) + "\n")
                    log.flush()
        wall = time.perf_counter() - began
        warm = dict(samples)[args.warmup]
        end = samples[-1][1]
        counts = (day.cards_opened, day.special_rows_seen, day.details_opened, day.prints,
                  day.boxes_closed, window.nav.count())
        window.close()
        vault.engine.dispose()
    if log is not None:
        log.close()

    body = report(args, start, warm, end, samples, times, wall, made, counts)
    print(body)
    if not args.no_write:
        write_section("soak", body)
    return 0


def report(args: argparse.Namespace, start: dict, warm: dict, end: dict,
           samples: list[tuple[int, dict]], times: list[float], wall: float, made: float,
           counts: tuple[int, ...]) -> str:
    cards, special_rows, details, prints, boxes, areas = counts
    per100 = 100 / args.rounds
    first = statistics.median(times[args.warmup:args.warmup + TIME_WINDOW])
    last = statistics.median(times[-TIME_WINDOW:])
    very_first = statistics.median(times[:min(TIME_WINDOW, args.warmup)])
    rss_growth = mb(end["rss_kb"] - warm["rss_kb"])
    widget_growth = end["widgets"] - warm["widgets"]
    scale = 1000 / args.rounds  # the targets are per 1,000 rounds

    def verdict(ok: bool) -> str:
        return "met" if ok else "**not met**"

    rows = [
        ("RSS (VmRSS)", f"{mb(start['rss_kb']):.0f} MB", f"{mb(warm['rss_kb']):.0f} MB",
         f"{mb(end['rss_kb']):.0f} MB", f"{rss_growth * per100:+.1f} MB",
         f"≤ {RSS_TARGET_MB:.0f} MB growth over 1,000 rounds",
         verdict(rss_growth * scale <= RSS_TARGET_MB)),
        ("peak RSS (VmHWM)", f"{mb(start['peak_kb']):.0f} MB", f"{mb(warm['peak_kb']):.0f} MB",
         f"{mb(end['peak_kb']):.0f} MB", f"{mb(end['peak_kb'] - warm['peak_kb']) * per100:+.1f} MB",
         "", ""),
        ("live widgets (`QApplication.allWidgets()`)", f"{start['widgets']:,}",
         f"{warm['widgets']:,}", f"{end['widgets']:,}", f"{widget_growth * per100:+.1f}",
         "0 growth", verdict(widget_growth == 0)),
        ("top-level windows", f"{start['top_levels']}", f"{warm['top_levels']}",
         f"{end['top_levels']}", f"{(end['top_levels'] - warm['top_levels']) * per100:+.1f}",
         "0 growth", verdict(end["top_levels"] == warm["top_levels"])),
        ("open files (`/proc/self/fd`)", f"{start['files']}", f"{warm['files']}",
         f"{end['files']}", f"{(end['files'] - warm['files']) * per100:+.1f}", "0 growth",
         verdict(end["files"] <= warm["files"])),
        ("Python objects tracked by `gc` (to find a leak)", f"{start['objects']:,}",
         f"{warm['objects']:,}", f"{end['objects']:,}",
         f"{(end['objects'] - warm['objects']) * per100:+,.0f}", "", ""),
        ("round time (median of 50 rounds)", f"{very_first:.2f} s", f"{first:.2f} s",
         f"{last:.2f} s", "", "end within 10 % of the start (after the warm-up)",
         verdict(last <= first * (1 + TIME_TARGET))),
    ]
    table = ["| what | start | after warm-up | end | growth per 100 rounds | target | verdict |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    table += ["| " + " | ".join(row) + " |" for row in rows]
    curve = ["| round | RSS | live widgets | top-level windows | open files |",
             "| --- | --- | --- | --- | --- |"]
    step = max(1, len(samples) // 12)
    picked = samples[::step] + ([samples[-1]] if (len(samples) - 1) % step else [])
    curve += [f"| {n:,} | {mb(s['rss_kb']):.1f} MB | {s['widgets']:,} | {s['top_levels']} | "
              f"{s['files']} |" for n, s in picked]
    return "\n".join([
        "## Soak: a whole working day without a restart",
        "",
        f"`python -m tests.bench.bench_soak --rounds {args.rounds} --warmup {args.warmup} "
        f"--pupils {args.pupils}` — measured {date.today():%d-%m-%Y} on {machine()}, "
        f"Qt platform offscreen, one process, main window 1366 × 768, logged in as directie, "
        f"{args.pupils:,}-pupil demo school (made in {made:.0f} s).",
        "",
        f"One round (tests/support/office_day.py): switch through all {areas} areas; search "
        "the pupil list as you type, letter by letter, and clear it; open a pupil card, show "
        "its special-category tab ('Tonen', audited) and close it; choose another group in "
        "the consent matrix; open a breach's detail and close it; every "
        f"{args.print_every}th round print the group's 'niet op de foto' list (worker "
        "thread, the real 'Klaar' box closed at once); then the deferred deletes run. Modal "
        "windows are shown, painted and closed in place of a real exec(). "
        f"{args.warmup + args.rounds:,} rounds in {wall / 60:.1f} min: {cards:,} pupil cards "
        f"({special_rows:,} special-category rows shown), {details:,} breach details, "
        f"{prints:,} prints, {boxes:,} message boxes. Figures after a `gc.collect()`.",
        "",
        *table,
        "",
        "Over the day:",
        "",
        *curve,
    ])


if __name__ == "__main__":
    raise SystemExit(main())
