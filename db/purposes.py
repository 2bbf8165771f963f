"""Consent purposes (toestemmingsdoelen) and their versioned texts.

The defaults ship in ``resources/texts/consent_purposes.json``; a new register gets them once.
Editing a purpose (a new text version) and retiring one are separate use-cases.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from importlib.resources import files

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.audit import audit
from db.clock import SCHOOL_TZ, Clock, system_clock
from db.errors import NotFoundError, ValidationError
from db.permissions import Actor, Permission, require
from db.schema import ConsentPurpose, ConsentPurposeText, User
from db.text import fold

_REQUIRED = {"code": str, "title": str, "text": str, "is_image": bool, "sort_order": int}


def load_default_purposes() -> list[dict]:
    """The default purposes from the resources package, in their sort order."""
    raw = (files("resources") / "texts" / "consent_purposes.json").read_text("utf-8")
    purposes = json.loads(raw)
    seen: set[str] = set()
    for number, item in enumerate(purposes, start=1):
        for key, kind in _REQUIRED.items():
            if not isinstance(item.get(key), kind) or (kind is str and not item[key].strip()):
                raise ValueError(f"consent_purposes.json, item {number}: '{key}' missing or bad")
        if item["code"] in seen:
            raise ValueError(f"consent_purposes.json: code '{item['code']}' appears twice")
        seen.add(item["code"])
    return sorted(purposes, key=lambda item: item["sort_order"])


def seed_default_purposes(session: Session, actor: Actor, *,
                          clock: Clock = system_clock) -> list[ConsentPurpose]:
    """Add each default purpose whose code is not in the register yet (text version 1).

    Returns the purposes it created; an existing purpose, also a retired one, is left alone.
    """
    require(actor, Permission.MANAGE_PURPOSES)
    existing = set(session.scalars(select(ConsentPurpose.code)))
    created: list[ConsentPurpose] = []
    for item in load_default_purposes():
        if item["code"] in existing:
            continue
        now = clock()
        purpose = ConsentPurpose(code=item["code"], is_image=item["is_image"], version=1,
                                 sort_order=item["sort_order"], created_at=now)
        session.add(purpose)
        session.flush()
        audit(session, actor, "purpose.create", purpose, clock=clock)
        purpose_text = ConsentPurposeText(purpose_id=purpose.id, version=1, title=item["title"],
                                          text=item["text"], created_at=now)
        session.add(purpose_text)
        session.flush()
        audit(session, actor, "purpose.create", purpose_text, clock=clock)
        created.append(purpose)
    return created


def list_purposes(session: Session, include_retired: bool = False) -> list[ConsentPurpose]:
    """Purposes in form order (sort_order, then id)."""
    query = select(ConsentPurpose).order_by(ConsentPurpose.sort_order, ConsentPurpose.id)
    if not include_retired:
        query = query.where(ConsentPurpose.retired_at.is_(None))
    return list(session.scalars(query))


def current_texts(session: Session, include_retired: bool = False,
                  ) -> list[tuple[ConsentPurpose, ConsentPurposeText]]:
    """Each purpose with the text of its current version, in form order."""
    query = (
        select(ConsentPurpose, ConsentPurposeText)
        .join(ConsentPurposeText, (ConsentPurposeText.purpose_id == ConsentPurpose.id)
              & (ConsentPurposeText.version == ConsentPurpose.version))
        .order_by(ConsentPurpose.sort_order, ConsentPurpose.id)
    )
    if not include_retired:
        query = query.where(ConsentPurpose.retired_at.is_(None))
    return [(purpose, text) for purpose, text in session.execute(query)]


def _validate_text(title: str, text: str) -> tuple[str, str]:
    title, text = title.strip(), text.strip()
    if not title:
        raise ValidationError("Geef het doel een korte titel.", field="title")
    if len(text) < 10:
        raise ValidationError("Beschrijf het doel in een zin die ouders begrijpen.",
                              field="text")
    return title, text


def add_purpose(session: Session, actor: User, *, code: str, title: str, text: str,
                is_image: bool = False, clock: Clock = system_clock) -> ConsentPurpose:
    """A new purpose with text version 1, at the end of the form."""
    require(actor, Permission.MANAGE_PURPOSES)
    title, text = _validate_text(title, text)
    code = code.strip().lower()
    if not code or session.scalar(select(ConsentPurpose.id).where(ConsentPurpose.code == code)):
        raise ValidationError("Deze code is leeg of bestaat al.", field="code")
    last = session.scalar(select(func.max(ConsentPurpose.sort_order))) or 0
    purpose = ConsentPurpose(code=code, is_image=is_image, version=1, sort_order=last + 10,
                             created_at=clock())
    session.add(purpose)
    session.flush()
    first = ConsentPurposeText(purpose_id=purpose.id, version=1, title=title, text=text,
                               created_at=clock())
    session.add(first)
    audit(session, actor, "purpose.create", purpose, clock=clock)
    audit(session, actor, "purpose.create", first, clock=clock)
    return purpose


def edit_purpose_text(session: Session, actor: User, purpose_id: int, *, title: str,
                      text: str, clock: Clock = system_clock) -> ConsentPurposeText:
    """New wording = a new version. Earlier decisions keep the version they were given under."""
    require(actor, Permission.MANAGE_PURPOSES)
    purpose = session.get(ConsentPurpose, purpose_id)
    if purpose is None:
        raise NotFoundError("Dit doel bestaat niet (meer).")
    if purpose.retired_at is not None:
        raise ValidationError("Een doel dat buiten gebruik is, wordt niet meer gewijzigd.",
                              field="purpose")
    title, text = _validate_text(title, text)
    current = session.scalar(select(ConsentPurposeText).where(
        ConsentPurposeText.purpose_id == purpose_id,
        ConsentPurposeText.version == purpose.version))
    if current is not None and (current.title, current.text) == (title, text):
        return current  # nothing changed: no new version
    purpose.version += 1
    version = ConsentPurposeText(purpose_id=purpose_id, version=purpose.version, title=title,
                                 text=text, created_at=clock())
    session.add(version)
    audit(session, actor, "purpose.new_version", version, clock=clock)
    audit(session, actor, "purpose.new_version", purpose, clock=clock)
    return version


def retire_purpose(session: Session, actor: User, purpose_id: int, *,
                   clock: Clock = system_clock) -> ConsentPurpose:
    """Buiten gebruik stellen: no new decisions; the history stays."""
    require(actor, Permission.MANAGE_PURPOSES)
    purpose = session.get(ConsentPurpose, purpose_id)
    if purpose is None:
        raise NotFoundError("Dit doel bestaat niet (meer).")
    purpose.retired_at = clock()
    audit(session, actor, "purpose.retire", purpose, clock=clock)
    return purpose


def purpose_texts(session: Session, purpose_id: int) -> list[ConsentPurposeText]:
    """Every version of a purpose's wording, oldest first."""
    return list(session.scalars(select(ConsentPurposeText)
                                .where(ConsentPurposeText.purpose_id == purpose_id)
                                .order_by(ConsentPurposeText.version)))


@dataclass(frozen=True)
class PurposeRow:
    """One purpose as 'Doelen beheren' lists it: its current text and every version."""

    id: int
    code: str
    title: str
    text: str
    version: int
    is_image: bool
    retired_on: date | None            # the school's day it was retired
    versions: tuple[tuple[int, date], ...]  # (version, the school's day it was written)


def purpose_rows(session: Session, actor: Actor) -> list[PurposeRow]:
    """Every purpose (retired ones last) with its current text and its versions."""
    require(actor, Permission.READ_REGISTER)
    versions: dict[int, list[tuple[int, date]]] = {}
    for text in session.scalars(select(ConsentPurposeText).order_by(
            ConsentPurposeText.purpose_id, ConsentPurposeText.version)):
        versions.setdefault(text.purpose_id, []).append(
            (text.version, _school_day(text.created_at)))
    rows = [PurposeRow(purpose.id, purpose.code, text.title, text.text, purpose.version,
                       purpose.is_image,
                       _school_day(purpose.retired_at) if purpose.retired_at else None,
                       tuple(versions.get(purpose.id, ())))
            for purpose, text in current_texts(session, include_retired=True)]
    rows.sort(key=lambda r: r.retired_on is not None)
    return rows


def _school_day(moment) -> date:  # noqa: ANN001 - a stored (UTC) datetime
    """The day at the school of a stored moment (naive values are UTC, as SQLite keeps them)."""
    from datetime import UTC

    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(SCHOOL_TZ).date()


def code_for(title: str, taken: set[str]) -> str:
    """A stable internal code from the title: 'Foto's in de jaarkalender' → 'fotos_in_de_…'."""
    base = re.sub(r"[^a-z0-9]+", "_", fold(title).replace("'", "")).strip("_")[:40] or "doel"
    code, number = base, 2
    while code in taken:
        code, number = f"{base}_{number}", number + 1
    return code


def add_school_purpose(session: Session, actor: User, *, title: str, text: str,
                       is_image: bool = False, clock: Clock = system_clock) -> ConsentPurpose:
    """A purpose the school adds itself: its code is made from the title."""
    require(actor, Permission.MANAGE_PURPOSES)
    taken = set(session.scalars(select(ConsentPurpose.code)))
    return add_purpose(session, actor, code=code_for(title, taken), title=title, text=text,
                       is_image=is_image, clock=clock)
