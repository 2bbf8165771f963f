"""Gebruikers (MANAGE_USERS): the list of app users, adding one, changing name, role, group and
access, and setting a new password. Users are never deleted: the audit log keeps pointing at
them; someone who leaves gets 'mag niet meer aanmelden'."""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.clock import Clock, system_clock
from db.errors import RegisterError, ValidationError
from db.permissions import Permission, may
from db.schema import Role, User
from db.users import (
    MIN_PASSWORD_LENGTH,
    create_user,
    list_users,
    set_password,
    update_user,
)
from db.vault import Vault
from desktop.i18n import role_label
from desktop.idle_lock import MAX_MINUTES, idle_minutes, save_idle_minutes
from desktop.kit import widgets
from desktop.kit.forms import FormDialog, hint
from desktop.kit.table import ToneRowsModel
from desktop.kit.widgets import plural, setup_table

ROLE_ORDER = (Role.ADMINISTRATIE, Role.DIRECTIE, Role.LEERKRACHT, Role.FG, Role.BEHEERDER)


def _tr(text: str) -> str:
    return QCoreApplication.translate("users", text)


def role_explained(role: str) -> str:
    return {
        Role.ADMINISTRATIE: _tr("Leerlingen, toestemmingen, verzoeken, leveranciers en "
                                "datalekken vastleggen; ziet bijzondere persoonsgegevens."),
        Role.DIRECTIE: _tr("Alles inzien en afhandelen, datalekken aftekenen, gegevens "
                           "verwijderen; geen gebruikersbeheer."),
        Role.LEERKRACHT: _tr("Alleen de lijst ‘Niet op de foto’ van de eigen groep."),
        Role.FG: _tr("Alles lezen, ook het auditlog, en exports maken; niets wijzigen."),
        Role.BEHEERDER: _tr("Gebruikers en instellingen beheren; ziet geen bijzondere "
                            "persoonsgegevens en tekent geen datalekken af."),
    }.get(role, "")


class UserLine(NamedTuple):
    id: int
    display_name: str
    username: str
    role: str
    group_name: str | None
    active: bool

    @classmethod
    def of(cls, user: User) -> UserLine:
        return cls(user.id, user.display_name, user.username, user.role, user.group_name,
                   bool(user.active))


class UserTableModel(ToneRowsModel):
    def __init__(self, lines: list[UserLine] = (), parent=None) -> None:  # noqa: ANN001
        super().__init__([
            (_tr("Naam"), lambda u: u.display_name),
            (_tr("Gebruikersnaam"), lambda u: u.username),
            (_tr("Rol"), lambda u: role_label(u.role)),
            (_tr("Groep"), lambda u: u.group_name or ""),
            (_tr("Toegang"), lambda u: _tr("mag aanmelden") if u.active
             else _tr("geblokkeerd")),
        ], lines, tone=lambda u: None if u.active else "grey", parent=parent)

    def row_of(self, user_id: int) -> int | None:
        return next((i for i, u in enumerate(self.rows()) if u.id == user_id), None)


def _role_combo(current: str | None = None) -> QComboBox:
    combo = QComboBox()
    for role in ROLE_ORDER:
        combo.addItem(role_label(role), role)
    if current is not None:
        combo.setCurrentIndex(max(0, combo.findData(Role(current))))
    combo.setMinimumWidth(280)
    return combo


def _password_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMinimumWidth(280)
    return edit


def _check_passwords(first: QLineEdit, second: QLineEdit) -> str:
    if first.text() != second.text():
        raise ValidationError(_tr("De twee wachtwoorden zijn niet gelijk. Typ ze opnieuw."),
                              field="repeat")
    return first.text()


class _RoleFields:
    """Role with its explanation, and the group (only for a leerkracht)."""

    def __init__(self, dialog: FormDialog, role: str | None, group: str | None) -> None:
        self.role = _role_combo(role)
        self.explained = QLabel()
        self.explained.setWordWrap(True)
        self.explained.setStyleSheet("color: #555555;")
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addWidget(self.role)
        column.addWidget(self.explained)
        self.group = QLineEdit(group or "")
        self.group.setMaxLength(20)
        self.group.setMaximumWidth(140)
        self.group.setPlaceholderText(_tr("bijvoorbeeld 5A"))
        dialog.errors.add(dialog.form, "role", _tr("&Rol *"), self.role, extra=box)
        dialog.errors.add(dialog.form, "group", _tr("&Groep"), self.group)
        self.role.currentIndexChanged.connect(self._changed)
        self._changed()

    def _changed(self, *_args: object) -> None:
        self.explained.setText(role_explained(self.role.currentData()))
        self.group.setEnabled(self.role.currentData() == Role.LEERKRACHT)

    def group_name(self) -> str | None:
        if self.role.currentData() != Role.LEERKRACHT:
            return None
        group = self.group.text().strip()
        if not group:
            raise ValidationError(_tr("Vul de groep van de leerkracht in; die bepaalt welke "
                                      "fotolijst de leerkracht ziet."), field="group")
        return group


class NewUserDialog(FormDialog):
    """Gebruiker toevoegen. ``user_id`` after accept()."""

    def __init__(self, parent: QWidget | None, vault: Vault, user: User, *,
                 clock: Clock = system_clock) -> None:
        super().__init__(parent, self.tr("Gebruiker toevoegen"), ok_text=self.tr("Toevoegen"),
                         intro=self.tr(
                             "Geef iedereen een eigen gebruikersnaam: dan laat het auditlog "
                             "zien wie wat heeft gedaan. Geef het wachtwoord persoonlijk door."))
        self.vault, self.user, self.clock = vault, user, clock
        self.user_id: int | None = None
        self.display_name = QLineEdit()
        self.display_name.setMaxLength(200)
        self.display_name.setMinimumWidth(320)
        self.display_name.setPlaceholderText(self.tr("bijvoorbeeld Petra de Wit"))
        self.username = QLineEdit()
        self.username.setMaxLength(64)
        self.username.setMaximumWidth(280)
        self.username.setPlaceholderText(self.tr("één woord, bijvoorbeeld pdewit"))
        self.errors.add(self.form, "display_name", self.tr("&Naam"), self.display_name)
        self.errors.add(self.form, "username", self.tr("&Gebruikersnaam *"), self.username)
        self.roles = _RoleFields(self, None, None)
        self.password = _password_edit()
        self.repeat = _password_edit()
        self.errors.add(self.form, "password", self.tr("&Wachtwoord *"), self.password)
        self.errors.add(self.form, "repeat", self.tr("Wachtwoord &nog een keer *"), self.repeat)
        self.form.addRow(QLabel(), hint(self.tr("Minstens {n} tekens.").format(
            n=MIN_PASSWORD_LENGTH)))
        self.display_name.setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None, vault: Vault, user: User,  # type: ignore[override]
            *, clock: Clock = system_clock) -> int | None:
        dialog = cls(parent, vault, user, clock=clock)
        return dialog.user_id if dialog.exec() == FormDialog.DialogCode.Accepted else None

    def save(self) -> None:
        password = _check_passwords(self.password, self.repeat)
        group = self.roles.group_name()
        with self.vault.session() as session:
            self.user_id = create_user(session, self.user, self.username.text(), password,
                                       self.roles.role.currentData(),
                                       display_name=self.display_name.text(),
                                       group_name=group, clock=self.clock).id


class EditUserDialog(FormDialog):
    """Gebruiker wijzigen: name, role, group, and whether the user may log in."""

    def __init__(self, parent: QWidget | None, vault: Vault, user: User, line: UserLine, *,
                 clock: Clock = system_clock) -> None:
        super().__init__(parent, self.tr("Gebruiker wijzigen"), ok_text=self.tr("Opslaan"),
                         intro=self.tr("Gebruikersnaam: {name}. Een gebruikersnaam blijft "
                                       "altijd dezelfde.").format(name=line.username))
        self.vault, self.user, self.clock, self.line = vault, user, clock, line
        self.display_name = QLineEdit(line.display_name)
        self.display_name.setMaxLength(200)
        self.display_name.setMinimumWidth(320)
        self.errors.add(self.form, "display_name", self.tr("&Naam"), self.display_name)
        self.roles = _RoleFields(self, line.role, line.group_name)
        self.active = QCheckBox(self.tr("&Mag aanmelden"))
        self.active.setChecked(line.active)
        self.errors.add(self.form, "active", self.tr("Toegang"), self.active)
        self.form.addRow(QLabel(), hint(self.tr(
            "Gebruikers worden nooit verwijderd, zodat het auditlog blijft kloppen. Haal bij "
            "vertrek het vinkje ‘Mag aanmelden’ weg.")))
        self.display_name.setFocus()

    def save(self) -> None:
        group = self.roles.group_name()
        with self.vault.session() as session:
            update_user(session, self.user, self.line.id, role=self.roles.role.currentData(),
                        active=self.active.isChecked(), display_name=self.display_name.text(),
                        group_name=group or "", clock=self.clock)


class PasswordDialog(FormDialog):
    """Nieuw wachtwoord instellen, twice."""

    def __init__(self, parent: QWidget | None, vault: Vault, user: User, line: UserLine, *,
                 clock: Clock = system_clock) -> None:
        super().__init__(parent, self.tr("Nieuw wachtwoord voor {name}").format(
            name=line.display_name or line.username), ok_text=self.tr("Wachtwoord instellen"),
            intro=self.tr("Het oude wachtwoord werkt hierna niet meer. Geef het nieuwe "
                          "wachtwoord persoonlijk door (minstens {n} tekens).").format(
                              n=MIN_PASSWORD_LENGTH))
        self.vault, self.user, self.clock, self.line = vault, user, clock, line
        self.password = _password_edit()
        self.repeat = _password_edit()
        self.errors.add(self.form, "password", self.tr("&Nieuw wachtwoord *"), self.password)
        self.errors.add(self.form, "repeat", self.tr("Nog &een keer *"), self.repeat)
        self.password.setFocus()

    def save(self) -> None:
        password = _check_passwords(self.password, self.repeat)
        with self.vault.session() as session:
            set_password(session, self.user, self.line.id, password, clock=self.clock)


class UsersView(QWidget):
    """The Gebruikers area (MANAGE_USERS: beheerder)."""

    changed = Signal()

    def __init__(self, vault: Vault, user: User, clock: Clock = system_clock,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault, self.user, self.clock = vault, user, clock
        self.can_manage = may(user, Permission.MANAGE_USERS)
        self.add_button = QPushButton(self.tr("Gebruiker &toevoegen…"))
        self.edit_button = QPushButton(self.tr("&Wijzigen…"))
        self.password_button = QPushButton(self.tr("Wacht&woord opnieuw instellen…"))
        self.model = UserTableModel([], self)
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_table(self.table)
        self.table.setAccessibleName(self.tr("Gebruikers"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in ((0, 280), (1, 180), (2, 260), (3, 90)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        self.count_label = QLabel()
        self.locked_label = QLabel()
        self.locked_label.setWordWrap(True)
        self.locked_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.locked_label.setStyleSheet("color: #555555; padding: 24px;")
        self.locked_label.hide()
        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(self.count_label)
        bar.addStretch(1)
        for button in (self.add_button, self.edit_button, self.password_button):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(10)
        layout.addWidget(hint(self.tr(
            "Wie het privacyregister mag gebruiken, en met welke rol. De rol bepaalt wat "
            "iemand ziet en mag. Een grijze regel: deze gebruiker mag niet meer aanmelden.")))
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.locked_label, 1)
        layout.addLayout(self._lock_setting_row())
        self.add_button.clicked.connect(self.add_user)
        self.edit_button.clicked.connect(self.edit_user)
        self.password_button.clicked.connect(self.reset_password)
        self.table.doubleClicked.connect(lambda _i: self.edit_user())
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        if not self.can_manage:
            self._lock(self.tr("U mag gebruikers niet beheren met de rol {role}. Vraag de "
                               "beheerder om dit te doen.").format(role=role_label(user.role)))
        else:
            self.refresh()

    def _lock_setting_row(self) -> QHBoxLayout:
        """Vergrendelen na N minuten zonder gebruik (the register-wide idle lock)."""
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setRange(1, MAX_MINUTES)
        self.idle_minutes.setSuffix(self.tr(" minuten"))
        self.idle_minutes.setValue(idle_minutes(self.vault, self.user))
        self.idle_minutes.setEnabled(may(self.user, Permission.SETTINGS))
        save = QPushButton(self.tr("&Opslaan"))
        save.setEnabled(may(self.user, Permission.SETTINGS))
        save.clicked.connect(self.save_idle_minutes)
        label = QLabel(self.tr("&Vergrendelen na"))
        label.setBuddy(self.idle_minutes)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.idle_minutes)
        row.addWidget(hint(self.tr("zonder gebruik (geldt vanaf de volgende aanmelding)")))
        row.addWidget(save)
        row.addStretch(1)
        return row

    def save_idle_minutes(self) -> None:
        save_idle_minutes(self.vault, self.user, self.idle_minutes.value())

    def _lock(self, message: str) -> None:
        for widget in (self.table, self.add_button, self.edit_button, self.password_button):
            widget.hide()
        self.locked_label.setText(message)
        self.locked_label.show()

    def refresh(self, select_id: int | None = None) -> None:
        if not self.can_manage:
            return
        current = select_id if select_id is not None else self.current_user_id()
        try:
            with self.vault.session() as session:
                lines = [UserLine.of(u) for u in list_users(session, self.user)]
        except RegisterError as error:
            self._lock(str(error))
            return
        lines.sort(key=lambda u: (not u.active, ROLE_ORDER.index(Role(u.role))
                                  if u.role in ROLE_ORDER else 9, u.display_name.casefold()))
        self.model.set_rows(lines)
        active = sum(1 for u in lines if u.active)
        self.count_label.setText(plural(len(lines), self.tr("1 gebruiker"),
                                        self.tr("%1 gebruikers")) + self.tr(
            " · {n} mogen aanmelden").format(n=active))
        if current is not None:
            self.select_user(current)
        self._on_selection()

    def current_line(self) -> UserLine | None:
        row = widgets.selected_row(self.table)
        return self.model.row_at(row) if row is not None else None

    def current_user_id(self) -> int | None:
        line = self.current_line()
        return line.id if line else None

    def select_user(self, user_id: int) -> bool:
        row = self.model.row_of(user_id)
        if row is not None:
            self.table.selectRow(row)
        return row is not None

    def _on_selection(self, *_args: object) -> None:
        chosen = self.current_line() is not None
        self.edit_button.setEnabled(chosen)
        self.password_button.setEnabled(chosen)

    def add_user(self) -> None:
        user_id = NewUserDialog.ask(self, self.vault, self.user, clock=self.clock)
        if user_id is not None:
            self.refresh(select_id=user_id)
            self.changed.emit()

    def edit_user(self) -> None:
        line = self.current_line()
        if line is not None and EditUserDialog.ask(self, self.vault, self.user, line,
                                                   clock=self.clock):
            self.refresh(select_id=line.id)
            self.changed.emit()

    def reset_password(self) -> None:
        line = self.current_line()
        if line is not None and PasswordDialog.ask(self, self.vault, self.user, line,
                                                   clock=self.clock):
            widgets.inform(self, self.tr("Wachtwoord ingesteld"), self.tr(
                "Het nieuwe wachtwoord van {name} is ingesteld.").format(
                    name=line.display_name or line.username))
