"""`privacyregister-cli migrate-to` at 2,000 and 20,000 pupils: wall time, processor time and
peak memory of the whole process, and the rows and audit entries it copied.

Run from the repository root:  python -m tests.bench.bench_migrate_to [--sizes 2000 20000]
Writes the 'migrate-to' section of docs/benchmarks.md. With --board the database holds the
register of another school of the board first (made as `init --server` makes it), so the demo
school is added as a new school (new ids, the chain copied as stored, a baseline entry per row);
printed only.

A throw-away PostgreSQL server (tests/support/postgres.py) on loopback; the demo register made
by `privacyregister-cli demo` with a passphrase; the owner's password in a file keyring
(tests/support/filekeyring.py), so the machine's keyring is never touched. The memory target:
flat, i.e. the peak at 20,000 pupils close to the peak at 2,000 (the copy streams in batches).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from db.server import SERVICE, ServerAddress
from tests.bench.bench_scale import CLI, Measured, env_for
from tests.bench.report import ROOT, machine, write_section
from tests.support import postgres as pg


def timed(command: list[str], folder: Path, env: dict) -> tuple[Measured, str]:
    """One whole process under /usr/bin/time -v: wall and processor seconds, peak RSS, and
    what it wrote on stdout."""
    report = folder / "time.txt"
    done = subprocess.run(["/usr/bin/time", "-v", "-o", str(report), *command], env=env,
                          cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"migrate-to failed ({done.returncode}): {done.stderr[-800:]}")
    text = report.read_text()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1)
    seconds = 0.0
    for part in wall.split(":"):
        seconds = seconds * 60 + float(part)
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    cpu = sum(float(re.search(rf"{kind} time \(seconds\): (\S+)", text).group(1))
              for kind in ("User", "System"))
    return Measured(seconds, peak / 1024, cpu), done.stdout


def _other_school(server: pg.TestServer, owner: ServerAddress) -> None:
    """The board's register with one school already in it (not the demo's BRIN)."""
    import uuid

    from db.register import NewSchool, set_up_register
    from db.schema import Role
    from db.server import ServerRegister

    created = ServerRegister.create(owner, database_id=uuid.uuid4().hex,
                                    password=server.owner_password,
                                    application_role=pg.APPLICATION)
    try:
        with created.session() as session:
            set_up_register(session, NewSchool("OBS Het Anker", "99ZZ", "beheer",
                                               "wachtwoord-123", admin_role=Role.BEHEERDER))
    finally:
        created.close()


def run(sizes: list[int], board: bool = False) -> str:
    server = pg.start_server()
    rows = []
    try:
        with server.connect() as admin, tempfile.TemporaryDirectory() as temp:
            folder = Path(temp)
            env = env_for(folder)
            keyring_file = folder / "keyring.json"
            env.update(PYTHON_KEYRING_BACKEND="tests.support.filekeyring.FileKeyring",
                       FILE_KEYRING=str(keyring_file))
            for pupils in sizes:
                name = f"bench_{pupils}"
                admin.execute(f"CREATE DATABASE {name} OWNER {pg.OWNER}")
                owner = ServerAddress.parse(server.url(name, pg.OWNER))
                keyring_file.write_text(json.dumps(
                    {f"{SERVICE}/{owner.account}": server.owner_password}), "utf-8")
                if board:
                    _other_school(server, owner)
                database = folder / f"demo-{pupils}.db"
                made = subprocess.run([*CLI, "--database", str(database), "demo", "--pupils",
                                       str(pupils)], env=env, capture_output=True, text=True)
                if made.returncode != 0:
                    raise RuntimeError(made.stderr)
                measured, out = timed([*CLI, "--database", str(database), "migrate-to",
                                       str(owner), "--app-role", pg.APPLICATION], folder, env)
                copied = re.search(r"([\d.]+) rijen overgezet", out)
                head = re.search(r"Ketenkop op de server:\s+(\d+):", out)
                if board:
                    print(out, flush=True)
                rows.append((pupils, measured, copied.group(1) if copied else "?",
                             head.group(1) if head else "?"))
                print(pupils, measured, copied and copied.group(1), flush=True)
    finally:
        server.stop()
    lines = ["## migrate-to (issue 15)", "", machine(), "",
             "`privacyregister-cli migrate-to` of a demo register into an empty database on a "
             "loopback PostgreSQL server (TLS), the whole process under `/usr/bin/time -v`: "
             "verify the local chain, make the schema, copy every table in batches of 5,000, "
             "set the sequences, verify the server's chain, commit.", "",
             "| pupils | rows copied | audit entries (chain head seq) | wall s | cpu s | "
             "peak RSS MB |", "| ---: | ---: | ---: | ---: | ---: | ---: |"]
    for pupils, measured, copied, seq in rows:
        lines.append(f"| {pupils:,} | {copied} | {seq} | {measured.seconds:.1f} | "
                     f"{measured.cpu:.1f} | {measured.peak_mb:.0f} |")
    if len(rows) >= 2:
        lines += ["", f"Peak memory {rows[-1][1].peak_mb:.0f} MB at {rows[-1][0]:,} pupils "
                  f"against {rows[0][1].peak_mb:.0f} MB at {rows[0][0]:,}: target flat.",
                  "", "Rows copied are written with the CLI's Dutch thousands separator. The "
                  "wall time beyond the CLI's processor time is the server's own work (the "
                  "inserts, the chain and every row's digest verified again on the server) on "
                  "the same shared cores."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--print-only", action="store_true")
    parser.add_argument("--board", action="store_true",
                        help="into a database that holds another school already")
    args = parser.parse_args()
    body = run(args.sizes, args.board)
    print(body)
    if not args.print_only and not args.board:
        write_section("migrate-to", body)


if __name__ == "__main__":
    sys.exit(main())
