"""A stand-in for Windows Credential Manager in a child process (the start-up test, the GUI
benchmark): a keyring backend that keeps its entries in the JSON file named by
FILE_KEYRING (made-up test keys only; never used in production). Chosen with
PYTHON_KEYRING_BACKEND=tests.support.filekeyring.FileKeyring, so the application imports keyring
where it always does, not earlier for a test's sake."""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend


class FileKeyring(KeyringBackend):
    priority = 1

    @staticmethod
    def _file() -> Path:
        return Path(os.environ["FILE_KEYRING"])

    def _entries(self) -> dict[str, str]:
        file = self._file()
        return json.loads(file.read_text("utf-8")) if file.is_file() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._entries().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        entries = self._entries()
        entries[f"{service}/{username}"] = password
        self._file().write_text(json.dumps(entries), "utf-8")

    def delete_password(self, service: str, username: str) -> None:
        entries = self._entries()
        entries.pop(f"{service}/{username}", None)
        self._file().write_text(json.dumps(entries), "utf-8")
