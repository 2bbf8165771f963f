"""Vergrendelen na inactiviteit: the lock covers the window without touching it; a wrong
password keeps it locked; the right one brings back exactly what was there."""

from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QMainWindow, QVBoxLayout, QWidget

from db.permissions import SYSTEM
from db.school import put_setting
from desktop.idle_lock import DEFAULT_MINUTES, IdleLock, idle_minutes
from tests.conftest import ADMIN_PASSWORD


def window_with_edit(qtbot):
    window = QMainWindow()
    central = QWidget()
    edit = QLineEdit()
    QVBoxLayout(central).addWidget(edit)
    window.setCentralWidget(central)
    qtbot.addWidget(window)
    window.resize(900, 600)
    window.show()
    return window, edit


def admin(vault):
    from sqlalchemy import select

    from db.schema import User

    with vault.session() as session:
        return session.scalar(select(User).where(User.username == "beheer"))


def test_lock_and_unlock_keeps_unsaved_text(qtbot, vault, clock):
    window, edit = window_with_edit(qtbot)
    lock = IdleLock(window, vault, admin(vault), 10, clock)
    edit.setFocus()
    qtbot.keyClicks(edit, "nog niet opgeslagen")

    with qtbot.waitSignal(lock.locked):
        lock.lock_now()
    assert lock.is_locked and lock.dialog is not None and lock.dialog.isVisible()
    assert window in lock.covered()
    cover = lock._covers[0]
    assert cover.isVisible() and cover.geometry() == window.rect()
    texts = [label.text() for label in lock.dialog.findChildren(QLabel)]
    assert any("Vergrendeld om 10:30" in text for text in texts)  # 09:30 UTC, school time

    assert not lock.unlock("verkeerd-wachtwoord")
    assert lock.is_locked and lock.dialog.error.text().startswith("Dit wachtwoord klopt niet")
    assert lock.dialog.password.text() == ""
    lock.dialog.reject()  # Esc does not unlock
    assert lock.is_locked

    with qtbot.waitSignal(lock.unlocked):
        assert lock.unlock(ADMIN_PASSWORD)
    assert not lock.is_locked and lock.dialog is None and lock.covered() == []
    assert edit.text() == "nog niet opgeslagen"
    assert edit.isVisible() and window.centralWidget().isVisible()


def test_an_open_dialog_stays_open_under_the_lock(qtbot, vault, clock):
    window, _edit = window_with_edit(qtbot)
    dialog = QDialog(window)
    typed = QLineEdit(dialog)
    qtbot.addWidget(dialog)
    dialog.show()
    typed.setText("half ingevuld formulier")
    lock = IdleLock(window, vault, admin(vault), 10, clock)
    lock.lock_now()
    assert set(lock.covered()) >= {window, dialog}
    assert lock.unlock(ADMIN_PASSWORD)
    assert dialog.isVisible() and typed.text() == "half ingevuld formulier"


def test_the_timer_locks_after_idle_time_and_input_postpones_it(qtbot, vault, clock):
    window, edit = window_with_edit(qtbot)
    lock = IdleLock(window, vault, admin(vault), 0.004, clock)  # 240 ms
    qtbot.waitUntil(lambda: lock.is_locked, timeout=3000)
    assert lock.unlock(ADMIN_PASSWORD)
    assert lock.timer.isActive()
    lock.set_minutes(0)  # only by hand
    assert not lock.timer.isActive()


def test_the_idle_time_comes_from_the_register(vault, clock):
    assert idle_minutes(vault, SYSTEM) == DEFAULT_MINUTES
    with vault.session() as session:
        put_setting(session, SYSTEM, "lock.idle_minutes", "5")
    assert idle_minutes(vault, SYSTEM) == 5
