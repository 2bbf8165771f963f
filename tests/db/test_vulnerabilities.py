"""Responsible-disclosure reports: reply promptly, keep the reporter informed, confidential."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from db.errors import PermissionDenied, ValidationError
from db.schema import Role, User
from db.users import create_user
from db.vulnerabilities import (
    ReportInput,
    ReportState,
    acknowledge,
    assess_report,
    mark_fixed,
    record_update_sent,
    register_report,
    report_rows,
)

RECEIVED = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)


@pytest.fixture
def office(vault, clock):
    with vault.session() as session:
        admin = session.scalar(select(User))
        return {"office": create_user(session, admin, "office", "wachtwoord-1",
                                      Role.ADMINISTRATIE, clock=clock),
                "juf": create_user(session, admin, "juf", "wachtwoord-1", Role.LEERKRACHT,
                                   clock=clock)}


def test_a_report_is_followed_from_receipt_to_fix(vault, clock, office):
    with vault.session() as session:
        report = register_report(session, office["office"], ReportInput(
            received_at=RECEIVED, description="Open map op de website", reporter="",
            credit_wanted=True), clock=clock)
        assert report.reporter == "anoniem"
        (row,) = report_rows(session, office["office"])
        assert row.reply_overdue(clock()) and row.state == ReportState.UNANSWERED
        acknowledge(session, office["office"], report.id, RECEIVED + timedelta(hours=5),
                    clock=clock)
        assess_report(session, office["office"], report.id, assessment="Terecht",
                      expected_fix_on=date(2026, 11, 30), clock=clock)
        record_update_sent(session, office["office"], report.id, date(2026, 11, 20), clock=clock)
        record_update_sent(session, office["office"], report.id, date(2026, 11, 22), clock=clock)
        mark_fixed(session, office["office"], report.id, RECEIVED + timedelta(days=5),
                   clock=clock)
        (row,) = report_rows(session, office["office"])
    assert row.state == ReportState.FIXED and not row.reply_overdue(clock())
    assert report.updates_sent == "2026-11-20,2026-11-22"


@pytest.mark.parametrize("moment", [RECEIVED - timedelta(hours=1),
                                    datetime(2026, 12, 1, tzinfo=UTC)])
def test_acknowledgement_before_receipt_or_in_the_future_is_refused(vault, clock, office,
                                                                     moment):
    with vault.session() as session:
        report = register_report(session, office["office"], ReportInput(
            received_at=RECEIVED, description="x"), clock=clock)
        with pytest.raises(ValidationError) as refused:
            acknowledge(session, office["office"], report.id, moment, clock=clock)
    assert refused.value.field == "acknowledged_at"


def test_reports_are_confidential(vault, clock, office):
    with vault.session() as session, pytest.raises(PermissionDenied):
        report_rows(session, office["juf"])
