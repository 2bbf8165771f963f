"""What the consent prints need, gathered in a few queries: plain records, no ORM objects.

The printing modules (desktop/printing/) only lay these out; the rules stay in db.consents.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.consents import (
    ConsentState,
    current_states,
    decided_by,
    history,
    school_year_label,
    year_rhythm,
)
from db.errors import ValidationError
from db.permissions import SYSTEM, Actor, Permission, require, require_group
from db.purposes import current_texts
from db.schema import Guardian, Pupil, PupilGuardian
from db.settings import FORM_RETURN_DAYS, PUPILS_FROM_16, read_setting


@dataclass(frozen=True)
class PurposeText:
    purpose_id: int
    title: str
    text: str
    version: int
    is_image: bool


@dataclass(frozen=True)
class FormPupil:
    pupil_id: int
    name: str
    group_name: str
    date_of_birth: date | None
    guardians: tuple[str, ...]  # names of guardians with gezag, for the signature lines


@dataclass(frozen=True)
class FormTerms:
    """What a batch of consent forms says besides the pupil: printed on, wanted back by."""

    printed_on: date
    return_by: date  # "graag terug vóór": FORM_RETURN_DAYS after printing
    school_year: str
    asks_each_year: bool  # the choices hold for this school year only
    pupils_from_16: bool  # the form says that from 16 the pupil decides


def form_terms(session: Session, actor: Actor, *, today: date) -> FormTerms:
    """The terms of consent forms printed `today`, from the school's settings."""
    require(actor, Permission.READ_REGISTER)
    days = read_setting(session, actor, FORM_RETURN_DAYS)
    return FormTerms(printed_on=today, return_by=today + timedelta(days=days),
                     school_year=school_year_label(today),
                     asks_each_year=year_rhythm(session, today).ask_each_year,
                     pupils_from_16=read_setting(session, actor, PUPILS_FROM_16))


def _name(first: str, prefix: str, last: str) -> str:
    return " ".join(part for part in (first, prefix, last) if part)


def _group_sort(name: str) -> tuple:
    return (len(name), name)


def purpose_texts(session: Session) -> list[PurposeText]:
    return [PurposeText(p.id, t.title, t.text, p.version, p.is_image)
            for p, t in current_texts(session)]


def form_pupils(session: Session, actor: Actor, *, group: str | None = None,
                today: date, pupil_ids: Collection[int] | None = None) -> list[FormPupil]:
    """Current pupils of one group (or all, or just ``pupil_ids``), by group and name, with
    their gezag holders."""
    return list(stream_form_pupils(session, actor, group=group, today=today,
                                   pupil_ids=pupil_ids))


def stream_form_pupils(session: Session, actor: Actor, *, group: str | None = None,
                       today: date, pupil_ids: Collection[int] | None = None,
                       ) -> Iterator[FormPupil]:
    """form_pupils(), read one group at a time as they are asked for: the first forms can
    be drawn while the rest of the school is still to be read (consent forms for 20,000
    pupils). The role and an empty choice are checked here, when it is called; the
    iterator needs `session` open until it is exhausted."""
    require(actor, Permission.READ_REGISTER)
    return _stream_form_pupils(session, group=group, today=today, pupil_ids=pupil_ids)


def _form_pupils(session: Session, *, group: str | None, today: date,
                 pupil_ids: Collection[int] | None = None) -> list[FormPupil]:
    return list(_stream_form_pupils(session, group=group, today=today, pupil_ids=pupil_ids))


def _stream_form_pupils(session: Session, *, group: str | None, today: date,
                        pupil_ids: Collection[int] | None) -> Iterator[FormPupil]:
    ids = None if pupil_ids is None else list(pupil_ids)
    if group is not None:
        groups = [group]
    else:
        names = select(Pupil.group_name).distinct().where(_current(today))
        if ids is not None:
            names = names.where(Pupil.id.in_(ids))
        groups = sorted(session.scalars(names), key=_group_sort)
    first = _group_form_pupils(session, groups[0], today, ids) if groups else []
    if group is not None and not first:
        raise ValidationError(f"Groep '{group}' heeft geen huidige leerlingen.", field="group")
    if ids is not None and not groups:
        raise ValidationError("Deze leerling staat niet (meer) als huidige leerling in het "
                              "register.", field="pupil")

    def each() -> Iterator[FormPupil]:
        yield from first
        for name in groups[1:]:
            yield from _group_form_pupils(session, name, today, ids)

    return each()


def _current(today: date):  # noqa: ANN202 - a WHERE clause
    return (Pupil.left_on.is_(None)) | (Pupil.left_on > today)


def _group_form_pupils(session: Session, group: str, today: date,
                       ids: list[int] | None) -> list[FormPupil]:
    """One group's current pupils (of ``ids`` when given), by name, with their gezag
    holders (in the order they were entered)."""
    chosen = (Pupil.group_name == group, _current(today))
    if ids is not None:
        chosen += (Pupil.id.in_(ids),)
    rows = list(session.execute(select(Pupil.id, Pupil.first_name, Pupil.prefix,
                                       Pupil.last_name, Pupil.date_of_birth).where(*chosen)))
    if not rows:
        return []
    guardians: dict[int, list[str]] = {}
    holders = (select(PupilGuardian.pupil_id, Guardian.first_name, Guardian.prefix,
                      Guardian.last_name)
               .join(Guardian, Guardian.id == PupilGuardian.guardian_id)
               .join(Pupil, Pupil.id == PupilGuardian.pupil_id)
               .where(PupilGuardian.has_authority.is_(True), *chosen).order_by(Guardian.id))
    for pupil_id, first, prefix, last in session.execute(holders):
        guardians.setdefault(pupil_id, []).append(_name(first, prefix, last))
    rows.sort(key=lambda r: (r[3].casefold(), r[1].casefold(), r[0]))
    return [FormPupil(pid, _name(first, prefix, last), group, born,
                      tuple(guardians.get(pid, ())))
            for pid, first, prefix, last, born in rows]


@dataclass(frozen=True)
class PhotoList:
    """'Niet op de foto' for one group: per image purpose, the pupils without consent."""

    group_name: str
    pupils_in_group: int
    by_purpose: tuple[tuple[str, tuple[str, ...]], ...]  # (purpose title, names)


def photo_lists(session: Session, actor: Actor, *, today: date,
                group: str | None = None) -> list[PhotoList]:
    """For teachers and the photographer: names only, one entry per group. A leerkracht gets
    only their own group(s): another group or "all groups" is refused."""
    require(actor, Permission.READ_GROUP_PHOTO_LIST)
    require_group(actor, group)
    pupils = _form_pupils(session, group=group, today=today)
    images = [p for p in purpose_texts(session) if p.is_image]
    # the photo list needs the consent states, which a leerkracht may not read otherwise:
    # the rule above decided what this actor may see; the states are read by the system
    states = current_states(session, SYSTEM, [p.pupil_id for p in pupils], on=today)
    groups: dict[str, list[FormPupil]] = {}
    for pupil in pupils:
        groups.setdefault(pupil.group_name, []).append(pupil)
    result = []
    for name in sorted(groups, key=_group_sort):
        members = groups[name]
        entries = []
        for purpose in images:
            without = tuple(p.name for p in members
                            if not states.get((p.pupil_id, purpose.purpose_id),
                                              ConsentState.NOT_ASKED).allows)
            entries.append((purpose.title, without))
        result.append(PhotoList(name, len(members), tuple(entries)))
    return result


@dataclass(frozen=True)
class OverviewLine:
    title: str
    state: ConsentState
    history: tuple[tuple[date, str, int, str, str], ...]  # date, decision, version, who, channel


def pupil_consent_overview(session: Session, actor: Actor, pupil_id: int, *,
                           today: date) -> tuple[FormPupil, list[OverviewLine]]:
    """Per purpose: the state on `today` and every decision, for the per-pupil print."""
    require(actor, Permission.READ_REGISTER)
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise ValidationError("Deze leerling staat niet (meer) in het register.")
    names = {gid: _name(first, prefix, last) for gid, first, prefix, last in session.execute(
        select(Guardian.id, Guardian.first_name, Guardian.prefix, Guardian.last_name)
        .join(PupilGuardian, PupilGuardian.guardian_id == Guardian.id)
        .where(PupilGuardian.pupil_id == pupil_id))}
    gezag = tuple(names[gid] for gid, in session.execute(
        select(PupilGuardian.guardian_id).where(PupilGuardian.pupil_id == pupil_id,
                                                PupilGuardian.has_authority.is_(True))))
    form = FormPupil(pupil.id, _name(pupil.first_name, pupil.prefix, pupil.last_name),
                     pupil.group_name, pupil.date_of_birth, gezag)
    states = current_states(session, actor, [pupil_id], on=today)
    events = history(session, actor, pupil_id)
    lines = []
    for purpose in purpose_texts(session):
        rows = tuple((e.decided_on, e.decision, e.purpose_version,
                      decided_by(e.by_pupil, e.guardian_id, e.channel, names),
                      e.channel) for e in events if e.purpose_id == purpose.purpose_id)
        lines.append(OverviewLine(purpose.title,
                                  states.get((pupil_id, purpose.purpose_id),
                                             ConsentState.NOT_ASKED), rows))
    return form, lines
