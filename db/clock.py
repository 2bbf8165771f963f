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


def school_moment(day: date, at: time = time()) -> datetime:
    """`day` at `at` o'clock at the school (Europe/Amsterdam), as an aware UTC datetime."""
    return datetime.combine(day, at, SCHOOL_TZ).astimezone(UTC)


def school_period_utc(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """The days `first_day` up to and including `last_day` at the school as the moments
    [start, end) in UTC, for a query on timestamps: midnight to midnight in Amsterdam."""
    return school_moment(first_day), school_moment(last_day + timedelta(days=1))


def school_year_of(moment: datetime) -> int:
    """The calendar year of a moment at the school (a breach at 00:30 on 1 January
    Amsterdam time belongs to the new year, though it is still 31 December in UTC)."""
    return moment.astimezone(SCHOOL_TZ).year


def format_school_moment(moment: datetime | None) -> str:
    """'24-11-2026 10:30' at the school; '' for None."""
    return moment.astimezone(SCHOOL_TZ).strftime("%d-%m-%Y %H:%M") if moment else ""


def parse_school_moment(text: str) -> datetime | None:
    """'24-11-2026 10:30' (the time may be left out: 00:00) at the school, as an aware UTC
    datetime; None for an empty text. ValueError with a Dutch message otherwise."""
    from db.text import parse_dutch_date

    text = " ".join(text.split())
    if not text:
        return None
    day_text, _, time_text = text.partition(" ")
    day = parse_dutch_date(day_text)
    at = time()
    if time_text:
        try:
            hours, minutes = (int(part) for part in time_text.split(":"))
            at = time(hours, minutes)
        except ValueError:
            raise ValueError(f"'{time_text}' is geen tijd (verwacht uu:mm).") from None
    return school_moment(day, at)


def school_days_to_utc(first: date | None, last: date | None,
                       ) -> tuple[datetime | None, datetime | None]:
    """Like school_period_utc, with open ends: None stays None. For filtering timestamps
    stored in UTC by the days a user typed."""
    return (school_moment(first) if first is not None else None,
            school_moment(last + timedelta(days=1)) if last is not None else None)
