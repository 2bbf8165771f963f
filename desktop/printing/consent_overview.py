"""Per-pupil consent overview: the current state of every purpose and its whole history."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from db.consent_sheets import FormPupil, OverviewLine
from db.consents import CHANNEL_LABELS, DECISION_LABELS, STATE_LABELS
from db.files import create_private_file
from desktop.printing.fonts import register_fonts
from desktop.printing.layout import dutch_date
from desktop.printing.texts import form_texts


def consent_overview_pdf(pdf: Path, school_name: str, pupil: FormPupil,
                         lines: list[OverviewLine], *, printed_on: date) -> Path:
    regular, bold = register_fonts()
    title = ParagraphStyle("title", fontName=bold, fontSize=17, leading=21, spaceAfter=4)
    normal = ParagraphStyle("normal", fontName=regular, fontSize=9.5, leading=12.5)
    heading = ParagraphStyle("heading", fontName=bold, fontSize=11, leading=14, spaceBefore=8,
                             spaceAfter=3)
    create_private_file(Path(pdf))
    doc = SimpleDocTemplate(str(pdf), pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=18 * mm, bottomMargin=18 * mm,
                            title=f"{form_texts()['overview_title']}", author="Privacyregister",
                            invariant=1)
    story = [
        Paragraph(form_texts()["overview_title"], title),
        Paragraph(f"{school_name} · afgedrukt op {dutch_date(printed_on)}", normal),
        Spacer(1, 4 * mm),
        Paragraph(f"<b>Leerling</b> {pupil.name} &nbsp; <b>Groep</b> {pupil.group_name} "
                  f"&nbsp; <b>Geboortedatum</b> {dutch_date(pupil.date_of_birth)}", normal),
        Paragraph("<b>Ouders/verzorgers met gezag</b> " + (", ".join(pupil.guardians) or "—"),
                  normal),
    ]
    for line in lines:
        story.append(Paragraph(f"{line.title} — <i>{STATE_LABELS[line.state]}</i>", heading))
        if not line.history:
            story.append(Paragraph("Nog geen keuze vastgelegd: geen toestemming.", normal))
            continue
        rows = [["Datum", "Keuze", "Versie", "Door", "Via"]]
        rows += [[dutch_date(day), DECISION_LABELS.get(decision, decision), str(version), who,
                  CHANNEL_LABELS.get(channel, channel)]
                 for day, decision, version, who, channel in line.history]
        table = Table(rows, colWidths=[24 * mm, 26 * mm, 15 * mm, 55 * mm, 50 * mm],
                      repeatRows=1)
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), regular, 9),
            ("FONT", (0, 0), (-1, 0), bold, 9),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, HexColor("#888888")),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [HexColor("#ffffff"), HexColor("#f2f4f7")]),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]))
        story.append(table)
    doc.build(story)
    return Path(pdf)
