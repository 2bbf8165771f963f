"""Bewaartermijnen: what is due for deletion, the purge, the terms, and what was erased.

The main window registers ``retention_area()``: ``RetentionView(vault, user, clock)`` for users
with READ_REGISTER; deleting needs ERASE (directie, beheerder), changing a term SETTINGS.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from sqlalchemy.orm import Session

from db.permissions import Permission, may


def _tr(text: str) -> str:
    return QCoreApplication.translate("Areas", text)


def retention_attention(context, session: Session) -> list:  # noqa: ANN001
    """'Aandacht nodig' for whoever may delete: left pupils whose term has passed."""
    from db.clock import local_today
    from db.retention import due_items
    from desktop.kit.widgets import plural
    from desktop.main_window import Attention

    if not may(context.user, Permission.ERASE):
        return []
    pupils = {item.pupil_id for item in due_items(session, context.user,
                                                  local_today(context.clock))}
    if not pupils:
        return []
    return [Attention(text=plural(
        len(pupils), _tr("Van 1 vertrokken leerling is de bewaartermijn verstreken."),
        _tr("Van %1 vertrokken leerlingen is de bewaartermijn verstreken.")), area="retention")]


def retention_area():  # noqa: ANN201 - desktop.main_window.Area
    from desktop.main_window import Area
    from desktop.retention.view import RetentionView

    return Area(key="retention", title=_tr("Bewaartermijnen"),
                factory=lambda context: RetentionView(context.vault, context.user,
                                                      context.clock),
                permission=Permission.READ_REGISTER, attention=retention_attention)


__all__ = ["retention_area", "retention_attention"]
