"""The areas of the main window, in menu order. A new area is one register page
(desktop/kit/page.py) and one line here."""

from __future__ import annotations

from desktop.kit.page import Area, area_of, registered_pages

MENU = ("overview", "pupils", "consents", "photo_check", "breaches", "requests", "suppliers",
        "exchanges", "schoolgids", "processing", "retention", "users", "audit_log")


def menu() -> list[Area]:
    from desktop.admin import audit_log as _audit_log  # noqa: F401 - registers its page
    from desktop.admin import users as _users  # noqa: F401 - registers its page
    from desktop.breaches import page as _breaches  # noqa: F401 - registers its page
    from desktop.consents import page as _consents  # noqa: F401 - registers its page
    from desktop.overview import page as _overview  # noqa: F401 - registers its page
    from desktop.photo_check import page as _photo_check  # noqa: F401 - registers its page
    from desktop.processing import page as _processing  # noqa: F401 - registers its page
    from desktop.pupils import page as _pupils  # noqa: F401 - registers its page
    from desktop.requests import page as _requests  # noqa: F401 - registers its page
    from desktop.retention import page as _retention  # noqa: F401 - registers its page
    from desktop.schoolgids import page as _schoolgids  # noqa: F401 - registers its page
    from desktop.suppliers import page as _suppliers  # noqa: F401 - registers its pages

    pages = {page.KEY: area_of(page) for page in registered_pages()}
    return [pages[key] for key in MENU]
