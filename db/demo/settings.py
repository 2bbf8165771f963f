"""The demo school's fixed facts: its name, BRIN, teacher group, users and passphrase."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from db.schema import Role

DEMO_PASSPHRASE = "demo-privacyregister"  # only where no keyring exists; the data is fake
DEMO_SCHOOL_NAME = "OBS De Regenboog"
DEMO_BRIN = "12AB"
DEMO_TEACHER_GROUP = "5A"
CHUNK = 500  # pupils per bulk round (and per progress report)


class DemoUser(NamedTuple):
    username: str
    password: str
    role: Role
    display_name: str


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("beheer", "demo-beheer", Role.BEHEERDER, "Demo Beheerder"),
    DemoUser("administratie", "demo-admin", Role.ADMINISTRATIE, "Demo Administratie"),
    DemoUser("directie", "demo-directie", Role.DIRECTIE, "Demo Directeur"),
    DemoUser("leerkracht", "demo-leerkracht", Role.LEERKRACHT,
             f"Demo Leerkracht groep {DEMO_TEACHER_GROUP}"),
    DemoUser("fg", "demo-fg-avg", Role.FG, "Demo Functionaris Gegevensbescherming"),
)


Progress = Callable[[int, int], bool]


@dataclass
class DemoSummary:
    users_created: int = 0
    pupils: int = 0
    left_pupils: int = 0
    guardians: int = 0
    consent_events: int = 0
    special_records: int = 0
    breaches: int = 0
    requests: int = 0
    suppliers: int = 0
    exchanges: int = 0
    retention_rules: int = 0
    vulnerability_reports: int = 0
    audit_entries: int = 0
