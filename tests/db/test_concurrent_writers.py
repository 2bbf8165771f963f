"""Two workstations extend the one audit chain at the same time (issue 15, point 3).

Two real OS processes (multiprocessing 'spawn': fresh interpreters, connections of their
own) write into the same register at once, as the application role on the server and on the
same SQLCipher file (where SQLite's busy timeout makes the second writer wait). Every write
must arrive, no sequence number may be used twice, and `verify` must find the chain intact.
"""

from __future__ import annotations

import multiprocessing
from datetime import date

from sqlalchemy import func, select, text

from db import keystore
from db.audit import verify_chain
from db.pupils import GuardianInput, PupilInput, add_guardian, enrol_pupil
from db.schema import AuditEntry, ConsentEvent, ConsentPurpose, User
from db.server import load_password
from tests.db.helpers import on_server
from tests.support import concurrent_writer

ROUNDS = 150  # per process: a consent decision and an opened card each


def _family(vault, clock, last_name: str) -> tuple[int, int]:
    with vault.session() as session:
        actor = session.scalar(select(User).order_by(User.id))
        pupil = enrol_pupil(session, actor, PupilInput(
            first_name="Noor", last_name=last_name, date_of_birth=date(2017, 3, 1),
            group_name="4A", enrolled_on=date(2021, 8, 30)), clock=clock)
        mother = add_guardian(session, actor, pupil.id, GuardianInput(
            first_name="Anna", last_name=last_name, relation="moeder"), clock=clock)
        return pupil.id, mother.id


def _where(vault, tmp_path) -> dict:
    if on_server(vault):
        return {"engine": "postgresql", "url": str(vault.address),
                "password": load_password(vault.address)}
    return {"engine": "sqlcipher", "path": str(vault.path),
            "key": keystore.load_key(vault.database_id).hex(),
            "backups": str(tmp_path / "backups-child")}


def test_two_processes_extend_the_chain_without_losing_or_doubling_an_entry(vault, clock,
                                                                             tmp_path):
    families = [_family(vault, clock, "Visser"), _family(vault, clock, "Bakker")]
    with vault.session() as session:
        purpose = session.scalar(select(ConsentPurpose.id).where(
            ConsentPurpose.code == "foto_website"))
        before = session.scalar(select(func.max(AuditEntry.seq)))
    where = _where(vault, tmp_path)
    spawn = multiprocessing.get_context("spawn")
    start = spawn.Barrier(len(families))
    workers = [spawn.Process(target=concurrent_writer.write,
                             args=(where, pupil, purpose, guardian, ROUNDS, start))
               for pupil, guardian in families]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(600)  # a safety net for a hung child, not a measure of speed
        if worker.is_alive():
            worker.kill()
    assert [worker.exitcode for worker in workers] == [0, 0]

    with vault.session() as session:
        # no lost write: every decision of both processes is there, each with its entry
        for pupil, _ in families:
            assert session.scalar(select(func.count()).select_from(ConsentEvent)
                                  .where(ConsentEvent.pupil_id == pupil)) == ROUNDS
        new = session.execute(select(AuditEntry.seq, AuditEntry.action, AuditEntry.table_name,
                                     AuditEntry.record_id).where(AuditEntry.seq > before)
                              .order_by(AuditEntry.seq)).all()
        # no sequence number twice, none skipped (seq is the key; the count says no gap)
        assert [row.seq for row in new] == list(range(before + 1, before + 1 + len(new)))
        assert len(new) == 2 * len(families) * ROUNDS
        assert sum(row.action == "consent.record" for row in new) == 2 * ROUNDS
        assert sum(row.action == "pupil.open" for row in new) == 2 * ROUNDS
        # the two workstations really wrote at the same time: their entries interleave
        opened = [row.record_id for row in new if row.action == "pupil.open"]
        switches = sum(a != b for a, b in zip(opened, opened[1:], strict=False))
        assert switches > 1, "the processes did not overlap; the test proved nothing"
        report = verify_chain(session)
    assert report.ok, report.message
    assert report.entries == before + len(new)


def test_the_server_ends_a_transaction_a_hung_workstation_left_open(server_vault):
    """A workstation that hangs inside a transaction would hold the chain's lock: the server
    ends such a transaction once it has been idle for two minutes (db/server.py)."""
    with server_vault.session() as session:
        assert session.execute(text("SHOW idle_in_transaction_session_timeout")).scalar() \
            == "2min"
