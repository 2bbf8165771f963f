"""Injectable time. Rules ask a Clock for 'now' so tests never depend on the wall clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
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


def school_days_to_utc(first: date | None, last: date | None,
                       ) -> tuple[datetime | None, datetime | None]:
    """Whole days at the school as moments: [the start of `first`, the start of the day after
    `last`), both in Europe/Amsterdam; None stays None (an open end). For filtering timestamps
    stored in UTC by the days a user typed."""
    start = datetime.combine(first, time(), SCHOOL_TZ) if first is not None else None
    end = (datetime.combine(last + timedelta(days=1), time(), SCHOOL_TZ)
           if last is not None else None)
    return start, end
