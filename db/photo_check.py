"""Fotocheck: "may these pupils be in this photo for this purpose?"

Pick one or more purposes (the website and social media, say) and the pupils (by name or by
group); the answer names who may not, and why: refused, withdrawn, never asked, or (where the
school asks consent each school year) not asked this school year. The state and the decision
behind it come from db.consents (explain_states), the same rules as every other consent view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.consents import ConsentState, explain_states, school_year_label
from db.errors import PermissionDenied, ValidationError
from db.permissions import SYSTEM, Actor, Permission, own_groups, require, require_group
from db.purposes import current_texts
from db.schema import Pupil


class Reason(StrEnum):
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    NOT_ASKED = "not_asked"
    NOT_ASKED_THIS_YEAR = "not_asked_this_year"


REASON_LABELS = {Reason.REFUSED: "geweigerd", Reason.WITHDRAWN: "ingetrokken",
                 Reason.NOT_ASKED: "niet gevraagd",
                 Reason.NOT_ASKED_THIS_YEAR: "niet gevraagd dit schooljaar"}


@dataclass(frozen=True)
class CheckPupil:
    pupil_id: int
    name: str
    group_name: str


@dataclass(frozen=True)
class Blocked:
    pupil: CheckPupil
    reasons: tuple[tuple[str, Reason], ...]  # (purpose title, reason), in purpose order

    def describe(self) -> str:
        """'geweigerd (Foto's op de website); niet gevraagd (Sociale media)'."""
        return "; ".join(f"{REASON_LABELS[reason]} ({title})" for title, reason in self.reasons)


@dataclass(frozen=True)
class PhotoCheck:
    on: date
    school_year: str
    purposes: tuple[str, ...]       # titles, in form order
    blocked: tuple[Blocked, ...]    # may not be in the photo, by group and name
    clear: tuple[CheckPupil, ...]   # may be in it, for every purpose asked

    @property
    def checked(self) -> int:
        return len(self.blocked) + len(self.clear)


def _name(first: str, prefix: str, last: str) -> str:
    return " ".join(part for part in (first, prefix, last) if part)


def _order(pupil: CheckPupil) -> tuple:
    return (len(pupil.group_name), pupil.group_name, pupil.name.casefold(), pupil.pupil_id)


def photo_candidates(session: Session, actor: Actor, *, today: date,
                     group: str | None = None) -> list[CheckPupil]:
    """The current pupils to pick from: one group, or all (not for a leerkracht, who gets
    only their own group)."""
    require(actor, Permission.READ_GROUP_PHOTO_LIST)
    require_group(actor, group)
    query = select(Pupil.id, Pupil.first_name, Pupil.prefix, Pupil.last_name,
                   Pupil.group_name).where((Pupil.left_on.is_(None)) | (Pupil.left_on > today))
    if group is not None:
        query = query.where(Pupil.group_name == group)
    pupils = [CheckPupil(pid, _name(first, prefix, last), grp)
              for pid, first, prefix, last, grp in session.execute(query)]
    if group is not None and not pupils:
        raise ValidationError(f"Groep '{group}' heeft geen huidige leerlingen.", field="group")
    return sorted(pupils, key=_order)


def photo_check(session: Session, actor: Actor, purpose_ids: list[int], pupil_ids: list[int],
                on: date) -> PhotoCheck:
    """Who of these pupils may not be in a photo used for all these purposes on `on`, and why.

    A leerkracht may check pupils of their own group(s) only."""
    require(actor, Permission.READ_GROUP_PHOTO_LIST)
    if not purpose_ids:
        raise ValidationError("Kies waarvoor de foto is (minstens één doel).", field="purposes")
    if not pupil_ids:
        raise ValidationError("Kies de leerlingen die op de foto komen.", field="pupils")
    texts = {purpose.id: text.title for purpose, text in current_texts(session)}
    unknown = [pid for pid in purpose_ids if pid not in texts]
    if unknown:
        raise ValidationError("Een gekozen doel bestaat niet (meer) of is buiten gebruik.",
                              field="purposes")
    ids = list(dict.fromkeys(pupil_ids))
    pupils: dict[int, CheckPupil] = {}
    for chunk in range(0, len(ids), 900):
        for pid, first, prefix, last, grp in session.execute(
                select(Pupil.id, Pupil.first_name, Pupil.prefix, Pupil.last_name,
                       Pupil.group_name).where(Pupil.id.in_(ids[chunk:chunk + 900]))):
            pupils[pid] = CheckPupil(pid, _name(first, prefix, last), grp)
    if len(pupils) != len(ids):
        raise ValidationError("Een gekozen leerling staat niet (meer) in het register.",
                              field="pupils")
    groups = own_groups(actor)
    if groups is not None and any(p.group_name not in groups for p in pupils.values()):
        raise PermissionDenied("Als leerkracht controleert u alleen leerlingen van uw eigen "
                               "groep.")
    chosen = set(purpose_ids)
    order = [pid for pid in texts if pid in chosen]  # form order
    # a leerkracht may not read consents otherwise: the rule above decided what this actor
    # may see; the states are read by the system (as for the 'niet op de foto' list)
    why = explain_states(session, SYSTEM, ids, order, on=on)
    blocked, clear = [], []
    for pupil in sorted(pupils.values(), key=_order):
        reasons = []
        for purpose_id in order:
            state = why[(pupil.pupil_id, purpose_id)]
            if state.state is ConsentState.GIVEN:
                continue
            if state.state is ConsentState.WITHDRAWN:
                reason = Reason.WITHDRAWN
            elif state.state is ConsentState.REFUSED:
                reason = Reason.REFUSED
            else:
                reason = Reason.NOT_ASKED_THIS_YEAR if state.asked_before else Reason.NOT_ASKED
            reasons.append((texts[purpose_id], reason))
        if reasons:
            blocked.append(Blocked(pupil, tuple(reasons)))
        else:
            clear.append(pupil)
    return PhotoCheck(on, school_year_label(on), tuple(texts[pid] for pid in order),
                      tuple(blocked), tuple(clear))
