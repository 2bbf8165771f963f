"""'Niet op de foto': per group, for each image purpose, the pupils without consent. Names only,
one page per group, for teachers and the school photographer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from db.consent_sheets import PhotoList
from db.files import create_private_file
from desktop.printing.fonts import register_fonts
from desktop.printing.layout import dutch_date, wrap
from desktop.printing.texts import form_texts

WIDTH, HEIGHT = A4
LEFT, RIGHT = 20 * mm, WIDTH - 20 * mm
COLUMNS = 3
GREY = HexColor("#555555")
RED = HexColor("#a61b1b")
BLACK = HexColor("#000000")


def photo_list_pdf(pdf: Path, school_name: str, lists: list[PhotoList], *, printed_on: date,
                   progress: Callable[[int], bool] = lambda i: True) -> int:
    """One page per group. Returns pages written."""
    regular, bold = register_fonts()
    texts = form_texts()
    create_private_file(Path(pdf))
    canvas = Canvas(str(pdf), pagesize=A4, invariant=1, pageCompression=1)
    canvas.setTitle(f"{texts['photo_list_title']} — {school_name}")
    canvas.setAuthor("Privacyregister")
    intro = wrap(texts["photo_list_intro"], regular, 9, RIGHT - LEFT)
    column_width = (RIGHT - LEFT) / COLUMNS
    pages = 0
    for index, group in enumerate(lists):
        if not progress(index):
            break
        c = canvas
        c.setFont(regular, 9)
        c.setFillColor(GREY)
        c.drawString(LEFT, HEIGHT - 15 * mm, school_name)
        c.drawRightString(RIGHT, HEIGHT - 15 * mm, f"Afgedrukt op {dutch_date(printed_on)}")
        c.setFillColor(BLACK)
        c.setFont(bold, 20)
        c.drawString(LEFT, HEIGHT - 28 * mm, f"{texts['photo_list_title']} — groep "
                     f"{group.group_name}")
        c.setFont(regular, 9)
        y = HEIGHT - 36 * mm
        for line in intro:
            c.drawString(LEFT, y, line)
            y -= 4.2 * mm
        y -= 4 * mm
        for title, names in group.by_purpose:
            c.setFont(bold, 11)
            c.drawString(LEFT, y, title)
            c.setFont(regular, 9)
            c.setFillColor(GREY)
            c.drawRightString(RIGHT, y, f"{len(names)} van {group.pupils_in_group}")
            c.setFillColor(BLACK)
            y -= 5.5 * mm
            if not names:
                c.setFont(regular, 10)
                c.drawString(LEFT + 4 * mm, y, texts["photo_list_none"])
                y -= 8 * mm
                continue
            c.setFont(regular, 10)
            c.setFillColor(RED)
            rows = -(-len(names) // COLUMNS)
            for n, name in enumerate(sorted(names, key=lambda s: s.split()[-1])):
                column, row = divmod(n, rows)
                c.drawString(LEFT + 4 * mm + column * column_width, y - row * 4.6 * mm,
                             f"• {name}")
            c.setFillColor(BLACK)
            y -= rows * 4.6 * mm + 4 * mm
        c.setFont(regular, 7.5)
        c.setFillColor(GREY)
        c.drawString(LEFT, 12 * mm, "Vertrouwelijk — Privacyregister")
        c.setFillColor(BLACK)
        c.showPage()
        pages += 1
    canvas.save()
    return pages
