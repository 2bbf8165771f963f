"""Beheer en verantwoording: users (users.py: UsersPage, MANAGE_USERS), the audit log
(audit_log.py: AuditLogPage, READ_AUDIT) and the inspection export (inspection.py:
InspectionExportDialog, EXPORT), which the main window opens from Bestand > Inspectie-export….
"""

from __future__ import annotations

from typing import Any


def open_inspection_export(context: Any) -> None:
    """Bestand > Inspectie-export…: the dialog, freed when it closes."""
    from desktop.admin.inspection import InspectionExportDialog

    InspectionExportDialog.ask(context.window, context.vault, context.user, clock=context.clock)
