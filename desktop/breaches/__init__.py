"""Datalekken: the register, registering and assessing a breach, sign-off, reports."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from sqlalchemy.orm import Session

from db.permissions import Permission, may
from desktop.breaches.view import BreachesView

__all__ = ["BreachesView", "breaches_area"]


def _tr(text: str) -> str:
    return QCoreApplication.translate("Areas", text)


def breaches_attention(context, session: Session) -> list:  # noqa: ANN001
    """'Aandacht nodig': breaches whose 72 hours have run out, and those closing in."""
    from datetime import timedelta

    from db.breaches import breach_rows
    from db.overview import breach_level
    from desktop.main_window import Attention

    if not may(context.user, Permission.READ_REGISTER):
        return []
    now = context.clock()
    items = []
    for row in breach_rows(session, context.user):
        status = row.deadline(now)
        level = breach_level(status)  # db.overview: late, soon or None
        if status.overdue:
            items.append(Attention(text=_tr("Datalek {ref}: de 72-uurstermijn is verstreken "
                                            "zonder melding bij de AP.").format(
                                                ref=row.reference), area="breaches",
                                   level=level, target=row.id))
        elif status.applies and not status.done and status.remaining < timedelta(hours=72):
            items.append(Attention(text=_tr("Datalek {ref}: {label}.").format(
                ref=row.reference, label=status.label), area="breaches", level=level,
                target=row.id))
    return items


def breaches_page(context):  # noqa: ANN001, ANN201
    """The register; for those who handle breaches also the (confidential) reports tab."""
    from PySide6.QtWidgets import QTabWidget

    from desktop.breaches.reports import VulnerabilityReportsView

    view = BreachesView(context.vault, context.user, context.clock)
    if not may(context.user, Permission.RECORD_BREACH):
        return view
    tabs = QTabWidget()
    tabs.addTab(view, _tr("Datalekken"))
    tabs.addTab(VulnerabilityReportsView(context.vault, context.user, context.clock),
                _tr("Kwetsbaarheidsmeldingen"))
    return tabs


def breaches_area():  # noqa: ANN201 - desktop.main_window.Area
    from desktop.main_window import Area

    return Area(key="breaches", title=_tr("Datalekken"), factory=breaches_page,
                permission=Permission.READ_REGISTER, attention=breaches_attention)
