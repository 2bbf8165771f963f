"""privacyregister-cli migrate-to into a database that already holds the board's register
(issue 15, point 4 with point 2): two real school registers (made by `init`, pupils and the
parent app's consents imported, a breach signed off with an amendment, a request, a medical
note) moved one after the other into one database on the run's PostgreSQL server. The first
is copied with its ids; the second becomes a new school of the same database, its ids
renumbered, its chain copied as stored and followed by a baseline entry per row."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select, text

from db.audit import COVERED, chain_head, verify_chain
from db.board import board_overview
from db.migrate_to import open_read_only
from db.requests import RequestInput, register_request
from db.schema import (
    AuditEntry,
    Base,
    ConsentEvent,
    ConsentPurpose,
    Pupil,
    RequestKind,
    Role,
    School,
    User,
)
from db.server import ServerAddress, ServerRegister, make_engine, store_password
from db.tenancy import SchoolScope, scope_for
from db.users import authenticate, create_board_user
from tests.desktop.test_cli_migrate_to import (
    CLOCK,
    PASSPHRASE,
    _files,
    make_school_file,
    run,
)
from tests.support.postgres import APPLICATION, OWNER, database_for_test

KLIMOP, REGENBOOG = ("OBS De Klimop", "12AB"), ("OBS De Regenboog", "34CD")


@pytest.fixture
def board_database(postgres_server, postgres_admin, request):
    """A new, empty database owned by the owner role (as test_cli_migrate_to's)."""
    with database_for_test(postgres_admin, request, "brd") as name:
        owner = ServerAddress.parse(postgres_server.url(name, OWNER))
        store_password(owner, postgres_server.owner_password)
        as_app = ServerAddress.parse(postgres_server.url(name))
        store_password(as_app, postgres_server.application_password)
        yield owner, as_app


@pytest.fixture
def two_files(tmp_path, capsys, monkeypatch, real_runs):
    """Two schools' own registers, each made as a school makes it (each the worker's one
    making of that school's, copied)."""
    return (make_school_file(tmp_path / "klimop", capsys, monkeypatch, *KLIMOP,
                             real_runs=real_runs),
            make_school_file(tmp_path / "regenboog", capsys, monkeypatch, *REGENBOOG,
                             real_runs=real_runs))


def _owned(table) -> object | None:
    """The column that says whose a row is (school: its id); None for a global table."""
    return table.c.id if table.name == "school" else table.c.get("school_id")


def _facts(connection, school_id: int | None = None) -> dict:
    """What a school's register holds, by content rather than by id: the rows per table
    (the register's own rows left out), the pupils, every consent with its pupil and
    purpose (so a foreign key pointing at the wrong row shows), and the breaches."""
    def mine(table):
        owner = _owned(table)
        return [] if school_id is None or owner is None else [owner == school_id]

    counts = {}
    for table in Base.metadata.sorted_tables:
        owner = _owned(table)
        if owner is None:
            continue
        query = select(func.count()).select_from(table).where(*mine(table))
        if table.name in ("setting", "app_user"):
            query = query.where(table.c.school_id.is_not(None))
        if table.name == "setting":  # the old ids a moved school keeps (db.moved_ids)
            query = query.where(table.c.key.not_like("moved.%"))
        counts[table.name] = connection.execute(query).scalar_one()
    pupils = sorted(connection.execute(
        select(Pupil.source_key, Pupil.first_name, Pupil.last_name, Pupil.date_of_birth)
        .where(*mine(Pupil.__table__))).all())
    consents = sorted(connection.execute(
        select(Pupil.source_key, ConsentPurpose.code, ConsentEvent.decision,
               ConsentEvent.decided_on)
        .join(Pupil, Pupil.id == ConsentEvent.pupil_id)
        .join(ConsentPurpose, ConsentPurpose.id == ConsentEvent.purpose_id)
        .where(*mine(ConsentEvent.__table__))).all())
    users = sorted(connection.execute(select(User.username, User.role, User.password_hash)
                                      .where(*mine(User.__table__))).all())
    return {"counts": counts, "pupils": pupils, "consents": consents, "users": users}


def _local(path) -> dict:
    engine = open_read_only(path, passphrase=PASSPHRASE)
    try:
        with engine.connect() as connection:
            rows = sum(connection.execute(select(func.count()).select_from(
                Base.metadata.tables[name])).scalar_one() for name in COVERED)
            return {"head": chain_head(connection), "facts": _facts(connection),
                    "covered_rows": rows}
    finally:
        engine.dispose()


def _snapshot(owner, password) -> dict:
    """Every row of every table of the server database, as the owner reads it."""
    engine = make_engine(owner, password)
    try:
        with engine.connect() as connection:
            return {table.name: sorted(map(tuple, connection.execute(select(table)).all()),
                                       key=repr)
                    for table in Base.metadata.sorted_tables}
    finally:
        engine.dispose()


def test_two_schools_move_one_after_the_other_into_one_board_database(
        two_files, board_database, postgres_server, capsys):
    owner, as_app = board_database
    klimop, regenboog = two_files
    local_a, local_b = _local(klimop), _local(regenboog)
    before_b = _files(regenboog)

    code, out, err = run(capsys, "--database", klimop, "migrate-to", owner,
                         "--app-role", APPLICATION)
    assert code == 0, err
    assert "Register overgezet naar de server" in out and "basisregels" not in out
    code, out, err = run(capsys, "--database", klimop, "migrate-to", owner,
                         "--app-role", APPLICATION, "--school-from", regenboog)
    assert code == 0, err

    # the output: the same head for the copied part, then the baseline entries after it
    assert "School toegevoegd aan het register op de server" in out
    assert f"Ketenkop op deze computer: {local_b['head']}" in out
    assert f"Ketenkop op de server:     {local_b['head']}" in out
    baseline = int(re.search(r"Daarna (\d+) basisregels", out.replace(".", "")).group(1))
    assert baseline == local_b["covered_rows"]  # one per copied row of the covered tables
    final = re.search(r"Ketenkop van de school op de server nu: (\d+):([0-9a-f]{64})", out)
    assert int(final.group(1)) == local_b["head"].seq + baseline
    assert _files(regenboog) == before_b  # the file, its -wal, -shm and sidecar: untouched

    engine = make_engine(owner, postgres_server.owner_password)
    try:
        with engine.connect() as connection:  # as the owner: every school
            ids = dict(connection.execute(select(School.brin, School.id)).all())
            a, b = ids["12AB"], ids["34CD"]
            assert a != b
            for school, local in ((a, local_a), (b, local_b)):
                report = verify_chain(connection, school_id=school)
                assert report.ok and report.changed == (), report.message
                at_local_head = connection.execute(select(AuditEntry.hash).where(
                    AuditEntry.school_id == school,
                    AuditEntry.seq == local["head"].seq)).scalar_one()
                assert at_local_head == local["head"].hash  # the file's head, in the chain
                facts = _facts(connection, school)
                added = baseline if school == b else 0  # B's chain: the baseline after it
                assert facts["counts"].pop("audit_entry") == \
                    local["facts"]["counts"]["audit_entry"] + added
                assert facts == {**local["facts"], "counts": {
                    name: count for name, count in local["facts"]["counts"].items()
                    if name != "audit_entry"}}
            assert chain_head(connection, a) == local_a["head"]  # copied 1:1, nothing added
            head_b = chain_head(connection, b)
            assert (head_b.seq, head_b.hash) == (int(final.group(1)), final.group(2))
            # the entries of the file, as stored, are the first of school B's chain
            assert connection.execute(select(func.count()).select_from(AuditEntry).where(
                AuditEntry.school_id == b, AuditEntry.action == "audit.baseline",
                AuditEntry.seq > local_b["head"].seq)).scalar_one() == baseline
            # the register's own rows were not copied over the server's
            assert connection.execute(text(
                "SELECT count(*) FROM setting WHERE key = 'database_id'")).scalar_one() == 1
    finally:
        engine.dispose()

    register = ServerRegister.open(as_app, clock=CLOCK)  # the program's own user
    try:
        register.use_scope(SchoolScope(a))
        with register.session() as session:  # school A's setting: none of B's rows, by the
            for table in Base.metadata.sorted_tables:  # engine (crafted queries, no filter)
                if table.name == "school" or "school_id" not in table.c:
                    continue
                others = session.execute(text(
                    f"SELECT count(*) FROM {table.name} WHERE school_id IS DISTINCT FROM "
                    f"{a} AND school_id IS NOT NULL")).scalar_one()
                assert others == 0, table.name
            assert session.execute(text("SELECT count(*) FROM pupil")).scalar_one() == \
                local_a["facts"]["counts"]["pupil"]
        register.use_scope(SchoolScope(b))
        with register.session() as session:  # school B works on: its users log in, a new
            director = authenticate(session, "directie", "wachtwoord-123")  # request is
            assert (director.school_id, director.role) == (b, Role.DIRECTIE)  # chained
            pupil = session.scalar(select(Pupil).where(Pupil.source_key == "1002"))
            register_request(session, director, RequestInput(
                RequestKind.ERASURE, date(2026, 11, 23), pupil.id, None), clock=CLOCK)
        with register.session() as session:
            report = verify_chain(session)
            assert report.ok and report.changed == (), report.message
            assert chain_head(session).seq == head_b.seq + 2  # the log-in, the request
    finally:
        register.close()

    owner_register = ServerRegister.open(owner)
    try:
        with owner_register.session() as session:
            board_user = create_board_user(session, "bestuur", "wachtwoord-123",
                                           Role.BESTUUR, clock=CLOCK)
    finally:
        owner_register.close()
    register = ServerRegister.open(as_app, clock=CLOCK)
    try:
        register.use_scope(scope_for(board_user))
        with register.session() as session:
            lines = board_overview(session, board_user,
                                   now=datetime(2026, 11, 24, 9, 30, tzinfo=UTC),
                                   today=date(2026, 11, 24))
        assert [(line.name, line.brin, line.school_id) for line in lines] == [
            ("OBS De Klimop", "12AB", a), ("OBS De Regenboog", "34CD", b)]
        # both schools' signed-off breach was assessed and closed for the AP: not open
        assert [line.open_breaches for line in lines] == [0, 0]
        assert [line.open_requests for line in lines] == [1, 2]
    finally:
        register.close()


def test_a_school_whose_brin_is_in_the_database_is_refused_and_nothing_changes(
        tmp_path, two_files, board_database, postgres_server, capsys, monkeypatch):
    owner, _ = board_database
    klimop, regenboog = two_files
    for path in (klimop, regenboog):
        code, _, err = run(capsys, "--database", path, "migrate-to", owner,
                           "--app-role", APPLICATION)
        assert code == 0, err
    before = _snapshot(owner, postgres_server.owner_password)
    # another file of De Regenboog (the same BRIN, written as the school typed it)
    again = make_school_file(tmp_path / "nogmaals", capsys, monkeypatch, "De Regenboog",
                             "34cd")
    code, out, err = run(capsys, "--database", again, "migrate-to", owner,
                         "--app-role", APPLICATION)
    assert code == 2, out
    assert "al een school met BRIN-nummer 34CD" in err and "Er is niets gewijzigd" in err
    assert _snapshot(owner, postgres_server.owner_password) == before


def test_the_other_school_works_on_during_the_copy_and_a_cancel_changes_nothing(
        two_files, board_database, postgres_server, capsys, monkeypatch):
    """While school B is copied in (as the owner, in one transaction) a workstation of
    school A saves a request: it is not held up by the copy (a lock wait would fail it
    with lock_timeout) and it stays; the copy, cancelled at its end, leaves the database
    as it was apart from that save."""
    from db import migrate_to
    from db.errors import Cancelled
    from db.migrate_to import copy_to_server

    owner, as_app = board_database
    klimop, regenboog = two_files
    code, _, err = run(capsys, "--database", klimop, "migrate-to", owner,
                       "--app-role", APPLICATION)
    assert code == 0, err
    monkeypatch.setattr(migrate_to, "BATCH", 10)
    register = ServerRegister.open(as_app, clock=CLOCK)
    saved = []

    def save_in_school_a(done: int, total: int) -> bool:
        if done and not saved:
            with register.session() as session:
                session.execute(text("SET LOCAL lock_timeout = '5s'"))
                director = session.scalar(select(User).where(User.username == "directie"))
                saved.append(register_request(session, director, RequestInput(
                    RequestKind.OBJECTION, date(2026, 11, 23), None, None), clock=CLOCK).id)
        return done < total  # cancelled when the last row is in

    try:
        before = None
        engine = open_read_only(regenboog, passphrase=PASSPHRASE)
        try:
            before = _snapshot(owner, postgres_server.owner_password)
            with engine.connect() as source, pytest.raises(Cancelled):
                copy_to_server(source, owner, password=postgres_server.owner_password,
                               application_role=APPLICATION, progress=save_in_school_a)
        finally:
            engine.dispose()
        assert saved  # school A saved during the copy
        after = _snapshot(owner, postgres_server.owner_password)
        changed = {name for name in after if after[name] != before[name]}
        assert changed == {"data_request", "audit_entry"}  # A's request and its entry only
        assert [brin for _, _, brin, *_ in after["school"]] == ["12AB"]
        with register.session() as session:
            report = verify_chain(session)
            assert report.ok and report.changed == (), report.message
    finally:
        register.close()


def _open_copy(path, folder):
    """The file copied (with its sidecar) and opened as the program opens it: the original
    is not touched."""
    import shutil

    from db.vault import Vault, sidecar_path

    folder.mkdir()
    shutil.copy(path, folder / path.name)
    shutil.copy(sidecar_path(path), sidecar_path(folder / path.name))
    return Vault.open(folder / path.name, backup_dir=folder / "kopieen", clock=CLOCK)


def test_the_audit_log_and_the_access_export_name_the_same_people_and_records_after_the_move(
        tmp_path, two_files, board_database, postgres_server, capsys):
    """The entries copied from the file name users and records by their ids in the file;
    on the server those ids belong to others (school A's rows, or other rows of B). The
    audit log and 'who read this pupil's record' (the access export) show the same users and
    records as in the file."""
    from db.audit_log import AuditFilter, audit_rows, record_readers
    from db.pupils import read_special, record_opened
    from db.vault import Vault

    owner, as_app = board_database
    klimop, regenboog = two_files
    school = Vault.open(regenboog, backup_dir=regenboog.parent / "kopieen", clock=CLOCK)
    with school.session() as session:  # in the file: the director opens Lotte's card
        director = session.scalar(select(User).where(User.username == "directie"))
        lotte = session.scalar(select(Pupil.id).where(Pupil.source_key == "1002"))
        record_opened(session, director, lotte, clock=CLOCK)
        read_special(session, director, lotte, clock=CLOCK)
    school.close(backup=False)
    head = _local(regenboog)["head"]
    copy = _open_copy(regenboog, tmp_path / "kopie")
    try:
        with copy.session() as session:  # the file, as the school knew it
            director = session.scalar(select(User).where(User.username == "directie"))
            lotte = session.scalar(select(Pupil.id).where(Pupil.source_key == "1002"))
            in_file = audit_rows(session, director, selection=AuditFilter())
            readers_in_file = record_readers(session, director, lotte)
    finally:
        copy.close(backup=False)
    for path in (klimop, regenboog):
        code, _, err = run(capsys, "--database", klimop, "migrate-to", owner,
                           "--app-role", APPLICATION, "--school-from", path)
        assert code == 0, err

    register = ServerRegister.open(as_app, clock=CLOCK)
    try:
        with register.session() as session:
            b = session.scalar(select(School.id).where(School.brin == "34CD"))
        register.use_scope(SchoolScope(b))
        with register.session() as session:
            director = session.scalar(select(User).where(User.username == "directie"))
            lotte = session.scalar(select(Pupil.id).where(Pupil.source_key == "1002"))
            on_server = audit_rows(session, director, selection=AuditFilter())
            readers = record_readers(session, director, lotte)
            mine = audit_rows(session, director, selection=AuditFilter(user_id=director.id))
    finally:
        register.close()

    def shown(rows):
        return sorted((row.seq, row.user, row.action, row.table_name, row.record)
                      for row in rows if row.seq <= head.seq)

    assert shown(on_server) == shown(in_file)
    named = [row for row in shown(on_server) if row[3] == "pupil" and row[4]]
    assert any(record == "Lotte Bergen" for *_, record in named)  # names, not ids, compared
    assert readers[:len(readers_in_file)] == readers_in_file
    assert [action for _, _, action in readers[len(readers_in_file):]] == ["audit.baseline"]
    assert [action for _, who, action in readers_in_file if who == "directie"] == [
        "pupil.open", "special.read"]
    # the director's own entries: those of the file (by the old id) and none of another's
    assert shown(mine) == [row for row in shown(in_file) if row[1] == "directie"]
