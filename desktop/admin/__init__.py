"""Beheer en verantwoording: users (UsersView, MANAGE_USERS), the audit log viewer
(AuditLogView, READ_AUDIT) and the inspection export (InspectionExportDialog, EXPORT).

For the main window: ``users_area()`` and ``audit_log_area()`` are navigation entries;
``open_inspection_export(context)`` opens the export dialog (e.g. from a menu item "Bestand >
Inspectie-export…", shown when ``may(user, Permission.EXPORT)``).
common.py holds the pieces the accountability areas share (coloured rows, field errors, the
save dialog).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from db.permissions import Permission


def _tr(text: str) -> str:
    return QCoreApplication.translate("Areas", text)


def users_area():  # noqa: ANN201 - desktop.main_window.Area
    from desktop.admin.users import UsersView
    from desktop.main_window import Area

    return Area(key="users", title=_tr("Gebruikers"),
                factory=lambda context: UsersView(context.vault, context.user, context.clock),
                permission=Permission.MANAGE_USERS)


def audit_log_area():  # noqa: ANN201 - desktop.main_window.Area
    from desktop.admin.audit_log import AuditLogView
    from desktop.main_window import Area

    return Area(key="audit_log", title=_tr("Auditlog"),
                factory=lambda context: AuditLogView(context.vault, context.user,
                                                     context.clock),
                permission=Permission.READ_AUDIT)


def open_inspection_export(context) -> None:  # noqa: ANN001 - desktop.main_window.AreaContext
    from desktop.admin.inspection import InspectionExportDialog

    InspectionExportDialog.ask(context.window, context.vault, context.user, clock=context.clock)


__all__ = ["audit_log_area", "open_inspection_export", "users_area"]
