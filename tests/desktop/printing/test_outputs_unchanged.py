"""The consent forms and the inspection export say exactly what they said before they were
streamed (issue 14): the text of every PDF page and every file of the inspection ZIP, on a
fixed demo register with a fixed clock, against golden files written by the code before that
change (tests/desktop/printing/golden/, JSON, gzip).

The chain head in the export carries hashes of the users' password hashes (salted, so new on
every run); it is masked before the comparison. Everything else must be equal.

To write the golden files again (only when an output is meant to change):
    python -m tests.desktop.printing.test_outputs_unchanged --write
"""

from __future__ import annotations

import re
import sys
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

from pypdf import PdfReader

from db.consent_sheets import FormTerms, form_pupils, purpose_texts
from db.demo import populate_demo
from db.inspection import gather
from db.permissions import SYSTEM
from desktop.printing.consent_forms import SchoolInfo, consent_forms
from desktop.printing.inspection import write_inspection
from tests.support.golden import fixed_register, read_golden, write_golden

NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
TODAY = date(2026, 11, 24)
GOLDEN = Path(__file__).parent / "golden" / "outputs_2026-11-24.json.gz"
HEAD = re.compile(r"(Ketenkop: \d+:)[0-9a-f]{64}")


def _mask(text: str) -> str:
    return HEAD.sub(r"\1<hash>", text)


def _pages(path: Path) -> list[str]:
    return [_mask(page.extract_text()) for page in PdfReader(path).pages]


def render(folder: Path) -> dict:
    """Build the fixed register in `folder` and render both outputs; their texts."""
    with fixed_register(folder, NOW) as (vault, clock):
        with vault.session() as session:
            populate_demo(session, pupils=40, seed=14, clock=clock)
        with vault.session() as session:
            pupils = form_pupils(session, SYSTEM, today=TODAY)
            purposes = purpose_texts(session)
        forms = folder / "formulieren.pdf"
        consent_forms(forms, SchoolInfo("OBS De Klimop", "12AB"), pupils, purposes,
                      FormTerms(printed_on=TODAY, return_by=date(2026, 12, 8),
                                school_year="2026-2027", asks_each_year=False,
                                pupils_from_16=False))
        with vault.session() as session:
            inspection = gather(session, SYSTEM, date(2025, 8, 1), date(2026, 7, 31), now=NOW)
        pdf, zip_path, digest = write_inspection(folder / "inspectie.pdf", inspection)
        with zipfile.ZipFile(zip_path) as archive:
            files = {name: _mask(archive.read(name).decode("utf-8"))
                     for name in archive.namelist()}
        return {"consent_forms": _pages(forms), "inspection_pdf": _pages(pdf),
                "inspection_zip": files, "inspection_digest": digest}


def test_consent_forms_and_inspection_export_say_what_they_said(tmp_path):
    expected = read_golden(GOLDEN)
    actual = render(tmp_path)
    assert len(actual["consent_forms"]) == len(expected["consent_forms"])
    for number, (page, wanted) in enumerate(zip(actual["consent_forms"],
                                                expected["consent_forms"], strict=True), 1):
        assert page == wanted, f"consent forms, page {number}"
    assert actual["inspection_zip"] == expected["inspection_zip"]
    assert actual["inspection_digest"] == expected["inspection_digest"]
    assert actual["inspection_pdf"] == expected["inspection_pdf"]


if __name__ == "__main__" and "--write" in sys.argv:
    result = write_golden(GOLDEN, render)
    print(f"{GOLDEN}: {len(result['consent_forms'])} form pages, "
          f"{len(result['inspection_pdf'])} export pages, {len(result['inspection_zip'])} files")
