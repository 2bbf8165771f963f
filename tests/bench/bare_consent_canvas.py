"""The yardstick for the consent-form benchmark: a bare reportlab canvas script that draws the
same things as the app's form (same fonts, texts, colours, boxes, lines and gaps, two guardian
names, document title and author) for N made-up pupils, with no database and no application
code. Run as a whole process: python tests/bench/bare_consent_canvas.py N OUT.pdf
"""

import json
import sys
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

ROOT = Path(__file__).resolve().parents[2]
pages, out = int(sys.argv[1]), sys.argv[2]
for name in ("DejaVuSans", "DejaVuSans-Bold"):
    pdfmetrics.registerFont(TTFont(name, str(ROOT / "resources" / "fonts" / f"{name}.ttf")))
texts = json.loads((ROOT / "resources" / "texts" / "form_texts.json").read_text("utf-8"))
purposes = json.loads((ROOT / "resources" / "texts" / "consent_purposes.json").read_text("utf-8"))
width, height = A4
left, right = 20 * mm, width - 20 * mm
intro = simpleSplit(texts["intro"], "DejaVuSans", 9.5, right - left)
wrapped = [(p["title"], simpleSplit(p["text"], "DejaVuSans", 8.5, right - left - 38 * mm))
           for p in purposes]
after = simpleSplit(f"{texts['valid_until_changed']} {texts['change_later']}", "DejaVuSans", 8.5,
                    right - left)
code = texts["form_code"].format(printed="2026-11-24", purposes=" ".join(
    f"{n}v1" for n in range(1, len(purposes) + 1)))
grey, rule, black = HexColor("#555555"), HexColor("#c8c8c8"), HexColor("#000000")
c = Canvas(out, pagesize=A4, invariant=1, pageCompression=1)
c.setTitle(f"{texts['form_title']} OBS De Regenboog")
c.setAuthor("Privacyregister")
for n in range(pages):
    c.setFont("DejaVuSans", 9)
    c.setFillColor(grey)
    c.drawString(left, height - 15 * mm, "OBS De Regenboog")
    c.drawRightString(right, height - 15 * mm, "Schooljaar 2026-2027")
    c.setFillColor(black)
    c.setFont("DejaVuSans-Bold", 18)
    c.drawString(left, height - 27 * mm, texts["form_title"])
    c.setFont("DejaVuSans-Bold", 11)
    c.drawRightString(right, height - 27 * mm, texts["return_by"].format(date="08-12-2026"))
    c.setFont("DejaVuSans", 10)
    c.drawString(left, height - 33 * mm, texts["form_subtitle"])
    c.setStrokeColor(rule)
    c.roundRect(left, height - 53 * mm, right - left, 14 * mm, 2 * mm)
    for i, (label, value) in enumerate((("Leerling", f"Kind {n}"), ("Groep", "5A"),
                                        ("Geboortedatum", "01-01-2017"),
                                        (texts["printed_on"], "24-11-2026"))):
        x, y = left + 4 * mm + (i % 2) * 90 * mm, height - 45 * mm - (i // 2) * 6 * mm
        c.setFont("DejaVuSans-Bold", 9.5)
        c.drawString(x, y, label)
        c.setFont("DejaVuSans", 9.5)
        c.drawString(x + 32 * mm, y, value)
    y = height - 59 * mm
    c.setFont("DejaVuSans", 9.5)
    for line in intro:
        c.drawString(left, y, line)
        y -= 4.1 * mm
    y -= 2.5 * mm
    for title, lines in wrapped:
        c.setStrokeColor(rule)
        c.line(left, y + 4.5 * mm, right, y + 4.5 * mm)
        c.setStrokeColor(black)
        c.setFont("DejaVuSans-Bold", 9.5)
        c.drawString(left, y, title)
        for k, label in enumerate(("ja", "nee")):
            x = right - 38 * mm + 6 * mm + k * 16 * mm
            c.rect(x, y - 1, 3.6 * mm, 3.6 * mm)
            c.setFont("DejaVuSans", 9.5)
            c.drawString(x + 5 * mm, y, label)
        y -= 4.4 * mm
        c.setFont("DejaVuSans", 8.5)
        for line in lines:
            c.drawString(left, y, line)
            y -= 3.7 * mm
        y -= 2.2 * mm
    y -= 2 * mm
    c.setFont("DejaVuSans-Bold", 10)
    c.drawString(left, y, texts["signature_heading"])
    y -= 8 * mm
    for name in (f"Ouder Een {n}", f"Ouder Twee {n}"):
        c.setFont("DejaVuSans", 9)
        c.drawString(left + 1 * mm, y, name)
        c.setStrokeColor(rule)
        c.setFillColor(grey)
        c.setFont("DejaVuSans", 7)
        for start, end, caption in ((0, 72, "signer_name"), (78, 112, "signed_on"),
                                    (118, 170, "signature")):
            c.line(left + start * mm, y - 1.5, left + end * mm, y - 1.5)
            c.drawString(left + start * mm, y - 1.5 - 3 * mm, texts[caption])
        c.setFillColor(black)
        c.setStrokeColor(black)
        y -= 11 * mm
    y -= 1 * mm
    c.setFont("DejaVuSans", 8.5)
    c.setFillColor(grey)
    for line in after:
        c.drawString(left, y, line)
        y -= 3.8 * mm
    c.setFillColor(black)
    c.setFont("DejaVuSans", 7.5)
    c.setFillColor(grey)
    c.drawString(left, 12 * mm, "OBS De Regenboog · BRIN 12AB")
    c.drawRightString(right, 12 * mm, code)
    c.setFillColor(black)
    c.showPage()
c.save()
