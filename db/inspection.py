"""The inspection export: what the school must be able to show at any moment, for a period.

Qt-free facts only; desktop/printing/inspection.py lays them out as a PDF and a ZIP of CSV
files. The SHA-256 on the cover is computed over the CSV content, so an FG can check that the
paper and the files say the same.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.audit import ChainReport, Connect, audit, chain_head, verify_chain
from db.breaches import RISK_LABELS, STATUS_LABELS, breach_rows
from db.clock import SCHOOL_TZ
from db.consent_sheets import purpose_texts
from db.consents import ConsentState, state_counts
from db.errors import ValidationError
from db.permissions import Actor, Permission, require
from db.processing import (
    activity_fields,
    controller_lines,
    joined,
    processing_activities,
    register_texts,
)
from db.requests import KIND_LABELS, request_rows
from db.requests import STATUS_LABELS as REQUEST_STATUS
from db.retention import due_items
from db.schema import Erasure, Pupil, RetentionRule
from db.school import get_school, school_contact
from db.suppliers import exchange_rows, supplier_rows


@dataclass
class Section:
    """One table of the export: the PDF shows it, the ZIP holds it as <name>.csv."""

    name: str
    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    summary: str = ""


@dataclass
class Inspection:
    school_name: str
    brin: str
    fg: str
    period: tuple[date, date]
    created_at: datetime
    chain_ok: bool
    chain_message: str
    chain_head: str
    sections: list[Section]


def _d(day: date | None) -> str:
    return day.strftime("%d-%m-%Y") if day else ""


def _t(moment: datetime | None) -> str:
    return moment.astimezone(SCHOOL_TZ).strftime("%d-%m-%Y %H:%M") if moment else ""


def school_year_period(today: date) -> tuple[date, date]:
    """1 August – 31 July of the school year that `today` falls in (the export's default)."""
    from db.consents import school_year_start

    start = school_year_start(today)
    return start, date(start.year + 1, 7, 31)


def gather(session: Session, actor: Actor, start: date, end: date, *,
           now: datetime, connect: Connect | None = None) -> Inspection:
    """`connect` (Vault.reader): the audit chain is then checked on connections of its own,
    on other threads, while the sections are read here. The same export, on more cores."""
    require(actor, Permission.EXPORT)
    if end < start:
        raise ValidationError("De periode eindigt vóór ze begint.", field="period")
    today = now.astimezone(SCHOOL_TZ).date()
    school = get_school(session)
    with ThreadPoolExecutor(1) as pool:
        chain = pool.submit(_check_chain, connect) if connect is not None else None
        sections = _sections(session, actor, start, end, now, today,
                             school.name if school else "")
        report = chain.result() if chain is not None else verify_chain(session)
    head = chain_head(session)
    audit(session, actor, "inspection.export", table_name="", record_id=f"{start}/{end}")
    return Inspection(
        school_name=school.name if school else "", brin=school.brin if school else "",
        fg=" — ".join(p for p in ((school.fg_name, school.fg_email) if school else ()) if p)
        or "niet ingevuld",
        period=(start, end), created_at=now, chain_ok=report.ok,
        chain_message=report.message, chain_head=str(head or ""), sections=sections)


def _check_chain(connect: Connect) -> ChainReport:
    with connect() as connection:
        return verify_chain(connection, connect=connect)


def _sections(session: Session, actor: Actor, start: date, end: date, now: datetime,
              today: date, school_name: str) -> list[Section]:
    sections = [_processing_section(session, actor, school_name, today),
                Section("beveiliging", "Beveiligingsmaatregelen van het privacyregister",
                        ["Maatregel"], [[m] for m in register_texts()["security"]])]
    suppliers = supplier_rows(session, actor)
    sections.append(Section(
        "leveranciers", "Leveranciers en verwerkersovereenkomsten",
        ["Leverancier", "Product", "Gegevens", "Doel", "Overeenkomst", "Getekend", "Eindigt",
         "Status", "Opslag", "Subverwerkers"],
        [[s.name, s.product, s.data_categories, s.purpose,
          f"{s.agreement_model} {s.agreement_version}".strip(), _d(s.signed_on),
          _d(s.ends_on), s.agreement_state(today), s.storage_location, s.sub_processors]
         for s in suppliers]))
    sections.append(_consent_section(session, actor, today))
    sections.append(_breach_section(session, actor, start, end, now))
    sections.append(_request_section(session, actor, start, end, today))
    exchanges = exchange_rows(session, actor, start=start, end=end)
    sections.append(Section(
        "uitwisselingen", "Uitwisseling met derden in de periode",
        ["Datum", "Ontvanger", "Soort", "Gegevens", "Grondslag", "Leerlingen"],
        [[_d(x.occurred_on), x.recipient, x.recipient_kind, x.data_shared,
          {"law": "wettelijke plicht", "consent": "toestemming"}.get(x.legal_basis,
                                                                      x.legal_basis),
          str(x.pupils)] for x in exchanges]))
    sections.append(_retention_section(session, actor, today))
    sections.append(_erasure_section(session, start, end))
    return sections


def _processing_section(session: Session, actor: Actor, school_name: str,
                        today: date) -> Section:
    """The school's own register of processing activities (art. 30(1)), as it is today."""
    controller = controller_lines(school_name, school_contact(session, actor))
    rows = []
    for activity in processing_activities(session, actor):
        fields = activity_fields(activity, today, controller)
        rows.append([activity.name] + [joined(lines) for letter, _label, lines in fields
                                       if letter != "a"])
    return Section("verwerkingsregister", "Register van verwerkingsactiviteiten (AVG art. 30)",
                   ["Verwerking", "Doelen (b)", "Betrokkenen en gegevens (c)", "Ontvangers (d)",
                    "Doorgifte buiten de EU (e)", "Bewaartermijnen (f)", "Beveiliging (g)"],
                   rows, "Verwerkingsverantwoordelijke (a): " + " · ".join(controller))


def _consent_section(session: Session, actor: Actor, today: date) -> Section:
    groups = Counter(dict(session.execute(
        select(Pupil.group_name, func.count()).where((Pupil.left_on.is_(None))
                                                     | (Pupil.left_on > today))
        .group_by(Pupil.group_name)).all()))
    purposes = purpose_texts(session)
    counts = state_counts(session, actor, on=today)  # counted by the database
    rows = []
    for purpose in purposes:
        for group in sorted(groups, key=lambda g: (len(g), g)):
            given = counts[(purpose.purpose_id, group, ConsentState.GIVEN)]
            refused = counts[(purpose.purpose_id, group, ConsentState.REFUSED)]  # withdrawn too
            rows.append([purpose.title, group, str(groups[group]), str(given), str(refused),
                         str(groups[group] - given - refused)])
    return Section("toestemmingen", "Toestemmingen per doel en groep (huidige leerlingen)",
                   ["Doel", "Groep", "Leerlingen", "Toestemming", "Geen toestemming",
                    "Niet gevraagd"], rows,
                   f"{sum(groups.values())} huidige leerlingen, {len(purposes)} doelen in gebruik. "
                   "Niet gevraagd betekent: geen toestemming.")


def _breach_section(session: Session, actor: Actor, start: date, end: date,
                    now: datetime) -> Section:
    rows = breach_rows(session, actor, start=datetime.combine(start, time(), SCHOOL_TZ),
                       end=datetime.combine(end + timedelta(days=1), time(), SCHOOL_TZ))
    rows.reverse()
    late = sum(1 for r in rows if r.deadline(now).late_by is not None)
    overdue = sum(1 for r in rows if r.deadline(now).overdue)
    notified = sum(1 for r in rows if r.notified_at is not None)
    return Section(
        "datalekken", "Register datalekken met de 72-uurstermijn",
        ["Kenmerk", "Ontdekt", "Omschrijving", "Betrokkenen", "Risico", "Gemeld AP",
         "Kenmerk AP", "72-uurstermijn", "Status"],
        [[r.reference, _t(r.discovered_at), r.description, r.affected,
          RISK_LABELS.get(r.risk, ""), _t(r.notified_at), r.ap_reference,
          r.deadline(now).label, STATUS_LABELS.get(r.status, r.status)] for r in rows],
        f"{len(rows)} datalekken, {notified} gemeld bij de AP, {late} te laat gemeld, "
        f"{overdue} met verstreken termijn zonder melding.")


def _request_section(session: Session, actor: Actor, start: date, end: date,
                     today: date) -> Section:
    rows = request_rows(session, actor, start=start, end=end)
    rows.reverse()
    overdue = sum(1 for r in rows if r.overdue(today))
    late = sum(1 for r in rows if r.answered_in_time is False)
    return Section(
        "verzoeken", "Verzoeken van betrokkenen en de termijn",
        ["Nummer", "Soort", "Ontvangen", "Termijn tot", "Verlengd (maanden)", "Status",
         "Beantwoord", "Termijn"],
        [[str(r.id), KIND_LABELS.get(r.kind, r.kind), _d(r.received_on), _d(r.deadline),
          str(r.extended_months), REQUEST_STATUS.get(r.status, r.status), _d(r.answered_on),
          ("te laat" if r.answered_in_time is False else "op tijd" if r.answered_in_time
           else "termijn verstreken" if r.overdue(today) else "loopt")] for r in rows],
        f"{len(rows)} verzoeken, {late} te laat beantwoord, {overdue} open met verstreken "
        "termijn.")


def _retention_section(session: Session, actor: Actor, today: date) -> Section:
    due = Counter(item.category for item in due_items(session, actor, today))
    rules = session.execute(select(RetentionRule.category, RetentionRule.label,
                                   RetentionRule.years_after_leaving, RetentionRule.source)
                            .order_by(RetentionRule.category))
    return Section("bewaartermijnen", "Bewaartermijnen en wat te verwijderen is",
                   ["Categorie", "Termijn (jaar na vertrek)", "Bron", "Nu te verwijderen"],
                   [[label, str(years), source, str(due[category])]
                    for category, label, years, source in rules])


def _erasure_section(session: Session, start: date, end: date) -> Section:
    begin = datetime.combine(start, time(), SCHOOL_TZ)
    stop = datetime.combine(end + timedelta(days=1), time(), SCHOOL_TZ)
    tombs = session.scalars(select(Erasure).where(Erasure.erased_at >= begin,
                                                  Erasure.erased_at < stop)
                            .order_by(Erasure.erased_at))
    return Section("verwijderingen", "Verwijderingen in de periode (zonder namen)",
                   ["Datum", "Leerlingnummer (intern)", "Wat", "Reden", "Verzoek"],
                   [[_t(t.erased_at), str(t.pupil_ref), t.category, t.reason,
                     str(t.request_id or "")] for t in tombs])
