"""An idle window holds no lock (issue 15, point 5): the office leaves the program open all
day, and another workstation (or the CLI, or a background task) must still be able to write.

With the main window open on a register and a few areas visited (and a pupil's card opened
and closed, which writes an audit entry), the window is idle. Then:
- on the SQLCipher file a second connection can BEGIN IMMEDIATE (take the write lock at once,
  with no busy wait) and write;
- on the PostgreSQL server pg_stat_activity shows no session of the register's database
  'idle in transaction' (a transaction left open holds its row locks and snapshot).
Each probe is first shown to see a lock that is held, so that it cannot pass by being blind.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, text

from db.pupils import PupilInput, enrol_pupil
from db.schema import Pupil, User
from db.vault import _raw_connect
from desktop.main_window import MainWindow
from desktop.pupils.card import PupilCard

VISITED = ("pupils", "consents", "breaches", "requests", "suppliers", "overview")


def _idle_window(qtbot, register, clock) -> MainWindow:
    with register.session() as session:
        admin = session.scalar(select(User).where(User.username == "beheer"))
        pupil_id = enrol_pupil(session, admin, PupilInput(
            first_name="Noor", last_name="Visser", date_of_birth=date(2017, 3, 1),
            group_name="4A", enrolled_on=date(2021, 8, 30)), clock=clock).id
    window = MainWindow(register, admin, clock=clock)
    qtbot.addWidget(window)
    window.show()
    for key in VISITED:
        assert window.show_area(key) is not None, key
    card = PupilCard(window, register, admin, pupil_id, clock=clock)  # audits the opening
    card.reject()
    card.deleteLater()
    qtbot.wait(0)  # the event loop turns once: what was queued has run
    return window


def _write_lock_free(vault) -> bool:
    """A second connection to the file takes the write lock at once and writes."""
    other = _raw_connect(vault.path, vault._key)
    try:
        other.execute("PRAGMA busy_timeout = 0")  # no waiting: a held lock shows at once
        try:
            other.execute("BEGIN IMMEDIATE")
        except Exception as error:  # sqlcipher3's OperationalError: database is locked
            assert "locked" in str(error)
            return False
        other.execute("UPDATE setting SET value = value WHERE key = 'database_id'")
        other.execute("COMMIT")
        return True
    finally:
        other.close()


def test_an_idle_window_on_the_file_leaves_the_write_lock_free(qtbot, vault, clock):
    window = _idle_window(qtbot, vault, clock)
    assert _write_lock_free(vault)
    # the probe sees a lock that is held: a session that wrote and did not commit
    held = vault.new_session()
    try:
        held.scalar(select(Pupil).order_by(Pupil.id)).notes = "iets"
        held.flush()
        assert not _write_lock_free(vault)
    finally:
        held.rollback()
        held.close()
    assert _write_lock_free(vault)
    window.close()


def _idle_in_transaction(postgres_admin, database: str) -> int:
    return postgres_admin.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
        "AND state LIKE 'idle in transaction%%'", (database,)).fetchone()[0]


def test_an_idle_window_on_the_server_leaves_no_transaction_open(qtbot, server_vault, clock,
                                                                   postgres_admin):
    database = server_vault.address.database
    window = _idle_window(qtbot, server_vault, clock)
    with server_vault.engine.connect() as probe:  # the pool is in use: some connections
        assert probe.execute(text("SELECT 1")).scalar() == 1  # exist, none in a transaction
    assert _idle_in_transaction(postgres_admin, database) == 0
    held = server_vault.new_session()
    try:
        held.scalar(select(Pupil.id))  # a read starts a transaction, left open
        assert _idle_in_transaction(postgres_admin, database) == 1
    finally:
        held.rollback()
        held.close()
    assert _idle_in_transaction(postgres_admin, database) == 0
    window.close()
