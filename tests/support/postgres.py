"""A throw-away PostgreSQL server for the test run: TLS on loopback, gone afterwards.

`start_server()` makes a self-signed CA and a server certificate for 127.0.0.1 (the
`cryptography` package), runs initdb into a new folder under the system temp dir, starts
`postgres` on 127.0.0.1 on a free port with ssl=on and no Unix socket, and creates the two
roles a board's server has: the owner of the register's database (runs the migrations) and the
application role the program logs in with (not the owner). `TestServer.stop()` shuts it down
and removes the folder.

Running as root: PostgreSQL refuses to run as root. Then initdb and postgres run as the
unprivileged OS user `postgres` (the Debian package creates it; when it is missing it is
created here with useradd --system) through subprocess's `user=`/`group=`, and the folder is
handed to that user. As any other user they run as that user.

The server is a direct child of the test process and gets SIGINT (fast shutdown) through
PR_SET_PDEATHSIG when the process that started it dies, so a crashed pytest-xdist worker does
not leave a server running. Each worker starts its own server (a second or two), so workers
share nothing. The binaries come from PRIVACYREGISTER_PG_BIN or /usr/lib/postgresql/15/bin
(another installed Debian version when 15 is missing).
"""

from __future__ import annotations

import ctypes
import datetime as dt
import ipaddress
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg


def _binaries() -> Path:
    """PRIVACYREGISTER_PG_BIN, else Debian's PostgreSQL 15, else the newest Debian version."""
    if os.environ.get("PRIVACYREGISTER_PG_BIN"):
        return Path(os.environ["PRIVACYREGISTER_PG_BIN"])
    preferred = Path("/usr/lib/postgresql/15/bin")
    if (preferred / "postgres").is_file():
        return preferred
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"),
                   key=lambda path: int(path.parent.parent.name)
                   if path.parent.parent.name.isdigit() else 0)
    return found[-1].parent if found else preferred


PG_BIN = _binaries()
HOST = "127.0.0.1"
SUPERUSER = "pgadmin"
OWNER = "register_owner"
APPLICATION = "register_app"
SERVER_USER = "postgres"
FOLDER_PREFIX = "privacyregister-pg-"
START_SECONDS = 30
_PR_SET_PDEATHSIG = 1


@dataclass
class TestServer:
    """A running test server. Passwords are random per run; the CA file verifies its cert."""

    __test__ = False  # not a test class, whatever pytest thinks of the name

    folder: Path
    port: int
    ca_file: Path
    process: subprocess.Popen
    superuser_password: str
    owner_password: str
    application_password: str
    host: str = HOST
    log_file: Path = field(default=Path())

    def connect(self, database: str = "postgres", *, user: str = SUPERUSER,
                password: str | None = None, autocommit: bool = True) -> psycopg.Connection:
        """A psycopg connection over verified TLS (as the superuser unless told otherwise)."""
        return psycopg.connect(
            host=self.host, port=self.port, dbname=database, user=user,
            password=password if password is not None else self.superuser_password,
            sslmode="verify-full", sslrootcert=str(self.ca_file), connect_timeout=10,
            autocommit=autocommit)

    def url(self, database: str, user: str = APPLICATION) -> str:
        """The register's URL as a school would type it (no password: that is in the keyring)."""
        return (f"postgresql://{user}@{self.host}:{self.port}/{database}"
                f"?sslmode=verify-full&sslrootcert={self.ca_file}")

    def stop(self) -> None:
        """Fast shutdown (SIGINT), SIGKILL after 30 s; then the folder is removed."""
        try:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGINT)
                try:
                    self.process.wait(30)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(10)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


@contextmanager
def database_for_test(admin: psycopg.Connection, request, prefix: str) -> Iterator[str]:
    """A new, empty database owned by the owner role, named after the test (`prefix`: the
    test module's, so two modules' tests of the same name do not meet); dropped after."""
    name = f"{prefix}_{request.node.name.split('[')[0][-40:].lower()}"
    admin.execute(f"CREATE DATABASE {name} OWNER {OWNER}")
    try:
        yield name
    finally:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


def available() -> bool:
    return (PG_BIN / "postgres").is_file() and (PG_BIN / "initdb").is_file()


def start_server() -> TestServer:
    """Start a new server; raises RuntimeError (with the server's log) when it does not come up."""
    if not available():
        raise RuntimeError(f"PostgreSQL server binaries not found in {PG_BIN} (Debian package "
                           "postgresql-15; .ci/run installs it)")
    _remove_orphaned_folders()
    owner = _server_user()
    folder = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-"))
    try:
        passwords = [secrets.token_urlsafe(18) for _ in range(3)]
        ca_file = _write_certificates(folder)
        _initdb(folder, passwords[0], owner)
        server = _start(folder, ca_file, passwords, owner)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    try:
        _create_roles(server)
    except BaseException:
        server.stop()
        raise
    return server


# --- the pieces -------------------------------------------------------------------------

def _server_user() -> pwd.struct_passwd | None:
    """The OS user postgres runs as when we are root, else None (run as ourselves)."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(SERVER_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--user-group", "--no-create-home",
                        "--shell", "/usr/sbin/nologin", SERVER_USER], check=True)
        return pwd.getpwnam(SERVER_USER)


def _as_server_user(owner: pwd.struct_passwd | None) -> dict:
    """subprocess keyword arguments that run the child as the server's OS user."""
    if owner is None:
        return {}
    return {"user": owner.pw_uid, "group": owner.pw_gid, "extra_groups": []}


def _hand_over(path: Path, owner: pwd.struct_passwd | None) -> None:
    if owner is not None:
        os.chown(path, owner.pw_uid, owner.pw_gid)


def _write_certificates(folder: Path) -> Path:
    """A CA (the board's, in real life) and a server certificate for 127.0.0.1/localhost."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.UTC)
    valid = {"not_valid_before": now - dt.timedelta(minutes=5),
             "not_valid_after": now + dt.timedelta(days=2)}
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Privacyregister test-CA")])
    ca_cert = (x509.CertificateBuilder(**valid)
               .subject_name(ca_name).issuer_name(ca_name)
               .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
               .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
               .add_extension(x509.KeyUsage(
                   digital_signature=False, content_commitment=False, key_encipherment=False,
                   data_encipherment=False, key_agreement=False, key_cert_sign=True,
                   crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                              critical=False)
               .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder(**valid)
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)]))
            .issuer_name(ca_name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .add_extension(x509.SubjectAlternativeName([
                x509.IPAddress(ipaddress.ip_address(HOST)), x509.DNSName("localhost")]),
                critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    ca_file = folder / "ca.crt"
    ca_file.write_bytes(ca_cert.public_bytes(pem))
    (folder / "server.crt").write_bytes(cert.public_bytes(pem))
    key_file = folder / "server.key"
    key_file.touch(mode=0o600)
    key_file.write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return ca_file


def _initdb(folder: Path, superuser_password: str, owner: pwd.struct_passwd | None) -> None:
    os.chmod(folder, 0o700)
    pwfile = folder / "pw"
    pwfile.touch(mode=0o600)
    pwfile.write_text(superuser_password + "\n")
    for path in (folder, pwfile, folder / "server.crt", folder / "server.key"):
        _hand_over(path, owner)
    done = subprocess.run(
        [str(PG_BIN / "initdb"), "-D", str(folder / "data"), "-U", SUPERUSER,
         f"--pwfile={pwfile}", "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8",
         "--no-sync", "--no-instructions"],
        capture_output=True, text=True, cwd=folder, **_as_server_user(owner))
    pwfile.unlink()
    if done.returncode != 0:
        raise RuntimeError(f"initdb failed:\n{done.stdout}\n{done.stderr}")
    # TLS and plain both accepted from loopback: refusing a plain connection is the program's
    # job (db/server.py), and the tests show it refuses one the server would have taken.
    (folder / "data" / "pg_hba.conf").write_text(
        "hostssl all all 127.0.0.1/32 scram-sha-256\n"
        "hostnossl all all 127.0.0.1/32 scram-sha-256\n")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _die_with_parent() -> None:
    """In the child, after the switch of user: SIGINT to the server when the test process dies."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGINT, 0, 0, 0)


def _start(folder: Path, ca_file: Path, passwords: list[str],
           owner: pwd.struct_passwd | None) -> TestServer:
    """Start postgres on a free port; another port is tried when the chosen one was taken."""
    log_file = folder / "server.log"
    for _attempt in range(3):
        port = _free_port()
        with log_file.open("ab") as log:
            process = subprocess.Popen(
                [str(PG_BIN / "postgres"), "-D", str(folder / "data"),
                 "-c", f"listen_addresses={HOST}", "-c", f"port={port}",
                 "-c", "unix_socket_directories=", "-c", "ssl=on",
                 "-c", f"ssl_cert_file={folder / 'server.crt'}",
                 "-c", f"ssl_key_file={folder / 'server.key'}",
                 "-c", "fsync=off", "-c", "synchronous_commit=off",
                 "-c", "full_page_writes=off", "-c", "shared_buffers=32MB",
                 "-c", "max_connections=60", "-c", "log_min_messages=warning",
                 "-c", "TimeZone=UTC"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd=folder,
                preexec_fn=_die_with_parent, **_as_server_user(owner))
        server = TestServer(folder, port, ca_file, process, *passwords, log_file=log_file)
        if _wait_until_ready(server):
            return server
        server.process.kill()
        server.process.wait(10)
        if not re.search(r"could not (bind|create listen socket)", _log(server)):
            break
    raise RuntimeError(f"PostgreSQL did not start:\n{_log(server)}")


def _log(server: TestServer) -> str:
    try:
        return server.log_file.read_text(errors="replace")[-4000:]
    except OSError:
        return ""


def _wait_until_ready(server: TestServer) -> bool:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            return False
        try:
            server.connect().close()
            return True
        except psycopg.OperationalError:
            time.sleep(0.05)
    return False


def _create_roles(server: TestServer) -> None:
    """The owner of a register's database and the application role (no owner, no superuser).

    The role names and passwords are literals of this module, so plain SQL is safe here."""
    with server.connect() as admin:
        admin.execute(f"CREATE ROLE {OWNER} LOGIN PASSWORD '{server.owner_password}'")
        admin.execute(f"CREATE ROLE {APPLICATION} LOGIN PASSWORD "
                      f"'{server.application_password}'")


def _remove_orphaned_folders() -> None:
    """Folders of test servers whose test process is gone (killed before it could clean up)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}*"):
        match = re.match(rf"{FOLDER_PREFIX}(\d+)-", folder.name)
        if match is None:
            continue
        try:
            os.kill(int(match.group(1)), 0)
        except ProcessLookupError:  # the pid is free: nobody uses the folder any more
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            pass  # a process of another user: not ours to judge


# --- a fresh register per test, fast ---------------------------------------------------------

@dataclass
class Snapshot:
    """Every row of every table of a database, and where its sequences stood."""

    tables: list  # [(sqlalchemy Table, [row dicts])], parents before children
    sequences: list[tuple[str, int, bool]]


def take_snapshot(connection) -> Snapshot:  # noqa: ANN001 - a SQLAlchemy Connection
    from sqlalchemy import MetaData, select, text

    metadata = MetaData()
    metadata.reflect(connection)
    tables = [(table, [dict(row._mapping) for row in connection.execute(select(table))])
              for table in metadata.sorted_tables]
    sequences = []
    for (name,) in connection.execute(text(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")):
        last, called = connection.execute(
            text(f'SELECT last_value, is_called FROM "{name}"')).one()
        sequences.append((name, last, called))
    return Snapshot(tables, sequences)


def restore_snapshot(connection, snapshot: Snapshot) -> None:  # noqa: ANN001
    """Put a database (with the snapshot's tables) back as the snapshot was: a fresh register
    in a few milliseconds, where CREATE DATABASE … TEMPLATE takes a third of a second."""
    from sqlalchemy import text

    for table, _rows in reversed(snapshot.tables):  # children first
        connection.execute(table.delete())
    for table, rows in snapshot.tables:
        if rows:
            connection.execute(table.insert(), rows)
    for name, last, called in snapshot.sequences:
        connection.execute(text("SELECT setval(:name, :last, :called)"),
                           {"name": name, "last": last, "called": called})
