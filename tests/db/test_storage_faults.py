"""Trust under faults: a full disk, a read-only or forbidden folder, a locked register, a
wrong key beside a -wal, and interrupted backups, each on a real SQLCipher file.

Tests run as root, where chmod does not stop a write, and a small full file system needs a
mount. So each fault is made where it works as root: SQLite's own limits and locks where they
exist (max_page_count gives a real SQLITE_FULL, a second connection a real lock, a mode=ro
connection a real "readonly database"), otherwise an OSError with the errno injected at the
os level by monkeypatch (each test says which).
"""

import errno
import os
import signal
import stat
import subprocess
import sys
import time

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import text

import db.vault as vault_module
from db.errors import (
    DatabaseLockedError,
    DiskFullError,
    FileAccessError,
    ReadOnlyError,
    WrongKeyError,
)
from db.permissions import SYSTEM
from db.vault import STALE_PARTIAL_SECONDS, Vault, translate_storage_error
from tests.db.helpers import sha256_file

# Faults of the file and the disk under it; on a server they are the server's to handle.
pytestmark = pytest.mark.sqlcipher_only


@pytest.fixture
def umask_022():
    """The umask of a normal desktop session, so only the app's own modes make files private."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _no_partials(folder):
    return [p.name for p in folder.iterdir() if ".part" in p.name or p.name.endswith(".tmp")]


# --- disk full ----------------------------------------------------------------------------

def test_a_commit_on_a_full_disk_is_a_dutch_disk_full_error(vault):
    """Real SQLITE_FULL: the file may not grow beyond its current pages (max_page_count)."""
    with vault.engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
        connection.exec_driver_sql(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(DiskFullError) as caught:
        with vault.session() as session:
            session.execute(text("INSERT INTO setting (key, value) VALUES ('groot', :v)"),
                            {"v": "x" * 200_000})
    assert "schijf is vol" in str(caught.value) and "ruimte vrij" in str(caught.value)
    with vault.session() as session:  # nothing half-written
        assert session.execute(text("SELECT count(*) FROM setting WHERE key = 'groot'")
                               ).scalar() == 0


def test_a_backup_on_a_full_disk_says_so_and_leaves_no_part_file(vault, tmp_path, monkeypatch):
    """ENOSPC injected at the os level: os.replace of the finished .part fails."""
    def full(*_args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(vault_module.os, "replace", full)
    with pytest.raises(DiskFullError) as caught:
        vault.backup(SYSTEM)
    assert str(caught.value).startswith("Het maken van de reservekopie is mislukt: de schijf "
                                        "is vol")
    assert _no_partials(tmp_path / "backups") == []
    assert vault.list_backups() == []


def test_closing_with_a_failed_backup_still_closes_the_connection(vault, monkeypatch):
    monkeypatch.setattr(vault_module.os, "replace",
                        lambda *a: (_ for _ in ()).throw(OSError(errno.ENOSPC, "vol")))
    with pytest.raises(DiskFullError):
        vault.close()
    assert vault.engine.pool.checkedout() == 0


# --- read-only, no permission ----------------------------------------------------------

def test_sqlite_readonly_error_is_told_apart_from_a_wrong_key(db_path, vault, memory_keyring):
    """A real "attempt to write a readonly database" from a mode=ro connection."""
    raw_key = memory_keyring.entries[("Privacyregister", vault.database_id)]
    vault.close(backup=False)
    raw = sqlcipher.connect(db_path.resolve().as_uri() + "?mode=ro", uri=True)
    raw.execute(f"PRAGMA key = \"x'{raw_key}'\"")
    try:
        with pytest.raises(sqlcipher.OperationalError) as caught:
            raw.execute("CREATE TABLE x (y)")
    finally:
        raw.close()
    translated = translate_storage_error(caught.value, "Het opslaan")
    assert isinstance(translated, ReadOnlyError) and "alleen-lezen" in str(translated)


def test_a_register_on_a_read_only_drive_is_not_reported_as_a_wrong_key(db_path, vault,
                                                                        monkeypatch):
    """As root, os.access says writable; a read-only file system is injected (os.access and
    statvfs monkeypatched), as a USB stick with its write protection on would answer."""
    vault.close(backup=False)
    monkeypatch.setattr(vault_module.os, "access",
                        lambda path, mode: mode != os.W_OK)
    monkeypatch.setattr(vault_module, "_on_read_only_file_system", lambda path: True)
    with pytest.raises(ReadOnlyError) as caught:
        Vault.open(db_path)
    assert "sleutel" not in str(caught.value) and "alleen-lezen" in str(caught.value)


def test_a_forbidden_folder_is_a_permission_error_and_creates_nothing(tmp_path, monkeypatch):
    """EACCES injected where the database file is created (chmod does not stop root)."""
    def forbidden(path, **_kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(vault_module, "create_private_file", forbidden)
    target = tmp_path / "map" / "register.db"
    with pytest.raises(FileAccessError) as caught:
        Vault.create(target)
    assert "geen toestemming" in str(caught.value)
    assert list(target.parent.iterdir()) == []


def test_create_on_a_read_only_file_system_is_one_dutch_error(tmp_path, monkeypatch):
    """EROFS injected at the os level (os.open of the new file)."""
    real_open = os.open

    def read_only(path, flags, mode=0o777, **kwargs):
        if str(path).endswith("register.db"):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, mode, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    with pytest.raises(ReadOnlyError):
        Vault.create(tmp_path / "register.db")


# --- locked -------------------------------------------------------------------------------

def test_a_register_locked_by_another_program_is_told_apart(vault, db_path, memory_keyring):
    """A real lock: a second connection holds the write lock (BEGIN IMMEDIATE)."""
    raw_key = memory_keyring.entries[("Privacyregister", vault.database_id)]
    other = sqlcipher.connect(str(db_path))
    other.execute(f"PRAGMA key = \"x'{raw_key}'\"")
    other.execute("BEGIN IMMEDIATE")
    try:
        with vault.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA busy_timeout = 50")
        with pytest.raises(DatabaseLockedError) as caught:
            with vault.session() as session:
                session.execute(text("INSERT INTO setting (key, value) VALUES ('a', 'b')"))
        assert "in gebruik door een ander programma" in str(caught.value)
    finally:
        other.rollback()
        other.close()


# --- a wrong key touches nothing, also beside a -wal --------------------------------------

KILLED_WRITER = r"""
import os, signal, sys
from datetime import UTC, datetime
from pathlib import Path
from sqlalchemy import text
from db.vault import Vault
from db.permissions import SYSTEM

vault = Vault.open(Path(sys.argv[1]), raw_key=bytes.fromhex(os.environ["TEST_RAW_KEY"]))
for number in range(20):
    with vault.session() as session:
        session.execute(text("INSERT INTO setting (key, value) VALUES (:k, :v)"),
                        {"k": f"proef-{number}", "v": "x" * 2000})
session = vault.new_session()
session.execute(text("INSERT INTO setting (key, value) VALUES ('half', 'af')"))
session.flush()
print("bezig", flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_wrong_key_beside_a_killed_writers_wal_changes_no_byte(vault, db_path,
                                                                 memory_keyring):
    raw = memory_keyring.entries[("Privacyregister", vault.database_id)]
    vault.close(backup=False)
    env = dict(os.environ, TEST_RAW_KEY=raw, PYTHONPATH=os.getcwd())
    child = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(db_path)], env=env,
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "bezig"
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    files = [db_path, db_path.with_name(db_path.name + "-wal"),
             db_path.with_name(db_path.name + "-shm")]
    assert all(f.exists() for f in files) and files[1].stat().st_size > 0
    before = [sha256_file(f) for f in files]
    with pytest.raises(WrongKeyError):
        Vault.open(db_path, raw_key=bytes(32))
    assert [sha256_file(f) for f in files] == before
    again = Vault.open(db_path, raw_key=bytes.fromhex(raw))  # the right key still opens it
    with again.session() as session:
        assert session.execute(text("SELECT count(*) FROM setting WHERE key LIKE 'proef-%'")
                               ).scalar() == 20
    again.close(backup=False)


# --- interrupted backups -------------------------------------------------------------------

def test_stale_part_files_from_a_crash_are_removed_at_the_next_backup(vault, tmp_path):
    backups = tmp_path / "backups"
    backups.mkdir(exist_ok=True)
    prefix = f"privacyregister-{vault.database_id[:8]}-"
    stale = [backups / f"{prefix}20261101T000000000000Z-{n:03d}.db{suffix}"
             for n in range(3) for suffix in (".part", ".part-journal")]
    young = backups / f"{prefix}20261124T093000000000Z-009.db.part"
    other_register = backups / "privacyregister-anders00-20261101T000000000000Z-000.db.part"
    old = time.time() - STALE_PARTIAL_SECONDS - 5
    for leftover in [*stale, young, other_register]:
        leftover.write_bytes(b"half")
        if leftover is not young:
            os.utime(leftover, (old, old))
    made = vault.backup(SYSTEM)
    assert made.exists()
    left = sorted(p.name for p in backups.iterdir() if ".part" in p.name)
    # a young .part may be another process's backup in progress; another register's is not ours
    assert left == sorted([young.name, other_register.name])


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_backup_killed_halfway_leaves_nothing_after_the_next_one(vault, db_path, tmp_path,
                                                                   memory_keyring):
    """A real kill: a child process makes backups in a loop and is killed with SIGKILL."""
    raw = memory_keyring.entries[("Privacyregister", vault.database_id)]
    vault.close(backup=False)
    backups = tmp_path / "backups"
    child_code = (
        "import os, sys\nfrom pathlib import Path\nfrom db.permissions import SYSTEM\n"
        "from db.vault import Vault\n"
        "v = Vault.open(Path(sys.argv[1]), raw_key=bytes.fromhex(os.environ['TEST_RAW_KEY']),"
        " backup_dir=Path(sys.argv[2]))\nprint('bezig', flush=True)\n"
        "while True:\n    v.backup(SYSTEM)\n")
    env = dict(os.environ, TEST_RAW_KEY=raw, PYTHONPATH=os.getcwd())
    for _ in range(3):
        child = subprocess.Popen([sys.executable, "-c", child_code, str(db_path),
                                  str(backups)], env=env, stdout=subprocess.PIPE, text=True)
        assert child.stdout.readline().strip() == "bezig"
        time.sleep(0.3)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    old = time.time() - STALE_PARTIAL_SECONDS - 5
    for leftover in backups.iterdir():
        os.utime(leftover, (old, old))  # as if the next backup came a while later
    again = Vault.open(db_path, raw_key=bytes.fromhex(raw), backup_dir=backups)
    again.backup(SYSTEM)
    again.close(backup=False)
    assert _no_partials(backups) == []
    assert len(list(backups.glob("*.db"))) <= vault_module.KEEP_BACKUPS


# --- owner-only files ------------------------------------------------------------------------

@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_register_its_wal_and_its_backups_are_owner_only(tmp_path, clock, umask_022):
    """Library use without the entry points' umask: the modes come from the code itself."""
    path = tmp_path / "register.db"
    vault, _ = Vault.create(path, backup_dir=tmp_path / "kopieen", clock=clock)
    with vault.session() as session:
        session.execute(text("INSERT INTO setting (key, value) VALUES ('a', 'b')"))
    assert (tmp_path / "register.db-wal").exists()
    vault.backup(SYSTEM)
    written = [p for p in tmp_path.rglob("*")]
    vault.close(backup=False)
    for item in written:
        mode = stat.S_IMODE(item.stat().st_mode) if item.exists() else None
        if mode is not None:
            assert mode == (0o700 if item.is_dir() else 0o600), (item.name, oct(mode))
    names = {p.name for p in written}
    assert {"register.db", "register.db-wal", "register.db-shm", "register.db.json",
            "kopieen"} <= names
