"""Consent rules: opt-in, append-only, version pinning, refusal wins, the pupil from 16."""

from datetime import date

import pytest
from sqlalchemy import select

from db.consents import (
    AppendOnlyError,
    ConsentState,
    current_states,
    history,
    record_decision,
)
from db.errors import ValidationError
from db.permissions import SYSTEM
from db.pupils import GuardianInput, PupilInput, add_guardian, enrol_pupil
from db.schema import Channel, ConsentEvent, ConsentPurpose, Decision, User

GIVEN, REFUSED, WITHDRAWN = Decision.GIVEN, Decision.REFUSED, Decision.WITHDRAWN
TODAY = date(2026, 11, 24)  # the clock fixture's day


@pytest.fixture
def family(vault, clock):
    """A pupil (born 2017) with a mother and a father with gezag, a step-parent without,
    and a photo purpose."""
    with vault.session() as session:
        actor = session.scalar(select(User))
        pupil = enrol_pupil(session, actor, PupilInput(
            first_name="Noor", last_name="Visser", date_of_birth=date(2017, 3, 1),
            group_name="4A", enrolled_on=date(2021, 8, 30)), clock=clock)
        mother = add_guardian(session, actor, pupil.id, GuardianInput(
            first_name="Anna", last_name="Visser", relation="moeder"), clock=clock)
        father = add_guardian(session, actor, pupil.id, GuardianInput(
            first_name="Karim", last_name="Visser", relation="vader"), clock=clock)
        step = add_guardian(session, actor, pupil.id, GuardianInput(
            first_name="Jan", last_name="Smit", relation="stiefouder", has_authority=False),
            clock=clock)
        purpose = session.scalar(select(ConsentPurpose).where(  # a default of every register
            ConsentPurpose.code == "foto_website"))
    return {"actor": actor, "pupil": pupil.id, "mother": mother.id, "father": father.id,
            "step": step.id, "purpose": purpose.id}


def decide(vault, clock, f, decision, who="mother", on=date(2025, 9, 1), **kwargs):
    with vault.session() as session:
        return record_decision(session, f["actor"], f["pupil"], f["purpose"], decision,
                               decided_on=on, guardian_id=f.get(who), channel=Channel.PAPER,
                               clock=clock, **kwargs)


def state(vault, f, on=TODAY):
    with vault.session() as session:
        states = current_states(session, f["actor"], [f["pupil"]], on=on)
    return states.get((f["pupil"], f["purpose"]), ConsentState.NOT_ASKED)


def test_no_decision_means_not_given(vault, family):
    assert state(vault, family) is ConsentState.NOT_ASKED
    assert not state(vault, family).allows


def test_latest_decision_counts(vault, clock, family):
    decide(vault, clock, family, GIVEN, on=date(2025, 9, 1))
    assert state(vault, family) is ConsentState.GIVEN
    decide(vault, clock, family, WITHDRAWN, on=date(2026, 2, 1))
    assert state(vault, family) is ConsentState.WITHDRAWN
    assert not ConsentState.WITHDRAWN.allows


def test_a_no_after_consent_is_withdrawn_and_a_no_without_it_is_refused(vault, clock, family):
    """Ingetrokken and geweigerd are told apart by the one who says no: did they give
    consent before? A withdrawal recorded as such is ingetrokken in any case."""
    decide(vault, clock, family, REFUSED, on=date(2025, 9, 1))
    assert state(vault, family) is ConsentState.REFUSED  # never given
    decide(vault, clock, family, GIVEN, on=date(2025, 10, 1))
    decide(vault, clock, family, REFUSED, on=date(2025, 11, 1))
    assert state(vault, family) is ConsentState.WITHDRAWN  # given, then "nee": taken back
    decide(vault, clock, family, GIVEN, on=date(2025, 12, 1))
    decide(vault, clock, family, REFUSED, who="father", on=date(2025, 12, 2))
    assert state(vault, family) is ConsentState.REFUSED  # the father never gave it
    decide(vault, clock, family, GIVEN, who="father", on=date(2025, 12, 3))
    decide(vault, clock, family, REFUSED, who="father", on=date(2025, 12, 3))
    assert state(vault, family) is ConsentState.REFUSED  # a yes corrected the same day


def test_streamed_states_tell_withdrawn_from_refused(vault, clock, family):
    from db.consents import stream_states

    decide(vault, clock, family, GIVEN, on=date(2025, 9, 1))
    decide(vault, clock, family, REFUSED, on=date(2025, 10, 1))
    with vault.session() as session:
        assert list(stream_states(session, SYSTEM, on=TODAY)) == [
            (family["pupil"], family["purpose"], ConsentState.WITHDRAWN)]
    decide(vault, clock, family, REFUSED, who="father", on=date(2025, 11, 1))
    with vault.session() as session:  # the latest "no" settles it: the father never said yes
        assert list(stream_states(session, SYSTEM, on=TODAY)) == [
            (family["pupil"], family["purpose"], ConsentState.REFUSED)]


def test_the_withdrawal_that_settles_it_is_told_with_its_date(vault, clock, family):
    from db.consents import explain_states

    decide(vault, clock, family, GIVEN, on=date(2025, 9, 1))
    decide(vault, clock, family, GIVEN, who="father", on=date(2025, 9, 1))
    decide(vault, clock, family, WITHDRAWN, who="father", on=date(2026, 2, 1))
    with vault.session() as session:
        why = explain_states(session, family["actor"], [family["pupil"]], [family["purpose"]],
                             on=TODAY)[(family["pupil"], family["purpose"])]
    assert why.state is ConsentState.WITHDRAWN
    assert (why.decision.decided_on, why.decision.guardian_id) == (date(2026, 2, 1),
                                                                   family["father"])


def test_refusal_of_one_guardian_wins(vault, clock, family):
    decide(vault, clock, family, GIVEN, who="mother")
    decide(vault, clock, family, REFUSED, who="father", on=date(2025, 9, 2))
    assert state(vault, family) is ConsentState.REFUSED
    decide(vault, clock, family, GIVEN, who="mother", on=date(2025, 10, 1))
    assert state(vault, family) is ConsentState.REFUSED  # the father's refusal still stands
    decide(vault, clock, family, GIVEN, who="father", on=date(2025, 10, 2))
    assert state(vault, family) is ConsentState.GIVEN


def test_a_guardian_without_gezag_cannot_decide(vault, clock, family):
    with pytest.raises(ValidationError, match="geen gezag") as refused:
        decide(vault, clock, family, GIVEN, who="step")
    assert refused.value.field == "guardian"


def test_from_sixteen_the_pupil_decides(vault, clock, family):
    decide(vault, clock, family, GIVEN, who="mother", on=date(2025, 9, 1))
    with pytest.raises(ValidationError, match="Onder de 16"):
        decide(vault, clock, family, REFUSED, who=None, by_pupil=True, on=date(2026, 1, 1))
    with vault.session() as session:  # special education: the pupil turns 16 in 2033
        from db.schema import Pupil

        session.get(Pupil, family["pupil"]).date_of_birth = date(2010, 3, 1)
    with pytest.raises(ValidationError, match="Vanaf 16"):
        decide(vault, clock, family, GIVEN, who="mother", on=date(2026, 3, 2))
    decide(vault, clock, family, REFUSED, who=None, by_pupil=True, on=date(2026, 3, 2))
    assert state(vault, family) is ConsentState.REFUSED  # the pupil never gave it


@pytest.mark.parametrize(("on", "field"), [(date(2021, 8, 1), "decided_on"),
                                           (date(2026, 11, 25), "decided_on")])
def test_dates_before_enrolment_or_in_the_future_are_refused(vault, clock, family, on, field):
    with pytest.raises(ValidationError) as refused:
        decide(vault, clock, family, GIVEN, on=on)
    assert refused.value.field == field
    with vault.session() as session:
        assert session.scalars(select(ConsentEvent)).all() == []


def test_a_guardian_of_another_pupil_is_refused(vault, clock, family):
    with vault.session() as session:
        other = enrol_pupil(session, family["actor"], PupilInput(
            first_name="Bram", last_name="Kok", date_of_birth=date(2016, 1, 1), group_name="5A",
            enrolled_on=date(2020, 8, 30)), clock=clock)
        stranger = add_guardian(session, family["actor"], other.id,
                                GuardianInput(last_name="Kok"), clock=clock)
    family = dict(family, stranger=stranger.id)
    with pytest.raises(ValidationError, match="hoort niet bij deze leerling"):
        decide(vault, clock, family, GIVEN, who="stranger")


def test_a_retired_purpose_takes_no_decisions(vault, clock, family):
    with vault.session() as session:
        session.get(ConsentPurpose, family["purpose"]).retired_at = clock()
    with pytest.raises(ValidationError, match="buiten gebruik") as refused:
        decide(vault, clock, family, GIVEN)
    assert refused.value.field == "purpose"


def test_decisions_keep_the_version_they_were_given_under(vault, clock, family):
    decide(vault, clock, family, GIVEN)
    with vault.session() as session:
        session.get(ConsentPurpose, family["purpose"]).version = 2
    decide(vault, clock, family, REFUSED, on=date(2025, 12, 1))
    with vault.session() as session:
        rows = history(session, family["actor"], family["pupil"])
    assert [(r.decision, r.purpose_version) for r in rows] == [("given", 1), ("refused", 2)]


def test_decisions_cannot_be_changed_or_deleted(vault, clock, family):
    decide(vault, clock, family, GIVEN)
    with pytest.raises(AppendOnlyError), vault.session() as session:
        session.scalar(select(ConsentEvent)).decision = Decision.REFUSED
    with pytest.raises(AppendOnlyError), vault.session() as session:
        session.delete(session.scalar(select(ConsentEvent)))
    assert state(vault, family) is ConsentState.GIVEN


def test_school_year_starts_on_the_first_of_august():
    from db.consents import school_year_label, school_year_start

    assert school_year_start(date(2026, 7, 31)) == date(2025, 8, 1)
    assert school_year_start(date(2026, 8, 1)) == date(2026, 8, 1)
    assert school_year_label(date(2027, 2, 1)) == "2026-2027"


def test_pupils_to_ask_follow_the_school_year_rhythm(vault, clock, family):
    from db.consents import count_to_ask, pupils_to_ask, set_year_rhythm, year_rhythm

    with vault.session() as session:
        assert [p.last_asked for p in pupils_to_ask(session, SYSTEM, date(2026, 11, 24))] == [None]
        assert count_to_ask(session, SYSTEM, date(2026, 11, 24)) == 1
    decide(vault, clock, family, GIVEN, on=date(2025, 9, 1))  # school year 2025-2026
    with vault.session() as session:
        assert pupils_to_ask(session, SYSTEM, date(2026, 11, 24)) == []  # asked once is enough
        set_year_rhythm(session, family["actor"], ask_each_year=True, closing_month_day=(10, 1))
    with vault.session() as session:
        (row,) = pupils_to_ask(session, SYSTEM, date(2026, 11, 24))
        assert row.last_asked == date(2025, 9, 1)
        assert count_to_ask(session, SYSTEM, date(2026, 11, 24)) == 1
        assert pupils_to_ask(session, SYSTEM, date(2026, 7, 31)) == []  # still 2025-2026
        assert year_rhythm(session, date(2026, 11, 24)).closing == date(2026, 10, 1)
    decide(vault, clock, family, GIVEN, on=date(2026, 9, 3))
    with vault.session() as session:
        assert pupils_to_ask(session, SYSTEM, date(2026, 11, 24)) == []
        assert count_to_ask(session, SYSTEM, date(2026, 11, 24)) == 0


def test_closing_date_lies_in_the_current_school_year(vault, family):
    from db.consents import set_year_rhythm, year_rhythm

    with vault.session() as session:
        set_year_rhythm(session, family["actor"], ask_each_year=True, closing_month_day=(10, 1))
        assert year_rhythm(session, date(2026, 11, 24)).closing == date(2026, 10, 1)
        assert year_rhythm(session, date(2027, 3, 1)).closing == date(2026, 10, 1)
        set_year_rhythm(session, family["actor"], ask_each_year=True, closing_month_day=(2, 15))
        assert year_rhythm(session, date(2026, 11, 24)).closing == date(2027, 2, 15)
    with vault.session() as session, pytest.raises(ValidationError):
        set_year_rhythm(session, family["actor"], ask_each_year=True, closing_month_day=(2, 30))


def test_editing_a_purpose_makes_a_new_version_and_retiring_keeps_history(vault, clock, family):
    from db.purposes import edit_purpose_text, purpose_texts, retire_purpose

    decide(vault, clock, family, GIVEN)
    with vault.session() as session:
        edit_purpose_text(session, family["actor"], family["purpose"], title="Website",
                          text="Foto's en video's op de website van de school.", clock=clock)
        same = edit_purpose_text(session, family["actor"], family["purpose"], title="Website",
                                 text="Foto's en video's op de website van de school.",
                                 clock=clock)
        assert same.version == 2  # unchanged wording: no third version
        assert [t.version for t in purpose_texts(session, family["purpose"])] == [1, 2]
        retire_purpose(session, family["actor"], family["purpose"], clock=clock)
    with vault.session() as session:
        assert [r.purpose_version for r in history(session, SYSTEM, family["pupil"])] == [1]


def test_the_state_is_computed_as_of_the_day_asked(vault, clock, family):
    decide(vault, clock, family, GIVEN, on=date(2026, 10, 1))
    decide(vault, clock, family, WITHDRAWN, on=date(2026, 11, 1))
    assert state(vault, family, on=date(2026, 9, 30)) is ConsentState.NOT_ASKED
    assert state(vault, family, on=date(2026, 10, 1)) is ConsentState.GIVEN
    assert state(vault, family, on=date(2026, 10, 31)) is ConsentState.GIVEN
    assert state(vault, family, on=date(2026, 11, 1)) is ConsentState.WITHDRAWN


def test_without_yearly_asking_a_decision_stands_until_it_is_changed(vault, clock, family):
    decide(vault, clock, family, GIVEN, on=date(2022, 9, 1))
    assert state(vault, family, on=date(2026, 11, 24)) is ConsentState.GIVEN


def test_where_asked_each_school_year_a_decision_counts_for_its_own_school_year(vault, clock,
                                                                               family):
    from db.consent_sheets import photo_lists
    from db.consents import pupils_to_ask, set_year_rhythm

    with vault.session() as session:
        set_year_rhythm(session, family["actor"], ask_each_year=True, closing_month_day=None)
    decide(vault, clock, family, GIVEN, on=date(2025, 9, 1))  # school year 2025-2026
    assert state(vault, family, on=date(2026, 7, 31)) is ConsentState.GIVEN
    assert state(vault, family, on=date(2026, 8, 1)) is ConsentState.NOT_ASKED
    with vault.session() as session:
        (group,) = photo_lists(session, family["actor"], today=date(2026, 11, 24))
        assert dict(group.by_purpose)["Foto's en video's op de schoolwebsite"] == (
            "Noor Visser",)
        assert [p.pupil_id for p in pupils_to_ask(session, SYSTEM, date(2026, 11, 24))] == [
            family["pupil"]]
        (last_year,) = photo_lists(session, family["actor"], today=date(2026, 7, 31))
        assert dict(last_year.by_purpose)["Foto's en video's op de schoolwebsite"] == ()
    decide(vault, clock, family, GIVEN, on=date(2026, 9, 3))  # asked again this school year
    assert state(vault, family, on=date(2026, 11, 24)) is ConsentState.GIVEN
    with vault.session() as session:
        (group,) = photo_lists(session, family["actor"], today=date(2026, 11, 24))
        assert dict(group.by_purpose)["Foto's en video's op de schoolwebsite"] == ()


def test_the_closing_date_is_read_as_day_month_once():
    from db.consents import parse_closing_date

    assert parse_closing_date(" 1-10 ") == (10, 1)
    assert parse_closing_date("") is None
    for text, words in (("31-02", "bestaat niet"), ("oktober", "dag-maand")):
        with pytest.raises(ValidationError, match=words):
            parse_closing_date(text)


def test_from_sixteen_the_pupil_decides_alone():
    from db.consents import decides_alone

    born = date(2010, 1, 6)
    assert not decides_alone(born, date(2026, 1, 5))
    assert decides_alone(born, date(2026, 1, 6))
    assert not decides_alone(None, date(2026, 1, 6))


def test_streamed_states_are_the_current_states_of_every_pupil(vault, clock):
    """stream_states (the inspection export counts with it) applies the same rule as
    current_states, also where the school asks each school year."""
    from db.consents import current_states, set_year_rhythm, stream_states
    from db.demo import populate_demo

    with vault.session() as session:
        populate_demo(session, pupils=60, seed=5, clock=clock)
    for yearly in (False, True):
        with vault.session() as session:
            admin = session.scalar(select(User).where(User.username == "beheer"))
            set_year_rhythm(session, admin, ask_each_year=yearly, closing_month_day=None)
        with vault.session() as session:
            on = date(2026, 11, 24)
            expected = current_states(session, SYSTEM, on=on)
            streamed = {(p, q): state for p, q, state in stream_states(session, SYSTEM, on=on)}
            assert streamed == expected and expected


def test_counted_states_are_the_streamed_states_counted(vault, clock):
    """state_counts (the inspection export counts with it, in SQL) gives, per purpose, group
    and state, the count of the pupils current on the day among stream_states: also for
    pupils of 16 who decided themselves, guardians without gezag, the parent app's unnamed
    voice, decisions taken on the same day, pupils who left, and the yearly rhythm. A
    withdrawal is counted as a "no"."""
    import random
    from collections import Counter

    from sqlalchemy import insert, update

    from db.consents import ConsentState, set_year_rhythm, state_counts, stream_states
    from db.demo import populate_demo
    from db.schema import Pupil, PupilGuardian

    with vault.session() as session:
        populate_demo(session, pupils=80, seed=11, clock=clock)
    rng = random.Random(14)
    with vault.session() as session:
        links = session.execute(select(PupilGuardian.pupil_id, PupilGuardian.guardian_id)).all()
        purposes = session.scalars(select(ConsentPurpose.id)).all()
        session.execute(update(PupilGuardian).where(PupilGuardian.guardian_id % 5 == 0)
                        .values(has_authority=False))
        rows = []
        for _ in range(600):
            pupil_id, guardian_id = rng.choice(links)
            voice = rng.random()
            rows.append({
                "pupil_id": pupil_id, "purpose_id": rng.choice(purposes), "purpose_version": 1,
                "decision": rng.choice(["given", "refused", "withdrawn"]),
                "decided_on": date(2024 + rng.randrange(3), rng.choice([1, 8, 9, 11]),
                                   rng.choice([1, 15])),
                "guardian_id": None if voice < 0.3 else guardian_id, "by_pupil": voice > 0.85,
                "channel": "paper", "note": "", "recorded_by": None, "recorded_at": clock()})
        session.execute(insert(ConsentEvent), rows)
        session.execute(update(Pupil).where(Pupil.id % 7 == 0)
                        .values(left_on=date(2026, 10, 1)))
    for yearly in (False, True):
        with vault.session() as session:
            admin = session.scalar(select(User).where(User.username == "beheer"))
            set_year_rhythm(session, admin, ask_each_year=yearly, closing_month_day=None)
        for on in (date(2026, 11, 24), date(2025, 9, 1), date(2024, 8, 1)):
            with vault.session() as session:
                current = {pid: group for pid, group in session.execute(
                    select(Pupil.id, Pupil.group_name).where(
                        Pupil.left_on.is_(None) | (Pupil.left_on > on)))}
                expected = Counter()
                for pid, purpose_id, state in stream_states(session, SYSTEM, on=on):
                    if state is ConsentState.WITHDRAWN:  # counted as a "no"
                        state = ConsentState.REFUSED
                    if pid in current and state is not ConsentState.NOT_ASKED:
                        expected[(purpose_id, current[pid], state)] += 1
                counted = state_counts(session, SYSTEM, on=on)
            assert counted == expected, (yearly, on)
            assert expected or on.year == 2024
