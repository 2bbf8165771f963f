"""Leerlingen en ouders/verzorgers: the pupil list, the pupil card, enrolment and import.

The main window registers ``PupilsView(vault, user, clock)``; the dialogs open from there.
"""

from desktop.pupils.card import PupilCard
from desktop.pupils.enrol_dialog import EnrolDialog
from desktop.pupils.import_wizard import ImportWizard
from desktop.pupils.table_model import PupilTableModel
from desktop.pupils.view import PupilsView

__all__ = ["EnrolDialog", "ImportWizard", "PupilCard", "PupilTableModel", "PupilsView",
           "pupils_area"]


def pupils_area():  # noqa: ANN201 - desktop.main_window.Area
    """The Leerlingen entry of the main window's navigation (for available_areas())."""
    from PySide6.QtCore import QCoreApplication

    from db.permissions import Permission
    from desktop.main_window import Area

    return Area(key="pupils", title=QCoreApplication.translate("Areas", "Leerlingen"),
                factory=lambda context: PupilsView(context.vault, context.user, context.clock),
                permission=Permission.READ_REGISTER)
