"""The supplier list a parent may ask for: who receives pupil data, what and why."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from db.files import create_private_file
from db.suppliers import SupplierRow
from desktop.printing.fonts import register_fonts
from desktop.printing.layout import dutch_date


def supplier_list_pdf(path: Path, school_name: str, suppliers: list[SupplierRow], *,
                      printed_on: date) -> Path:
    regular, bold = register_fonts()
    title = ParagraphStyle("t", fontName=bold, fontSize=17, leading=21, spaceAfter=3)
    normal = ParagraphStyle("n", fontName=regular, fontSize=9.5, leading=12.5)
    cell = ParagraphStyle("c", fontName=regular, fontSize=8.5, leading=10.5)
    head = ParagraphStyle("h", fontName=bold, fontSize=8.5, leading=10.5)
    headers = ["Leverancier", "Product", "Welke gegevens", "Waarvoor", "Verwerkersovereenkomst",
               "Opslag", "Subverwerkers"]
    data = [[Paragraph(h, head) for h in headers]]
    for s in suppliers:
        agreement = (f"{s.agreement_model} {s.agreement_version}".strip() or "—")
        if s.signed_on:
            agreement += f", getekend {dutch_date(s.signed_on)}"
        if s.ends_on:
            agreement += f", tot {dutch_date(s.ends_on)}"
        data.append([Paragraph(escape(v or "—"), cell) for v in (
            s.name, s.product, s.data_categories, s.purpose, agreement, s.storage_location,
            s.sub_processors)])
    table = Table(data, colWidths=[w * mm for w in (32, 36, 50, 50, 48, 26, 27)], repeatRows=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, HexColor("#888888")),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [HexColor("#ffffff"), HexColor("#f2f4f7")]),
    ]))
    story = [Paragraph("Leveranciers die leerlinggegevens ontvangen", title),
             Paragraph(escape(f"{school_name} · stand van {dutch_date(printed_on)}"), normal),
             Paragraph("Met elke leverancier heeft de school een verwerkersovereenkomst: de "
                       "leverancier mag de gegevens alleen gebruiken voor het doel dat hier "
                       "staat.", normal),
             Spacer(1, 4 * mm), table]
    create_private_file(Path(path))
    SimpleDocTemplate(str(path), pagesize=landscape(A4), leftMargin=14 * mm,
                      rightMargin=14 * mm, topMargin=14 * mm, bottomMargin=14 * mm,
                      invariant=1, title="Leveranciers", author="Privacyregister").build(story)
    return Path(path)
