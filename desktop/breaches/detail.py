"""One breach: what happened (the facts at the top, with the amendments under the fact they
amend), the guided assessment, the notification, informing the people affected, measures, the
director's sign-off, amendments and the report."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from db.breaches import (
    BreachDetails,
    BreachFact,
    BreachReport,
    DeadlineState,
    DeadlineStatus,
    RiskAnswers,
    add_amendment,
    add_measure,
    assess,
    breach_details,
    complete_measure,
    gather_breach_report,
    record_informing,
    record_notification,
    sign_off,
    suggest_risk,
)
from db.clock import Clock, format_school_moment, local_today, system_clock
from db.errors import RegisterError, ValidationError
from db.permissions import Actor, Permission, may
from db.schema import BreachStatus, Risk
from db.vault import Vault
from desktop.breaches.dialog import BreachDialog
from desktop.breaches.fields import DateTimeEdit
from desktop.kit import widgets
from desktop.kit.forms import ERROR_COLOUR, Field, heading
from desktop.kit.labels import code_label, label
from desktop.kit.screen import fit_to_screen, scrolling
from desktop.kit.tasks import Task, export
from desktop.kit.widgets import DateEdit, RowsModel, selected_row, setup_table

FACT_ORDER = (BreachFact.WHAT, BreachFact.WHEN, BreachFact.KIND, BreachFact.DATA,
              BreachFact.PEOPLE, BreachFact.MEASURES, BreachFact.OTHER)


def _tr(text: str) -> str:
    return QCoreApplication.translate("BreachDetail", text)


def deadline_sentence(status: DeadlineStatus) -> str:
    """The 72-hour outcome written out (the register's tooltip, the detail's countdown)."""
    moment = format_school_moment(status.deadline)
    state = status.state
    if state is DeadlineState.RUNNING:
        return _tr("Er is nog {hours} uur om te melden bij de Autoriteit Persoonsgegevens: "
                   "uiterlijk {moment} (72 uur na het ontdekken).").format(
                       hours=status.hours, moment=moment)
    if state is DeadlineState.OVERDUE:
        return _tr("De termijn van 72 uur is {hours} uur geleden verstreken ({moment}) en er "
                   "is nog niet gemeld bij de Autoriteit Persoonsgegevens.").format(
                       hours=status.hours, moment=moment)
    if state is DeadlineState.LATE:
        return _tr("Gemeld bij de Autoriteit Persoonsgegevens, {hours} uur na de termijn van "
                   "72 uur ({moment}).").format(hours=status.hours, moment=moment)
    if state is DeadlineState.IN_TIME:
        return _tr("Op tijd gemeld bij de Autoriteit Persoonsgegevens, binnen 72 uur na het "
                   "ontdekken.")
    return _tr("Niet gemeld: na de beoordeling is besloten dat er geen meldplicht is.")


def deadline_short(status: DeadlineStatus) -> str:
    """'nog 39 uur', 'te laat (8 uur)', 'niet gemeld: besluit' (the register's column)."""
    return label(status.state).format(hours=status.hours)


class FactsBox(QGroupBox):
    """What happened, at the top of the detail (also after sign-off, read-only): each fact
    with the amendments that amend it listed under it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_tr("Wat er is gebeurd"))
        self.form = QFormLayout(self)
        self.form.setContentsMargins(12, 8, 12, 8)
        self.form.setVerticalSpacing(4)
        self.form.setHorizontalSpacing(16)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.values: dict[BreachFact, QLabel] = {}
        self.amended: dict[BreachFact, QLabel] = {}
        for fact in FACT_ORDER:
            value = QLabel()
            value.setWordWrap(True)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            amended = QLabel()
            amended.setWordWrap(True)
            amended.setTextFormat(Qt.TextFormat.PlainText)
            amended.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            amended.setStyleSheet("color: #1f4e79; margin-left: 12px;")
            cell = QWidget()
            column = QVBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(value)
            column.addWidget(amended)
            caption = QLabel(label(fact))
            caption.setStyleSheet("font-weight: bold;")
            self.form.addRow(caption, cell)
            self.values[fact], self.amended[fact] = value, amended

    def show_details(self, details: BreachDetails) -> None:
        f = details.facts
        unknown = _tr("onbekend")
        ended = _tr("nog gaande") if f.ongoing else (format_school_moment(f.ended_at)
                                                      or unknown)
        people = f.groups_text() or unknown
        count = _tr("aantal onbekend") if (f.affected_min, f.affected_max) == (None, None) \
            else _tr("1 persoon") if f.affected_count == "1" \
            else _tr("{n} personen").format(n=f.affected_count)
        measures = "; ".join(
            m.description + (_tr(" (uitgevoerd)") if m.done_on else "")
            for m in details.measures) or _tr("nog geen maatregelen vastgelegd")
        texts = {
            BreachFact.WHAT: "\n".join(part for part in (
                f.description, _tr("Oorzaak: {cause}").format(cause=f.cause) if f.cause else "",
                _tr("Gevolgen: {what}").format(what=f.consequences) if f.consequences else "")
                if part),
            BreachFact.WHEN: _tr("Begonnen: {start} · ontdekt: {found} · beëindigd: {end}")
            .format(start=format_school_moment(f.started_at) or unknown,
                    found=format_school_moment(f.discovered_at), end=ended),
            BreachFact.KIND: f.nature_text() or unknown,
            BreachFact.DATA: (f.data_text() or unknown) + (
                _tr(" — versleuteld") if f.data_encrypted else ""),
            BreachFact.PEOPLE: _tr("{who} ({count})").format(who=people, count=count),
            BreachFact.MEASURES: measures,
            BreachFact.OTHER: "",
        }
        for fact in FACT_ORDER:
            self.values[fact].setText(texts[fact])
            self.values[fact].setVisible(bool(texts[fact]))
            lines = [_tr("Aanvulling {moment} ({author}): {text}").format(
                moment=format_school_moment(a.created_at), author=a.author, text=a.text)
                for a in details.amendments_of(fact)]
            self.amended[fact].setText("\n".join(lines))
            self.amended[fact].setVisible(bool(lines))
        other = self.form.labelForField(self.values[BreachFact.OTHER].parentWidget())
        shown = bool(details.amendments_of(BreachFact.OTHER))
        self.form.setRowVisible(self.values[BreachFact.OTHER].parentWidget(), shown)
        if other is not None:
            other.setVisible(shown)

    def text_of(self, fact: BreachFact) -> str:
        """The fact and its amendments as shown (for tests and screen readers)."""
        return "\n".join(t for t in (self.values[fact].text(), self.amended[fact].text()) if t)


class BreachDetail(QDialog):
    def __init__(self, parent: QWidget | None, vault: Vault, user: Actor, breach_id: int, *,
                 clock: Clock = system_clock) -> None:
        super().__init__(parent)
        self.vault, self.user, self.clock, self.breach_id = vault, user, clock, breach_id
        self.changed = False
        self.task: Task | None = None
        self.can_edit = may(user, Permission.RECORD_BREACH)
        self.can_sign = may(user, Permission.SIGN_OFF_BREACH)
        self.resize(920, 740)
        self.title = heading("", size_delta=4)
        self.countdown = QLabel()
        self.countdown.setWordWrap(True)
        self.facts = FactsBox()
        facts_scroll = QScrollArea()
        facts_scroll.setWidgetResizable(True)
        facts_scroll.setFrameShape(QFrame.Shape.NoFrame)
        facts_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        facts_scroll.setWidget(self.facts)
        facts_scroll.setMinimumHeight(120)
        self.tabs = QTabWidget()  # each tab scrolls when a laptop screen makes it low
        self.tabs.addTab(scrolling(self._assessment_tab()), self.tr("&Beoordeling"))
        self.tabs.addTab(scrolling(self._notification_tab()),
                         self.tr("&Melding en betrokkenen"))
        self.tabs.addTab(self._measures_tab(), self.tr("M&aatregelen"))
        self.tabs.addTab(scrolling(self._sign_off_tab()),
                         self.tr("&Aftekenen en aanvullingen"))
        self.edit_button = QPushButton(self.tr("Gegevens &wijzigen…"))
        self.edit_button.clicked.connect(self.edit_details)
        self.report_button = QPushButton(self.tr("&Rapport afdrukken…"))
        self.report_button.clicked.connect(self.print_report)
        close = QDialogButtonBox()
        close.addButton(self.tr("&Sluiten"), QDialogButtonBox.ButtonRole.RejectRole)
        close.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.edit_button)
        bottom.addWidget(self.report_button)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.countdown)
        split = QSplitter(Qt.Orientation.Vertical)  # the user may give the facts more room
        split.addWidget(facts_scroll)
        split.addWidget(self.tabs)
        split.setChildrenCollapsible(False)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([250, 430])
        layout.addWidget(split, 1)
        layout.addLayout(bottom)
        self.load()
        fit_to_screen(self)

    # --- tabs ------------------------------------------------------------------------------

    def _assessment_tab(self) -> QWidget:
        page = QWidget()
        questions = QGroupBox(self.tr("Vragen bij de inschatting"))
        self.q_special = QCheckBox(self.tr("Er zijn bijzondere persoonsgegevens (gezondheid, "
                                           "geloof) of BSN's bij betrokken"))
        self.q_encrypted = QCheckBox(self.tr("De gegevens waren versleuteld"))
        self.q_many = QCheckBox(self.tr("Er zijn meer dan tien mensen bij betrokken"))
        self.q_children = QCheckBox(self.tr("Het gaat (ook) om gegevens van leerlingen"))
        self.q_recovered = QCheckBox(self.tr("De gegevens zijn terug of aantoonbaar ongelezen "
                                             "vernietigd"))
        suggest = QPushButton(self.tr("&Voorstel maken"))
        suggest.clicked.connect(self.suggest)
        box = QVBoxLayout(questions)
        for check in (self.q_special, self.q_encrypted, self.q_many, self.q_children,
                      self.q_recovered):
            box.addWidget(check)
        box.addWidget(suggest, alignment=Qt.AlignmentFlag.AlignLeft)
        self.risk_buttons = {risk: QRadioButton(label(risk)) for risk in Risk}
        self.risk_group = QButtonGroup(self)
        risk_row = QWidget()
        row = QHBoxLayout(risk_row)
        row.setContentsMargins(0, 0, 0, 0)
        for button in self.risk_buttons.values():
            self.risk_group.addButton(button)
            row.addWidget(button)
        row.addStretch(1)
        self.reasons = QPlainTextEdit()
        self.reasons.setTabChangesFocus(True)
        self.reasons.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.notify = QComboBox()
        self.notify.addItem(self.tr("— kies —"), None)
        self.notify.addItem(self.tr("Ja, melden bij de Autoriteit Persoonsgegevens"), True)
        self.notify.addItem(self.tr("Nee, niet melden"), False)
        self.notify_reason = QPlainTextEdit()
        self.notify_reason.setTabChangesFocus(True)
        self.notify_reason.setFixedHeight(self.fontMetrics().lineSpacing() * 2 + 14)
        self.assess_fields = {"risk": Field(risk_row), "reasons": Field(self.reasons),
                              "notify_reason": Field(self.notify_reason)}
        self.save_assessment = QPushButton(self.tr("Beoordeling &opslaan"))
        self.save_assessment.clicked.connect(self.assess)
        form = QFormLayout()
        form.addRow(self.tr("Risico"), self.assess_fields["risk"])
        form.addRow(self.tr("Onderbouwing"), self.assess_fields["reasons"])
        form.addRow(self.tr("Melden bij de AP"), self.notify)
        form.addRow(self.tr("Reden (ook bij niet melden)"), self.assess_fields["notify_reason"])
        layout = QVBoxLayout(page)
        layout.addWidget(questions)
        layout.addLayout(form)
        layout.addWidget(self.save_assessment, alignment=Qt.AlignmentFlag.AlignRight)
        layout.addStretch(1)
        return page

    def _notification_tab(self) -> QWidget:
        page = QWidget()
        self.notified_at = DateTimeEdit()
        self.ap_reference = QLineEdit()
        self.late_reason = QPlainTextEdit()
        self.late_reason.setFixedHeight(self.fontMetrics().lineSpacing() * 4)
        self.late_reason.setToolTip(self.tr(
            "Alleen nodig als er later dan 72 uur na het ontdekken is gemeld (AVG art. 33 lid 1)."))
        self.notify_fields = {"notified_at": Field(self.notified_at),
                              "late_reason": Field(self.late_reason)}
        save_notice = QPushButton(self.tr("Melding &vastleggen"))
        save_notice.clicked.connect(self.record_notice)
        notice = QGroupBox(self.tr("Melding bij de Autoriteit Persoonsgegevens"))
        form = QFormLayout(notice)
        form.addRow(self.tr("Gemeld op"), self.notify_fields["notified_at"])
        form.addRow(self.tr("Kenmerk van de AP"), self.ap_reference)
        form.addRow(self.tr("Redenen voor de vertraging\n(bij melden na 72 uur)"),
                    self.notify_fields["late_reason"])
        form.addRow("", save_notice)
        self.informed = QComboBox()
        self.informed.addItem(self.tr("— nog niet besloten —"), None)
        self.informed.addItem(self.tr("Ja, de betrokkenen zijn ingelicht"), True)
        self.informed.addItem(self.tr("Nee, niet ingelicht"), False)
        self.informed_at = DateTimeEdit()
        self.informed_how = QLineEdit()
        self.not_informed = QLineEdit()
        self.inform_fields = {"informed_at": Field(self.informed_at),
                              "reason_not": Field(self.not_informed)}
        save_inform = QPushButton(self.tr("&Inlichten vastleggen"))
        save_inform.clicked.connect(self.record_inform)
        people = QGroupBox(self.tr("Betrokkenen inlichten (bij hoog risico, AVG art. 34)"))
        form2 = QFormLayout(people)
        form2.addRow(self.tr("Ingelicht"), self.informed)
        form2.addRow(self.tr("Wanneer"), self.inform_fields["informed_at"])
        form2.addRow(self.tr("Hoe"), self.informed_how)
        form2.addRow(self.tr("Waarom niet"), self.inform_fields["reason_not"])
        form2.addRow("", save_inform)
        layout = QVBoxLayout(page)
        layout.addWidget(notice)
        layout.addWidget(people)
        layout.addStretch(1)
        self._notice_widgets = (self.notified_at, self.ap_reference, self.late_reason,
                                save_notice, self.informed,
                                self.informed_at, self.informed_how, self.not_informed,
                                save_inform)
        return page

    def _measures_tab(self) -> QWidget:
        page = QWidget()
        self.measures = RowsModel([
            (self.tr("Soort"), lambda m: code_label("measure", m.kind) or m.kind),
            (self.tr("Maatregel"), lambda m: m.description),
            (self.tr("Eigenaar"), lambda m: m.owner),
            (self.tr("Gereed op"), lambda m: m.due_on),
            (self.tr("Uitgevoerd"), lambda m: m.done_on)], parent=self)
        self.measure_table = QTableView()
        self.measure_table.setModel(self.measures)
        setup_table(self.measure_table, stretch_column=1)
        self.measure_kind = QComboBox()
        for kind in ("corrective", "preventive"):
            self.measure_kind.addItem(code_label("measure", kind), kind)
        self.measure_text = QLineEdit()
        self.measure_text.setPlaceholderText(self.tr("Wat wordt er gedaan?"))
        self.measure_owner = QLineEdit()
        self.measure_owner.setPlaceholderText(self.tr("Wie"))
        self.measure_due = DateEdit()
        self.measure_error = QLabel()
        self.measure_error.setStyleSheet(f"color: {ERROR_COLOUR};")
        add = QPushButton(self.tr("&Toevoegen"))
        add.clicked.connect(self.add_measure)
        done = QPushButton(self.tr("&Uitgevoerd vandaag"))
        done.clicked.connect(self.measure_done)
        row = QHBoxLayout()
        for widget in (self.measure_kind, self.measure_text, self.measure_owner,
                       self.measure_due, add):
            row.addWidget(widget)
        layout = QVBoxLayout(page)
        layout.addWidget(self.measure_table, 1)
        layout.addLayout(row)
        layout.addWidget(self.measure_error)
        layout.addWidget(done, alignment=Qt.AlignmentFlag.AlignLeft)
        self._measure_widgets = (self.measure_kind, self.measure_text, self.measure_owner,
                                 self.measure_due, add, done)
        return page

    def _sign_off_tab(self) -> QWidget:
        page = QWidget()
        self.sign_state = QLabel()
        self.sign_state.setWordWrap(True)
        self.sign_button = QPushButton(self.tr("Datalek a&ftekenen"))
        self.sign_button.clicked.connect(self.sign)
        self.amendments = RowsModel([
            (self.tr("Wanneer"), lambda a: format_school_moment(a.created_at)),
            (self.tr("Door"), lambda a: a.author), (self.tr("Over"), lambda a: label(a.fact)),
            (self.tr("Aanvulling"), lambda a: a.text)], parent=self)
        self.amendment_table = QTableView()
        self.amendment_table.setModel(self.amendments)
        setup_table(self.amendment_table, stretch_column=3)
        self.amendment_fact = QComboBox()
        for fact in FACT_ORDER:
            self.amendment_fact.addItem(label(fact), fact)
        self.amendment_fact.setCurrentIndex(len(FACT_ORDER) - 1)
        self.amendment_fact.setToolTip(self.tr("Over welk feit gaat de aanvulling?"))
        self.amendment_text = QLineEdit()
        self.amendment_text.setPlaceholderText(self.tr("Nieuwe informatie over dit datalek"))
        self.amend_button = QPushButton(self.tr("Aanvulling &toevoegen"))
        self.amend_button.clicked.connect(self.amend)
        over = QLabel(self.tr("O&ver"))
        over.setBuddy(self.amendment_fact)
        row = QHBoxLayout()
        row.addWidget(over)
        row.addWidget(self.amendment_fact)
        row.addWidget(self.amendment_text, 1)
        row.addWidget(self.amend_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.sign_state)
        layout.addWidget(self.sign_button, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(heading(self.tr("Aanvullingen"), size_delta=1))
        layout.addWidget(self.amendment_table, 1)
        layout.addLayout(row)
        return page

    # --- loading ---------------------------------------------------------------------------

    def load(self) -> None:
        with self.vault.session() as session:
            details = breach_details(session, self.user, self.breach_id)
        b = details.facts
        self.details = details
        self.reference, self.status = b.reference, b.status
        status = b.deadline(self.clock())
        risk, reasons, notify, reason = b.risk, b.risk_reasons, b.notify_ap, b.notify_reason
        notified, ap_ref, late_reason = b.notified_at, b.ap_reference, b.late_reason
        informed, informed_at = b.subjects_informed, b.informed_at
        how, not_informed = b.informed_how, b.not_informed_reason
        signed_by, signed_at = b.signed_off_by, b.signed_off_at
        self.measures.set_rows(details.measures)
        self.amendments.set_rows(details.amendments)
        self.facts.show_details(details)
        self.q_special.setChecked(b.special_categories)
        self.q_encrypted.setChecked(b.data_encrypted)
        self.q_many.setChecked((b.affected_max or b.affected_min or 0) > 10)
        self.q_children.setChecked("pupils" in b.affected_groups)
        closed = self.status == BreachStatus.CLOSED
        self.setWindowTitle(self.tr("Datalek {reference}").format(reference=self.reference))
        self.title.setText(self.tr("Datalek {reference} — {status}").format(
            reference=self.reference, status=label(BreachStatus(self.status))))
        colour = ERROR_COLOUR if status.overdue else "#1f4e79"
        self.countdown.setText(
            f"<span style='color:{colour}; font-weight:bold'>"
            f"{deadline_short(status)}</span> — " + deadline_sentence(status).replace(
                "&", "&amp;").replace("<", "&lt;"))
        if risk in self.risk_buttons:
            self.risk_buttons[Risk(risk)].setChecked(True)
        self.reasons.setPlainText(reasons)
        self.notify.setCurrentIndex(self.notify.findData(notify) if notify is not None else 0)
        self.notify_reason.setPlainText(reason)
        self.notified_at.set_value(notified)
        self.ap_reference.setText(ap_ref)
        self.late_reason.setPlainText(late_reason)
        self.informed.setCurrentIndex(self.informed.findData(informed)
                                      if informed is not None else 0)
        self.informed_at.set_value(informed_at)
        self.informed_how.setText(how)
        self.not_informed.setText(not_informed)
        editable = self.can_edit and not closed
        for widget in (*self._notice_widgets, *self._measure_widgets, self.save_assessment,
                       self.edit_button, self.reasons, self.notify, self.notify_reason,
                       *self.risk_buttons.values()):
            widget.setEnabled(editable)
        self.sign_button.setEnabled(self.can_sign and not closed)
        self.amend_button.setEnabled(self.can_edit)
        self.amendment_text.setEnabled(self.can_edit)
        if closed:
            self.sign_state.setText(self.tr("Afgetekend door {name} op {moment}. Het datalek "
                                            "is gesloten; nieuwe informatie voegt u toe als "
                                            "aanvulling.").format(
                                                name=signed_by,
                                                moment=format_school_moment(signed_at)))
        elif self.can_sign:
            self.sign_state.setText(self.tr("Na aftekenen kan het datalek niet meer worden "
                                            "gewijzigd; alleen aanvullingen zijn dan mogelijk."))
        else:
            self.sign_state.setText(self.tr("Alleen de directie tekent een datalek af."))

    # --- actions ---------------------------------------------------------------------------

    def _run(self, action, fields: dict[str, Field] | None = None) -> bool:  # noqa: ANN001
        for field in (fields or {}).values():
            field.error.clear()
        try:
            with self.vault.session() as session:
                action(session)
        except ValidationError as error:
            target = (fields or {}).get(error.field or "")
            if target is not None:
                target.error.show_message(str(error))
            else:
                widgets.warn(self, self.windowTitle(), str(error))
            return False
        except RegisterError as error:
            widgets.warn(self, self.windowTitle(), str(error))
            return False
        self.changed = True
        self.load()
        return True

    def suggest(self) -> None:
        level, reasons = suggest_risk(RiskAnswers(
            special_or_bsn=self.q_special.isChecked(), encrypted=self.q_encrypted.isChecked(),
            many=self.q_many.isChecked(), children=self.q_children.isChecked(),
            recovered=self.q_recovered.isChecked()))
        self.risk_buttons[level].setChecked(True)
        self.reasons.setPlainText(reasons)
        self.notify.setCurrentIndex(self.notify.findData(level != Risk.NONE))

    def assess(self) -> bool:
        chosen = next((risk for risk, button in self.risk_buttons.items()
                       if button.isChecked()), None)
        if chosen is None:
            self.assess_fields["risk"].error.show_message(self.tr("Kies het risico."))
            return False
        if self.notify.currentData() is None:
            self.assess_fields["notify_reason"].error.show_message(
                self.tr("Kies of er wordt gemeld bij de AP."))
            return False
        return self._run(lambda s: assess(
            s, self.user, self.breach_id, risk=chosen, reasons=self.reasons.toPlainText(),
            notify_ap=self.notify.currentData(),
            notify_reason=self.notify_reason.toPlainText(), clock=self.clock),
            self.assess_fields)

    def record_notice(self) -> bool:
        try:
            moment = self.notified_at.value()
        except ValueError as error:
            self.notify_fields["notified_at"].error.show_message(str(error))
            return False
        if moment is None:
            self.notify_fields["notified_at"].error.show_message(
                self.tr("Vul in wanneer er is gemeld."))
            return False
        return self._run(lambda s: record_notification(
            s, self.user, self.breach_id, notified_at=moment,
            ap_reference=self.ap_reference.text(), late_reason=self.late_reason.toPlainText(),
            clock=self.clock), self.notify_fields)

    def record_inform(self) -> bool:
        try:
            moment = self.informed_at.value()
        except ValueError as error:
            self.inform_fields["informed_at"].error.show_message(str(error))
            return False
        informed = self.informed.currentData()
        if informed is None:
            self.inform_fields["reason_not"].error.show_message(self.tr("Kies ja of nee."))
            return False
        return self._run(lambda s: record_informing(
            s, self.user, self.breach_id, informed=informed, informed_at=moment,
            how=self.informed_how.text(), reason_not=self.not_informed.text(),
            clock=self.clock), self.inform_fields)

    def add_measure(self) -> bool:
        self.measure_error.clear()
        try:
            due = self.measure_due.date_value()
        except ValueError as error:
            self.measure_error.setText(str(error))
            return False
        try:
            with self.vault.session() as session:
                add_measure(session, self.user, self.breach_id,
                            kind=self.measure_kind.currentData(),
                            description=self.measure_text.text(),
                            owner=self.measure_owner.text(), due_on=due, clock=self.clock)
        except RegisterError as error:
            self.measure_error.setText(str(error))
            return False
        for edit in (self.measure_text, self.measure_owner, self.measure_due):
            edit.clear()
        self.changed = True
        self.load()
        return True

    def measure_done(self) -> None:
        row = selected_row(self.measure_table)
        if row is None:
            return
        measure = self.measures.row_at(row)
        self._run(lambda s: complete_measure(s, self.user, measure.id, local_today(self.clock),
                                             clock=self.clock))

    def sign(self) -> bool:
        if not widgets.confirm(self, self.windowTitle(),
                               self.tr("Na aftekenen kan het datalek niet meer worden "
                                       "gewijzigd. Aftekenen?"),
                               yes=self.tr("Aftekenen"), danger=True):
            return False
        return self._run(lambda s: sign_off(s, self.user, self.breach_id, clock=self.clock))

    def amend(self) -> bool:
        text = self.amendment_text.text()
        fact = self.amendment_fact.currentData()
        if self._run(lambda s: add_amendment(s, self.user, self.breach_id, text, fact=fact,
                                             clock=self.clock)):
            self.amendment_text.clear()
            return True
        return False

    def edit_details(self) -> None:
        if BreachDialog.ask(self, self.vault, self.user, breach_id=self.breach_id,
                            clock=self.clock) is not None:
            self.changed = True
            self.load()

    def print_report(self, *, blocking: bool = False) -> Task | None:
        """Rapport afdrukken…: this breach's report as a PDF, written off the GUI thread."""
        from desktop.printing.breaches import breach_report_pdf

        now = self.clock()
        user, breach_id = self.user, self.breach_id

        def gather(session: Session) -> BreachReport:
            return gather_breach_report(session, user, breach_id, now)

        def write(path: Path, report: BreachReport, _progress) -> None:  # noqa: ANN001
            breach_report_pdf(path, report, printed_at=now)

        self.task = export(self, self.vault, title=self.tr("Rapport afdrukken"),
                           suggested_name=self.tr("Datalek {reference}").format(
                               reference=self.reference),
                           gather=gather, write=write, blocking=blocking,
                           saved_text=self.tr("Het rapport is opgeslagen:\n{path}\n\nHet "
                                              "bestand is niet versleuteld; bewaar het "
                                              "zorgvuldig."))
        return self.task

    @classmethod
    def show_breach(cls, parent: QWidget | None, vault: Vault, user: Actor, breach_id: int, *,
                    clock: Clock = system_clock) -> bool:
        """Show one breach (modal); True when something was changed. The dialog is freed
        when it closes: a breach may name people."""
        dialog = cls(parent, vault, user, breach_id, clock=clock)
        try:
            dialog.exec()
            return dialog.changed
        finally:
            dialog.deleteLater()
