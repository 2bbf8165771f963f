"""The areas of the main window, in menu order. A new area is one register page
(desktop/kit/page.py) and one line here.

The menu is made from this table alone: an area's module (its page, its dialogs, what it
prints with) is imported when the area is first opened, or when the overview asks the areas
that report something what needs attention. The start-up imports them all on its background
thread while the user types (desktop/opening.py). Key, title, permission and icon here are
those of the page class; tests/desktop/test_main_window.py holds the two to each other.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QIcon
from sqlalchemy.orm import Session

from db.permissions import Permission
from desktop.kit.page import Area, AreaContext, Attention, RegisterPage, tr


def home_icon() -> QIcon:
    """The platform's home icon (Segoe Fluent on Windows); none rather than a folder."""
    return QIcon.fromTheme(QIcon.ThemeIcon.GoHome)


@dataclass(frozen=True)
class AreaEntry:
    """One line of the menu: which page class in which module, and what the menu shows."""

    key: str
    module: str
    page: str  # the RegisterPage subclass in `module`
    title: str  # QT_TRANSLATE_NOOP("Areas", …), as the page's TITLE
    permission: Permission | None  # as the page's PERMISSION
    attention: bool = False  # the page reports what needs attention (its own attention())
    icon: Callable[[], QIcon] | None = None

    def page_class(self) -> type[RegisterPage]:
        """The page class; imports the area's module the first time."""
        return getattr(importlib.import_module(self.module), self.page)

    def area(self) -> Area:
        def factory(context: AreaContext) -> object:
            return self.page_class().create(context)

        def attention(context: AreaContext, session: Session) -> list[Attention]:
            return self.page_class().attention(context, session)

        return Area(key=self.key, title=tr("Areas", self.title), factory=factory,
                    permission=self.permission, icon=self.icon,
                    attention=attention if self.attention else None)


READ = Permission.READ_REGISTER
ENTRIES = (
    AreaEntry("overview", "desktop.overview.page", "OverviewPage",
              QT_TRANSLATE_NOOP("Areas", "Overzicht"), None, attention=True, icon=home_icon),
    AreaEntry("board", "desktop.board.page", "BoardPage",
              QT_TRANSLATE_NOOP("Areas", "Bestuursoverzicht"), Permission.READ_BOARD),
    AreaEntry("pupils", "desktop.pupils.page", "PupilsPage",
              QT_TRANSLATE_NOOP("Areas", "Leerlingen"), READ),
    AreaEntry("consents", "desktop.consents.page", "ConsentsPage",
              QT_TRANSLATE_NOOP("Areas", "Toestemmingen"), Permission.READ_GROUP_PHOTO_LIST,
              attention=True),
    AreaEntry("photo_check", "desktop.photo_check.page", "PhotoCheckPage",
              QT_TRANSLATE_NOOP("Areas", "Fotocheck"), Permission.READ_GROUP_PHOTO_LIST),
    AreaEntry("breaches", "desktop.breaches.page", "BreachesPage",
              QT_TRANSLATE_NOOP("Areas", "Datalekken"), READ, attention=True),
    AreaEntry("requests", "desktop.requests.page", "RequestsPage",
              QT_TRANSLATE_NOOP("Areas", "Verzoeken"), READ, attention=True),
    AreaEntry("suppliers", "desktop.suppliers.page", "SuppliersPage",
              QT_TRANSLATE_NOOP("Areas", "Leveranciers"), READ, attention=True),
    AreaEntry("exchanges", "desktop.suppliers.page", "ExchangesPage",
              QT_TRANSLATE_NOOP("Areas", "Uitwisselingen"), READ),
    AreaEntry("schoolgids", "desktop.schoolgids.page", "SchoolgidsPage",
              QT_TRANSLATE_NOOP("Areas", "Schoolgids"), READ),
    AreaEntry("processing", "desktop.processing.page", "ProcessingPage",
              QT_TRANSLATE_NOOP("Areas", "Verwerkingsregister"), READ),
    AreaEntry("retention", "desktop.retention.page", "RetentionPage",
              QT_TRANSLATE_NOOP("Areas", "Bewaartermijnen"), READ, attention=True),
    AreaEntry("users", "desktop.admin.users", "UsersPage",
              QT_TRANSLATE_NOOP("Areas", "Gebruikers"), Permission.MANAGE_USERS,
              attention=True),
    AreaEntry("audit_log", "desktop.admin.audit_log", "AuditLogPage",
              QT_TRANSLATE_NOOP("Areas", "Auditlog"), Permission.READ_AUDIT),
)
MENU = tuple(entry.key for entry in ENTRIES)


def menu() -> list[Area]:
    """Every area, in menu order, without importing any area's module."""
    return [entry.area() for entry in ENTRIES]


def import_area_modules() -> None:
    """Import every area's module now (the start-up's background thread does, while the user
    types)."""
    for entry in ENTRIES:
        importlib.import_module(entry.module)
