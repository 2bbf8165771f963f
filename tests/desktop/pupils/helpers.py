"""Small helpers for the pupil-area tests."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from db.pupils import PupilInput
from db.schema import AuditEntry, Pupil


def pupil(first, last, prefix="", group="4A", born=date(2017, 5, 3), **extra) -> PupilInput:
    return PupilInput(first_name=first, last_name=last, prefix=prefix, group_name=group,
                      date_of_birth=born, enrolled_on=date(2021, 8, 30), **extra)


def audit_count(vault, action: str) -> int:
    with vault.session() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.action == action))


def pupil_count(vault) -> int:
    with vault.session() as session:
        return session.scalar(select(func.count()).select_from(Pupil))
