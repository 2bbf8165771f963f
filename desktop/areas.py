"""The areas of the main window, in menu order. A new area is one register page
(desktop/kit/page.py) and one line here."""

from __future__ import annotations

from desktop.kit.page import Area, area_of, registered_pages


def menu() -> list[Area]:
    from desktop.admin import audit_log as _audit_log  # noqa: F401 - registers its page
    from desktop.admin import users as _users  # noqa: F401 - registers its page
    from desktop.breaches import breaches_area
    from desktop.consents import consents_area
    from desktop.overview import page as _overview  # noqa: F401 - registers its page
    from desktop.pupils import pupils_area
    from desktop.requests import requests_area
    from desktop.retention import page as _retention  # noqa: F401 - registers its page
    from desktop.suppliers import page as _suppliers  # noqa: F401 - registers its pages

    pages = {page.KEY: area_of(page) for page in registered_pages()}
    return [pages["overview"], pupils_area(), consents_area(), breaches_area(), requests_area(),
            pages["suppliers"], pages["exchanges"], pages["retention"], pages["users"],
            pages["audit_log"]]
