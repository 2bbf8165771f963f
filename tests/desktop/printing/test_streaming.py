"""Consent forms are streamed (issue 14): each page is in the file as soon as it is drawn, the
memory does not grow with the number of pages, and the file is an ordinary, valid PDF."""

import json
import re
import tracemalloc
from datetime import date
from importlib.resources import files
from pathlib import Path

from pypdf import PdfReader

from db.consent_sheets import FormPupil, FormTerms, PurposeText
from desktop.printing.consent_forms import SchoolInfo, consent_forms

TERMS = FormTerms(printed_on=date(2026, 11, 24), return_by=date(2026, 12, 8),
                  school_year="2026-2027", asks_each_year=False, pupils_from_16=False)
SCHOOL = SchoolInfo("OBS De Klimop", "12AB")


def _purposes() -> list[PurposeText]:
    defaults = json.loads((files("resources") / "texts" / "consent_purposes.json")
                          .read_text("utf-8"))
    return [PurposeText(n, p["title"], p["text"], 1, p["is_image"])
            for n, p in enumerate(defaults, 1)]


def _pupils(count: int) -> list[FormPupil]:
    return [FormPupil(n, f"Kind {n}", "5A", date(2017, 1, 1), ("Ouder Een", "Ouder Twee"))
            for n in range(count)]


def test_each_page_is_in_the_file_before_the_next_is_drawn(tmp_path):
    out = tmp_path / "formulieren.pdf"
    on_disk = []

    def progress(index: int) -> bool:
        on_disk.append(out.read_bytes().count(b"/Type /Page\n"))
        return True

    assert consent_forms(out, SCHOOL, _pupils(8), _purposes(), TERMS, progress=progress) == 8
    # the first page is flushed at once; after it only the file's 8 KB buffer (two pages of
    # ~4 KB) stands between a finished page and the disk
    assert on_disk[:2] == [0, 1]
    assert all(index - 2 <= count <= index for index, count in enumerate(on_disk))
    assert [page.extract_text().split("Leerling")[1].split("Groep")[0].strip()
            for page in PdfReader(out).pages] == [f"Kind {n}" for n in range(8)]


def test_memory_does_not_grow_with_the_pages(tmp_path):
    purposes = _purposes()
    consent_forms(tmp_path / "warm.pdf", SCHOOL, _pupils(5), purposes, TERMS)  # fonts loaded
    pupils = _pupils(300)
    tracemalloc.start()
    try:
        consent_forms(tmp_path / "groot.pdf", SCHOOL, pupils, purposes, TERMS)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # 600 pages measured: 1.5 MB streamed, 14 MB when reportlab kept every page until save()
    assert peak < 4_000_000


def test_streamed_file_is_a_valid_pdf_with_a_true_cross_reference_table(tmp_path):
    out = tmp_path / "formulieren.pdf"
    consent_forms(out, SCHOOL, _pupils(30), _purposes(), TERMS)
    data = out.read_bytes()
    assert data.startswith(b"%PDF-1.") and data.rstrip().endswith(b"%%EOF")
    start = int(re.search(rb"startxref\s+(\d+)", data).group(1))
    table = data[start:].split(b"trailer")[0].split(b"\n")
    assert table[0] == b"xref"
    first, count = (int(n) for n in table[1].split())
    entries = table[2:2 + count]
    for number, entry in enumerate(entries[1:], first + 1):  # entry 0 is the free head
        offset = int(entry.split()[0])
        assert data[offset:].startswith(f"{number} 0 obj".encode()), number
    reader = PdfReader(out, strict=True)
    assert len(reader.pages) == 30
    assert reader.metadata.title == "Toestemmingsformulier OBS De Klimop"


def test_cancelled_print_leaves_a_valid_pdf_of_the_pages_done(tmp_path):
    out = tmp_path / "formulieren.pdf"
    pages = consent_forms(out, SCHOOL, _pupils(10), _purposes(), TERMS,
                          progress=lambda index: index < 3)
    assert pages == 3 and len(PdfReader(out, strict=True).pages) == 3


def test_a_second_print_in_the_same_process_is_the_same_file(tmp_path):
    one, two = Path(tmp_path / "een.pdf"), Path(tmp_path / "twee.pdf")
    for out in (one, two):
        consent_forms(out, SCHOOL, _pupils(3), _purposes(), TERMS)
    assert one.read_bytes() == two.read_bytes()


def test_text_formatted_once_and_repeated_gives_the_same_bytes(tmp_path, monkeypatch):
    """The canvas that formats a repeated string once (streaming_canvas(repeat=True), what
    consent_forms uses) writes the very file that formatting every string gives: forms with
    one, two and three guardians, long names and a purpose over two pages' worth of text."""
    import desktop.printing.consent_forms as forms
    from desktop.printing import streaming

    pupils = [FormPupil(n, f"Kind {n} van der Ĳsselmeer-Ærø", "5A", date(2017, 1, 1),
                        ("Ouder Een", "Ouder Twee", "Voogd Drie")[: 1 + n % 3])
              for n in range(7)]
    purposes = _purposes()
    purposes.append(PurposeText(99, "Lange tekst", " ".join(["Een “lange” zin, ĳs."] * 160), 2,
                                False))
    written = {}
    for repeat in (False, True):
        calls = []

        def canvas(out, *, _repeat=repeat, _calls=calls, **kwargs):  # noqa: ANN001, ANN003, ANN202
            made = streaming.streaming_canvas(out, repeat=_repeat, **kwargs)
            _calls.append(type(made).__name__)
            return made

        monkeypatch.setattr(forms, "streaming_canvas", canvas)
        out = tmp_path / f"repeat-{repeat}.pdf"
        pages = consent_forms(out, SCHOOL, pupils, purposes, TERMS)
        written[repeat] = out.read_bytes()
        assert calls == (["_RepeatingCanvas"] if repeat else ["Canvas"])
    assert pages > len(pupils)  # the long purpose carries forms over to a second page
    assert written[True] == written[False]
