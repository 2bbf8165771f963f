"""Injectable time. Rules ask a Clock for 'now' so tests never depend on the wall clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

SCHOOL_TZ = ZoneInfo("Europe/Amsterdam")

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The current moment as an aware UTC datetime."""
    return datetime.now(UTC)


def fixed_clock(moment: datetime) -> Clock:
    """A clock that always answers `moment` (tests)."""
    if moment.tzinfo is None:
        raise ValueError("fixed_clock needs an aware datetime")
    return lambda: moment


def local_today(clock: Clock = system_clock) -> date:
    """Today's date at the school (Europe/Amsterdam)."""
    return clock().astimezone(SCHOOL_TZ).date()
