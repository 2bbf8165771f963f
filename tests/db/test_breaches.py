"""Breaches: the 72-hour clock across daylight saving, assessment, sign-off, amendments."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from db.breaches import (
    BreachInput,
    add_amendment,
    add_measure,
    amendments_of,
    assess,
    breach_rows,
    deadline_status,
    local,
    notification_deadline,
    record_informing,
    record_notification,
    register_breach,
    sign_off,
    update_breach,
)
from db.clock import SCHOOL_TZ, fixed_clock
from db.errors import PermissionDenied, ValidationError
from db.permissions import SYSTEM
from db.schema import Breach, BreachStatus, Risk, Role, User
from db.users import create_user


def amsterdam(*args) -> datetime:
    return datetime(*args, tzinfo=SCHOOL_TZ)


@pytest.mark.parametrize(("discovered", "deadline_local"), [
    # CET → CEST on 29 March 2026: 72 real hours end at 23:00, not 22:00
    (amsterdam(2026, 3, 28, 22, 0), "31-03-2026 23:00"),
    # CEST → CET on 25 October 2026: 72 real hours end at 21:00, not 22:00
    (amsterdam(2026, 10, 24, 22, 0), "27-10-2026 21:00"),
    (amsterdam(2026, 6, 1, 9, 15), "04-06-2026 09:15"),
])
def test_deadline_is_72_real_hours_across_daylight_saving(discovered, deadline_local):
    deadline = notification_deadline(discovered)
    assert deadline - discovered == timedelta(hours=72)
    assert (deadline.astimezone(UTC) - discovered.astimezone(UTC)) == timedelta(hours=72)
    assert local(deadline) == deadline_local


def test_overdue_comes_from_the_injected_clock_not_the_wall_clock():
    discovered = amsterdam(2026, 3, 28, 22, 0)
    just_before = amsterdam(2026, 3, 31, 22, 59)
    just_after = amsterdam(2026, 3, 31, 23, 1)
    assert not deadline_status(discovered, None, None, just_before).overdue
    assert deadline_status(discovered, None, None, just_after).overdue
    assert deadline_status(discovered, None, None, just_before).label == "nog 0 uur om te melden"
    late = deadline_status(discovered, True, amsterdam(2026, 4, 1, 11, 0), just_after)
    assert late.label == "te laat gemeld (12 uur na de termijn)"
    assert deadline_status(discovered, False, None, just_after).label.startswith("niet gemeld")
    on_time = deadline_status(discovered, True, amsterdam(2026, 3, 30, 10, 0), just_after)
    assert on_time.label == "op tijd gemeld" and not on_time.overdue


@pytest.fixture
def staff(vault, clock):
    with vault.session() as session:
        admin = session.scalar(select(User))
        office = create_user(session, admin, "office", "wachtwoord-1", Role.ADMINISTRATIE,
                             clock=clock)
        director = create_user(session, admin, "dir", "wachtwoord-1", Role.DIRECTIE,
                               clock=clock)
    return {"admin": admin, "office": office, "director": director}


def lost_laptop(**changes) -> BreachInput:
    data = dict(discovered_at=datetime(2026, 11, 20, 8, 0, tzinfo=UTC),
                started_at=datetime(2026, 11, 19, 16, 0, tzinfo=UTC),
                description="Laptop met leerlingoverzicht in de trein laten liggen.",
                nature=("lost",), data_categories=("name", "special"),
                affected_groups=("pupils",), affected_min=25, affected_max=30)
    data.update(changes)
    return BreachInput(**data)


def test_register_assess_notify_and_sign_off(vault, clock, staff):
    with vault.session() as session:
        breach = register_breach(session, staff["office"], lost_laptop(), clock=clock)
        assert breach.reference == "DL-2026-001" and breach.special_categories
        assess(session, staff["office"], breach.id, risk=Risk.HIGH,
               reasons="Medische gegevens van kinderen, niet versleuteld.", notify_ap=True,
               notify_reason="Hoog risico voor de kinderen.", clock=clock)
        record_notification(session, staff["office"], breach.id,
                            notified_at=datetime(2026, 11, 21, 9, 0, tzinfo=UTC),
                            ap_reference="AP-123456", clock=clock)
        record_informing(session, staff["office"], breach.id, informed=True,
                         informed_at=datetime(2026, 11, 21, 12, 0, tzinfo=UTC),
                         how="Brief aan de ouders van groep 5A", clock=clock)
        add_measure(session, staff["office"], breach.id, kind="preventive",
                    description="Laptops versleutelen", owner="ICT-partner", clock=clock)
        with pytest.raises(PermissionDenied):
            sign_off(session, staff["office"], breach.id, clock=clock)
        with pytest.raises(PermissionDenied):
            sign_off(session, staff["admin"], breach.id, clock=clock)
        sign_off(session, staff["director"], breach.id, clock=clock)
        assert breach.status == BreachStatus.CLOSED
        (row,) = breach_rows(session, staff["office"])
        assert row.deadline(clock()).label == "op tijd gemeld"


def test_a_signed_off_breach_rejects_edits_and_accepts_amendments(vault, clock, staff):
    with vault.session() as session:
        breach = register_breach(session, staff["office"], lost_laptop(), clock=clock)
        assess(session, staff["office"], breach.id, risk=Risk.NONE,
               reasons="Versleutelde laptop.", notify_ap=False,
               notify_reason="Gegevens waren versleuteld: geen risico.", clock=clock)
        sign_off(session, staff["director"], breach.id, clock=clock)
    with vault.session() as session, pytest.raises(ValidationError, match="afgetekend"):
        update_breach(session, staff["office"], breach.id,
                      lost_laptop(description="Anders"), clock=clock)
    with vault.session() as session, pytest.raises(ValidationError, match="afgetekend"):
        add_measure(session, staff["office"], breach.id, kind="corrective",
                    description="x", clock=clock)
    with vault.session() as session:
        add_amendment(session, staff["office"], breach.id, "Laptop teruggevonden.",
                      clock=clock)
        (amendment,) = amendments_of(session, SYSTEM, breach.id)
        assert amendment.author_id == staff["office"].id and amendment.created_at == clock()
        assert session.get(Breach, breach.id).description.startswith("Laptop met")


def test_sign_off_needs_an_assessment_and_a_recorded_notification(vault, clock, staff):
    with vault.session() as session:
        breach = register_breach(session, staff["office"], lost_laptop(), clock=clock)
        with pytest.raises(ValidationError, match="Beoordeel eerst"):
            sign_off(session, staff["director"], breach.id, clock=clock)
        assess(session, staff["office"], breach.id, risk=Risk.RISK, reasons="r",
               notify_ap=True, notify_reason="n", clock=clock)
        with pytest.raises(ValidationError, match="nog niet vastgelegd"):
            sign_off(session, staff["director"], breach.id, clock=clock)


@pytest.mark.parametrize(("changes", "field"), [
    ({"started_at": datetime(2026, 11, 21, 8, 0, tzinfo=UTC)}, "started_at"),
    ({"ended_at": datetime(2026, 11, 19, 8, 0, tzinfo=UTC)}, "ended_at"),
    ({"discovered_at": datetime(2026, 11, 25, 8, 0, tzinfo=UTC),
      "started_at": None}, "discovered_at"),
    ({"affected_min": -1}, "affected_min"),
    ({"affected_min": 30, "affected_max": 25}, "affected_max"),
    ({"description": "  "}, "description"),
])
def test_bad_input_is_refused_at_its_field_and_nothing_is_saved(vault, clock, staff, changes,
                                                                field):
    with vault.session() as session, pytest.raises(ValidationError) as refused:
        register_breach(session, staff["office"], lost_laptop(**changes), clock=clock)
    assert refused.value.field == field
    with vault.session() as session:
        assert session.scalars(select(Breach)).all() == []


def test_notification_before_discovery_is_refused(vault, clock, staff):
    with vault.session() as session:
        breach = register_breach(session, staff["office"], lost_laptop(), clock=clock)
        with pytest.raises(ValidationError) as refused:
            record_notification(session, staff["office"], breach.id,
                                notified_at=datetime(2026, 11, 19, 9, 0, tzinfo=UTC),
                                ap_reference="x", clock=clock)
    assert refused.value.field == "notified_at"


def test_register_filters_by_period_status_and_overdue(vault, clock, staff):
    with vault.session() as session:
        for day in (3, 10, 20):
            register_breach(session, staff["office"], lost_laptop(
                discovered_at=datetime(2026, 11, day, 8, 0, tzinfo=UTC), started_at=None),
                clock=clock)
        later = fixed_clock(datetime(2026, 11, 22, 9, 0, tzinfo=UTC))
        overdue = breach_rows(session, SYSTEM, overdue_at=later())
        assert [r.discovered_at.day for r in overdue] == [10, 3]
        november = breach_rows(session, SYSTEM, start=datetime(2026, 11, 5, tzinfo=UTC),
                               end=datetime(2026, 12, 1, tzinfo=UTC))
        assert [r.reference for r in november] == ["DL-2026-003", "DL-2026-002"]
        assert breach_rows(session, SYSTEM, status=BreachStatus.CLOSED) == []


def test_demo_breaches_use_only_known_codes(vault):
    from db.breaches import DATA_CATEGORIES, GROUPS, NATURES
    from db.demo import populate_demo

    with vault.session() as session:
        populate_demo(session, pupils=40)
        for breach in session.scalars(select(Breach)):
            for text, known in ((breach.nature, NATURES),
                                (breach.data_categories, DATA_CATEGORIES),
                                (breach.affected_groups, GROUPS)):
                assert set(filter(None, text.split(","))) <= set(known), text


def test_suggested_risk_follows_the_answers():
    from db.breaches import RiskAnswers, suggest_risk

    def ask(**answers):
        base = dict(special_or_bsn=False, encrypted=False, many=False, children=False,
                    recovered=False)
        return suggest_risk(RiskAnswers(**{**base, **answers}))

    assert ask(encrypted=True)[0] == Risk.NONE
    assert ask(recovered=True)[0] == Risk.NONE
    assert ask()[0] == Risk.RISK
    level, reasons = ask(special_or_bsn=True, encrypted=True)
    assert level == Risk.HIGH and "bijzondere persoonsgegevens" in reasons
    assert ask(children=True, many=True)[0] == Risk.HIGH


@pytest.mark.parametrize(("hours_after", "needs_reasons"), [(71, False), (72, False), (73, True)])
def test_a_notification_after_72_hours_needs_the_reasons_for_the_delay(vault, clock, staff,
                                                                        hours_after,
                                                                        needs_reasons):
    with vault.session() as session:
        breach = register_breach(session, staff["office"], lost_laptop(), clock=clock)
        moment = breach.discovered_at + timedelta(hours=hours_after)
        if needs_reasons:
            with pytest.raises(ValidationError) as refused:
                record_notification(session, staff["office"], breach.id, notified_at=moment,
                                    ap_reference="AP-1", clock=clock)
            assert refused.value.field == "late_reason"
            assert session.get(Breach, breach.id).notified_at is None  # nothing half-saved
        record_notification(session, staff["office"], breach.id, notified_at=moment,
                            ap_reference="AP-1", late_reason="  De ICT-partner was pas na "
                            "drie dagen bereikbaar.  ", clock=clock)
        stored = session.get(Breach, breach.id).late_reason
        row = breach_rows(session, staff["office"])[0]
    # reasons are kept only where the notification was late
    expected = "De ICT-partner was pas na drie dagen bereikbaar." if needs_reasons else ""
    assert stored == row.late_reason == expected
