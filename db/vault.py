"""The encrypted register file: create, open, rekey, back up and restore.

A database is one SQLCipher 4 file. Its key is either a random 256-bit raw key kept in the OS
keyring (one entry per database id) and printed once as a recovery key, or, on machines
without a keyring, a passphrase that SQLCipher itself derives the key from. Beside the file
sits ``<file>.json``: the database id and key mode, nothing secret and nothing personal.

Nothing is written to the file until it has been opened with the right key and its schema is
known. The key is proven first on an immutable read-only connection, which takes no lock and
neither reads nor writes the -wal and -shm files, so a wrong key leaves every byte of the
database, its -wal and its -shm as it was (closing a failed read-write connection would have
checkpointed the WAL).

Everything written here (the database and its -wal/-shm, backups, sidecars) is created
owner-only (0600 files, 0700 folders) where the OS has such modes. A refusal of the operating
system or of SQLite (disk full, read-only, no permission, locked by another program) becomes
one of the StorageError classes of db/errors.py, with a Dutch message that says what to do.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import secrets
import shutil
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import (
    Connection,
    Engine,
    MetaData,
    Table,
    create_engine,
    event,
    func,
    select,
    text,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from db import keystore, migrate
from db.clock import Clock, system_clock
from db.errors import (
    DamagedFileError,
    DatabaseLockedError,
    DatabaseNotFoundError,
    DiskFullError,
    FileAccessError,
    MissingKeyError,
    NetworkShareError,
    NewerSchemaError,
    NotADatabaseError,
    ReadOnlyError,
    RegisterError,
    StorageError,
    VaultError,
    WrongKeyError,
)
from db.files import create_private_file, make_private_dir, open_private
from db.permissions import SYSTEM, Actor, Permission, require
from db.recovery import decode_recovery_key, encode_recovery_key
from db.schema import School
from db.sidecar import PASSPHRASE_ENV, read_sidecar, sidecar_path
from db.tenancy import SchoolScope, apply_scope, scope_connection
from db.versions import refused_when_changed

T = TypeVar("T")
KEEP_BACKUPS = 10
STALE_PARTIAL_SECONDS = 60
NETWORK_FILESYSTEMS = {"nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "afs", "9p",
                       "fuse.sshfs", "davfs", "ncpfs", "glusterfs", "ceph"}
SQLITE_HEADER = b"SQLite format 3\x00"
SQLCIPHER_PAGE = 4096  # SQLCipher 4's page size: every complete file is a multiple of it
RESTORE_HINT = ("Zet de laatste reservekopie terug (in het programma onder Beheer, of met "
                "'privacyregister-cli restore'). Er is niets gewijzigd.")


@dataclass(frozen=True)
class Key:
    """How to unlock a file: a raw 32-byte key or a passphrase (never both).

    `unlock`: for a passphrase, the key SQLCipher derives from it for one file and that
    file's salt (see _derived_once), so that every connection to that file unlocks without
    deriving it again. Not part of the key's identity, never shown."""

    raw: bytes | None = None
    passphrase: str | None = None
    unlock: tuple[str, bytes] | None = field(default=None, compare=False, repr=False)

    def pragma_value(self) -> str:
        if self.raw is not None:
            return f"\"x'{self.raw.hex()}'\""
        assert self.passphrase is not None
        return "'" + self.passphrase.replace("'", "''") + "'"

    def connect_value(self, path: Path) -> str:
        """PRAGMA key's value for a connection to `path`."""
        if self.unlock is not None and self.unlock[0] == os.path.abspath(path):
            return f"\"x'{self.unlock[1].hex()}'\""
        return self.pragma_value()

    @property
    def mode(self) -> str:
        return "keyring" if self.raw is not None else "passphrase"


# --- paths ------------------------------------------------------------------------------

def write_sidecar(path: Path, data: dict) -> None:
    target = sidecar_path(path)
    tmp = target.with_name(target.name + ".tmp")
    try:
        with open_private(tmp, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(data, indent=2, sort_keys=True))
        os.replace(tmp, target)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


def is_network_path(path: Path, *, mounts_file: str = "/proc/self/mounts") -> bool:
    """True for a UNC path, a mapped network drive, or a network mount (Linux)."""
    raw = str(path)
    if raw.startswith(("\\\\", "//")):
        return not raw.startswith(("\\\\?\\", "\\\\.\\")) or raw.upper().startswith("\\\\?\\UNC\\")
    resolved = Path(os.path.abspath(path))
    if sys.platform == "win32":
        import ctypes

        drive = os.path.splitdrive(str(resolved))[0]
        if drive.startswith("\\\\"):
            return True
        drive_remote = 4
        return bool(drive) and ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == drive_remote
    try:
        lines = Path(mounts_file).read_text().splitlines()
    except OSError:
        return False
    best, fstype = "", ""
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount = parts[1].replace("\\040", " ")
        inside = str(resolved) == mount or str(resolved).startswith(mount.rstrip("/") + "/")
        if inside and len(mount) >= len(best):
            best, fstype = mount, parts[2]
    return fstype in NETWORK_FILESYSTEMS


def refuse_network_share(path: Path) -> None:
    if is_network_path(path):
        raise NetworkShareError(
            "Deze database staat op een netwerkschijf. Dat is niet veilig: het bestand kan "
            "beschadigd raken als twee computers er tegelijk in schrijven, omdat het vergrendelen "
            "van bestanden over het netwerk onbetrouwbaar is. Zet de database op een lokale schijf "
            "van deze computer. Wilt u met meerdere werkplekken in één register werken, vraag dan "
            "uw ICT-partner om een serverdatabase; een gedeeld bestand is daarvoor niet geschikt."
        )


# --- what the operating system or SQLite refused ----------------------------------------

_WHAT_TO_DO = {
    DiskFullError: "de schijf is vol. Maak ruimte vrij (leeg bijvoorbeeld de prullenbak of "
                   "verwijder bestanden die u niet meer nodig hebt) en probeer het opnieuw.",
    ReadOnlyError: "de map, het bestand of de schijf is alleen-lezen. Haal de "
                   "schrijfbeveiliging eraf (bijvoorbeeld van een USB-stick of in de "
                   "eigenschappen van het bestand) of kies een map waarin u mag schrijven, en "
                   "probeer het opnieuw.",
    FileAccessError: "u hebt geen toestemming om in deze map of dit bestand te schrijven. Kies "
                     "een map waarin u mag schrijven, of vraag uw ICT-partner om de rechten, en "
                     "probeer het opnieuw.",
    DatabaseLockedError: "het register is in gebruik door een ander programma (of door "
                         "Privacyregister zelf, bijvoorbeeld een import die nog loopt). Wacht "
                         "tot dat klaar is of sluit het, en probeer het opnieuw.",
}
_SQLITE_MESSAGES = (
    ("disk is full", DiskFullError),
    ("readonly database", ReadOnlyError),
    ("read-only file system", ReadOnlyError),
    ("database is locked", DatabaseLockedError),
    ("database table is locked", DatabaseLockedError),
    ("database schema is locked", DatabaseLockedError),
    ("unable to open database file", FileAccessError),
)
_ERRNOS = {errno.ENOSPC: DiskFullError, errno.EROFS: ReadOnlyError,
           errno.EACCES: FileAccessError, errno.EPERM: FileAccessError}
if hasattr(errno, "EDQUOT"):
    _ERRNOS[errno.EDQUOT] = DiskFullError


def storage_error(kind: type[StorageError], doing: str) -> StorageError:
    """The Dutch message of one cause: '<doing> is mislukt: <cause and what to do>'."""
    return kind(f"{doing} is mislukt: {_WHAT_TO_DO[kind]}")


def translate_storage_error(exc: BaseException, doing: str = "Het opslaan",
                            ) -> StorageError | None:
    """The StorageError for an OSError or (wrapped) SQLite error with a known cause, else None.

    `doing` starts the message: "Het maken van de reservekopie", "Het opslaan", …
    """
    if isinstance(exc, StorageError):
        return exc
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        exc = exc.orig
    if isinstance(exc, OSError):
        kind = _ERRNOS.get(exc.errno)
        return storage_error(kind, doing) if kind else None
    if isinstance(exc, sqlcipher.Error):
        message = str(exc).lower()
        for text_part, kind in _SQLITE_MESSAGES:
            if text_part in message:
                return storage_error(kind, doing)
    return None


def unwritable(path: Path, doing: str) -> StorageError | None:
    """Why `path` (an existing file, or the folder it is to be made in) cannot be written.

    os.access answers for the real user; it says "writable" to root except on a read-only
    file system, and on Windows it only sees the read-only attribute of a file.
    """
    for target in (path.parent, path):
        if not target.exists() or os.access(target, os.W_OK):
            continue
        read_only = sys.platform == "win32" or _on_read_only_file_system(target)
        return storage_error(ReadOnlyError if read_only else FileAccessError, doing)
    return None


def _on_read_only_file_system(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & getattr(os, "ST_RDONLY", 1))
    except (OSError, AttributeError):
        return False


@contextmanager
def _storage_errors(doing: str) -> Iterator[None]:
    """Turn a refusal of the operating system or SQLite into its StorageError."""
    try:
        yield
    except (OSError, sqlcipher.Error, DBAPIError) as exc:
        translated = translate_storage_error(exc, doing)
        if translated is None or translated is exc:
            raise
        raise translated from exc


# --- connections ------------------------------------------------------------------------

def _raw_connect(path: Path, key: Key, *, immutable: bool = False) -> sqlcipher.Connection:
    """Open and unlock one connection; the first read proves the key.

    `immutable` opens the file read-only without locks, without the -wal and without the -shm
    (SQLite's immutable URI parameter): a key check that cannot change a byte, also when a
    killed writer left a -wal behind. Its reads ignore the -wal, so it only proves the key
    (page 1 is always in the main file once the file exists); read the register on a normal
    connection.
    """
    doing = "Het openen van het register"
    if immutable:
        target, uri = Path(os.path.abspath(path)).as_uri() + "?mode=ro&immutable=1", True
    else:
        target, uri = str(path), False
    with _storage_errors(doing):
        conn = sqlcipher.connect(target, uri=uri, check_same_thread=False)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = {key.connect_value(path)}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.DatabaseError as exc:
        conn.close()
        refused = translate_storage_error(exc, doing) or (
            None if immutable else unwritable(Path(path), doing))
        if refused is not None:
            raise refused from exc
        raise WrongKeyError(
            "De database kon niet worden geopend: de sleutel klopt niet, of het bestand is "
            "beschadigd. Probeer de herstelsleutel uit de kluis; helpt dat niet, zet dan de "
            "laatste reservekopie terug."
        ) from exc
    return conn


def _prove_key(path: Path, key: Key) -> None:
    """Raise WrongKeyError unless `key` opens `path`; touches none of its files."""
    _raw_connect(path, key, immutable=True).close()


# SQLCipher 4's key derivation for a passphrase: PBKDF2-HMAC-SHA512, 256,000 iterations, a
# 32-byte key, over the 16-byte salt at the start of the file
_KDF = ("sha512", 256_000, 32)
_SALT = 16


def _derived_once(path: Path, key: Key) -> Key:
    """The key, proven on `path`; for a passphrase with its derived key for that file.

    SQLCipher derives the key from a passphrase on every connection (≈0.1 s of processor
    time each). Derived once here, the same way, and handed to SQLCipher as the raw key
    with the file's salt, it opens the file the same way. Should that ever not open it (a
    file made with other settings), the passphrase itself is tried, as before, and it is
    that attempt whose error counts."""
    if key.passphrase is not None:
        try:
            with path.open("rb") as handle:
                salt = handle.read(_SALT)
        except OSError:
            salt = b""
        if len(salt) == _SALT:
            name, rounds, size = _KDF
            derived = hashlib.pbkdf2_hmac(name, key.passphrase.encode("utf-8"), salt, rounds,
                                          size)
            fast = replace(key, unlock=(os.path.abspath(path), derived + salt))
            try:
                _prove_key(path, fast)
                return fast
            except WrongKeyError:
                pass
    _prove_key(path, key)
    return key


def _fresh_passphrase_key(passphrase: str) -> bytes:
    """A new random salt and the key SQLCipher 4 derives from the passphrase over it: the
    32 key bytes, then the 16 salt bytes (PRAGMA key's raw form with a salt)."""
    salt = secrets.token_bytes(_SALT)
    name, rounds, size = _KDF
    return hashlib.pbkdf2_hmac(name, passphrase.encode("utf-8"), salt, rounds, size) + salt


def _prepare(conn: sqlcipher.Connection) -> None:
    """Settings for a proven connection. journal_mode must be set outside a transaction."""
    with _storage_errors("Het openen van het register"):
        conn.execute("PRAGMA temp_store = MEMORY")  # no temporary files on disk
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")


def _sniff(path: Path) -> None:
    """Refuse files that cannot be an encrypted register, before any key is tried."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(16)
    if head == SQLITE_HEADER:
        raise NotADatabaseError(
            "Dit bestand is een onversleutelde SQLite-database, geen Privacyregister-database. "
            "Er is niets gewijzigd."
        )
    if size < 1024 or size % 512:
        raise NotADatabaseError(
            "Dit bestand is geen Privacyregister-database (het is te klein of heeft niet de vorm "
            "van een versleutelde database). Kies het juiste bestand. Er is niets gewijzigd."
        )
    if size % SQLCIPHER_PAGE:
        raise DamagedFileError("Het databasebestand is onvolledig, bijvoorbeeld door een "
                               "afgebroken kopie of een volle schijf. " + RESTORE_HINT)


def _make_engine(first: sqlcipher.Connection, path: Path, key: Key) -> Engine:
    """One long-lived connection. The proven connection is handed over, not opened again."""
    handed = [first]

    def creator() -> sqlcipher.Connection:
        if handed:
            return handed.pop()
        conn = _raw_connect(path, key)  # only after the pool lost its connection
        _prepare(conn)
        return conn

    engine = create_engine(
        "sqlite+pysqlite://", creator=creator, module=sqlcipher,
        poolclass=QueuePool, pool_size=1, max_overflow=0, pool_timeout=60,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001, ANN202
        dbapi_conn.isolation_level = ""  # implicit BEGIN before writes: atomic transactions

    with engine.connect():  # the proven connection goes into the pool now, so that dispose()
        pass                # closes it even when the register was never used
    return engine


def _resolve_key(path: Path, meta: dict, *, passphrase: str | None,
                 recovery_key: str | None, raw_key: bytes | None) -> tuple[Key, bool]:
    """Which key to try, and whether it came from outside the keyring (then store it)."""
    if raw_key is not None:
        return Key(raw=raw_key), True
    if recovery_key:
        return Key(raw=decode_recovery_key(recovery_key)), True
    if passphrase:
        return Key(passphrase=passphrase), False
    database_id = meta.get("database_id")
    if meta.get("key_mode") == "passphrase":
        env = os.environ.get(PASSPHRASE_ENV)
        if env:
            return Key(passphrase=env), False
        raise MissingKeyError(
            "Deze database is beveiligd met een wachtwoordzin. Voer de wachtwoordzin in "
            f"(of zet de omgevingsvariabele {PASSPHRASE_ENV})."
        )
    stored = keystore.load_key(database_id) if database_id else None
    if stored is None:
        raise MissingKeyError(
            "De sleutel van deze database staat niet in de sleutelopslag (Windows "
            "Referentiebeheer) van deze computer, bijvoorbeeld na een herinstallatie of op een "
            "andere werkplek. Voer de herstelsleutel in die bij het aanmaken is afgedrukt."
        )
    return Key(raw=stored), False


# --- the vault --------------------------------------------------------------------------

class Vault:
    """An open register: one engine on one long-lived encrypted connection."""

    def __init__(self, path: Path, key: Key, engine: Engine, database_id: str,
                 backup_dir: Path | None, clock: Clock) -> None:
        self.path = path
        self._key = key
        self.engine = engine
        self.database_id = database_id
        self.backup_dir = backup_dir
        self.clock = clock
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.migrated_from: str | None = None
        self._backup_key_ahead: Future[bytes] | None = None
        self.scope: SchoolScope | None = None  # None: the register's one school

    def use_scope(self, scope: SchoolScope | None) -> None:
        """Every session from now on works for this school (db.tenancy): set at log-in with
        `scope_for(user)`; None again at log-out. A file holds one school: its sessions need
        no filter on it (None), unless a test put a second school in it."""
        if scope is not None and not scope.board:
            with self.engine.connect() as connection:
                if connection.execute(select(func.count()).select_from(School)).scalar() <= 1:
                    scope = None
        self.scope = scope

    def _scoped(self, session: Session) -> Session:
        apply_scope(session, self.scope)
        return session

    @property
    def key_mode(self) -> str:
        return self._key.mode

    # creation and opening

    @classmethod
    def create(cls, path: Path, *, passphrase: str | None = None,
               backup_dir: Path | None = None, clock: Clock = system_clock,
               ) -> tuple[Vault, str | None]:
        """Create a new, empty register. Returns the vault and the recovery key (keyring mode).

        Without a passphrase the raw key goes into the keyring; when none is usable, raise
        MissingKeyError so the caller asks for a passphrase instead.
        """
        path = Path(path)
        refuse_network_share(path)
        if path.exists() and path.stat().st_size > 0:
            raise VaultError("Er bestaat al een bestand met deze naam. "
                             "Kies een andere naam of map.")
        database_id = uuid.uuid4().hex
        if passphrase:
            key, recovery = Key(passphrase=passphrase), None
        else:
            if not keystore.keyring_usable():
                raise MissingKeyError(
                    "Deze computer heeft geen beveiligde sleutelopslag. Kies een wachtwoordzin "
                    f"(of zet de omgevingsvariabele {PASSPHRASE_ENV})."
                )
            key = Key(raw=secrets.token_bytes(32))
            recovery = encode_recovery_key(key.raw)
        doing = "Het aanmaken van het register"
        with _storage_errors(doing):
            make_private_dir(path.parent)
            refused = unwritable(path, doing)
            if refused is not None:
                raise refused
            create_private_file(path)  # SQLite gives -wal and -shm this file's mode
        engine = None
        try:
            conn = _raw_connect(path, key)
            try:
                _prepare(conn)
            except BaseException:
                conn.close()
                raise
            engine = _make_engine(conn, path, key)
            with _storage_errors(doing), engine.begin() as connection:
                migrate.upgrade(connection)
                connection.execute(
                    text("INSERT INTO setting (key, value) VALUES ('database_id', :v)"),
                    {"v": database_id},
                )
            if key.raw is not None and not keystore.store_key(database_id, key.raw):
                raise VaultError("De sleutel kon niet in de sleutelopslag worden bewaard. "
                                 "Er is geen database aangemaakt.")
            with _storage_errors(doing):
                write_sidecar(path, {"format": "privacyregister", "database_id": database_id,
                                     "key_mode": key.mode})
        except BaseException:
            if engine is not None:
                engine.dispose()
            remove_register_files(path, database_id)
            raise
        return cls(path, key, engine, database_id, backup_dir, clock), recovery

    @classmethod
    def open(cls, path: Path, *, passphrase: str | None = None, recovery_key: str | None = None,
             raw_key: bytes | None = None, backup_dir: Path | None = None,
             clock: Clock = system_clock, upgrade: bool = True) -> Vault:
        """Open an existing register; upgrade an older schema after an automatic backup."""
        path = Path(path)
        refuse_network_share(path)
        if not path.is_file():
            raise DatabaseNotFoundError("Het databasebestand bestaat niet (meer) op deze plek.")
        _sniff(path)
        meta = read_sidecar(path)
        key, from_outside = _resolve_key(path, meta, passphrase=passphrase,
                                         recovery_key=recovery_key, raw_key=raw_key)
        doing = "Het openen van het register"
        try:
            key = _derived_once(path, key)  # a wrong key stops here, before anything is written
        except WrongKeyError:
            raise _why_it_did_not_open(from_keyring=not from_outside and key.raw is not None,
                                       typed=recovery_key is not None) from None
        refused = unwritable(path, doing) or unwritable(Path(f"{path}-wal"), doing)
        if refused is not None:
            raise refused
        conn = _raw_connect(path, key)
        try:
            database_id, revision = _inspect(conn)
            _prepare(conn)
        except BaseException:
            conn.close()
            raise
        engine = _make_engine(conn, path, key)
        vault = cls(path, key, engine, database_id, backup_dir, clock)
        try:
            if from_outside and key.raw is not None and keystore.keyring_usable():
                keystore.store_key(database_id, key.raw)
            if meta.get("database_id") != database_id or meta.get("key_mode") != key.mode:
                with _storage_errors(doing):
                    write_sidecar(path, {"format": "privacyregister",
                                         "database_id": database_id, "key_mode": key.mode})
            if upgrade and revision != migrate.head_revision():
                beside = path.with_name(f"{path.name}.voor-migratie-{revision}.db")
                vault.backup(SYSTEM, None if backup_dir else beside, reason="migratie")
                with _storage_errors("Het bijwerken van het register"), \
                        engine.begin() as connection:
                    migrate.upgrade(connection)
                vault.migrated_from = revision
        except BaseException:
            engine.dispose()
            raise
        return vault

    # sessions

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits on success, rolls back on any error."""
        with _storage_errors("Het opslaan"), refused_when_changed(), self._sessions() as session:
            with self._scoped(session).begin():
                yield session

    def new_session(self) -> Session:
        """A session the caller manages (commit/rollback/close)."""
        return self._scoped(self._sessions())

    @contextmanager
    def worker_session(self) -> Iterator[Session]:
        """A unit of work on a connection of its own, for a background thread: the GUI's
        connection stays free, so the window never waits on a long task. Commits on success,
        rolls back on any error (a cancelled task leaves the register as it was)."""
        with self._own_engine() as engine, refused_when_changed(), \
                Session(engine, expire_on_commit=False) as session:
            with self._scoped(session).begin():
                yield session

    @contextmanager
    def _own_engine(self) -> Iterator[Engine]:
        """An engine on a connection of its own (closed afterwards), for work off the GUI
        thread."""
        conn = _raw_connect(self.path, self._key)
        try:
            _prepare(conn)
        except BaseException:
            conn.close()
            raise
        engine = _make_engine(conn, self.path, self._key)
        try:
            yield engine
        finally:
            engine.dispose()

    # backups

    def backup(self, actor: Actor, to: Path | None = None, *, reason: str = "handmatig",
               own_connection: bool = False) -> Path:
        """An encrypted, consistent copy under the same key, with the audit-chain head beside it.

        BACKUP permission; the backups on closing, before a migration and after a rekey are
        made by the system (db.permissions.SYSTEM). `own_connection`: copy through a
        connection of its own, for a backup on a background thread (the GUI keeps its own)."""
        from db.audit import chain_head

        require(actor, Permission.BACKUP)
        now = self.clock()
        doing = "Het maken van de reservekopie"
        if to is None:
            if self.backup_dir is None:
                raise VaultError("Er is geen map voor reservekopieën ingesteld.")
            with _storage_errors(doing):
                make_private_dir(self.backup_dir)
            self._remove_stale_partials()
            stem = f"{self._backup_prefix}{now:%Y%m%dT%H%M%S%fZ}"
            number = 0
            while (to := self.backup_dir / f"{stem}-{number:03d}.db").exists():
                number += 1
        to = Path(to)
        if to.exists():
            raise VaultError("Het bestand voor de reservekopie bestaat al. Kies een andere naam.")
        refuse_network_share(to)
        partial = to.with_name(to.name + ".part")
        try:
            with _storage_errors(doing):
                _remove_partial(partial)
                refused = unwritable(partial, doing)
                if refused is not None:
                    raise refused
                create_private_file(partial)  # the copy and its -journal: owner-only
                with (self._own_engine() if own_connection else nullcontext(self.engine)
                      ) as engine, engine.connect() as connection:
                    head = chain_head(connection, audit_table=_audit_table(connection))
                    raw = connection.connection.dbapi_connection
                    raw.commit()
                    copy = sqlcipher.connect(str(partial), check_same_thread=False)
                    try:
                        copy.execute("PRAGMA cipher_log_level = NONE")
                        copy.execute(f"PRAGMA key = {self._backup_key()}")
                        # SQLite's online backup: every page read (and its HMAC checked)
                        # through this connection, in one read transaction, and written
                        # under the copy's key; no rows re-inserted, no indexes rebuilt
                        raw.backup(copy)
                    finally:
                        copy.close()
                os.replace(partial, to)
                write_sidecar(to, {
                    "format": "privacyregister", "database_id": self.database_id,
                    "key_mode": self._key.mode, "created_at": now.isoformat(),
                    "reason": reason, "chain_head": str(head) if head else "",
                })
        except BaseException:
            _remove_partial(partial, quiet=True)
            if to.exists() and not sidecar_path(to).exists():
                to.unlink(missing_ok=True)  # a copy without its chain head is no backup
            raise
        if to.parent == self.backup_dir:
            self._rotate_backups()
        return to

    def derive_backup_key_ahead(self) -> None:
        """For a caller that backs up when it is done (an import): the next backup's key is
        derived now, beside the work, on a thread of its own (PBKDF2 runs without Python's
        lock), instead of at the end. Only a passphrase register has one to derive."""
        if self._key.passphrase is None or self._key.unlock is None \
                or self._backup_key_ahead is not None:
            return
        pool = ThreadPoolExecutor(1)
        self._backup_key_ahead = pool.submit(_fresh_passphrase_key, self._key.passphrase)
        pool.shutdown(wait=False)

    def keep_pages(self, kib: int = 65_536) -> None:
        """SQLite may keep up to `kib` of pages in memory on this register's connection, for
        the rest of its life: for a process that writes much and then closes with a backup
        (the CLI's import). The backup then copies the pages the write left in memory
        instead of reading and decrypting them again. Not for the program, whose connection
        lives on."""
        with _storage_errors("Het openen van het register"), self.engine.connect() as connection:
            connection.exec_driver_sql(f"PRAGMA cache_size = {-int(kib)}")

    def _backup_key(self) -> str:
        """PRAGMA key's value for a new backup: the raw key itself; for a passphrase, the key
        SQLCipher 4 derives over a salt of the copy's own (so the copy opens with the
        passphrase, as a file SQLCipher made), derived ahead when a caller asked for it. Where
        the live file's own derivation was not proven (see _derived_once) SQLCipher derives
        it from the passphrase itself."""
        if self._key.passphrase is None or self._key.unlock is None:
            return self._key.pragma_value()
        ahead, self._backup_key_ahead = self._backup_key_ahead, None
        key_and_salt = ahead.result() if ahead is not None else _fresh_passphrase_key(
            self._key.passphrase)
        return f"\"x'{key_and_salt.hex()}'\""

    def backup_then(self, actor: Actor, work: Callable[[Session], T], *,
                    reason: str = "voor verwijderen", own_connection: bool = False,
                    ) -> tuple[Path, T]:
        """Deleting safely: first a backup, then ``work(session)`` in one transaction.
        `own_connection`: both on connections of their own, for a background thread.

        Returns (backup, what work returned). When the backup fails nothing is done and
        BackupFirstError (with the backup's own error as `cause`) is raised; when the work
        fails its transaction rolls back and its error is raised as it is."""
        from db.errors import BackupFirstError

        require(actor, Permission.BACKUP)
        try:
            backup = self.backup(actor, reason=reason, own_connection=own_connection)
        except (RegisterError, OSError) as error:
            raise BackupFirstError(error) from error
        with (self.worker_session() if own_connection else self.session()) as session:
            result = work(session)
        return backup, result

    def _rotate_backups(self) -> None:
        assert self.backup_dir is not None
        self._remove_stale_partials()
        backups = sorted(self.backup_dir.glob(f"{self._backup_prefix}*.db"))
        for old in backups[:-KEEP_BACKUPS]:
            old.unlink(missing_ok=True)
            sidecar_path(old).unlink(missing_ok=True)

    def _remove_stale_partials(self) -> None:
        """Half-written copies (.part, .part-journal) that a crash or a kill left behind.

        A copy being written changes at every page, so one untouched for a minute has no
        writer left; younger ones may belong to a backup another process is making now.
        """
        assert self.backup_dir is not None
        cutoff = time.time() - STALE_PARTIAL_SECONDS
        for pattern in ("*.db.part", "*.db.part-journal", "*.db.json.tmp"):
            for stale in self.backup_dir.glob(self._backup_prefix + pattern):
                try:
                    if stale.stat().st_mtime < cutoff:
                        stale.unlink()
                except OSError:
                    pass  # gone already, or not ours to remove: the backup itself goes on

    def list_backups(self) -> list[Path]:
        if self.backup_dir is None or not self.backup_dir.is_dir():
            return []
        return sorted(self.backup_dir.glob(f"{self._backup_prefix}*.db"), reverse=True)

    @property
    def _backup_prefix(self) -> str:
        """Backups of several registers may share one folder; each rotates its own."""
        return f"privacyregister-{self.database_id[:8]}-"

    # keys

    def rekey(self, passphrase: str | None = None) -> str | None:
        """Re-encrypt under a new random key (returns its recovery key) or a new passphrase."""
        new = Key(passphrase=passphrase) if passphrase else Key(raw=secrets.token_bytes(32))
        if new.raw is not None and not keystore.keyring_usable():
            raise MissingKeyError("Er is geen beveiligde sleutelopslag; kies een wachtwoordzin.")
        self._rekey_to(new)
        if self.backup_dir is not None:
            self.backup(SYSTEM, reason="nieuwe sleutel")  # older backups keep the older key
        return encode_recovery_key(new.raw) if new.raw is not None else None

    def _rekey_to(self, new: Key) -> None:
        with self.engine.connect() as connection:
            raw = connection.connection.dbapi_connection
            raw.commit()
            raw.execute("PRAGMA journal_mode = DELETE")  # rekey rewrites every page
            raw.execute(f"PRAGMA rekey = {new.pragma_value()}")
            raw.execute("PRAGMA journal_mode = WAL")
        if new.raw is not None:
            keystore.store_key(self.database_id, new.raw)
        else:
            keystore.forget_key(self.database_id)
        self._key = new
        write_sidecar(self.path, {"format": "privacyregister", "database_id": self.database_id,
                                  "key_mode": new.mode})

    def recovery_key(self) -> str | None:
        """The current recovery key (keyring mode only): for printing it again."""
        return encode_recovery_key(self._key.raw) if self._key.raw is not None else None

    # integrity

    def integrity_problems(self, *, own_connection: bool = False) -> list[str]:
        """PRAGMA integrity_check; an empty list means the file is sound. `own_connection`:
        on a connection of its own, for a check beside other work on another thread (SQLite
        checks without holding Python's lock, so it takes a core of its own)."""
        with (self.reader() if own_connection else self.engine.connect()) as connection:
            rows = connection.exec_driver_sql("PRAGMA integrity_check").scalars().all()
        return [] if rows == ["ok"] else list(rows)

    def integrity_report(self, problems: list[str]) -> str | None:
        """What integrity_problems() found, in Dutch, for the user (`verify` says it)."""
        return ("Bestand in orde (integrity_check)." if not problems
                else "Het bestand is beschadigd: " + "; ".join(problems[:5]))

    @contextmanager
    def reader(self) -> Iterator[Connection]:
        """A connection of its own (closed afterwards), for reading on another thread beside
        the work on the vault's own connection: a check that uses two cores."""
        with self._own_engine() as engine, engine.connect() as connection:
            scope_connection(connection, self.scope)  # the school its defaults and checks use
            yield connection

    # closing

    def close(self, *, backup: bool = True) -> None:
        """Close the connection; first make the rotating backup (when a backup dir is set).

        The connection is closed also when the backup fails; its error is raised after that.
        """
        try:
            if backup and self.backup_dir is not None:
                self.backup(SYSTEM, reason="afsluiten")
        finally:
            self.engine.dispose()

    def restore(self, actor: Actor, source: Path, *, source_key: Key | None = None,
                ) -> Vault:
        """Replace the live register by a backup. The live file is backed up first.

        Refuses a file that cannot be opened (with this register's key, or `source_key` for a
        backup made before a rekey), or that is damaged. A backup under an older key is re-keyed
        to the current key once restored. Returns the reopened vault; this one is closed.
        BACKUP permission.
        """
        require(actor, Permission.BACKUP)
        source = Path(source)
        if not source.is_file():
            raise DatabaseNotFoundError("De reservekopie bestaat niet op deze plek.")
        _sniff(source)
        key = source_key or replace(self._key, unlock=None)  # another file, another salt
        conn = _raw_connect(source, key)
        try:
            database_id, _ = _inspect(conn)
            check = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        finally:
            conn.close()
        if check != ["ok"]:
            raise VaultError("De reservekopie is beschadigd en wordt niet teruggezet.")
        if database_id != self.database_id:
            raise VaultError("Deze reservekopie hoort bij een andere database en wordt niet "
                             "teruggezet.")
        stamp = f"{self.clock():%Y%m%dT%H%M%S}"
        beside = self.path.with_name(f"{self.path.name}.voor-terugzetten-{stamp}.db")
        self.backup(actor, None if self.backup_dir else beside, reason="voor terugzetten")
        live_key, path = self._key, self.path
        self.engine.dispose()
        staged = path.with_name(path.name + ".restore")
        create_private_file(staged)
        shutil.copyfile(source, staged)
        with staged.open("rb+") as handle:
            os.fsync(handle.fileno())
        for suffix in ("-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        os.replace(staged, path)
        restored = Vault.open(path, raw_key=key.raw, passphrase=key.passphrase,
                              backup_dir=self.backup_dir, clock=self.clock)
        if key != live_key:
            restored._rekey_to(live_key)
        return restored

    def discard(self) -> None:
        """Undo a half-made register: close it, delete the file with its -wal, -shm and
        sidecar, and forget its key. Only for a register that was never handed to a user."""
        self.engine.dispose()
        remove_register_files(self.path, self.database_id)


def _audit_table(connection: Connection) -> Table | None:
    """The audit table as stored when the schema is older than the program's (the backup
    before a migration reads that chain's head), else None: the model's."""
    if migrate.current_revision(connection) == migrate.head_revision():
        return None
    return Table("audit_entry", MetaData(), autoload_with=connection)


def _remove_partial(partial: Path, *, quiet: bool = False) -> None:
    """Remove a half-written backup and the rollback journal SQLite keeps beside it."""
    for leftover in (partial, Path(f"{partial}-journal")):
        try:
            leftover.unlink(missing_ok=True)
        except OSError:
            if not quiet:
                raise


def _why_it_did_not_open(*, from_keyring: bool, typed: bool) -> VaultError:
    """Tell a wrong key from a damaged file: the key this computer stored for this database
    (found through the sidecar's id) can only fail on a damaged or replaced file."""
    if from_keyring:
        return DamagedFileError("Dit bestand past niet bij de sleutel die deze computer ervoor "
                                "heeft bewaard: het is beschadigd of vervangen door een ander "
                                "bestand. " + RESTORE_HINT)
    if typed:
        return WrongKeyError("Deze herstelsleutel hoort niet bij deze database. Controleer of "
                             "het de herstelsleutel van deze school is, van na de laatste "
                             "sleutelwissel. Klopt hij wel, dan is het bestand beschadigd. "
                             + RESTORE_HINT)
    return WrongKeyError("De sleutel of wachtwoordzin klopt niet voor deze database. Let op "
                         "hoofdletters en spaties. Klopt hij wel, dan is het bestand "
                         "beschadigd. " + RESTORE_HINT)


def _inspect(conn: sqlcipher.Connection) -> tuple[str, str]:
    """The database id and schema revision of an unlocked connection; refuse unknown ones."""
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "alembic_version" not in names or "setting" not in names:
        raise NotADatabaseError(
            "Dit is een versleutelde database, maar geen Privacyregister-database. "
            "Er is niets gewijzigd."
        )
    revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    revision = revision[0] if revision else None
    if revision not in migrate.known_revisions():
        raise NewerSchemaError(
            "Deze database is gemaakt met een nieuwere versie van Privacyregister. Installeer de "
            "nieuwste versie om hem te openen. Er is niets gewijzigd."
        )
    row = conn.execute("SELECT value FROM setting WHERE key = 'database_id'").fetchone()
    if row is None:
        raise NotADatabaseError("De database mist haar identificatie en kan niet worden geopend.")
    return row[0], revision


def remove_register_files(path: Path, database_id: str | None) -> None:
    """Delete a register's file, its -wal, -shm and -journal and its sidecar, and forget its
    key (see discard). A file that cannot be removed (the disk went read-only) is left."""
    for name in (path, f"{path}-wal", f"{path}-shm", f"{path}-journal", sidecar_path(path)):
        try:
            Path(name).unlink(missing_ok=True)
        except OSError:
            pass
    if database_id:
        keystore.forget_key(database_id)
