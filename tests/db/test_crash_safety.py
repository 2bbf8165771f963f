"""A process killed in the middle of a large write leaves a sound file: all or nothing."""

import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from db.schema import Pupil
from db.vault import Vault

CHILD = r"""
import os, sys
from datetime import UTC, datetime
from pathlib import Path
from sqlalchemy import insert
from db.schema import Pupil
from db.vault import Vault

vault = Vault.open(Path(sys.argv[1]), raw_key=bytes.fromhex(os.environ["TEST_RAW_KEY"]))
now = datetime.now(UTC)
rows = [{"first_name": "Kind", "last_name": f"Nummer {i}", "group_name": "3A",
         "created_at": now} for i in range(2000)]
with vault.session() as session:
    for batch in range(100):
        session.execute(insert(Pupil), rows)
        if batch == 5:
            print("bezig", flush=True)
print("klaar", flush=True)
"""

TOTAL = 200_000


@pytest.mark.sqlcipher_only  # SQLite's journal; on a server the engine rolls back a lost client
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("delay", [0.0, 0.15, 0.4])
def test_sigkill_during_a_large_transaction_leaves_all_or_nothing(vault, db_path,
                                                                  memory_keyring, delay):
    raw = memory_keyring.entries[("Privacyregister", vault.database_id)]
    vault.close(backup=False)
    env = dict(os.environ, TEST_RAW_KEY=raw, PYTHONPATH=os.getcwd())
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db_path)], env=env,
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "bezig"
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    again = Vault.open(db_path, raw_key=bytes.fromhex(raw))
    try:
        assert again.integrity_problems() == []
        with again.session() as session:
            count = session.scalar(select(func.count()).select_from(Pupil))
        assert count in (0, TOTAL)
    finally:
        again.close(backup=False)
