"""Where database keys live: the OS keyring (Windows Credential Manager), never a file."""

from __future__ import annotations

import logging
import sys

import keyring
import keyring.backends.fail
from keyring.errors import KeyringError

SERVICE = "Privacyregister"
log = logging.getLogger(__name__)


def configure_keyring() -> None:
    """In a frozen Windows build, name the Credential Manager backend explicitly.

    Entry-point discovery of backends is unreliable in a frozen app, and we never want
    keyrings.alt's plaintext file backend to become the default.
    """
    if sys.platform == "win32" and getattr(sys, "frozen", False):
        from keyring.backends.Windows import WinVaultKeyring

        keyring.set_keyring(WinVaultKeyring())


def keyring_usable() -> bool:
    """True when a real, secure keyring backend is available."""
    try:
        backend = keyring.get_keyring()
    except KeyringError:
        return False
    if isinstance(backend, keyring.backends.fail.Keyring):
        return False
    if type(backend).__module__.startswith("keyrings.alt"):
        return False  # plaintext or weakly encrypted files next to the database
    backends = getattr(backend, "backends", None)  # ChainerBackend
    return backends is None or bool(backends)


def load_key(database_id: str) -> bytes | None:
    """The raw key stored for this database, or None when the keyring has no (usable) entry."""
    try:
        value = keyring.get_password(SERVICE, database_id)
    except KeyringError:
        log.warning("keyring could not be read")
        return None
    if not value:
        return None
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        return None
    return raw if len(raw) == 32 else None


def store_key(database_id: str, raw_key: bytes) -> bool:
    """Store the raw key; False when the keyring refused (the recovery key still opens the file)."""
    try:
        keyring.set_password(SERVICE, database_id, raw_key.hex())
    except KeyringError:
        log.warning("keyring refused to store the key")
        return False
    return True


def forget_key(database_id: str) -> None:
    try:
        keyring.delete_password(SERVICE, database_id)
    except KeyringError:
        pass
