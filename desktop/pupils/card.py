"""De leerlingkaart: one pupil's details, guardians, leaving and (for the roles that need them)
bijzondere persoonsgegevens.

Special-category data is never read when the card opens: only when the user presses "Tonen"
on its tab, and that read is audited (db.pupils.read_special).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db.clock import Clock, local_today, system_clock
from db.consents import APP_CHANNELS, DecisionRow
from db.consents import history as consent_history
from db.errors import ChangedElsewhereError, RegisterError, ValidationError
from db.permissions import Permission, may
from db.pupils import (
    GuardianInput,
    GuardianRow,
    PupilStatus,
    SpecialCategory,
    SpecialRow,
    add_guardian,
    add_special,
    get_pupil,
    group_names,
    guardians_of,
    pupil_status,
    read_special,
    record_leaving,
    record_opened,
    remove_guardian,
    remove_special,
    undo_leaving,
    update_guardian,
    update_pupil,
)
from db.purposes import current_texts
from db.schema import Channel, Decision, Pupil, User
from db.text import format_dutch_date
from db.vault import Vault
from desktop.kit import widgets
from desktop.kit.forms import Field, FieldError, heading, hint
from desktop.kit.labels import label
from desktop.kit.screen import fit_to_screen
from desktop.kit.tasks import Task
from desktop.kit.widgets import DateEdit, RowsModel, selected_row, setup_table
from desktop.pupils.form import PupilForm
from desktop.pupils.guardian_dialog import GuardianDialog


class LeaveDialog(QDialog):
    """Uitschrijven: asks the leaving date (default today); ``save(date)`` runs on OK."""

    def __init__(self, parent: QWidget | None, pupil_name: str, today: date,
                 save: Callable[[date], object] | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self.setWindowTitle(self.tr("Leerling uitschrijven"))
        self.left_on = DateEdit(today)
        self.field = Field(self.left_on)
        form = QFormLayout()
        form.setHorizontalSpacing(16)
        form.addRow(self.tr("&Vertrekdatum"), self.field)
        buttons = QDialogButtonBox()
        ok = buttons.addButton(self.tr("Uitschrijven"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Annuleren"), QDialogButtonBox.ButtonRole.RejectRole)
        ok.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(heading(self.tr("%1 uitschrijven").replace("%1", pupil_name)))
        layout.addWidget(hint(self.tr(
            "De leerling blijft in het register staan als vertrokken leerling, tot de "
            "bewaartermijn is verstreken. U kunt dit later ongedaan maken.")))
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        fit_to_screen(self)
        self.left_on.setFocus()
        self.left_on.selectAll()

    @classmethod
    def ask(cls, parent: QWidget | None, pupil_name: str, today: date,
            save: Callable[[date], object] | None = None) -> date | None:
        dialog = cls(parent, pupil_name, today, save)
        try:
            return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()  # a closed dialog with a parent lives as long as the parent

    def value(self) -> date | None:
        try:
            return self.left_on.date_value()
        except ValueError:
            return None

    def accept(self) -> None:
        self.field.error.clear()
        try:
            value = self.left_on.date_value()
        except ValueError as error:
            self.field.error.show_message(self.tr("De vertrekdatum klopt niet: %1.")
                                          .replace("%1", str(error)))
            return
        if value is None:
            self.field.error.show_message(self.tr("Vul de vertrekdatum in (dd-mm-jjjj)."))
            return
        if self._save is not None:
            try:
                self._save(value)
            except RegisterError as error:
                self.field.error.show_message(str(error))
                return
        super().accept()


class SpecialDialog(QDialog):
    """A new special-category record: soort and omschrijving."""

    def __init__(self, parent: QWidget | None,
                 save: Callable[[str, str], object] | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self.setWindowTitle(self.tr("Bijzonder gegeven vastleggen"))
        self.category = QComboBox()
        for category in SpecialCategory:
            self.category.addItem(label(category), category)
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.description.setMinimumWidth(380)
        self.description.setFixedHeight(self.fontMetrics().lineSpacing() * 5 + 16)
        self.fields = {"category": Field(self.category), "description": Field(self.description)}
        form = QFormLayout()
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(10)
        form.addRow(self.tr("&Soort"), self.fields["category"])
        form.addRow(self.tr("&Omschrijving"), self.fields["description"])
        self.general_error = FieldError()
        buttons = QDialogButtonBox()
        ok = buttons.addButton(self.tr("Vastleggen"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Annuleren"), QDialogButtonBox.ButtonRole.RejectRole)
        ok.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(heading(self.tr("Bijzonder gegeven vastleggen")))
        layout.addWidget(hint(self.tr(
            "Leg alleen vast wat de school nodig heeft om de leerling goed te begeleiden, "
            "bijvoorbeeld ‘dyslexieverklaring aanwezig’.")))
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        fit_to_screen(self)

    @classmethod
    def ask(cls, parent: QWidget | None,
            save: Callable[[str, str], object] | None = None) -> tuple[str, str] | None:
        dialog = cls(parent, save)
        try:
            return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()  # it held special-category text: free it at once

    def value(self) -> tuple[str, str]:
        return self.category.currentData(), self.description.toPlainText()

    def accept(self) -> None:
        for field in self.fields.values():
            field.error.clear()
        self.general_error.clear()
        if self._save is not None:
            try:
                self._save(self.category.currentData(), self.description.toPlainText())
            except ValidationError as error:
                field = self.fields.get(error.field or "")
                (field.error if field else self.general_error).show_message(str(error))
                return
            except RegisterError as error:
                self.general_error.show_message(str(error))
                return
        super().accept()


def _form_values(pupil: Pupil) -> dict:
    """What the details form shows of a pupil (PupilForm.set_values)."""
    return dict(first_name=pupil.first_name, given_names=pupil.given_names,
                prefix=pupil.prefix, last_name=pupil.last_name,
                date_of_birth=pupil.date_of_birth, group_name=pupil.group_name,
                year_group=pupil.year_group, enrolled_on=pupil.enrolled_on, notes=pupil.notes)


class PupilCard(QDialog):
    """Leerlingkaart. Raises PermissionDenied/NotFoundError when the pupil cannot be shown;
    use ``PupilCard.show_pupil`` to have that reported to the user instead."""

    pupil_changed = Signal(int)

    def __init__(self, parent: QWidget | None, vault: Vault, user: User, pupil_id: int, *,
                 clock: Clock = system_clock) -> None:
        # read first: a pupil that cannot be shown raises before any window exists, so no
        # half-made card is left behind as a child of the page
        with vault.session() as session:
            pupil = get_pupil(session, user, pupil_id)
            values = _form_values(pupil)
            source_key, left_on, version = pupil.source_key, pupil.left_on, pupil.version
            guardians = guardians_of(session, user, pupil_id)
            record_opened(session, user, pupil_id, clock=clock)  # shows in the access export
            groups = group_names(session, user)
            consents = consent_history(session, user, pupil_id)
            purposes = {purpose.id: text.title for purpose, text
                        in current_texts(session, include_retired=True)}
        super().__init__(parent)
        self.vault, self.user, self.clock, self.pupil_id = vault, user, clock, pupil_id
        self.can_edit = may(user, Permission.EDIT_PUPILS)
        self.can_read_special = may(user, Permission.READ_SPECIAL)
        self.can_edit_special = may(user, Permission.EDIT_SPECIAL)
        self.changed = False
        self.special_loaded = False
        self._source_key: str | None = source_key
        # the pupil's version the form shows: a save over someone else's later change is
        # refused (db/versions.py); the typed input stays and the card offers to reload
        self._version: int = version
        self._left_on: date | None = left_on
        self._enrolled_on: date | None = None
        self._name = ""
        self._group = ""

        self.setWindowTitle(self.tr("Leerlingkaart"))
        self.title = heading("", size_delta=4)
        self.subtitle = QLabel()
        self.subtitle.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(False)
        self.tabs.addTab(self._details_tab(groups, values), self.tr("Gegevens"))
        self.tabs.addTab(self._guardians_tab(guardians), "")
        self.tabs.addTab(self._consents_tab(consents, purposes, guardians),
                         self.tr("Toestemmingen"))
        self.special_tab: QWidget | None = None
        if self.can_read_special:
            self.special_tab = self._special_tab()
            self.tabs.addTab(self.special_tab, self.tr("Bijzondere persoonsgegevens"))
        self._update_guardian_tab_title()

        self.status = QLabel()
        self.status.setStyleSheet("color: #1e6b34;")
        self.save_button: QPushButton | None = None
        bottom = QHBoxLayout()
        bottom.setSpacing(8)
        bottom.addWidget(self.status, 1)
        self.reload_button = QPushButton(self.tr("Gegevens van de ander laden"))
        self.reload_button.setAutoDefault(False)
        self.reload_button.setToolTip(self.tr("Toont de gegevens zoals de ander ze heeft "
                                              "opgeslagen; wat u hier typte vervalt"))
        self.reload_button.clicked.connect(self.reload_details)
        self.reload_button.hide()
        bottom.addWidget(self.reload_button)
        self.print_button = QPushButton(self.tr("Toestemmingsformulier afdrukken…"))
        self.print_button.setAutoDefault(False)
        self.print_button.setToolTip(self.tr("Het toestemmingsformulier van deze leerling, "
                                             "vooraf ingevuld (één pagina)"))
        self.print_button.clicked.connect(self.print_form)
        self.print_button.setEnabled(left_on is None)
        bottom.addWidget(self.print_button)
        if self.can_edit:
            self.save_button = QPushButton(self.tr("Opslaan"))
            self.save_button.setToolTip(self.tr("Wijzigingen opslaan (Ctrl+S)"))
            self.save_button.setDefault(True)
            self.save_button.clicked.connect(self.save)
            QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
            bottom.addWidget(self.save_button)
        self.close_button = QPushButton(self.tr("Sluiten"))
        self.close_button.setAutoDefault(False)
        self.close_button.setToolTip(self.tr("Sluiten (Esc)"))
        self.close_button.clicked.connect(self.reject)
        bottom.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(8)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addSpacing(8)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        self.resize(900, 680)

        self.form.set_values(**values)
        self._enrolled_on = values["enrolled_on"]
        self._saved = self.form.snapshot()
        self._update_header(values["first_name"], values["prefix"], values["last_name"],
                            values["group_name"])
        self.form.edited.connect(self._on_edited)
        fit_to_screen(self)
        self.tabs.tabBar().setFocus()  # nothing selected: a stray key cannot replace a name

    @classmethod
    def show_pupil(cls, parent: QWidget | None, vault: Vault, user: User, pupil_id: int, *,
                   clock: Clock = system_clock) -> bool:
        """Open the card modally; True when something was changed. Errors are shown.

        The card is deleted when it closes: it may have shown special-category data, and the
        office keeps the program open all day (it would otherwise live as long as its parent).
        """
        try:
            card = cls(parent, vault, user, pupil_id, clock=clock)
        except RegisterError as error:
            widgets.warn(parent, QCoreApplication.translate("PupilCard", "Leerlingkaart"),
                         str(error))
            return False
        try:
            card.exec()
            return card.changed
        finally:
            card.deleteLater()

    def print_form(self, *, blocking: bool = False) -> Task | None:
        """This pupil's toestemmingsformulier (one page), through kit.tasks.export."""
        from desktop.consents.page import print_consent_forms

        name = self.tr("Toestemmingsformulier %1").replace("%1", self._name)
        return print_consent_forms(self, self.vault, self.user, self.clock, name,
                                   pupil_ids={self.pupil_id}, blocking=blocking)

    # --- tabs ------------------------------------------------------------------------------

    def _details_tab(self, groups: list[str], values: dict) -> QWidget:
        page = QWidget()
        self.form = PupilForm(groups, with_year_group=True)
        self.form.set_read_only(not self.can_edit)
        self.left_label = QLabel()
        self.leave_button = QPushButton(self.tr("&Uitschrijven…"))
        self.leave_button.clicked.connect(self.leave)
        self.undo_leave_button = QPushButton(self.tr("Uitschrijving ongedaan &maken"))
        self.undo_leave_button.clicked.connect(self.undo_leave)
        leave_row = QWidget()
        row = QHBoxLayout(leave_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(12)
        row.addWidget(self.left_label)
        row.addWidget(self.leave_button)
        row.addWidget(self.undo_leave_button)
        row.addStretch(1)
        self.leave_button.setVisible(self.can_edit)
        self.form.layout().insertRow(self.form.layout().rowCount() - 2,
                                     self.tr("Vertrekdatum"), leave_row)
        key_label = QLabel(self._source_key or self.tr("—"))
        key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form.layout().insertRow(0, self.tr("Leerlingnummer"), key_label)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 16, 16, 12)
        if not self.can_edit:
            layout.addWidget(hint(self.tr("U kunt deze gegevens bekijken, maar niet wijzigen.")))
        layout.addWidget(self.form)
        layout.addStretch(1)
        self._update_leaving()
        return page

    def _guardians_tab(self, guardians: list[GuardianRow]) -> QWidget:
        page = QWidget()
        self.guardian_model = RowsModel([
            (self.tr("Naam"), lambda g: g.full_name),
            (self.tr("Relatie"), lambda g: g.relation),
            (self.tr("Gezag"), lambda g: self.tr("ja") if g.has_authority else self.tr("nee")),
            (self.tr("Telefoon"), lambda g: g.phone),
            (self.tr("E-mail"), lambda g: g.email),
            (self.tr("Geheim adres"), lambda g: self.tr("ja") if g.address_secret else ""),
        ], guardians, self)
        self.guardian_table = QTableView()
        self.guardian_table.setModel(self.guardian_model)
        setup_table(self.guardian_table, stretch_column=4)
        header = self.guardian_table.horizontalHeader()
        for column, width in ((0, 220), (1, 110), (2, 70), (3, 130), (5, 110)):
            header.resizeSection(column, width)
        # activated: Enter, and a double click (Qt emits it after doubleClicked)
        self.guardian_table.activated.connect(lambda _index: self.edit_guardian())
        self.guardian_table.setAccessibleName(self.tr("Ouders/verzorgers"))

        self.add_guardian_button = QPushButton(self.tr("&Toevoegen…"))
        self.edit_guardian_button = QPushButton(self.tr("&Wijzigen…"))
        self.remove_guardian_button = QPushButton(self.tr("&Verwijderen"))
        self.add_guardian_button.clicked.connect(self.add_guardian)
        self.edit_guardian_button.clicked.connect(self.edit_guardian)
        self.remove_guardian_button.clicked.connect(self.remove_guardian)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        for button in (self.add_guardian_button, self.edit_guardian_button,
                       self.remove_guardian_button):
            button.setVisible(self.can_edit)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.guardian_empty = hint(self.tr("Er zijn nog geen ouders/verzorgers vastgelegd."))

        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(10)
        layout.addWidget(self.guardian_empty)
        layout.addWidget(self.guardian_table, 1)
        layout.addLayout(buttons)
        self.guardian_table.selectionModel().selectionChanged.connect(
            self._update_guardian_buttons)
        self.guardian_model.modelReset.connect(self._update_guardian_buttons)
        self._update_guardian_buttons()
        return page

    def _consents_tab(self, events: list[DecisionRow], purposes: dict[int, str],
                      guardians: list[GuardianRow]) -> QWidget:
        """The consent history (toestemmingen), newest first. Read-only here."""
        names = {g.id: g.full_name for g in guardians}

        def by_whom(event: DecisionRow) -> str:
            if event.by_pupil:
                return self.tr("de leerling zelf")
            if event.guardian_id is None:
                return self.tr("ouder via app") if event.channel in APP_CHANNELS else ""
            return names.get(event.guardian_id, self.tr("ouder/verzorger (niet meer gekoppeld)"))

        page = QWidget()
        self.consent_model = RowsModel([
            (self.tr("Datum"), lambda e: e.decided_on),
            (self.tr("Doel"), lambda e: purposes.get(e.purpose_id, "")),
            (self.tr("Besluit"), lambda e: label(e.decision, Decision)),
            (self.tr("Door"), by_whom),
            (self.tr("Via"), lambda e: label(e.channel, Channel)),
            (self.tr("Notitie"), lambda e: e.note),
        ], list(reversed(events)), self)
        table = QTableView()
        table.setModel(self.consent_model)
        setup_table(table, stretch_column=1)
        for column, width in ((0, 100), (2, 95), (3, 160), (4, 135), (5, 140)):
            table.horizontalHeader().resizeSection(column, width)
        table.setColumnHidden(5, not any(e.note for e in events))  # Notitie, when there is one
        table.setAccessibleName(self.tr("Toestemmingen"))
        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(10)
        if events:
            layout.addWidget(hint(self.tr(
                "Alle besluiten over toestemming, het nieuwste bovenaan. Het laatste besluit "
                "per doel geldt; zonder besluit is er géén toestemming.")))
            layout.addWidget(table, 1)
        else:
            layout.addWidget(hint(self.tr(
                "Er is nog geen toestemming vastgelegd. Zonder besluit geldt: géén "
                "toestemming.")))
            layout.addStretch(1)
            table.hide()
        return page

    def _special_tab(self) -> QWidget:
        page = QWidget()
        self.special_stack = QStackedWidget()

        locked = QWidget()
        locked_layout = QVBoxLayout(locked)
        locked_layout.setContentsMargins(0, 0, 0, 0)
        locked_layout.setSpacing(12)
        locked_layout.addWidget(hint(self.tr(
            "Hier staan gegevens over gezondheid, geloof en andere bijzondere "
            "persoonsgegevens van deze leerling. Bekijk ze alleen als dat voor uw werk nodig "
            "is: elke keer dat u ze toont, wordt dat met uw naam vastgelegd in het auditlog.")))
        self.show_special_button = QPushButton(self.tr("&Tonen"))
        self.show_special_button.setAutoDefault(False)
        self.show_special_button.clicked.connect(self.load_special)
        show_row = QHBoxLayout()
        show_row.addWidget(self.show_special_button)
        show_row.addStretch(1)
        locked_layout.addLayout(show_row)
        self.special_error = FieldError()
        locked_layout.addWidget(self.special_error)
        locked_layout.addStretch(1)

        shown = QWidget()
        self.special_model = RowsModel([
            (self.tr("Soort"), lambda r: label(r.category, SpecialCategory)),
            (self.tr("Omschrijving"), lambda r: r.description),
            (self.tr("Vastgelegd op"), lambda r: format_dutch_date(r.recorded_on)),
        ], [], self)
        self.special_table = QTableView()
        self.special_table.setModel(self.special_model)
        setup_table(self.special_table, stretch_column=1)
        self.special_table.horizontalHeader().resizeSection(0, 170)
        self.special_table.horizontalHeader().resizeSection(2, 130)
        self.special_table.setAccessibleName(self.tr("Bijzondere persoonsgegevens"))
        self.add_special_button = QPushButton(self.tr("Toe&voegen…"))
        self.remove_special_button = QPushButton(self.tr("Verwij&deren"))
        self.add_special_button.clicked.connect(self.add_special)
        self.remove_special_button.clicked.connect(self.remove_special)
        special_buttons = QHBoxLayout()
        for button in (self.add_special_button, self.remove_special_button):
            button.setVisible(self.can_edit_special)
            special_buttons.addWidget(button)
        special_buttons.addStretch(1)
        self.special_empty = hint(self.tr("Er zijn geen bijzondere persoonsgegevens "
                                          "vastgelegd."))
        shown_layout = QVBoxLayout(shown)
        shown_layout.setContentsMargins(0, 0, 0, 0)
        shown_layout.setSpacing(10)
        shown_layout.addWidget(hint(self.tr("Vertrouwelijk. Het tonen is vastgelegd in het "
                                            "auditlog.")))
        shown_layout.addWidget(self.special_empty)
        shown_layout.addWidget(self.special_table, 1)
        shown_layout.addLayout(special_buttons)

        self.special_stack.addWidget(locked)
        self.special_stack.addWidget(shown)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.addWidget(self.special_stack)
        return page

    # --- details ---------------------------------------------------------------------------

    def is_dirty(self) -> bool:
        return self.can_edit and self.form.snapshot() != self._saved

    def save(self) -> bool:
        """Opslaan. On a validation error the field shows it and nothing is saved."""
        if not self.can_edit:
            return False
        self.form.clear_errors()
        self.status.clear()
        try:
            data = self.form.value(source_key=self._source_key)
            with self.vault.session() as session:
                saved = update_pupil(session, self.user, self.pupil_id, data,
                                     loaded_version=self._version, clock=self.clock)
                version = saved.version
        except ValidationError as error:
            self.tabs.setCurrentIndex(0)
            self.form.show_error(error)
            return False
        except ChangedElsewhereError as error:  # the card stays open with what was typed
            self.tabs.setCurrentIndex(0)
            self.form.show_error(ValidationError(str(error)))
            self.reload_button.show()
            return False
        except RegisterError as error:
            self.form.show_error(ValidationError(str(error)))
            return False
        self._version = version
        self.reload_button.hide()
        self._saved = self.form.snapshot()
        self._enrolled_on = data.enrolled_on
        self._update_header(data.first_name.strip(), data.prefix.strip(),
                            data.last_name.strip(), data.group_name.strip())
        self.status.setText(self.tr("De gegevens zijn opgeslagen."))
        self._mark_changed()
        return True

    def reload_details(self) -> None:
        """After a refused save: the pupil as someone else saved it, in the form; the input
        typed here is replaced (the button says so)."""
        try:
            with self.vault.session() as session:
                pupil = get_pupil(session, self.user, self.pupil_id)
                values = _form_values(pupil)
                self._source_key, self._left_on = pupil.source_key, pupil.left_on
                self._version = pupil.version
        except RegisterError as error:
            self.form.show_error(ValidationError(str(error)))
            return
        self.form.clear_errors()
        self.form.set_values(**values)
        self._saved = self.form.snapshot()
        self._enrolled_on = values["enrolled_on"]
        self.reload_button.hide()
        self._update_leaving()
        self._update_header(values["first_name"], values["prefix"], values["last_name"],
                            values["group_name"])
        self.status.setText(self.tr("De gegevens van de ander zijn geladen."))

    def reject(self) -> None:
        """Esc or Sluiten: ask first when there are unsaved edits."""
        if self.is_dirty() and not widgets.confirm(
                self, self.tr("Niet opgeslagen"),
                self.tr("Wijzigingen niet opgeslagen. Toch sluiten?"),
                yes=self.tr("Sluiten zonder opslaan"), no=self.tr("Terug"), danger=True):
            return
        super().reject()

    def _on_edited(self) -> None:
        self.status.clear()

    def _mark_changed(self) -> None:
        self.changed = True
        self.pupil_changed.emit(self.pupil_id)

    def _update_header(self, first: str, prefix: str, last: str, group: str) -> None:
        self._name = " ".join(part for part in (first, prefix, last) if part)
        self._group = group
        self.title.setText(self._name)
        self.setWindowTitle(self.tr("Leerlingkaart – %1").replace("%1", self._name))
        self._refresh_subtitle()

    def _refresh_subtitle(self) -> None:
        state = pupil_status(self._left_on, local_today(self.clock))
        if state is PupilStatus.CURRENT:
            status = self.tr("huidige leerling")
        elif state is PupilStatus.LEAVING:
            status = self.tr("vertrekt per %1").replace("%1", format_dutch_date(self._left_on))
        else:
            status = self.tr("vertrokken per %1").replace("%1",
                                                           format_dutch_date(self._left_on))
        parts = [self.tr("Groep %1").replace("%1", self._group) if self._group else "", status]
        self.subtitle.setText(" · ".join(p for p in parts if p))

    # --- leaving ---------------------------------------------------------------------------

    def _update_leaving(self) -> None:
        left = self._left_on is not None
        self.left_label.setText(format_dutch_date(self._left_on) if left
                                else self.tr("nog niet uitgeschreven"))
        self.leave_button.setVisible(self.can_edit and not left)
        self.undo_leave_button.setVisible(self.can_edit and left)

    def leave(self) -> None:
        def save(left_on: date) -> None:
            with self.vault.session() as session:
                self._version = record_leaving(session, self.user, self.pupil_id, left_on,
                                               clock=self.clock).version

        left_on = LeaveDialog.ask(self, self._name, local_today(self.clock), save)
        if left_on is not None:
            self._left_on = left_on
            self._after_leaving_change()

    def undo_leave(self) -> None:
        if not widgets.confirm(self, self.tr("Uitschrijving ongedaan maken"), self.tr(
                "%1 weer als huidige leerling registreren?").replace("%1", self._name),
                yes=self.tr("Ongedaan maken"), no=self.tr("Annuleren")):
            return
        try:
            with self.vault.session() as session:
                self._version = undo_leaving(session, self.user, self.pupil_id,
                                             clock=self.clock).version
        except RegisterError as error:
            widgets.warn(self, self.tr("Niet gelukt"), str(error))
            return
        self._left_on = None
        self._after_leaving_change()

    def _after_leaving_change(self) -> None:
        self.print_button.setEnabled(self._left_on is None)
        self._update_leaving()
        self._refresh_subtitle()
        self._mark_changed()

    # --- guardians -------------------------------------------------------------------------

    def _reload_guardians(self, select_id: int | None = None) -> None:
        with self.vault.session() as session:
            rows = guardians_of(session, self.user, self.pupil_id)
        self.guardian_model.set_rows(rows)
        self._update_guardian_tab_title()
        for number, row in enumerate(rows):
            if row.id == select_id:
                self.guardian_table.selectRow(number)

    def _update_guardian_tab_title(self) -> None:
        count = self.guardian_model.rowCount()
        self.tabs.setTabText(1, self.tr("Ouders/verzorgers (%1)").replace("%1", str(count)))
        self.guardian_empty.setVisible(count == 0)

    def _update_guardian_buttons(self, *_args: object) -> None:
        has = selected_row(self.guardian_table) is not None
        self.edit_guardian_button.setEnabled(has)
        self.remove_guardian_button.setEnabled(has)

    def _selected_guardian(self) -> GuardianRow | None:
        row = selected_row(self.guardian_table)
        return self.guardian_model.row_at(row) if row is not None else None

    def add_guardian(self) -> None:
        if not self.can_edit:
            return

        added: list[int] = []

        def save(data: GuardianInput) -> None:
            with self.vault.session() as session:
                guardian = add_guardian(session, self.user, self.pupil_id, data,
                                        clock=self.clock)
                added.append(guardian.id)

        if GuardianDialog.ask(self, pupil_name=self._name, save=save) is not None:
            self._reload_guardians(added[-1] if added else None)
            self._mark_changed()

    def edit_guardian(self) -> None:
        guardian = self._selected_guardian()
        if guardian is None or not self.can_edit:
            return

        def save(data: GuardianInput) -> None:
            with self.vault.session() as session:
                update_guardian(session, self.user, self.pupil_id, guardian.id, data,
                                loaded_version=guardian.version, clock=self.clock)

        if GuardianDialog.ask(self, guardian, pupil_name=self._name, save=save) is not None:
            self._reload_guardians(guardian.id)
            self._mark_changed()

    def remove_guardian(self) -> None:
        guardian = self._selected_guardian()
        if guardian is None or not self.can_edit:
            return
        if not widgets.confirm(
                self, self.tr("Ouder/verzorger verwijderen"),
                self.tr("%1 verwijderen bij %2?\n\nToestemmingen die deze ouder/verzorger gaf "
                        "blijven in de geschiedenis staan.")
                .replace("%1", guardian.full_name).replace("%2", self._name),
                yes=self.tr("Verwijderen"), no=self.tr("Annuleren"), danger=True):
            return
        try:
            with self.vault.session() as session:
                remove_guardian(session, self.user, self.pupil_id, guardian.id, clock=self.clock)
        except RegisterError as error:
            widgets.warn(self, self.tr("Niet gelukt"), str(error))
            return
        self._reload_guardians()
        self._mark_changed()

    # --- special categories ----------------------------------------------------------------

    def load_special(self) -> None:
        """Tonen: read (and so audit) the special-category data of this pupil."""
        if not self.can_read_special:
            return
        self.special_error.clear()
        try:
            with self.vault.session() as session:
                rows = read_special(session, self.user, self.pupil_id, clock=self.clock)
        except RegisterError as error:
            self.special_error.show_message(str(error))
            return
        self._show_special(rows)
        self.special_table.setFocus()

    def _show_special(self, rows: list[SpecialRow]) -> None:
        self.special_loaded = True
        self.special_model.set_rows(rows)
        self.special_empty.setVisible(not rows)
        self.special_stack.setCurrentIndex(1)
        self.remove_special_button.setEnabled(bool(rows))

    def add_special(self) -> None:
        if not (self.can_edit_special and self.special_loaded):
            return

        def save(category: str, description: str) -> None:
            with self.vault.session() as session:
                add_special(session, self.user, self.pupil_id, category, description,
                            clock=self.clock)

        if SpecialDialog.ask(self, save) is not None:
            self.load_special()

    def remove_special(self) -> None:
        row = selected_row(self.special_table)
        if row is None or not self.can_edit_special:
            return
        record = self.special_model.row_at(row)
        if not widgets.confirm(self, self.tr("Gegeven verwijderen"), self.tr(
                "Dit gegeven verwijderen?\n\n%1").replace("%1", record.description),
                yes=self.tr("Verwijderen"), no=self.tr("Annuleren"), danger=True):
            return
        try:
            with self.vault.session() as session:
                remove_special(session, self.user, record.id, clock=self.clock)
        except RegisterError as error:
            widgets.warn(self, self.tr("Niet gelukt"), str(error))
            return
        self.load_special()
