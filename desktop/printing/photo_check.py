"""The fotocheck on paper, for the photographer: for these purposes, who may not be in the
photo and why, and who may."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from db.files import create_private_file
from db.photo_check import REASON_LABELS, PhotoCheck
from desktop.printing.fonts import register_fonts
from desktop.printing.layout import dutch_date
from desktop.printing.texts import form_texts

GREY = HexColor("#555555")
RED = HexColor("#a61b1b")
LIGHT = HexColor("#f7eaea")


def photo_check_pdf(path: Path, school_name: str, check: PhotoCheck, *, label: str = "") -> Path:
    """`label`: what was checked, e.g. 'groep 5A' (shown in the heading)."""
    regular, bold = register_fonts()
    texts = form_texts()
    title = ParagraphStyle("t", fontName=bold, fontSize=18, leading=22, spaceAfter=2)
    meta = ParagraphStyle("m", fontName=regular, fontSize=8.5, leading=11, textColor=GREY)
    body = ParagraphStyle("b", fontName=regular, fontSize=10, leading=13.5, spaceAfter=4)
    heading = ParagraphStyle("h", fontName=bold, fontSize=12, leading=15, spaceBefore=6,
                             spaceAfter=4)
    cell = ParagraphStyle("c", fontName=regular, fontSize=9.5, leading=12)
    name_cell = ParagraphStyle("n", fontName=bold, fontSize=9.5, leading=12, textColor=RED)
    head = ParagraphStyle("hc", fontName=bold, fontSize=8.5, leading=11)
    width = A4[0] - 40 * mm
    several = len(check.purposes) > 1

    story = [Paragraph(escape(texts["photo_check_title"] + (f" — {label}" if label else "")),
                       title),
             Paragraph(escape(f"{school_name} · stand van {dutch_date(check.on)} · schooljaar "
                              f"{check.school_year} · {check.checked} leerlingen bekeken"), meta),
             Spacer(1, 4 * mm),
             Paragraph("<b>Waarvoor de foto is:</b> " + escape("; ".join(check.purposes)),
                       body),
             Paragraph(escape(texts["photo_check_intro"]), body)]
    story.append(Paragraph(f"Mogen niet op de foto ({len(check.blocked)})", heading))
    if check.blocked:
        rows = [[Paragraph("Leerling", head), Paragraph("Groep", head),
                 Paragraph("Waarom niet", head)]]
        for blocked in check.blocked:
            why = "<br/>".join(
                escape(REASON_LABELS[reason] + (f" ({title})" if several else ""))
                for title, reason in blocked.reasons)
            rows.append([Paragraph(escape(blocked.pupil.name), name_cell),
                         Paragraph(escape(blocked.pupil.group_name), cell),
                         Paragraph(why, cell)])
        table = Table(rows, colWidths=[48 * mm, 17 * mm, width - 65 * mm], repeatRows=1)
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, GREY),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [HexColor("#ffffff"), LIGHT]),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ]))
        story.append(table)
    else:
        story.append(Paragraph(escape(texts["photo_check_none"]), body))
    story.append(Paragraph(f"Mogen op de foto ({len(check.clear)})", heading))
    story.append(Paragraph(escape(", ".join(
        f"{p.name} ({p.group_name})" for p in check.clear) or "—"), body))

    def footer(canvas, doc) -> None:  # noqa: ANN001 - reportlab's callback
        canvas.saveState()
        canvas.setFont(regular, 7.5)
        canvas.setFillColor(GREY)
        canvas.drawString(20 * mm, 10 * mm, texts["photo_check_footer"])
        canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, f"pagina {doc.page}")
        canvas.restoreState()

    create_private_file(Path(path))
    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                      topMargin=18 * mm, bottomMargin=18 * mm, invariant=1,
                      title=texts["photo_check_title"],
                      author="Privacyregister").build(story, onFirstPage=footer,
                                                      onLaterPages=footer)
    return Path(path)
