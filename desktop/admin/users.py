"""Gebruikers (MANAGE_USERS): the list of app users, adding one, changing name, role, group and
access, and setting a new password. Users are never deleted: the audit log keeps pointing at
them; someone who leaves gets 'mag niet meer aanmelden'."""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from db.clock import Clock, system_clock
from db.errors import RegisterError, ValidationError
from db.permissions import Permission, may, required_role_text
from db.schema import Role, User
from db.settings import IDLE_LOCK_MINUTES, read_setting
from db.users import (
    MIN_PASSWORD_LENGTH,
    create_user,
    list_users,
    recent_lockouts,
    set_password,
    update_user,
)
from db.vault import Vault
from desktop.admin.school_contact import SchoolContactDialog, contact_button_text
from desktop.i18n import role_label
from desktop.idle_lock import save_idle_minutes
from desktop.kit import widgets
from desktop.kit.forms import FieldError, FormDialog, hint
from desktop.kit.page import Action, AreaContext, Attention, RegisterPage, register_page
from desktop.kit.table import Column, RowsTable
from desktop.kit.widgets import plural

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
        Role.BESTUUR: _tr("Het bestuur: alle scholen lezen, ook het auditlog, en exports "
                          "maken; niets wijzigen."),
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
        try:
            return dialog.user_id if dialog.exec() == FormDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

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


class UsersData(NamedTuple):
    lines: list[UserLine]
    idle_minutes: int


class UsersPage(RegisterPage):
    """The Gebruikers area (MANAGE_USERS: beheerder), with the register-wide idle lock."""

    KEY, TITLE = "users", QT_TRANSLATE_NOOP("Areas", "Gebruikers")
    PERMISSION = Permission.MANAGE_USERS
    TR_CONTEXT = "users"
    HINT = QT_TRANSLATE_NOOP("users", "Wie het privacyregister mag gebruiken, en met welke rol. "
                             "De rol bepaalt wat iemand ziet en mag. Een grijze regel: deze "
                             "gebruiker mag niet meer aanmelden.")
    LOCKED_TEXT = QT_TRANSLATE_NOOP("users", "U mag gebruikers niet beheren met de rol {role}. "
                                    "Vraag de beheerder om dit te doen.")

    def build(self) -> QWidget:
        self.table = RowsTable([
            Column(_tr("Naam"), lambda u: u.display_name, 290),
            Column(_tr("Gebruikersnaam"), lambda u: u.username, 170),
            Column(_tr("Rol"), lambda u: role_label(u.role), 260),
            Column(_tr("Groep"), lambda u: u.group_name or "", 90),
            Column(_tr("Toegang"), lambda u: _tr("mag aanmelden") if u.active
                   else _tr("geblokkeerd")),
        ], key=lambda u: u.id, tone=lambda u: None if u.active else "grey",
            name=_tr("Gebruikers"))
        self.model = self.table.model
        self.table.selected.connect(self._on_selection)
        self.table.view.doubleClicked.connect(lambda _index: self.edit_user())
        self.table.view.activated.connect(lambda _index: self.edit_user())
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self.table, 1)
        layout.addWidget(self._lock_setting_box())
        return body

    def _lock_setting_box(self) -> QGroupBox:
        """Vergrendelen na N minuten zonder gebruik (the register-wide idle lock)."""
        box = QGroupBox(_tr("Beveiliging"))
        allowed = may(self.user, Permission.SETTINGS)
        low, high = IDLE_LOCK_MINUTES.bounds
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setRange(low, high)
        self.idle_minutes.setSuffix(_tr(" minuten"))
        self.idle_minutes.setEnabled(allowed)
        self.idle_save = QPushButton(_tr("&Opslaan"))
        self.idle_save.setEnabled(allowed)
        if not allowed:
            reason = required_role_text(Permission.SETTINGS)
            self.idle_minutes.setToolTip(reason)
            self.idle_save.setToolTip(reason)
        self.idle_save.clicked.connect(self.save_idle_minutes)
        self.idle_error = FieldError()
        label = QLabel(_tr("&Vergrendelen na"))
        label.setBuddy(self.idle_minutes)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.idle_minutes)
        after = hint(_tr("zonder gebruik (geldt vanaf de volgende aanmelding)"))
        after.setWordWrap(False)
        row.addWidget(after)
        row.addWidget(self.idle_save)
        row.addStretch(1)
        column = QVBoxLayout(box)
        column.addLayout(row)
        column.addWidget(self.idle_error)
        return box

    def actions(self) -> list[Action]:
        return [Action(_tr("Gebruiker &toevoegen…"), self.add_user, Permission.MANAGE_USERS,
                       primary=True, name="add", shortcut=QKeySequence.StandardKey.New,
                       tooltip=_tr("Een nieuwe gebruiker toevoegen (Ctrl+N)")),
                Action(_tr("&Wijzigen…"), self.edit_user, Permission.MANAGE_USERS,
                       name="edit", tooltip=_tr("Naam, rol, groep of toegang wijzigen "
                                                "(Enter)")),
                Action(_tr("Wacht&woord opnieuw instellen…"), self.reset_password,
                       Permission.MANAGE_USERS, name="password"),
                Action(contact_button_text(), self.edit_contact, Permission.SETTINGS,
                       name="contact", tooltip=_tr(
                           "De FG, het privacy-e-mailadres, het meldadres voor "
                           "kwetsbaarheden, de ouderapp en het bevoegd gezag"))]

    def show_locked(self, text: str) -> None:
        super().show_locked(text.replace("{role}", role_label(self.user.role)))

    # buttons kept under their old names (tests, keyboard paths)
    @property
    def add_button(self) -> QPushButton:
        return self.buttons["add"]

    @property
    def edit_button(self) -> QPushButton:
        return self.buttons["edit"]

    @property
    def password_button(self) -> QPushButton:
        return self.buttons["password"]

    def load(self, session: Session) -> UsersData:
        return UsersData([UserLine.of(u) for u in list_users(session, self.user)],
                         read_setting(session, self.user, IDLE_LOCK_MINUTES))

    def show_rows(self, data: UsersData) -> None:
        lines = sorted(data.lines, key=lambda u: (
            not u.active, ROLE_ORDER.index(Role(u.role)) if u.role in ROLE_ORDER else 9,
            u.display_name.casefold()))
        self.table.set_rows(lines)
        active = sum(1 for u in lines if u.active)
        self.set_count(plural(len(lines), _tr("1 gebruiker"), _tr("%1 gebruikers"))
                       + _tr(" · {n} mogen aanmelden").format(n=active))
        self.idle_minutes.setValue(data.idle_minutes)
        self._on_selection(self.table.current())

    def refresh(self, select_id: int | None = None) -> None:  # type: ignore[override]
        super().refresh()
        if select_id is not None and self.may_open(self.user):
            self.select_user(select_id)

    def save_idle_minutes(self) -> bool:
        self.idle_error.clear()
        try:
            save_idle_minutes(self.vault, self.user, self.idle_minutes.value())
        except RegisterError as error:
            self.idle_error.show_message(str(error))
            return False
        return True

    def current_line(self) -> UserLine | None:
        return self.table.current()

    def current_user_id(self) -> int | None:
        return self.table.current_key()

    def select_user(self, user_id: int) -> bool:
        return self.table.choose(user_id)

    def open_target(self, target: object) -> None:
        """A user id: select that user."""
        if isinstance(target, int):
            self.select_user(target)

    @classmethod
    def attention(cls, context: AreaContext, session: Session) -> list[Attention]:
        """For the beheerder: user names with many failed log-ins lately."""
        if not cls.may_open(context.user):
            return []
        count = recent_lockouts(session, context.user, clock=context.clock)
        if not count:
            return []
        return [Attention(text=_tr(
            "Bij {n} gebruikersnaam/-namen is de afgelopen twee weken 20 keer of vaker een "
            "verkeerd wachtwoord ingevuld. Misschien probeert iemand in te breken: controleer "
            "de gebruikers en het auditlog.").format(n=count), area=cls.KEY, level="todo")]

    def _on_selection(self, line: UserLine | None = None) -> None:
        chosen = line is not None and may(self.user, Permission.MANAGE_USERS)
        for name in ("edit", "password"):
            if name in self.buttons:
                self.buttons[name].setEnabled(chosen)

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

    def edit_contact(self) -> None:
        if SchoolContactDialog.ask(self, self.vault, self.user, clock=self.clock):
            self.changed.emit()

    def reset_password(self) -> None:
        line = self.current_line()
        if line is not None and PasswordDialog.ask(self, self.vault, self.user, line,
                                                   clock=self.clock):
            widgets.inform(self, _tr("Wachtwoord ingesteld"), _tr(
                "Het nieuwe wachtwoord van {name} is ingesteld.").format(
                    name=line.display_name or line.username))


register_page(UsersPage)
