"""privacyregister-cli migrate-to: a real school's register (made by `init`, pupils imported,
the parent app's consents imported, a breach signed off, a request, a special-category record)
copied into an empty database on the run's PostgreSQL server."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import inspect, select

from db import migrate_to
from db.audit import chain_head, verify_chain
from db.breaches import BreachInput, add_amendment, assess, register_breach, sign_off
from db.clock import fixed_clock
from db.errors import Cancelled
from db.migrate_to import copy_to_server, open_read_only
from db.pupils import add_special
from db.requests import RequestInput, register_request
from db.schema import Base, DataRequest, Pupil, RequestKind, Risk, Role, User
from db.server import ServerAddress, ServerRegister, make_engine, store_password
from db.users import authenticate, create_user
from db.vault import Vault, sidecar_path
from desktop import cli, cli_migrate
from tests.db.imports.consent_files import parro_csv
from tests.support.postgres import APPLICATION, OWNER, database_for_test
from tests.support.real_runs import RealRuns

PASSPHRASE = "een lange wachtwoordzin voor de test"
CLOCK = fixed_clock(datetime(2026, 11, 24, 9, 30, tzinfo=UTC))
PUPILS_CSV = (
    "Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;Geboortedatum;Groep;"
    "Datum inschrijving;Naam ouder/verzorger 1;E-mail ouder/verzorger 1\r\n"
    "1001;Sem;van den;Berg;03-05-2017;4A;30-08-2021;Anna van den Berg;anna@example.nl\r\n"
    "1002;Lotte;;Bergen;12-09-2017;4A;30-08-2021;Fatima El Amrani;fatima@example.nl\r\n"
    "1003;Fleur;;Jansen;20-01-2018;3B;29-08-2022;Peter Jansen;peter@example.nl\r\n"
    "1004;Noor;;Visser;01-06-2016;5A;31-08-2020;Ingrid Visser;ingrid@example.nl\r\n"
)


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def school_file(tmp_path, capsys, monkeypatch, real_runs) -> Path:
    """The register a school made itself: `init`, `import`, `import-consents`, and in the
    app a director who signed off a breach with an amendment, a request, a medical note."""
    return make_school_file(tmp_path, capsys, monkeypatch, real_runs=real_runs)


def make_school_file(tmp_path: Path, capsys, monkeypatch, school: str = "OBS De Klimop",
                     brin: str = "12AB", *, real_runs: RealRuns | None = None) -> Path:
    """A school's own register (see school_file), in `tmp_path`. With `real_runs`: the
    worker's one making of this school's register, copied with what its runs wrote in the
    data folder (tests/support/real_runs.py); schools of another name or BRIN are made apart,
    so two schools are never one file."""
    monkeypatch.setenv("PRIVACYREGISTER_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("PRIVACYREGISTER_ADMIN_PASSWORD", "wachtwoord-123")
    if real_runs is None:
        return _make_school_file(tmp_path, capsys, school, brin)

    real_runs.copy(("make_school_file", school, brin),
                   lambda folder: _make_school_file(folder, capsys, school, brin),
                   tmp_path, files="school")
    return tmp_path / "school.db"


def _make_school_file(tmp_path: Path, capsys, school: str, brin: str) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "school.db"
    code, _, err = run(capsys, "--database", path, "init", "--school", school,
                       "--brin", brin, "--admin", "beheer")
    assert code == 0, err
    (tmp_path / "leerlingen.csv").write_text(PUPILS_CSV, encoding="utf-8")
    code, out, err = run(capsys, "--database", path, "import", tmp_path / "leerlingen.csv")
    assert code == 0, out + err
    code, out, err = run(capsys, "--database", path, "import-consents", parro_csv(tmp_path),
                         "--source", "parro", "--date", "01-10-2026")
    assert "Opgeslagen:" in out, out + err
    vault = Vault.open(path, backup_dir=tmp_path / "kopieen", clock=CLOCK)
    with vault.session() as session:
        admin = session.scalar(select(User))
        director = create_user(session, admin, "directie", "wachtwoord-123", Role.DIRECTIE,
                               clock=CLOCK)
        breach = register_breach(session, director, BreachInput(
            discovered_at=datetime(2026, 11, 20, 8, 0, tzinfo=UTC),
            started_at=datetime(2026, 11, 19, 16, 0, tzinfo=UTC),
            description="Laptop met leerlingoverzicht in de trein laten liggen.",
            nature=("lost",), data_categories=("name",), affected_groups=("pupils",),
            affected_min=25, affected_max=30), clock=CLOCK)
        assess(session, director, breach.id, risk=Risk.NONE, reasons="Versleutelde laptop.",
               notify_ap=False, notify_reason="Versleuteld: geen risico.", clock=CLOCK)
        sign_off(session, director, breach.id, clock=CLOCK)
        add_amendment(session, director, breach.id, "De laptop is teruggevonden.",
                      clock=CLOCK)
        pupil = session.scalar(select(Pupil).where(Pupil.source_key == "1002"))
        register_request(session, director, RequestInput(
            RequestKind.ACCESS, date(2026, 11, 2), pupil.id, None, "Inzage"), clock=CLOCK)
        add_special(session, director, pupil.id, "medical", "Dyslexieverklaring", clock=CLOCK)
    vault.close(backup=False)
    assert not Path(f"{path}-wal").exists()
    return path


@pytest.fixture
def empty_database(postgres_server, postgres_admin, request):
    """A new, empty database owned by the owner role; the owner's and the program's
    passwords in the keyring."""
    with database_for_test(postgres_admin, request, "mig") as name:
        owner = ServerAddress.parse(postgres_server.url(name, OWNER))
        store_password(owner, postgres_server.owner_password)
        as_app = ServerAddress.parse(postgres_server.url(name))
        store_password(as_app, postgres_server.application_password)
        yield owner, as_app


def _files(path: Path) -> dict[str, bytes | None]:
    return {name.name: (name.read_bytes() if name.exists() else None)
            for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), sidecar_path(path))}


def _all_rows(connection) -> dict[str, list[tuple]]:
    """Every row of every table as Python values, in key order; the database id left out
    (each register has its own)."""
    rows = {}
    for table in Base.metadata.sorted_tables:
        found = connection.execute(select(table).order_by(*table.primary_key.columns)).all()
        rows[table.name] = [tuple(row) for row in found
                            if not (table.name == "setting"
                                    and row._mapping["key"] == "database_id")]
    return rows


def _server_tables(owner: ServerAddress, password: str) -> list[str]:
    engine = make_engine(owner, password)
    try:
        with engine.connect() as connection:
            return inspect(connection).get_table_names()
    finally:
        engine.dispose()


def test_a_schools_register_moves_to_the_server_with_the_same_chain_head(
        school_file, empty_database, postgres_server, capsys, monkeypatch):
    owner, as_app = empty_database
    before = _files(school_file)
    local = Vault.open(school_file, backup_dir=school_file.parent / "kopieen")
    with local.session() as session:
        local_head = chain_head(session)
        local_rows = _all_rows(session.connection())
    local.close(backup=False)
    before = _files(school_file)
    monkeypatch.setattr(cli_migrate, "PROGRESS_EVERY", 50)

    code, out, err = run(capsys, "--database", school_file, "migrate-to", owner,
                         "--app-role", APPLICATION)

    assert code == 0, err
    assert f"Ketenkop op deze computer: {local_head}" in out
    assert f"Ketenkop op de server:     {local_head}" in out
    shown = [(int(done), int(total))  # progress on stderr
             for done, total in re.findall(r"Overgezet: (\d+) van (\d+) rijen", err)]
    rows = sum(map(len, local_rows.values())) + 1  # and the file's database id
    assert len(shown) >= 2 and shown[-1] == (rows, rows)
    assert _files(school_file) == before  # the file, its -wal, -shm and sidecar: untouched
    register = ServerRegister.open(as_app, clock=CLOCK)  # as the program's own user
    try:
        with register.session() as session:
            assert chain_head(session) == local_head
            report = verify_chain(session)
            assert report.ok, report.message
            assert _all_rows(session.connection()) == local_rows  # every value, every type
            assert authenticate(session, "directie", "wachtwoord-123").role == Role.DIRECTIE
        with register.session() as session:  # the sequences were set past the copied ids
            pupil_id = max(row[0] for row in local_rows["pupil"])
            director = session.scalar(select(User).where(User.username == "directie"))
            pupil = session.get(Pupil, pupil_id)
            request = register_request(session, director, RequestInput(
                RequestKind.ERASURE, date(2026, 11, 23), pupil.id, None), clock=CLOCK)
            session.flush()
            assert request.id > max(row[0] for row in local_rows["data_request"])
        with register.session() as session:
            assert verify_chain(session).ok
            assert chain_head(session).seq > local_head.seq  # the chain goes on from its head
            assert session.scalar(select(DataRequest).where(
                DataRequest.kind == RequestKind.ERASURE)) is not None
    finally:
        register.close()


def test_a_database_that_holds_something_else_is_refused(school_file, empty_database,
                                                         postgres_server, capsys):
    """Not empty and no register of this version (a table of another program): refused.
    (A database with the board's register gets the file's school as a new school:
    test_cli_migrate_to_board.py.)"""
    owner, _ = empty_database
    engine = make_engine(owner, postgres_server.owner_password)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE iets_anders (id integer)")
    finally:
        engine.dispose()
    code, _, err = run(capsys, "--database", school_file, "migrate-to", owner,
                       "--app-role", APPLICATION)
    assert code == 2
    assert "niet leeg" in err and "Er is niets gewijzigd" in err
    assert _server_tables(owner, postgres_server.owner_password) == ["iets_anders"]


def test_a_broken_local_chain_is_refused_and_the_server_stays_empty(
        school_file, empty_database, postgres_server, capsys):
    owner, _ = empty_database
    raw = sqlcipher.connect(str(school_file))  # someone changed a pupil outside the program
    raw.execute(f"PRAGMA key = '{PASSPHRASE}'")
    raw.execute("UPDATE pupil SET last_name = 'Anders' WHERE source_key = '1003'")
    raw.commit()
    raw.close()
    before = _files(school_file)
    code, _, err = run(capsys, "--database", school_file, "migrate-to", owner,
                       "--app-role", APPLICATION)
    assert code == 2
    assert "auditketen van het register op deze computer is niet in orde" in err
    assert "Leerling" in err and "gewijzigd buiten het programma om" in err
    assert _server_tables(owner, postgres_server.owner_password) == []
    assert _files(school_file) == before


def test_a_register_still_open_in_the_program_is_refused(school_file, empty_database,
                                                          postgres_server, capsys):
    owner, _ = empty_database
    vault = Vault.open(school_file, backup_dir=school_file.parent / "kopieen")
    try:
        with vault.session() as session:  # a write: the -wal holds it until a checkpoint
            add_special(session, session.scalar(select(User).where(User.username == "directie")), 1,
                        "medical", "ADHD",
                        clock=CLOCK)
        code, _, err = run(capsys, "--database", school_file, "migrate-to", owner,
                           "--app-role", APPLICATION)
    finally:
        vault.close(backup=False)
    assert code == 2 and "nog geopend in Privacyregister" in err
    assert _server_tables(owner, postgres_server.owner_password) == []


def test_ctrl_c_during_the_copy_leaves_the_server_empty(school_file, empty_database,
                                                       postgres_server, capsys, monkeypatch):
    owner, _ = empty_database
    monkeypatch.setattr(migrate_to, "BATCH", 10)
    monkeypatch.setattr(cli_migrate, "PROGRESS_EVERY", 10)
    lines = []

    def ctrl_c_on_the_third_line(done, total):
        lines.append(done)
        if len(lines) == 3:
            raise KeyboardInterrupt  # where the signal handler would raise it
        return f"Overgezet: {done} van {total} rijen"

    monkeypatch.setattr(cli_migrate, "_progress_line", ctrl_c_on_the_third_line)
    code, _, err = run(capsys, "--database", school_file, "migrate-to", owner,
                       "--app-role", APPLICATION)
    assert code == 2 and "Afgebroken" in err
    assert lines[-1] > 0  # it was in the middle of the copy
    assert _server_tables(owner, postgres_server.owner_password) == []


def test_a_cancel_from_the_progress_rolls_back(school_file, empty_database, postgres_server):
    owner, _ = empty_database
    engine = open_read_only(school_file, passphrase=PASSPHRASE)
    try:
        with engine.connect() as source, pytest.raises(Cancelled):
            copy_to_server(source, owner, password=postgres_server.owner_password,
                           application_role=APPLICATION,
                           progress=lambda done, total: done < total)  # cancelled at the end
    finally:
        engine.dispose()
    assert _server_tables(owner, postgres_server.owner_password) == []


def test_the_owner_as_program_user_and_a_plain_connection_are_refused_in_dutch(
        school_file, empty_database, postgres_server, capsys):
    owner, _ = empty_database
    code, _, err = run(capsys, "--database", school_file, "migrate-to", owner,
                       "--app-role", OWNER)
    assert code == 2 and "andere databasegebruiker dan de eigenaar" in err
    plain = f"postgresql://{OWNER}@127.0.0.1:{postgres_server.port}/x?sslmode=disable"
    code, _, err = run(capsys, "--database", school_file, "migrate-to", plain,
                       "--app-role", APPLICATION)
    assert code == 2 and "wordt geweigerd" in err and "verify-full" in err
    assert _server_tables(owner, postgres_server.owner_password) == []


def test_a_real_ctrl_c_in_the_middle_of_the_copy_leaves_the_server_empty(
        tmp_path, empty_database, postgres_server):
    """The whole process, as IT staff run it: SIGINT once the copy has started."""
    import json
    import os
    import signal
    import subprocess
    import sys

    from db.demo import DEMO_PASSPHRASE
    from db.server import SERVICE

    owner, _ = empty_database
    keyring_file = tmp_path / "keyring.json"
    keyring_file.write_text(json.dumps(
        {f"{SERVICE}/{owner.account}": postgres_server.owner_password}), "utf-8")
    env = {**os.environ, "PRIVACYREGISTER_PASSPHRASE": DEMO_PASSPHRASE,
           "PYTHON_KEYRING_BACKEND": "tests.support.filekeyring.FileKeyring",
           "FILE_KEYRING": str(keyring_file), "XDG_DATA_HOME": str(tmp_path / "data"),
           "LOCALAPPDATA": str(tmp_path / "data")}
    database = tmp_path / "school.db"
    made = subprocess.run([sys.executable, "-m", "desktop.cli", "--database", str(database),
                           "demo", "--pupils", "1500"], env=env, capture_output=True,
                          text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    before = _files(database)
    process = subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", "--database", str(database), "migrate-to",
         str(owner), "--app-role", APPLICATION], env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    seen = []
    for line in process.stderr:  # the copy has started once the rows are counted
        seen.append(line)
        if "rijen worden overgezet" in line:
            process.send_signal(signal.SIGINT)
            break
    out, rest = process.communicate(timeout=120)
    err = "".join(seen) + rest
    assert process.returncode == 2, out + err
    assert "Afgebroken" in err and "Traceback" not in err
    assert "Register overgezet" not in out
    assert _server_tables(owner, postgres_server.owner_password) == []
    assert _files(database) == before


def test_school_from_names_the_file_and_its_key_comes_from_the_keyring(
        file_vault, empty_database, postgres_server, memory_keyring, capsys, tmp_path):
    """A register in keyring mode (as the set-up makes it on Windows), given with
    --school-from while --database names another place: the key is read from the keyring,
    and nothing is added to the keyring or beside the file."""
    owner, _ = empty_database
    with file_vault.session() as session:
        head = chain_head(session)
    file_vault.engine.dispose()
    path = file_vault.path
    before = _files(path)
    entries = dict(memory_keyring.entries)
    folder_before = sorted(p.name for p in path.parent.iterdir())
    code, out, err = run(capsys, "--database", tmp_path / "elders" / "bestaat-niet.db",
                         "migrate-to", owner, "--app-role", APPLICATION,
                         "--school-from", path)
    assert code == 0, err
    assert f"Ketenkop op de server:     {head}" in out
    assert _files(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == folder_before
    assert memory_keyring.entries == entries


def test_a_save_in_the_window_during_the_copy_stays_out_of_it(school_file, empty_database,
                                                              postgres_server, monkeypatch):
    """The app copies from a connection of its own while the register is open: what the
    window saves meanwhile is not half in the copy; the copy is the register as it was."""
    owner, as_app = empty_database
    monkeypatch.setattr(migrate_to, "BATCH", 10)
    vault = Vault.open(school_file, backup_dir=school_file.parent / "kopieen", clock=CLOCK)
    try:
        with vault.session() as session:
            head = chain_head(session)
            director = session.scalar(select(User).where(User.username == "directie"))
        saved = []

        def save_once(done, total):
            if done and not saved:  # the window saves a request while the copy runs
                with vault.session() as session:
                    saved.append(register_request(session, director, RequestInput(
                        RequestKind.OBJECTION, date(2026, 11, 23), None, None),
                        clock=CLOCK).id)
            return True

        with vault.reader() as source:
            report = copy_to_server(source, owner, password=postgres_server.owner_password,
                                    application_role=APPLICATION, progress=save_once)
        with vault.session() as session:
            assert chain_head(session).seq > head.seq and saved  # the save went through
    finally:
        vault.close(backup=False)
    assert report.local_head == report.server_head == head
    register = ServerRegister.open(as_app, clock=CLOCK)
    try:
        with register.session() as session:
            assert verify_chain(session).ok and chain_head(session) == head
            assert session.get(DataRequest, saved[0]) is None
    finally:
        register.close()
