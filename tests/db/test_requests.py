"""Requests of data subjects: calendar-month deadlines, extension rules."""

from datetime import date

import pytest
from sqlalchemy import select

from db.errors import ValidationError
from db.requests import (
    RequestInput,
    add_months,
    answer,
    answer_deadline,
    extend,
    register_request,
    request_rows,
)
from db.schema import DataRequest, RequestKind, User


@pytest.mark.parametrize(("received", "deadline"), [
    (date(2026, 1, 31), date(2026, 2, 28)),
    (date(2028, 1, 31), date(2028, 2, 29)),   # leap year
    (date(2026, 3, 31), date(2026, 4, 30)),
    (date(2026, 12, 15), date(2027, 1, 15)),
    (date(2026, 2, 28), date(2026, 3, 28)),
])
def test_deadline_is_one_calendar_month(received, deadline):
    assert answer_deadline(received) == deadline


def test_extension_adds_calendar_months():
    assert answer_deadline(date(2026, 1, 31), 2) == date(2026, 4, 30)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


@pytest.fixture
def office(vault):
    with vault.session() as session:
        return session.scalar(select(User))


def new_request(vault, clock, office, received=date(2026, 10, 1)):
    with vault.session() as session:
        return register_request(session, office, RequestInput(
            kind=RequestKind.ACCESS, received_on=received, pupil_id=None, guardian_id=None),
            clock=clock)


def test_overdue_and_answered_in_time(vault, clock, office):
    request = new_request(vault, clock, office)
    with vault.session() as session:
        (row,) = request_rows(session, office)
        assert row.deadline == date(2026, 11, 1) and row.overdue(date(2026, 11, 24))
        answer(session, office, request.id, answered_on=date(2026, 11, 20), text="Inzage gegeven",
               clock=clock)
        (row,) = request_rows(session, office)
    assert not row.overdue(date(2026, 11, 24)) and row.answered_in_time is False


def test_extension_needs_a_reason_and_stays_within_two_months(vault, clock, office):
    request = new_request(vault, clock, office, received=date(2026, 11, 2))
    with vault.session() as session:
        with pytest.raises(ValidationError) as refused:
            extend(session, office, request.id, months=1, reason=" ", told_on=date(2026, 11, 20),
                   clock=clock)
        assert refused.value.field == "reason"
        with pytest.raises(ValidationError) as refused:
            extend(session, office, request.id, months=3, reason="complex",
                   told_on=date(2026, 11, 20), clock=clock)
        assert refused.value.field == "months"
        extend(session, office, request.id, months=2, reason="Veel dossiers",
               told_on=date(2026, 11, 20), clock=clock)
        (row,) = request_rows(session, office)
    assert row.deadline == date(2027, 2, 2)


def test_extension_must_be_told_within_the_first_month(vault, clock, office):
    request = new_request(vault, clock, office, received=date(2026, 9, 1))
    with vault.session() as session, pytest.raises(ValidationError, match="eerste maand"):
        extend(session, office, request.id, months=1, reason="x", told_on=date(2026, 10, 5),
               clock=clock)


def test_a_request_received_in_the_future_is_refused(vault, clock, office):
    with vault.session() as session, pytest.raises(ValidationError) as refused:
        register_request(session, office, RequestInput(
            kind=RequestKind.ERASURE, received_on=date(2026, 11, 25), pupil_id=None,
            guardian_id=None), clock=clock)
    assert refused.value.field == "received_on"
    with vault.session() as session:
        assert session.scalars(select(DataRequest)).all() == []
