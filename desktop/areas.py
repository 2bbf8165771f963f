"""The areas of the main window, in menu order. A new area is one register page
(desktop/kit/page.py) and one line here."""

from __future__ import annotations

from desktop.kit.page import Area, area_of, registered_pages


def menu() -> list[Area]:
    from desktop.admin import audit_log_area, users_area
    from desktop.breaches import page as _breaches  # noqa: F401 - registers its page
    from desktop.consents import page as _consents  # noqa: F401 - registers its page
    from desktop.overview import overview_area
    from desktop.pupils import page as _pupils  # noqa: F401 - registers its page
    from desktop.requests import page as _requests  # noqa: F401 - registers its page
    from desktop.retention import retention_area
    from desktop.suppliers import page as _suppliers  # noqa: F401 - registers its pages

    pages = {page.KEY: area_of(page) for page in registered_pages()}
    return [overview_area(), pages["pupils"], pages["consents"], pages["breaches"],
            pages["requests"],
            pages["suppliers"], pages["exchanges"], retention_area(), users_area(),
            audit_log_area()]
