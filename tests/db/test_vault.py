"""The encrypted register file: keys, errors that leave the file alone, backups, rekey."""

import os
import tempfile
import threading
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import func, select, text

from db import keystore
from db.audit import chain_head
from db.errors import (
    DamagedFileError,
    DatabaseNotFoundError,
    MissingKeyError,
    NetworkShareError,
    NewerSchemaError,
    NotADatabaseError,
    VaultError,
    WrongKeyError,
)
from db.permissions import SYSTEM
from db.recovery import decode_recovery_key, encode_recovery_key
from db.schema import Pupil
from db.vault import Vault, is_network_path, read_sidecar
from tests.db.helpers import add_family, sha256_file


def _school(session, clock) -> None:
    from db.school import initialise_register

    initialise_register(session, school_name="OBS De Klimop", brin="12AB",
                        admin_username="beheer", admin_password="wachtwoord-123", clock=clock)

# All about the encrypted file itself; the server has its own tests (test_server.py).
pytestmark = pytest.mark.sqlcipher_only

NAMES = (b"Jansen", b"Fatima")


def test_new_file_is_sqlcipher_not_plain_sqlite(vault, db_path):
    assert not db_path.read_bytes().startswith(b"SQLite format 3")
    plain = sqlcipher.connect(str(db_path))
    with pytest.raises(sqlcipher.DatabaseError):
        plain.execute("SELECT count(*) FROM sqlite_master").fetchone()
    plain.close()


def test_known_names_appear_in_no_file_the_app_writes(db_path, tmp_path, clock, memory_keyring):
    temp_before = set(os.listdir(tempfile.gettempdir()))
    vault, _ = Vault.create(db_path, backup_dir=tmp_path / "backups", clock=clock)
    with vault.session() as session:
        _school(session, clock)  # every row belongs to a school (revision 0009)
        for _ in range(300):  # enough pages for the WAL to hold real content
            add_family(session, SYSTEM, clock, last_name="Jansen", guardian_first="Fatima")
    with vault.session() as session:  # the names really are in there
        assert session.scalar(select(func.count()).where(Pupil.last_name == "Jansen")) == 300
    open_files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name.endswith("-wal") for p in open_files)
    for path in open_files:
        content = path.read_bytes()
        assert not any(name in content for name in NAMES), path.name
    vault.backup(SYSTEM, tmp_path / "handmatig.db")
    vault.close()  # writes the rotating backup too
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(list((tmp_path / "backups").glob("*.db"))) == 1
    for path in written:
        content = path.read_bytes()
        assert not any(name in content for name in NAMES), path.name
    for name in set(os.listdir(tempfile.gettempdir())) - temp_before:
        candidate = Path(tempfile.gettempdir()) / name
        if candidate.is_file():
            assert not any(n in candidate.read_bytes() for n in NAMES), name


def test_reopen_from_keyring_and_data_survives(vault, db_path, clock):
    with vault.session() as session:
        add_family(session, SYSTEM, clock)
    vault.close(backup=False)
    again = Vault.open(db_path, clock=clock)
    with again.session() as session:
        assert session.scalar(select(func.count()).select_from(Pupil)) == 1
    again.close(backup=False)


def test_wrong_key_has_its_own_error_and_changes_no_byte(vault, db_path):
    vault.close(backup=False)
    before = sha256_file(db_path)
    with pytest.raises(WrongKeyError, match="sleutel of wachtwoordzin klopt niet"):
        Vault.open(db_path, raw_key=os.urandom(32))
    with pytest.raises(WrongKeyError, match="Let op hoofdletters"):
        Vault.open(db_path, passphrase="niet de goede")
    other = encode_recovery_key(os.urandom(32))
    with pytest.raises(WrongKeyError, match="herstelsleutel hoort niet bij deze database"):
        Vault.open(db_path, recovery_key=other)
    assert sha256_file(db_path) == before
    assert not Path(str(db_path) + "-wal").exists()


def test_a_file_that_does_not_open_with_its_own_stored_key_is_called_damaged(vault, db_path):
    vault.close(backup=False)
    data = bytearray(db_path.read_bytes())
    data[100:200] = bytes(100)  # page 1 overwritten: its HMAC no longer matches
    db_path.write_bytes(bytes(data))
    with pytest.raises(DamagedFileError, match="past niet bij de sleutel die deze computer"):
        Vault.open(db_path)


def test_a_truncated_file_is_called_incomplete(vault, db_path):
    vault.close(backup=False)
    data = db_path.read_bytes()
    db_path.write_bytes(data[:len(data) - 2048])
    with pytest.raises(DamagedFileError, match="onvolledig"):
        Vault.open(db_path)


def test_missing_key_has_its_own_error_and_changes_no_byte(vault, db_path, memory_keyring):
    vault.close(backup=False)
    before = sha256_file(db_path)
    memory_keyring.entries.clear()
    with pytest.raises(MissingKeyError, match="herstelsleutel"):
        Vault.open(db_path)
    assert sha256_file(db_path) == before


@pytest.mark.parametrize("content", [b"Dit is een brief aan de ouders.\n" * 40,
                                     b"SQLite format 3\x00" + bytes(4080), b""])
def test_a_file_that_is_not_a_register_is_named_so(tmp_path, content):
    path = tmp_path / "iets.db"
    path.write_bytes(content)
    before = sha256_file(path)
    with pytest.raises(NotADatabaseError):
        Vault.open(path, raw_key=os.urandom(32))
    assert sha256_file(path) == before


def test_an_encrypted_database_of_another_program_is_not_a_register(tmp_path):
    path = tmp_path / "ander.db"
    key = os.urandom(32)
    conn = sqlcipher.connect(str(path))
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = sha256_file(path)
    with pytest.raises(NotADatabaseError, match="geen Privacyregister-database"):
        Vault.open(path, raw_key=key)
    assert sha256_file(path) == before


def test_newer_schema_has_its_own_error_and_changes_no_byte(vault, db_path, memory_keyring):
    raw = bytes.fromhex(memory_keyring.entries[("Privacyregister", vault.database_id)])
    vault.close(backup=False)
    conn = sqlcipher.connect(str(db_path))
    conn.execute(f"PRAGMA key = \"x'{raw.hex()}'\"")
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    before = sha256_file(db_path)
    with pytest.raises(NewerSchemaError, match="nieuwere versie"):
        Vault.open(db_path)
    assert sha256_file(db_path) == before


def test_missing_file_is_not_created(tmp_path):
    with pytest.raises(DatabaseNotFoundError):
        Vault.open(tmp_path / "bestaat-niet.db", raw_key=os.urandom(32))
    assert not (tmp_path / "bestaat-niet.db").exists()


def test_recovery_key_opens_when_keyring_lost_and_is_stored_again(db_path, tmp_path, clock,
                                                                  memory_keyring):
    vault, recovery = Vault.create(db_path, clock=clock)
    vault.close(backup=False)
    memory_keyring.entries.clear()
    again = Vault.open(db_path, recovery_key=recovery.lower())
    again.close(backup=False)
    assert keystore.load_key(again.database_id) == decode_recovery_key(recovery)
    Vault.open(db_path).close(backup=False)  # from the keyring again


def test_recovery_key_is_the_raw_sqlcipher_key(db_path, clock):
    """No lock-in: any SQLCipher 4 tool opens the file with the decoded recovery key."""
    vault, recovery = Vault.create(db_path, clock=clock)
    vault.close(backup=False)
    conn = sqlcipher.connect(str(db_path))
    conn.execute(f"PRAGMA key = \"x'{decode_recovery_key(recovery).hex()}'\"")
    assert conn.execute("SELECT value FROM setting WHERE key='database_id'").fetchone()[0] \
        == vault.database_id
    conn.close()


def test_passphrase_mode_uses_sqlcipher_own_derivation(db_path, clock, monkeypatch):
    vault, recovery = Vault.create(db_path, passphrase="Kluis van 't Kasteel", clock=clock)
    assert recovery is None and vault.key_mode == "passphrase"
    vault.close(backup=False)
    assert read_sidecar(db_path)["key_mode"] == "passphrase"
    with pytest.raises(MissingKeyError, match="wachtwoordzin"):
        Vault.open(db_path)
    monkeypatch.setenv("PRIVACYREGISTER_PASSPHRASE", "Kluis van 't Kasteel")
    Vault.open(db_path).close(backup=False)
    conn = sqlcipher.connect(str(db_path))  # any SQLCipher 4 tool
    conn.execute("PRAGMA key = 'Kluis van ''t Kasteel'")
    assert conn.execute("SELECT count(*) FROM setting").fetchone()[0] == 1
    conn.close()


def test_create_without_keyring_asks_for_a_passphrase(db_path, monkeypatch):
    monkeypatch.setattr(keystore, "keyring_usable", lambda: False)
    with pytest.raises(MissingKeyError, match="wachtwoordzin"):
        Vault.create(db_path)
    assert not db_path.exists()


def test_the_key_is_used_on_one_long_lived_connection(db_path, clock, monkeypatch):
    import db.vault as vault_module

    connects = []
    real = vault_module._raw_connect
    monkeypatch.setattr(vault_module, "_raw_connect",
                        lambda *a, **k: connects.append(k.get("immutable", False))
                        or real(*a, **k))
    vault, _ = Vault.create(db_path, passphrase="een lange wachtwoordzin", clock=clock)
    vault.close(backup=False)
    connects.clear()
    vault = Vault.open(db_path, passphrase="een lange wachtwoordzin", clock=clock)
    for _ in range(50):
        with vault.session() as session:
            session.execute(text("SELECT count(*) FROM pupil")).scalar()
    vault.close(backup=False)
    # the key is checked once on a connection that cannot write, then used on one
    # long-lived connection: not per query or per session
    assert connects == [True, False]


def test_rekey_round_trip(vault, db_path, clock, memory_keyring):
    with vault.session() as session:
        add_family(session, SYSTEM, clock)
    old_raw = bytes.fromhex(memory_keyring.entries[("Privacyregister", vault.database_id)])
    new_recovery = vault.rekey()
    vault.close(backup=False)
    with pytest.raises(WrongKeyError):
        Vault.open(db_path, raw_key=old_raw)
    memory_keyring.entries.clear()
    again = Vault.open(db_path, recovery_key=new_recovery)
    with again.session() as session:
        assert session.scalar(select(func.count()).select_from(Pupil)) == 1
    again.rekey(passphrase="nu met een wachtwoordzin")
    again.close(backup=False)
    Vault.open(db_path, passphrase="nu met een wachtwoordzin").close(backup=False)


def test_backup_and_restore_round_trip(vault, db_path, clock, tmp_path):
    with vault.session() as session:
        add_family(session, SYSTEM, clock, last_name="Bakker")
    copy = vault.backup(SYSTEM)
    with vault.session() as session:
        head = chain_head(session)
    assert read_sidecar(copy)["chain_head"] == str(head)  # beside every backup
    with vault.session() as session:
        add_family(session, SYSTEM, clock, last_name="de Vries")
    vault = vault.restore(SYSTEM, copy)
    with vault.session() as session:
        names = session.scalars(select(Pupil.last_name)).all()
    assert names == ["Bakker"]
    assert len(vault.list_backups()) == 2  # the copy and the safety copy of the live file
    vault.close(backup=False)


def test_restore_refuses_a_file_it_cannot_open(vault, db_path, tmp_path):
    bogus = tmp_path / "kapot.db"
    bogus.write_bytes(os.urandom(8192))
    with pytest.raises(WrongKeyError):
        vault.restore(SYSTEM, bogus)
    with vault.session() as session:  # still open and intact
        assert session.execute(text("SELECT count(*) FROM school")).scalar() == 1
    assert vault.list_backups() == []  # refused before anything was touched


def test_restore_of_a_backup_made_before_rekey_needs_its_own_key(vault, memory_keyring):
    from db.vault import Key

    old_raw = bytes.fromhex(memory_keyring.entries[("Privacyregister", vault.database_id)])
    copy = vault.backup(SYSTEM)
    vault.rekey()
    with pytest.raises(WrongKeyError):
        vault.restore(SYSTEM, copy)
    vault = vault.restore(SYSTEM, copy, source_key=Key(raw=old_raw))
    vault.close(backup=False)
    Vault.open(vault.path).close(backup=False)  # re-keyed to the current key


def test_backups_rotate(vault, clock):
    from datetime import timedelta

    from db.vault import KEEP_BACKUPS

    for i in range(KEEP_BACKUPS + 3):
        vault.clock = (lambda t: (lambda: t))(clock() + timedelta(minutes=i))
        vault.backup(SYSTEM)
    assert len(vault.list_backups()) == KEEP_BACKUPS


def test_backup_refuses_to_overwrite(vault, tmp_path):
    target = tmp_path / "kopie.db"
    vault.backup(SYSTEM, target)
    with pytest.raises(VaultError):
        vault.backup(SYSTEM, target)


@pytest.mark.parametrize("path", [r"\\server\share\register.db", "//nas/school/register.db",
                                  r"\\?\UNC\server\share\register.db"])
def test_unc_paths_are_network_paths(path):
    assert is_network_path(Path(path)) if "/" not in path[:2] else is_network_path(path)


def test_local_long_path_is_not_a_network_path():
    assert not is_network_path(r"\\?\C:\Users\admin\register.db")


def test_network_mount_is_refused_with_dutch_explanation(tmp_path, monkeypatch):
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/dev/vda / ext4 rw 0 0\n//nas/school {tmp_path} cifs rw 0 0\n")
    assert is_network_path(tmp_path / "register.db", mounts_file=str(mounts))
    import db.vault as vault_module

    monkeypatch.setattr(vault_module, "is_network_path", lambda p: True)
    with pytest.raises(NetworkShareError, match="netwerkschijf.*serverdatabase"):
        Vault.create(tmp_path / "register.db")
    assert not (tmp_path / "register.db").exists()


def test_a_register_opened_and_closed_unused_closes_its_connection(vault, db_path):
    """The connection that proved the key goes into the pool at once, so closing a register
    nobody used still closes it (no open file, no -wal left beside the file)."""
    vault.close(backup=False)
    Vault.open(db_path).close(backup=False)
    assert sorted(p.name for p in db_path.parent.iterdir() if p.name.startswith("register")) \
        == ["register.db", "register.db.json"]


def test_a_backup_on_its_own_connection_leaves_the_registers_connection_free(vault, clock):
    """The app makes its backups on a worker thread: through a connection of their own, so
    the window's connection is never taken (the GUI thread never waits on the pool)."""
    with vault.session() as session:
        add_family(session, SYSTEM, clock, last_name="Bakker")
    with vault.engine.connect() as held:  # the window's one connection, busy
        copy = vault.backup(SYSTEM, own_connection=True)
        assert held.exec_driver_sql("SELECT count(*) FROM pupil").scalar() == 1
    assert read_sidecar(copy)["reason"] == "handmatig"
    copied = Vault.open(copy, upgrade=False)
    with copied.session() as session:
        assert session.scalar(select(func.count()).select_from(Pupil)) == 1
    copied.engine.dispose()


PASSPHRASE = "Kluis van 't Kasteel"


def test_a_passphrase_is_derived_once_per_open(db_path, clock, tmp_path, monkeypatch):
    """SQLCipher derives a passphrase's key on every connection (≈0.1 s each); Vault.open
    derives it once, as SQLCipher 4 does, and every connection to that file (the vault's,
    a reader's, a worker's) unlocks with it. Files and backups stay plain SQLCipher 4
    passphrase files, and a restore of such a backup works as before."""
    import db.vault as vault_module

    vault, _ = Vault.create(db_path, passphrase=PASSPHRASE, clock=clock)
    with vault.session() as session:
        _school(session, clock)
        add_family(session, SYSTEM, clock, last_name="Bakker")
    vault.close(backup=False)
    derived = []
    real = vault_module.hashlib.pbkdf2_hmac
    monkeypatch.setattr(vault_module.hashlib, "pbkdf2_hmac",
                        lambda *args: derived.append(args[2]) or real(*args))
    vault = Vault.open(db_path, passphrase=PASSPHRASE, backup_dir=tmp_path / "k", clock=clock)
    assert vault._key.unlock is not None and "unlock" not in repr(vault._key)
    with vault.reader() as connection:
        assert connection.execute(select(func.count()).select_from(Pupil)).scalar() == 1
    with vault.worker_session() as session:
        assert session.scalar(select(func.count()).select_from(Pupil)) == 1
    assert derived == [db_path.read_bytes()[:16]]  # once, over the file's own salt
    copy = vault.backup(SYSTEM, tmp_path / "kopie.db")
    conn = sqlcipher.connect(str(copy))  # the backup: its own salt, the passphrase as key
    conn.execute("PRAGMA key = 'Kluis van ''t Kasteel'")
    assert conn.execute("SELECT count(*) FROM pupil").fetchone()[0] == 1
    conn.close()
    assert copy.read_bytes()[:16] != db_path.read_bytes()[:16]
    restored = vault.restore(SYSTEM, copy)
    with restored.session() as session:
        assert session.scalar(select(func.count()).select_from(Pupil)) == 1
    restored.close(backup=False)


def test_a_backup_key_derived_ahead_serves_the_next_backup_only(db_path, clock, tmp_path,
                                                                monkeypatch):
    """An import asks for its backup's key ahead: derived on a thread of its own, over a salt
    of the copy's own, and used by the next backup (which then derives nothing); the backup
    after that derives its own again. Every copy opens with the passphrase alone."""
    import db.vault as vault_module

    vault, _ = Vault.create(db_path, passphrase=PASSPHRASE, clock=clock)
    with vault.session() as session:
        _school(session, clock)
        add_family(session, SYSTEM, clock, last_name="Bakker")
    vault.close(backup=False)
    vault = Vault.open(db_path, passphrase=PASSPHRASE, backup_dir=tmp_path / "k", clock=clock)
    derived = []
    real = vault_module.hashlib.pbkdf2_hmac
    monkeypatch.setattr(vault_module.hashlib, "pbkdf2_hmac",
                        lambda *args: derived.append((args[2], threading.current_thread()))
                        or real(*args))
    vault.derive_backup_key_ahead()
    vault.derive_backup_key_ahead()  # asked twice: one key ahead
    first = vault.backup(SYSTEM, tmp_path / "een.db")
    assert len(derived) == 1 and derived[0][1] is not threading.main_thread()
    assert first.read_bytes()[:16] == derived[0][0] != db_path.read_bytes()[:16]
    second = vault.backup(SYSTEM, tmp_path / "twee.db")
    assert len(derived) == 2 and derived[1][1] is threading.main_thread()
    assert second.read_bytes()[:16] == derived[1][0] != first.read_bytes()[:16]
    vault.close(backup=False)
    for copy in (first, second):
        conn = sqlcipher.connect(str(copy))
        conn.execute("PRAGMA key = 'Kluis van ''t Kasteel'")
        assert conn.execute("SELECT last_name FROM pupil").fetchall() == [("Bakker",)]
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        conn.close()


def test_a_keyring_register_derives_no_backup_key(vault, tmp_path, monkeypatch):
    import db.vault as vault_module

    monkeypatch.setattr(vault_module.hashlib, "pbkdf2_hmac",
                        lambda *args: pytest.fail("a raw key is never derived"))
    vault.derive_backup_key_ahead()
    assert vault._backup_key_ahead is None
    copy = vault.backup(SYSTEM, tmp_path / "kopie.db")
    reopened = Vault.open(copy, upgrade=False)
    reopened.close(backup=False)


def test_a_derivation_that_does_not_open_the_file_leaves_it_to_sqlcipher(db_path, clock,
                                                                          monkeypatch):
    import db.vault as vault_module

    vault, _ = Vault.create(db_path, passphrase=PASSPHRASE, clock=clock)
    vault.close(backup=False)
    monkeypatch.setattr(vault_module, "_KDF", ("sha512", 1000, 32))  # not SQLCipher's
    vault = Vault.open(db_path, passphrase=PASSPHRASE, clock=clock)
    assert vault._key.unlock is None
    with vault.reader() as connection:
        assert connection.execute(select(func.count()).select_from(Pupil)).scalar() == 0
    vault.close(backup=False)
    with pytest.raises(WrongKeyError, match="De sleutel of wachtwoordzin klopt niet"):
        Vault.open(db_path, passphrase="niet de goede")
