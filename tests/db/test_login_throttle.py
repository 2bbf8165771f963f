"""Brute force: after 5 failures for a name every next attempt waits 1, 2, 4 … s, also for
names that do not exist; every failure is audited without the typed name; the counts survive
a restart; 20 failures show on the beheerder's overview. Times come from a clock we move."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from db.audit import verify_chain
from db.errors import LoginError, LoginThrottled
from db.overview import summary
from db.permissions import SYSTEM
from db.schema import AuditEntry, LoginThrottle, Role, User
from db.users import FREE_FAILURES, authenticate, create_user, login_delay, unlock
from tests.conftest import ADMIN_PASSWORD
from tests.db.helpers import reopen


class MovingClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def moving():
    return MovingClock(datetime(2026, 11, 24, 9, 30, tzinfo=UTC))


def attempt(vault, clock, username, password, check=authenticate):
    """One attempt in its own committed session, as the login dialog makes it."""
    with vault.session() as session:
        try:
            return check(session, username, password, clock=clock)
        except LoginError as error:
            return error


def test_the_delay_doubles_after_five_failures():
    assert [login_delay(n) for n in range(1, 10)] == [0, 0, 0, 0, 1, 2, 4, 8, 16]
    assert login_delay(100) == 900


def test_after_five_failures_the_right_password_waits(vault, moving):
    for _ in range(FREE_FAILURES):
        error = attempt(vault, moving, "beheer", "fout-wachtwoord")
        assert type(error) is LoginError
    refused = attempt(vault, moving, "beheer", ADMIN_PASSWORD)  # right, but too soon
    assert isinstance(refused, LoginThrottled) and refused.seconds == 1
    assert str(refused) == ("Te veel mislukte pogingen; probeer het over 1 seconden "
                            "opnieuw.")
    moving.advance(1)
    assert attempt(vault, moving, "beheer", "fout-wachtwoord").__class__ is LoginError
    refused = attempt(vault, moving, "beheer", ADMIN_PASSWORD)
    assert isinstance(refused, LoginThrottled) and refused.seconds == 2
    moving.advance(2)
    assert isinstance(attempt(vault, moving, "beheer", ADMIN_PASSWORD), User)
    # a success starts the count again
    assert type(attempt(vault, moving, "beheer", "fout-wachtwoord")) is LoginError


def test_two_hundred_quick_guesses_get_nowhere(vault, moving):
    checked = 0
    for _ in range(200):
        moving.advance(0.15)  # 200 guesses in 30 s
        if type(attempt(vault, moving, "beheer", "fout-wachtwoord")) is LoginError:
            checked += 1
    assert checked < 15  # the rest were refused unchecked
    assert isinstance(attempt(vault, moving, "beheer", ADMIN_PASSWORD), LoginThrottled)


def test_unknown_names_are_throttled_alike_and_audited_without_the_name(vault, moving):
    for _ in range(FREE_FAILURES):
        error = attempt(vault, moving, "Onbekend.Persoon", "x")
        assert type(error) is LoginError
        assert str(error) == "Gebruikersnaam of wachtwoord klopt niet."
    refused = attempt(vault, moving, "onbekend.persoon", "x")
    assert isinstance(refused, LoginThrottled) and refused.seconds == 1
    with vault.session() as session:
        entries = session.scalars(select(AuditEntry).where(
            AuditEntry.action.like("user.login%"))).all()
        assert [e.action for e in entries] == ["user.login_failed"] * 5 + [
            "user.login_throttled"]
        for entry in entries:
            assert entry.user_id is None and entry.table_name == "login_throttle"
            assert "onbekend" not in entry.record_id.lower() and len(entry.record_id) == 64
        assert verify_chain(session).ok


def test_failures_of_a_known_user_are_audited_by_user_id(vault, moving):
    attempt(vault, moving, "beheer", "fout")
    with vault.session() as session:
        admin = session.scalar(select(User).where(User.username == "beheer"))
        entry = session.scalar(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1))
    assert (entry.action, entry.table_name, entry.record_id) == (
        "user.login_failed", "app_user", str(admin.id))


def test_the_count_survives_a_restart(vault, moving):
    for _ in range(FREE_FAILURES + 2):
        moving.advance(60)
        attempt(vault, moving, "beheer", "fout")
    vault.close(backup=False)
    reopened = reopen(vault)
    try:
        refused = attempt(reopened, moving, "beheer", ADMIN_PASSWORD)
        assert isinstance(refused, LoginThrottled) and refused.seconds == 4
    finally:
        reopened.close(backup=False)


def test_the_idle_lock_goes_through_the_same_check(vault, moving):
    with vault.session() as session:
        admin = session.scalar(select(User).where(User.username == "beheer"))
    for _ in range(FREE_FAILURES):
        assert type(attempt(vault, moving, admin, "fout", check=unlock)) is LoginError
    assert isinstance(attempt(vault, moving, admin, ADMIN_PASSWORD, check=unlock),
                      LoginThrottled)
    # ...and shares the count with the login dialog: the name is the same
    assert isinstance(attempt(vault, moving, "beheer", ADMIN_PASSWORD), LoginThrottled)
    moving.advance(1)
    assert attempt(vault, moving, admin, ADMIN_PASSWORD, check=unlock).id == admin.id
    with vault.session() as session:
        actions = session.scalars(select(AuditEntry.action).where(
            AuditEntry.action.like("user.unlock%")).order_by(AuditEntry.seq)).all()
    assert actions == ["user.unlock_failed"] * 5 + ["user.unlock_throttled", "user.unlock"]


def test_twenty_failures_show_on_the_beheerders_overview(vault, moving):
    with vault.session() as session:
        admin = session.scalar(select(User).where(User.username == "beheer"))
        director = create_user(session, admin, "dir", "wachtwoord-1", Role.DIRECTIE,
                               clock=moving)
    for _ in range(20):
        moving.advance(1000)  # past every delay
        attempt(vault, moving, "iemand", "fout")
    with vault.session() as session:
        assert session.scalar(select(LoginThrottle.failures)) == 20
        assert summary(session, admin, today=moving().date(), clock=moving).locked_out == 1
        assert summary(session, director, today=moving().date(), clock=moving).locked_out == 0
        assert summary(session, SYSTEM, today=moving().date(), clock=moving).locked_out == 1
    moving.advance(15 * 24 * 3600)
    with vault.session() as session:
        assert summary(session, admin, today=moving().date(), clock=moving).locked_out == 0


def test_the_logged_in_user_does_not_carry_the_password_hash(vault, moving):
    from sqlalchemy.orm.exc import DetachedInstanceError

    user = attempt(vault, moving, "beheer", ADMIN_PASSWORD)
    with pytest.raises(DetachedInstanceError):
        _ = user.password_hash
