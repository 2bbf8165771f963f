"""Gebruikers: add a leerkracht, change, reset a password; only a beheerder manages users; the
idle-lock minutes are typed settings; the dialogs are freed after they close."""

from PySide6.QtWidgets import QDialog, QMessageBox
from sqlalchemy import select

from db.permissions import SYSTEM
from db.schema import Role, User
from db.users import authenticate
from desktop.admin.users import EditUserDialog, NewUserDialog, PasswordDialog, UsersPage
from desktop.kit.page import AreaContext


def make_view(qtbot, vault, user, clock) -> UsersPage:
    view = UsersPage(AreaContext(vault, user, "OBS De Klimop", "12AB", clock=clock))
    qtbot.addWidget(view)
    view.resize(1150, 690)
    view.show()
    return view


def test_add_a_teacher_and_reset_her_password(qtbot, vault, people, clock, boxes,
                                              qtmodeltester):
    admin = people["beheer"]
    view = make_view(qtbot, vault, admin, clock)
    qtmodeltester.check(view.model)
    before = view.model.rowCount()

    dialog = NewUserDialog(view, vault, admin, clock=clock)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.display_name, "Meester Bas")
    qtbot.keyClicks(dialog.username, "bas")
    dialog.roles.role.setCurrentIndex(dialog.roles.role.findData(Role.LEERKRACHT))
    assert dialog.roles.group.isEnabled()
    assert "Niet op de foto" in dialog.roles.explained.text()
    dialog.password.setText("kort")
    dialog.repeat.setText("kort")
    dialog.accept()
    assert dialog.errors.message("group").startswith("Vul de groep van de leerkracht in")
    qtbot.keyClicks(dialog.roles.group, "6B")
    dialog.accept()
    assert dialog.errors.message("password") == "Een wachtwoord heeft minstens 8 tekens."
    dialog.password.setText("school-2026")
    dialog.repeat.setText("school-2027")
    dialog.accept()
    assert dialog.errors.message("repeat").startswith("De twee wachtwoorden zijn niet gelijk")
    dialog.repeat.setText("school-2026")
    dialog.accept()
    assert dialog.user_id is not None

    view.refresh(select_id=dialog.user_id)
    assert view.model.rowCount() == before + 1
    line = view.current_line()
    assert (line.display_name, line.username, line.group_name) == ("Meester Bas", "bas", "6B")
    assert view.model.data(view.model.index(view.table.row_of(line.id), 2)) == "Leerkracht"
    assert view.edit_button.isEnabled() and view.password_button.isEnabled()

    reset = PasswordDialog(view, vault, admin, line, clock=clock)
    qtbot.addWidget(reset)
    reset.password.setText("nieuw-wachtwoord")
    reset.repeat.setText("nieuw-wachtwoord!")
    reset.accept()
    assert reset.errors.message("repeat")
    reset.repeat.setText("nieuw-wachtwoord")
    reset.accept()
    assert reset.result() == reset.DialogCode.Accepted
    with vault.session() as session:
        assert authenticate(session, "bas", "nieuw-wachtwoord", clock=clock).id == line.id


def test_block_a_user_but_not_yourself(qtbot, vault, people, clock):
    admin = people["beheer"]
    view = make_view(qtbot, vault, admin, clock)
    view.select_user(people["office"].id)
    dialog = EditUserDialog(view, vault, admin, view.current_line(), clock=clock)
    qtbot.addWidget(dialog)
    dialog.active.setChecked(False)
    dialog.accept()
    view.refresh()
    blocked = view.current_line()
    assert not blocked.active and view.model.data(
        view.model.index(view.table.row_of(blocked.id), 4)) == "geblokkeerd"

    view.select_user(admin.id)
    own = EditUserDialog(view, vault, admin, view.current_line(), clock=clock)
    qtbot.addWidget(own)
    own.roles.role.setCurrentIndex(own.roles.role.findData(Role.DIRECTIE))
    own.accept()
    assert own.errors.message("role").startswith("U kunt uw eigen rol of toegang niet wijzigen")


def test_only_a_beheerder_manages_users(qtbot, vault, people, clock):
    view = make_view(qtbot, vault, people["dir"], clock)
    assert not hasattr(view, "table") and "add" not in view.buttons  # nothing built
    assert "U mag gebruikers niet beheren met de rol Directie" in view.locked_label.text()
    assert view.pages.currentWidget() is view.locked_label


def test_the_idle_minutes_are_set_in_the_users_view(qtbot, vault, clock):
    from desktop.idle_lock import idle_minutes

    with vault.session() as session:
        admin = session.scalar(select(User))
    view = make_view(qtbot, vault, admin, clock)
    assert view.idle_minutes.value() == idle_minutes(vault, SYSTEM) == 10
    assert (view.idle_minutes.minimum(), view.idle_minutes.maximum()) == (1, 240)
    view.idle_minutes.setValue(3)
    assert view.save_idle_minutes()
    assert idle_minutes(vault, SYSTEM) == 3
    view.refresh()
    assert view.idle_minutes.value() == 3


def test_every_user_dialog_is_freed_after_it_closes(qtbot, vault, people, clock, windows):
    view = make_view(qtbot, vault, people["beheer"], clock)
    view.select_user(people["office"].id)

    def fill_new(dialog):
        dialog.display_name.setText("Meester Bas")
        dialog.username.setText("bas")
        dialog.password.setText("school-2026")
        dialog.repeat.setText("school-2026")

    windows.answer(NewUserDialog, QDialog.DialogCode.Accepted, before=fill_new)
    view.add_user()
    assert view.current_line().username == "bas"
    windows.answer(EditUserDialog)
    view.edit_user()

    def fill_password(dialog):
        dialog.password.setText("nieuw-wachtwoord")
        dialog.repeat.setText("nieuw-wachtwoord")

    windows.answer(PasswordDialog, QDialog.DialogCode.Accepted, before=fill_password)
    windows.answer(QMessageBox, click="OK")  # "Het nieuwe wachtwoord … is ingesteld."
    view.reset_password()
    assert [type(w).__name__ for w in windows.seen] == [
        "NewUserDialog", "EditUserDialog", "PasswordDialog", "QMessageBox"]
    windows.assert_all_freed()
