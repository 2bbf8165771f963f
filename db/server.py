"""A register on a PostgreSQL server: for several workstations, or a board's schools.

The local SQLCipher file (db/vault.py) is the default. Where a school or its board runs a
PostgreSQL server, the same register lives there: the same models, the same Alembic revisions,
the same use cases. This module is the way in:

- `ServerAddress.parse` reads the address a school is given, e.g.
  ``postgresql://privacyregister@db.bestuur.nl:5432/register?sslrootcert=C:/bestuur-ca.crt``.
  TLS with a verified certificate is required (``sslmode=verify-full``, the default here) and
  the board's CA certificate (``sslrootcert``) must be given. Anything weaker is refused with
  a Dutch explanation; a plain connection to this computer itself (loopback) only when the
  caller explicitly allows it (the tests do).
- The password is never part of the address: it lives in the OS keyring (`store_password`),
  under the address without password.
- `ServerRegister` offers what `Vault` offers the rest of the program (sessions, close, the
  database id) on a pooled psycopg 3 engine. Backups are the server's (pg_dump), not ours.

Two server roles are expected: the owner of the database, who creates and upgrades the schema
(`ServerRegister.create`, or `open(..., upgrade=True)`), and the application role the program
works as day to day, which is not the owner: `grant_application_role` gives it what it needs,
and on the audit log only INSERT and SELECT, so the engine itself refuses to rewrite history.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

import keyring
from keyring.errors import KeyringError
from sqlalchemy import URL, Connection, Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from db import migrate
from db.clock import Clock, system_clock
from db.errors import (
    InsecureConnectionError,
    NewerSchemaError,
    NotADatabaseError,
    ServerAddressError,
    ServerBackupError,
    ServerCertificateError,
    ServerError,
    ServerLoginError,
    ServerPasswordMissingError,
    ServerUnreachableError,
)
from db.permissions import Actor, Permission, require
from db.tenancy import SchoolScope, apply_scope, scope_connection
from db.versions import refused_when_changed

log = logging.getLogger(__name__)
T = TypeVar("T")

SERVICE = "Privacyregister server"
DEFAULT_PORT = 5432
SCHEMES = {"postgresql", "postgres", "postgresql+psycopg"}
ALLOWED_OPTIONS = {"sslmode", "sslrootcert"}
AUDIT_TABLE = "audit_entry"
CONNECT_TIMEOUT = 10
# A transaction left open and idle (a workstation that hung or lost its network between two
# statements) is ended by the server after this long, so that its locks (the row lock on the
# audit chain's head above all, db/audit.py) do not keep every other workstation waiting.
# The program's own transactions are never idle for more than moments.
IDLE_IN_TRANSACTION = "2min"
INSUFFICIENT_PRIVILEGE = "42501"
ASK_THE_IT_PARTNER = ("Vraag uw ICT-partner (of het bestuur) om het juiste adres en het "
                      "CA-certificaat van de server.")


# --- the address --------------------------------------------------------------------------

@dataclass(frozen=True)
class ServerAddress:
    """Where a register lives on a server, without its password."""

    host: str
    database: str
    user: str
    port: int = DEFAULT_PORT
    ca_file: Path | None = None  # the board's CA certificate (sslrootcert)
    tls: bool = True             # False only for an explicitly allowed plain loopback

    @classmethod
    def parse(cls, url: str, *, ca_file: Path | str | None = None,
              allow_plain_loopback: bool = False) -> ServerAddress:
        """Read and check a postgresql:// address. `ca_file` overrides its sslrootcert.

        Raises ServerAddressError for an address that cannot work, InsecureConnectionError
        for one without verified TLS (allowed without TLS only on loopback, and only when
        `allow_plain_loopback`: for tests on this computer)."""
        try:
            parsed = make_url(url.strip())
        except (ArgumentError, ValueError):
            raise ServerAddressError(
                "Dit is geen geldig serveradres. Een serveradres ziet eruit als "
                "postgresql://gebruiker@server.bestuur.nl:5432/register. "
                + ASK_THE_IT_PARTNER) from None
        if parsed.drivername not in SCHEMES:
            raise ServerAddressError("Een serveradres begint met postgresql://. "
                                     + ASK_THE_IT_PARTNER)
        if parsed.password is not None:
            raise ServerAddressError(
                "Zet het wachtwoord niet in het serveradres: het programma vraagt erom en bewaart "
                "het in de beveiligde sleutelopslag van Windows.")
        missing = [label for label, value in (("de server", parsed.host),
                                              ("de gebruikersnaam", parsed.username),
                                              ("de naam van de database", parsed.database))
                   if not value]
        if missing:
            raise ServerAddressError(f"In het serveradres ontbreekt {' en '.join(missing)}. "
                                     + ASK_THE_IT_PARTNER)
        unknown = sorted(set(parsed.query) - ALLOWED_OPTIONS)
        if unknown:
            raise ServerAddressError(
                f"Het serveradres bevat een onbekende instelling ({', '.join(unknown)}). "
                "Alleen sslmode en sslrootcert zijn toegestaan.")
        options = {key: value if isinstance(value, str) else value[-1]
                   for key, value in parsed.query.items()}
        host, port = parsed.host, parsed.port or DEFAULT_PORT
        sslmode = options.get("sslmode", "verify-full")
        if sslmode != "verify-full":
            if sslmode == "disable" and allow_plain_loopback and is_loopback(host):
                return cls(host, parsed.database, parsed.username, port, None, tls=False)
            raise _insecure(sslmode)
        chosen = ca_file if ca_file is not None else options.get("sslrootcert")
        if not chosen:
            raise ServerAddressError(
                "Voor een serverdatabase is het CA-certificaat van het bestuur nodig "
                "(sslrootcert): daarmee controleert het programma dat het met de echte server "
                "praat. " + ASK_THE_IT_PARTNER)
        chosen = Path(chosen)
        if not chosen.is_file():
            raise ServerAddressError(
                f"Het CA-certificaat is niet gevonden ({chosen}). Kies het bestand dat u van "
                "uw ICT-partner of het bestuur hebt gekregen.")
        return cls(host, parsed.database, parsed.username, port, chosen.resolve())

    @property
    def account(self) -> str:
        """The keyring entry's name: the address without password or certificate."""
        return f"{self.user}@{self._host_text}:{self.port}/{self.database}"

    @property
    def _host_text(self) -> str:
        return f"[{self.host}]" if ":" in self.host else self.host

    def __str__(self) -> str:
        """The address as shown and stored in settings (never with a password)."""
        query = "?sslmode=disable" if not self.tls else (
            f"?sslmode=verify-full&sslrootcert={quote(str(self.ca_file), safe='/:')}")
        return f"postgresql://{quote(self.user, safe='')}@{self._host_text}:{self.port}/" \
               f"{quote(self.database, safe='')}{query}"

    def engine_url(self, password: str) -> URL:
        query = ({"sslmode": "verify-full", "sslrootcert": str(self.ca_file)} if self.tls
                 else {"sslmode": "disable"})
        return URL.create("postgresql+psycopg", username=self.user, password=password,
                          host=self.host, port=self.port, database=self.database, query=query)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _insecure(sslmode: str) -> InsecureConnectionError:
    if sslmode in ("disable", "allow", "prefer"):
        why = ("Zonder versleuteling (TLS) kan iedereen op het netwerk de gegevens van "
               "leerlingen en ouders meelezen of veranderen.")
    elif sslmode in ("require", "verify-ca"):
        why = ("Met deze instelling wordt niet gecontroleerd of het certificaat bij deze "
               "server hoort, zodat een andere computer zich als de server kan voordoen.")
    else:
        why = f"De instelling sslmode={sslmode} is onbekend."
    return InsecureConnectionError(
        "Deze verbinding met de databaseserver wordt geweigerd. " + why + " Het programma "
        "maakt alleen een versleutelde verbinding waarbij het certificaat van de server wordt "
        "gecontroleerd met het CA-certificaat van het bestuur (sslmode=verify-full). "
        + ASK_THE_IT_PARTNER)


# --- the password in the keyring ----------------------------------------------------------

def store_password(address: ServerAddress, password: str) -> bool:
    """Keep the server password in the OS keyring; False when the keyring refused."""
    try:
        keyring.set_password(SERVICE, address.account, password)
    except KeyringError:
        log.warning("keyring refused to store the server password")
        return False
    return True


def load_password(address: ServerAddress) -> str | None:
    try:
        return keyring.get_password(SERVICE, address.account) or None
    except KeyringError:
        log.warning("keyring could not be read")
        return None


def forget_password(address: ServerAddress) -> None:
    try:
        keyring.delete_password(SERVICE, address.account)
    except KeyringError:
        pass


# --- engines and what the server said -------------------------------------------------------

def make_engine(address: ServerAddress, password: str) -> Engine:
    """A pooled psycopg 3 engine; connections are checked before use (a server restart or a
    dropped network connection costs one reconnect, not an error)."""
    return create_engine(
        address.engine_url(password), pool_size=5, max_overflow=5, pool_timeout=30,
        pool_pre_ping=True, pool_recycle=1800,
        connect_args={"connect_timeout": CONNECT_TIMEOUT,
                      "application_name": "privacyregister",
                      "options": f"-c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION}"})


def translate_server_error(exc: BaseException) -> ServerError | None:
    """The ServerError for a refusal of the connection (login, certificate, unreachable).

    The server's own message is only read to pick the class; it is never shown, as it may
    hold a user name or a host name."""
    if isinstance(exc, ServerError):
        return exc
    if not isinstance(exc, OperationalError) or not (
            exc.connection_invalidated or _at_connect(exc)):
        return None
    message = str(exc.orig).lower() if exc.orig is not None else ""
    if "certificate" in message or ("ssl" in message and "verify" in message):
        return ServerCertificateError(
            "Het certificaat van de databaseserver is niet goedgekeurd: het is niet "
            "ondertekend door het CA-certificaat van het bestuur, of het hoort niet bij deze "
            "servernaam. Er is geen verbinding gemaakt. " + ASK_THE_IT_PARTNER)
    if "password authentication failed" in message or "no pg_hba.conf entry" in message:
        return ServerLoginError(
            "De databaseserver heeft de gebruikersnaam of het wachtwoord geweigerd. Controleer "
            "het wachtwoord, of vraag uw ICT-partner of deze gebruiker toegang heeft.")
    if "does not exist" in message and "database" in message:
        return ServerLoginError("De database bestaat niet op deze server. " + ASK_THE_IT_PARTNER)
    return ServerUnreachableError(
        "De databaseserver is niet bereikbaar, of de verbinding is verbroken. Controleer de "
        "netwerkverbinding en probeer het opnieuw; lukt het dan niet, vraag uw ICT-partner of "
        "de server draait. Wat niet was opgeslagen, is niet opgeslagen.")


def _at_connect(exc: OperationalError) -> bool:
    """psycopg raises OperationalError with no SQL state when connecting fails."""
    return getattr(exc.orig, "sqlstate", None) is None


@contextmanager
def _server_errors() -> Iterator[None]:
    try:
        yield
    except DBAPIError as exc:
        translated = translate_server_error(exc)
        if translated is None:
            raise
        raise translated from exc


# --- the application role -----------------------------------------------------------------

def grant_application_role(connection: Connection, role: str) -> None:
    """What the program's day-to-day role (not the owner) may do: read and write the register's
    tables, use their sequences, read the schema revision, and on the audit log only INSERT and
    SELECT (no UPDATE, DELETE or TRUNCATE: the engine refuses to rewrite history).

    Run by the owner after every upgrade (new tables get their grants); it can be repeated."""
    quoted = connection.dialect.identifier_preparer.quote(role)
    tables = [name for name in inspect(connection).get_table_names()
              if name not in (AUDIT_TABLE, "alembic_version")]
    preparer = connection.dialect.identifier_preparer
    connection.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {quoted}")
    for name in tables:
        connection.exec_driver_sql(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON {preparer.quote(name)} TO {quoted}")
    connection.exec_driver_sql(f"GRANT SELECT, INSERT ON {AUDIT_TABLE} TO {quoted}")
    connection.exec_driver_sql(
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {AUDIT_TABLE} FROM {quoted}")
    connection.exec_driver_sql(f"GRANT SELECT ON alembic_version TO {quoted}")
    connection.exec_driver_sql(
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}")


# --- the register on the server ------------------------------------------------------------

class ServerRegister:
    """An open register on a PostgreSQL server: what `Vault` is for the file.

    Sessions come from a small pool, so a background task has a connection of its own and
    the window never waits on it."""

    key_mode = "server"
    path = None
    backup_dir = None

    def __init__(self, address: ServerAddress, engine: Engine, database_id: str,
                 clock: Clock) -> None:
        self.address = address
        self.engine = engine
        self.database_id = database_id
        self.clock = clock
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.migrated_from: str | None = None
        self.scope: SchoolScope | None = None  # None: the register's one school

    def use_scope(self, scope: SchoolScope | None) -> None:
        """Every session from now on works for this school (db.tenancy): set at log-in with
        `scope_for(user)`; None again at log-out. On the server the engine's policies hold
        every session to it."""
        self.scope = scope

    def _scoped(self, session: Session) -> Session:
        apply_scope(session, self.scope)
        return session

    @classmethod
    def open(cls, address: ServerAddress, *, password: str | None = None,
             clock: Clock = system_clock, upgrade: bool = False,
             application_role: str | None = None) -> ServerRegister:
        """Connect to an existing register. The password comes from the keyring unless given.

        An older schema is upgraded only with `upgrade` (as the owner: the application role
        may not change the schema); otherwise the register must first be upgraded by the
        owner (the board's IT partner); after an upgrade `application_role` gets its grants
        on the new tables."""
        engine = make_engine(address, _password(address, password))
        try:
            with _server_errors(), engine.connect() as connection:
                database_id, revision = _inspect(connection)
            register = cls(address, engine, database_id, clock)
            if revision != migrate.head_revision():
                if not upgrade:
                    raise ServerError(
                        "Het register op de server heeft een oudere opbouw en moet eerst worden "
                        "bijgewerkt door de eigenaar van de database. Vraag uw ICT-partner het "
                        "register bij te werken.")
                with _server_errors(), engine.begin() as connection:
                    migrate.upgrade(connection)
                    if application_role:
                        grant_application_role(connection, application_role)
                register.migrated_from = revision
        except BaseException:
            engine.dispose()
            raise
        return register

    @classmethod
    def create(cls, address: ServerAddress, *, database_id: str, password: str | None = None,
               application_role: str | None = None, clock: Clock = system_clock,
               fill: Callable[[Session], object] | None = None) -> ServerRegister:
        """Make the register in an empty database, as its owner: the schema, the database id,
        the application role's grants and then `fill(session)` (db.register fills it), all in
        one transaction, so a failure leaves the database empty (PostgreSQL's DDL is
        transactional)."""
        if application_role == address.user:
            raise ServerError(
                "Het programma werkt met een andere databasegebruiker dan de eigenaar van de "
                "database: de eigenaar kan de auditlog herschrijven, de programmagebruiker niet. "
                + ASK_THE_IT_PARTNER)
        engine = make_engine(address, _password(address, password))
        try:
            with _server_errors(), engine.begin() as connection:
                if application_role and not connection.execute(
                        text("SELECT 1 FROM pg_roles WHERE rolname = :r"),
                        {"r": application_role}).first():
                    raise ServerError(
                        "De databasegebruiker voor het programma bestaat niet op de server. "
                        + ASK_THE_IT_PARTNER)
                if inspect(connection).get_table_names():
                    raise ServerError(
                        "Deze database op de server is niet leeg. Een nieuw register wordt "
                        "alleen in een lege database gemaakt. " + ASK_THE_IT_PARTNER)
                migrate.upgrade(connection)
                connection.execute(
                    text("INSERT INTO setting (key, value) VALUES ('database_id', :v)"),
                    {"v": database_id})
                if application_role:
                    grant_application_role(connection, application_role)
                if fill is not None:
                    with Session(bind=connection, expire_on_commit=False) as session:
                        fill(session)
                        session.flush()
        except ProgrammingError as exc:
            engine.dispose()
            if getattr(exc.orig, "sqlstate", None) != INSUFFICIENT_PRIVILEGE:
                raise
            raise ServerError("Deze gebruiker mag in deze database geen tabellen maken: een "
                              "register wordt gemaakt door de eigenaar van de database. "
                              + ASK_THE_IT_PARTNER) from exc
        except BaseException:
            engine.dispose()
            raise
        return cls(address, engine, database_id, clock)

    # sessions, as Vault has them

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits on success, rolls back on any error."""
        with _server_errors(), refused_when_changed(), self._sessions() as session:
            with self._scoped(session).begin():
                yield session

    def new_session(self) -> Session:
        """A session the caller manages (commit/rollback/close)."""
        return self._scoped(self._sessions())

    @contextmanager
    def worker_session(self) -> Iterator[Session]:
        """A unit of work for a background thread, on a pooled connection of its own."""
        with _server_errors(), refused_when_changed(), \
                Session(self.engine, expire_on_commit=False) as session:
            with self._scoped(session).begin():
                yield session

    # what a file has and a server does not

    def backup(self, actor: Actor, to: Path | None = None, *, reason: str = "handmatig",
               own_connection: bool = False) -> Path:
        """Refused: a server's backups are the server's own (pg_dump). BACKUP permission
        first, as for the file; the arguments are the file's (db.vault.Vault.backup)."""
        require(actor, Permission.BACKUP)
        raise ServerBackupError(
            "Dit register staat op een databaseserver. Reservekopieën daarvan maakt de server "
            "zelf (met pg_dump of de back-upvoorziening van de server), niet dit programma. "
            "Vraag uw ICT-partner of die reservekopieën worden gemaakt en getest.")

    def backup_then(self, actor: Actor, work: Callable[[Session], T], *,
                    reason: str = "voor verwijderen", own_connection: bool = False,
                    ) -> tuple[None, T]:
        """Deleting on a server: the server's own backups (pg_dump, point-in-time recovery)
        hold what is deleted, so ``work(session)`` runs in one transaction without a copy
        made by the program. Returns (None, what work returned), as Vault.backup_then does
        with its backup. BACKUP permission, as for the file."""
        require(actor, Permission.BACKUP)
        with (self.worker_session() if own_connection else self.session()) as session:
            return None, work(session)

    def list_backups(self) -> list[Path]:
        return []

    def derive_backup_key_ahead(self) -> None:
        """No backup is made here (pg_dump is the server's), so there is no key to derive."""

    def keep_pages(self, kib: int = 65_536) -> None:
        """No backup follows the work here, so no pages are kept for it (see Vault's)."""

    def integrity_problems(self, *, own_connection: bool = False) -> list[str]:
        """The server keeps its own files sound; there is no file to check here, so there are
        never problems (`own_connection` is the file's: Vault.integrity_problems)."""
        return []

    def integrity_report(self, problems: list[str]) -> str | None:
        """Nothing to say about a file: the server has none of ours (see Vault's)."""
        return None

    @contextmanager
    def reader(self) -> Iterator[Connection]:
        """A pooled connection of its own (returned afterwards), read-only, for reading on
        another thread beside the work on another connection: the rows' check of `verify`
        and the inspection export's chain check (db.audit.verify_chain's `connect`)."""
        with _server_errors(), self.engine.connect() as connection:
            reading = connection.execution_options(postgresql_readonly=True)
            # the register's school (the row-level security settings) in this connection's
            # transaction: without it a second connection sees no school's rows at all
            scope_connection(reading, self.scope)
            yield reading

    def close(self, *, backup: bool = True) -> None:
        """Return every connection to the server. (`backup` is the file's; a server makes its
        own backups.)"""
        self.engine.dispose()


def _password(address: ServerAddress, password: str | None) -> str:
    found = password or load_password(address)
    if not found:
        raise ServerPasswordMissingError(
            "Het wachtwoord voor de databaseserver staat niet in de sleutelopslag van deze "
            "computer. Voer het wachtwoord in dat u van uw ICT-partner hebt gekregen.")
    return found


def _inspect(connection: Connection) -> tuple[str, str]:
    """The database id and schema revision; refuse a database that is no register (yet)."""
    names = set(inspect(connection).get_table_names())
    if "alembic_version" not in names or "setting" not in names:
        raise NotADatabaseError(
            "Deze database op de server bevat (nog) geen Privacyregister. Maak het register "
            "eerst aan (privacyregister-cli init --server …), of controleer de naam van de "
            "database. Er is niets gewijzigd.")
    revision = migrate.current_revision(connection)
    if revision not in migrate.known_revisions():
        raise NewerSchemaError(
            "Dit register op de server is gemaakt met een nieuwere versie van Privacyregister. "
            "Installeer de nieuwste versie om het te openen. Er is niets gewijzigd.")
    database_id = connection.execute(
        text("SELECT value FROM setting WHERE key = 'database_id'")).scalar()
    if database_id is None:
        raise NotADatabaseError("Het register op de server mist zijn identificatie en kan niet "
                                "worden geopend.")
    return database_id, revision
