"""Small helpers shared by the db tests."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from db.audit import audit
from db.clock import Clock
from db.schema import Guardian, Pupil, PupilGuardian, User


def sha256_file(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def add_family(session, actor: User | None, clock: Clock, *, last_name: str = "Jansen",
               guardian_first: str = "Fatima") -> Pupil:
    """One pupil with one guardian, written and audited like a use-case would."""
    now = clock()
    pupil = Pupil(first_name="Sem", last_name=last_name, date_of_birth=date(2017, 5, 3),
                  year_group=4, group_name="4A", enrolled_on=date(2021, 8, 30), created_at=now)
    guardian = Guardian(first_name=guardian_first, last_name=last_name, created_at=now)
    session.add_all([pupil, guardian])
    session.flush()
    session.add(PupilGuardian(pupil_id=pupil.id, guardian_id=guardian.id, relation="moeder",
                              has_authority=True))
    audit(session, actor, "pupil.create", pupil, clock=clock)
    audit(session, actor, "guardian.create", guardian, clock=clock)
    audit(session, actor, "guardian.link", table_name="pupil_guardian",
          record_id=f"{pupil.id}/{guardian.id}", clock=clock)
    return pupil
