"""Users of every role and a few pupils, written through the register's own use-cases."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from db.pupils import add_special, enrol_pupil, record_leaving
from db.schema import Role, User
from db.users import create_user
from tests.desktop.pupils.helpers import pupil


@pytest.fixture
def people(vault, clock) -> dict[str, User]:
    """beheer (beheerder), office (administratie), dir (directie), juf (leerkracht)."""
    with vault.session() as session:
        admin = session.scalar(select(User).where(User.username == "beheer"))
        users = {"beheer": admin}
        for name, role in (("office", Role.ADMINISTRATIE), ("dir", Role.DIRECTIE),
                           ("juf", Role.LEERKRACHT), ("fg", Role.FG)):
            users[name] = create_user(session, admin, name, "wachtwoord-1", role, clock=clock)
    return users


@pytest.fixture
def school(vault, people, clock) -> dict[str, int]:
    """Five pupils: van den Berg, Bergen, Jansen, Ismaël (5B) and Daan who left (6A)."""
    office = people["office"]
    ids = {}
    with vault.session() as session:
        for key, data in (
            ("sem", pupil("Sem", "Berg", "van den", "4A", date(2017, 5, 3))),
            ("lotte", pupil("Lotte", "Bergen", "", "4A", date(2017, 9, 12))),
            ("fleur", pupil("Fleur", "Jansen", "", "3B", date(2018, 1, 20))),
            ("ismael", pupil("Ismaël", "El Amrani", "", "5B", date(2016, 3, 7))),
            ("daan", pupil("Daan", "Visser", "", "6A", date(2015, 11, 2))),
        ):
            ids[key] = enrol_pupil(session, office, data, clock=clock).id
        record_leaving(session, office, ids["daan"], date(2026, 7, 10), clock=clock)
        add_special(session, office, ids["sem"], "medical", "dyslexieverklaring", clock=clock)
    return ids
