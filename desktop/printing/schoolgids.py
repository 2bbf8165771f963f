"""The school-guide privacy paragraph (schoolgids) as DOCX, for pasting into the school guide,
and as PDF. Both lay out db.schoolgids.SchoolGuide and nothing else: the words come from the
register and the template, never from here."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
)

from db.clock import SCHOOL_TZ
from db.files import create_private_file
from db.schoolgids import MISSING_MARK, SchoolGuide
from desktop.printing.files import written_whole
from desktop.printing.fonts import register_fonts
from desktop.printing.layout import dutch_date

GREY = HexColor("#555555")
MISSING = HexColor("#a61b1b")


def _parts(text: str) -> list[tuple[str, bool]]:
    """The text split into (piece, is a missing-setting marker)."""
    parts, at = [], 0
    for match in MISSING_MARK.finditer(text):
        if match.start() > at:
            parts.append((text[at:match.start()], False))
        parts.append((match.group(0), True))
        at = match.end()
    if at < len(text):
        parts.append((text[at:], False))
    return parts


# --- DOCX ---------------------------------------------------------------------------------

def schoolgids_docx(path: Path, guide: SchoolGuide) -> Path:
    """A plain Word document: a heading per section, paragraphs and bulleted lists in the
    document's own styles, so pasting into the school guide takes on the guide's look."""
    from docx import Document
    from docx.enum.text import WD_COLOR_INDEX
    from docx.shared import Pt

    document = Document()
    document.core_properties.title = f"{guide.title} — {guide.school_name}"
    document.core_properties.author = "Privacyregister"
    moment = datetime.combine(guide.made_on, time(12), SCHOOL_TZ).replace(tzinfo=None)
    document.core_properties.created = document.core_properties.modified = moment
    document.core_properties.last_modified_by = "Privacyregister"
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(guide.title, level=1)

    def fill(paragraph, text: str) -> None:  # noqa: ANN001 - a python-docx paragraph
        for piece, missing in _parts(text):
            run = paragraph.add_run(piece)
            if missing:
                run.bold = True
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW

    for section in guide.sections:
        document.add_heading(section.title, level=2)
        for block in section.blocks:
            if block.items:
                for item in block.items:
                    fill(document.add_paragraph(style="List Bullet"), item)
            else:
                fill(document.add_paragraph(), block.text)
    create_private_file(Path(path))
    document.save(str(path))
    return Path(path)


# --- PDF ----------------------------------------------------------------------------------

def schoolgids_pdf(path: Path, guide: SchoolGuide) -> Path:
    regular, bold = register_fonts()
    title = ParagraphStyle("t", fontName=bold, fontSize=18, leading=23, spaceAfter=2)
    meta = ParagraphStyle("m", fontName=regular, fontSize=8.5, leading=11, textColor=GREY,
                          spaceAfter=8)
    heading = ParagraphStyle("h", fontName=bold, fontSize=12, leading=15, spaceBefore=9,
                             spaceAfter=3)
    body = ParagraphStyle("b", fontName=regular, fontSize=10, leading=14.2, spaceAfter=6)
    item = ParagraphStyle("i", parent=body, spaceAfter=2)

    def markup(text: str) -> str:
        return "".join(f'<font color="{MISSING.hexval()}"><b>{escape(piece)}</b></font>'
                       if missing else escape(piece) for piece, missing in _parts(text))

    story = [Paragraph(escape(guide.title), title),
             Paragraph(escape(f"{guide.school_name} · tekst voor de schoolgids, stand van het "
                              f"register op {dutch_date(guide.made_on)}"), meta)]
    for section in guide.sections:
        parts = [Paragraph(escape(section.title), heading)]
        for block in section.blocks:
            if block.items:
                parts.append(ListFlowable(
                    [ListItem(Paragraph(markup(i), item), leftIndent=12) for i in block.items],
                    bulletType="bullet", start="•", bulletFontName=regular, leftIndent=12,
                    bulletFontSize=10, spaceAfter=6))
            else:
                parts.append(Paragraph(markup(block.text), body))
        story.append(KeepTogether(parts[:2]))  # a heading never ends a page alone
        story.extend(parts[2:])
    story.append(Spacer(1, 2 * mm))
    create_private_file(Path(path))
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm,
                            topMargin=20 * mm, bottomMargin=20 * mm, invariant=1,
                            title=f"{guide.title} — {guide.school_name}",
                            author="Privacyregister")
    doc.build(story)
    return Path(path)


def write_schoolgids(target: Path, guide: SchoolGuide) -> Path:
    """DOCX or PDF by the file's extension, written whole or not at all."""
    writers = {".docx": schoolgids_docx, ".pdf": schoolgids_pdf}
    writer = writers.get(Path(target).suffix.lower())
    if writer is None:
        raise ValueError("De schoolgidstekst wordt een .docx- of een .pdf-bestand.")
    with written_whole(Path(target)) as (part,):
        writer(part, guide)
    return Path(target)
