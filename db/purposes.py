"""Consent purposes (toestemmingsdoelen) and their versioned texts.

The defaults ship in ``resources/texts/consent_purposes.json``; a new register gets them once.
Editing a purpose (a new text version) and retiring one are separate use-cases.
"""

from __future__ import annotations

import json
from importlib.resources import files

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.audit import audit
from db.clock import Clock, system_clock
from db.permissions import Permission, require
from db.schema import ConsentPurpose, ConsentPurposeText, User

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


def seed_default_purposes(session: Session, actor: User | None, *,
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
