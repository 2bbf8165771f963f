"""The start-up (issue 14): the first window is painted before the database stack is imported;
the register opens behind the login while the user types, and the login goes on to the main
window, whose overview counts come right after its first paint. Run in a child process: this
test process has imported everything long ago."""

import json
import os
import subprocess
import sys
from pathlib import Path

from db.vault import read_sidecar
from tests.conftest import ADMIN_PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def start(tmp_path, vault, memory_keyring, *args: str) -> dict:
    keys = tmp_path / "keyring.json"
    database_id = read_sidecar(vault.path)["database_id"]
    keys.write_text(json.dumps({f"Privacyregister/{database_id}":
                                memory_keyring.entries[("Privacyregister", database_id)]}))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT),
               PYTHON_KEYRING_BACKEND="tests.support.filekeyring.FileKeyring",
               FILE_KEYRING=str(keys), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    done = subprocess.run([sys.executable, str(ROOT / "tests" / "support" /
                                               "start_up_child.py"), str(vault.path), *args],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_login_is_painted_before_the_database_stack_is_imported_and_then_logs_in(
        tmp_path, vault, memory_keyring):
    vault.engine.dispose()
    seen = start(tmp_path, vault, memory_keyring, "beheer", ADMIN_PASSWORD)
    assert seen["painted"] == ["LoginDialog", "MainWindow"]
    assert seen["imported_at_first_paint"] == []  # no sqlalchemy, db.vault, argon2, keyring …
    assert seen["threads_at_first_paint"] == 1  # the opening starts after the paint
    assert seen["school"] == "Privacyregister van OBS De Klimop"
    assert seen["title"] == "Privacyregister — OBS De Klimop"
    assert seen["cards_at_first_paint"] == ["…"]  # no number before it is read
    assert seen["cards"] == {"pupils_current": "0", "guardians": "0", "consent_purposes": "9",
                             "open_breaches": "0", "open_requests": "0", "suppliers": "0"}
    assert any(text.startswith("Er is nog geen reservekopie") for text in seen["attention"])
    assert seen["exit"] == 0
    assert list((tmp_path / "data" / "Privacyregister" / "backups").glob("*.db"))

