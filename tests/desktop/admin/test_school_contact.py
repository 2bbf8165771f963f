"""Contactgegevens school under Beheer: the dialog opens from the users page, refuses a wrong
address at its field, saves through db.school.set_school_contact (audited) and is freed."""

from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from db.schema import AuditEntry
from db.school import school_contact
from desktop.admin.school_contact import SchoolContactDialog
from desktop.admin.users import UsersPage
from desktop.kit.page import AreaContext


def test_the_beheerder_sets_the_school_contact_from_the_users_page(qtbot, vault, people,
                                                                    clock, windows):
    view = UsersPage(AreaContext(vault, people["beheer"], "OBS De Klimop", "12AB", clock=clock))
    qtbot.addWidget(view)
    assert view.buttons["contact"].isEnabled()
    assert view.buttons["contact"].text() == "Contactgegevens school…"

    def fill(dialog: SchoolContactDialog) -> None:
        assert dialog.privacy_email.text() == ""
        dialog.disclosure_address.setText("bij de conciërge")
        dialog.accept()
        assert dialog.errors.message("disclosure_address").startswith(
            "Vul bij het adres voor het melden van kwetsbaarheden een e-mailadres of een "
            "webadres")
        dialog.disclosure_address.setText("security@klimop.example")
        dialog.privacy_email.setText("privacy@klimop.example")
        dialog.parent_app.setEditText("Social Schools")

    windows.answer(SchoolContactDialog, QDialog.DialogCode.Accepted, before=fill)
    view.edit_contact()
    windows.assert_all_freed()
    with vault.session() as session:
        contact = school_contact(session, people["beheer"])
        actions = list(session.scalars(select(AuditEntry.action)
                                       .where(AuditEntry.action == "setting.update")))
    assert (contact.privacy_email, contact.disclosure_address, contact.parent_app) == (
        "privacy@klimop.example", "security@klimop.example", "Social Schools")
    assert len(actions) >= 3


def test_who_may_not_change_settings_sees_the_button_disabled_with_the_reason(
        qtbot, vault, people, clock):
    from desktop.schoolgids.page import SchoolgidsPage

    view = SchoolgidsPage(AreaContext(vault, people["office"], "OBS De Klimop", "12AB",
                                      clock=clock))
    qtbot.addWidget(view)
    button = view.buttons["contact"]
    assert not button.isEnabled()
    assert button.toolTip() == "Alleen de beheerder en de directie mogen instellingen wijzigen."
