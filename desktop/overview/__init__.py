"""Overzicht: the start page of the main window."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QIcon

from desktop.main_window import Area


def _icon() -> QIcon:
    """The platform's home icon (Segoe Fluent on Windows); none rather than a folder."""
    return QIcon.fromTheme(QIcon.ThemeIcon.GoHome)


def overview_area() -> Area:
    from desktop.overview.view import OverviewPage, overview_attention

    return Area(key="overview", title=QCoreApplication.translate("Areas", "Overzicht"),
                factory=OverviewPage, permission=None, icon=_icon,
                attention=overview_attention)


__all__ = ["overview_area"]
