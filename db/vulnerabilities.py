"""Kwetsbaarheidsmeldingen (responsible disclosure), as the school guide promises: a quick
reply, an expected fix date, the reporter kept informed, confidential, a pseudonym allowed,
credit when wanted; linked to a breach when data was exposed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.audit import audit
from db.clock import Clock, system_clock
from db.errors import NotFoundError, ValidationError
from db.permissions import Actor, Permission, require
from db.schema import Breach, User, VulnerabilityReport

REPLY_WITHIN = timedelta(days=3)  # "zo spoedig mogelijk": the register flags a later reply


@dataclass
class ReportInput:
    received_at: datetime
    description: str
    reporter: str = ""      # name or pseudonym
    contact: str = ""
    credit_wanted: bool = False


def _get(session: Session, report_id: int) -> VulnerabilityReport:
    report = session.get(VulnerabilityReport, report_id)
    if report is None:
        raise NotFoundError("Deze melding bestaat niet (meer).")
    return report


def _not_before_receipt(report: VulnerabilityReport, moment: datetime, field: str,
                        now: datetime) -> None:
    if moment < report.received_at:
        raise ValidationError("Deze datum ligt vóór de ontvangst van de melding.", field=field)
    if moment > now:
        raise ValidationError("Deze datum ligt in de toekomst.", field=field)


def register_report(session: Session, actor: User, data: ReportInput, *,
                    clock: Clock = system_clock) -> VulnerabilityReport:
    require(actor, Permission.RECORD_BREACH)
    if not data.description.strip():
        raise ValidationError("Beschrijf de gemelde kwetsbaarheid.", field="description")
    if data.received_at > clock():
        raise ValidationError("De ontvangstdatum ligt in de toekomst.", field="received_at")
    report = VulnerabilityReport(received_at=data.received_at,
                                 description=data.description.strip(),
                                 reporter=data.reporter.strip() or "anoniem",
                                 contact=data.contact.strip(), credit_wanted=data.credit_wanted)
    session.add(report)
    audit(session, actor, "vulnerability.register", report, clock=clock)
    return report


def acknowledge(session: Session, actor: User, report_id: int, acknowledged_at: datetime, *,
                clock: Clock = system_clock) -> VulnerabilityReport:
    require(actor, Permission.RECORD_BREACH)
    report = _get(session, report_id)
    _not_before_receipt(report, acknowledged_at, "acknowledged_at", clock())
    report.acknowledged_at = acknowledged_at
    audit(session, actor, "vulnerability.acknowledge", report, clock=clock)
    return report


def assess_report(session: Session, actor: User, report_id: int, *, assessment: str,
                  expected_fix_on: date | None, clock: Clock = system_clock,
                  ) -> VulnerabilityReport:
    require(actor, Permission.RECORD_BREACH)
    report = _get(session, report_id)
    if not assessment.strip():
        raise ValidationError("Schrijf de beoordeling op.", field="assessment")
    if expected_fix_on is not None and expected_fix_on < report.received_at.date():
        raise ValidationError("De verwachte oplosdatum ligt vóór de melding.",
                              field="expected_fix_on")
    report.assessment, report.expected_fix_on = assessment.strip(), expected_fix_on
    audit(session, actor, "vulnerability.assess", report, clock=clock)
    return report


def record_update_sent(session: Session, actor: User, report_id: int, sent_on: date, *,
                       clock: Clock = system_clock) -> VulnerabilityReport:
    """The reporter was told about progress on this day."""
    require(actor, Permission.RECORD_BREACH)
    report = _get(session, report_id)
    if sent_on < report.received_at.date() or sent_on > clock().date():
        raise ValidationError("Deze datum ligt vóór de melding of in de toekomst.",
                              field="sent_on")
    dates = [d for d in report.updates_sent.split(",") if d] + [sent_on.isoformat()]
    report.updates_sent = ",".join(sorted(set(dates)))
    audit(session, actor, "vulnerability.update_sent", report, clock=clock)
    return report


def mark_fixed(session: Session, actor: User, report_id: int, fixed_at: datetime, *,
               clock: Clock = system_clock) -> VulnerabilityReport:
    require(actor, Permission.RECORD_BREACH)
    report = _get(session, report_id)
    _not_before_receipt(report, fixed_at, "fixed_at", clock())
    report.fixed_at = fixed_at
    audit(session, actor, "vulnerability.fixed", report, clock=clock)
    return report


def link_breach(session: Session, actor: User, report_id: int, breach_id: int | None, *,
                clock: Clock = system_clock) -> VulnerabilityReport:
    """Data was exposed: the report belongs to this breach (None unlinks)."""
    require(actor, Permission.RECORD_BREACH)
    report = _get(session, report_id)
    if breach_id is not None and session.get(Breach, breach_id) is None:
        raise ValidationError("Dit datalek bestaat niet.", field="breach")
    report.breach_id = breach_id
    audit(session, actor, "vulnerability.link", report, clock=clock)
    return report


class ReportState(StrEnum):
    """Where a vulnerability report stands."""

    UNANSWERED = "unanswered"  # nog niet beantwoord
    HANDLING = "handling"      # in behandeling (answered, not fixed)
    FIXED = "fixed"            # opgelost


class ReportRow(NamedTuple):
    id: int
    received_at: datetime
    reporter: str
    acknowledged_at: datetime | None
    expected_fix_on: date | None
    fixed_at: datetime | None
    breach_id: int | None

    def reply_overdue(self, now: datetime) -> bool:
        return self.acknowledged_at is None and now - self.received_at > REPLY_WITHIN

    @property
    def state(self) -> ReportState:
        if self.fixed_at is not None:
            return ReportState.FIXED
        if self.acknowledged_at is not None:
            return ReportState.HANDLING
        return ReportState.UNANSWERED

    def urgency(self, now: datetime) -> str | None:
        """'late' when the reply is overdue (the register shows it red)."""
        return "late" if self.reply_overdue(now) else None


def report_rows(session: Session, actor: Actor) -> list[ReportRow]:
    """Confidential: only roles that handle breaches see the reports."""
    require(actor, Permission.RECORD_BREACH)
    columns = [getattr(VulnerabilityReport, f) for f in ReportRow._fields]
    query = select(*columns).order_by(VulnerabilityReport.received_at.desc())
    return [ReportRow(*row) for row in session.execute(query)]
