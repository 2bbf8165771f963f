"""The main window: areas by permission, Ctrl+number, status bar, backup, logout."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox
from sqlalchemy import select

from db.permissions import Permission
from db.schema import Role, User
from db.users import create_user
from desktop.kit.page import area_of
from desktop.main_window import Area, Attention, MainWindow, available_areas
from desktop.overview.page import OverviewPage
from tests.conftest import ADMIN_PASSWORD


def beheerder(vault) -> User:
    with vault.session() as session:
        return session.scalar(select(User).where(User.username == "beheer"))


def add_user(vault, clock, username: str, role: Role) -> User:
    with vault.session() as session:
        admin = session.scalar(select(User).where(User.username == "beheer"))
        return create_user(session, admin, username, "wachtwoord-123", role,
                           display_name=username.title(), clock=clock)


def make_window(qtbot, vault, user, clock, **kwargs) -> MainWindow:
    window = MainWindow(vault, user, clock=clock, **kwargs)
    qtbot.addWidget(window)
    return window


def label_page(text: str):
    return lambda context: QLabel(text)


def test_title_status_bar_and_overview(qtbot, vault, clock):
    window = make_window(qtbot, vault, beheerder(vault), clock)
    assert window.windowTitle() == "Privacyregister — OBS De Klimop"
    assert window.user_label.text() == "Aangemeld als beheer (Beheerder)"
    assert [window.nav.item(i).text() for i in range(window.nav.count())][:2] == \
        ["Overzicht", "Leerlingen"]
    assert isinstance(window.stack.currentWidget(), OverviewPage)


def test_areas_the_role_may_not_use_are_hidden(qtbot, vault, clock):
    areas = [area_of(OverviewPage),
        Area("breaches", "Datalekken", label_page("lekken"), Permission.RECORD_BREACH),
        Area("audit", "Auditlog", label_page("log"), Permission.READ_AUDIT),
    ]
    fg = add_user(vault, clock, "fg", Role.FG)
    window = make_window(qtbot, vault, fg, clock, areas=areas)
    assert [area.key for area in window.areas] == ["overview", "audit"]
    assert window.nav.count() == 2


def test_ctrl_number_switches_area_and_pages_are_made_once(qtbot, vault, clock):
    made = []

    def factory(context):
        made.append(context.user.username)
        return QLabel("tweede")

    areas = [area_of(OverviewPage), Area("second", "Tweede", factory)]
    window = make_window(qtbot, vault, beheerder(vault), clock, areas=areas)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    assert made == []  # made when first opened
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_area().key == "second"
    assert window.stack.currentWidget().text() == "tweede"
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_area().key == "overview"
    window.show_area("second")
    assert made == ["beheer"]


def test_overview_shows_counts_and_what_needs_attention(qtbot, vault, clock):
    extra = Area("requests", "Verzoeken", label_page("verzoeken"),
                 attention=lambda context, session: [Attention("Verzoek 3 verloopt morgen.",
                                                               area="requests")])
    window = make_window(qtbot, vault, beheerder(vault), clock,
                         areas=available_areas() + [extra])
    page = window.stack.currentWidget()
    assert page.cards["pupils_current"].number.text() == "0"
    texts = [item.text for item in page.attention_items]
    assert "Verzoek 3 verloopt morgen." in texts
    assert any(text.startswith("Er is nog geen reservekopie gemaakt") for text in texts)
    row = page.attention_box.itemAt(texts.index("Verzoek 3 verloopt morgen.")).widget()
    row.button.click()
    assert window.current_area().key == "requests"


def test_teacher_sees_no_counts(qtbot, vault, clock):
    teacher = add_user(vault, clock, "juf", Role.LEERKRACHT)
    window = make_window(qtbot, vault, teacher, clock)
    page = window.stack.currentWidget()
    assert page.cards == {} and page.attention_items == []
    assert not window.backup_action.isVisible()


def test_backup_action_makes_a_backup_and_the_warning_goes(qtbot, vault, clock, monkeypatch):
    messages = []
    monkeypatch.setattr(QMessageBox, "exec",
                        lambda box: messages.append(box.informativeText()) or 0)
    window = make_window(qtbot, vault, beheerder(vault), clock)
    page = window.stack.currentWidget()
    assert any("reservekopie" in item.text for item in page.attention_items)
    task = window.make_backup(blocking=True)  # the GUI runs it on a worker; blocking: tests
    (target,) = vault.list_backups()
    assert task is not None and target.is_file()
    assert target.name in messages[0]
    assert not any("reservekopie" in item.text for item in page.attention_items)
    assert "Laatste reservekopie: 24-11-2026 10:30" == page.count_label.text()


def test_logout_and_quit_are_told_apart(qtbot, vault, clock):
    window = make_window(qtbot, vault, beheerder(vault), clock)
    window.show()
    with qtbot.waitSignal(window.logout_requested, timeout=1000):
        window.logout_action.trigger()
    other = make_window(qtbot, vault, beheerder(vault), clock)
    other.show()
    with qtbot.waitSignal(other.quit_requested, timeout=1000):
        other.quit_action.trigger()
    assert other.quit_action.shortcut().toString() == "Ctrl+Q"


def test_about_names_the_version(qtbot, vault, clock, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append(text))
    make_window(qtbot, vault, beheerder(vault), clock).about_action.trigger()
    assert "Privacyregister 0." in shown[0]


def test_the_pupils_area_is_registered_for_users_who_read_the_register():
    from desktop.main_window import available_areas

    areas = {area.key: area for area in available_areas()}
    assert "pupils" in areas and areas["pupils"].title == "Leerlingen"


def test_teacher_sees_the_photo_list_area_but_not_the_pupils(qtbot, vault, clock):
    teacher = add_user(vault, clock, "meester", Role.LEERKRACHT)
    window = make_window(qtbot, vault, teacher, clock)
    assert [area.key for area in window.areas] == ["overview", "consents", "photo_check"]


def test_every_area_is_registered_and_the_window_locks_when_idle(qtbot, vault, clock):
    from desktop.main_window import available_areas

    assert [area.key for area in available_areas()] == [
        "overview", "board", "pupils", "consents", "photo_check", "breaches", "requests",
        "suppliers", "exchanges", "schoolgids", "processing", "retention", "users", "audit_log"]
    window = make_window(qtbot, vault, beheerder(vault), clock)
    assert window.inspection_action.isEnabled()  # the beheerder may export
    window.idle_lock.lock_now()
    assert window.idle_lock.is_locked
    assert not window.idle_lock.unlock("fout")
    assert window.idle_lock.unlock(ADMIN_PASSWORD) and not window.idle_lock.is_locked


def test_the_menu_says_what_each_page_says_and_imports_no_page():
    """desktop/areas.py names each area's page, title, permission, icon and whether it reports
    what needs attention, so that the menu is made without importing the pages."""
    import subprocess
    import sys

    from desktop.areas import ENTRIES

    for entry in ENTRIES:
        page = entry.page_class()
        assert (page.KEY, page.TITLE, page.PERMISSION, page.ICON) == (
            entry.key, entry.title, entry.permission, entry.icon)
        assert entry.attention == ("attention" in vars(page)), entry.key
    modules = sorted({entry.module for entry in ENTRIES})
    code = ("import sys; from desktop.main_window import available_areas; available_areas(); "
            f"print(sorted(m for m in {modules!r} if m in sys.modules))")
    imported = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True).stdout.strip()
    assert imported == "[]"
