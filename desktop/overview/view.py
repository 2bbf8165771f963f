"""Overzicht: the start page. How big the register is, and what needs attention."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtGui import QFont, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from db.clock import SCHOOL_TZ, local_today
from db.overview import OverviewSummary, summary
from db.permissions import Permission, may
from db.vault import read_sidecar
from desktop.kit.forms import ERROR_COLOUR, heading, hint
from desktop.main_window import AreaContext, Attention

PAGE_MARGIN = 28
CARD_SPACING = 16
CARD_MIN_WIDTH = 210

CARD_STYLE = """
QFrame#card {
    background: palette(base);
    border: 1px solid palette(mid);
    border-radius: 8px;
}
QFrame#attention {
    background: #fff8e1;
    border: 1px solid #e0c36a;
    border-radius: 8px;
}
QFrame#calm {
    background: #eef6ee;
    border: 1px solid #a9cfa9;
    border-radius: 8px;
}
"""


class Card(QFrame):
    """A number with what it counts: '412 / Leerlingen / nu ingeschreven'."""

    def __init__(self, title: str, description: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.title = title
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(2)
        self.title_label = QLabel(title)
        bold = QFont(self.title_label.font())
        bold.setBold(True)
        self.title_label.setFont(bold)
        self.number = QLabel("–")
        big = QFont(self.number.font())
        big.setPointSize(big.pointSize() + 14)
        big.setBold(True)
        self.number.setFont(big)
        self.description = hint(description)
        layout.addWidget(self.title_label)
        layout.addWidget(self.number)
        layout.addWidget(self.description)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.setMinimumWidth(CARD_MIN_WIDTH)

    def set_value(self, value: int, *, alarm: bool = False) -> None:
        self.number.setText(QLocale().toString(value))
        self.number.setStyleSheet(f"color: {ERROR_COLOUR};" if alarm and value else "")
        self.setAccessibleName(f"{self.title}: {value}")


class OverviewPage(QWidget):
    """The counts from db.overview.summary and the "Aandacht nodig" list of every area."""

    def __init__(self, context: AreaContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.may_read = may(context.user, Permission.READ_REGISTER)
        self.summary: OverviewSummary | None = None
        self.attention: list[Attention] = []

        content = QWidget()
        content.setStyleSheet(CARD_STYLE)
        body = QVBoxLayout(content)
        body.setContentsMargins(PAGE_MARGIN, 24, PAGE_MARGIN, 24)
        body.setSpacing(14)
        body.addWidget(heading(self.tr("Overzicht"), size_delta=8))
        subtitle = context.school_name
        if context.brin:
            subtitle = self.tr("{school} · BRIN {brin}").format(school=context.school_name,
                                                                brin=context.brin)
        body.addWidget(hint(subtitle))

        body.addSpacing(6)
        body.addWidget(heading(self.tr("Aandacht nodig")))
        self.attention_box = QVBoxLayout()
        self.attention_box.setSpacing(8)
        body.addLayout(self.attention_box)

        self.cards: dict[str, Card] = {}
        self.columns = 0
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(CARD_SPACING)
        self.grid.setVerticalSpacing(CARD_SPACING)
        if self.may_read:
            body.addSpacing(6)
            body.addWidget(heading(self.tr("In het register")))
            specs = (
                ("pupils_current", self.tr("Leerlingen"), self.tr("nu ingeschreven")),
                ("guardians", self.tr("Ouders en verzorgers"), self.tr("in het register")),
                ("consent_purposes", self.tr("Toestemmingsdoelen"),
                 self.tr("waarvoor ouders toestemming geven")),
                ("open_breaches", self.tr("Open datalekken"), self.tr("nog niet afgerond")),
                ("open_requests", self.tr("Open verzoeken"), self.tr("nog niet beantwoord")),
                ("suppliers", self.tr("Leveranciers"), self.tr("die leerlinggegevens krijgen")),
            )
            for key, title, description in specs:
                self.cards[key] = Card(title, description)
            self._place_cards(3)
            body.addLayout(self.grid)
        else:
            body.addWidget(hint(self.tr(
                "Met uw rol kunt u de aantallen in het register niet inzien.")))

        self.backup_label = hint("")
        body.addSpacing(4)
        body.addWidget(self.backup_label)
        body.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.refresh)
        self.refresh()

    def _place_cards(self, columns: int) -> None:
        """Three cards a row when there is room, two or one in a narrow window."""
        if columns == self.columns or not self.cards:
            return
        self.columns = columns
        for card in self.cards.values():
            self.grid.removeWidget(card)
        for index, card in enumerate(self.cards.values()):
            self.grid.addWidget(card, index // columns, index % columns)
        for column in range(3):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        room = event.size().width() - 2 * PAGE_MARGIN - 24  # 24: a vertical scroll bar
        fits = (room + CARD_SPACING) // (CARD_MIN_WIDTH + CARD_SPACING)
        self._place_cards(max(1, min(3, fits)))

    def refresh(self) -> None:
        """Read the counts and the attention items again."""
        if self.may_read:
            with self.context.vault.session() as session:
                self.summary = summary(session, self.context.user,
                                       today=local_today(self.context.clock),
                                       clock=self.context.clock)
            for key, card in self.cards.items():
                card.set_value(getattr(self.summary, key),
                               alarm=key in ("open_breaches", "open_requests"))
        self.attention = self.context.window.attention_items()
        self._show_attention()
        self._show_last_backup()

    def _show_attention(self) -> None:
        while self.attention_box.count():
            widget = self.attention_box.takeAt(0).widget()
            if widget is not None:
                widget.hide()  # deleteLater alone would leave it painted until the next loop
                widget.deleteLater()
        if not self.attention:
            self.attention_box.addWidget(self._row(
                self.tr("Er is op dit moment niets dat aandacht nodig heeft."), calm=True))
            return
        for item in self.attention:
            self.attention_box.addWidget(self._row(item.text, item=item))

    def _row(self, text: str, *, item: Attention | None = None, calm: bool = False) -> QFrame:
        row = QFrame()
        row.setObjectName("calm" if calm else "attention")
        layout = QHBoxLayout(row)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(12)
        icon = QLabel()
        pixmap = (QStyle.StandardPixmap.SP_DialogApplyButton if calm
                  else QStyle.StandardPixmap.SP_MessageBoxWarning)
        icon.setPixmap(self.style().standardIcon(pixmap).pixmap(22, 22))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.addWidget(icon)
        label = QLabel(text)
        label.setWordWrap(True)
        layout.addWidget(label, 1)
        if item is not None and (item.action is not None or item.area):
            button = QPushButton(item.action_label or self.tr("Openen"))
            if item.action is not None:
                button.clicked.connect(item.action)
            else:
                button.clicked.connect(
                    lambda _=False, key=item.area: self.context.window.show_area(key))
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)
            row.button = button
        row.label = label
        return row

    def _show_last_backup(self) -> None:
        backups = self.context.vault.list_backups()
        if not backups:
            self.backup_label.setText("")
            self.backup_label.hide()
            return
        created = read_sidecar(backups[0]).get("created_at", "")
        try:
            moment = datetime.fromisoformat(created).astimezone(SCHOOL_TZ)
        except ValueError:
            self.backup_label.hide()
            return
        self.backup_label.setText(self.tr("Laatste reservekopie: {when}").format(
            when=moment.strftime("%d-%m-%Y %H:%M")))
        self.backup_label.show()


def overview_attention(context: AreaContext, session: Session) -> list[Attention]:
    """Open breaches, many failed log-ins (beheerder) and a missing backup; requests, suppliers
    and retention report their own."""
    translate = QCoreApplication.translate
    items: list[Attention] = []
    if may(context.user, Permission.READ_REGISTER):
        counts = summary(session, context.user, today=local_today(context.clock),
                         clock=context.clock)
        if counts.open_breaches == 1:
            items.append(Attention(translate(
                "OverviewPage", "Er is 1 datalek dat nog niet is afgerond."), area="breaches"))
        elif counts.open_breaches > 1:
            items.append(Attention(translate(
                "OverviewPage", "Er zijn {n} datalekken die nog niet zijn afgerond.",
            ).format(n=counts.open_breaches), area="breaches"))
        if counts.locked_out:  # counted only for the beheerder (MANAGE_USERS), see db.overview
            items.append(Attention(translate(
                "OverviewPage", "Bij {n} gebruikersnaam/-namen is de afgelopen twee weken 20 "
                "keer of vaker een verkeerd wachtwoord ingevuld. Misschien probeert iemand "
                "in te breken: controleer de gebruikers en het auditlog.",
            ).format(n=counts.locked_out), area="users"))
    if may(context.user, Permission.BACKUP) and not context.vault.list_backups():
        items.append(Attention(
            translate("OverviewPage", "Er is nog geen reservekopie gemaakt. Maak er nu een, "
                      "zodat de gegevens niet verloren gaan als deze computer kapotgaat."),
            action=context.window.make_backup,
            action_label=translate("OverviewPage", "Reservekopie &maken")))
    return items
