"""Aanmelden: username and password of an app user, checked by db.users.authenticate.

At start-up this is the first window, shown while the register is still being opened behind it
(desktop/opening.py): the opening starts once the dialog is painted, and Aanmelden pressed
before it is done waits for it (busy cursor) and then logs in. When opening fails, the dialog
closes (``opening_failed``) and desktop/app.py asks for the key or says why. This module
imports nothing of the database stack until the credentials are checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.errors import LoginError, LoginThrottled
from desktop.i18n import role_label
from desktop.kit.forms import Field, heading, hint
from desktop.kit.screen import after_first_paint, fit_to_screen
from desktop.kit.view_settings import view_settings

if TYPE_CHECKING:
    from db.clock import Clock
    from db.schema import User
    from db.vault import Vault
    from desktop.opening import RegisterOpening


class DemoUserLike(Protocol):
    """What the login dialog needs of a demo user (db.demo.DemoUser)."""

    username: str
    password: str
    role: str
    display_name: str


class LoginDialog(QDialog):
    """Ask for a username and password; the logged-in User after accept().

    Give it the open ``vault``, or the ``opening`` that is opening it (then ``school_name`` is
    the name remembered from the last start, updated when the register is open)."""

    def __init__(self, parent: QWidget | None = None, *, vault: Vault | None = None,
                 opening: RegisterOpening | None = None, school_name: str = "",
                 demo_users: Sequence[DemoUserLike] = (), clock: Clock | None = None) -> None:
        super().__init__(parent)
        if vault is None and opening is None:
            raise TypeError("LoginDialog needs a vault or the opening of one")
        self.vault = vault
        self.opening = opening if vault is None else None
        self.opening_failed = False
        self._waiting = False  # Aanmelden was pressed before the register was open
        self.clock = clock  # None: the system clock (db.clock.system_clock)
        self.user: User | None = None
        self.demo_users = tuple(demo_users)
        self.setWindowTitle(self.tr("Aanmelden — Privacyregister"))
        self.setMinimumWidth(600 if demo_users else 480)
        self.setStyleSheet("QGroupBox { font-weight: bold; }")

        self.username = QLineEdit()
        self.username.setAccessibleName(self.tr("Gebruikersnaam"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Wachtwoord"))
        self.username_field = Field(self.username)
        self.password_field = Field(self.password)
        self.username.textEdited.connect(self.username_field.error.clear)
        self.password.textEdited.connect(self.password_field.error.clear)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(14)
        layout.addWidget(heading(self.tr("Aanmelden"), size_delta=4))
        self.school_label: QLabel | None = None
        if school_name or self.opening is not None:
            self.school_label = hint("")
            self._show_school(school_name)
            layout.addWidget(self.school_label)

        form = QFormLayout()
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(12)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # a board's register with several schools: which school this workstation works for
        # (user names are unique per school); hidden where the register holds one school
        self.school = QComboBox()
        self.school.setAccessibleName(self.tr("School"))
        form.addRow(self.tr("&School:"), self.school)
        form.labelForField(self.school).setBuddy(self.school)
        self._school_row = form
        form.setRowVisible(self.school, False)
        form.addRow(self.tr("&Gebruikersnaam:"), self.username_field)
        form.labelForField(self.username_field).setBuddy(self.username)
        form.addRow(self.tr("&Wachtwoord:"), self.password_field)
        form.labelForField(self.password_field).setBuddy(self.password)
        layout.addLayout(form)

        self.demo_table: QTableWidget | None = None
        if self.demo_users:
            layout.addWidget(self._demo_box())

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Aanmelden"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            self.tr("Annuleren"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        if self.vault is not None:
            self._offer_schools()
        fit_to_screen(self)
        self.username.setFocus()
        if self.opening is not None:
            self.opening.finished.connect(self._opened, Qt.ConnectionType.QueuedConnection)
            after_first_paint(self, self.opening.start)
            if self.opening.done:  # opened before this dialog was made
                QTimer.singleShot(0, self, self._opened)

    def _show_school(self, school_name: str) -> None:
        if self.school_label is None:
            return
        self.school_label.setText(self.tr("Privacyregister van {school}").format(
            school=school_name))
        self.school_label.setVisible(bool(school_name))

    def _opened(self) -> None:
        """The opening is done: log in if Aanmelden is waiting, or close when it failed."""
        opening = self.opening
        if opening is None or self.vault is not None or self.opening_failed:
            return
        if opening.error is not None:
            self.opening_failed = True
            self.reject()  # desktop/app.py asks for the key, or says why it did not open
            return
        self.vault = opening.vault
        self._show_school(opening.school_name)  # the register's own (a remembered one may be old)
        self._offer_schools()
        if self._waiting:
            self._stop_waiting()
            self.accept()

    def _offer_schools(self) -> None:
        """Show the choice of school when the register holds several, the one chosen last
        time on this computer first."""
        from db.school import schools_to_log_in_to

        with self.vault.session() as session:
            schools = schools_to_log_in_to(session)
        if len(schools) < 2:
            return
        remembered = view_settings().value(self._school_key(), None)
        self.school.clear()
        for school_id, name, brin in schools:
            self.school.addItem(f"{name} ({brin})" if brin else name, school_id)
        found = self.school.findData(int(remembered)) if str(remembered).isdigit() else -1
        self.school.setCurrentIndex(max(found, 0))
        self._school_row.setRowVisible(self.school, True)
        if self.school_label is not None:
            self.school_label.setVisible(False)  # the choice names the school

    def _school_key(self) -> str:
        return f"login/school/{self.vault.database_id}"

    def _chosen_school(self) -> int | None:
        return self.school.currentData() if self.school.count() else None

    def _stop_waiting(self) -> None:
        if self._waiting:
            self._waiting = False
            QApplication.restoreOverrideCursor()

    def _demo_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Demo-gebruikers"), self)
        inner = QVBoxLayout(box)
        inner.setContentsMargins(12, 12, 12, 12)
        inner.addWidget(hint(self.tr(
            "Dit is een demonstratieregister met verzonnen gegevens. Klik op een gebruiker om "
            "de gegevens in te vullen; dubbelklik om meteen aan te melden.")))
        table = QTableWidget(len(self.demo_users), 3, box)
        table.setHorizontalHeaderLabels(
            [self.tr("Gebruikersnaam"), self.tr("Wachtwoord"), self.tr("Rol")])
        for row, demo in enumerate(self.demo_users):
            for column, value in enumerate((demo.username, demo.password,
                                            role_label(demo.role))):
                table.setItem(row, column, QTableWidgetItem(value))
        table.verticalHeader().hide()
        table.setWordWrap(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setAlternatingRowColors(True)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        table.resizeRowsToContents()
        height = header.sizeHint().height() + 2 * table.frameWidth()
        height += sum(table.rowHeight(row) for row in range(table.rowCount()))
        table.setFixedHeight(height)
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.currentCellChanged.connect(lambda row, *_: self.fill_demo_user(row))
        table.cellDoubleClicked.connect(lambda row, _column: self._demo_login(row))
        inner.addWidget(table)
        self.demo_table = table
        return box

    def fill_demo_user(self, row: int) -> None:
        if 0 <= row < len(self.demo_users):
            self.username.setText(self.demo_users[row].username)
            self.password.setText(self.demo_users[row].password)
            self.username_field.error.clear()
            self.password_field.error.clear()

    def _demo_login(self, row: int) -> None:
        self.fill_demo_user(row)
        self.accept()

    def _filled_in(self) -> bool:
        """Both fields filled in; otherwise the error is shown at the empty one."""
        username, password = self.username.text().strip(), self.password.text()
        self.username_field.error.clear()
        self.password_field.error.clear()
        if not username:
            self.username_field.error.show_message(self.tr("Vul uw gebruikersnaam in."))
            self.username.setFocus()
            return False
        if not password:
            self.password_field.error.show_message(self.tr("Vul uw wachtwoord in."))
            self.password.setFocus()
            return False
        return True

    def try_login(self) -> User | None:
        """Check the credentials; the User, or None with the error shown at the field."""
        from db.clock import system_clock
        from db.tenancy import SchoolScope, scope_for
        from db.users import authenticate

        if not self._filled_in():
            return None
        if self.vault is None:
            raise RuntimeError("the register is not open yet")
        username, password = self.username.text().strip(), self.password.text()
        failed, throttled = False, ""
        chosen = self._chosen_school()
        if chosen is not None:  # the user's name is looked up in that school
            self.vault.use_scope(SchoolScope(chosen))
        with self.vault.session() as session:  # commits, so a failed attempt stays audited
            try:
                user = authenticate(session, username, password,
                                    clock=self.clock or system_clock)
            except LoginThrottled as error:  # the same for known and unknown names
                failed, throttled, user = True, str(error), None
            except LoginError:
                failed, user = True, None
        if failed:
            self.password_field.error.show_message(
                throttled or self.tr("Gebruikersnaam of wachtwoord klopt niet."))
            self.password.clear()
            self.password.setFocus()
            return None
        self.vault.use_scope(scope_for(user))  # every session now works for the user's school
        if chosen is not None:
            view_settings().setValue(self._school_key(), chosen)
        return user

    def accept(self) -> None:
        if self.vault is None:  # still opening: log in as soon as it is open (_opened)
            if not self._waiting and self._filled_in():
                self._waiting = True
                QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
                if self.opening is not None:
                    self.opening.start()  # when it was not painted (yet)
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.user = self.try_login()
        finally:
            QApplication.restoreOverrideCursor()
        if self.user is not None:
            super().accept()

    def done(self, result: int) -> None:
        self._stop_waiting()
        super().done(result)

    @classmethod
    def ask(cls, parent: QWidget | None, *, vault: Vault | None = None,
            opening: RegisterOpening | None = None, school_name: str = "",
            demo_users: Sequence[DemoUserLike] = ()) -> User | None:
        """The logged-in user, or None when the user cancelled or the opening failed."""
        dialog = cls(parent, vault=vault, opening=opening, school_name=school_name,
                     demo_users=demo_users)
        try:
            return dialog.user if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
