"""Toestemmingen: the consent matrix, history, purposes, 'Nog te vragen' and the prints
(ConsentsView), and the teacher's read-only 'Niet op de foto' (TeacherView).

Which page a user gets:
- READ_REGISTER (beheerder, administratie, directie, FG) → ConsentsView; recording needs
  RECORD_CONSENT, 'Doelen beheren…' needs MANAGE_PURPOSES (the view hides what may not be used);
- only READ_GROUP_PHOTO_LIST (leerkracht) → TeacherView;
- neither → no consent area.

For the main window: ``consents_area()`` is one Area that picks the page per user, and
``consent_area_for(user)`` gives (title, factory) for a window that wants a per-user title.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from db.permissions import Permission, may
from db.schema import User


def _tr(text: str) -> str:
    return QCoreApplication.translate("Areas", text)


def consent_page(context) -> QWidget:  # noqa: ANN001 - desktop.main_window.AreaContext
    """The page for the logged-in user: ConsentsView or TeacherView."""
    if may(context.user, Permission.READ_REGISTER):
        from desktop.consents.view import ConsentsView

        return ConsentsView(context.vault, context.user, context.clock)
    from desktop.consents.teacher_view import TeacherView

    return TeacherView(context.vault, context.user, context.clock)


def consent_area_for(user: User) -> tuple[str, Callable[..., QWidget]] | None:
    """(title, factory(context)) of the consent area this user gets, or None."""
    if may(user, Permission.READ_REGISTER):
        return _tr("Toestemmingen"), consent_page
    if may(user, Permission.READ_GROUP_PHOTO_LIST):
        return _tr("Niet op de foto"), consent_page
    return None


def consents_attention(context, session: Session) -> list:  # noqa: ANN001
    """'Aandacht nodig' for the overview: pupils still to be asked for consent."""
    from db.clock import local_today
    from db.consents import count_to_ask
    from desktop.kit.widgets import plural
    from desktop.main_window import Attention

    if not may(context.user, Permission.READ_REGISTER):
        return []
    waiting = count_to_ask(session, context.user, local_today(context.clock))
    if not waiting:
        return []
    text = plural(waiting, _tr("1 leerling is nog niet om toestemming gevraagd."),
                  _tr("%1 leerlingen zijn nog niet om toestemming gevraagd."))
    return [Attention(text=text, area="consents")]


def consents_area():  # noqa: ANN201 - desktop.main_window.Area
    """One navigation entry for everyone who may at least read the photo list."""
    from desktop.main_window import Area

    return Area(key="consents", title=_tr("Toestemmingen"), factory=consent_page,
                permission=Permission.READ_GROUP_PHOTO_LIST, attention=consents_attention)


__all__ = ["consent_area_for", "consent_page", "consents_area", "consents_attention"]
