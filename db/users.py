"""App users (gebruikers): creation, login and password changes. Passwords are argon2 hashes."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.audit import audit
from db.clock import Clock, system_clock
from db.errors import LoginError, ValidationError
from db.permissions import Permission, require
from db.schema import Role, User

MIN_PASSWORD_LENGTH = 8
_hasher = PasswordHasher()


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


def create_user(session: Session, actor: User | None, username: str, password: str, role: Role,
                *, display_name: str = "", group_name: str | None = None,
                clock: Clock = system_clock) -> User:
    """Add a user. `actor` None is allowed only for the very first user (set-up)."""
    if actor is None and user_count(session) > 0:
        raise ValidationError("Alleen de eerste gebruiker wordt zonder aanmelding aangemaakt.")
    require(actor, Permission.MANAGE_USERS)
    name = validate_username(username)
    validate_password(password)
    if session.scalar(select(User.id).where(User.username == name)) is not None:
        raise ValidationError(f"De gebruikersnaam '{name}' bestaat al.", field="username")
    user = User(username=name, display_name=display_name.strip() or name, role=Role(role),
                password_hash=_hasher.hash(password), active=True, group_name=group_name,
                created_at=clock())
    session.add(user)
    session.flush()
    audit(session, actor or user, "user.create", user, clock=clock)
    return user


def user_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


def authenticate(session: Session, username: str, password: str, *,
                 clock: Clock = system_clock) -> User:
    """The user for these credentials; LoginError (one message for both mistakes) otherwise."""
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    failure = LoginError("Gebruikersnaam of wachtwoord klopt niet.")
    if user is None or not user.active:
        _hasher.hash(password)  # same work either way: no hint that the name exists
        raise failure
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        audit(session, user, "user.login_failed", user, clock=clock)
        raise failure from None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    audit(session, user, "user.login", user, clock=clock)
    return user


def verify_password(user: User, password: str) -> bool:
    """For unlocking after idle time: does this password belong to this user?"""
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


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


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


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
