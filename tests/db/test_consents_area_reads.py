"""What the consents area reads when it opens (issue 14: 2.6 s at 100,000 pupils), held to
what it read before: the current pupils of one group and the groups with current pupils are
the rows pupil_rows() gave the page, filtered as the page filtered them; 'Nog te vragen'
(now chosen in SQL) is the list the earlier Python loop made, kept below as the reference.
The register mixes what the filters tell apart: left pupils, a pupil leaving later, a pupil
left today, a group whose pupils all left, pupils without a group, equal surnames in a
group, decisions before and in this school year and one dated after the day asked."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, insert, select

from db.consents import ToAsk, pupils_to_ask, school_year_start, set_year_rhythm, year_rhythm
from db.permissions import SYSTEM
from db.pupils import current_group_names, current_group_rows, pupil_rows
from db.schema import ConsentEvent, ConsentPurpose, Pupil

DAYS = (date(2026, 11, 24), date(2026, 8, 1), date(2026, 7, 31), date(2027, 3, 1))
NOW = datetime(2026, 11, 24, tzinfo=UTC)

# (first, prefix, last, group, left_on, decision days)
PUPILS = (
    ("Daan", "de", "Vries", "5A", None, (date(2025, 9, 1),)),
    ("Anna", "", "Vries", "5A", None, ()),                          # same surname, never asked
    ("Bo", "", "Vries", "5A", None, (date(2026, 9, 2),)),
    ("Zoë", "van den", "Berg", "5A", date(2027, 1, 1), ()),         # leaving later
    ("Ismaël", "", "El Amrani", "5A", date(2026, 11, 24), ()),      # left on the day asked
    ("Kees", "", "Kok", "6B", date(2025, 7, 1), ()),                # left long ago
    ("Lotte", "", "Kok", "6B", date(2026, 6, 1), ()),               # 6B: everybody left
    ("Sem", "", "Bakker", "", None, ()),                            # no group yet
    ("Mila", "", "aarts", "8C", None, (date(2024, 10, 1), date(2025, 10, 1))),
    ("Finn", "", "Zwart", "8C", None, (date(2026, 12, 1),)),        # decided after the 24th
    ("Tess", "", "Aarts", "10", None, (date(2026, 8, 1),)),         # longer name, sorts last
    ("Noah", "", "Aarts", "10", None, ()),
)


@pytest.fixture
def register(vault):
    with vault.session() as session:
        purpose = session.scalar(select(ConsentPurpose.id).order_by(ConsentPurpose.id))
        for first, prefix, last, group, left_on, days in PUPILS:
            pupil_id = session.execute(insert(Pupil).values(
                first_name=first, prefix=prefix, last_name=last, group_name=group,
                given_names="", date_of_birth=date(2016, 1, 1), enrolled_on=date(2020, 8, 1),
                left_on=left_on, notes="", created_at=NOW).returning(Pupil.id)).scalar_one()
            for day in days:
                session.execute(insert(ConsentEvent).values(
                    pupil_id=pupil_id, purpose_id=purpose, purpose_version=1,
                    decision="given", decided_on=day, guardian_id=None, by_pupil=False,
                    channel="paper", note="", recorded_at=NOW))
    return vault


def reference_pupils_to_ask(session, today: date) -> list[ToAsk]:
    """pupils_to_ask() as it was before issue 14: every pupil and every pupil's latest
    decision read, the choice made in Python."""
    rhythm = year_rhythm(session, today)
    start = school_year_start(today)
    latest = dict(session.execute(
        select(ConsentEvent.pupil_id, func.max(ConsentEvent.decided_on))
        .group_by(ConsentEvent.pupil_id)).all())
    result = []
    for pid, first, prefix, last, group, left in session.execute(
            select(Pupil.id, Pupil.first_name, Pupil.prefix, Pupil.last_name, Pupil.group_name,
                   Pupil.left_on).order_by(Pupil.group_name, Pupil.last_name)):
        if left is not None and left <= today:
            continue
        asked = latest.get(pid)
        if asked is None or (rhythm.ask_each_year and asked < start):
            name = " ".join(part for part in (first, prefix, last) if part)
            result.append(ToAsk(pid, name, group, asked))
    return result


@pytest.mark.parametrize("today", DAYS)
def test_a_groups_current_pupils_are_the_rows_the_page_filtered(register, today):
    with register.session() as session:
        everybody = pupil_rows(session, SYSTEM)
        shown = {}
        for group in ("5A", "6B", "", "8C", "10", "9Z"):
            expected = [r for r in everybody if r.group_name == group and r.is_current(today)]
            shown[group] = current_group_rows(session, SYSTEM, group, today)
            assert shown[group] == expected
    assert len(shown["5A"]) >= 3 and shown["10"] and not shown["9Z"]


@pytest.mark.parametrize("today", DAYS)
def test_the_groups_with_current_pupils_are_those_of_the_rows(register, today):
    with register.session() as session:
        current = {r.group_name for r in pupil_rows(session, SYSTEM) if r.is_current(today)}
        names = current_group_names(session, SYSTEM, today)
    assert names == sorted(current, key=lambda name: (len(name), name))
    assert "6B" not in names and names[:2] == ["", "10"]


@pytest.mark.parametrize("each_year", [False, True])
@pytest.mark.parametrize("today", DAYS)
def test_nog_te_vragen_is_the_list_the_python_loop_made(register, today, each_year):
    with register.session() as session:
        set_year_rhythm(session, SYSTEM, ask_each_year=each_year, closing_month_day=None)
    with register.session() as session:
        expected = reference_pupils_to_ask(session, today)
        assert pupils_to_ask(session, SYSTEM, today) == expected
    names = {row.name for row in expected}
    assert "Anna Vries" in names and "Kees Kok" not in names
    assert ("Daan de Vries" in names) == (each_year and today >= date(2026, 8, 1))
