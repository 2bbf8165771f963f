"""Register van verwerkingsactiviteiten (AVG art. 30(1)): the school's own, editable.

Each activity says what the school does with personal data and why (b), whose data and which
(c), who receives it (d), transfers outside the EU (e), how long it is kept (f) and how it is
protected (g); (a), the controller and the FG, is the school's contact (db.school). Recipients
and retention are partly links to the suppliers and retention terms of this register, so a new
supplier, an expired agreement or a changed term shows in the next print without retyping.

The usual school activities ship in ``resources/texts/processing_register.json``; a new register
gets them once (db.register.add_missing_defaults), matched by code: one the school changed or
retired is left alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib.resources import files

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from db.audit import audit
from db.clock import Clock, system_clock
from db.errors import NotFoundError, ValidationError
from db.permissions import Actor, Permission, require
from db.schema import (
    ProcessingActivity,
    ProcessingActivityRetention,
    ProcessingActivitySupplier,
    RetentionRule,
    Supplier,
)
from db.school import CONTACT_LABELS, SchoolContact
from db.suppliers import SupplierRow, supplier_rows

TEXT_FIELDS = ("name", "purposes", "subjects", "data_categories", "legal_basis", "recipients",
               "transfers", "retention", "security")
_REQUIRED = {"code": str, "name": str, "purposes": str, "subjects": str,
             "data_categories": str, "sort_order": int, "retention_categories": list,
             "supplier_hints": list}


@cache
def register_texts() -> dict:
    """The shipped defaults: controller sentence, default activities, the app's security."""
    raw = (files("resources") / "texts" / "processing_register.json").read_text("utf-8")
    return json.loads(raw)


def default_activities() -> list[dict]:
    """The default activities, checked, in their sort order."""
    activities = register_texts()["activities"]
    seen: set[str] = set()
    for number, item in enumerate(activities, start=1):
        for key, kind in _REQUIRED.items():
            if not isinstance(item.get(key), kind):
                raise ValueError(f"processing_register.json, activiteit {number}: '{key}' "
                                 "ontbreekt of is onjuist")
        if item["code"] in seen:
            raise ValueError(f"processing_register.json: code '{item['code']}' komt twee keer voor")
        seen.add(item["code"])
    return sorted(activities, key=lambda item: item["sort_order"])


def suggested_suppliers(hints: Sequence[str],
                        suppliers: Iterable[tuple[int, str, str]]) -> list[int]:
    """Ids of the suppliers (id, name, product) with a word in name or product that starts
    with a hint ('oso' finds OSO, not Microsoft)."""
    patterns = [re.compile(r"\b" + re.escape(hint.casefold())) for hint in hints if hint.strip()]
    return [sid for sid, name, product in suppliers
            if any(p.search(f"{name} {product}".casefold()) for p in patterns)]


# --- reading --------------------------------------------------------------------------------

@dataclass(frozen=True)
class LinkedTerm:
    rule_id: int
    label: str
    years_after_leaving: int


@dataclass(frozen=True)
class Activity:
    """One activity with its linked suppliers and terms as they are in the register now."""

    id: int
    code: str
    name: str
    purposes: str
    subjects: str
    data_categories: str
    legal_basis: str
    recipients: str
    transfers: str
    retention: str
    security: str
    sort_order: int
    retired: bool
    suppliers: tuple[SupplierRow, ...] = field(default=())
    terms: tuple[LinkedTerm, ...] = field(default=())


def processing_activities(session: Session, actor: Actor, *,
                          include_retired: bool = False) -> list[Activity]:
    """The register of processing activities, in its order, with linked suppliers and terms."""
    require(actor, Permission.READ_REGISTER)
    query = select(ProcessingActivity).order_by(ProcessingActivity.sort_order,
                                                ProcessingActivity.id)
    if not include_retired:
        query = query.where(ProcessingActivity.retired_at.is_(None))
    records = list(session.scalars(query))
    by_id = {row.id: row for row in supplier_rows(session, actor)}
    linked: dict[int, list[SupplierRow]] = {}
    for activity_id, supplier_id in session.execute(
            select(ProcessingActivitySupplier.activity_id,
                   ProcessingActivitySupplier.supplier_id)):
        if supplier_id in by_id:
            linked.setdefault(activity_id, []).append(by_id[supplier_id])
    terms: dict[int, list[LinkedTerm]] = {}
    for activity_id, rule_id, label, years in session.execute(
            select(ProcessingActivityRetention.activity_id, RetentionRule.id,
                   RetentionRule.label, RetentionRule.years_after_leaving)
            .join(RetentionRule, RetentionRule.id == ProcessingActivityRetention.rule_id)
            .order_by(RetentionRule.years_after_leaving, RetentionRule.label)):
        terms.setdefault(activity_id, []).append(LinkedTerm(rule_id, label, years))
    return [Activity(
        id=r.id, code=r.code, name=r.name, purposes=r.purposes, subjects=r.subjects,
        data_categories=r.data_categories, legal_basis=r.legal_basis, recipients=r.recipients,
        transfers=r.transfers, retention=r.retention, security=r.security,
        sort_order=r.sort_order, retired=r.retired_at is not None,
        suppliers=tuple(sorted(linked.get(r.id, ()), key=lambda s: (s.name, s.product))),
        terms=tuple(terms.get(r.id, ()))) for r in records]


def term_choices(session: Session, actor: Actor) -> list[LinkedTerm]:
    """The register's retention terms an activity may be linked to, shortest first."""
    require(actor, Permission.READ_REGISTER)
    return [LinkedTerm(rule_id, label, years) for rule_id, label, years in session.execute(
        select(RetentionRule.id, RetentionRule.label, RetentionRule.years_after_leaving)
        .order_by(RetentionRule.years_after_leaving, RetentionRule.label))]


# --- changing -------------------------------------------------------------------------------

@dataclass
class ActivityInput:
    name: str
    purposes: str
    subjects: str
    data_categories: str
    legal_basis: str = ""
    recipients: str = ""
    transfers: str = ""
    retention: str = ""
    security: str = ""
    supplier_ids: tuple[int, ...] = ()
    rule_ids: tuple[int, ...] = ()


def _validate(session: Session, data: ActivityInput) -> None:
    if not data.name.strip():
        raise ValidationError("Geef de verwerking een naam.", field="name")
    if not data.purposes.strip():
        raise ValidationError("Vul in waarvoor de gegevens worden gebruikt (de doelen).",
                              field="purposes")
    if not data.subjects.strip():
        raise ValidationError("Vul in over wie het gaat (de betrokkenen).", field="subjects")
    if not data.data_categories.strip():
        raise ValidationError("Vul in welke gegevens het zijn.", field="data_categories")
    wanted = set(data.supplier_ids)
    if wanted and len(set(session.scalars(select(Supplier.id).where(Supplier.id.in_(wanted))))
                      ) != len(wanted):
        raise ValidationError("Een gekozen leverancier bestaat niet (meer).", field="suppliers")
    rules = set(data.rule_ids)
    if rules and len(set(session.scalars(select(RetentionRule.id)
                                         .where(RetentionRule.id.in_(rules))))) != len(rules):
        raise ValidationError("Een gekozen bewaartermijn bestaat niet (meer).", field="terms")


def _set_links(session: Session, actor: Actor, activity_id: int, model: type,
               column: str, wanted: Iterable[int], clock: Clock) -> None:
    """Make the activity's links of one kind exactly `wanted`; each added or removed link is
    audited (record id 'activity/other')."""
    other = getattr(model, column)
    current = set(session.scalars(select(other).where(model.activity_id == activity_id)))
    target = set(wanted)
    for gone in sorted(current - target):
        session.execute(delete(model).where(model.activity_id == activity_id, other == gone))
        audit(session, actor, "processing.unlink", table_name=model.__tablename__,
              record_id=f"{activity_id}/{gone}", clock=clock)
    for new in sorted(target - current):
        session.add(model(activity_id=activity_id, **{column: new}))
        session.flush()
        audit(session, actor, "processing.link", table_name=model.__tablename__,
              record_id=f"{activity_id}/{new}", clock=clock)


def save_activity(session: Session, actor: Actor, data: ActivityInput,
                  activity_id: int | None = None, *,
                  clock: Clock = system_clock) -> ProcessingActivity:
    """Add (no id) or change an activity, its linked suppliers and its linked terms."""
    require(actor, Permission.SETTINGS)
    _validate(session, data)
    if activity_id is None:
        last = session.scalar(select(func.max(ProcessingActivity.sort_order))) or 0
        number = (session.scalar(select(func.count()).select_from(ProcessingActivity)) or 0) + 1
        code = f"eigen_{number}"
        while session.scalar(select(ProcessingActivity.id)
                             .where(ProcessingActivity.code == code)) is not None:
            number += 1
            code = f"eigen_{number}"
        activity = ProcessingActivity(code=code, sort_order=last + 10, created_at=clock())
        session.add(activity)
    else:
        activity = session.get(ProcessingActivity, activity_id)
        if activity is None:
            raise NotFoundError("Deze verwerking bestaat niet (meer).")
    for name in TEXT_FIELDS:
        setattr(activity, name, getattr(data, name).strip())
    audit(session, actor, "processing.save", activity, clock=clock)
    _set_links(session, actor, activity.id, ProcessingActivitySupplier, "supplier_id",
               data.supplier_ids, clock)
    _set_links(session, actor, activity.id, ProcessingActivityRetention, "rule_id",
               data.rule_ids, clock)
    return activity


def retire_activity(session: Session, actor: Actor, activity_id: int, *,
                    clock: Clock = system_clock) -> ProcessingActivity:
    """Buiten gebruik: the school no longer does this; it leaves the printed register."""
    require(actor, Permission.SETTINGS)
    activity = session.get(ProcessingActivity, activity_id)
    if activity is None:
        raise NotFoundError("Deze verwerking bestaat niet (meer).")
    activity.retired_at = clock()
    audit(session, actor, "processing.retire", activity, clock=clock)
    return activity


def seed_default_activities(session: Session, actor: Actor, *,
                            clock: Clock = system_clock) -> list[ProcessingActivity]:
    """Add each default activity whose code is not in the register yet, linked to the
    register's retention terms by category and to its suppliers by name. Returns those added."""
    require(actor, Permission.SETTINGS)
    existing = set(session.scalars(select(ProcessingActivity.code)))
    rules = dict(session.execute(select(RetentionRule.category, RetentionRule.id)).all())
    suppliers = list(session.execute(select(Supplier.id, Supplier.name, Supplier.product)))
    created = []
    for item in default_activities():
        if item["code"] in existing:
            continue
        activity = ProcessingActivity(code=item["code"], sort_order=item["sort_order"],
                                      created_at=clock(),
                                      **{name: item.get(name, "") for name in TEXT_FIELDS})
        session.add(activity)
        audit(session, actor, "processing.create", activity, clock=clock)
        _set_links(session, actor, activity.id, ProcessingActivityRetention, "rule_id",
                   [rules[c] for c in item["retention_categories"] if c in rules], clock)
        _set_links(session, actor, activity.id, ProcessingActivitySupplier, "supplier_id",
                   suggested_suppliers(item["supplier_hints"], suppliers), clock)
        created.append(activity)
    return created


def link_suggested_suppliers(session: Session, actor: Actor, *,
                             clock: Clock = system_clock) -> int:
    """Link each supplier to the default activities whose hints name it (after suppliers were
    added in bulk, e.g. the demo school). Existing links stay; returns the links added."""
    require(actor, Permission.SETTINGS)
    hints = {item["code"]: item["supplier_hints"] for item in default_activities()}
    suppliers = list(session.execute(select(Supplier.id, Supplier.name, Supplier.product)))
    added = 0
    for activity_id, code in session.execute(
            select(ProcessingActivity.id, ProcessingActivity.code)
            .where(ProcessingActivity.retired_at.is_(None))):
        current = set(session.scalars(select(ProcessingActivitySupplier.supplier_id).where(
            ProcessingActivitySupplier.activity_id == activity_id)))
        wanted = set(suggested_suppliers(hints.get(code, ()), suppliers)) | current
        if wanted != current:
            _set_links(session, actor, activity_id, ProcessingActivitySupplier, "supplier_id",
                       wanted, clock)
            added += len(wanted - current)
    return added


# --- words for paper ------------------------------------------------------------------------

def supplier_line(row: SupplierRow, today: date) -> str:
    """'ParnasSys (…) van Topicus — verwerkersovereenkomst geldig tot 01-09-2028; opslag: EU'."""
    state = row.agreement_state(today)
    agreement = {"geen overeenkomst": "GEEN verwerkersovereenkomst",
                 "verlopen": f"verwerkersovereenkomst VERLOPEN op {row.ends_on:%d-%m-%Y}"
                 if row.ends_on else "verwerkersovereenkomst verlopen"}.get(state)
    if agreement is None:
        agreement = ("verwerkersovereenkomst tot " + f"{row.ends_on:%d-%m-%Y}" if row.ends_on
                     else "verwerkersovereenkomst")
        if row.signed_on:
            agreement += f", getekend {row.signed_on:%d-%m-%Y}"
    where = f"; opslag: {row.storage_location}" if row.storage_location else ""
    return f"{supplier_label(row)} — {agreement}{where}"


def supplier_label(row: SupplierRow) -> str:
    """'ParnasSys (leerlingadministratie) van Topicus', 'Basispoort (…)', or just the name."""
    product = row.product.strip()
    if not product:
        return row.name
    if product.casefold().startswith(row.name.casefold()):
        return product
    return f"{product} van {row.name}"


def years_in_words(years: int) -> str:
    words = {1: "één jaar", 2: "twee jaar", 3: "drie jaar", 4: "vier jaar", 5: "vijf jaar",
             6: "zes jaar", 7: "zeven jaar", 8: "acht jaar", 9: "negen jaar",
             10: "tien jaar"}
    return words.get(years, f"{years} jaar")


def term_line(label: str, years: int) -> str:
    return f"{label}: {years_in_words(years)} nadat de leerling de school heeft verlaten"


# --- the register on paper (art. 30(1) a–g) ---------------------------------------------------

ART30_FIELDS = (
    ("a", "Verantwoordelijke en FG"),
    ("b", "Doelen"),
    ("c", "Betrokkenen en gegevens"),
    ("d", "Ontvangers"),
    ("e", "Doorgifte buiten de EU"),
    ("f", "Bewaartermijnen"),
    ("g", "Beveiliging"),
)
NOT_FILLED = "niet ingevuld"


def controller_lines(school_name: str, contact: SchoolContact) -> list[str]:
    """Art. 30(1)(a): the controller, its contact and the FG, from the school's settings."""
    controller = contact.controller or f"[nog in te vullen: {CONTACT_LABELS['controller']}]"
    fg = ", ".join(part for part in (contact.fg_name, contact.fg_email) if part)
    return [f"{controller}, voor {school_name}" if school_name else controller,
            f"Contact: {contact.privacy_email or NOT_FILLED}",
            f"Functionaris gegevensbescherming: {fg or NOT_FILLED}"]


def activity_fields(activity: Activity, today: date, controller: list[str],
                    ) -> list[tuple[str, str, list[str]]]:
    """(letter, label, lines) for fields a–g of one activity, with the linked suppliers and
    terms as they are on `today`."""
    purposes = [activity.purposes or NOT_FILLED]
    if activity.legal_basis:
        purposes.append(f"Grondslag: {activity.legal_basis}")
    recipients = [f"Verwerker: {supplier_line(s, today)}" for s in activity.suppliers]
    if activity.recipients:
        recipients.insert(0, activity.recipients)
    transfers = [activity.transfers] if activity.transfers else [NOT_FILLED]
    terms = [term_line(t.label, t.years_after_leaving) for t in activity.terms]
    if activity.retention:
        terms.append(activity.retention)
    lines = {
        "a": controller,
        "b": purposes,
        "c": [f"Betrokkenen: {activity.subjects or NOT_FILLED}",
              f"Gegevens: {activity.data_categories or NOT_FILLED}"],
        "d": recipients or ["geen ontvangers buiten de school"],
        "e": transfers,
        "f": terms or [NOT_FILLED],
        "g": [activity.security or NOT_FILLED],
    }
    return [(letter, label, lines[letter]) for letter, label in ART30_FIELDS]


def joined(lines: list[str]) -> str:
    """Lines as one text (a CSV cell): after a full stop a space, otherwise '; '."""
    text = ""
    for line in lines:
        text += line if not text else (" " if text.endswith(".") else "; ") + line
    return text
