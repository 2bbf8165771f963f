"""Consent forms read one group at a time (issue 14: the first form on disk within a second,
also for a whole school): stream_form_pupils gives what the earlier one-query form_pupils
gave, kept below as the reference, pupil for pupil, guardians and order included, for the
whole school, one group and a choice of pupils; and it reads a group only when its first
pupil is asked for."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, select

from db.consent_sheets import FormPupil, form_pupils, stream_form_pupils
from db.demo import populate_demo
from db.errors import ValidationError
from db.permissions import SYSTEM
from db.schema import Guardian, Pupil, PupilGuardian

TODAY = date(2026, 11, 24)


def _name(first: str, prefix: str, last: str) -> str:
    return " ".join(part for part in (first, prefix, last) if part)


def reference_form_pupils(session, *, group=None, today, pupil_ids=None) -> list[FormPupil]:
    """form_pupils() as it was before issue 14 (one query for the pupils, one for every gezag
    holder of the school, sorted in Python)."""
    query = select(Pupil.id, Pupil.first_name, Pupil.prefix, Pupil.last_name, Pupil.group_name,
                   Pupil.date_of_birth).where((Pupil.left_on.is_(None)) | (Pupil.left_on > today))
    if group is not None:
        query = query.where(Pupil.group_name == group)
    if pupil_ids is not None:
        query = query.where(Pupil.id.in_(list(pupil_ids)))
    rows = list(session.execute(query))
    guardians: dict[int, list[str]] = {}
    holders = (select(PupilGuardian.pupil_id, Guardian.first_name, Guardian.prefix,
                      Guardian.last_name)
               .join(Guardian, Guardian.id == PupilGuardian.guardian_id)
               .where(PupilGuardian.has_authority.is_(True)).order_by(Guardian.id))
    if pupil_ids is not None:
        holders = holders.where(PupilGuardian.pupil_id.in_(list(pupil_ids)))
    for pupil_id, first, prefix, last in session.execute(holders):
        guardians.setdefault(pupil_id, []).append(_name(first, prefix, last))
    rows.sort(key=lambda r: ((len(r[4]), r[4]), r[3].casefold(), r[1].casefold(), r[0]))
    return [FormPupil(pid, _name(first, prefix, last), grp, born, tuple(guardians.get(pid, ())))
            for pid, first, prefix, last, grp, born in rows]


@pytest.fixture
def school(vault, clock):
    with vault.session() as session:
        populate_demo(session, pupils=300, seed=7, clock=clock)
    return vault


@pytest.mark.parametrize("today", [TODAY, date(2024, 9, 1)])
def test_the_whole_school_group_by_group_is_what_one_query_gave(school, today):
    with school.session() as session:
        expected = reference_form_pupils(session, today=today)
        assert list(stream_form_pupils(session, SYSTEM, today=today)) == expected
        assert form_pupils(session, SYSTEM, today=today) == expected
    groups = [p.group_name for p in expected]
    assert len(set(groups)) > 5 and any(len(p.guardians) == 2 for p in expected)
    assert any(len(p.guardians) != 2 for p in expected)


def test_one_group_and_a_choice_of_pupils_are_what_one_query_gave(school):
    with school.session() as session:
        everybody = reference_form_pupils(session, today=TODAY)
        group = everybody[len(everybody) // 2].group_name
        assert form_pupils(session, SYSTEM, group=group, today=TODAY) == \
            reference_form_pupils(session, group=group, today=TODAY)
        chosen = {p.pupil_id for p in everybody[::7]} | {10**6}  # and one that is not there
        assert form_pupils(session, SYSTEM, today=TODAY, pupil_ids=chosen) == \
            reference_form_pupils(session, today=TODAY, pupil_ids=chosen)
        assert form_pupils(session, SYSTEM, group=group, today=TODAY, pupil_ids=chosen) == \
            reference_form_pupils(session, group=group, today=TODAY, pupil_ids=chosen)
        with pytest.raises(ValidationError, match="Groep '9Z' heeft geen huidige leerlingen"):
            stream_form_pupils(session, SYSTEM, group="9Z", today=TODAY)  # at the call
        with pytest.raises(ValidationError, match="niet \\(meer\\) als huidige leerling"):
            stream_form_pupils(session, SYSTEM, today=TODAY, pupil_ids=[10**6])


def test_a_group_is_read_when_its_first_pupil_is_asked_for(school):
    """The first group's pupils come before the second group is read."""
    statements: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        statements.append(statement)

    with school.session() as session:
        expected = reference_form_pupils(session, today=TODAY)
        first_group = [p for p in expected if p.group_name == expected[0].group_name]
        engine = session.get_bind()
        event.listen(engine, "before_cursor_execute", note)
        try:
            pupils = stream_form_pupils(session, SYSTEM, today=TODAY)
            taken = [next(pupils) for _ in first_group]
            read_before = len(statements)
            following = next(pupils)
            read_after = len(statements)
        finally:
            event.remove(engine, "before_cursor_execute", note)
    assert taken == first_group and following == expected[len(first_group)]
    assert read_before == 3  # the group names, the first group's pupils and their holders
    assert read_after == read_before + 2
