"""Verzoeken van betrokkenen: the request list with its terms, and the dialogs to register,
extend, answer, export (inzage) and erase (verwijdering).

The main window registers ``requests_area()``: ``RequestsView(vault, user, clock)``, shown to
users with READ_REGISTER; acting needs HANDLE_REQUESTS, erasing also ERASE.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from sqlalchemy.orm import Session

from db.permissions import Permission, may


def _tr(text: str) -> str:
    return QCoreApplication.translate("Areas", text)


def requests_attention(context, session: Session) -> list:  # noqa: ANN001
    """'Aandacht nodig': requests past their term, and the open ones with the first deadline.
    (Replaces the overview's own 'verzoeken open' line once this area is registered.)"""
    from db.clock import local_today
    from db.overview import Level, request_level
    from db.requests import CLOSED, request_rows
    from db.text import format_dutch_date
    from desktop.kit.widgets import plural
    from desktop.main_window import Attention

    if not may(context.user, Permission.READ_REGISTER):
        return []
    today = local_today(context.clock)
    rows = [r for r in request_rows(session, context.user) if r.status not in CLOSED]
    overdue = [r for r in rows if r.overdue(today)]
    running = sorted((r for r in rows if not r.overdue(today)), key=lambda r: r.deadline)
    items = []
    if overdue:
        items.append(Attention(text=plural(
            len(overdue), _tr("1 verzoek van een ouder is niet binnen de termijn beantwoord."),
            _tr("%1 verzoeken van ouders zijn niet binnen de termijn beantwoord.")),
            area="requests", level=Level.LATE,
            target=overdue[0].id if len(overdue) == 1 else "overdue"))
    if running:
        text = plural(len(running), _tr("Er staat 1 verzoek open"),
                      _tr("Er staan %1 verzoeken open"))
        items.append(Attention(text=_tr("{open}; beantwoord het eerste uiterlijk op {day}.")
                               .format(open=text, day=format_dutch_date(running[0].deadline)),
                               area="requests", level=request_level(running[0], today),
                               target=running[0].id))
    return items


def requests_area():  # noqa: ANN201 - desktop.main_window.Area
    from desktop.main_window import Area
    from desktop.requests.view import RequestsView

    return Area(key="requests", title=_tr("Verzoeken"),
                factory=lambda context: RequestsView(context.vault, context.user, context.clock),
                permission=Permission.READ_REGISTER, attention=requests_attention)


__all__ = ["requests_area", "requests_attention"]
