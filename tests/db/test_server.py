"""The register on a PostgreSQL server (db/server.py), against the run's throw-away server."""

import socket

import psycopg
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import ProgrammingError

from db.audit import count_entries, verify_chain
from db.errors import (
    InsecureConnectionError,
    NotADatabaseError,
    RegisterError,
    ServerAddressError,
    ServerBackupError,
    ServerCertificateError,
    ServerError,
    ServerLoginError,
    ServerPasswordMissingError,
    ServerUnreachableError,
)
from db.permissions import SYSTEM
from db.schema import Pupil, School
from db.server import ServerAddress, ServerRegister, store_password
from desktop import cli
from tests.db.helpers import add_family
from tests.support.postgres import APPLICATION, OWNER, _write_certificates


def test_the_test_server_speaks_tls_verified_by_its_own_ca_only(postgres_server, tmp_path):
    with postgres_server.connect() as admin:
        ssl, version = admin.execute(
            "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()").fetchone()
        superuser = admin.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s",
                                  (APPLICATION,)).fetchone()[0]
    assert ssl and version.startswith("TLS")
    assert superuser is False
    another_ca = _write_certificates(tmp_path)  # a CA that did not sign the server's cert
    with pytest.raises(psycopg.OperationalError, match="certificate verify failed"):
        psycopg.connect(host=postgres_server.host, port=postgres_server.port, dbname="postgres",
                        user=APPLICATION, password=postgres_server.application_password,
                        sslmode="verify-full", sslrootcert=str(another_ca), connect_timeout=5)


# --- the address ---------------------------------------------------------------------------

def test_an_address_with_the_boards_ca_is_verified_tls(tmp_path):
    ca = tmp_path / "bestuur-ca.crt"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    address = ServerAddress.parse(
        f"postgresql://privacyregister@db.bestuur.nl/register?sslrootcert={ca}")
    assert (address.host, address.port, address.database, address.user) == (
        "db.bestuur.nl", 5432, "register", "privacyregister")
    assert address.tls and address.ca_file == ca.resolve()
    url = address.engine_url("geheim")
    assert url.query == {"sslmode": "verify-full", "sslrootcert": str(ca.resolve())}
    assert "geheim" not in str(address) and "geheim" not in repr(url)
    assert ServerAddress.parse(str(address)) == address  # shown and stored, read back the same


@pytest.mark.parametrize("sslmode", ["disable", "allow", "prefer", "require", "verify-ca"])
def test_anything_weaker_than_verify_full_is_refused_in_dutch(sslmode, tmp_path):
    ca = tmp_path / "ca.crt"
    ca.write_text("x")
    with pytest.raises(InsecureConnectionError, match="wordt geweigerd") as refused:
        ServerAddress.parse(f"postgresql://app@db.bestuur.nl/register?sslmode={sslmode}",
                            ca_file=ca)
    assert "sslmode=verify-full" in str(refused.value)
    assert isinstance(refused.value, RegisterError)


def test_a_plain_connection_is_refused_even_on_loopback_unless_asked_for():
    url = "postgresql://app@127.0.0.1:5433/register?sslmode=disable"
    with pytest.raises(InsecureConnectionError):
        ServerAddress.parse(url)
    assert not ServerAddress.parse(url, allow_plain_loopback=True).tls
    with pytest.raises(InsecureConnectionError):  # asked for, but not on this computer
        ServerAddress.parse("postgresql://app@10.0.0.5/register?sslmode=disable",
                            allow_plain_loopback=True)


@pytest.mark.parametrize(("url", "says"), [
    ("postgresql://app:geheim@db/register", "wachtwoord niet in het serveradres"),
    ("postgresql://db/register", "ontbreekt de gebruikersnaam"),
    ("postgresql://app@db", "ontbreekt de naam van de database"),
    ("mysql://app@db/register", "begint met postgresql://"),
    ("postgresql://app@db/register?sslcompression=1", "onbekende instelling"),
    ("postgresql://app@db/register", "CA-certificaat van het bestuur"),
    ("postgresql://app@db/register?sslrootcert=/bestaat/niet.crt", "niet gevonden"),
])
def test_an_unusable_address_is_explained(url, says):
    with pytest.raises(ServerAddressError, match=says) as refused:
        ServerAddress.parse(url)
    assert "geheim" not in str(refused.value)


# --- connecting ------------------------------------------------------------------------------

def test_the_register_opens_with_the_password_from_the_keyring(server_workspace, clock):
    server_workspace.reset()
    address = server_workspace.address
    with pytest.raises(ServerPasswordMissingError, match="sleutelopslag"):
        ServerRegister.open(address)
    assert store_password(address, server_workspace.server.application_password)
    register = ServerRegister.open(address, clock=clock)
    try:
        with register.session() as session:
            assert session.scalar(select(School.brin)) == "12AB"
            ssl = session.execute(text(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).scalar()
        assert ssl is True
    finally:
        register.close()


def test_a_plain_loopback_connection_works_only_when_asked_for(server_workspace):
    server = server_workspace.server
    address = ServerAddress.parse(
        f"postgresql://{APPLICATION}@127.0.0.1:{server.port}/{server_workspace.name}"
        "?sslmode=disable", allow_plain_loopback=True)
    register = ServerRegister.open(address, password=server.application_password)
    try:
        with register.session() as session:
            assert session.execute(text(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).scalar() is False
    finally:
        register.close()


def test_a_wrong_password_is_a_dutch_login_error(server_workspace):
    with pytest.raises(ServerLoginError, match="wachtwoord geweigerd") as refused:
        ServerRegister.open(server_workspace.address, password="fout-wachtwoord")
    assert APPLICATION not in str(refused.value)


def test_a_server_whose_certificate_the_boards_ca_did_not_sign_is_refused(server_workspace,
                                                                           tmp_path):
    another_ca = _write_certificates(tmp_path)
    address = ServerAddress.parse(str(server_workspace.address), ca_file=another_ca)
    with pytest.raises(ServerCertificateError, match="niet goedgekeurd"):
        ServerRegister.open(address, password=server_workspace.server.application_password)


def test_a_server_that_does_not_answer_is_unreachable(server_workspace):
    server = server_workspace.server
    address = ServerAddress.parse(str(server_workspace.address).replace(
        f":{server.port}/", f":{_closed_port()}/"))
    with pytest.raises(ServerUnreachableError, match="niet bereikbaar"):
        ServerRegister.open(address, password="wat-dan-ook")


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_empty_database_is_not_a_register(postgres_server, postgres_admin):
    postgres_admin.execute(f"CREATE DATABASE leeg OWNER {OWNER}")
    try:
        address = ServerAddress.parse(postgres_server.url("leeg"))
        with pytest.raises(NotADatabaseError, match="init --server"):
            ServerRegister.open(address, password=postgres_server.application_password)
    finally:
        postgres_admin.execute("DROP DATABASE leeg WITH (FORCE)")


def test_the_application_role_cannot_make_a_register(postgres_server, postgres_admin):
    postgres_admin.execute(f"CREATE DATABASE niet_van_app OWNER {OWNER}")
    postgres_admin.execute("REVOKE CREATE ON DATABASE niet_van_app FROM PUBLIC")
    try:
        address = ServerAddress.parse(postgres_server.url("niet_van_app"))
        with pytest.raises(ServerError, match="eigenaar van de database"):
            ServerRegister.create(address, database_id="x",
                                  password=postgres_server.application_password)
    finally:
        postgres_admin.execute("DROP DATABASE niet_van_app WITH (FORCE)")


# --- what a file has and a server does not -----------------------------------------------------

def test_the_backup_of_a_server_register_is_the_servers(server_vault, capsys):
    with pytest.raises(ServerBackupError, match="pg_dump"):
        server_vault.backup(SYSTEM)
    server_vault.close()
    code = cli.main(["--server", str(server_vault.address), "backup"])
    assert code == 2 and "pg_dump" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["restore", "kopie.db"], ["rekey", "--passphrase"],
                                     ["demo"]])
def test_file_commands_say_they_are_for_a_file(server_vault, capsys, command):
    code = cli.main(["--server", str(server_vault.address), *command])
    assert code == 2 and "alleen met een databasebestand" in capsys.readouterr().err


# --- the audit log cannot be rewritten by the program's role -----------------------------------

@pytest.mark.parametrize("statement", [
    "UPDATE audit_entry SET record_id = '99' WHERE seq = 1",
    "DELETE FROM audit_entry WHERE seq = 1",
    "TRUNCATE audit_entry",
])
def test_the_application_role_may_not_rewrite_the_audit_log(server_vault, statement):
    with pytest.raises(ProgrammingError) as refused, server_vault.session() as session:
        session.execute(text(statement))
    assert refused.value.orig.sqlstate == "42501"  # insufficient_privilege, said by the engine
    with server_vault.session() as session:
        assert verify_chain(session).ok


def test_the_application_role_writes_and_reads_the_audit_log(server_vault, clock):
    with server_vault.session() as session:
        before = count_entries(session)
        add_family(session, SYSTEM, clock)
    with server_vault.session() as session:
        assert count_entries(session) == before + 3
        assert verify_chain(session).ok
        privileges = session.execute(text(
            "SELECT privilege_type FROM information_schema.role_table_grants "
            "WHERE table_name = 'audit_entry' AND grantee = current_user")).scalars().all()
    assert sorted(privileges) == ["INSERT", "SELECT"]


def test_the_application_role_may_not_change_the_schema(server_vault):
    with pytest.raises(ProgrammingError) as refused, server_vault.session() as session:
        session.execute(text("ALTER TABLE pupil ADD COLUMN bsn varchar(9)"))
    assert refused.value.orig.sqlstate == "42501"


def test_a_connection_lost_in_the_middle_of_a_save_is_a_dutch_error_and_nothing_is_saved(
        server_vault, postgres_admin, clock):
    with pytest.raises(ServerUnreachableError, match="verbroken"), \
            server_vault.session() as session:
        add_family(session, SYSTEM, clock)
        session.flush()
        pid = session.execute(text("SELECT pg_backend_pid()")).scalar()
        postgres_admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        session.execute(text("SELECT 1"))
    with server_vault.session() as session:  # a new connection from the pool; nothing saved
        assert session.scalar(select(func.count()).select_from(Pupil)) == 0
