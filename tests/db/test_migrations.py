"""Schema revisions: an older file is upgraded on open, after an automatic backup."""

import pytest
from sqlalchemy import inspect, text

from db import keystore, migrate
from db.schema import Base
from db.server import make_engine
from db.vault import Key, Vault, _make_engine, _prepare, _raw_connect, read_sidecar, write_sidecar


def make_file_at_revision(path, revision):
    """What an earlier release of the app created: the schema as of `revision`."""
    key = Key(raw=bytes(range(32)))
    conn = _raw_connect(path, key)
    _prepare(conn)
    engine = _make_engine(conn, path, key)
    with engine.begin() as connection:
        migrate.upgrade(connection, revision)
        connection.execute(text("INSERT INTO setting (key, value) VALUES ('database_id', 'oud')"))
        connection.execute(text(
            "INSERT INTO pupil (first_name, given_names, prefix, last_name, group_name, notes, "
            "created_at) VALUES ('Noor', '', 'van', 'Dijk', '6B', '', '2025-09-01 08:00:00')"))
    engine.dispose()
    keystore.store_key("oud", key.raw)
    write_sidecar(path, {"format": "privacyregister", "database_id": "oud",
                         "key_mode": "keyring"})


def test_file_made_at_the_initial_revision_is_backed_up_then_upgraded(tmp_path):
    path = tmp_path / "oud.db"
    make_file_at_revision(path, "0001")
    vault = Vault.open(path, backup_dir=tmp_path / "backups")
    assert vault.migrated_from == "0001"
    backups = vault.list_backups()
    assert len(backups) == 1 and read_sidecar(backups[0])["reason"] == "migratie"
    with vault.engine.connect() as connection:
        assert migrate.current_revision(connection) == migrate.head_revision()
        indexes = {ix["name"] for ix in inspect(connection).get_indexes("pupil")}
        assert "ix_pupil_last_name" in indexes
        assert connection.execute(text("SELECT last_name FROM pupil")).scalar() == "Dijk"
    vault.close(backup=False)
    # the backup still holds the old schema: a way back if the upgrade went wrong
    old = Vault.open(backups[0], upgrade=False)
    with old.engine.connect() as connection:
        assert migrate.current_revision(connection) == "0001"
    old.engine.dispose()


def test_models_match_the_head_revision(vault):
    """No model change without a revision: autogenerate finds nothing to do at head."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with vault.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_revisions_use_no_sqlite_only_sql():
    """No SQL written as text: a data step is a Core statement (op.execute(sa.update(…))),
    which SQLAlchemy compiles for SQLite and PostgreSQL alike."""
    from importlib.resources import files

    raw_sql = ("PRAGMA", "AUTOINCREMENT", "sqlite_master", "text(", "exec_driver_sql",
               "execute(\"", "execute('", "execute(f\"", "execute(f'")
    for revision in (files("db") / "migrations" / "versions").iterdir():
        if revision.name.endswith(".py"):
            source = revision.read_text("utf-8")
            for sqlite_only in raw_sql:
                assert sqlite_only not in source, (revision.name, sqlite_only)


def test_schema_compiles_for_postgresql():
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import CreateIndex, CreateTable

    dialect = postgresql.dialect()
    for table in Base.metadata.sorted_tables:
        str(CreateTable(table).compile(dialect=dialect))
        for index in table.indexes:
            str(CreateIndex(index).compile(dialect=dialect))


def test_revision_files_are_named_for_their_ids_so_opening_needs_no_alembic():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert migrate.known_revisions() == {rev.revision for rev in script.walk_revisions()}
    assert migrate.head_revision() == script.get_current_head()


def test_without_a_backup_folder_the_migration_backup_lands_beside_the_file(tmp_path):
    path = tmp_path / "oud.db"
    make_file_at_revision(path, "0001")
    vault = Vault.open(path)
    vault.close(backup=False)
    beside = tmp_path / "oud.db.voor-migratie-0001.db"
    assert beside.exists() and read_sidecar(beside)["reason"] == "migratie"


def test_a_register_of_the_first_release_upgrades_on_the_server(postgres_server, postgres_admin):
    """Every released revision runs on PostgreSQL, its data steps too: a register with a
    school, a user and two pupils sharing a source key at 0001 gets the defaults (0003), its
    duplicate scoped (0004), the baseline digests (0005), the research purpose (0006) and the
    processing register (0007), run by the owner; the chain verifies and the application
    role gets its grants on the tables that came with the upgrade."""
    from sqlalchemy import func, select

    from db.audit import verify_chain
    from db.errors import ServerError
    from db.schema import ConsentPurpose, ProcessingActivity, Pupil
    from db.server import ServerAddress, ServerRegister, grant_application_role
    from tests.support.postgres import APPLICATION, OWNER

    postgres_admin.execute(f"CREATE DATABASE uit_0001 OWNER {OWNER}")
    try:
        owner = ServerAddress.parse(postgres_server.url("uit_0001", OWNER))
        first = make_engine(owner, postgres_server.owner_password)
        with first.begin() as connection:
            migrate.upgrade(connection, "0001")
            connection.execute(text(
                "INSERT INTO setting (key, value) VALUES ('database_id', 'oud')"))
            connection.execute(text(
                "INSERT INTO school (name, brin, fg_name, fg_email, created_at) "
                "VALUES ('OBS Oud', '12AB', '', '', '2025-08-01 08:00:00')"))
            connection.execute(text(
                "INSERT INTO app_user (username, display_name, role, password_hash, active, "
                "created_at) VALUES ('beheer', '', 'beheerder', 'x', true, "
                "'2025-08-01 08:00:00')"))
            for first_name in ("Noor", "Noor (dubbel)"):
                connection.execute(text(
                    "INSERT INTO pupil (source_key, first_name, given_names, prefix, "
                    "last_name, group_name, notes, created_at) VALUES ('L-1', :name, '', "
                    "'van', 'Dijk', '6B', '', '2025-09-01 08:00:00')"), {"name": first_name})
            grant_application_role(connection, APPLICATION)  # as that release left it
        first.dispose()
        as_app = ServerAddress.parse(postgres_server.url("uit_0001"))
        with pytest.raises(ServerError, match="oudere opbouw"):  # the program's role may not
            ServerRegister.open(as_app, password=postgres_server.application_password)
        upgraded = ServerRegister.open(owner, password=postgres_server.owner_password,
                                       upgrade=True, application_role=APPLICATION)
        assert upgraded.migrated_from == "0001"
        upgraded.close()
        app = ServerRegister.open(as_app, password=postgres_server.application_password)
        try:
            with app.session() as session:
                assert verify_chain(session).ok
                assert session.scalar(select(func.count()).select_from(ConsentPurpose)) > 0
                assert session.scalar(select(func.count()).select_from(ProcessingActivity)) > 0
                assert sorted(session.scalars(select(Pupil.legacy_duplicate))) == [0, 2]
        finally:
            app.close()
    finally:
        postgres_admin.execute("DROP DATABASE uit_0001 WITH (FORCE)")


def _a_register_of_release_0008(connection) -> tuple[int, str]:
    """A register as release 0008 left it: a school, its user and two pupils entered at
    0004, then 0005-0008 (baseline digests, defaults: a chain of entries). Returns its chain
    head (seq, hash) as that release would print it."""
    migrate.upgrade(connection, "0004")
    connection.execute(text("INSERT INTO setting (key, value) VALUES ('database_id', 'oud')"))
    connection.execute(text("INSERT INTO setting (key, value) VALUES ('lock.idle_minutes', '7')"))
    connection.execute(text(
        "INSERT INTO school (name, brin, fg_name, fg_email, created_at) "
        "VALUES ('OBS Oud', '12AB', '', '', '2025-08-01 08:00:00')"))
    connection.execute(text(
        "INSERT INTO app_user (username, display_name, role, password_hash, active, "
        "created_at) VALUES ('beheer', '', 'beheerder', 'x', true, '2025-08-01 08:00:00')"))
    for first_name, key in (("Noor", "L-1"), ("Daan", "L-2")):
        connection.execute(text(
            "INSERT INTO pupil (source_key, legacy_duplicate, first_name, given_names, prefix, "
            "last_name, group_name, notes, created_at) VALUES (:key, 0, :name, '', 'van', "
            "'Dijk', '6B', '', '2025-09-01 08:00:00')"), {"name": first_name, "key": key})
    migrate.upgrade(connection, "0008")
    seq, digest = connection.execute(text(
        "SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1")).one()
    assert seq >= 30  # a baseline entry per row, the defaults of 0006 and 0007
    return seq, digest


def _still_the_same_register(session, head) -> None:
    """After 0009: every row is the one school's, its chain verifies with the same head."""
    from sqlalchemy import select

    from db.audit import ChainHead, chain_head, verify_chain
    from db.schema import AuditEntry, Pupil, School, Setting, User

    (school,) = session.scalars(select(School.id)).all()
    pupils = session.execute(select(Pupil.first_name, Pupil.source_key, Pupil.school_id)
                             .order_by(Pupil.id)).all()
    assert [tuple(row) for row in pupils] == [("Noor", "L-1", school), ("Daan", "L-2", school)]
    assert session.scalar(select(User.school_id)) == school
    assert {row.school_id for row in session.scalars(select(AuditEntry))} == {school}
    settings = dict(session.execute(select(Setting.key, Setting.school_id)).all())
    assert settings == {"database_id": None, "lock.idle_minutes": school}
    before = ChainHead(*head)
    # 0009 writes no entry and changes no hash: the old head is in the chain as it was; what
    # follows it is 0010's (a version column: the two pupils' new digests)
    after = session.execute(select(AuditEntry.action, AuditEntry.table_name)
                            .where(AuditEntry.seq > before.seq)).all()
    assert [tuple(row) for row in after] == [("audit.baseline", "pupil")] * 2
    assert chain_head(session).seq == before.seq + 2
    report = verify_chain(session, against=before)
    assert report.ok, report.message


def test_a_file_of_release_0008_upgrades_through_0009_with_its_data_and_chain(tmp_path):
    path = tmp_path / "oud.db"
    key = Key(raw=bytes(range(32)))
    conn = _raw_connect(path, key)
    _prepare(conn)
    engine = _make_engine(conn, path, key)
    with engine.begin() as connection:
        head = _a_register_of_release_0008(connection)
    engine.dispose()
    keystore.store_key("oud", key.raw)
    write_sidecar(path, {"format": "privacyregister", "database_id": "oud",
                         "key_mode": "keyring"})
    vault = Vault.open(path, backup_dir=tmp_path / "backups")
    try:
        assert vault.migrated_from == "0008"
        with vault.session() as session:
            _still_the_same_register(session, head)
    finally:
        vault.close(backup=False)


def test_a_server_register_of_release_0008_upgrades_through_0009(postgres_server,
                                                                  postgres_admin):
    """The owner upgrades; the program's role then reads the one school (no school chosen:
    the register's one school) with its chain, under the row-level security of 0009."""
    from db.server import ServerAddress, ServerRegister
    from tests.support.postgres import APPLICATION, OWNER

    postgres_admin.execute(f"CREATE DATABASE uit_0008 OWNER {OWNER}")
    try:
        owner = ServerAddress.parse(postgres_server.url("uit_0008", OWNER))
        first = make_engine(owner, postgres_server.owner_password)
        with first.begin() as connection:
            head = _a_register_of_release_0008(connection)
        first.dispose()
        ServerRegister.open(owner, password=postgres_server.owner_password, upgrade=True,
                            application_role=APPLICATION).close()
        as_app = ServerRegister.open(ServerAddress.parse(postgres_server.url("uit_0008")),
                                     password=postgres_server.application_password)
        try:
            with as_app.session() as session:
                _still_the_same_register(session, head)
            with as_app.engine.connect() as connection:  # no school setting: nothing
                assert connection.execute(text("SELECT count(*) FROM pupil")).scalar() == 0
        finally:
            as_app.close()
    finally:
        postgres_admin.execute("DROP DATABASE IF EXISTS uit_0008 WITH (FORCE)")


def test_revision_0009_goes_back_and_forth_on_a_file_with_one_school(file_vault):
    """Downgrading 0009 gives the schema of 0008 back (one chain, settings by key), and
    upgrading again gives the same register: the same rows, the same chain head."""
    from alembic import command
    from sqlalchemy import select

    from db.audit import chain_head, verify_chain
    from db.schema import Pupil

    with file_vault.session() as session:
        head = chain_head(session)
        pupils = session.execute(select(Pupil.id)).all()
    with file_vault.engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
        command.downgrade(migrate.alembic_config(connection), "0008")
        columns = {c["name"] for c in inspect(connection).get_columns("audit_entry")}
        assert "school_id" not in columns
        assert inspect(connection).get_pk_constraint("setting")["constrained_columns"] == ["key"]
        assert connection.execute(text(
            "SELECT value FROM setting WHERE key = 'database_id'")).scalar()
        migrate.upgrade(connection)
    with file_vault.session() as session:
        assert chain_head(session) == head
        assert session.execute(select(Pupil.id)).all() == pupils
        assert verify_chain(session).ok
