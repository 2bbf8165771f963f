"""The sidecar beside a register: ``<file>.json`` with the database id and the key mode,
nothing secret and nothing personal (written by db/vault.py).

Standard library only, so the desktop can read the key mode before its first window, without
loading the database stack (desktop/app.py: a passphrase register is asked for its passphrase
first; any other register shows the login while it opens).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

PASSPHRASE_ENV = "PRIVACYREGISTER_PASSPHRASE"


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def read_sidecar(path: Path) -> dict:
    try:
        return json.loads(sidecar_path(path).read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def passphrase_to_ask(path: Path) -> bool:
    """The register at `path` is locked with a passphrase and none is in the environment:
    the user must type it before anything else."""
    return read_sidecar(path).get("key_mode") == "passphrase" and not os.environ.get(
        PASSPHRASE_ENV)
