"""Who may do what. One table, one function: every use-case calls `require`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from db.errors import PermissionDenied
from db.schema import Role, User


class Permission(StrEnum):
    READ_REGISTER = "read_register"            # pupils, consents, suppliers, breaches (no special)
    EDIT_PUPILS = "edit_pupils"
    IMPORT_PUPILS = "import_pupils"
    READ_SPECIAL = "read_special"              # bijzondere persoonsgegevens
    EDIT_SPECIAL = "edit_special"
    RECORD_CONSENT = "record_consent"
    MANAGE_PURPOSES = "manage_purposes"
    READ_GROUP_PHOTO_LIST = "read_group_photo_list"  # teacher: who may not be photographed
    RECORD_BREACH = "record_breach"
    SIGN_OFF_BREACH = "sign_off_breach"
    HANDLE_REQUESTS = "handle_requests"
    ERASE = "erase"
    MANAGE_SUPPLIERS = "manage_suppliers"
    MANAGE_USERS = "manage_users"
    READ_AUDIT = "read_audit"
    EXPORT = "export"
    BACKUP = "backup"
    SETTINGS = "settings"
    READ_BOARD = "read_board"                  # every school of the board side by side


_ALL = frozenset(Permission)
_READ = {Permission.READ_REGISTER, Permission.READ_GROUP_PHOTO_LIST}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.BEHEERDER: _ALL - {Permission.SIGN_OFF_BREACH, Permission.READ_SPECIAL,
                           Permission.EDIT_SPECIAL, Permission.READ_BOARD},
    Role.ADMINISTRATIE: frozenset(_READ | {
        Permission.EDIT_PUPILS, Permission.IMPORT_PUPILS, Permission.RECORD_CONSENT,
        Permission.RECORD_BREACH, Permission.HANDLE_REQUESTS, Permission.MANAGE_SUPPLIERS,
        Permission.EXPORT, Permission.BACKUP, Permission.READ_SPECIAL, Permission.EDIT_SPECIAL,
    }),
    Role.DIRECTIE: _ALL - {Permission.MANAGE_USERS, Permission.READ_BOARD},
    Role.LEERKRACHT: frozenset({Permission.READ_GROUP_PHOTO_LIST}),
    Role.FG: frozenset(_READ | {Permission.READ_AUDIT, Permission.EXPORT,
                                Permission.READ_BOARD}),
    Role.BESTUUR: frozenset(_READ | {Permission.READ_AUDIT, Permission.EXPORT,
                                     Permission.READ_BOARD}),
}

# The board's roles (the school board, bevoegd gezag, and its FG): they read every school of
# the board and change none of a school's records (db.tenancy: a board session; on the
# server the engine's policies allow them SELECT and adding audit entries only). What they
# may do above is reading and exporting; WRITES lists what no board role may ever be given.
BOARD_ROLES = frozenset({Role.FG, Role.BESTUUR})
WRITES = frozenset({
    Permission.EDIT_PUPILS, Permission.IMPORT_PUPILS, Permission.EDIT_SPECIAL,
    Permission.RECORD_CONSENT, Permission.MANAGE_PURPOSES, Permission.RECORD_BREACH,
    Permission.SIGN_OFF_BREACH, Permission.HANDLE_REQUESTS, Permission.ERASE,
    Permission.MANAGE_SUPPLIERS, Permission.MANAGE_USERS, Permission.BACKUP,
    Permission.SETTINGS,
})

ROLE_LABELS = {
    Role.BEHEERDER: "Beheerder",
    Role.ADMINISTRATIE: "Administratie",
    Role.DIRECTIE: "Directie",
    Role.LEERKRACHT: "Leerkracht",
    Role.FG: "Functionaris gegevensbescherming",
    Role.BESTUUR: "Bestuur",
}

_ACTION_LABELS = {
    Permission.READ_REGISTER: "het register inzien",
    Permission.EDIT_PUPILS: "leerlinggegevens wijzigen",
    Permission.IMPORT_PUPILS: "leerlingen importeren",
    Permission.READ_SPECIAL: "bijzondere persoonsgegevens inzien",
    Permission.EDIT_SPECIAL: "bijzondere persoonsgegevens vastleggen",
    Permission.RECORD_CONSENT: "toestemmingen vastleggen",
    Permission.MANAGE_PURPOSES: "toestemmingsdoelen beheren",
    Permission.READ_GROUP_PHOTO_LIST: "de fotolijst van een groep inzien",
    Permission.RECORD_BREACH: "datalekken registreren",
    Permission.SIGN_OFF_BREACH: "datalekken aftekenen",
    Permission.HANDLE_REQUESTS: "verzoeken afhandelen",
    Permission.ERASE: "gegevens verwijderen",
    Permission.MANAGE_SUPPLIERS: "leveranciers beheren",
    Permission.MANAGE_USERS: "gebruikers beheren",
    Permission.READ_AUDIT: "het auditlog inzien",
    Permission.EXPORT: "exports maken",
    Permission.BACKUP: "reservekopieën maken en terugzetten",
    Permission.SETTINGS: "instellingen wijzigen",
    Permission.READ_BOARD: "het overzicht van alle scholen van het bestuur inzien",
}


@dataclass(frozen=True)
class SystemActor:
    """The program itself acting without a person: the CLI, migrations, the demo generator,
    the backup on closing. It may do everything; its audit entries carry no user id
    (``user_id`` NULL), which the audit log shows as "systeem"."""

    name: str = "systeem"
    id: None = None
    role: str = "systeem"
    active: bool = True
    group_name: None = None
    display_name: str = "systeem"
    username: str = "systeem"


SYSTEM = SystemActor()

Actor = User | SystemActor


def check_actor(actor: object) -> None:
    if not isinstance(actor, (User, SystemActor)):
        raise TypeError("every use case needs the acting user (or db.permissions.SYSTEM), "
                        f"not {type(actor).__name__}")


def is_system(actor: Actor) -> bool:
    return isinstance(actor, SystemActor)


def is_board(actor: object) -> bool:
    """A user of the board (fg, bestuur): reads every school, writes none of their records."""
    return isinstance(actor, User) and actor.role in BOARD_ROLES


def may(actor: Actor, permission: Permission) -> bool:
    """May this user do this? The system actor may do everything; a missing actor is a
    programming error (TypeError), never "everything"."""
    check_actor(actor)
    if isinstance(actor, SystemActor):
        return True
    if not actor.active:
        return False
    if permission in WRITES and actor.role in BOARD_ROLES:
        return False  # a board role writes nothing of a school's records, whatever the table
    return permission in ROLE_PERMISSIONS.get(Role(actor.role), frozenset())


def require(actor: Actor, permission: Permission) -> None:
    if not may(actor, permission):
        role = ROLE_LABELS.get(Role(actor.role), actor.role)
        raise PermissionDenied(
            f"U mag {_ACTION_LABELS[permission]} niet met de rol {role}. "
            "Vraag de beheerder of directie om dit te doen."
        )


def require_actor(actor: Actor) -> None:
    """For what every logged-in (active) user may read, e.g. a setting like the idle time."""
    check_actor(actor)
    if not isinstance(actor, SystemActor) and not actor.active:
        raise PermissionDenied("Dit account is uitgeschakeld. Vraag de beheerder om toegang.")


def own_groups(actor: Actor) -> frozenset[str] | None:
    """The groups a teacher (leerkracht) may see; None for every other role (all groups).

    User.group_name may name several groups, separated by commas ("5A, 5B")."""
    check_actor(actor)
    if isinstance(actor, SystemActor) or actor.role != Role.LEERKRACHT:
        return None
    return frozenset(part.strip() for part in (actor.group_name or "").split(",")
                     if part.strip())


def require_group(actor: Actor, group: str | None) -> None:
    """A leerkracht sees only their own group(s): refuse another group and "all groups"."""
    groups = own_groups(actor)
    if groups is None:
        return
    if group is None:
        raise PermissionDenied("Als leerkracht ziet u alleen uw eigen groep, niet alle groepen. "
                               "Kies uw groep.")
    if group not in groups:
        raise PermissionDenied(f"Als leerkracht ziet u alleen uw eigen groep, niet groep "
                               f"{group}.")


_ROLE_NOUNS = {Role.BEHEERDER: "de beheerder", Role.ADMINISTRATIE: "de administratie",
               Role.DIRECTIE: "de directie", Role.LEERKRACHT: "de leerkracht",
               Role.FG: "de functionaris gegevensbescherming", Role.BESTUUR: "het bestuur"}


def required_role_text(permission: Permission) -> str:
    """Who may do this, for a button a role may not use: 'Alleen de beheerder en de directie
    mogen leveranciers beheren.'"""
    roles = [_ROLE_NOUNS[role] for role in Role if permission in ROLE_PERMISSIONS.get(role, ())]
    if not roles:
        return f"Niemand mag {_ACTION_LABELS[permission]}."
    who = roles[0] if len(roles) == 1 else ", ".join(roles[:-1]) + " en " + roles[-1]
    verb = "mag" if len(roles) == 1 else "mogen"
    return f"Alleen {who} {verb} {_ACTION_LABELS[permission]}."
