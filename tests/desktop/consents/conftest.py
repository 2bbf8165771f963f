"""A small school for the consent screens, written through the register's own use-cases."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.consents import ConsentState, current_states, record_decision
from db.pupils import GuardianInput, PupilInput, add_guardian, enrol_pupil
from db.purposes import seed_default_purposes
from db.schema import Channel, ConsentEvent, ConsentPurpose, Decision, Role, User
from db.users import create_user
from desktop.kit import files, widgets

TODAY = date(2026, 11, 24)


@pytest.fixture
def people(vault, clock) -> dict[str, User]:
    """beheer (beheerder), office (administratie), juf (leerkracht of 5A), fg (read only)."""
    with vault.session() as session:
        admin = session.scalar(select(User).where(User.username == "beheer"))
        users = {"beheer": admin}
        users["office"] = create_user(session, admin, "office", "wachtwoord-1",
                                      Role.ADMINISTRATIE, display_name="Petra Administratie",
                                      clock=clock)
        users["juf"] = create_user(session, admin, "juf", "wachtwoord-1", Role.LEERKRACHT,
                                   group_name="5A", clock=clock)
        users["fg"] = create_user(session, admin, "fg", "wachtwoord-1", Role.FG, clock=clock)
    return users


@pytest.fixture
def school(vault, people, clock) -> dict:
    """Group 5A: Daan de Vries (all given), Ismaël El Amrani (website refused), Zoë van den
    Berg (never asked), Noor Visser (website: mother yes, father no). Group 6B: Bram Kok (all
    given, social media withdrawn). Group 8B: Sanne Mulder, 16 (she decides herself), and
    Tim Smit without any guardian."""
    office = people["office"]
    with vault.session() as session:
        seed_default_purposes(session, people["beheer"], clock=clock)
        purposes = {p.code: p.id for p in session.scalars(select(ConsentPurpose))}
        ids: dict[str, tuple[int, ...]] = {}
        for first, prefix, last, group, born in (
                ("Daan", "de", "Vries", "5A", date(2016, 4, 1)),
                ("Ismaël", "", "El Amrani", "5A", date(2016, 5, 2)),
                ("Zoë", "van den", "Berg", "5A", date(2016, 6, 3)),
                ("Noor", "", "Visser", "5A", date(2016, 7, 4)),
                ("Bram", "", "Kok", "6B", date(2015, 8, 5)),
                ("Sanne", "", "Mulder", "8B", date(2010, 1, 6))):
            pupil = enrol_pupil(session, office, PupilInput(
                first_name=first, prefix=prefix, last_name=last, date_of_birth=born,
                group_name=group, enrolled_on=date(2020, 8, 31)), clock=clock)
            mother = add_guardian(session, office, pupil.id, GuardianInput(
                first_name="Moeder", last_name=last, relation="moeder"), clock=clock)
            father = add_guardian(session, office, pupil.id, GuardianInput(
                first_name="Vader", last_name=last, relation="vader"), clock=clock)
            ids[first] = (pupil.id, mother.id, father.id)
        tim = enrol_pupil(session, office, PupilInput(
            first_name="Tim", last_name="Smit", date_of_birth=date(2012, 2, 2), group_name="8B",
            enrolled_on=date(2020, 8, 31)), clock=clock)
        ids["Tim"] = (tim.id,)

        def decide(first, code, decision, parent=1, on=date(2025, 9, 1)):
            pid, *parents = ids[first]
            record_decision(session, office, pid, purposes[code], decision, decided_on=on,
                            guardian_id=parents[parent - 1], channel=Channel.PAPER,
                            clock=clock)

        for code in purposes:
            decide("Daan", code, Decision.GIVEN)
            decide("Ismaël", code, Decision.REFUSED if code == "foto_website"
                   else Decision.GIVEN)
            decide("Noor", code, Decision.GIVEN)
            decide("Bram", code, Decision.GIVEN)
        decide("Noor", "foto_website", Decision.REFUSED, parent=2)
        decide("Bram", "foto_sociale_media", Decision.WITHDRAWN, on=date(2026, 3, 1))
        image_codes = [code for code, in session.execute(
            select(ConsentPurpose.code).where(ConsentPurpose.is_image.is_(True))
            .order_by(ConsentPurpose.sort_order))]
    return {"ids": ids, "purposes": purposes, "image_codes": image_codes}


def pid(school, first) -> int:
    return school["ids"][first][0]


def state_of(vault, user, pupil_id, purpose_id) -> ConsentState:
    with vault.session() as session:
        states = current_states(session, user, [pupil_id], on=date(2026, 11, 24))
    return states.get((pupil_id, purpose_id), ConsentState.NOT_ASKED)


def event_count(vault) -> int:
    with vault.session() as session:
        return session.scalar(select(func.count()).select_from(ConsentEvent))


class Boxes:
    """Records message boxes and the 'PDF ready' messages; answers confirm() as told.
    A print that failed says so through warn(): ``failed`` is the same list as ``warnings``."""

    def __init__(self) -> None:
        self.answer = True
        self.asked: list[str] = []
        self.warnings: list[str] = []
        self.printed: list[tuple[str, Path]] = []
        self.failed = self.warnings

    def confirm(self, _parent, _title, text, **_kwargs) -> bool:
        self.asked.append(text)
        return self.answer

    def warn(self, _parent, _title, text) -> None:
        self.warnings.append(text)

    def show_saved(self, _parent, _title, text, path) -> None:
        self.printed.append((text, path))


@pytest.fixture
def boxes(monkeypatch) -> Boxes:
    """No real message box ever opens in a test."""
    recorder = Boxes()
    monkeypatch.setattr(widgets, "confirm", recorder.confirm)
    monkeypatch.setattr(widgets, "warn", recorder.warn)
    monkeypatch.setattr(widgets, "inform", recorder.warn)
    monkeypatch.setattr(files, "show_saved", recorder.show_saved)
    return recorder
