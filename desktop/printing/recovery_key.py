"""The one-page "Herstelsleutel" PDF, printed once when a register is created."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from db.clock import SCHOOL_TZ
from db.files import create_private_file, make_private_dir
from desktop.printing.fonts import register_fonts
from desktop.printing.layout import wrap

INSTRUCTIONS = (
    "Met deze herstelsleutel opent u het privacyregister als de sleutel op deze computer "
    "verloren is gegaan, bijvoorbeeld na een herinstallatie van Windows of op een nieuwe "
    "werkplek. Zonder de sleutel kan niemand de gegevens lezen, ook wij niet.",
    "Bewaar dit papier in de kluis van de school. Maak er geen foto of scan van.",
    "Stuur de herstelsleutel nooit per e-mail, app of chat, en bewaar hem niet op de computer.",
    "Heeft iemand de sleutel gezien die hem niet mag hebben? Laat de beheerder dan een "
    "nieuwe sleutel maken en vernietig dit papier.",
    "Uw ICT-partner kan de database met deze sleutel ook met elk SQLCipher 4-programma openen.",
)


def write_recovery_pdf(pdf: Path, *, school_name: str, brin: str, database_id: str,
                       recovery_key: str, created_at: datetime) -> Path:
    """Write the recovery-key page. No other personal data than the school's name."""
    regular, bold = register_fonts()
    pdf = Path(pdf)
    make_private_dir(pdf.parent)
    create_private_file(pdf)  # the key in plain text: owner-only from the first byte
    canvas = Canvas(str(pdf), pagesize=A4, invariant=1)
    canvas.setTitle("Herstelsleutel Privacyregister")
    canvas.setAuthor("Privacyregister")
    width, height = A4
    left = 25 * mm
    y = height - 30 * mm

    canvas.setFont(bold, 22)
    canvas.drawString(left, y, "Herstelsleutel")
    canvas.setFont(regular, 11)
    canvas.setFillColor(HexColor("#555555"))
    canvas.drawString(left, y - 8 * mm, "Privacyregister — vertrouwelijk, bewaren in de kluis")
    canvas.setFillColor(HexColor("#000000"))

    y -= 24 * mm
    rows = (("School", school_name), ("BRIN", brin), ("Database", database_id),
            ("Aangemaakt op", created_at.astimezone(SCHOOL_TZ).strftime("%d-%m-%Y %H:%M")))
    for label, value in rows:
        canvas.setFont(bold, 11)
        canvas.drawString(left, y, label)
        canvas.setFont(regular, 11)
        canvas.drawString(left + 40 * mm, y, value)
        y -= 7 * mm

    y -= 6 * mm
    groups = recovery_key.split("-")
    box_height = 34 * mm
    canvas.setStrokeColor(HexColor("#1f4e79"))
    canvas.setLineWidth(1.5)
    canvas.roundRect(left, y - box_height, width - 2 * left, box_height, 4 * mm)
    canvas.setFont("Courier-Bold", 17)
    line_y = y - 11 * mm
    for start in range(0, len(groups), 5):
        canvas.drawString(left + 8 * mm, line_y, "  ".join(groups[start:start + 5]))
        line_y -= 9 * mm
    y -= box_height + 10 * mm

    canvas.setFont(bold, 13)
    canvas.drawString(left, y, "Zo gaat u ermee om")
    y -= 8 * mm
    text_width = width - 2 * left - 6 * mm
    for paragraph in INSTRUCTIONS:
        lines = wrap(paragraph, regular, 11, text_width)
        canvas.setFont(regular, 11)
        canvas.drawString(left, y, "•")
        for line in lines:
            canvas.drawString(left + 6 * mm, y, line)
            y -= 5.5 * mm
        y -= 2.5 * mm

    canvas.setFont(regular, 9)
    canvas.setFillColor(HexColor("#555555"))
    canvas.drawString(left, 20 * mm, "Letters en cijfers: O en 0, I en 1 mogen door elkaar; "
                      "hoofd- of kleine letters maakt niet uit.")
    canvas.showPage()
    canvas.save()
    return pdf

