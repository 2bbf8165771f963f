"""The register of processing activities (AVG art. 30(1)) on paper: per activity fields a–g,
with the linked suppliers and retention terms as they are in the register on the day."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from db.files import create_private_file
from db.processing import Activity, activity_fields
from desktop.printing.fonts import register_fonts
from desktop.printing.layout import dutch_date

GREY = HexColor("#555555")
LIGHT = HexColor("#f2f4f7")
RULE = HexColor("#bbbbbb")
LABEL_WIDTH = 42 * mm


def processing_register_pdf(path: Path, school_name: str, controller: list[str],
                            activities: list[Activity], *, printed_on: date) -> Path:
    regular, bold = register_fonts()
    title = ParagraphStyle("t", fontName=bold, fontSize=17, leading=21, spaceAfter=2)
    meta = ParagraphStyle("m", fontName=regular, fontSize=8.5, leading=11, textColor=GREY)
    heading = ParagraphStyle("h", fontName=bold, fontSize=12, leading=15, spaceAfter=3)
    label = ParagraphStyle("l", fontName=bold, fontSize=8.5, leading=11)
    cell = ParagraphStyle("c", fontName=regular, fontSize=8.5, leading=11)
    width = A4[0] - 36 * mm

    story = [Paragraph("Register van verwerkingsactiviteiten", title),
             Paragraph(escape(f"{school_name} · AVG artikel 30, lid 1 · stand van "
                              f"{dutch_date(printed_on)} · {len(activities)} verwerkingen"),
                       meta),
             Spacer(1, 5 * mm)]
    if not activities:
        story.append(Paragraph("Er staan nog geen verwerkingen in het register.", cell))
    for number, activity in enumerate(activities, start=1):
        rows = []
        for letter, text, lines in activity_fields(activity, printed_on, controller):
            value = "<br/>".join(escape(line) for line in lines)
            rows.append([Paragraph(escape(f"{letter}. {text}"), label), Paragraph(value, cell)])
        table = Table(rows, colWidths=[LABEL_WIDTH, width - LABEL_WIDTH])
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (0, -1), LIGHT),
            ("LINEBELOW", (0, 0), (-1, -2), 0.4, RULE),
            ("BOX", (0, 0), (-1, -1), 0.6, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), 5), ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ]))
        story += [KeepTogether([Paragraph(escape(f"{number}. {activity.name}"), heading),
                                table]),
                  Spacer(1, 6 * mm)]

    def footer(canvas, doc) -> None:  # noqa: ANN001 - reportlab's callback
        canvas.saveState()
        canvas.setFont(regular, 7.5)
        canvas.setFillColor(GREY)
        canvas.drawString(18 * mm, 10 * mm, f"Register van verwerkingsactiviteiten — "
                                            f"{school_name}")
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"pagina {doc.page}")
        canvas.restoreState()

    create_private_file(Path(path))
    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                      topMargin=16 * mm, bottomMargin=18 * mm, invariant=1,
                      title="Register van verwerkingsactiviteiten",
                      author="Privacyregister").build(story, onFirstPage=footer,
                                                      onLaterPages=footer)
    return Path(path)
