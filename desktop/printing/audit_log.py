"""A selection of the audit log as PDF or CSV: when, who, what (in words), which record.

Qt-free: the caller hands in lines whose action is already in words (desktop/kit/labels.py).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from db.files import create_private_file, open_private
from desktop.printing.fonts import register_fonts

HEADERS = ("Volgnummer", "Tijd", "Persoon", "Actie", "Soort gegeven", "Gegeven")


@dataclass(frozen=True)
class AuditLine:
    """One entry as printed: every field already text."""

    seq: int
    at: str  # dd-mm-jjjj uu:mm at the school
    user: str
    action: str  # in words
    kind: str  # the kind of record, in words
    record: str  # its name, or its number


def _cells(line: AuditLine) -> list[str]:
    return [str(line.seq), line.at, line.user, line.action, line.kind, line.record]


def audit_log_csv(path: Path, lines: Sequence[AuditLine],
                  progress: Callable[[int, int], bool] = lambda _d, _t: True) -> Path:
    """Semicolon-separated with a BOM, so Excel (Dutch settings) opens it as columns."""
    with open_private(Path(path), "wb") as raw, \
            io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADERS)
        for number, line in enumerate(lines):
            writer.writerow(_cells(line))
            if number % 500 == 0 and not progress(number, len(lines)):
                break
    return Path(path)


def audit_log_pdf(path: Path, lines: Sequence[AuditLine], *, school_name: str,
                  selection: str, printed: str) -> Path:
    """A landscape table; `selection` says which period, person and actions were chosen."""
    regular, bold = register_fonts()
    title = ParagraphStyle("t", fontName=bold, fontSize=17, leading=21, spaceAfter=3)
    normal = ParagraphStyle("n", fontName=regular, fontSize=9.5, leading=12.5)
    cell = ParagraphStyle("c", fontName=regular, fontSize=8.5, leading=10.5)
    head = ParagraphStyle("h", fontName=bold, fontSize=8.5, leading=10.5)
    data = [[Paragraph(h, head) for h in HEADERS]]
    data += [[Paragraph(escape(value or "—"), cell) for value in _cells(line)]
             for line in lines]
    table = Table(data, colWidths=[w * mm for w in (22, 30, 45, 75, 35, 62)], repeatRows=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, HexColor("#888888")),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [HexColor("#ffffff"), HexColor("#f2f4f7")]),
    ]))
    story = [Paragraph("Auditlog", title),
             Paragraph(escape(f"{school_name} · gemaakt op {printed}"), normal),
             Paragraph(escape(selection), normal),
             Paragraph(f"{len(lines)} regels, nieuwste eerst. Het maken van deze export is "
                       "zelf ook in het auditlog vastgelegd.", normal),
             Spacer(1, 4 * mm), table]
    create_private_file(Path(path))
    SimpleDocTemplate(str(path), pagesize=landscape(A4), leftMargin=14 * mm,
                      rightMargin=14 * mm, topMargin=14 * mm, bottomMargin=14 * mm,
                      invariant=1, title="Auditlog", author="Privacyregister").build(story)
    return Path(path)
