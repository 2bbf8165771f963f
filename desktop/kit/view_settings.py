"""What this computer remembers of how the screens were left, such as a folded pane.

A preference of the person at this workstation, not part of the register: no personal data,
nothing another workstation needs, and no permission to ask for (the register's own settings
are in db/settings.py). Qt's QSettings, in an ini file in the user's settings folder
(%APPDATA%\\Privacyregister\\Privacyregister.ini on Windows, ~/.config on Linux). Tests point
that folder at a temporary one (tests/desktop/conftest.py).
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from desktop.paths import APP_NAME


def view_settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, APP_NAME, APP_NAME)


def remembered(key: str, default: bool = False) -> bool:
    """A yes/no this computer remembers (``default`` when it was never stored)."""
    return bool(view_settings().value(key, default, type=bool))


def remember(key: str, value: bool) -> None:
    settings = view_settings()
    settings.setValue(key, value)
    settings.sync()


def remembered_text(key: str, default: str = "") -> str:
    """A text this computer remembers (``default`` when it was never stored)."""
    return str(view_settings().value(key, default, type=str))


def remember_text(key: str, value: str) -> None:
    settings = view_settings()
    settings.setValue(key, value)
    settings.sync()
