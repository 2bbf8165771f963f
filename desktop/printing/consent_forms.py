"""Consent forms (toestemmingsformulieren): one pre-filled form per pupil, fixed layout.

Drawn on the canvas (fixed-layout forms are several times faster than platypus tables); the
wrapped purpose texts are the same for every pupil, so they are laid out once per batch. Pages
are streamed to the file as they are finished (desktop.printing.streaming): memory stays flat
and the first page is on disk at once, also for a whole school of 20,000 pupils.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from db.consent_sheets import FormPupil, FormTerms, PurposeText
from db.files import create_private_file
from desktop.printing.fonts import register_fonts
from desktop.printing.layout import dutch_date, wrap
from desktop.printing.streaming import streaming_canvas
from desktop.printing.texts import form_texts

WIDTH, HEIGHT = A4
LEFT = 20 * mm
RIGHT = WIDTH - 20 * mm
BOTTOM = 18 * mm
BOX_COLUMN = 38 * mm
LINE = 3.55 * mm    # a purpose text's leading (8.5 pt): nine default purposes and three
SIGNER = 10 * mm    # signature lines still fit on one page
# the signature row: (start, end, caption key) of each line, from LEFT
SIGN_FIELDS = ((0, 72 * mm, "signer_name"), (78 * mm, 112 * mm, "signed_on"),
               (118 * mm, 170 * mm, "signature"))
GREY = HexColor("#555555")
RULE = HexColor("#c8c8c8")
BLACK = HexColor("#000000")


@dataclass(frozen=True)
class SchoolInfo:
    name: str
    brin: str


@dataclass(frozen=True)
class _Prepared:
    intro: list[str]
    purposes: list[tuple[PurposeText, list[str]]]
    change_later: list[str]
    code: str  # for the office: the print date and each purpose's text version, in form order


def form_code(purposes: list[PurposeText], printed_on: date) -> str:
    """The footer code, e.g. "Formulier 2026-11-24 · doelen 1v1 2v1 3v2": purposes numbered
    in the order the form shows them, each with the version of its text."""
    codes = " ".join(f"{n}v{p.version}" for n, p in enumerate(purposes, 1))
    return form_texts()["form_code"].format(printed=printed_on.isoformat(), purposes=codes)


def _prepare(purposes: list[PurposeText], regular: str, terms: FormTerms) -> _Prepared:
    texts = form_texts()
    body = RIGHT - LEFT
    validity = (texts["valid_school_year"].format(school_year=terms.school_year)
                if terms.asks_each_year else texts["valid_until_changed"])
    after = f"{validity} {texts['change_later']}"
    if terms.pupils_from_16:
        after = f"{after} {texts['age_16']}"
    return _Prepared(
        intro=wrap(texts["intro"], regular, 9.5, body),
        purposes=[(p, wrap(p.text, regular, 8.5, body - BOX_COLUMN)) for p in purposes],
        change_later=wrap(after, regular, 8.5, body),
        code=form_code(purposes, terms.printed_on),
    )


class _FormWriter:
    def __init__(self, canvas: Canvas, school: SchoolInfo, terms: FormTerms, code: str):
        self.c = canvas
        self.school, self.terms = school, terms
        self.regular, self.bold = register_fonts()
        self.texts = form_texts()
        self.return_by = self.texts["return_by"].format(date=dutch_date(terms.return_by))
        self.school_line = f"{school.name} · BRIN {school.brin}"
        self.code = code
        # a long school name and the code share the footer line unless they would touch
        self.code_below = (stringWidth(self.school_line, self.regular, 7.5)
                           + stringWidth(code, self.regular, 7.5) + 6 * mm > RIGHT - LEFT)
        self.pages = 0
        self.y = 0.0

    def _header(self, pupil: FormPupil, continued: bool) -> None:
        c = self.c
        c.setFont(self.regular, 9)
        c.setFillColor(GREY)
        c.drawString(LEFT, HEIGHT - 15 * mm, self.school.name)
        c.drawRightString(RIGHT, HEIGHT - 15 * mm, f"Schooljaar {self.terms.school_year}")
        c.setFillColor(BLACK)
        texts = self.texts
        if continued:
            c.setFont(self.bold, 12)
            c.drawString(LEFT, HEIGHT - 25 * mm, f"{texts['form_title']} — {pupil.name} "
                         "(vervolg)")
            self.y = HEIGHT - 34 * mm
            return
        c.setFont(self.bold, 18)
        c.drawString(LEFT, HEIGHT - 27 * mm, texts["form_title"])
        c.setFont(self.bold, 11)
        c.drawRightString(RIGHT, HEIGHT - 27 * mm, self.return_by)
        c.setFont(self.regular, 10)
        c.drawString(LEFT, HEIGHT - 33 * mm, texts["form_subtitle"])
        top = HEIGHT - 37 * mm
        c.setStrokeColor(RULE)
        c.roundRect(LEFT, top - 16 * mm, RIGHT - LEFT, 14 * mm, 2 * mm)
        fields = (("Leerling", pupil.name), ("Groep", pupil.group_name),
                  ("Geboortedatum", dutch_date(pupil.date_of_birth)),
                  (texts["printed_on"], dutch_date(self.terms.printed_on)))
        for index, (label, value) in enumerate(fields):
            x = LEFT + 4 * mm + (index % 2) * 90 * mm
            y = top - 8 * mm - (index // 2) * 6 * mm
            c.setFont(self.bold, 9.5)
            c.drawString(x, y, label)
            c.setFont(self.regular, 9.5)
            c.drawString(x + 32 * mm, y, value)
        self.y = top - 22 * mm

    def _footer(self) -> None:
        self.c.setFont(self.regular, 7.5)
        self.c.setFillColor(GREY)
        self.c.drawString(LEFT, 12 * mm, self.school_line)
        self.c.drawRightString(RIGHT, 8.5 * mm if self.code_below else 12 * mm, self.code)
        self.c.setFillColor(BLACK)

    def _room(self, needed: float, pupil: FormPupil) -> None:
        if self.y - needed < BOTTOM:
            self._footer()
            self.c.showPage()
            self.pages += 1
            self._header(pupil, continued=True)

    def _boxes(self, y: float) -> None:
        c = self.c
        x = RIGHT - BOX_COLUMN + 6 * mm
        for label in ("ja", "nee"):
            c.rect(x, y - 1, 3.6 * mm, 3.6 * mm)
            c.setFont(self.regular, 9.5)
            c.drawString(x + 5 * mm, y, label)
            x += 16 * mm

    def form(self, pupil: FormPupil, prepared: _Prepared) -> None:
        c = self.c
        self._header(pupil, continued=False)
        c.setFont(self.regular, 9.5)
        for line in prepared.intro:
            c.drawString(LEFT, self.y, line)
            self.y -= 4.1 * mm
        self.y -= 2.5 * mm
        for purpose, lines in prepared.purposes:
            self._room(5 * mm + len(lines) * LINE, pupil)
            c.setStrokeColor(RULE)
            c.line(LEFT, self.y + 4.5 * mm, RIGHT, self.y + 4.5 * mm)
            c.setStrokeColor(BLACK)
            c.setFont(self.bold, 9.5)
            c.drawString(LEFT, self.y, purpose.title)
            self._boxes(self.y)
            self.y -= 4.4 * mm
            c.setFont(self.regular, 8.5)
            for line in lines:
                c.drawString(LEFT, self.y, line)
                self.y -= LINE
            self.y -= 1.8 * mm
        signers = pupil.guardians or ("", "")
        self._room(11 * mm + len(signers) * SIGNER + len(prepared.change_later) * 3.8 * mm,
                   pupil)
        self.y -= 2 * mm
        c.setFont(self.bold, 10)
        c.drawString(LEFT, self.y, self.texts["signature_heading"])
        self.y -= 8 * mm
        for name in signers:
            c.setFont(self.regular, 9)
            c.drawString(LEFT + 1 * mm, self.y, name)
            c.setStrokeColor(RULE)
            c.setFillColor(GREY)
            c.setFont(self.regular, 7)
            for start, end, caption in SIGN_FIELDS:
                c.line(LEFT + start, self.y - 1.5, LEFT + end, self.y - 1.5)
                c.drawString(LEFT + start, self.y - 1.5 - 3 * mm, self.texts[caption])
            c.setFillColor(BLACK)
            c.setStrokeColor(BLACK)
            self.y -= SIGNER
        self.y -= 1 * mm
        c.setFont(self.regular, 8.5)
        c.setFillColor(GREY)
        for line in prepared.change_later:
            c.drawString(LEFT, self.y, line)
            self.y -= 3.8 * mm
        c.setFillColor(BLACK)
        self._footer()
        c.showPage()
        self.pages += 1


def consent_forms(pdf: Path, school: SchoolInfo, pupils: Iterable[FormPupil],
                  purposes: list[PurposeText], terms: FormTerms, *,
                  progress: Callable[[int], bool] = lambda i: True) -> int:
    """Write one consent form per pupil; stop when progress() returns False. Returns pages.
    `pupils` may be an iterator (db.consent_sheets.stream_form_pupils): each form is drawn
    when its pupil comes.

    `terms` (db.consent_sheets.form_terms) give the print date and the date the school wants
    the form back; where the school asks each school year the form says the choices hold for
    that school year, otherwise that they hold until they are changed."""
    regular, _ = register_fonts()
    create_private_file(Path(pdf))
    with open(pdf, "wb") as out:  # owner-only already; each page is written when it is done
        canvas = streaming_canvas(out, pagesize=A4, invariant=1, pageCompression=1)
        canvas.setTitle(f"{form_texts()['form_title']} {school.name}")
        canvas.setAuthor("Privacyregister")
        prepared = _prepare(purposes, regular, terms)
        writer = _FormWriter(canvas, school, terms, prepared.code)
        for index, pupil in enumerate(pupils):
            if not progress(index):
                break
            writer.form(pupil, prepared)
        canvas.save()
    return writer.pages
