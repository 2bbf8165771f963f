"""The school this register belongs to, and the one-time set-up of a new register."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import brin as brin_code

from db.audit import audit
from db.clock import Clock, system_clock
from db.errors import ValidationError
from db.permissions import SYSTEM, Actor, require_actor
from db.schema import Role, School, Setting, User
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
                        admin_role: Role = Role.BEHEERDER, clock: Clock = system_clock) -> User:
    """Record the school and create the first user (set-up, before anyone can log in)."""
    if user_count(session) > 0 or session.scalar(select(School.id)) is not None:
        raise ValidationError("Deze database is al ingericht.")
    name = school_name.strip()
    if not name:
        raise ValidationError("Vul de naam van de school in.", field="school_name")
    school = School(name=name, brin=normalise_brin(brin), created_at=clock())
    session.add(school)
    admin = create_user(session, SYSTEM, admin_username, admin_password, admin_role,
                        display_name=admin_display_name, clock=clock)
    audit(session, admin, "school.create", school, clock=clock)
    return admin


def get_school(session: Session) -> School | None:
    """The school's name, BRIN and FG contact: shown before anyone logs in, no personal data
    of pupils or parents."""
    return session.scalar(select(School).order_by(School.id).limit(1))


def get_setting(session: Session, actor: Actor, key: str, default: str = "") -> str:
    """A setting of this register; every active user may read them (e.g. the idle time)."""
    require_actor(actor)
    row = session.get(Setting, key)
    return row.value if row is not None else default


def put_setting(session: Session, actor: Actor, key: str, value: str) -> None:
    from db.permissions import Permission, require

    require(actor, Permission.SETTINGS)
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
    audit(session, actor, "setting.update", table_name="setting", record_id=key)
