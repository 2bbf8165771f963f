"""Overzicht: the start page. How big the register is (the counters, always in sight), and what
needs attention — collected from every area the user may open, most urgent first: a legal
deadline passed (red), a deadline near (amber), something to do. Each line opens the record
or the list it is about (the area's ``open_target``).

At start-up the main window is painted first and the overview reads right after
(LOADS_AFTER_PAINT): until then each count shows '…' and no attention line is shown, so nothing
on screen is a number or an all-clear that was not read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale, Qt
from PySide6.QtGui import QFont, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from db.overview import Level, OverviewSummary, last_backup_at, level_rank, summary
from db.permissions import Permission, may
from desktop.areas import home_icon
from desktop.kit.forms import ERROR_COLOUR, heading, hint
from desktop.kit.labels import label
from desktop.kit.page import AreaContext, Attention, RegisterPage, register_page
from desktop.kit.widgets import local_time

CARD_SPACING = 12
PLACEHOLDER = "…"
CARD_MIN_WIDTH = 160

LEVEL_STYLES = {  # background, border, and the colour of the level's words
    Level.LATE: ("#fde4e2", "#c9463d", "#8c1d18"),
    Level.SOON: ("#fff1c7", "#d9a826", "#5c4300"),
    Level.OPEN: ("#f4f6f8", "#c5ccd3", "#3c4650"),
}
CARD_STYLE = """
QFrame#card { background: palette(base); border: 1px solid palette(mid); border-radius: 8px; }
QFrame#calm { background: #eef6ee; border: 1px solid #a9cfa9; border-radius: 8px; }
"""


def _tr(text: str) -> str:
    return QCoreApplication.translate("OverviewPage", text)


class Card(QFrame):
    """A number with what it counts: '412 / Leerlingen / nu ingeschreven'."""

    def __init__(self, title: str, description: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.title = title
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(0)
        self.number = QLabel(PLACEHOLDER)  # until the count is read: never a wrong number
        big = QFont(self.number.font())
        big.setPointSize(big.pointSize() + 10)
        big.setBold(True)
        self.number.setFont(big)
        self.title_label = QLabel(title)
        bold = QFont(self.title_label.font())
        bold.setBold(True)
        self.title_label.setFont(bold)
        self.description = hint(description)
        layout.addWidget(self.number)
        layout.addWidget(self.title_label)
        layout.addWidget(self.description)
        layout.addStretch(1)  # cards of one row are as tall as the tallest, text at the top
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(CARD_MIN_WIDTH)

    def set_value(self, value: int, *, alarm: bool = False) -> None:
        self.number.setText(QLocale().toString(value))
        self.number.setStyleSheet(f"color: {ERROR_COLOUR};" if alarm and value else "")
        self.setAccessibleName(f"{self.title}: {value}")


@dataclass(frozen=True)
class OverviewData:
    summary: OverviewSummary | None
    attention: list[Attention]
    last_backup: datetime | None


def collect_attention(context: AreaContext, session: Session) -> list[Attention]:
    """What every area this user may open says needs attention, most urgent first (in menu
    order within a level). Uses the caller's session: one connection, no nesting."""
    from desktop.areas import menu

    window = context.window
    areas = getattr(window, "areas", None)
    if areas is None:
        areas = [area for area in menu()
                 if area.permission is None or may(context.user, area.permission)]
    items: list[Attention] = []
    for area in areas:
        if area.attention is not None:
            items.extend(area.attention(context, session))
    return sorted(items, key=lambda item: level_rank(item.level))


class OverviewPage(RegisterPage):
    """The counts from db.overview.summary and the "Aandacht nodig" list of every area."""

    KEY, TITLE = "overview", QT_TRANSLATE_NOOP("Areas", "Overzicht")
    PERMISSION = None
    TR_CONTEXT = "OverviewPage"
    ICON = home_icon
    LOADS_AFTER_PAINT = True  # the counts come right after the window is on screen

    def build(self) -> QWidget:
        context = self.context
        subtitle = context.school_name
        if context.brin:
            subtitle = _tr("{school} · BRIN {brin}").format(school=context.school_name,
                                                            brin=context.brin)
        self.hint_label.setText(subtitle)
        self.hint_label.setVisible(bool(subtitle))
        self.may_read = may(self.user, Permission.READ_REGISTER)
        self.summary: OverviewSummary | None = None
        self.attention_items: list[Attention] = []

        body = QWidget()
        body.setStyleSheet(CARD_STYLE)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)

        self.cards: dict[str, Card] = {}
        self.columns = 0
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(CARD_SPACING)
        self.grid.setVerticalSpacing(CARD_SPACING)
        if self.may_read:
            specs = (
                ("pupils_current", _tr("Leerlingen"), _tr("nu ingeschreven")),
                ("guardians", _tr("Ouders en verzorgers"), _tr("in het register")),
                ("consent_purposes", _tr("Toestemmingsdoelen"),
                 _tr("waarvoor ouders toestemming geven")),
                ("open_breaches", _tr("Open datalekken"), _tr("nog niet afgerond")),
                ("open_requests", _tr("Open verzoeken"), _tr("nog niet beantwoord")),
                ("suppliers", _tr("Leveranciers"), _tr("die leerlinggegevens krijgen")),
            )
            for key, title, description in specs:
                self.cards[key] = Card(title, description)
            self._place_cards(6)
            layout.addLayout(self.grid)
        else:
            layout.addWidget(hint(_tr(
                "Met uw rol kunt u de aantallen in het register niet inzien.")))

        layout.addSpacing(4)
        layout.addWidget(heading(_tr("Aandacht nodig")))
        rows = QWidget()
        self.attention_box = QVBoxLayout(rows)
        self.attention_box.setContentsMargins(0, 0, 8, 0)
        self.attention_box.setSpacing(8)
        self.attention_box.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(rows)
        layout.addWidget(self.scroll, 1)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.refresh)
        return body

    def _place_cards(self, columns: int) -> None:
        """Six cards in a row when there is room, three or two in a narrower window."""
        if columns == self.columns or not self.cards:
            return
        self.columns = columns
        for card in self.cards.values():
            self.grid.removeWidget(card)
        for index, card in enumerate(self.cards.values()):
            self.grid.addWidget(card, index // columns, index % columns)
        for column in range(6):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not getattr(self, "cards", None):
            return
        room = event.size().width() - 32
        fits = (room + CARD_SPACING) // (CARD_MIN_WIDTH + CARD_SPACING)
        self._place_cards(6 if fits >= 6 else 3 if fits >= 3 else 2)

    # --- data ------------------------------------------------------------------------------

    def load(self, session: Session) -> OverviewData:
        counts = None
        if self.may_read:
            counts = summary(session, self.user, today=self._today(), clock=self.clock)
        return OverviewData(counts, collect_attention(self.context, session),
                            last_backup_at(self.vault))

    def _today(self):  # noqa: ANN202 - a date
        from db.clock import local_today

        return local_today(self.clock)

    def show_rows(self, data: OverviewData) -> None:
        self.summary = data.summary
        if data.summary is not None:
            for key, card in self.cards.items():
                card.set_value(getattr(data.summary, key),
                               alarm=key in ("open_breaches", "open_requests"))
        self.attention_items = data.attention
        self._show_attention()
        self.set_count(_tr("Laatste reservekopie: {when}").format(
            when=local_time(data.last_backup)) if data.last_backup else "")

    # kept for callers of the old page
    @property
    def attention_list(self) -> list[Attention]:
        return self.attention_items

    def _show_attention(self) -> None:
        """Replace the lines: the old ones are deleted, not hidden (no growth all day)."""
        while self.attention_box.count() > 1:  # the last item is the stretch
            widget = self.attention_box.takeAt(0).widget()
            if widget is not None:
                widget.hide()  # deleteLater alone would leave it painted until the next loop
                widget.deleteLater()
        rows = ([self._row(item) for item in self.attention_items] if self.attention_items
                else [self._calm_row()])
        for number, row in enumerate(rows):
            self.attention_box.insertWidget(number, row)

    def _calm_row(self) -> QFrame:
        row = QFrame()
        row.setObjectName("calm")
        layout = QHBoxLayout(row)
        layout.setContentsMargins(14, 10, 14, 10)
        text = QLabel(_tr("Er is op dit moment niets dat aandacht nodig heeft."))
        text.setWordWrap(True)
        layout.addWidget(text, 1)
        row.label = text
        return row

    def _row(self, item: Attention) -> QFrame:
        level = Level(item.level) if item.level in set(Level) else Level.OPEN
        background, border, words = LEVEL_STYLES[level]
        row = QFrame()
        row.setObjectName("attention")
        row.setProperty("level", str(level))
        row.setStyleSheet(f"QFrame#attention {{ background: {background}; border: 1px solid "
                          f"{border}; border-left: 5px solid {border}; border-radius: 6px; }}")
        layout = QHBoxLayout(row)
        layout.setContentsMargins(14, 8, 14, 8)
        layout.setSpacing(12)
        tag = QLabel(label(level))
        tag.setStyleSheet(f"color: {words};")
        bold = QFont(tag.font())
        bold.setBold(True)
        tag.setFont(bold)
        # one width for every level (measured in bold), so the texts beside them line up
        tag.setFixedWidth(max(tag.fontMetrics().horizontalAdvance(label(each))
                              for each in Level) + 8)
        tag.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(tag)
        text = QLabel(item.text)
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(text, 1)
        if item.action is not None or item.area:
            button = QPushButton(item.action_label or _tr("Openen"))
            button.setAccessibleName(f"{button.text()}: {item.text}")
            if item.action is not None:
                button.clicked.connect(item.action)
            else:
                button.clicked.connect(lambda _checked=False, it=item: self.open_item(it))
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)
            row.button = button
        row.label = text
        row.level = level
        return row

    def open_item(self, item: Attention) -> None:
        """Open the area of a line, and in it the record or list the line is about."""
        window = self.context.window
        if window is None:
            return
        page = window.show_area(item.area)
        opener = getattr(page, "open_target", None)
        if item.target is not None and callable(opener):
            opener(item.target)

    @classmethod
    def attention(cls, context: AreaContext, session: Session) -> list[Attention]:
        """Open breaches still to finish, and a missing backup; the other areas report their
        own lines."""
        items: list[Attention] = []
        if may(context.user, Permission.READ_REGISTER):
            from db.clock import local_today

            counts = summary(session, context.user, today=local_today(context.clock),
                             clock=context.clock)
            if counts.open_breaches == 1:
                items.append(Attention(_tr("Er is 1 datalek dat nog niet is afgerond."),
                                       area="breaches", level=Level.OPEN))
            elif counts.open_breaches > 1:
                items.append(Attention(_tr(
                    "Er zijn {n} datalekken die nog niet zijn afgerond.").format(
                        n=counts.open_breaches), area="breaches", level=Level.OPEN))
        window = context.window
        if (may(context.user, Permission.BACKUP) and window is not None
                and context.vault.key_mode != "server"  # the server makes its own backups
                and last_backup_at(context.vault) is None and not context.vault.list_backups()):
            items.append(Attention(
                _tr("Er is nog geen reservekopie gemaakt. Maak er nu een, zodat de gegevens "
                    "niet verloren gaan als deze computer kapotgaat."),
                action=window.make_backup, action_label=_tr("Reservekopie &maken"),
                level=Level.OPEN))
        return items


register_page(OverviewPage)
