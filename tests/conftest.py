import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import keyring
import pytest
from argon2 import PasswordHasher

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from db import keystore  # noqa: E402
from db.clock import fixed_clock  # noqa: E402
from db.register import NewSchool, set_up_register  # noqa: E402
from db.schema import Role  # noqa: E402
from db.school import initialise_register  # noqa: E402
from db.vault import Vault, read_sidecar, sidecar_path  # noqa: E402
from tests.support.memkeyring import MemoryKeyring  # noqa: E402
from tests.support.postgres import TestServer, start_server  # noqa: E402

NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
ADMIN_PASSWORD = "geheim-wachtwoord"


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path_factory, monkeypatch):
    """The app's data dir (backups, demo database) lives in a temp dir during tests."""
    home = tmp_path_factory.mktemp("data-home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    monkeypatch.setenv("LOCALAPPDATA", str(home))
    return home


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch):
    """Every test gets an empty in-memory keyring; the real OS keyring is never touched."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    monkeypatch.delenv("PRIVACYREGISTER_PASSPHRASE", raising=False)
    monkeypatch.delenv("PRIVACYREGISTER_ADMIN_PASSWORD", raising=False)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def restore_umask():
    """cli.main() and app.main() set umask 077 for their process; a test calling them
    in-process gets the pytest process's umask back afterwards."""
    previous = os.umask(0o022)
    os.umask(previous)
    yield
    os.umask(previous)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[TestServer]:
    """A throw-away PostgreSQL server on loopback with TLS (tests/support/postgres.py), one
    per xdist worker, started when the first test asks for it and stopped at the end of the
    run (also when tests fail; a killed worker takes its server down with it)."""
    server = start_server()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def clock():
    return fixed_clock(NOW)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "register.db"


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashing():
    """Argon2 with its cheapest parameters inside the test run only: a register is set up in
    almost every test, and the production cost (64 MiB, 3 passes) is there to be slow.
    tests/db/test_users_hashing.py holds the production parameters to their own test."""
    import db.users

    production = db.users._hasher
    db.users._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    yield
    db.users._hasher = production


@pytest.fixture(scope="session")
def register_template(tmp_path_factory):
    """One register made the real way (Vault.create + set_up_register) per test run, closed;
    `vault` copies it for each test. Returns (file, raw key)."""
    folder = tmp_path_factory.mktemp("template")
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        created, _ = Vault.create(folder / "register.db", clock=fixed_clock(NOW))
        with created.session() as session:
            set_up_register(session, NewSchool("OBS De Klimop", "12AB", "beheer",
                                               ADMIN_PASSWORD, admin_role=Role.BEHEERDER),
                            clock=fixed_clock(NOW))
        raw = keystore.load_key(created.database_id)
        created.close(backup=False)
    finally:
        keyring.set_keyring(previous)
    assert not Path(f"{folder / 'register.db'}-wal").exists()
    return folder / "register.db", raw


@pytest.fixture
def vault(db_path, tmp_path, clock, register_template, memory_keyring):
    """A new register set up as a school's own (school, beheerder, default purposes and
    retention terms) on a real SQLCipher file: the real path, not the demo. A copy of the
    run's template, opened with its key from this test's keyring."""
    template, raw = register_template
    shutil.copyfile(template, db_path)
    shutil.copyfile(sidecar_path(template), sidecar_path(db_path))
    keystore.store_key(read_sidecar(db_path)["database_id"], raw)
    opened = Vault.open(db_path, backup_dir=tmp_path / "backups", clock=clock)
    yield opened
    opened.engine.dispose()


@pytest.fixture
def bare_vault(db_path, tmp_path, clock):
    """A register as version 0.1.0 left it after `init`: the school and its beheerder, no
    default purposes or retention terms."""
    created, _ = Vault.create(db_path, backup_dir=tmp_path / "backups", clock=clock)
    with created.session() as session:
        initialise_register(session, school_name="OBS De Klimop", brin="12AB",
                            admin_username="beheer", admin_password=ADMIN_PASSWORD,
                            admin_role=Role.BEHEERDER, clock=clock)
    yield created
    created.engine.dispose()
