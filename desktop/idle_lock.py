"""Vergrendelen na inactiviteit: after N minutes without mouse or keyboard input the screen is
covered and the logged-in user's password is asked again.

Nothing is closed or rebuilt: every visible window (the main window and any dialog that is
open, with whatever was typed in it) gets an opaque cover laid over it, and an application-modal
lock dialog takes all input. Unlocking removes the covers and puts the focus back where it was,
so unsaved text and open dialogs are exactly as they were.

Use (in the main window, after logging in)::

    self.idle_lock = IdleLock.for_window(self, vault, user, clock)

``lock_now()`` locks at once (a menu item "Nu vergrendelen", tests); ``unlock(password)``
returns True when the password is right. It goes through db.users.unlock: the same throttled,
audited check as logging in, so the lock does not allow unlimited tries.
``logout_requested`` fires when the user chooses Afmelden in the lock dialog (connect it to
the window's logout).
"""

from __future__ import annotations

import time

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from db.clock import SCHOOL_TZ, Clock, system_clock
from db.errors import LoginError, LoginThrottled
from db.schema import User
from db.settings import IDLE_LOCK_MINUTES, read_setting, write_setting
from db.users import unlock as check_unlock
from db.vault import Vault
from desktop.kit.forms import FieldError, heading, hint
from desktop.kit.screen import fit_to_screen

DEFAULT_MINUTES = IDLE_LOCK_MINUTES.default
MAX_MINUTES = IDLE_LOCK_MINUTES.bounds[1]
ACTIVITY = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress,
                      QEvent.Type.MouseMove, QEvent.Type.HoverMove, QEvent.Type.Wheel,
                      QEvent.Type.TouchBegin})
SHORTCUTS = frozenset({QEvent.Type.Shortcut, QEvent.Type.ShortcutOverride})


def idle_minutes(vault: Vault, user: User) -> int:
    """The configured idle time (db.settings.IDLE_LOCK_MINUTES), read typed."""
    with vault.session() as session:
        return read_setting(session, user, IDLE_LOCK_MINUTES)


def save_idle_minutes(vault: Vault, user: User, minutes: int) -> int:
    """Store the idle time (SETTINGS permission; bounds checked by db.settings)."""
    with vault.session() as session:
        return write_setting(session, user, IDLE_LOCK_MINUTES, minutes)


class _Cover(QWidget):
    """An opaque sheet over one window; follows its size. The window itself is untouched."""

    def __init__(self, target: QWidget) -> None:
        super().__init__(target)
        self.setObjectName("idleLockCover")
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.Window))
        self.setPalette(palette)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        label = QLabel(self.tr("Privacyregister is vergrendeld."))
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet("color: #555555; font-size: 14pt;")
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        self.setGeometry(target.rect())
        target.installEventFilter(self)
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
            self.raise_()
        return False


class LockDialog(QDialog):
    """Asks the password. It cannot be closed with Esc or the title bar: only by unlocking
    (or by Afmelden when the window offers it)."""

    def __init__(self, parent: QWidget | None, lock: IdleLock) -> None:
        super().__init__(parent)
        self.lock = lock
        self.setWindowTitle(self.tr("Privacyregister vergrendeld"))
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        user = lock.user
        since = lock.locked_at.astimezone(SCHOOL_TZ).strftime("%H:%M") if lock.locked_at else ""
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMinimumWidth(320)
        self.password.setAccessibleName(self.tr("Wachtwoord"))
        self.error = FieldError()
        caption = QLabel(self.tr("&Wachtwoord van {name}").format(
            name=user.display_name or user.username))
        caption.setBuddy(self.password)
        self.buttons = QDialogButtonBox()
        self.unlock_button = self.buttons.addButton(self.tr("&Ontgrendelen"),
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.unlock_button.setDefault(True)
        self.unlock_button.setAutoDefault(True)
        self.logout_button = self.buttons.addButton(self.tr("&Afmelden"),
                                                    QDialogButtonBox.ButtonRole.DestructiveRole)
        self.logout_button.setVisible(lock.offers_logout)
        self.buttons.accepted.connect(self._try)
        self.logout_button.clicked.connect(lock.request_logout)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(heading(self.tr("Privacyregister is vergrendeld")))
        layout.addWidget(hint(self.tr(
            "Vergrendeld om {time}, omdat er een tijd niets is gedaan. Alles staat nog zoals u "
            "het achterliet. Typ uw wachtwoord om verder te werken.").format(time=since)))
        layout.addSpacing(4)
        layout.addWidget(caption)
        layout.addWidget(self.password)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        fit_to_screen(self)

    def _try(self) -> None:
        self.lock.unlock(self.password.text())

    def show_wrong(self, failures: int, throttled: str = "") -> None:
        message = throttled or self.tr(
            "Dit wachtwoord klopt niet. Probeer het opnieuw (let op Caps Lock).")
        if failures >= 3 and self.lock.offers_logout:
            message += " " + self.tr("Bent u iemand anders? Kies dan Afmelden.")
        self.error.show_message(message)
        self.password.clear()
        self.password.setFocus()

    def reject(self) -> None:
        """Esc does not unlock."""

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.lock.is_locked:
            event.ignore()
        else:
            super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            return
        super().keyPressEvent(event)


class IdleLock(QObject):
    """Locks the application after ``minutes`` without input (minutes <= 0: only by hand)."""

    locked = Signal()
    unlocked = Signal()
    logout_requested = Signal()

    def __init__(self, window: QWidget, vault: Vault, user: User,
                 minutes: float = DEFAULT_MINUTES, clock: Clock = system_clock, *,
                 offers_logout: bool = False) -> None:
        super().__init__(window)
        self.window, self.vault, self.user, self.clock = window, vault, user, clock
        self.offers_logout = offers_logout
        self.is_locked = False
        self.locked_at = None
        self.failures = 0
        self.dialog: LockDialog | None = None
        self._covers: list[_Cover] = []
        self._focus: QWidget | None = None
        self._active: QWidget | None = None
        self._last_input = time.monotonic()
        self._interval_ms = 0
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._check_idle)
        self.set_minutes(minutes)
        QApplication.instance().installEventFilter(self)

    @classmethod
    def for_window(cls, window: QWidget, vault: Vault, user: User,
                   clock: Clock = system_clock, *, offers_logout: bool = True) -> IdleLock:
        """An IdleLock with the register's setting for the idle time."""
        return cls(window, vault, user, idle_minutes(vault, user), clock,
                   offers_logout=offers_logout)

    # --- timing ----------------------------------------------------------------------------

    def set_minutes(self, minutes: float) -> None:
        self._interval_ms = int(max(minutes, 0) * 60_000)
        self.timer.stop()
        if self._interval_ms and not self.is_locked:
            self._last_input = time.monotonic()
            self.timer.start(self._interval_ms)

    @property
    def minutes(self) -> float:
        return self._interval_ms / 60_000

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if self.is_locked:
            # shortcuts of covered windows (Ctrl+Q, Ctrl+1 …) do nothing while locked
            if kind in SHORTCUTS and not self._in_lock_dialog(watched):
                return True
            return False
        if kind in ACTIVITY:
            self._last_input = time.monotonic()
        return False

    def _in_lock_dialog(self, watched: QObject) -> bool:
        dialog = self.dialog
        if dialog is None:
            return False
        node = watched
        while node is not None:
            if node is dialog:
                return True
            node = node.parent()
        return False

    def _check_idle(self) -> None:
        if self.is_locked or not self._interval_ms:
            return
        idle_ms = int((time.monotonic() - self._last_input) * 1000)
        if idle_ms >= self._interval_ms:
            self.lock_now()
        else:
            self.timer.start(self._interval_ms - idle_ms)

    # --- locking ---------------------------------------------------------------------------

    def lock_now(self) -> None:
        """Cover every visible window and ask the password. Nothing is closed or rebuilt."""
        if self.is_locked:
            return
        self.is_locked = True
        self.timer.stop()
        self.failures = 0
        self.locked_at = self.clock()
        self._focus = QApplication.focusWidget()
        self._active = QApplication.activeWindow()
        for _ in range(10):  # an open menu or completer list closes; it holds no typed work
            popup = QApplication.activePopupWidget()
            if popup is None:
                break
            popup.close()
        for widget in QApplication.topLevelWidgets():
            if (widget.isVisible() and widget.isWindow()
                    and widget.windowType() not in (Qt.WindowType.Popup, Qt.WindowType.ToolTip)
                    and not isinstance(widget, LockDialog)):
                self._covers.append(_Cover(widget))
        owner = QApplication.activeModalWidget() or self.window
        self.dialog = LockDialog(owner, self)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        self.dialog.password.setFocus()
        self.locked.emit()

    def unlock(self, password: str) -> bool:
        """True (and everything shown again) when this is the logged-in user's password.
        Checked by db.users.unlock: throttled after repeated failures, every failure audited."""
        if not self.is_locked:
            return True
        throttled, ok = "", False
        with self.vault.session() as session:  # commits, so a failure stays counted
            try:
                check_unlock(session, self.user, password, clock=self.clock)
                ok = True
            except LoginThrottled as error:
                throttled = str(error)
            except LoginError:
                pass
        if not ok:
            self.failures += 1
            if self.dialog is not None:
                self.dialog.show_wrong(self.failures, throttled)
            return False
        self._release()
        self.unlocked.emit()
        return True

    def request_logout(self) -> None:
        """Afmelden from the lock dialog: covers go, the window decides what logging out does."""
        self._release()
        self.logout_requested.emit()

    def _release(self) -> None:
        self.is_locked = False
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.hide()
            dialog.deleteLater()
        for cover in self._covers:
            if shiboken6.isValid(cover):
                cover.hide()
                cover.deleteLater()
        self._covers = []
        if self._active is not None and shiboken6.isValid(self._active):
            self._active.activateWindow()
        if self._focus is not None and shiboken6.isValid(self._focus):
            self._focus.setFocus(Qt.FocusReason.OtherFocusReason)
        self._focus = self._active = None
        self._last_input = time.monotonic()
        if self._interval_ms:
            self.timer.start(self._interval_ms)

    def covered(self) -> list[QWidget]:
        """The windows covered right now (for tests)."""
        return [cover.parentWidget() for cover in self._covers if shiboken6.isValid(cover)]
