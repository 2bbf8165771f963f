"""The overview counts: current pupils only, open breaches and requests, purposes in use."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from db.clock import local_today
from db.overview import Level, summary
from db.permissions import SYSTEM
from db.purposes import load_default_purposes
from db.schema import (
    Breach,
    BreachStatus,
    ConsentPurpose,
    DataRequest,
    RequestKind,
    Role,
    Supplier,
    User,
)
from db.users import create_user
from tests.db.helpers import add_family


def test_summary_counts_current_pupils_and_open_work(vault, clock):
    today = local_today(clock)
    now = clock()
    with vault.session() as session:
        add_family(session, SYSTEM, clock)
        leaver = add_family(session, SYSTEM, clock, last_name="Visser")
        leaver.left_on = today - timedelta(days=1)
        leaving_later = add_family(session, SYSTEM, clock, last_name="Bakker")
        leaving_later.left_on = today + timedelta(days=30)
        defaults = session.scalar(select(func.count()).select_from(ConsentPurpose))
        session.add_all([
            ConsentPurpose(code="eigen_doel", created_at=now),
            ConsentPurpose(code="oud", retired_at=now, created_at=now),
            Breach(reference="DL-2026-001", status=BreachStatus.OPEN, discovered_at=now,
                   created_at=now),
            Breach(reference="DL-2026-002", status=BreachStatus.NOTIFIED, discovered_at=now,
                   created_at=now),
            Breach(reference="DL-2026-003", status=BreachStatus.CLOSED, discovered_at=now,
                   created_at=now),
            DataRequest(kind=RequestKind.ACCESS, received_on=date(2026, 11, 1), status="open",
                        created_at=now),
            DataRequest(kind=RequestKind.ERASURE, received_on=date(2026, 10, 1),
                        status="answered", answered_on=date(2026, 10, 20), created_at=now),
            Supplier(name="ParnasSys", created_at=now),
        ])
    with vault.session() as session:
        counts = summary(session, SYSTEM, today=today)
    assert counts.pupils_current == 2
    assert counts.guardians == 3
    assert counts.consent_purposes == defaults + 1
    assert counts.open_breaches == 2
    assert counts.open_requests == 1
    assert counts.suppliers == 1


def test_summary_of_a_new_register_counts_only_its_default_purposes(vault, clock):
    with vault.session() as session:
        counts = summary(session, SYSTEM, today=local_today(clock))
    assert (counts.pupils_current, counts.guardians, counts.open_breaches, counts.open_requests,
            counts.suppliers) == (0, 0, 0, 0, 0)
    assert counts.consent_purposes == len(load_default_purposes())


@pytest.mark.parametrize(("hours_ago", "level", "urgency"), [
    (80, Level.LATE, "late"),  # 72 hours passed without a notification
    (60, Level.SOON, "soon"),  # 12 hours left: amber in the overview and in the register
    (27, Level.OPEN, None),    # 45 hours left: something to do, not yet near
])
def test_a_breach_is_as_urgent_in_the_overview_as_in_the_register(vault, clock, hours_ago,
                                                                   level, urgency):
    from db.breaches import BreachInput, breach_rows, register_breach
    from db.overview import legal_deadlines

    with vault.session() as session:
        admin = session.scalar(select(User))
        office = create_user(session, admin, "office", "wachtwoord-1", Role.ADMINISTRATIE,
                             clock=clock)
        register_breach(session, office, BreachInput(
            discovered_at=clock() - timedelta(hours=hours_ago), description="Lijst kwijt"),
            clock=clock)
        (row,) = breach_rows(session, office)
        (deadline,) = [d for d in legal_deadlines(session, office, now=clock(),
                                                  today=clock().date()) if d.kind == "breach"]
    assert row.urgency(clock()) == urgency
    assert deadline.level is level
