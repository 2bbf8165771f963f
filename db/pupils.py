"""Leerlingen en ouders/verzorgers: the use-cases of the pupil register.

Every function takes a Session and the acting user, checks the permission, validates the
input with Dutch messages naming the field, writes, and appends to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, aliased

from db.audit import audit
from db.clock import Clock, local_today, system_clock
from db.errors import NotFoundError, ValidationError
from db.permissions import Actor, Permission, own_groups, require
from db.schema import Guardian, Pupil, PupilGuardian, SpecialCategoryRecord, User
from db.text import fold, format_dutch_date
from db.versions import expect_version, refused_when_changed


class SpecialCategory(StrEnum):
    """The kinds of bijzondere persoonsgegevens the register keeps (stored as these strings)."""

    MEDICAL = "medical"
    RELIGION = "religion"
    OTHER = "other"


SPECIAL_CATEGORIES = {SpecialCategory.MEDICAL: "Medisch",
                      SpecialCategory.RELIGION: "Geloofsovertuiging",
                      SpecialCategory.OTHER: "Overig"}


class PupilStatus(StrEnum):
    """Where a pupil stands on a day: still at school, leaving on a set day, or left."""

    CURRENT = "current"
    LEAVING = "leaving"  # a leaving date is recorded and still to come
    LEFT = "left"


class PupilRow(NamedTuple):
    """One row of the pupil list: plain values from one query, no ORM object."""

    id: int
    first_name: str
    prefix: str
    last_name: str
    group_name: str
    year_group: int | None
    date_of_birth: date | None
    enrolled_on: date | None
    left_on: date | None
    search_key: str

    @property
    def sort_name(self) -> str:
        """'Berg, van den' — how Dutch lists sort and show surnames."""
        return f"{self.last_name}, {self.prefix}" if self.prefix else self.last_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.prefix, self.last_name) if part)

    def is_current(self, today: date) -> bool:
        return self.left_on is None or self.left_on > today

    def status_on(self, today: date) -> PupilStatus:
        return pupil_status(self.left_on, today)


def pupil_status(left_on: date | None, today: date) -> PupilStatus:
    """The pupil's status on `today`: a pupil leaving on a day is current until that day."""
    if left_on is None:
        return PupilStatus.CURRENT
    return PupilStatus.LEAVING if left_on > today else PupilStatus.LEFT


def search_key(first_name: str, given_names: str, prefix: str, last_name: str) -> str:
    """Folded text that a search matches against, surname with and without its voorvoegsel."""
    return fold(f"{first_name} {given_names} {prefix} {last_name} | {last_name} {prefix}")


def matches(key: str, query: str) -> bool:
    """Every word of the query occurs in the key: 'berg van' finds 'van den Berg'."""
    return all(word in key for word in fold(query).replace(",", " ").split())


def _pupil_row_query():  # noqa: ANN202 - a Select of PupilRow's columns
    return select(Pupil.id, Pupil.first_name, Pupil.given_names, Pupil.prefix, Pupil.last_name,
                  Pupil.group_name, Pupil.year_group, Pupil.date_of_birth, Pupil.enrolled_on,
                  Pupil.left_on).order_by(Pupil.last_name, Pupil.first_name, Pupil.id)


def _pupil_row_list(result) -> list[PupilRow]:  # noqa: ANN001 - rows of _pupil_row_query
    return [PupilRow(pid, first, prefix, last, group, year, born, enrolled, left,
                     search_key(first, given, prefix, last))
            for pid, first, given, prefix, last, group, year, born, enrolled, left in result]


def pupil_rows(session: Session, actor: Actor) -> list[PupilRow]:
    require(actor, Permission.READ_REGISTER)
    return _pupil_row_list(session.execute(_pupil_row_query()))


def _current_on(today: date):  # noqa: ANN202 - a WHERE clause
    """Pupil is current on `today` (PupilRow.is_current, in SQL): not left, or leaving later."""
    return Pupil.left_on.is_(None) | (Pupil.left_on > today)


def current_group_rows(session: Session, actor: Actor, group_name: str,
                       today: date) -> list[PupilRow]:
    """The pupils of one group who are current on `today`: the rows of pupil_rows() for which
    ``row.group_name == group_name and row.is_current(today)``, in the same order, read
    through the group's index instead of the whole register."""
    require(actor, Permission.READ_REGISTER)
    return _pupil_row_list(session.execute(
        _pupil_row_query().where(Pupil.group_name == group_name, _current_on(today))))


def current_group_names(session: Session, actor: Actor, today: date) -> list[str]:
    """The groups with at least one pupil current on `today`, in group_names() order; the
    empty name too when a current pupil has no group (first, being the shortest)."""
    require(actor, Permission.READ_REGISTER)
    # each group's name from its index, then one current pupil of it looked up (not every
    # pupil's row: at 100,000 pupils that read the register out of order, 0.5 s)
    groups = select(Pupil.group_name.label("name")).distinct().subquery()
    member = aliased(Pupil)
    current = (select(member.id).where(member.group_name == groups.c.name,
                                       member.left_on.is_(None) | (member.left_on > today))
               .exists())
    names = session.scalars(select(groups.c.name).where(current))
    return sorted(names, key=lambda name: (len(name), name))


def group_names(session: Session, actor: Actor) -> list[str]:
    """The groups in the register; a leerkracht gets only their own group(s)."""
    require(actor, Permission.READ_GROUP_PHOTO_LIST)
    names = session.scalars(select(Pupil.group_name).distinct().where(Pupil.group_name != ""))
    own = own_groups(actor)
    if own is not None:
        names = [name for name in names if name in own]
    return sorted(names, key=lambda name: (len(name), name))


# --- input and validation ---------------------------------------------------------------

@dataclass
class PupilInput:
    first_name: str
    last_name: str
    date_of_birth: date | None
    group_name: str
    enrolled_on: date | None
    prefix: str = ""
    given_names: str = ""
    year_group: int | None = None
    notes: str = ""
    source_key: str | None = None


def year_group_from_name(group_name: str) -> int | None:
    """'5B' → 5, 'Groep 3a' → 3; None when the name holds no single digit 1–8."""
    digits = [ch for ch in group_name if ch.isdigit()]
    if len(digits) == 1 and 1 <= int(digits[0]) <= 8:
        return int(digits[0])
    return None


def validate_pupil(data: PupilInput, today: date) -> PupilInput:
    """Clean and check; raise ValidationError naming the field."""
    first, last = data.first_name.strip(), data.last_name.strip()
    if not first:
        raise ValidationError("Vul de roepnaam in.", field="first_name")
    if not last:
        raise ValidationError("Vul de achternaam in.", field="last_name")
    if data.date_of_birth is None:
        raise ValidationError("Vul de geboortedatum in (dd-mm-jjjj).", field="date_of_birth")
    if data.date_of_birth > today:
        raise ValidationError("De geboortedatum ligt in de toekomst.", field="date_of_birth")
    if data.date_of_birth.year < today.year - 25:
        raise ValidationError("Deze geboortedatum is te lang geleden voor een leerling.",
                              field="date_of_birth")
    group = data.group_name.strip()
    if not group:
        raise ValidationError("Vul de groep in, bijvoorbeeld 3B.", field="group_name")
    year = data.year_group if data.year_group is not None else year_group_from_name(group)
    if year is not None and not 1 <= year <= 8:
        raise ValidationError("De jaargroep is een getal van 1 tot en met 8.", field="year_group")
    if data.enrolled_on is None:
        raise ValidationError("Vul de datum van inschrijving in (dd-mm-jjjj).",
                              field="enrolled_on")
    if data.enrolled_on < data.date_of_birth:
        raise ValidationError("De inschrijfdatum ligt vóór de geboortedatum.",
                              field="enrolled_on")
    return PupilInput(first_name=first, last_name=last, date_of_birth=data.date_of_birth,
                      group_name=group, enrolled_on=data.enrolled_on,
                      prefix=data.prefix.strip(), given_names=data.given_names.strip(),
                      year_group=year, notes=data.notes.strip(),
                      source_key=(data.source_key or "").strip() or None)


def find_same_pupils(session: Session, actor: Actor, first_name: str, last_name: str,
                     born: date | None, *, exclude_id: int | None = None) -> list[int]:
    """Ids of pupils with the same name and birth date (a warning, not a refusal)."""
    require(actor, Permission.READ_REGISTER)
    query = select(Pupil.id).where(func.lower(Pupil.first_name) == first_name.strip().lower(),
                                   func.lower(Pupil.last_name) == last_name.strip().lower(),
                                   Pupil.date_of_birth == born)
    if exclude_id is not None:
        query = query.where(Pupil.id != exclude_id)
    return list(session.scalars(query))


def _refuse_taken_source_key(session: Session, source_key: str | None, *,
                            exclude_id: int | None = None) -> None:
    """A source-system key (leerlingnummer) belongs to one pupil (unique since revision 0004)."""
    if not source_key:
        return
    query = select(Pupil.id).where(Pupil.source_key == source_key, Pupil.legacy_duplicate == 0)
    if exclude_id is not None:
        query = query.where(Pupil.id != exclude_id)
    if session.scalars(query).first() is not None:
        raise ValidationError(
            f"Leerlingnummer {source_key} hoort al bij een andere leerling in het register. "
            "Controleer het nummer, of open die leerling.", field="source_key")


# --- use-cases --------------------------------------------------------------------------

def enrol_pupil(session: Session, actor: User, data: PupilInput, *,
                allow_duplicate: bool = False, clock: Clock = system_clock) -> Pupil:
    """Inschrijven. Refuses a second pupil with the same name and birth date unless confirmed."""
    require(actor, Permission.EDIT_PUPILS)
    clean = validate_pupil(data, local_today(clock))
    if not allow_duplicate and find_same_pupils(session, actor, clean.first_name,
                                                clean.last_name, clean.date_of_birth):
        raise ValidationError(
            f"Er staat al een leerling {clean.first_name} {clean.last_name} met geboortedatum "
            f"{format_dutch_date(clean.date_of_birth)} in het register. Controleer of het om "
            "dezelfde leerling gaat.", field="duplicate")
    _refuse_taken_source_key(session, clean.source_key)
    pupil = Pupil(**vars(clean), created_at=clock())
    session.add(pupil)
    audit(session, actor, "pupil.enrol", pupil, clock=clock)
    return pupil


def get_pupil(session: Session, actor: Actor, pupil_id: int) -> Pupil:
    require(actor, Permission.READ_REGISTER)
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise NotFoundError("Deze leerling staat niet (meer) in het register.")
    return pupil


def update_pupil(session: Session, actor: User, pupil_id: int, data: PupilInput, *,
                 loaded_version: int | None = None, clock: Clock = system_clock) -> Pupil:
    """Save the pupil's form. `loaded_version`: the pupil's version when the form was loaded
    (Pupil.version); a save over someone else's later change raises ChangedElsewhereError
    and writes nothing (db/versions.py)."""
    require(actor, Permission.EDIT_PUPILS)
    pupil = get_pupil(session, actor, pupil_id)
    expect_version(pupil, loaded_version)
    clean = validate_pupil(data, local_today(clock))
    if pupil.legacy_duplicate == 0:
        _refuse_taken_source_key(session, clean.source_key, exclude_id=pupil_id)
    for name, value in vars(clean).items():
        setattr(pupil, name, value)
    with refused_when_changed():
        audit(session, actor, "pupil.update", pupil, clock=clock)
    return pupil


def record_leaving(session: Session, actor: User, pupil_id: int, left_on: date, *,
                   clock: Clock = system_clock) -> Pupil:
    """Uitschrijven: the pupil stays in the register until retention removes them."""
    require(actor, Permission.EDIT_PUPILS)
    pupil = get_pupil(session, actor, pupil_id)
    if pupil.enrolled_on and left_on < pupil.enrolled_on:
        raise ValidationError("De vertrekdatum ligt vóór de inschrijfdatum.", field="left_on")
    pupil.left_on = left_on
    with refused_when_changed():
        audit(session, actor, "pupil.leave", pupil, clock=clock)
    return pupil


def undo_leaving(session: Session, actor: User, pupil_id: int, *,
                 clock: Clock = system_clock) -> Pupil:
    require(actor, Permission.EDIT_PUPILS)
    pupil = get_pupil(session, actor, pupil_id)
    pupil.left_on = None
    with refused_when_changed():
        audit(session, actor, "pupil.leave_undone", pupil, clock=clock)
    return pupil


# --- guardians --------------------------------------------------------------------------

@dataclass
class GuardianInput:
    last_name: str
    first_name: str = ""
    prefix: str = ""
    phone: str = ""
    email: str = ""
    address_secret: bool = False
    relation: str = "ouder"
    has_authority: bool = True


class GuardianRow(NamedTuple):
    id: int
    first_name: str
    prefix: str
    last_name: str
    relation: str
    has_authority: bool
    phone: str
    email: str
    address_secret: bool
    version: int = 1  # Guardian.version when read: update_guardian's loaded_version

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.prefix, self.last_name) if part)


def _validate_guardian(data: GuardianInput) -> None:
    if not data.last_name.strip():
        raise ValidationError("Vul de achternaam van de ouder/verzorger in.", field="last_name")
    email = data.email.strip()
    if email and ("@" not in email or "." not in email.split("@")[-1] or " " in email):
        raise ValidationError(f"'{email}' is geen geldig e-mailadres.", field="email")
    phone = data.phone.strip()
    if phone and sum(ch.isdigit() for ch in phone) < 9:
        raise ValidationError("Een telefoonnummer heeft minstens 9 cijfers.", field="phone")


MAX_ENROL_GUARDIANS = 2


def enrol_with_guardians(session: Session, actor: User, data: PupilInput,
                         guardians: list[GuardianInput], *, allow_duplicate: bool = False,
                         clock: Clock = system_clock) -> Pupil:
    """Inschrijven by hand: the pupil and one or two ouders/verzorgers, all or nothing.

    A guardian's ValidationError names its row: ``guardians.0.last_name`` is the first one's
    surname. Empty rows (nothing typed) are left out before counting.
    """
    require(actor, Permission.EDIT_PUPILS)
    typed = [index for index, g in enumerate(guardians)
             if any((g.first_name.strip(), g.prefix.strip(), g.last_name.strip()))]
    if not typed:
        raise ValidationError("Vul minstens één ouder/verzorger in (de achternaam is genoeg).",
                              field="guardians.0.last_name")
    if len(typed) > MAX_ENROL_GUARDIANS:
        raise ValidationError("Bij inschrijven passen twee ouders/verzorgers; voeg een derde "
                              "toe op de leerlingkaart.", field="guardians")
    for index in typed:
        try:
            _validate_guardian(guardians[index])
        except ValidationError as error:
            raise ValidationError(str(error),
                                  field=f"guardians.{index}.{error.field}") from None
    pupil = enrol_pupil(session, actor, data, allow_duplicate=allow_duplicate, clock=clock)
    session.flush()
    for index in typed:
        add_guardian(session, actor, pupil.id, guardians[index], clock=clock)
    return pupil


def guardians_of(session: Session, actor: Actor, pupil_id: int) -> list[GuardianRow]:
    require(actor, Permission.READ_REGISTER)
    result = session.execute(
        select(Guardian.id, Guardian.first_name, Guardian.prefix, Guardian.last_name,
               PupilGuardian.relation, PupilGuardian.has_authority, Guardian.phone,
               Guardian.email, Guardian.address_secret, Guardian.version)
        .join(PupilGuardian, PupilGuardian.guardian_id == Guardian.id)
        .where(PupilGuardian.pupil_id == pupil_id).order_by(Guardian.id)
    )
    return [GuardianRow(*row) for row in result]


def add_guardian(session: Session, actor: User, pupil_id: int, data: GuardianInput, *,
                 clock: Clock = system_clock) -> Guardian:
    require(actor, Permission.EDIT_PUPILS)
    get_pupil(session, actor, pupil_id)
    _validate_guardian(data)
    guardian = Guardian(first_name=data.first_name.strip(), prefix=data.prefix.strip(),
                        last_name=data.last_name.strip(), phone=data.phone.strip(),
                        email=data.email.strip(), address_secret=data.address_secret,
                        created_at=clock())
    session.add(guardian)
    session.flush()
    session.add(PupilGuardian(pupil_id=pupil_id, guardian_id=guardian.id,
                              relation=data.relation.strip() or "ouder",
                              has_authority=data.has_authority))
    audit(session, actor, "guardian.add", guardian, clock=clock)
    audit(session, actor, "guardian.link", table_name="pupil_guardian",
          record_id=f"{pupil_id}/{guardian.id}", clock=clock)
    return guardian


def link_guardian(session: Session, actor: User, pupil_id: int, guardian_id: int, *,
                  relation: str = "ouder", has_authority: bool = True,
                  clock: Clock = system_clock) -> None:
    """Attach an existing guardian (a sibling's parent) to another pupil."""
    require(actor, Permission.EDIT_PUPILS)
    get_pupil(session, actor, pupil_id)
    if session.get(Guardian, guardian_id) is None:
        raise NotFoundError("Deze ouder/verzorger bestaat niet (meer).")
    if session.get(PupilGuardian, (pupil_id, guardian_id)) is None:
        session.add(PupilGuardian(pupil_id=pupil_id, guardian_id=guardian_id, relation=relation,
                                  has_authority=has_authority))
    audit(session, actor, "guardian.link", table_name="pupil_guardian",
          record_id=f"{pupil_id}/{guardian_id}", clock=clock)


def update_guardian(session: Session, actor: User, pupil_id: int, guardian_id: int,
                    data: GuardianInput, *, loaded_version: int | None = None,
                    clock: Clock = system_clock) -> Guardian:
    """Save a guardian's form; `loaded_version` (GuardianRow.version) as for update_pupil."""
    require(actor, Permission.EDIT_PUPILS)
    _validate_guardian(data)
    link = session.get(PupilGuardian, (pupil_id, guardian_id))
    if link is None:
        raise NotFoundError("Deze ouder/verzorger hoort niet bij deze leerling.")
    guardian = link.guardian
    expect_version(guardian, loaded_version)
    guardian.first_name, guardian.prefix = data.first_name.strip(), data.prefix.strip()
    guardian.last_name, guardian.phone = data.last_name.strip(), data.phone.strip()
    guardian.email, guardian.address_secret = data.email.strip(), data.address_secret
    link.relation, link.has_authority = data.relation.strip() or "ouder", data.has_authority
    with refused_when_changed():
        audit(session, actor, "guardian.update", guardian, clock=clock)
    audit(session, actor, "guardian.update", table_name="pupil_guardian",
          record_id=f"{pupil_id}/{guardian_id}", clock=clock)
    return guardian


def remove_guardian(session: Session, actor: User, pupil_id: int, guardian_id: int, *,
                    clock: Clock = system_clock) -> None:
    """Unlink; the guardian's record goes too when no other pupil has them."""
    require(actor, Permission.EDIT_PUPILS)
    link = session.get(PupilGuardian, (pupil_id, guardian_id))
    if link is None:
        raise NotFoundError("Deze ouder/verzorger hoort niet bij deze leerling.")
    session.delete(link)
    session.flush()
    others = session.scalar(select(func.count()).select_from(PupilGuardian)
                            .where(PupilGuardian.guardian_id == guardian_id))
    if not others and _guardian_unreferenced(session, guardian_id):
        session.execute(delete(Guardian).where(Guardian.id == guardian_id))
    audit(session, actor, "guardian.remove", table_name="pupil_guardian",
          record_id=f"{pupil_id}/{guardian_id}", clock=clock)


def _guardian_unreferenced(session: Session, guardian_id: int) -> bool:
    from db.schema import ConsentEvent, DataRequest

    for model in (ConsentEvent, DataRequest):
        if session.scalar(select(func.count()).select_from(model)
                          .where(model.guardian_id == guardian_id)):
            return False  # history keeps pointing at them
    return True


# --- special categories -----------------------------------------------------------------

class SpecialRow(NamedTuple):
    id: int
    category: str
    description: str
    recorded_on: date


def read_special(session: Session, actor: User, pupil_id: int, *,
                 clock: Clock = system_clock) -> list[SpecialRow]:
    """Bijzondere persoonsgegevens. Every opening is audited, also an empty one."""
    require(actor, Permission.READ_SPECIAL)
    get_pupil(session, actor, pupil_id)
    rows = session.execute(
        select(SpecialCategoryRecord.id, SpecialCategoryRecord.category,
               SpecialCategoryRecord.description, SpecialCategoryRecord.recorded_at)
        .where(SpecialCategoryRecord.pupil_id == pupil_id).order_by(SpecialCategoryRecord.id)
    ).all()
    audit(session, actor, "special.read", table_name="pupil", record_id=pupil_id, clock=clock)
    return [SpecialRow(rid, cat, text, at.date()) for rid, cat, text, at in rows]


def add_special(session: Session, actor: User, pupil_id: int, category: str,
                description: str, *, clock: Clock = system_clock) -> SpecialCategoryRecord:
    require(actor, Permission.EDIT_SPECIAL)
    get_pupil(session, actor, pupil_id)
    if category not in SPECIAL_CATEGORIES:
        raise ValidationError("Kies een soort gegeven.", field="category")
    if not description.strip():
        raise ValidationError("Vul een omschrijving in.", field="description")
    record = SpecialCategoryRecord(pupil_id=pupil_id, category=category,
                                   description=description.strip(), recorded_at=clock(),
                                   recorded_by=actor.id)
    session.add(record)
    audit(session, actor, "special.add", record, clock=clock)
    return record


def remove_special(session: Session, actor: User, record_id: int, *,
                   clock: Clock = system_clock) -> None:
    require(actor, Permission.EDIT_SPECIAL)
    record = session.get(SpecialCategoryRecord, record_id)
    if record is None:
        raise NotFoundError("Dit gegeven bestaat niet (meer).")
    session.delete(record)
    audit(session, actor, "special.remove", table_name="special_category_record",
          record_id=record_id, clock=clock)


def record_opened(session: Session, actor: User, pupil_id: int, *,
                  clock: Clock = system_clock) -> None:
    """The card was opened: who saw this pupil's record shows in the access export."""
    require(actor, Permission.READ_REGISTER)
    audit(session, actor, "pupil.open", table_name="pupil", record_id=pupil_id, clock=clock)
