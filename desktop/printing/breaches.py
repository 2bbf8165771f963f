"""Breach prints: one breach's report, and the breach register for a period (for the board,
the FG or the Autoriteit Persoonsgegevens)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    LongTable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from db.board import BoardBreachRegister, BoardBreachRow
from db.breaches import (
    DATA_CATEGORIES,
    FACT_LABELS,
    GROUPS,
    NATURES,
    RISK_LABELS,
    STATUS_LABELS,
    BreachReport,
    BreachRow,
    local,
)
from db.files import create_private_file
from desktop.printing.fonts import register_fonts
from desktop.printing.layout import dutch_date

GREY = HexColor("#555555")
LIGHT = HexColor("#f2f4f7")
RULE = HexColor("#888888")
RED = HexColor("#a61b1b")


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = register_fonts()
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=17, leading=21, spaceAfter=3),
        "normal": ParagraphStyle("normal", fontName=regular, fontSize=9.5, leading=12.5),
        "small": ParagraphStyle("small", fontName=regular, fontSize=8, leading=10),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=8, leading=9.8),
        "heading": ParagraphStyle("heading", fontName=bold, fontSize=11.5, leading=14,
                                  spaceBefore=9, spaceAfter=3),
        "label": ParagraphStyle("label", fontName=bold, fontSize=9, leading=12),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text or "—").replace("\n", "<br/>"), style)


def _codes(text: str, labels: dict[str, str]) -> str:
    return ", ".join(labels.get(code, code) for code in text.split(",") if code) or "—"


def breach_report_pdf(pdf: Path, report: BreachReport, *, printed_at: datetime) -> Path:
    s = _styles()
    b = report.breach
    create_private_file(Path(pdf))
    doc = SimpleDocTemplate(str(pdf), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                            topMargin=16 * mm, bottomMargin=16 * mm, invariant=1,
                            title=f"Datalek {b.reference}", author="Privacyregister")

    def rows(pairs: list[tuple[str, str]]) -> Table:
        table = Table([[_p(k, s["label"]), _p(v, s["normal"])] for k, v in pairs],
                      colWidths=[48 * mm, 126 * mm])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]))
        return table

    affected = ("onbekend" if b.affected_min is None and b.affected_max is None else
                str(b.affected_min) if b.affected_max in (None, b.affected_min) else
                f"{b.affected_min or 0} tot {b.affected_max}")
    story = [
        _p(f"Datalek {b.reference}", s["title"]),
        _p(f"{report.school_name} · status: {STATUS_LABELS.get(b.status, b.status)} · "
           f"afgedrukt op {local(printed_at)}", s["normal"]),
        Paragraph("Wat is er gebeurd", s["heading"]),
        rows([("Omschrijving", b.description),
              ("Aard", _codes(b.nature, NATURES)),
              ("Gegevens", _codes(b.data_categories, DATA_CATEGORIES)),
              ("Bijzondere persoonsgegevens", "ja" if b.special_categories else "nee"),
              ("Betrokkenen", f"{_codes(b.affected_groups, GROUPS)} ({affected})"),
              ("Gegevens versleuteld", "ja" if b.data_encrypted else "nee"),
              ("Oorzaak", b.cause), ("Gevolgen", b.consequences),
              ("Gemeld door", b.reported_by)]),
        Paragraph("Tijdlijn", s["heading"]),
        rows([("Begonnen", local(b.started_at) if b.started_at else "onbekend"),
              ("Ontdekt", local(b.discovered_at)),
              ("Beëindigd", "nog gaande" if b.ongoing else
               (local(b.ended_at) if b.ended_at else "onbekend")),
              ("72-uurstermijn tot", local(report.deadline_at)),
              ("Gemeld bij de AP", local(b.notified_at) if b.notified_at else "niet gemeld"),
              ("Kenmerk AP", b.ap_reference or "—"),
              *([("Redenen voor de late melding", b.late_reason)] if b.late_reason else []),
              ("Aanvulling bij de AP", local(b.supplemented_at)),
              ("Uitkomst 72 uur", report.deadline_label)]),
        Paragraph("Beoordeling", s["heading"]),
        rows([("Risico", RISK_LABELS.get(b.risk, "nog niet beoordeeld")),
              ("Onderbouwing", b.risk_reasons),
              ("Melden bij de AP", {True: "ja", False: "nee", None: "nog niet besloten"}
               [b.notify_ap]),
              ("Reden", b.notify_reason),
              ("Betrokkenen ingelicht", {True: f"ja, {local(b.informed_at)}: {b.informed_how}",
                                         False: f"nee: {b.not_informed_reason}",
                                         None: "nog niet besloten"}[b.subjects_informed])]),
    ]
    story.append(Paragraph("Maatregelen", s["heading"]))
    if report.measures:
        data = [["Soort", "Maatregel", "Eigenaar", "Gereed op", "Uitgevoerd"]]
        data += [[{"corrective": "herstellend", "preventive": "preventief"}[m.kind],
                  _p(m.description, s["cell"]), _p(m.owner, s["cell"]), dutch_date(m.due_on),
                  dutch_date(m.done_on)] for m in report.measures]
        story.append(_grid(data, [24 * mm, 70 * mm, 36 * mm, 22 * mm, 22 * mm]))
    else:
        story.append(_p("Geen maatregelen vastgelegd.", s["normal"]))
    story.append(Paragraph("Aftekening", s["heading"]))
    story.append(rows([("Geregistreerd door", report.created_by),
                       ("Afgetekend door", report.signed_off_by or "nog niet afgetekend"),
                       ("Afgetekend op", local(b.signed_off_at))]))
    if report.amendments:
        story.append(Paragraph("Aanvullingen na aftekening", s["heading"]))
        for amendment in report.amendments:
            story.append(KeepTogether([_p(f"{local(amendment.created_at)} — {amendment.author} "
                                          f"(over: {FACT_LABELS[amendment.fact]})",
                                          s["label"]), _p(amendment.text, s["normal"]),
                                       Spacer(1, 2 * mm)]))
    story += [Spacer(1, 6 * mm), _p(f"Auditketen bij afdrukken: {report.chain_head}",
                                    s["small"])]
    doc.build(story)
    return Path(pdf)


def _grid(data: list[list], widths: list[float], *, long: bool = False) -> Table:
    regular, bold = register_fonts()
    table = (LongTable if long else Table)(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), regular, 8),
        ("FONT", (0, 0), (-1, 0), bold, 8),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [HexColor("#ffffff"), LIGHT]),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def breach_register_pdf(pdf: Path, school_name: str, rows: list[BreachRow], *,
                        period: tuple[date, date], now: datetime, chain_head: str = "",
                        progress: Callable[[int], bool] = lambda i: True) -> Path:
    """The register of a period: every breach and the 72-hour outcome of each."""
    s = _styles()
    create_private_file(Path(pdf))
    doc = SimpleDocTemplate(str(pdf), pagesize=landscape(A4), leftMargin=14 * mm,
                            rightMargin=14 * mm, topMargin=14 * mm, bottomMargin=14 * mm,
                            invariant=1, title="Register datalekken", author="Privacyregister")
    notified = sum(1 for r in rows if r.notified_at is not None)
    late = sum(1 for r in rows if r.deadline(now).late_by is not None)
    overdue = sum(1 for r in rows if r.deadline(now).overdue)
    story = [
        _p("Register datalekken", s["title"]),
        _p(f"{school_name} · periode {dutch_date(period[0])} tot en met "
           f"{dutch_date(period[1])} · afgedrukt op {local(now)}", s["normal"]),
        _p(f"{len(rows)} datalekken geregistreerd, {notified} gemeld bij de Autoriteit "
           f"Persoonsgegevens, waarvan {late} na de termijn van 72 uur; {overdue} met een "
           "verstreken termijn zonder melding. Ook lekken die niet zijn gemeld, staan in dit "
           "register (AVG art. 33 lid 5).", s["normal"]),
        Spacer(1, 4 * mm),
    ]
    data = [["Kenmerk", "Ontdekt", "Wat is er gebeurd", "Betrokkenen", "Risico",
             "Melding AP", "72-uurstermijn", "Status"]]
    for index, row in enumerate(rows):
        if index % 50 == 0 and not progress(index):
            break
        melding = (f"{local(row.notified_at)}\n{row.ap_reference}".strip()
                   if row.notified_at else "niet gemeld")
        data.append([row.reference, local(row.discovered_at),
                     _p(row.description, s["cell"]), row.affected,
                     RISK_LABELS.get(row.risk, "—"), melding,
                     _p(row.deadline(now).label + (f" Redenen: {row.late_reason}"
                                                   if row.late_reason else ""), s["cell"]),
                     STATUS_LABELS.get(row.status, row.status)])
    if len(data) == 1:
        story.append(_p("Geen datalekken in deze periode.", s["normal"]))
    else:
        story.append(_grid(data, [24 * mm, 27 * mm, 78 * mm, 22 * mm, 20 * mm, 30 * mm,
                                  40 * mm, 28 * mm], long=True))
    if chain_head:
        story += [Spacer(1, 5 * mm), _p(f"Auditketen bij afdrukken: {chain_head}", s["small"])]
    doc.build(story)
    return Path(pdf)



def _informed(row: BoardBreachRow) -> str:
    if row.subjects_informed is None:
        return "nog niet besloten"
    if not row.subjects_informed:
        return "nee"
    return f"ja, {local(row.informed_at)}" if row.informed_at else "ja"


def _measures(row: BoardBreachRow) -> str:
    kinds = {"corrective": "herstellend", "preventive": "preventief"}
    return "\n".join(
        f"{kinds.get(m.kind, m.kind)}: {m.description}"
        + (f" (uitgevoerd {dutch_date(m.done_on)})" if m.done_on else " (nog niet uitgevoerd)")
        for m in row.measures) or "geen vastgelegd"


def _schools(count: int) -> str:
    return "1 school" if count == 1 else f"{count} scholen"


def board_breach_register_pdf(pdf: Path, register: BoardBreachRegister, *,
                              progress: Callable[[int], bool] = lambda i: True) -> Path:
    """The board's register of a period (AVG art. 33(5) for the controller): per school its
    breaches with what kind they were, the risk, the notification to the AP (when, and
    whether late), whether the people were informed, the measures and the status."""
    s = _styles()
    create_private_file(Path(pdf))
    doc = SimpleDocTemplate(str(pdf), pagesize=landscape(A4), leftMargin=12 * mm,
                            rightMargin=12 * mm, topMargin=14 * mm, bottomMargin=14 * mm,
                            invariant=1, title="Register datalekken van het bestuur",
                            author="Privacyregister")
    now = register.now
    first, last = register.period
    story = [
        _p("Register datalekken van het bestuur", s["title"]),
        _p(f"{_schools(len(register.schools))} · periode {dutch_date(first)} tot en met "
           f"{dutch_date(last)} · afgedrukt op {local(now)}", s["normal"]),
        _p(f"{register.count} datalekken geregistreerd. Ook lekken die niet zijn gemeld, "
           "staan in dit register (AVG art. 33 lid 5); het bestuur is de "
           "verwerkingsverantwoordelijke van al zijn scholen.", s["normal"]),
        Spacer(1, 3 * mm),
    ]
    totals = [["School", "BRIN", "Datalekken", "Gemeld bij de AP", "Te laat gemeld",
               "Termijn verstreken zonder melding"]]
    for school in register.schools:
        rows = [row.breach for row in school.rows]
        totals.append([_p(school.name, s["cell"]), school.brin, str(len(rows)),
                       str(sum(1 for r in rows if r.notified_at is not None)),
                       str(sum(1 for r in rows if r.deadline(now).late_by is not None)),
                       str(sum(1 for r in rows if r.deadline(now).overdue))])
    summary = _grid(totals, [80 * mm, 20 * mm, 25 * mm, 32 * mm, 30 * mm, 55 * mm], long=True)
    summary.hAlign = "LEFT"
    story += [summary, Spacer(1, 5 * mm)]
    data = [["School", "Kenmerk", "Ontdekt", "Aard", "Risico", "Melding AP", "Ingelicht",
             "Maatregelen", "Status"]]
    index = 0
    for school in register.schools:
        for row in school.rows:
            if index % 50 == 0 and not progress(index):
                break
            index += 1
            breach = row.breach
            status = breach.deadline(now)
            if breach.notified_at is not None:
                melding = f"{local(breach.notified_at)} {breach.ap_reference}".strip()
                melding += f"\n{status.label}"  # op tijd, or te laat (and by how much)
                if breach.late_reason:
                    melding += f"\nRedenen: {breach.late_reason}"
            else:
                melding = status.label
            data.append([_p(school.name, s["cell"]), breach.reference,
                         _p(local(breach.discovered_at), s["cell"]),
                         _p(_codes(row.nature, NATURES), s["cell"]),
                         _p(RISK_LABELS.get(breach.risk, "nog niet beoordeeld"), s["cell"]),
                         _p(melding, s["cell"]), _p(_informed(row), s["cell"]),
                         _p(_measures(row), s["cell"]),
                         _p(STATUS_LABELS.get(breach.status, breach.status), s["cell"])])
    if len(data) == 1:
        story.append(_p("Geen datalekken in deze periode.", s["normal"]))
    else:
        story.append(_grid(data, [34 * mm, 22 * mm, 25 * mm, 30 * mm, 25 * mm, 42 * mm,
                                  24 * mm, 49 * mm, 22 * mm], long=True))
    story += [Spacer(1, 5 * mm), _p("Auditketen per school bij afdrukken:", s["small"])]
    story += [_p(f"{school.name}: {school.chain_head}", s["small"]) for school in register.schools]
    doc.build(story)
    return Path(pdf)
