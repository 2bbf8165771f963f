import os
import shutil
import socket
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import keyring
import pytest
from argon2 import PasswordHasher

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from db import keystore  # noqa: E402
from db.clock import Clock, fixed_clock  # noqa: E402
from db.register import NewSchool, set_up_register  # noqa: E402
from db.schema import Role  # noqa: E402
from db.school import initialise_register  # noqa: E402
from db.server import ServerAddress, ServerRegister, make_engine, store_password  # noqa: E402
from db.vault import Vault, read_sidecar, sidecar_path  # noqa: E402
from tests.support import postgres as pg  # noqa: E402
from tests.support.memkeyring import MemoryKeyring  # noqa: E402
from tests.support.postgres import TestServer, start_server  # noqa: E402
from tests.support.real_runs import RealRuns  # noqa: E402

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


@pytest.fixture(scope="session")
def real_runs(tmp_path_factory) -> RealRuns:
    """Registers made by real runs of the CLI, once per worker and recipe, for tests to copy
    (tests/support/real_runs.py)."""
    return RealRuns(tmp_path_factory.mktemp("real-runs"))


ENGINES = ("sqlcipher", "postgresql")
DB_TESTS = Path(__file__).parent / "db"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test under tests/db that uses the `vault` fixture runs on both engines: the
    SQLCipher file and the PostgreSQL server. A test about the file itself (its key, its
    backups, its -wal) is marked `sqlcipher_only` and runs on the file alone; elsewhere
    (tests/desktop) the register is the file."""
    if "register_engine" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("sqlcipher_only"):
        return
    if Path(metafunc.definition.path).is_relative_to(DB_TESTS):
        metafunc.parametrize("register_engine", ENGINES, indirect=True)


@pytest.fixture
def register_engine(request: pytest.FixtureRequest) -> str:
    """Which engine the `vault` fixture opens: "sqlcipher" unless parametrised (see above)."""
    return getattr(request, "param", "sqlcipher")


@pytest.fixture
def vault(register_engine, request):
    """A new register set up as a school's own (school, beheerder, default purposes and
    retention terms): the real path, not the demo. On the SQLCipher file (`file_vault`) or,
    for tests/db, also on the PostgreSQL server (`server_vault`)."""
    if register_engine == "postgresql":
        return request.getfixturevalue("server_vault")
    return request.getfixturevalue("file_vault")


@pytest.fixture
def file_vault(db_path, tmp_path, clock, register_template, memory_keyring):
    """The register on a real SQLCipher file: a copy of the run's template, opened with its
    key from this test's keyring."""
    template, raw = register_template
    shutil.copyfile(template, db_path)
    shutil.copyfile(sidecar_path(template), sidecar_path(db_path))
    keystore.store_key(read_sidecar(db_path)["database_id"], raw)
    opened = Vault.open(db_path, backup_dir=tmp_path / "backups", clock=clock)
    yield opened
    opened.engine.dispose()


SERVER_TEMPLATE = "register_template"
SERVER_WORK = "register_work"


@pytest.fixture(scope="session")
def postgres_admin(postgres_server):
    """One superuser connection (autocommit) for making and dropping test databases."""
    with postgres_server.connect() as admin:
        yield admin


@pytest.fixture(scope="session")
def server_template(postgres_server, postgres_admin) -> str:
    """The server's counterpart of `register_template`: a database made the real way
    (ServerRegister.create as the owner, grants for the application role, set_up_register),
    closed. Returns its name."""
    postgres_admin.execute(f"CREATE DATABASE {SERVER_TEMPLATE} OWNER {pg.OWNER}")
    address = ServerAddress.parse(postgres_server.url(SERVER_TEMPLATE, pg.OWNER))
    created = ServerRegister.create(address, database_id=uuid.uuid4().hex,
                                    password=postgres_server.owner_password,
                                    application_role=pg.APPLICATION, clock=fixed_clock(NOW))
    try:
        with created.session() as session:
            set_up_register(session, NewSchool("OBS De Klimop", "12AB", "beheer",
                                               ADMIN_PASSWORD, admin_role=Role.BEHEERDER),
                            clock=fixed_clock(NOW))
    finally:
        created.close()
    return SERVER_TEMPLATE


@pytest.fixture(scope="session")
def new_server_register(postgres_server, postgres_admin):
    """`new_server_register(name, clock)`: an empty register (schema at head, made by the owner,
    the application role's grants) in a new database of the test server, opened as the
    application role. For a module's own register; the databases go at the end of the run."""
    made: list[str] = []

    def new(name: str, clock: Clock | None = None) -> ServerRegister:
        name = f"{name}_{len(made) + 1}"
        postgres_admin.execute(f"CREATE DATABASE {name} OWNER {pg.OWNER}")
        made.append(name)
        owner = ServerAddress.parse(postgres_server.url(name, pg.OWNER))
        ServerRegister.create(owner, database_id=uuid.uuid4().hex,
                              password=postgres_server.owner_password,
                              application_role=pg.APPLICATION).close()
        return ServerRegister.open(ServerAddress.parse(postgres_server.url(name)),
                                   password=postgres_server.application_password,
                                   clock=clock or fixed_clock(NOW))

    yield new
    for name in made:
        postgres_admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


class ServerWorkspace:
    """The database the server tests of one worker take turns in: a copy of the template,
    put back to the template's rows before each test (tests/support/postgres.py: a few
    milliseconds, where a new database per test costs a third of a second)."""

    def __init__(self, server: TestServer, admin, template: str) -> None:
        self.server, self.admin, self.template = server, admin, template
        self.name = SERVER_WORK
        self.address = ServerAddress.parse(server.url(self.name))
        self.owner_address = ServerAddress.parse(server.url(self.name, pg.OWNER))
        self._copy()
        self.owner_engine = make_engine(self.owner_address, server.owner_password)
        with self.owner_engine.connect() as connection:
            self.snapshot = pg.take_snapshot(connection)

    def _copy(self) -> None:
        self.admin.execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
        self.admin.execute(f"CREATE DATABASE {self.name} TEMPLATE {self.template} "
                           f"OWNER {pg.OWNER}")

    def reset(self) -> None:
        """The template's rows back; connections a test left open are ended first. When
        that fails (a test changed the schema), the database is copied anew."""
        self.admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = %s AND usename = %s", (self.name, pg.APPLICATION))
        try:
            with self.owner_engine.begin() as connection:
                pg.restore_snapshot(connection, self.snapshot)
        except Exception:
            self.owner_engine.dispose()
            self._copy()

    def close(self) -> None:
        self.owner_engine.dispose()


@pytest.fixture(scope="session")
def server_workspace(postgres_server, postgres_admin, server_template):
    workspace = ServerWorkspace(postgres_server, postgres_admin, server_template)
    yield workspace
    workspace.close()


@pytest.fixture
def server_vault(server_workspace, clock, memory_keyring):
    """The register on the PostgreSQL server, as the application role (not the owner), its
    password from this test's keyring (which also holds the owner's, for tests that play the
    board's IT partner): the run's template register, fresh for this test."""
    server_workspace.reset()
    address = server_workspace.address
    store_password(address, server_workspace.server.application_password)
    store_password(server_workspace.owner_address, server_workspace.server.owner_password)
    opened = ServerRegister.open(address, clock=clock)
    yield opened
    opened.close()


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


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    """No 40 ms pause between tests on an xdist worker. With --reruns, pytest-rerunfailures
    asks the controller over a TCP socket before each test (a small write, then another
    before any reply): Nagle's algorithm holds the second until the first is acknowledged,
    and loopback acknowledges late. 2,000 empty tests took 45.6 s with -n 2 --reruns 1 and
    9.8 s with TCP_NODELAY (5.3 s without the plugin); pytest-rerunfailures issue 242."""
    sock = getattr(getattr(config, "failures_db", None), "sock", None)
    if hasattr(config, "workerinput") and isinstance(sock, socket.socket):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """One test of the frozen build first: building takes its worker a minute, and the other
    worker runs the suite beside it instead of the build running last, alone. The build's
    other tests stay where they are (last): by then they find it built (one worker waiting
    on the build's lock at the start would idle for that minute)."""
    frozen = [item for item in items
              if item.nodeid.startswith("tests/installer/test_frozen_build")]
    if frozen:
        items.remove(frozen[0])
        items.insert(0, frozen[0])
