"""App users (gebruikers): creation, login and password changes. Passwords are argon2 hashes.

Brute-force protection, here once for the login dialog and the idle lock: after
FREE_FAILURES failed attempts for a typed user name (known or not) every next attempt waits
1, 2, 4 … seconds (at most MAX_DELAY_SECONDS) after the last failure. The counts live in the
database (login_throttle), so restarting the program does not reset them. Every failure is
audited without the typed name: the user id when the name exists, else a keyed hash.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from datetime import datetime, timedelta
from typing import NamedTuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, insert, or_, select
from sqlalchemy.orm import Session

from db.audit import audit
from db.clock import Clock, system_clock
from db.errors import LoginError, LoginThrottled, ValidationError
from db.permissions import BOARD_ROLES, SYSTEM, Actor, Permission, is_system, require
from db.schema import LoginThrottle, Role, Setting, User
from db.tenancy import session_school

MIN_PASSWORD_LENGTH = 8
FREE_FAILURES = 5          # failures before the delay starts
LOCKOUT_FAILURES = 20      # failures after which the beheerder sees a notice on the overview
MAX_DELAY_SECONDS = 900
LOCKOUT_NOTICE_DAYS = 14   # how long the overview keeps showing a lock-out
def production_hasher() -> PasswordHasher:
    """Argon2id with the library's recommended cost (RFC 9106 low-memory profile)."""
    return PasswordHasher()


_hasher = production_hasher()


def hash_password(password: str) -> str:
    """The stored form of a password (Argon2id)."""
    return _hasher.hash(password)
_WRONG = "Gebruikersnaam of wachtwoord klopt niet."


def validate_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            f"Een wachtwoord heeft minstens {MIN_PASSWORD_LENGTH} tekens.", field="password")


def validate_username(username: str) -> str:
    name = username.strip().lower()
    if not name or len(name) > 64 or any(ch.isspace() for ch in name):
        raise ValidationError("Een gebruikersnaam is één woord zonder spaties (max. 64 tekens).",
                              field="username")
    return name


def create_user(session: Session, actor: Actor, username: str, password: str, role: Role,
                *, display_name: str = "", group_name: str | None = None,
                clock: Clock = system_clock) -> User:
    """Add a user. The system actor adds only the very first user (set-up)."""
    if is_system(actor) and user_count(session) > 0:
        raise ValidationError("Alleen de eerste gebruiker wordt zonder aanmelding aangemaakt.")
    require(actor, Permission.MANAGE_USERS)
    name = validate_username(username)
    validate_password(password)
    if session.scalar(select(User.id).where(User.username == name,
                                            User.school_id == session_school(session))):
        raise ValidationError(f"De gebruikersnaam '{name}' bestaat al.", field="username")
    user = User(username=name, display_name=display_name.strip() or name, role=Role(role),
                password_hash=_hasher.hash(password), active=True, group_name=group_name,
                created_at=clock())
    session.add(user)
    session.flush()
    audit(session, user if is_system(actor) else actor, "user.create", user, clock=clock)
    return user


def user_count(session: Session) -> int:
    """The users of the session's school (db.tenancy)."""
    return session.scalar(select(func.count()).select_from(User).where(
        User.school_id == session_school(session))) or 0


def create_board_user(session: Session, username: str, password: str, role: Role, *,
                      display_name: str = "", clock: Clock = system_clock) -> User:
    """A board account (bestuur, or the board's FG): it belongs to no school, reads every
    school and changes none (db.tenancy, db.permissions.BOARD_ROLES). Made by the owner of a
    register on a server (the board's IT partner), as the system: no school's user manages
    it, and no school's audit chain holds it. A user name is unique among board accounts."""
    if Role(role) not in BOARD_ROLES:
        raise ValidationError("Een bestuursaccount heeft de rol bestuur of fg.", field="role")
    name = validate_username(username)
    validate_password(password)
    if session.scalar(select(User.id).where(User.username == name,
                                            User.school_id.is_(None))) is not None:
        raise ValidationError(f"De gebruikersnaam '{name}' bestaat al.", field="username")
    table = User.__table__
    user_id = session.execute(insert(table).values(
        school_id=None, username=name, display_name=display_name.strip() or name,
        role=Role(role).value, password_hash=_hasher.hash(password), active=True,
        group_name=None, created_at=clock()).returning(table.c.id)).scalar_one()
    return session.get(User, user_id)


# --- logging in and unlocking -------------------------------------------------------------

def login_delay(failures: int) -> int:
    """Seconds to wait after the last failure before the next attempt is checked."""
    if failures < FREE_FAILURES:
        return 0
    return min(2 ** (failures - FREE_FAILURES), MAX_DELAY_SECONDS)


def _name_hash(session: Session, username: str) -> str:
    """A keyed hash of the typed name: the audit log and the throttle never hold the name."""
    key = session.scalar(select(Setting.value).where(Setting.key == "database_id",
                                                     Setting.school_id.is_(None))) or ""
    return hmac.new(key.encode(), username.encode("utf-8"), hashlib.sha256).hexdigest()


def _wait(throttle: LoginThrottle | None, now: datetime) -> int:
    if throttle is None or throttle.last_failure_at is None:
        return 0
    delay = login_delay(throttle.failures)
    left = (throttle.last_failure_at + timedelta(seconds=delay) - now).total_seconds()
    return max(0, math.ceil(left))


def _check(session: Session, username: str, password: str, clock: Clock,
           action: str) -> User:
    """The one throttled, audited credential check (log-in and unlock)."""
    name = username.strip().lower()
    key = _name_hash(session, name)
    # the user of the session's school by that name, else a board account (no school)
    user = session.scalar(select(User).where(
        User.username == name, or_(User.school_id == session_school(session),
                                   User.school_id.is_(None)))
        .order_by(User.school_id.is_(None)).limit(1))
    # audit entries name the user by id when the name exists, else the hash of the name
    target = ({"table_name": "app_user", "record_id": user.id} if user is not None
              else {"table_name": "login_throttle", "record_id": key})
    throttle = session.get(LoginThrottle, key)
    now = clock()
    wait = _wait(throttle, now)
    if wait:
        audit(session, SYSTEM, f"{action}_throttled", clock=clock, **target)
        raise LoginThrottled(f"Te veel mislukte pogingen; probeer het over {wait} seconden "
                             "opnieuw.", seconds=wait)
    valid = False
    if user is None or not user.active:
        _hasher.hash(password)  # same work either way: no hint that the name exists
    else:
        try:
            valid = _hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            valid = False
    if not valid:
        if throttle is None:
            throttle = LoginThrottle(name_hash=key, failures=0)
            session.add(throttle)
        throttle.failures += 1
        throttle.last_failure_at = now
        if throttle.failures >= LOCKOUT_FAILURES and throttle.locked_out_at is None:
            throttle.locked_out_at = now
        audit(session, SYSTEM, f"{action}_failed", clock=clock, **target)
        raise LoginError(_WRONG)
    if throttle is not None:
        throttle.failures, throttle.last_failure_at = 0, None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    audit(session, user, action, user, clock=clock)
    session.expire(user, ["password_hash"])  # the logged-in User does not carry the hash
    return user


def authenticate(session: Session, username: str, password: str, *,
                 clock: Clock = system_clock) -> User:
    """The user for these credentials; LoginError (one message for both mistakes) otherwise,
    LoginThrottled while too many attempts failed. Commit also after an error: the failure
    is counted and audited in this session."""
    return _check(session, username, password, clock, "user.login")


def unlock(session: Session, user: User, password: str, *,
           clock: Clock = system_clock) -> User:
    """Unlocking after idle time: the same throttled, audited check as logging in, for the
    user who was logged in. Commit also after an error (see authenticate)."""
    if not isinstance(user, User) or user.id is None:
        raise TypeError("unlock needs the logged-in user")
    name = session.scalar(select(User.username).where(User.id == user.id))
    if name is None:
        raise LoginError(_WRONG)
    return _check(session, name, password, clock, "user.unlock")


def recent_lockouts(session: Session, actor: Actor, *, clock: Clock = system_clock) -> int:
    """How many user names reached LOCKOUT_FAILURES failures in the last LOCKOUT_NOTICE_DAYS
    (for the beheerder's overview). Says nothing about which names."""
    require(actor, Permission.MANAGE_USERS)
    since = clock() - timedelta(days=LOCKOUT_NOTICE_DAYS)
    return session.scalar(select(func.count()).select_from(LoginThrottle)
                          .where(LoginThrottle.locked_out_at >= since)) or 0


def set_password(session: Session, actor: User, user_id: int, new_password: str, *,
                 clock: Clock = system_clock) -> None:
    """A user changes their own password; a beheerder resets anyone's."""
    if actor.id != user_id:
        require(actor, Permission.MANAGE_USERS)
    validate_password(new_password)
    user = session.get(User, user_id)
    if user is None:
        raise ValidationError("Deze gebruiker bestaat niet.")
    user.password_hash = _hasher.hash(new_password)
    audit(session, actor, "user.password", user, clock=clock)


class UserRow(NamedTuple):
    """A user as the users view shows it: no password hash."""

    id: int
    username: str
    display_name: str
    role: str
    active: bool
    group_name: str | None


def list_users(session: Session, actor: Actor) -> list[UserRow]:
    """Every user, by user name (users view; MANAGE_USERS)."""
    require(actor, Permission.MANAGE_USERS)
    return [UserRow(*row) for row in session.execute(
        select(User.id, User.username, User.display_name, User.role, User.active,
               User.group_name).where(User.school_id == session_school(session))
        .order_by(User.username))]


class UserName(NamedTuple):
    id: int
    username: str
    display_name: str

    @property
    def label(self) -> str:
        return self.display_name or self.username


def user_names(session: Session, actor: Actor) -> list[UserName]:
    """Who is who, to name the people in the audit log and the erasure list (READ_REGISTER)."""
    require(actor, Permission.READ_REGISTER)
    return [UserName(*row) for row in session.execute(
        select(User.id, User.username, User.display_name).order_by(User.username))]


def update_user(session: Session, actor: User, user_id: int, *, role: Role | None = None,
                active: bool | None = None, display_name: str | None = None,
                group_name: str | None = None, clock: Clock = system_clock) -> User:
    """Change a user's role, name, group or whether they may log in (never delete: the audit
    log keeps pointing at them)."""
    require(actor, Permission.MANAGE_USERS)
    user = session.get(User, user_id)
    if user is None:
        raise ValidationError("Deze gebruiker bestaat niet.")
    if user.id == actor.id and (active is False or (role is not None and role != actor.role)):
        raise ValidationError("U kunt uw eigen rol of toegang niet wijzigen; vraag een andere "
                              "beheerder.", field="role")
    if role is not None:
        user.role = Role(role)
    if active is not None:
        user.active = active
    if display_name is not None:
        user.display_name = display_name.strip() or user.username
    if group_name is not None:
        user.group_name = group_name.strip() or None
    audit(session, actor, "user.update", user, clock=clock)
    return user
