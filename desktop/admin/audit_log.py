"""Auditlog (READ_AUDIT: directie, beheerder, FG): who read or changed what, when — each action
in words, the record by name for those who may see it; filtered by period, person and action,
exported as PDF or CSV (itself audited), and a check of the hash chain.

Every load goes through db.audit_log.audit_rows, which refuses other roles and audits the
reading itself; so the list loads only on opening and on 'Tonen', never on every keystroke."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from db.audit import chain_head, verify_chain
from db.audit_log import (
    LIMIT,
    AuditFilter,
    AuditRow,
    audit_rows,
    default_period,
    export_audit_rows,
    newest_backup_head,
)
from db.clock import local_today
from db.errors import RegisterError, ValidationError
from db.permissions import Permission
from db.school import get_school
from db.text import format_dutch_date
from db.users import user_names
from desktop.kit.files import failure_reason
from desktop.kit.forms import ERROR_COLOUR, FieldError
from desktop.kit.labels import ACTION_GROUPS, ACTION_LABELS, TABLE_LABELS, action_label, table_label
from desktop.kit.page import Action, RegisterPage, register_page
from desktop.kit.table import OK_COLOUR, Column, RowsTable
from desktop.kit.tasks import Outcome, Task, export, run_task
from desktop.kit.widgets import DateEdit, local_time, plural

TABLES = ("pupil", "guardian", "special_category_record", "consent_event", "breach",
          "data_request", "exchange", "supplier", "erasure", "app_user", "retention_rule",
          "setting", "audit_entry")


def _tr(text: str) -> str:
    return QCoreApplication.translate("audit_log", text)


def record_text(row: AuditRow) -> str:
    """The record by name when the register gave one, else its number."""
    if row.record:
        return row.record
    return _tr("nr. {id}").format(id=row.record_id) if row.record_id else ""


class AuditLogPage(RegisterPage):
    """The Auditlog area. ``allowed`` is False when the register refused this user; then only
    its message shows."""

    KEY, TITLE = "audit_log", QT_TRANSLATE_NOOP("Areas", "Auditlog")
    PERMISSION = Permission.READ_AUDIT
    TR_CONTEXT = "audit_log"
    HINT = QT_TRANSLATE_NOOP("audit_log", "Wie wat heeft ingezien of gewijzigd, en wanneer; ook "
                             "het inzien van dit auditlog wordt vastgelegd.")
    LOCKED_TEXT = QT_TRANSLATE_NOOP("audit_log", "U mag het auditlog niet inzien met uw rol. "
                                    "Vraag de directie, de beheerder of de FG.")

    loaded = Signal(int)

    def __init__(self, *args: object, **kwargs: object) -> None:
        self.allowed = True
        self.chain_ok = False
        self.chain_task: Task | None = None
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not self.may_open(self.user):
            self.allowed = False

    # --- building --------------------------------------------------------------------------

    def build(self) -> QWidget:
        first, last = default_period(local_today(self.clock))
        self.start = DateEdit(first)
        self.end = DateEdit(last)
        self.user_filter = QComboBox()
        self.user_filter.setMinimumWidth(220)
        self.user_filter.setAccessibleName(_tr("Persoon"))
        self.action_filter = QComboBox()
        self.action_filter.setEditable(True)
        self.action_filter.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.action_filter.setMinimumWidth(240)
        self.action_filter.setToolTip(_tr("Kies een soort actie, of typ het begin van een code, "
                                          "bijvoorbeeld pupil.open"))
        for text, prefix in ACTION_GROUPS:
            self.action_filter.addItem(QCoreApplication.translate("Labels", text), prefix)
        self.table_filter = QComboBox()
        self.table_filter.setMinimumWidth(200)
        self.table_filter.addItem(_tr("Alle soorten gegevens"), "")
        for table in TABLES:
            self.table_filter.addItem(table_label(table), table)
        self.period_error = FieldError()
        self.add_filter(self._filter_grid())

        self.table = RowsTable([
            Column(_tr("Volgnummer"), lambda r: r.seq, 100),
            Column(_tr("Tijd"), lambda r: local_time(r.at), 140),
            Column(_tr("Persoon"), lambda r: r.user, 190),
            Column(_tr("Actie"), lambda r: action_label(r.action), 270),
            Column(_tr("Soort gegeven"), lambda r: table_label(r.table_name)
                   if r.table_name else "", 160),
            Column(_tr("Gegeven"), record_text),
        ], key=lambda r: r.seq, tone=lambda r: "red" if r.action.endswith("_failed") else None,
            empty_text=_tr("Geen regels gevonden met deze filters."), name=_tr("Auditlog"))
        self.model = self.table.model

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

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.chain_frame)

        for edit in (self.start, self.end):
            edit.returnPressed.connect(self.load_rows)
        self.action_filter.lineEdit().returnPressed.connect(self.load_rows)
        self._fill_users()
        return body

    def _filter_grid(self) -> QWidget:
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)

        def caption(text: str, buddy: QWidget) -> QLabel:
            label = QLabel(text)
            label.setBuddy(buddy)
            return label

        period = QHBoxLayout()
        period.setSpacing(6)
        period.addWidget(self.start)
        period.addWidget(QLabel(_tr("t/m")))
        period.addWidget(self.end)
        grid.addWidget(caption(_tr("&Periode"), self.start), 0, 0)
        grid.addLayout(period, 0, 1)
        grid.addWidget(caption(_tr("Pe&rsoon"), self.user_filter), 0, 2)
        grid.addWidget(self.user_filter, 0, 3)
        grid.addWidget(caption(_tr("&Actie"), self.action_filter), 1, 0)
        grid.addWidget(self.action_filter, 1, 1)
        grid.addWidget(caption(_tr("&Gegeven"), self.table_filter), 1, 2)
        grid.addWidget(self.table_filter, 1, 3)
        grid.addWidget(self.period_error, 2, 0, 1, 4)
        return box

    def actions(self) -> list[Action]:
        return [Action(_tr("&Tonen"), self.load_rows, primary=True, name="show",
                       tooltip=_tr("De regels met deze filters tonen (Enter)")),
                Action(_tr("Keten &controleren"), self.check_chain, name="check",
                       tooltip=_tr("Controleer of er achteraf regels in het auditlog zijn "
                                   "gewijzigd, verwijderd of tussengevoegd")),
                Action(_tr("Als &PDF…"), self.export_pdf, Permission.EXPORT, name="pdf",
                       tooltip=_tr("De getoonde selectie als PDF opslaan")),
                Action(_tr("Als C&SV…"), self.export_csv, Permission.EXPORT, name="csv",
                       tooltip=_tr("De getoonde selectie als CSV opslaan (voor Excel)"))]

    def _fill_users(self) -> None:
        self.user_filter.addItem(_tr("Iedereen"), None)
        try:
            with self.vault.session() as session:
                users = [(u.id, u.display_name or u.username, u.username)
                         for u in user_names(session, self.user)]
        except RegisterError:
            return  # load() shows why
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

    def selection(self) -> AuditFilter:
        """The chosen filters; ValidationError (field 'period') when a date is not a date."""
        try:
            start, end = self.start.date_value(), self.end.date_value()
        except ValueError as error:
            raise ValidationError(_tr("De periode klopt niet: {reason}.").format(
                reason=error), field="period") from None
        selection = AuditFilter(first_day=start, last_day=end,
                                user_id=self.user_filter.currentData(),
                                action_prefix=self.action_prefix(),
                                table_name=self.table_filter.currentData() or "")
        selection.moments()  # the register's own check of the period
        return selection

    def load(self, session: Session) -> list[AuditRow] | None:
        self.period_error.clear()
        try:
            selection = self.selection()
        except ValidationError as error:
            self.period_error.show_message(str(error))
            return None
        return audit_rows(session, self.user, selection=selection, limit=LIMIT,
                          clock=self.clock)

    def show_rows(self, rows: list[AuditRow] | None) -> None:
        if rows is None:
            return
        self.table.set_rows(rows)
        text = plural(len(rows), _tr("1 regel"), _tr("%1 regels"))
        if len(rows) >= LIMIT:
            text += " " + _tr("(alleen de nieuwste {n}; maak de periode korter of kies een "
                              "filter)").format(n=f"{LIMIT:,}".replace(",", "."))
        self.set_count(text)
        self.loaded.emit(len(rows))

    def show_locked(self, text: str) -> None:
        self.allowed = False
        super().show_locked(text)

    def load_rows(self) -> bool:
        """'Tonen': fetch the entries again (permission checked there). True when shown."""
        if not self.allowed:
            return False
        self.refresh()
        return self.allowed and self.period_error.isHidden()

    def refresh(self) -> None:
        if self.allowed:
            super().refresh()

    def rows(self) -> list[AuditRow]:
        return self.table.rows()

    def open_target(self, target: object) -> None:
        """A user id: show what that person did in the chosen period."""
        if isinstance(target, int):
            index = self.user_filter.findData(target)
            if index >= 0:
                self.user_filter.setCurrentIndex(index)
                self.load_rows()

    # --- export ----------------------------------------------------------------------------

    def _describe(self, selection: AuditFilter) -> str:
        def day(value: date | None) -> str:
            return format_dutch_date(value) if value else "…"

        return _tr("Periode {start} t/m {end} · persoon: {user} · actie: {action}").format(
            start=day(selection.first_day), end=day(selection.last_day),
            user=self.user_filter.currentText(), action=self.action_filter.currentText())

    def _export(self, suffix: str, blocking: bool) -> Task | None:
        from desktop.printing.audit_log import AuditLine, audit_log_csv, audit_log_pdf

        try:
            selection = self.selection()
        except ValidationError as error:
            self.period_error.show_message(str(error))
            return None
        user, clock = self.user, self.clock
        # the words, looked up here (the writer runs on a worker and knows no Qt)
        actions = {code: action_label(code) for code in ACTION_LABELS}
        erased = action_label("erasure.all")
        tables = {table: table_label(table) for table in TABLE_LABELS}
        numbered = _tr("nr. {id}")
        described = self._describe(selection)
        printed = local_time(clock())

        def gather(session: Session) -> tuple[list[AuditRow], str]:
            school = get_school(session)
            return (export_audit_rows(session, user, selection, clock=clock),
                    school.name if school else "")

        def lines(rows: list[AuditRow]) -> list[AuditLine]:
            return [AuditLine(r.seq, local_time(r.at), r.user,
                              actions.get(r.action) or (erased if r.action.startswith(
                                  "erasure.") else r.action),
                              tables.get(r.table_name, r.table_name),
                              r.record or (numbered.format(id=r.record_id)
                                           if r.record_id else ""))
                    for r in rows]

        def write(path: Path, data: tuple[list[AuditRow], str], progress) -> None:  # noqa: ANN001
            rows, school_name = data
            if suffix == ".csv":
                audit_log_csv(path, lines(rows), progress)
            else:
                audit_log_pdf(path, lines(rows), school_name=school_name, selection=described,
                              printed=printed)

        today = format_dutch_date(local_today(clock))
        return export(self, self.vault, title=_tr("Auditlog exporteren"),
                      suggested_name=_tr("Auditlog {day}").format(day=today),
                      gather=gather, write=write, blocking=blocking, suffix=suffix,
                      filter_text=_tr("CSV-bestanden (*.csv)") if suffix == ".csv" else None,
                      saved_text=_tr("De selectie uit het auditlog is opgeslagen:\n{path}\n\n"
                                     "Het bestand is niet versleuteld; geef het alleen "
                                     "versleuteld door."))

    def export_pdf(self, *, blocking: bool = False) -> Task | None:
        return self._export(".pdf", blocking)

    def export_csv(self, *, blocking: bool = False) -> Task | None:
        return self._export(".csv", blocking)

    # --- the chain -------------------------------------------------------------------------

    def check_chain(self, *, blocking: bool = False) -> bool:
        """verify_chain against the newest backup's head, on a worker (the whole log is read);
        shows the message and the head. Returns the outcome when blocking, else True when the
        check started."""
        if not self.allowed:
            return False
        recorded = newest_backup_head(self.vault)
        vault = self.vault

        def work(_progress) -> tuple:  # noqa: ANN001 - the worker thread
            with vault.worker_session() as session:
                return (verify_chain(session, against=recorded[0] if recorded else None),
                        chain_head(session))

        self.buttons["check"].setEnabled(False)
        task = run_task(self, work, lambda outcome: self._chain_done(outcome, recorded),
                        title=_tr("Keten controleren"),
                        label=_tr("Het auditlog wordt gecontroleerd…"), blocking=blocking)
        if blocking:
            return self.chain_ok
        self.chain_task = task
        return True

    def _chain_done(self, outcome: Outcome, recorded: tuple | None) -> None:
        self.chain_task = None
        self.buttons["check"].setEnabled(True)
        if not outcome.ok:
            self.chain_ok = False
            self.chain_label.setText(_tr("De controle kon niet worden uitgevoerd: {reason}")
                                     .format(reason=failure_reason(outcome.error)))
            self.chain_frame.show()
            return
        report, head = outcome.result
        message = report.message
        if recorded is not None and report.ok:
            made = local_time(recorded[1]) if recorded[1] else ""
            message += " " + _tr("Vergeleken met de ketenkop van de reservekopie van "
                                 "{when}.").format(when=made)
        colour, background = (OK_COLOUR, "#eaf4ea") if report.ok else (ERROR_COLOUR, "#fde4e2")
        self.chain_frame.setStyleSheet(
            f"QFrame#chainResult {{ background: {background}; border: 1px solid {colour};"
            " border-radius: 4px; }")
        self.chain_label.setText(message)
        self.chain_label.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.head_label.setText(_tr("Ketenkop nu: {head}").format(
            head=str(head) if head else _tr("(leeg)")))
        self.chain_frame.show()
        self.chain_ok = report.ok


register_page(AuditLogPage)
