"""A second workstation in a process of its own, for tests/db/test_concurrent_writers.py.

`write(where, pupil_id, purpose_id, guardian_id, rounds, start)` opens the register the test
made (the SQLCipher file with its raw key, or the PostgreSQL server as the application role),
meets the other process at `start` (a multiprocessing Barrier) so that both write at the
same time, and does `rounds` times what an office does all day, each in a transaction of its own:
records a consent decision (a write, then its audit entry) and opens the pupil's card (an audit
entry that follows no write of its own). Any error ends the process with a non-zero exit code.
Run under multiprocessing's 'spawn' start method: a fresh interpreter, nothing shared.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select

from db.clock import fixed_clock
from db.consents import record_decision
from db.pupils import record_opened
from db.schema import Channel, Decision, User

NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
# The processes meet at the barrier every STEP rounds. SQLite's lock is not fair: a process
# that writes back to back can take it again before the other's busy handler wakes up, and
# in a loop with no pause that can last beyond the busy timeout (5 s). Meeting every few
# rounds bounds that wait to a few rounds, as an office's pauses do, and keeps them writing
# at the same time from start to end.
STEP = 10


def open_register(where: dict):  # noqa: ANN201 - a Vault or a ServerRegister
    """The test's register, opened here; the OS keyring is never touched (an in-memory one)."""
    import keyring

    from tests.support.memkeyring import MemoryKeyring
    keyring.set_keyring(MemoryKeyring())
    if where["engine"] == "postgresql":
        from db.server import ServerAddress, ServerRegister
        return ServerRegister.open(ServerAddress.parse(where["url"]),
                                   password=where["password"], clock=fixed_clock(NOW))
    from db.vault import Vault
    return Vault.open(Path(where["path"]), raw_key=bytes.fromhex(where["key"]),
                      backup_dir=Path(where["backups"]), clock=fixed_clock(NOW),
                      upgrade=False)


def write(where: dict, pupil_id: int, purpose_id: int, guardian_id: int, rounds: int,
          start) -> None:  # noqa: ANN001 - a multiprocessing Barrier
    register = open_register(where)
    clock = fixed_clock(NOW)
    try:
        with register.session() as session:
            actor = session.scalar(select(User).order_by(User.id))
        for turn in range(rounds):
            if turn % STEP == 0:
                start.wait(120)  # a partner that died breaks the barrier
            with register.session() as session:
                record_decision(session, actor, pupil_id, purpose_id,
                                Decision.GIVEN if turn % 2 else Decision.REFUSED,
                                decided_on=date(2025, 9, 1), guardian_id=guardian_id,
                                channel=Channel.PAPER, clock=clock)
            with register.session() as session:
                record_opened(session, actor, pupil_id, clock=clock)
    finally:
        register.close(backup=False)
