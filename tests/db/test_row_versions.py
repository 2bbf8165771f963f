"""The optimistic version check (issue 15, point 5): two workstations edit the same record.

Each workstation is a register opened on its own connection (the same file opened twice, or
two connections to the server as the application role). The second save over the first is
refused with a Dutch ChangedElsewhereError, the first's change stays, and the audit log holds
exactly one entry for the change.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from db.audit import verify_chain
from db.breaches import BreachInput, breach_input, breach_version, register_breach, update_breach
from db.errors import ChangedElsewhereError, RegisterError
from db.imports.model import ImportedPupil, ParsedFile
from db.imports.preview import build_preview, commit_import
from db.pupils import (
    GuardianInput,
    PupilInput,
    add_guardian,
    enrol_pupil,
    get_pupil,
    guardians_of,
    record_leaving,
    update_guardian,
    update_pupil,
)
from db.schema import AuditEntry, Guardian, Pupil, User
from db.suppliers import SupplierInput, save_supplier, supplier_rows
from tests.db.helpers import reopen

NOAH = PupilInput(first_name="Noah", last_name="de Vries", date_of_birth=date(2017, 3, 1),
                  group_name="4A", enrolled_on=date(2021, 8, 30), source_key="5001")


@pytest.fixture
def other(vault):
    """The second workstation: the same register on a connection of its own."""
    second = reopen(vault)
    yield second
    second.close(backup=False)


def _actor(session) -> User:
    return session.scalar(select(User).order_by(User.id))


def _entries(session, action: str, record_id: int) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == action, AuditEntry.record_id == str(record_id)))


def _enrolled(vault, clock) -> tuple[int, int]:
    with vault.session() as session:
        pupil = enrol_pupil(session, _actor(session), NOAH, clock=clock)
        return pupil.id, pupil.version


def test_the_second_save_of_the_same_pupil_is_refused_and_the_first_stays(vault, other,
                                                                           clock):
    pupil_id, loaded = _enrolled(vault, clock)
    # both workstations opened the card on version `loaded`; the first saves
    with vault.session() as session:
        update_pupil(session, _actor(session), pupil_id, replace(NOAH, group_name="5A"),
                     loaded_version=loaded, clock=clock)
    # the second saves over it, with the version its form was loaded with
    with pytest.raises(ChangedElsewhereError) as refused, other.session() as session:
        update_pupil(session, _actor(session), pupil_id, replace(NOAH, notes="Vriendelijk"),
                     loaded_version=loaded, clock=clock)
    assert str(refused.value).startswith(
        "Iemand anders heeft deze leerling intussen gewijzigd. Uw wijzigingen zijn niet "
        "opgeslagen;")
    assert isinstance(refused.value, RegisterError)  # shown to the user as it is
    with vault.session() as session:
        pupil = session.get(Pupil, pupil_id)
        assert (pupil.group_name, pupil.notes, pupil.version) == ("5A", "", loaded + 1)
        assert _entries(session, "pupil.update", pupil_id) == 1
        assert verify_chain(session).ok


def test_a_save_that_overlaps_another_is_refused_by_the_update_itself(vault, other, clock):
    """The second workstation read the pupil (passed the form's check) before the first
    saved; its UPDATE then finds no row of the version it read (StaleDataError)."""
    pupil_id, loaded = _enrolled(vault, clock)
    with other.session() as late:
        actor = _actor(late)
        read = get_pupil(late, actor, pupil_id)  # read as of now, and held (the session's
        assert read.version == loaded           # identity map keeps only what is held)
        with vault.session() as session:  # the first saves meanwhile
            update_pupil(session, _actor(session), pupil_id, replace(NOAH, group_name="5A"),
                         loaded_version=loaded, clock=clock)
        with pytest.raises(ChangedElsewhereError) as refused:
            update_pupil(late, actor, pupil_id, replace(NOAH, notes="Vriendelijk"),
                         loaded_version=loaded, clock=clock)
        assert isinstance(refused.value.__cause__, StaleDataError)  # the UPDATE's own check
        late.rollback()
    with vault.session() as session:
        pupil = session.get(Pupil, pupil_id)
        assert (pupil.group_name, pupil.notes) == ("5A", "")
        assert _entries(session, "pupil.update", pupil_id) == 1
        assert verify_chain(session).ok


def test_the_own_next_save_with_the_new_version_goes_through(vault, clock):
    pupil_id, loaded = _enrolled(vault, clock)
    with vault.session() as session:
        saved = update_pupil(session, _actor(session), pupil_id,
                             replace(NOAH, group_name="5A"), loaded_version=loaded, clock=clock)
        newer = saved.version
    with vault.session() as session:
        update_pupil(session, _actor(session), pupil_id, replace(NOAH, group_name="6A"),
                     loaded_version=newer, clock=clock)
        assert session.get(Pupil, pupil_id).group_name == "6A"


def test_leaving_recorded_elsewhere_refuses_a_form_loaded_before(vault, other, clock):
    pupil_id, loaded = _enrolled(vault, clock)
    with other.session() as session:
        record_leaving(session, _actor(session), pupil_id, date(2026, 7, 10), clock=clock)
    with pytest.raises(ChangedElsewhereError), vault.session() as session:
        update_pupil(session, _actor(session), pupil_id, replace(NOAH, group_name="5A"),
                     loaded_version=loaded, clock=clock)
    with vault.session() as session:
        assert session.get(Pupil, pupil_id).group_name == "4A"


def test_an_import_that_changed_the_pupil_refuses_a_form_loaded_before(vault, clock):
    pupil_id, loaded = _enrolled(vault, clock)
    incoming = ImportedPupil(where="regel 2", source_key="5001", first_name="Noah",
                             last_name="de Vries", date_of_birth=date(2017, 3, 1),
                             group_name="5B", year_group=5)
    with vault.session() as session:
        actor = _actor(session)
        preview = build_preview(session, actor, ParsedFile(pupils=[incoming], source="CSV"))
        assert [change.pupil_id for change in preview.changed] == [pupil_id]
        commit_import(session, actor, preview, clock=clock)
    with pytest.raises(ChangedElsewhereError), vault.session() as session:
        update_pupil(session, _actor(session), pupil_id, replace(NOAH, notes="x"),
                     loaded_version=loaded, clock=clock)
    with vault.session() as session:
        pupil = session.get(Pupil, pupil_id)
        assert (pupil.group_name, pupil.version) == ("5B", loaded + 1)
        assert verify_chain(session).ok


def test_the_second_save_of_the_same_breach_is_refused_and_the_first_stays(vault, other,
                                                                            clock):
    data = BreachInput(discovered_at=datetime(2026, 11, 20, 8, 0, tzinfo=UTC),
                       description="Laptop in de trein laten liggen.", nature=("lost",),
                       data_categories=("name",), affected_groups=("pupils",))
    with vault.session() as session:
        breach_id = register_breach(session, _actor(session), data, clock=clock).id
    with vault.session() as session:
        loaded = breach_version(session, _actor(session), breach_id)
    with vault.session() as session:
        update_breach(session, _actor(session), breach_id,
                      replace(data, cause="Tas bleef liggen."), loaded_version=loaded,
                      clock=clock)
    with pytest.raises(ChangedElsewhereError) as refused, other.session() as session:
        update_breach(session, _actor(session), breach_id,
                      replace(data, consequences="Onbekend."), loaded_version=loaded,
                      clock=clock)
    assert str(refused.value).startswith("Iemand anders heeft dit datalek intussen gewijzigd.")
    with vault.session() as session:
        now = breach_input(session, _actor(session), breach_id)
        assert (now.cause, now.consequences) == ("Tas bleef liggen.", "")
        assert _entries(session, "breach.update", breach_id) == 1


def test_the_second_save_of_the_same_guardian_is_refused(vault, other, clock):
    pupil_id, _ = _enrolled(vault, clock)
    with vault.session() as session:
        guardian = add_guardian(session, _actor(session), pupil_id, GuardianInput(
            first_name="Anna", last_name="de Vries", relation="moeder"), clock=clock)
    with vault.session() as session:
        [row] = guardians_of(session, _actor(session), pupil_id)
    with vault.session() as session:
        update_guardian(session, _actor(session), pupil_id, guardian.id, GuardianInput(
            first_name="Anna", last_name="de Vries", phone="0612345678"),
            loaded_version=row.version, clock=clock)
    with pytest.raises(ChangedElsewhereError), other.session() as session:
        update_guardian(session, _actor(session), pupil_id, guardian.id, GuardianInput(
            first_name="Anna", last_name="de Vries", email="anna@example.nl"),
            loaded_version=row.version, clock=clock)
    with vault.session() as session:
        stored = session.get(Guardian, guardian.id)
        assert (stored.phone, stored.email) == ("0612345678", "")


def test_the_second_save_of_the_same_supplier_is_refused(vault, other, clock):
    with vault.session() as session:
        supplier_id = save_supplier(session, _actor(session), SupplierInput(name="Parnassys"),
                                    clock=clock).id
    with vault.session() as session:
        [row] = [r for r in supplier_rows(session, _actor(session)) if r.id == supplier_id]
    with vault.session() as session:
        save_supplier(session, _actor(session), SupplierInput(name="ParnasSys", product="LAS"),
                      supplier_id, loaded_version=row.version, clock=clock)
    with pytest.raises(ChangedElsewhereError), other.session() as session:
        save_supplier(session, _actor(session), SupplierInput(name="Parnassys B.V."),
                      supplier_id, loaded_version=row.version, clock=clock)
    with vault.session() as session:
        assert [r.name for r in supplier_rows(session, _actor(session))
                if r.id == supplier_id] == ["ParnasSys"]


def test_a_second_answer_to_the_same_request_is_refused(vault, other, clock):
    from db.requests import RequestInput, answer, extend, register_request, request_rows
    from db.schema import DataRequest, RequestKind

    with vault.session() as session:
        request_id = register_request(session, _actor(session), RequestInput(
            kind=RequestKind.ACCESS, received_on=date(2026, 11, 2), pupil_id=None,
            guardian_id=None), clock=clock).id
    with vault.session() as session:
        [row] = [r for r in request_rows(session, _actor(session)) if r.id == request_id]
    with vault.session() as session:
        answer(session, _actor(session), request_id, answered_on=date(2026, 11, 20),
               text="Overzicht per e-mail verstuurd.", loaded_version=row.version,
               clock=clock)
    for late in (lambda session: answer(session, _actor(session), request_id,
                                        answered_on=date(2026, 11, 21), text="Gebeld.",
                                        loaded_version=row.version, clock=clock),
                 lambda session: extend(session, _actor(session), request_id, months=1,
                                        reason="Drukte", told_on=date(2026, 11, 21),
                                        loaded_version=row.version, clock=clock)):
        with pytest.raises(ChangedElsewhereError, match="^Iemand anders heeft dit verzoek"), \
                other.session() as session:
            late(session)
    with vault.session() as session:
        stored = session.get(DataRequest, request_id)
        assert (stored.answer, stored.extended_months) == ("Overzicht per e-mail verstuurd.", 0)
        assert _entries(session, "request.answer", request_id) == 1


def test_an_action_that_overlaps_another_save_is_refused_in_the_same_words(vault, other,
                                                                            clock):
    """A breach's assessment takes no loaded version; when its UPDATE finds that another
    workstation saved the breach after it was read, the unit of work (Vault.session,
    ServerRegister.session) refuses it with ChangedElsewhereError, not a StaleDataError."""
    from db.breaches import assess
    from db.schema import Breach, Risk

    data = BreachInput(discovered_at=datetime(2026, 11, 20, 8, 0, tzinfo=UTC),
                       description="Laptop in de trein laten liggen.", nature=("lost",),
                       data_categories=("name",), affected_groups=("pupils",))
    with vault.session() as session:
        breach_id = register_breach(session, _actor(session), data, clock=clock).id
    with pytest.raises(ChangedElsewhereError, match="^Iemand anders heeft dit datalek"):
        with other.session() as late:
            actor = _actor(late)
            read = late.get(Breach, breach_id)  # read as of now, and held
            with vault.session() as session:
                update_breach(session, _actor(session), breach_id,
                              replace(data, cause="Tas bleef liggen."), clock=clock)
            assert assess(late, actor, breach_id, risk=Risk.NONE, reasons="Namen alleen.",
                          notify_ap=False, notify_reason="Geen risico.", clock=clock) is read
    with vault.session() as session:
        stored = session.get(Breach, breach_id)
        assert (stored.cause, stored.risk) == ("Tas bleef liggen.", None)
