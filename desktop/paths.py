"""Where the app keeps its files: %LOCALAPPDATA%\\Privacyregister on Windows, XDG on Linux."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "Privacyregister"


def data_dir() -> Path:
    return user_data_path(APP_NAME, appauthor=False, ensure_exists=False)


def default_database() -> Path:
    return data_dir() / "privacyregister.db"


def demo_database() -> Path:
    return data_dir() / "demo" / "privacyregister-demo.db"


def backup_dir() -> Path:
    return data_dir() / "backups"
