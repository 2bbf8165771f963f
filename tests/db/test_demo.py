from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from db import demo as demo_module
from db import keystore
from db.audit import count_entries, verify_chain
from db.clock import fixed_clock
from db.demo import (
    DEMO_PASSPHRASE,
    DEMO_TEACHER_GROUP,
    DEMO_USERS,
    Cancelled,
    create_demo_vault,
    open_or_create_demo,
    populate_demo,
)
from db.errors import MissingKeyError
from db.purposes import load_default_purposes
from db.schema import (
    AuditEntry,
    Breach,
    BreachStatus,
    ConsentEvent,
    DataRequest,
    Decision,
    Exchange,
    Guardian,
    LegalBasis,
    Pupil,
    PupilGuardian,
    RetentionRule,
    Role,
    School,
    SpecialCategoryRecord,
    Supplier,
    User,
)
from db.users import authenticate
from db.vault import Vault, read_sidecar

NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
TODAY = date(2026, 11, 24)
PUPILS = 300


@pytest.fixture(scope="module", params=("sqlcipher", "postgresql"))
def demo(request, tmp_path_factory):
    """One 300-pupil demo school for the read-only tests, on the SQLCipher file (passphrase:
    no keyring involved) and on the PostgreSQL server (as the application role)."""
    if request.param == "postgresql":
        vault = request.getfixturevalue("new_server_register")("demo", fixed_clock(NOW))
    else:
        path = tmp_path_factory.mktemp("demo") / "demo.db"
        vault, _ = Vault.create(path, passphrase="module-passphrase", clock=fixed_clock(NOW))
    with vault.session() as session:
        summary = populate_demo(session, pupils=PUPILS, clock=fixed_clock(NOW))
    yield vault, summary
    vault.engine.dispose()


def _count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def test_demo_fills_all_eight_year_groups_in_classes_of_at_most_thirty(demo):
    vault, summary = demo
    with vault.session() as session:
        active = session.execute(select(Pupil.year_group, Pupil.group_name)
                                 .where(Pupil.left_on.is_(None))).all()
    assert summary.pupils == PUPILS
    assert {year for year, _ in active} == set(range(1, 9))
    sizes = Counter(group for _, group in active)
    assert DEMO_TEACHER_GROUP in sizes
    assert max(sizes.values()) <= 30
    assert all(group.startswith(str(year)) for year, group in active)


def test_demo_pupils_are_as_old_as_their_group(demo):
    vault, _ = demo
    with vault.session() as session:
        pupils = session.scalars(select(Pupil)).all()
    for pupil in pupils:
        assert pupil.enrolled_on >= pupil.date_of_birth.replace(year=pupil.date_of_birth.year + 4)
        assert pupil.enrolled_on <= TODAY
        assert pupil.source_key.isdigit() and len(pupil.source_key) == 7
        if pupil.left_on is None:
            age = _age(pupil.date_of_birth, TODAY)
            assert pupil.year_group + 2 <= age <= pupil.year_group + 4, pupil.year_group
            if pupil.year_group == 1:
                assert 4 <= age <= 5
        else:
            assert pupil.enrolled_on <= pupil.left_on <= TODAY
    assert len({p.source_key for p in pupils}) == len(pupils)


def test_demo_names_are_dutch_and_varied(demo):
    vault, _ = demo
    with vault.session() as session:
        pupils = session.execute(select(Pupil.first_name, Pupil.prefix, Pupil.last_name)).all()
    first_names = {first for first, _, _ in pupils}
    assert len(first_names) > 100
    assert {prefix for _, prefix, _ in pupils} & {"van", "de", "van den", "van der"}
    assert any(not name.isascii() for name in first_names | {last for _, _, last in pupils})


def test_every_demo_pupil_has_a_guardian_and_some_share_them_with_siblings(demo):
    vault, summary = demo
    with vault.session() as session:
        without = _count(session, Pupil, ~Pupil.id.in_(select(PupilGuardian.pupil_id)))
        shared = session.scalar(
            select(func.count()).select_from(
                select(PupilGuardian.guardian_id).group_by(PupilGuardian.guardian_id)
                .having(func.count() > 1).subquery()))
        relations = set(session.scalars(select(PupilGuardian.relation)))
        guardians = _count(session, Guardian)
    assert without == 0
    assert shared > 10
    assert relations <= {"moeder", "vader", "verzorger"} and {"moeder", "vader"} <= relations
    assert guardians == summary.guardians


def test_demo_consents_are_mostly_decided_some_withdrawn_and_some_never_asked(demo):
    vault, summary = demo
    with vault.session() as session:
        decisions = Counter(session.scalars(select(ConsentEvent.decision)))
        asked = session.scalar(select(func.count(func.distinct(ConsentEvent.pupil_id))))
        purposes = session.scalar(select(func.count(func.distinct(ConsentEvent.purpose_id))))
        after_today = _count(session, ConsentEvent, ConsentEvent.decided_on > TODAY)
    assert sum(decisions.values()) == summary.consent_events
    given, refused = decisions[Decision.GIVEN], decisions[Decision.REFUSED]
    assert given > refused > decisions[Decision.WITHDRAWN] > 0
    assert PUPILS * 0.85 < asked < PUPILS
    assert purposes == len(load_default_purposes())
    assert after_today == 0


def test_demo_consents_are_decided_by_a_guardian_with_authority(demo):
    vault, _ = demo
    with vault.session() as session:
        without_gezag = session.scalar(
            select(func.count()).select_from(ConsentEvent)
            .outerjoin(PupilGuardian, (PupilGuardian.pupil_id == ConsentEvent.pupil_id)
                       & (PupilGuardian.guardian_id == ConsentEvent.guardian_id))
            .where(PupilGuardian.has_authority.is_not(True)))
    assert without_gezag == 0


def test_demo_has_leavers_and_special_category_records(demo):
    vault, summary = demo
    with vault.session() as session:
        left = _count(session, Pupil, Pupil.left_on.is_not(None))
        special = _count(session, SpecialCategoryRecord)
    assert left == summary.left_pupils == round(PUPILS * 0.05)
    assert 0 < special == summary.special_records


def test_demo_breaches_cover_every_status_and_the_72_hour_rule(demo):
    vault, summary = demo
    with vault.session() as session:
        breaches = session.scalars(select(Breach)).all()
        directors = set(session.scalars(select(User.id).where(User.role == Role.DIRECTIE)))
    assert len(breaches) == summary.breaches >= 6
    assert {b.status for b in breaches} == set(BreachStatus)
    assert all(b.discovered_at <= NOW and b.discovered_at > NOW - timedelta(days=730)
               for b in breaches)
    notified = [b for b in breaches if b.notified_at is not None]
    assert all(b.ap_reference for b in notified)
    assert any(b.notified_at - b.discovered_at > timedelta(hours=72) for b in notified)
    assert any(b.notify_ap is False and b.notify_reason for b in breaches)
    closed = [b for b in breaches if b.status == BreachStatus.CLOSED]
    assert closed and all(b.signed_off_by in directors and b.signed_off_at for b in closed)


def test_demo_has_requests_suppliers_exchanges_and_retention_rules(demo):
    vault, summary = demo
    with vault.session() as session:
        kinds = set(session.scalars(select(DataRequest.kind)))
        ends = list(session.scalars(select(Supplier.ends_on)))
        names = set(session.scalars(select(Supplier.name)))
        bases = set(session.scalars(select(Exchange.legal_basis)))
        rules = {r.category: r for r in session.scalars(select(RetentionRule))}
    assert {"access", "erasure"} <= kinds and summary.requests == 5
    assert {"Topicus", "Basispoort", "Microsoft"} <= names
    assert sum(1 for end in ends if end and TODAY <= end <= TODAY + timedelta(days=60)) == 1
    assert bases == {LegalBasis.LAW, LegalBasis.CONSENT}
    assert rules["leerlingdossier"].years_after_leaving == 2
    assert rules["inschrijving_verzuim"].years_after_leaving == 5
    assert rules["verwijsdossier"].years_after_leaving == 3
    assert all(rule.source for rule in rules.values())


def test_demo_audits_every_record_and_the_chain_verifies(demo):
    vault, summary = demo
    with vault.session() as session:
        report = verify_chain(session)
        per_table = dict(session.execute(
            select(AuditEntry.table_name, func.count()).group_by(AuditEntry.table_name)).all())
    assert report.ok, report.message
    assert report.entries == count_entries_total(vault)
    assert per_table["pupil"] == PUPILS
    assert per_table["consent_event"] == summary.consent_events
    assert per_table["guardian"] == summary.guardians
    assert per_table["breach"] == summary.breaches


def count_entries_total(vault) -> int:
    with vault.session() as session:
        return count_entries(session)


def test_demo_users_can_log_in_with_their_roles(demo):
    vault, _ = demo
    with vault.session() as session:
        for username, password, role, _name in DEMO_USERS:
            user = authenticate(session, username, password)
            assert user.role == role
            assert (user.group_name == DEMO_TEACHER_GROUP) == (role == Role.LEERKRACHT)
        school = session.scalar(select(School))
    assert school.name == "OBS De Regenboog" and school.brin == "12AB"
    assert all(len(password) >= 8 for _, password, _, _ in DEMO_USERS)


def _snapshot(path, seed):
    vault, _ = Vault.create(path, passphrase="x-passphrase", clock=fixed_clock(NOW))
    with vault.session() as session:
        populate_demo(session, pupils=60, seed=seed, clock=fixed_clock(NOW))
        pupils = session.execute(
            select(Pupil.source_key, Pupil.first_name, Pupil.given_names, Pupil.prefix,
                   Pupil.last_name, Pupil.date_of_birth, Pupil.group_name, Pupil.enrolled_on,
                   Pupil.left_on).order_by(Pupil.id)).all()
        events = session.execute(
            select(ConsentEvent.pupil_id, ConsentEvent.purpose_id, ConsentEvent.decision,
                   ConsentEvent.decided_on, ConsentEvent.guardian_id, ConsentEvent.channel)
            .order_by(ConsentEvent.id)).all()
        guardians = session.execute(select(Guardian.first_name, Guardian.last_name,
                                           Guardian.email).order_by(Guardian.id)).all()
    vault.engine.dispose()
    return pupils, events, guardians


def test_same_seed_gives_the_same_school(tmp_path):
    first = _snapshot(tmp_path / "a.db", 7)
    assert first == _snapshot(tmp_path / "b.db", 7)
    assert first[0] != _snapshot(tmp_path / "c.db", 8)[0]


def test_demo_on_a_set_up_register_keeps_its_school_and_adds_missing_users(vault, clock):
    with vault.session() as session:
        summary = populate_demo(session, pupils=40, clock=clock)
        school = session.scalar(select(School))
        users = {u.username: u for u in session.scalars(select(User))}
        report = verify_chain(session)
    assert school.name == "OBS De Klimop" and _count_schools(vault) == 1
    assert set(users) == {d.username for d in DEMO_USERS}
    assert summary.users_created == len(DEMO_USERS) - 1  # "beheer" was there already
    assert report.ok
    with vault.session() as session:
        authenticate(session, "beheer", "geheim-wachtwoord")  # its own password is kept
        authenticate(session, "administratie", "demo-admin")


def _count_schools(vault) -> int:
    with vault.session() as session:
        return _count(session, School)


def test_cancelling_leaves_the_register_as_it_was(vault, clock):
    with vault.session() as session:
        before = count_entries(session)
    calls = []

    def progress(done, total):
        calls.append((done, total))
        return False

    with pytest.raises(Cancelled), vault.session() as session:
        populate_demo(session, pupils=50, clock=clock, progress=progress)
    assert calls == [(50, 50)]
    with vault.session() as session:
        assert _count(session, Pupil) == 0
        assert count_entries(session) == before
        assert verify_chain(session).ok


def test_progress_reports_batches_up_to_the_total(vault, clock, monkeypatch):
    monkeypatch.setattr(demo_module, "CHUNK", 10)
    seen = []
    with vault.session() as session:
        populate_demo(session, pupils=60, clock=clock,
                      progress=lambda done, total: seen.append((done, total)) or True)
    assert [total for _, total in seen] == [60] * len(seen)
    assert len(seen) >= 4 and seen[-1][0] == 60
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_demo_vault_is_created_once_and_then_opened(tmp_path, clock):
    path = tmp_path / "demo" / "demo.db"
    created = create_demo_vault(path, backup_dir=tmp_path / "backups", pupils=30, clock=clock)
    database_id = created.database_id
    assert created.key_mode == "keyring" and read_sidecar(path)["demo"] is True
    created.engine.dispose()
    opened = open_or_create_demo(path, backup_dir=tmp_path / "backups", pupils=30)
    try:
        assert opened.database_id == database_id
        with opened.session() as session:
            assert _count(session, Pupil) == 30
    finally:
        opened.engine.dispose()


def test_demo_vault_without_a_keyring_uses_the_demo_passphrase(tmp_path, clock, monkeypatch):
    monkeypatch.setattr(keystore, "keyring_usable", lambda: False)
    path = tmp_path / "demo.db"
    created = create_demo_vault(path, backup_dir=None, pupils=20, clock=clock)
    assert created.key_mode == "passphrase"
    created.engine.dispose()
    Vault.open(path, passphrase=DEMO_PASSPHRASE).engine.dispose()
    reopened = open_or_create_demo(path, backup_dir=None)
    assert reopened.database_id == created.database_id
    reopened.engine.dispose()


def test_demo_vault_whose_key_was_lost_is_made_again(tmp_path, clock, memory_keyring):
    path = tmp_path / "demo.db"
    created = create_demo_vault(path, backup_dir=None, pupils=20, clock=clock)
    created.engine.dispose()
    memory_keyring.entries.clear()
    again = open_or_create_demo(path, backup_dir=None, pupils=20)
    try:
        assert again.database_id != created.database_id
        with again.session() as session:
            assert _count(session, Pupil) == 20
    finally:
        again.engine.dispose()


@pytest.mark.sqlcipher_only  # the demo is a file, and it must not take a real register's place
def test_a_real_register_is_never_replaced_by_the_demo(vault, db_path, memory_keyring):
    vault.engine.dispose()
    memory_keyring.entries.clear()
    with pytest.raises(MissingKeyError):
        open_or_create_demo(db_path, backup_dir=None)
    assert db_path.exists()


def test_creating_fails_cleanly_when_cancelled(tmp_path, clock, memory_keyring):
    path = tmp_path / "demo.db"
    with pytest.raises(Cancelled):
        create_demo_vault(path, backup_dir=None, pupils=20, clock=clock,
                          progress=lambda done, total: False)
    assert not path.exists() and not memory_keyring.entries
