"""Fonts for every PDF: DejaVu Sans from resources/fonts (Helvetica cannot draw "ĳ" or “ ”)."""

from __future__ import annotations

from functools import cache
from importlib.resources import as_file, files

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"


@cache
def register_fonts() -> tuple[str, str]:
    """Register the fonts once per process; returns (regular, bold) font names."""
    for name in (REGULAR, BOLD):
        with as_file(files("resources") / "fonts" / f"{name}.ttf") as path:
            pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR,
                                  boldItalic=BOLD)
    return REGULAR, BOLD
