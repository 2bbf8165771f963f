"""Leveranciers en verwerkersovereenkomsten, and exchanges (gegevensuitwisseling) with third
parties. An exchange on the basis of consent is refused when that consent is not given now."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple

from sqlalchemy import and_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from db.audit import audit, audit_many
from db.clock import Clock, local_today, system_clock
from db.consents import ConsentState, current_states
from db.errors import NotFoundError, ValidationError
from db.permissions import Actor, Permission, require
from db.schema import (
    ConsentPurpose,
    ConsentPurposeText,
    Exchange,
    ExchangePupil,
    LegalBasis,
    Pupil,
    Supplier,
    User,
)
from db.versions import expect_version, refused_when_changed

EXPIRY_WARNING = timedelta(days=90)


class AgreementState(StrEnum):
    """The state of a supplier's processing agreement (verwerkersovereenkomst) on a day.
    The value is the Dutch word printed in the inspection export."""

    MISSING = "geen overeenkomst"
    EXPIRED = "verlopen"
    EXPIRING = "verloopt binnenkort"  # within EXPIRY_WARNING
    VALID = "geldig"

    @property
    def needs_attention(self) -> bool:
        return self is not AgreementState.VALID

    @property
    def urgency(self) -> str | None:
        """'late' (missing or expired), 'soon' (expiring) or None: the colours and the
        overview's order follow this one definition."""
        return {AgreementState.MISSING: "late", AgreementState.EXPIRED: "late",
                AgreementState.EXPIRING: "soon"}.get(self)
BASIS_LABELS = {LegalBasis.LAW: "wettelijke plicht", LegalBasis.CONSENT: "toestemming"}


@dataclass
class SupplierInput:
    name: str
    product: str = ""
    data_categories: str = ""
    purpose: str = ""
    agreement_model: str = ""
    agreement_version: str = ""
    signed_on: date | None = None
    ends_on: date | None = None
    privacy_insert_ref: str = ""
    storage_location: str = ""
    sub_processors: str = ""


def _validate_supplier(data: SupplierInput) -> None:
    if not data.name.strip():
        raise ValidationError("Vul de naam van de leverancier in.", field="name")
    if data.signed_on and data.ends_on and data.ends_on < data.signed_on:
        raise ValidationError("De overeenkomst eindigt vóór ze is getekend.", field="ends_on")


def save_supplier(session: Session, actor: User, data: SupplierInput,
                  supplier_id: int | None = None, *, loaded_version: int | None = None,
                  clock: Clock = system_clock) -> Supplier:
    """Add (no id) or change a supplier and its processing agreement. `loaded_version`: the
    supplier's version when the form was loaded (SupplierRow.version); a save over someone
    else's later change raises ChangedElsewhereError and writes nothing."""
    require(actor, Permission.MANAGE_SUPPLIERS)
    _validate_supplier(data)
    if supplier_id is None:
        supplier = Supplier(created_at=clock())
        session.add(supplier)
    else:
        supplier = session.get(Supplier, supplier_id)
        if supplier is None:
            raise NotFoundError("Deze leverancier bestaat niet (meer).")
        expect_version(supplier, loaded_version)
    for f in fields(SupplierInput):
        value = getattr(data, f.name)
        setattr(supplier, f.name, value.strip() if isinstance(value, str) else value)
    with refused_when_changed():
        audit(session, actor, "supplier.save", supplier, clock=clock)
    return supplier


class SupplierRow(NamedTuple):
    id: int
    name: str
    product: str
    data_categories: str
    purpose: str
    agreement_model: str
    agreement_version: str
    signed_on: date | None
    ends_on: date | None
    privacy_insert_ref: str
    storage_location: str
    sub_processors: str
    version: int = 1  # Supplier.version when read: save_supplier's loaded_version

    def agreement_state(self, today: date) -> AgreementState:
        if self.signed_on is None:
            return AgreementState.MISSING
        if self.ends_on is not None and self.ends_on < today:
            return AgreementState.EXPIRED
        if self.ends_on is not None and self.ends_on - today <= EXPIRY_WARNING:
            return AgreementState.EXPIRING
        return AgreementState.VALID


def agreement_clauses(today: date) -> dict[AgreementState, ColumnElement[bool]]:
    """SupplierRow.agreement_state in SQL, for counting in the database (db.board): each
    clause matches exactly the suppliers in that state on `today` (tests/db/test_board.py
    holds the two forms together)."""
    signed = Supplier.signed_on.is_not(None)
    ends = Supplier.ends_on
    return {
        AgreementState.MISSING: Supplier.signed_on.is_(None),
        AgreementState.EXPIRED: and_(signed, ends.is_not(None), ends < today),
        AgreementState.EXPIRING: and_(signed, ends.is_not(None), ends >= today,
                                      ends <= today + EXPIRY_WARNING),
    }


def supplier_rows(session: Session, actor: Actor) -> list[SupplierRow]:
    require(actor, Permission.READ_REGISTER)
    columns = [getattr(Supplier, f) for f in SupplierRow._fields]
    return [SupplierRow(*row) for row in session.execute(select(*columns)
                                                          .order_by(Supplier.name))]


def expiring_agreements(session: Session, actor: Actor, today: date) -> list[SupplierRow]:
    return [r for r in supplier_rows(session, actor)
            if r.agreement_state(today).needs_attention]


# --- exchanges --------------------------------------------------------------------------

@dataclass
class ExchangeInput:
    occurred_on: date
    recipient: str
    recipient_kind: str
    data_shared: str
    legal_basis: LegalBasis
    pupil_ids: tuple[int, ...]
    purpose_id: int | None = None  # the consent purpose, when the basis is consent
    note: str = ""


def record_exchange(session: Session, actor: User, data: ExchangeInput, *,
                    clock: Clock = system_clock) -> Exchange:
    """Record what was shared with whom. Consent as a basis must have been given, per pupil,
    on the day of the exchange (AVG art. 6(1)(a), 7(3)): not later, and a later withdrawal
    does not make it unlawful."""
    require(actor, Permission.HANDLE_REQUESTS)
    if not data.recipient.strip():
        raise ValidationError("Vul in met wie de gegevens zijn gedeeld.", field="recipient")
    if not data.data_shared.strip():
        raise ValidationError("Vul in welke gegevens zijn gedeeld.", field="data_shared")
    if data.occurred_on > local_today(clock):
        raise ValidationError("De datum ligt in de toekomst.", field="occurred_on")
    if not data.pupil_ids:
        raise ValidationError("Kies de leerling(en) om wie het gaat.", field="pupils")
    try:
        basis = LegalBasis(data.legal_basis)
    except ValueError:
        raise ValidationError("Kies de grondslag: wettelijke plicht of toestemming.",
                              field="legal_basis") from None
    if basis == LegalBasis.CONSENT:
        if data.purpose_id is None or session.get(ConsentPurpose, data.purpose_id) is None:
            raise ValidationError("Kies het toestemmingsdoel waarop deze uitwisseling rust.",
                                  field="purpose")
        states = current_states(session, actor, data.pupil_ids, on=data.occurred_on)
        without = [pid for pid in data.pupil_ids
                   if not states.get((pid, data.purpose_id), ConsentState.NOT_ASKED).allows]
        if without:
            names = ", ".join(
                " ".join(p for p in row if p) for row in session.execute(
                    select(Pupil.first_name, Pupil.prefix, Pupil.last_name)
                    .where(Pupil.id.in_(without))))
            raise ValidationError(f"Voor {names} was op {data.occurred_on:%d-%m-%Y} geen "
                                  "toestemming gegeven voor dit doel. "
                                  "Deel deze gegevens niet, of kies een wettelijke grondslag "
                                  "als die er is.", field="purpose")
    exchange = Exchange(occurred_on=data.occurred_on, recipient=data.recipient.strip(),
                        recipient_kind=data.recipient_kind.strip(),
                        data_shared=data.data_shared.strip(), legal_basis=basis,
                        purpose_id=data.purpose_id if basis == LegalBasis.CONSENT else None,
                        note=data.note.strip(), recorded_by=actor.id, created_at=clock())
    session.add(exchange)
    session.flush()
    session.add_all(ExchangePupil(exchange_id=exchange.id, pupil_id=pid)
                    for pid in sorted(set(data.pupil_ids)))
    audit(session, actor, "exchange.record", exchange, clock=clock)
    audit_many(session, actor, "exchange.record", "exchange_pupil",
               [f"{exchange.id}/{pid}" for pid in dict.fromkeys(data.pupil_ids)], clock=clock)
    return exchange


class ExchangeRow(NamedTuple):
    id: int
    occurred_on: date
    recipient: str
    recipient_kind: str
    data_shared: str
    legal_basis: str
    pupils: int


def exchange_rows(session: Session, actor: Actor, *, start: date | None = None,
                  end: date | None = None, pupil_id: int | None = None) -> list[ExchangeRow]:
    require(actor, Permission.READ_REGISTER)
    from sqlalchemy import func

    query = (select(Exchange.id, Exchange.occurred_on, Exchange.recipient,
                    Exchange.recipient_kind, Exchange.data_shared, Exchange.legal_basis,
                    func.count(ExchangePupil.pupil_id))
             .join(ExchangePupil, ExchangePupil.exchange_id == Exchange.id, isouter=True)
             .group_by(Exchange.id).order_by(Exchange.occurred_on.desc()))
    if start is not None:
        query = query.where(Exchange.occurred_on >= start)
    if end is not None:
        query = query.where(Exchange.occurred_on <= end)
    if pupil_id is not None:
        query = query.where(Exchange.id.in_(select(ExchangePupil.exchange_id)
                                            .where(ExchangePupil.pupil_id == pupil_id)))
    return [ExchangeRow(*row) for row in session.execute(query)]


@dataclass(frozen=True)
class ExchangeDetails:
    note: str
    purpose_title: str | None  # the consent purpose it rested on, when the basis is consent
    pupil_names: tuple[str, ...]


def exchange_details(session: Session, actor: Actor, exchange_id: int) -> ExchangeDetails:
    """What an exchange's detail shows: its note, the purpose's current title, the pupils."""
    require(actor, Permission.READ_REGISTER)
    record = session.get(Exchange, exchange_id)
    if record is None:
        raise NotFoundError("Deze uitwisseling staat niet (meer) in het register.")
    names = tuple(" ".join(p for p in parts if p) for parts in session.execute(
        select(Pupil.first_name, Pupil.prefix, Pupil.last_name)
        .join(ExchangePupil, ExchangePupil.pupil_id == Pupil.id)
        .where(ExchangePupil.exchange_id == exchange_id)
        .order_by(Pupil.last_name, Pupil.first_name)))
    title = None
    if record.purpose_id is not None:
        title = session.scalar(
            select(ConsentPurposeText.title)
            .where(ConsentPurposeText.purpose_id == record.purpose_id)
            .order_by(ConsentPurposeText.version.desc()).limit(1))
    return ExchangeDetails(record.note, title, names)
