"""Aanmelden: the right user comes back; a wrong password is told at the field, in Dutch."""

from sqlalchemy import select

from db.demo import DEMO_USERS
from db.schema import AuditEntry, Role
from db.users import create_user
from desktop.login_dialog import LoginDialog
from tests.conftest import ADMIN_PASSWORD


def make_dialog(qtbot, vault, clock, **kwargs) -> LoginDialog:
    dialog = LoginDialog(vault=vault, school_name="OBS De Klimop", clock=clock, **kwargs)
    qtbot.addWidget(dialog)
    return dialog


def test_login_returns_the_user(qtbot, vault, clock):
    dialog = make_dialog(qtbot, vault, clock)
    qtbot.keyClicks(dialog.username, "Beheer ")
    qtbot.keyClicks(dialog.password, ADMIN_PASSWORD)
    dialog.accept()
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    assert dialog.user.username == "beheer"


def test_wrong_password_is_told_at_the_field_and_audited(qtbot, vault, clock):
    dialog = make_dialog(qtbot, vault, clock)
    qtbot.keyClicks(dialog.username, "beheer")
    qtbot.keyClicks(dialog.password, "niet-het-wachtwoord")
    assert dialog.try_login() is None
    assert dialog.password_field.error.text() == "Gebruikersnaam of wachtwoord klopt niet."
    assert not dialog.password_field.error.isHidden()
    assert dialog.password.text() == ""  # typed again, not corrected
    with vault.session() as session:
        actions = session.scalars(select(AuditEntry.action)).all()
    assert "user.login_failed" in actions


def test_unknown_user_gets_the_same_message(qtbot, vault, clock):
    dialog = make_dialog(qtbot, vault, clock)
    qtbot.keyClicks(dialog.username, "niemand")
    qtbot.keyClicks(dialog.password, ADMIN_PASSWORD)
    assert dialog.try_login() is None
    assert dialog.password_field.error.text() == "Gebruikersnaam of wachtwoord klopt niet."


def test_empty_fields_are_named(qtbot, vault, clock):
    dialog = make_dialog(qtbot, vault, clock)
    assert dialog.try_login() is None
    assert dialog.username_field.error.text() == "Vul uw gebruikersnaam in."
    qtbot.keyClicks(dialog.username, "beheer")
    assert dialog.try_login() is None
    assert dialog.password_field.error.text() == "Vul uw wachtwoord in."


def test_demo_users_are_listed_and_a_click_fills_them_in(qtbot, vault, clock):
    with vault.session() as session:
        create_user(session, _beheer(session), "administratie", "demo-admin",
                    Role.ADMINISTRATIE, display_name="Demo Administratie", clock=clock)
    dialog = make_dialog(qtbot, vault, clock, demo_users=DEMO_USERS)
    table = dialog.demo_table
    assert table is not None and table.rowCount() == len(DEMO_USERS)
    rows = [[table.item(r, c).text() for c in range(3)] for r in range(table.rowCount())]
    assert ["administratie", "demo-admin", "Administratie"] in rows
    row = next(i for i, r in enumerate(rows) if r[0] == "administratie")
    table.setCurrentCell(row, 0)
    assert (dialog.username.text(), dialog.password.text()) == ("administratie", "demo-admin")
    user = dialog.try_login()
    assert user is not None and user.role == Role.ADMINISTRATIE


def test_without_demo_users_there_is_no_table(qtbot, vault, clock):
    assert make_dialog(qtbot, vault, clock).demo_table is None


def _beheer(session):
    from db.schema import User

    return session.scalar(select(User).where(User.username == "beheer"))


def test_aanmelden_before_the_register_is_open_waits_for_it_and_then_logs_in(qtbot, vault):
    from PySide6.QtWidgets import QApplication

    from desktop.opening import RegisterOpening

    vault.engine.dispose()
    opening = RegisterOpening(vault.path, None)
    dialog = LoginDialog(opening=opening, school_name="OBS De Klimop")
    qtbot.addWidget(dialog)
    assert dialog.vault is None and not opening.started  # starts when painted, or pressed
    qtbot.keyClicks(dialog.username, "beheer")
    qtbot.keyClicks(dialog.password, ADMIN_PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=20000):
        dialog.accept()
        assert dialog.user is None and QApplication.overrideCursor() is not None  # waiting
    try:
        assert dialog.user.username == "beheer"
        assert dialog.vault is opening.vault
        assert QApplication.overrideCursor() is None
    finally:
        opening.vault.close(backup=False)


def test_an_empty_field_is_told_at_once_without_waiting_for_the_register(qtbot, vault):
    from desktop.opening import RegisterOpening

    opening = RegisterOpening(vault.path, None)
    dialog = LoginDialog(opening=opening)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.username, "beheer")
    dialog.accept()
    assert dialog.password_field.error.text() == "Vul uw wachtwoord in."
    assert not opening.started and dialog.result() == 0


def test_the_login_closes_itself_when_the_register_does_not_open(qtbot, tmp_path):
    from desktop.opening import RegisterOpening

    bogus = tmp_path / "iets.db"
    bogus.write_bytes(b"geen database")
    dialog = LoginDialog(opening=RegisterOpening(bogus, None))
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.rejected, timeout=20000):
        dialog.show()  # the opening starts once the dialog is painted
    assert dialog.opening_failed and dialog.user is None


def test_a_register_of_several_schools_asks_which_school_and_remembers_it(qtbot, server_vault,
                                                                          clock):
    """A board's register on the server holds several schools, each with its own 'beheer':
    the log-in asks for the school, finds the name in that school, and the register then
    works for that school alone; the next log-in on this computer offers it first. A register
    of one school shows no choice (the tests above)."""
    from db.tenancy import SchoolScope
    from tests.db.test_schools import two_schools

    board = two_schools(server_vault, clock)
    server_vault.use_scope(None)
    dialog = make_dialog(qtbot, server_vault, clock)
    assert dialog.school.isVisibleTo(dialog) and dialog.school.count() == 2
    assert [dialog.school.itemText(i) for i in range(2)] == [
        "OBS De Klimop (12AB)", "OBS De Regenboog (34CD)"]
    dialog.school.setCurrentIndex(dialog.school.findData(board.b))
    qtbot.keyClicks(dialog.username, "beheer")
    qtbot.keyClicks(dialog.password, ADMIN_PASSWORD)
    dialog.accept()
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    assert dialog.user.id == board.admin_b.id and dialog.user.school_id == board.b
    assert server_vault.scope == SchoolScope(board.b)

    server_vault.use_scope(None)
    again = make_dialog(qtbot, server_vault, clock)
    assert again.school.currentData() == board.b  # remembered on this computer
    again.school.setCurrentIndex(again.school.findData(board.a))
    qtbot.keyClicks(again.username, "beheer")
    qtbot.keyClicks(again.password, ADMIN_PASSWORD)
    assert again.try_login().id == board.admin_a.id


def test_one_school_shows_no_choice_of_school(qtbot, vault, clock):
    dialog = make_dialog(qtbot, vault, clock)
    dialog.show()
    assert not dialog.school.isVisible() and dialog.school.count() == 0
