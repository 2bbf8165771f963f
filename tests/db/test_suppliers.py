"""Suppliers and their agreements; an exchange on the basis of consent needs consent on the
day of the exchange."""

from datetime import date

import pytest
from sqlalchemy import select

from db.consents import history, record_decision, set_year_rhythm
from db.errors import ValidationError
from db.permissions import SYSTEM
from db.pupils import GuardianInput, PupilInput, add_guardian, enrol_pupil
from db.purposes import seed_default_purposes
from db.schema import Channel, ConsentPurpose, Decision, Exchange, LegalBasis, User
from db.suppliers import (
    ExchangeInput,
    SupplierInput,
    exchange_rows,
    expiring_agreements,
    record_exchange,
    save_supplier,
    supplier_rows,
)


@pytest.fixture
def setup(vault, clock):
    with vault.session() as session:
        actor = session.scalar(select(User))
        seed_default_purposes(session, actor, clock=clock)
        ggd = session.scalar(select(ConsentPurpose.id).where(ConsentPurpose.code.like("%ggd%")))
        pupils = []
        for first in ("Daan", "Noor"):
            pupil = enrol_pupil(session, actor, PupilInput(
                first_name=first, last_name="Smit", date_of_birth=date(2017, 1, 1),
                group_name="4A", enrolled_on=date(2021, 8, 30)), clock=clock)
            mother = add_guardian(session, actor, pupil.id, GuardianInput(last_name="Smit"),
                                  clock=clock)
            pupils.append((pupil.id, mother.id))
        record_decision(session, actor, pupils[0][0], ggd, Decision.GIVEN,
                        decided_on=date(2025, 9, 1), guardian_id=pupils[0][1],
                        channel=Channel.PAPER, clock=clock)
    return {"actor": actor, "ggd": ggd, "daan": pupils[0][0], "noor": pupils[1][0]}


def exchange(setup, basis, pupil_ids, purpose=None, on=date(2026, 11, 2)):
    return ExchangeInput(occurred_on=on, recipient="GGD Hollands Midden",
                         recipient_kind="zorginstantie", data_shared="naam, groep",
                         legal_basis=basis, pupil_ids=pupil_ids, purpose_id=purpose)


def test_exchange_on_consent_is_refused_when_consent_is_not_given_now(vault, clock, setup):
    with vault.session() as session:
        record_exchange(session, setup["actor"], exchange(setup, LegalBasis.CONSENT,
                                                          (setup["daan"],), setup["ggd"]),
                        clock=clock)
    with vault.session() as session, pytest.raises(ValidationError, match="Noor Smit") as no:
        record_exchange(session, setup["actor"], exchange(
            setup, LegalBasis.CONSENT, (setup["daan"], setup["noor"]), setup["ggd"]),
            clock=clock)
    assert no.value.field == "purpose"
    with vault.session() as session:
        assert len(session.scalars(select(Exchange)).all()) == 1
        record_exchange(session, setup["actor"], exchange(  # the law needs no consent
            setup, LegalBasis.LAW, (setup["noor"],)), clock=clock)
        rows = exchange_rows(session, setup["actor"], pupil_id=setup["noor"])
    assert [(r.legal_basis, r.pupils) for r in rows] == [("law", 1)]


def test_withdrawn_consent_blocks_the_next_exchange(vault, clock, setup):
    with vault.session() as session:
        (event,) = history(session, SYSTEM, setup["daan"], setup["ggd"])
        record_decision(session, setup["actor"], setup["daan"], setup["ggd"], Decision.WITHDRAWN,
                        decided_on=date(2026, 11, 1), guardian_id=event.guardian_id,
                        channel=Channel.EMAIL, clock=clock)
    with vault.session() as session, pytest.raises(ValidationError):
        record_exchange(session, setup["actor"], exchange(setup, LegalBasis.CONSENT,
                                                          (setup["daan"],), setup["ggd"]),
                        clock=clock)


def decide_for_daan(vault, clock, setup, decision, on):
    with vault.session() as session:
        (first, *_) = history(session, SYSTEM, setup["daan"], setup["ggd"])
        record_decision(session, setup["actor"], setup["daan"], setup["ggd"], decision,
                        decided_on=on, guardian_id=first.guardian_id, channel=Channel.EMAIL,
                        clock=clock)


def record_for_daan(vault, clock, setup, on):
    with vault.session() as session:
        return record_exchange(session, setup["actor"], exchange(
            setup, LegalBasis.CONSENT, (setup["daan"],), setup["ggd"], on=on), clock=clock)


def test_consent_given_later_does_not_cover_an_earlier_exchange(vault, clock, setup):
    decide_for_daan(vault, clock, setup, Decision.WITHDRAWN, date(2026, 9, 1))
    decide_for_daan(vault, clock, setup, Decision.GIVEN, date(2026, 10, 1))
    with pytest.raises(ValidationError, match="15-09-2026"):
        record_for_daan(vault, clock, setup, date(2026, 9, 15))
    assert record_for_daan(vault, clock, setup, date(2026, 10, 1)).id  # the day it was given


def test_an_exchange_under_valid_consent_can_be_recorded_after_a_withdrawal(vault, clock, setup):
    """AVG art. 7(3): withdrawal does not make what was lawful before it unlawful."""
    decide_for_daan(vault, clock, setup, Decision.WITHDRAWN, date(2026, 11, 1))
    assert record_for_daan(vault, clock, setup, date(2026, 10, 31)).id
    with pytest.raises(ValidationError):
        record_for_daan(vault, clock, setup, date(2026, 11, 1))


def test_where_consent_is_asked_each_school_year_last_years_is_no_basis(vault, clock, setup):
    """Daan's consent dates from 1 September 2025: school year 2025-2026."""
    with vault.session() as session:
        set_year_rhythm(session, setup["actor"], ask_each_year=True, closing_month_day=None)
    assert record_for_daan(vault, clock, setup, date(2026, 7, 31)).id  # still 2025-2026
    with pytest.raises(ValidationError):
        record_for_daan(vault, clock, setup, date(2026, 8, 1))  # a new school year
    decide_for_daan(vault, clock, setup, Decision.GIVEN, date(2026, 9, 3))
    assert record_for_daan(vault, clock, setup, date(2026, 9, 3)).id


def test_supplier_agreements_and_their_expiry(vault, clock, setup):
    with vault.session() as session:
        save_supplier(session, setup["actor"], SupplierInput(
            name="Basispoort", product="Inlogdienst", signed_on=date(2024, 1, 1),
            ends_on=date(2027, 1, 31)), clock=clock)
        save_supplier(session, setup["actor"], SupplierInput(
            name="Snappet", signed_on=date(2023, 1, 1), ends_on=date(2030, 1, 1)), clock=clock)
        with pytest.raises(ValidationError) as refused:
            save_supplier(session, setup["actor"], SupplierInput(
                name="X", signed_on=date(2026, 1, 1), ends_on=date(2025, 1, 1)), clock=clock)
        assert refused.value.field == "ends_on"
        today = date(2026, 11, 24)
        states = {r.name: r.agreement_state(today) for r in supplier_rows(session, SYSTEM)}
        assert states == {"Basispoort": "verloopt binnenkort", "Snappet": "geldig"}
        assert [r.name for r in expiring_agreements(session, SYSTEM, today)] == ["Basispoort"]
