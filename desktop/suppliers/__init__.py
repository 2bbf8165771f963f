"""Leveranciers (with their verwerkersovereenkomst) and uitwisselingen met derden.

The main window registers ``suppliers_area()``: ``SuppliersView(vault, user, clock)`` for users
with READ_REGISTER; changing suppliers needs MANAGE_SUPPLIERS, recording an exchange
HANDLE_REQUESTS.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from sqlalchemy.orm import Session

from db.permissions import Permission, may


def _tr(text: str) -> str:
    return QCoreApplication.translate("Areas", text)


def suppliers_attention(context, session: Session) -> list:  # noqa: ANN001
    """'Aandacht nodig': agreements that expired, are missing or end within three months."""
    from db.clock import local_today
    from db.suppliers import expiring_agreements
    from desktop.kit.widgets import plural
    from desktop.main_window import Attention

    if not may(context.user, Permission.READ_REGISTER):
        return []
    rows = expiring_agreements(session, context.user, local_today(context.clock))
    if not rows:
        return []
    return [Attention(text=plural(
        len(rows), _tr("1 verwerkersovereenkomst is verlopen, ontbreekt of verloopt binnenkort."),
        _tr("%1 verwerkersovereenkomsten zijn verlopen, ontbreken of verlopen binnenkort.")),
        area="suppliers")]


def suppliers_area():  # noqa: ANN201 - desktop.main_window.Area
    from desktop.main_window import Area
    from desktop.suppliers.view import SuppliersView

    return Area(key="suppliers", title=_tr("Leveranciers"),
                factory=lambda context: SuppliersView(context.vault, context.user,
                                                      context.clock),
                permission=Permission.READ_REGISTER, attention=suppliers_attention)


__all__ = ["suppliers_area", "suppliers_attention"]
