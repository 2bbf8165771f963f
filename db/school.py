"""The school this register belongs to, and the one-time set-up of a new register."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import brin as brin_code

from db.audit import audit
from db.clock import Clock, system_clock
from db.errors import ValidationError
from db.permissions import SYSTEM, Actor, require_actor
from db.schema import Role, School, Setting, User
from db.tenancy import forget_one_school, session_school, use_school
from db.users import create_user, user_count


def normalise_brin(value: str) -> str:
    """A valid BRIN (4 characters, or 6 with a vestiging number), upper case."""
    try:
        return brin_code.validate(value)
    except StdnumError:
        raise ValidationError(
            "Een BRIN-nummer heeft twee cijfers en twee letters, bijvoorbeeld 12AB "
            "(eventueel met een vestigingsnummer: 12AB01).", field="brin") from None


def initialise_register(session: Session, *, school_name: str, brin: str, admin_username: str,
                        admin_password: str, admin_display_name: str = "",
                        admin_role: Role = Role.BEHEERDER, clock: Clock = system_clock,
                        another_school: bool = False) -> User:
    """Record the school and create its first user (set-up, before anyone can log in); from
    then on the session works for that school (db.tenancy.use_school).

    `another_school`: a further school of a board in a register on a server (added by the
    database's owner, db.register.add_school); otherwise the register must be empty."""
    if not another_school and (user_count(session) > 0
                               or session.scalar(select(School.id)) is not None):
        raise ValidationError("Deze database is al ingericht.")
    name = school_name.strip()
    if not name:
        raise ValidationError("Vul de naam van de school in.", field="school_name")
    school = School(name=name, brin=normalise_brin(brin), created_at=clock())
    session.add(school)
    session.flush()
    if another_school:  # the register's one school is no longer the default (db.tenancy)
        forget_one_school(session.connection())
    use_school(session, school.id)
    admin = create_user(session, SYSTEM, admin_username, admin_password, admin_role,
                        display_name=admin_display_name, clock=clock)
    audit(session, admin, "school.create", school, clock=clock)
    return admin


def get_school(session: Session) -> School | None:
    """The session's school (db.tenancy; a file's one school): its name, BRIN and FG
    contact, shown before anyone logs in, no personal data of pupils or parents."""
    school_id = session_school(session)
    return session.get(School, school_id) if school_id is not None else None


def schools_to_log_in_to(session: Session) -> list[tuple[int, str, str]]:
    """(id, name, BRIN) of every school of the register, by name: a workstation of a board's
    register that holds several schools asks at log-in which school it works for (user names
    are unique per school). Names and BRIN only, readable before anyone logs in."""
    schools = School.__table__.c  # the table itself: a session's school filter does not apply
    return [(row.id, row.name, row.brin) for row in session.execute(
        select(schools.id, schools.name, schools.brin).order_by(schools.name, schools.id))]


def school_ids_with_brin(session: Session, brin: str) -> list[int]:
    """The ids of the register's schools with this (normalised) BRIN: the CLI's --school
    chooses the school it works for before anyone acts; no personal data."""
    schools = School.__table__.c  # the table itself: a session's school filter does not apply
    return list(session.execute(select(schools.id).where(schools.brin == brin)).scalars())


def setting_row(session: Session, key: str) -> Setting | None:
    """The setting `key` of the session's school (db.tenancy); a key is unique per school."""
    return session.scalar(select(Setting).where(Setting.key == key,
                                                Setting.school_id == session_school(session)))


def get_setting(session: Session, actor: Actor, key: str, default: str = "") -> str:
    """A setting of this register; every active user may read them (e.g. the idle time)."""
    require_actor(actor)
    row = setting_row(session, key)
    return row.value if row is not None else default


def put_setting(session: Session, actor: Actor, key: str, value: str) -> None:
    from db.permissions import Permission, require

    require(actor, Permission.SETTINGS)
    row = setting_row(session, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
    audit(session, actor, "setting.update", table_name="setting", record_id=key)


# --- the school's contact for what it tells parents (schoolgids, register art. 30) ---------

CONTACT_SETTINGS = {
    "privacy_email": "contact.privacy_email",
    "disclosure_address": "contact.disclosure_address",
    "parent_app": "contact.parent_app",
    "controller": "contact.controller",
}
CONTACT_LABELS = {
    "fg_name": "de naam van de functionaris gegevensbescherming",
    "fg_email": "het e-mailadres van de functionaris gegevensbescherming",
    "privacy_email": "het e-mailadres voor vragen over privacy",
    "disclosure_address": "het adres voor het melden van kwetsbaarheden",
    "parent_app": "de ouderapp van de school",
    "controller": "de naam van het bevoegd gezag (de stichting of vereniging)",
}
PARENT_APPS = ("Parro", "Social Schools", "Schoolgesprek", "Klasbord")


@dataclass(frozen=True)
class SchoolContact:
    """Set once in Beheer; every text for parents and the art. 30 register reads it here."""

    fg_name: str = ""
    fg_email: str = ""
    privacy_email: str = ""
    disclosure_address: str = ""  # an e-mail address or a web page (responsible disclosure)
    parent_app: str = ""          # e.g. Parro or Social Schools; empty: no parent app
    controller: str = ""          # bevoegd gezag, e.g. "Stichting Openbaar Onderwijs Regenboog"

    def missing(self, *names: str) -> list[str]:
        """The Dutch labels of these settings that are not filled in."""
        return [CONTACT_LABELS[name] for name in names if not getattr(self, name).strip()]


def school_contact(session: Session, actor: Actor) -> SchoolContact:
    """The school's privacy contacts; every active user may read them (nothing personal of
    pupils or parents)."""
    require_actor(actor)
    school = get_school(session)
    values = {name: (row.value if (row := setting_row(session, key)) is not None else "")
              for name, key in CONTACT_SETTINGS.items()}
    return SchoolContact(fg_name=school.fg_name if school else "",
                         fg_email=school.fg_email if school else "", **values)


def _looks_like_address(value: str) -> bool:
    if not value:
        return True
    if value.startswith(("https://", "http://")):
        return "." in value and " " not in value
    local, at, domain = value.partition("@")
    return bool(local and at and "." in domain and " " not in value)


def set_school_contact(session: Session, actor: Actor, contact: SchoolContact, *,
                       clock: Clock = system_clock) -> SchoolContact:
    """Save the contacts (FG, privacy address, disclosure address, parent app, controller)."""
    from db.permissions import Permission, require

    require(actor, Permission.SETTINGS)
    school = get_school(session)
    if school is None:
        raise ValidationError("Dit register heeft nog geen school.")
    values = {name: " ".join(getattr(contact, name).split()) for name in CONTACT_LABELS}
    for name in ("fg_email", "privacy_email"):
        if not _looks_like_address(values[name]) or values[name].startswith("http"):
            raise ValidationError(f"Vul bij {CONTACT_LABELS[name]} een e-mailadres in, "
                                  "bijvoorbeeld privacy@school.nl.", field=name)
    if not _looks_like_address(values["disclosure_address"]):
        raise ValidationError("Vul bij het adres voor het melden van kwetsbaarheden een "
                              "e-mailadres of een webadres (https://…) in.",
                              field="disclosure_address")
    if (school.fg_name, school.fg_email) != (values["fg_name"], values["fg_email"]):
        school.fg_name, school.fg_email = values["fg_name"], values["fg_email"]
        audit(session, actor, "school.contact", school, clock=clock)
    for name, key in CONTACT_SETTINGS.items():
        row = setting_row(session, key)
        if row is not None and row.value == values[name]:
            continue
        if row is None:
            session.add(Setting(key=key, value=values[name]))
        else:
            row.value = values[name]
        audit(session, actor, "setting.update", table_name="setting", record_id=key,
              clock=clock)
    return SchoolContact(**values)
