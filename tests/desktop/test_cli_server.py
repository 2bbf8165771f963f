"""privacyregister-cli with --server: a register on the run's PostgreSQL server."""

import pytest
from sqlalchemy import func, select

from db import register as register_module
from db.register import NewSchool, create_register
from db.schema import ConsentPurpose, ProcessingActivity, RetentionRule
from db.server import ServerAddress, ServerRegister, store_password
from db.users import authenticate
from desktop import cli
from tests.support.postgres import APPLICATION, OWNER, database_for_test


def run(capsys, *argv):
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def empty_database(postgres_server, postgres_admin, request):
    """A new, empty database owned by the owner role; the owner's password in the keyring."""
    with database_for_test(postgres_admin, request, "init") as name:
        owner = ServerAddress.parse(postgres_server.url(name, OWNER))
        store_password(owner, postgres_server.owner_password)
        yield name, owner


def _init(capsys, url, *extra):
    return run(capsys, "--server", url, "init", "--school", "OBS De Klimop", "--brin", "12ab",
               "--admin", "beheer", *extra)


def _counts(register):
    with register.session() as session:
        return [session.scalar(select(func.count()).select_from(model))
                for model in (ConsentPurpose, RetentionRule, ProcessingActivity)]


def test_init_on_a_server_makes_the_same_register_as_on_a_file(
        empty_database, postgres_server, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("PRIVACYREGISTER_ADMIN_PASSWORD", "wachtwoord-123")
    name, owner = empty_database
    code, out, err = _init(capsys, str(owner), "--app-role", APPLICATION)
    assert code == 0, err
    assert "Register aangemaakt op de server" in out and "pg_dump" in out
    as_app = ServerAddress.parse(postgres_server.url(name))
    store_password(as_app, postgres_server.application_password)
    code, out, _ = run(capsys, "--server", str(as_app), "verify")
    assert code == 0 and "Auditketen in orde" in out
    on_server = ServerRegister.open(as_app)
    on_file, _ = create_register(tmp_path / "school.db",
                                 NewSchool("OBS De Klimop", "12AB", "beheer", "wachtwoord-123"))
    try:
        with on_server.session() as session:
            assert authenticate(session, "beheer", "wachtwoord-123").role == "beheerder"
        assert _counts(on_server) == _counts(on_file)  # every default, like `init` on a file
    finally:
        on_server.close()
        on_file.close(backup=False)


def test_init_on_a_server_needs_the_programs_own_database_user(empty_database, capsys,
                                                                monkeypatch):
    monkeypatch.setenv("PRIVACYREGISTER_ADMIN_PASSWORD", "wachtwoord-123")
    _name, owner = empty_database
    code, _, err = _init(capsys, str(owner))
    assert code == 2 and "--app-role" in err
    code, _, err = _init(capsys, str(owner), "--app-role", OWNER)
    assert code == 2 and "andere databasegebruiker dan de eigenaar" in err
    code, _, err = _init(capsys, str(owner), "--app-role", "bestaat_niet")
    assert code == 2 and "bestaat niet op de server" in err


def test_init_that_fails_half_way_leaves_the_database_empty(empty_database, capsys,
                                                            monkeypatch):
    monkeypatch.setenv("PRIVACYREGISTER_ADMIN_PASSWORD", "wachtwoord-123")
    _name, owner = empty_database

    def fails(session, school, *, clock):
        session.flush()
        raise RuntimeError("stroomstoring")

    monkeypatch.setattr(register_module, "set_up_register", fails)
    with pytest.raises(RuntimeError):
        _init(capsys, str(owner), "--app-role", APPLICATION)
    monkeypatch.undo()
    monkeypatch.setenv("PRIVACYREGISTER_ADMIN_PASSWORD", "wachtwoord-123")
    code, _, err = _init(capsys, str(owner), "--app-role", APPLICATION)  # still empty: it works
    assert code == 0, err
    code, _, err = _init(capsys, str(owner), "--app-role", APPLICATION)  # and now it is not
    assert code == 2 and "niet leeg" in err


def test_init_on_a_plain_connection_is_refused_in_dutch(postgres_server, capsys, monkeypatch):
    monkeypatch.setenv("PRIVACYREGISTER_ADMIN_PASSWORD", "wachtwoord-123")
    url = f"postgresql://{OWNER}@127.0.0.1:{postgres_server.port}/x?sslmode=disable"
    code, _, err = _init(capsys, url, "--app-role", APPLICATION)
    assert code == 2 and "wordt geweigerd" in err and "verify-full" in err


def test_import_on_a_server_saves_the_pupils_without_a_backup_of_its_own(
        empty_database, postgres_server, capsys, monkeypatch, tmp_path):
    """The file's backup after an import (its key derived ahead, its pages kept) is the file's
    alone: on a server the import saves and ends (pg_dump makes the server's backups)."""
    from tests.db.imports.make_fixtures import make_csv

    monkeypatch.setenv("PRIVACYREGISTER_ADMIN_PASSWORD", "wachtwoord-123")
    name, owner = empty_database
    code, _, err = _init(capsys, str(owner), "--app-role", APPLICATION)
    assert code == 0, err
    as_app = ServerAddress.parse(postgres_server.url(name))
    store_password(as_app, postgres_server.application_password)
    export = tmp_path / "export.csv"
    export.write_bytes(make_csv(30))
    code, out, err = run(capsys, "--server", str(as_app), "import", str(export))
    assert code == 0, err
    assert "Opgeslagen: 30 toegevoegd, 0 bijgewerkt, 60 ouders/verzorgers toegevoegd." in out
    code, out, _ = run(capsys, "--server", str(as_app), "verify")
    assert code == 0 and "Auditketen in orde" in out
