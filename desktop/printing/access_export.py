"""The access export (inzage) for a parent: one PDF, optionally password-protected with
AES-256 (pypdf), since it usually leaves the school by e-mail or on a stick."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from db.access_export import AccessFacts
from db.breaches import local
from db.consents import CHANNEL_LABELS, DECISION_LABELS, STATE_LABELS
from db.files import open_private
from db.requests import KIND_LABELS
from db.requests import STATUS_LABELS as REQUEST_STATUS
from desktop.printing.fonts import register_fonts
from desktop.printing.layout import dutch_date

LIGHT = HexColor("#f2f4f7")
ACTIONS = {"pupil.enrol": "ingeschreven", "pupil.import": "geïmporteerd",
           "pupil.update": "gewijzigd", "pupil.open": "kaart geopend",
           "special.read": "bijzondere gegevens ingezien", "pupil.leave": "uitgeschreven",
           "pupil.access_export": "inzage-export gemaakt", "demo.create": "aangemaakt"}


def access_export_pdf(path: Path, school_name: str, facts: AccessFacts, *,
                      printed_at: datetime, password: str | None = None) -> Path:
    regular, bold = register_fonts()
    title = ParagraphStyle("t", fontName=bold, fontSize=17, leading=21, spaceAfter=3)
    heading = ParagraphStyle("h", fontName=bold, fontSize=12, leading=15, spaceBefore=9,
                             spaceAfter=3)
    normal = ParagraphStyle("n", fontName=regular, fontSize=9.5, leading=12.5)
    cell = ParagraphStyle("c", fontName=regular, fontSize=8.5, leading=10.5)

    def p(text: str, style: ParagraphStyle = normal) -> Paragraph:
        return Paragraph(escape(text or "—"), style)

    def table(rows: list[list[str]], widths: list[float], header: bool = True) -> Table:
        data = [[p(v, cell) for v in row] for row in rows]
        t = Table(data, colWidths=[w * mm for w in widths], repeatRows=1 if header else 0)
        style = [("VALIGN", (0, 0), (-1, -1), "TOP"),
                 ("ROWBACKGROUNDS", (0, 1 if header else 0), (-1, -1),
                  [HexColor("#ffffff"), LIGHT]),
                 ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]
        if header:
            style.append(("FONT", (0, 0), (-1, 0), bold, 8.5))
            style.append(("LINEBELOW", (0, 0), (-1, 0), 0.6, HexColor("#888888")))
        t.setStyle(TableStyle(style))
        return t

    story = [p(f"Inzage in de gegevens van {facts.pupil_name}", title),
             p(f"{school_name} · afgedrukt op {local(printed_at)}"),
             p("Dit overzicht bevat alles wat in het privacyregister van de school over uw kind "
               "en over u als ouder/verzorger is vastgelegd (AVG art. 15). Klopt er iets niet, "
               "dan kunt u om correctie vragen."),
             p("Leerling", heading), table([[k, v] for k, v in facts.pupil_fields], [55, 115],
                                            header=False),
             p("Ouders/verzorgers", heading)]
    story.append(table([["Naam", "Relatie", "Gezag", "Telefoon", "E-mail", "Adres geheim"]]
                       + [[g.full_name, g.relation, "ja" if g.has_authority else "nee", g.phone,
                           g.email, "ja" if g.address_secret else "nee"]
                          for g in facts.guardians], [40, 22, 14, 28, 48, 18]))
    story.append(p("Bijzondere persoonsgegevens", heading))
    if facts.special is None:
        story.append(p("Niet opgenomen: de maker van dit overzicht mag deze gegevens niet "
                       "inzien. Vraag de directie om een volledig overzicht."))
    elif not facts.special:
        story.append(p("Geen vastgelegd."))
    else:
        story.append(table([["Soort", "Omschrijving"]] + [list(r) for r in facts.special],
                           [40, 130]))
    story.append(p("Toestemmingen", heading))
    for line in facts.consents:
        story.append(p(f"{line.title}: {STATE_LABELS[line.state]}"))
        if line.history:
            story.append(table([["Datum", "Keuze", "Versie", "Door", "Via"]] + [
                [dutch_date(d), DECISION_LABELS.get(dec, dec), str(v), who,
                 CHANNEL_LABELS.get(ch, ch)] for d, dec, v, who, ch in line.history],
                [24, 26, 14, 60, 46]))
        story.append(Spacer(1, 1.5 * mm))
    story.append(p("Uitwisseling met derden", heading))
    story.append(table([["Datum", "Ontvanger", "Gegevens", "Grondslag"]] + [
        [dutch_date(x.occurred_on), x.recipient, x.data_shared,
         {"law": "wettelijke plicht", "consent": "toestemming"}.get(x.legal_basis, "")]
        for x in facts.exchanges], [24, 50, 66, 30]) if facts.exchanges else p("Geen."))
    story.append(p("Verzoeken", heading))
    story.append(table([["Soort", "Ontvangen", "Termijn", "Status", "Beantwoord"]] + [
        [KIND_LABELS.get(r.kind, r.kind), dutch_date(r.received_on), dutch_date(r.deadline),
         REQUEST_STATUS.get(r.status, r.status), dutch_date(r.answered_on)]
        for r in facts.requests], [34, 30, 30, 40, 36]) if facts.requests else p("Geen."))
    story.append(p("Wie heeft deze gegevens geopend of gewijzigd", heading))
    story.append(table([["Wanneer", "Wie", "Wat"]] + [
        [local(at), who, ACTIONS.get(action, action)] for at, who, action in facts.readers],
        [40, 60, 70]))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                      topMargin=18 * mm, bottomMargin=18 * mm, invariant=1,
                      title="Inzage", author="Privacyregister").build(story)
    if password:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buffer.getvalue())))
        writer.encrypt(user_password=password, owner_password=None, algorithm="AES-256")
        with open_private(Path(path)) as handle:
            writer.write(handle)
    else:
        with open_private(Path(path)) as handle:
            handle.write(buffer.getvalue())
    return Path(path)
