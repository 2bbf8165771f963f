"""Auditlog (READ_AUDIT: directie, beheerder, FG): who read or changed what, when; filtered by
period, user, kind of action and table, and a check of the hash chain.

Every load goes through db.audit_log.audit_rows, which refuses other roles and audits the
reading itself; so the list loads only on opening and on 'Tonen', never on every keystroke."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.audit import chain_head, verify_chain
from db.audit_log import AuditRow, audit_rows
from db.clock import SCHOOL_TZ, Clock, local_today, system_clock
from db.errors import RegisterError, ValidationError
from db.permissions import Permission, may
from db.schema import User
from db.users import user_names
from db.vault import ChainHead, Vault, read_sidecar
from desktop.kit.forms import ERROR_COLOUR, FieldError, hint
from desktop.kit.table import OK_COLOUR, ToneRowsModel
from desktop.kit.widgets import DateEdit, local_time, plural, setup_table

LIMIT = 5000
DEFAULT_DAYS = 30


def _tr(text: str) -> str:
    return QCoreApplication.translate("audit_log", text)


def action_label(action: str) -> str:
    """A Dutch description of an audit action code; the code itself when unknown."""
    labels = {
        "audit.read": _tr("auditlog ingezien"),
        "breach.amend": _tr("datalek aangevuld (na aftekenen)"),
        "breach.assess": _tr("datalek beoordeeld"),
        "breach.inform": _tr("betrokkenen over datalek ingelicht"),
        "breach.measure": _tr("maatregel bij datalek vastgelegd"),
        "breach.measure_done": _tr("maatregel bij datalek afgerond"),
        "breach.notify": _tr("datalek gemeld bij de AP"),
        "breach.register": _tr("datalek geregistreerd"),
        "breach.sign_off": _tr("datalek afgetekend"),
        "breach.supplement": _tr("melding datalek aangevuld"),
        "breach.update": _tr("datalek gewijzigd"),
        "consent.record": _tr("toestemming vastgelegd"),
        "demo.create": _tr("demogegevens aangemaakt"),
        "exchange.record": _tr("uitwisseling vastgelegd"),
        "guardian.add": _tr("ouder toegevoegd"),
        "guardian.import": _tr("ouder geïmporteerd"),
        "guardian.link": _tr("ouder gekoppeld"),
        "guardian.remove": _tr("ouder ontkoppeld"),
        "guardian.update": _tr("ouder gewijzigd"),
        "pupil.access_export": _tr("inzage-export gemaakt"),
        "pupil.enrol": _tr("leerling ingeschreven"),
        "pupil.import": _tr("leerling geïmporteerd"),
        "pupil.import_update": _tr("leerling bijgewerkt bij import"),
        "pupil.leave": _tr("vertrek vastgelegd"),
        "pupil.leave_undone": _tr("vertrek ongedaan gemaakt"),
        "pupil.open": _tr("leerlingkaart geopend"),
        "pupil.update": _tr("leerling gewijzigd"),
        "purpose.create": _tr("toestemmingsdoel toegevoegd"),
        "purpose.new_version": _tr("nieuwe tekst toestemmingsdoel"),
        "purpose.retire": _tr("toestemmingsdoel beëindigd"),
        "request.answer": _tr("verzoek beantwoord"),
        "request.extend": _tr("termijn verzoek verlengd"),
        "request.register": _tr("verzoek geregistreerd"),
        "retention.create": _tr("bewaartermijn toegevoegd"),
        "retention.update": _tr("bewaartermijn gewijzigd"),
        "school.create": _tr("register ingericht"),
        "setting.update": _tr("instelling gewijzigd"),
        "special.add": _tr("bijzonder gegeven vastgelegd"),
        "special.read": _tr("bijzondere gegevens ingezien"),
        "special.remove": _tr("bijzonder gegeven verwijderd"),
        "supplier.save": _tr("leverancier opgeslagen"),
        "user.create": _tr("gebruiker toegevoegd"),
        "user.login": _tr("aangemeld"),
        "user.login_failed": _tr("aanmelden mislukt"),
        "user.password": _tr("wachtwoord gewijzigd"),
        "user.update": _tr("gebruiker gewijzigd"),
        "vulnerability.acknowledge": _tr("kwetsbaarheidsmelding bevestigd"),
        "vulnerability.assess": _tr("kwetsbaarheidsmelding beoordeeld"),
        "vulnerability.fixed": _tr("kwetsbaarheid verholpen"),
        "vulnerability.link": _tr("kwetsbaarheid aan datalek gekoppeld"),
        "vulnerability.register": _tr("kwetsbaarheid gemeld"),
        "vulnerability.update_sent": _tr("melder bijgepraat"),
    }
    if action in labels:
        return labels[action]
    if action.startswith("erasure."):
        return _tr("gegevens verwijderd")
    return action


def table_label(table: str) -> str:
    return {
        "app_user": _tr("gebruiker"), "audit_entry": _tr("auditlog"), "breach": _tr("datalek"),
        "breach_amendment": _tr("aanvulling datalek"), "breach_measure": _tr("maatregel"),
        "consent_event": _tr("toestemming"), "consent_purpose": _tr("toestemmingsdoel"),
        "consent_purpose_text": _tr("tekst toestemmingsdoel"), "data_request": _tr("verzoek"),
        "erasure": _tr("verwijdering"), "exchange": _tr("uitwisseling"),
        "exchange_pupil": _tr("leerling bij uitwisseling"), "guardian": _tr("ouder"),
        "pupil": _tr("leerling"), "pupil_guardian": _tr("ouder bij leerling"),
        "retention_rule": _tr("bewaartermijn"), "school": _tr("school"),
        "setting": _tr("instelling"), "special_category_record": _tr("bijzonder gegeven"),
        "supplier": _tr("leverancier"), "vulnerability_report": _tr("kwetsbaarheidsmelding"),
    }.get(table, table)


def action_presets() -> list[tuple[str, str]]:
    """(label, prefix) for the Actie filter; the prefix is what audit_rows filters on."""
    return [(_tr("Alle acties"), ""), (_tr("Leerlingen (pupil.)"), "pupil."),
            (_tr("Bijzondere persoonsgegevens (special.)"), "special."),
            (_tr("Ouders (guardian.)"), "guardian."),
            (_tr("Toestemmingen (consent.)"), "consent."),
            (_tr("Datalekken (breach.)"), "breach."), (_tr("Verzoeken (request.)"), "request."),
            (_tr("Verwijderingen (erasure.)"), "erasure."),
            (_tr("Uitwisselingen (exchange.)"), "exchange."),
            (_tr("Leveranciers (supplier.)"), "supplier."),
            (_tr("Gebruikers en aanmelden (user.)"), "user."),
            (_tr("Auditlog ingezien (audit.)"), "audit.")]


TABLES = ("pupil", "guardian", "special_category_record", "consent_event", "breach",
          "data_request", "exchange", "supplier", "erasure", "app_user", "retention_rule",
          "setting", "audit_entry")


class AuditTableModel(ToneRowsModel):
    def __init__(self, rows: list[AuditRow] = (), parent=None) -> None:  # noqa: ANN001
        super().__init__([
            (_tr("Volgnummer"), lambda r: r.seq),
            (_tr("Tijd"), lambda r: local_time(r.at)),
            (_tr("Gebruiker"), lambda r: r.user),
            (_tr("Actie"), lambda r: action_label(r.action)),
            (_tr("Code"), lambda r: r.action),
            (_tr("Tabel"), lambda r: table_label(r.table_name) if r.table_name else ""),
            (_tr("Record"), lambda r: r.record_id),
        ], rows, tone=lambda r: "red" if r.action in ("user.login_failed",) else None,
            parent=parent)


class AuditLogView(QWidget):
    """The Auditlog area. ``allowed`` is False when the register refused this user; then only
    its message shows."""

    loaded = Signal(int)

    def __init__(self, vault: Vault, user: User, clock: Clock = system_clock,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault, self.user, self.clock = vault, user, clock
        self.allowed = True
        today = local_today(clock)
        self.start = DateEdit(today - timedelta(days=DEFAULT_DAYS))
        self.end = DateEdit(today)
        self.user_filter = QComboBox()
        self.user_filter.setMinimumWidth(220)
        self.action_filter = QComboBox()
        self.action_filter.setEditable(True)
        self.action_filter.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.action_filter.setMinimumWidth(300)
        self.action_filter.setToolTip(_tr(
            "Kies een soort actie, of typ het begin van een code, bijvoorbeeld pupil.open"))
        for label, prefix in action_presets():
            self.action_filter.addItem(label, prefix)
        self.table_filter = QComboBox()
        self.table_filter.setMinimumWidth(200)
        self.table_filter.addItem(self.tr("Alle tabellen"), "")
        for table in TABLES:
            self.table_filter.addItem(table_label(table), table)
        self.show_button = QPushButton(self.tr("&Tonen"))
        self.show_button.setDefault(True)
        self.period_error = FieldError()
        self.check_button = QPushButton(self.tr("Keten &controleren"))
        self.check_button.setToolTip(self.tr(
            "Controleer of er achteraf regels in het auditlog zijn gewijzigd, verwijderd of "
            "tussengevoegd"))
        self.chain_frame = QFrame()
        self.chain_frame.setObjectName("chainResult")
        self.chain_label = QLabel()
        self.chain_label.setWordWrap(True)
        self.chain_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.head_label = QLabel()
        self.head_label.setWordWrap(True)
        self.head_label.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.head_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        chain_layout = QVBoxLayout(self.chain_frame)
        chain_layout.setContentsMargins(12, 8, 12, 8)
        chain_layout.setSpacing(4)
        chain_layout.addWidget(self.chain_label)
        chain_layout.addWidget(self.head_label)
        self.chain_frame.hide()

        self.model = AuditTableModel([], self)
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_table(self.table)
        self.table.setAccessibleName(self.tr("Auditlog"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in ((0, 100), (1, 140), (2, 210), (3, 240), (4, 150), (5, 180)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        self.count_label = QLabel()
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_label.setStyleSheet("color: #555555; padding: 24px;")
        self.message_label.hide()

        self.filters = QWidget()
        grid = QGridLayout(self.filters)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)

        def label(text: str, buddy: QWidget) -> QLabel:
            caption = QLabel(text)
            caption.setBuddy(buddy)
            return caption

        period = QHBoxLayout()
        period.setSpacing(8)
        period.addWidget(self.start)
        period.addWidget(QLabel(self.tr("t/m")))
        period.addWidget(self.end)
        period.addStretch(1)
        grid.addWidget(label(self.tr("&Periode"), self.start), 0, 0)
        grid.addLayout(period, 0, 1)
        grid.addWidget(label(self.tr("&Gebruiker"), self.user_filter), 0, 2)
        grid.addWidget(self.user_filter, 0, 3)
        grid.addWidget(label(self.tr("&Actie"), self.action_filter), 1, 0)
        grid.addWidget(self.action_filter, 1, 1)
        grid.addWidget(label(self.tr("Ta&bel"), self.table_filter), 1, 2)
        grid.addWidget(self.table_filter, 1, 3)
        grid.addWidget(self.show_button, 1, 4)
        grid.addWidget(self.period_error, 2, 1, 1, 4)
        grid.setColumnStretch(5, 1)

        foot = QHBoxLayout()
        foot.addWidget(self.count_label)
        foot.addStretch(1)
        foot.addWidget(self.check_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(10)
        self.intro = hint(self.tr(
            "Wie wat heeft ingezien of gewijzigd, en wanneer; ook het inzien van dit auditlog "
            "wordt vastgelegd. ‘Keten controleren’ laat zien of er met het auditlog is "
            "geknoeid."))
        layout.addWidget(self.intro)
        layout.addWidget(self.filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message_label, 1)
        layout.addLayout(foot)
        layout.addWidget(self.chain_frame)

        self.show_button.clicked.connect(self.load)
        self.check_button.clicked.connect(self.check_chain)
        for edit in (self.start, self.end):
            edit.returnPressed.connect(self.load)
        self.action_filter.lineEdit().returnPressed.connect(self.load)
        self._fill_users()
        self.load()

    def _fill_users(self) -> None:
        self.user_filter.addItem(self.tr("Alle gebruikers"), None)
        if not may(self.user, Permission.READ_REGISTER):
            return  # the view shows why it is locked
        with self.vault.session() as session:
            users = [(u.id, u.display_name or u.username, u.username)
                     for u in user_names(session, self.user)]
        for user_id, name, username in sorted(users, key=lambda u: u[1].casefold()):
            self.user_filter.addItem(f"{name} ({username})" if name != username else name,
                                     user_id)

    # --- loading ---------------------------------------------------------------------------

    def action_prefix(self) -> str:
        text = self.action_filter.currentText().strip()
        index = self.action_filter.findText(text)
        if index >= 0:
            return self.action_filter.itemData(index) or ""
        return text

    def period(self) -> tuple[datetime | None, datetime | None]:
        """The chosen days as [start, end) moments at the school; ValidationError when wrong."""
        try:
            start, end = self.start.date_value(), self.end.date_value()
        except ValueError as error:
            raise ValidationError(self.tr("De periode klopt niet: {reason}.").format(
                reason=error), field="period") from None
        if start and end and end < start:
            raise ValidationError(self.tr("De periode eindigt vóór ze begint."),
                                  field="period")
        return (datetime.combine(start, time(), SCHOOL_TZ) if start else None,
                datetime.combine(end + timedelta(days=1), time(), SCHOOL_TZ) if end else None)

    def load(self) -> bool:
        """Fetch the entries through db.audit_log (permission checked there). True when shown."""
        self.period_error.clear()
        try:
            start, end = self.period()
        except ValidationError as error:
            self.period_error.show_message(str(error))
            return False
        try:
            with self.vault.session() as session:
                rows = audit_rows(session, self.user, start=start, end=end,
                                  user_id=self.user_filter.currentData(),
                                  action_prefix=self.action_prefix(),
                                  table_name=self.table_filter.currentData() or "",
                                  limit=LIMIT, clock=self.clock)
        except RegisterError as error:
            self._refuse(str(error))
            return False
        self.model.set_rows(rows)
        text = plural(len(rows), self.tr("1 regel"), self.tr("%1 regels"))
        if len(rows) >= LIMIT:
            text += " " + self.tr("(alleen de nieuwste {n}; maak de periode korter of kies "
                                  "een filter)").format(n=f"{LIMIT:,}".replace(",", "."))
        self.count_label.setText(text)
        empty = not rows
        self.message_label.setText(self.tr("Geen regels gevonden met deze filters."))
        self.message_label.setVisible(empty)
        self.table.setVisible(not empty)
        self.loaded.emit(len(rows))
        return True

    def _refuse(self, message: str) -> None:
        self.allowed = False
        for widget in (self.filters, self.table, self.check_button, self.count_label,
                       self.chain_frame, self.intro):
            widget.hide()
        self.model.set_rows([])
        self.message_label.setText(message)
        self.message_label.show()

    def refresh(self) -> None:
        if self.allowed:
            self.load()

    def rows(self) -> list[AuditRow]:
        return self.model.rows()

    # --- the chain -------------------------------------------------------------------------

    def last_backup_head(self) -> tuple[ChainHead, str] | None:
        """The chain head written beside the newest backup, and when that backup was made."""
        for backup in self.vault.list_backups():
            meta = read_sidecar(backup)
            try:
                head = ChainHead.parse(meta.get("chain_head", ""))
            except ValueError:
                continue
            made = meta.get("created_at", "")
            try:
                made = local_time(datetime.fromisoformat(made))
            except ValueError:
                pass
            return head, made
        return None

    def check_chain(self) -> bool:
        """verify_chain against the newest backup's head; show the message and the head."""
        if not self.allowed:
            return False
        recorded = self.last_backup_head()
        with self.vault.session() as session:
            report = verify_chain(session, against=recorded[0] if recorded else None)
            head = chain_head(session)
        message = report.message
        if recorded is not None and report.ok:
            message += " " + self.tr("Vergeleken met de ketenkop van de reservekopie van "
                                     "{when}.").format(when=recorded[1])
        colour, background = (OK_COLOUR, "#eaf4ea") if report.ok else (ERROR_COLOUR, "#fde4e2")
        self.chain_frame.setStyleSheet(
            f"QFrame#chainResult {{ background: {background}; border: 1px solid {colour};"
            " border-radius: 4px; }")
        self.chain_label.setText(message)
        self.chain_label.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.head_label.setText(self.tr("Ketenkop nu: {head}").format(
            head=str(head) if head else self.tr("(leeg)")))
        self.chain_frame.show()
        return report.ok
