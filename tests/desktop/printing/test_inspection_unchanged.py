"""The inspection export writes the same bytes as before issue 14 made it fast (consents
counted in SQL, the chain check streamed): every CSV file of the ZIP byte for byte, the
content digest, and the text of every PDF page, on a 600-pupil demo register (pupils who
left, refusals, withdrawals, several school years) with a fixed clock, also when the school
asks consent each school year. Golden file written by the code before that change
(tests/desktop/printing/golden/, JSON, gzip).

The chain head carries hashes of the users' salted password hashes (new on every run); it is
masked in the PDF text (also where the line breaks before it) and in LEESMIJ.txt. The CSV
files do not carry it.

To write the golden file again (only when the export is meant to change):
    python -m tests.desktop.printing.test_inspection_unchanged --write
"""

from __future__ import annotations

import hashlib
import re
import sys
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import select

from db.consents import set_year_rhythm
from db.demo import populate_demo
from db.inspection import gather
from db.permissions import SYSTEM
from db.schema import Role, User
from desktop.printing.inspection import write_inspection
from tests.support.golden import fixed_register, read_golden, write_golden

NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
GOLDEN = Path(__file__).parent / "golden" / "inspection_600_2026-11-24.json.gz"
HEAD = re.compile(r"Ketenkop:\s*(\d+):[0-9a-f]{64}")  # where the line breaks depends on it
# (from, to, ask consent each school year): the last export counts this school year only
EXPORTS = ((date(2025, 8, 1), date(2026, 7, 31), False),
           (date(2020, 1, 1), date(2026, 12, 31), False),
           (date(2026, 8, 1), date(2027, 7, 31), True))


def _mask(text: str) -> str:
    return HEAD.sub(r"Ketenkop: \1:<hash>", text)


def render(folder: Path) -> dict:
    with fixed_register(folder, NOW) as (vault, clock):
        with vault.session() as session:
            populate_demo(session, pupils=600, seed=41, clock=clock)
        result = {}
        for number, (start, end, yearly) in enumerate(EXPORTS):
            with vault.session() as session:
                if yearly:
                    director = session.scalar(select(User).where(User.role == Role.DIRECTIE))
                    set_year_rhythm(session, director, ask_each_year=True,
                                    closing_month_day=(10, 1))
            with vault.session() as session:  # the chain checked on connections of its own
                inspection = gather(session, SYSTEM, start, end, now=NOW,  # from the second
                                    **({"connect": vault.reader} if number else {}))
            pdf, zip_path, digest = write_inspection(folder / f"inspectie{number}.pdf",
                                                     inspection)
            with zipfile.ZipFile(zip_path) as archive:
                files = {name: archive.read(name) for name in archive.namelist()}
            result[f"{start}/{end}/{yearly}"] = {
                "digest": digest, "chain_ok": inspection.chain_ok,
                "chain_message": inspection.chain_message,
                "csv_sha256": {name: hashlib.sha256(data).hexdigest()
                               for name, data in files.items() if name.endswith(".csv")},
                "consents_csv": files["toestemmingen.csv"].decode("utf-8"),
                "other_files": {name: _mask(data.decode("utf-8"))
                                for name, data in files.items() if not name.endswith(".csv")},
                "pdf": [_mask(page.extract_text()) for page in PdfReader(pdf).pages]}
        return result


def test_the_inspection_export_writes_what_it_wrote(tmp_path):
    expected = read_golden(GOLDEN)
    actual = render(tmp_path)
    assert sorted(actual) == sorted(expected)
    for period, wanted in expected.items():
        got = actual[period]
        assert got["consents_csv"] == wanted["consents_csv"], period
        assert got["csv_sha256"] == wanted["csv_sha256"], period
        assert got["digest"] == wanted["digest"], period
        assert (got["chain_ok"], got["chain_message"]) == (wanted["chain_ok"],
                                                           wanted["chain_message"])
        assert got["other_files"] == wanted["other_files"], period
        assert len(got["pdf"]) == len(wanted["pdf"]), period
        for number, (page, page_wanted) in enumerate(zip(got["pdf"], wanted["pdf"],
                                                         strict=True), 1):
            assert page == page_wanted, f"{period}, page {number}"


if __name__ == "__main__" and "--write" in sys.argv:
    written = write_golden(GOLDEN, render)
    print(f"{GOLDEN}: " + "; ".join(f"{period}: {len(v['pdf'])} pages, {v['digest'][:12]}"
                                    for period, v in written.items()))
