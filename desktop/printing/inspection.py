"""The inspection export as a PDF (cover page with the content's SHA-256, one part per
section) and as a ZIP of CSV files with the same content, for the FG."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    LongTable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)

from db.breaches import local
from db.files import create_private_file
from db.inspection import Inspection
from desktop.printing.files import written_whole
from desktop.printing.fonts import register_fonts
from desktop.printing.layout import dutch_date

LIGHT = HexColor("#f2f4f7")
RULE = HexColor("#888888")
MAX_PDF_ROWS = 400  # longer sections are summarised on paper; the CSV holds every row


def csv_files(inspection: Inspection) -> dict[str, bytes]:
    """One CSV per section (';', UTF-8 with BOM so Excel opens it), in a fixed order."""
    result = {}
    for section in inspection.sections:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(section.headers)
        writer.writerows(section.rows)
        result[f"{section.name}.csv"] = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    return result


def content_hash(files: dict[str, bytes]) -> str:
    """SHA-256 over every CSV, in name order: the fingerprint printed on the cover."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode("utf-8") + b"\0" + files[name] + b"\0")
    return digest.hexdigest()


def write_zip(path: Path, inspection: Inspection, files: dict[str, bytes], digest: str) -> Path:
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n"
                   for name, data in sorted(files.items()))
    info = (f"Inspectie-export {inspection.school_name} ({inspection.brin})\n"
            f"Periode: {dutch_date(inspection.period[0])} t/m {dutch_date(inspection.period[1])}\n"
            f"SHA-256 van de inhoud: {digest}\n"
            f"Auditketen: {inspection.chain_message} Ketenkop: {inspection.chain_head}\n")
    create_private_file(Path(path))
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            archive.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), data)
        archive.writestr(zipfile.ZipInfo("SHA256SUMS", (2026, 1, 1, 0, 0, 0)), sums)
        archive.writestr(zipfile.ZipInfo("LEESMIJ.txt", (2026, 1, 1, 0, 0, 0)), info)
    return path


def inspection_pdf(path: Path, inspection: Inspection, digest: str) -> Path:
    regular, bold = register_fonts()
    title = ParagraphStyle("t", fontName=bold, fontSize=20, leading=25, spaceAfter=6)
    heading = ParagraphStyle("h", fontName=bold, fontSize=13, leading=16, spaceAfter=4)
    normal = ParagraphStyle("n", fontName=regular, fontSize=10, leading=13.5)
    cell = ParagraphStyle("c", fontName=regular, fontSize=7.5, leading=9.2)
    head_cell = ParagraphStyle("hc", fontName=bold, fontSize=7.5, leading=9.2)
    create_private_file(Path(path))
    doc = SimpleDocTemplate(str(path), pagesize=landscape(A4), leftMargin=14 * mm,
                            rightMargin=14 * mm, topMargin=14 * mm, bottomMargin=14 * mm,
                            invariant=1, title="Inspectie-export", author="Privacyregister")
    width = landscape(A4)[0] - 28 * mm

    def p(text: str, style: ParagraphStyle = normal) -> Paragraph:
        return Paragraph(escape(text), style)

    start, end = inspection.period
    story = [
        p("Verantwoording privacy — inspectie-export", title),
        p(f"{inspection.school_name} (BRIN {inspection.brin})"),
        p(f"Functionaris gegevensbescherming: {inspection.fg}"),
        p(f"Periode: {dutch_date(start)} tot en met {dutch_date(end)}"),
        p(f"Gemaakt op: {local(inspection.created_at)}"),
        Spacer(1, 5 * mm),
        p("SHA-256 van de inhoud (over de CSV-bestanden in de bijbehorende ZIP):"),
        p(digest, ParagraphStyle("mono", fontName="Courier", fontSize=10, leading=13)),
        Spacer(1, 5 * mm),
        p(f"Controle auditketen: {inspection.chain_message} Ketenkop: {inspection.chain_head}"),
        Spacer(1, 5 * mm),
        p("Inhoud: " + "; ".join(s.title for s in inspection.sections) + "."),
    ]
    for section in inspection.sections:
        story += [PageBreak(), p(section.title, heading)]
        if section.summary:
            story += [p(section.summary), Spacer(1, 3 * mm)]
        if not section.rows:
            story.append(p("Geen gegevens in deze periode."))
            continue
        shown = section.rows[:MAX_PDF_ROWS]
        data = [[Paragraph(escape(h), head_cell) for h in section.headers]]
        data += [[Paragraph(escape(value), cell) for value in row] for row in shown]
        table = LongTable(data, colWidths=[width / len(section.headers)] * len(section.headers),
                          repeatRows=1)
        table.setStyle(TableStyle([
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [HexColor("#ffffff"), LIGHT]),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ]))
        story.append(table)
        if len(section.rows) > MAX_PDF_ROWS:
            story.append(p(f"… en nog {len(section.rows) - MAX_PDF_ROWS} regels: zie "
                           f"{section.name}.csv in de ZIP."))
    doc.build(story)
    return path


def write_inspection(pdf: Path, inspection: Inspection) -> tuple[Path, Path, str]:
    """The PDF and, beside it, the ZIP with the same name. Returns (pdf, zip, digest)."""
    zip_path = pdf.with_suffix(".zip")
    with written_whole(zip_path, pdf) as (zip_part, pdf_part):  # both or neither
        digest = write_inspection_parts(pdf_part, zip_part, inspection)
    return pdf, zip_path, digest


def write_inspection_parts(pdf: Path, zip_path: Path, inspection: Inspection) -> str:
    """Write the PDF and the ZIP at exactly these paths (the caller makes them whole);
    returns the SHA-256 of the content."""
    files = csv_files(inspection)
    digest = content_hash(files)
    write_zip(zip_path, inspection, files, digest)
    inspection_pdf(pdf, inspection, digest)
    return digest
