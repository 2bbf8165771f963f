"""A register page: one area of the main window, registered like Picard registers its option
pages. The area says what it shows; the page gives every area the same shell.

Layout, the same in every area: the title and a hint on the left of the top bar with the
filters and the primary action on its right; the content below; the count at the bottom left
and the other actions at the bottom right. A role that may not use an action sees it disabled,
with the reason as its tooltip. A role that may not open the area at all sees the locked text.

    class SuppliersPage(RegisterPage):
        KEY, TITLE = "suppliers", QT_TRANSLATE_NOOP("Areas", "Leveranciers")
        PERMISSION = Permission.READ_REGISTER

        def build(self) -> QWidget: ...                  # the content, once
        def load(self, session) -> Rows: ...             # a db/ use case (require + query)
        def show_rows(self, rows: Rows) -> None: ...     # fill the widgets
        def actions(self) -> list[Action]: ...

    register_page(SuppliersPage)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from db.clock import Clock, system_clock
from db.errors import RegisterError
from db.permissions import Actor, Permission, may, required_role_text
from db.vault import Vault
from desktop.kit.forms import heading, hint
from desktop.kit.screen import after_first_paint

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow


def tr(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


@dataclass(frozen=True)
class Attention:
    """One line under "Aandacht nodig": what is wrong, and where the user fixes it.

    `level` orders the overview: "late" (a legal deadline passed), "soon" (a deadline is
    near) or "todo". `target` names the record or filter the area opens to, for `open_target`.
    """

    text: str
    area: str = ""  # key of the area that opens when the line is activated
    action: Callable[[], None] | None = None  # or something to do instead (e.g. a backup)
    action_label: str = ""  # the button's text; "Openen" when empty
    level: str = "todo"
    target: Any = None


@dataclass
class AreaContext:
    """What an area's page gets: the open register, who is logged in, and the window."""

    vault: Vault
    user: Actor
    school_name: str
    brin: str
    window: QMainWindow | None = None
    clock: Clock = system_clock
    # the window's first page reads its data after it is painted (pages that allow it:
    # RegisterPage.LOADS_AFTER_PAINT); set by MainWindow(load_after_paint=True), the start-up
    load_after_paint: bool = False


@dataclass(frozen=True)
class Area:
    """One entry of the navigation list."""

    key: str
    title: str  # translated when the area list is made (after the translators are installed)
    factory: Callable[[AreaContext], QWidget]
    permission: Permission | None = None  # None: every logged-in user
    icon: Callable[[], QIcon] | None = None
    attention: Callable[[AreaContext, Session], list[Attention]] | None = field(default=None)


@dataclass(frozen=True)
class Action:
    """A button of a page. `permission`: who may use it (others see it disabled, and why)."""

    text: str
    handler: Callable[[], Any]
    permission: Permission | None = None
    primary: bool = False  # top right, beside the filters; the others go bottom right
    tooltip: str = ""
    shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None
    name: str = ""  # the attribute the button is kept under (page.buttons[name])


CAPTION_ROOM = 4  # px beyond a filter caption's size hint


class RegisterPage(QWidget):
    """The shell every area shares. Subclasses set KEY, TITLE, PERMISSION (and LOCKED_TEXT,
    HINT) and implement build(), load() and show_rows(); actions() and attention() are
    optional."""

    KEY: ClassVar[str] = ""
    TITLE: ClassVar[str] = ""  # marked with QT_TRANSLATE_NOOP("Areas", ...)
    PERMISSION: ClassVar[Permission | None] = Permission.READ_REGISTER
    LOCKED_TEXT: ClassVar[str] = "U mag dit onderdeel niet inzien met uw rol. Vraag de beheerder " \
        "of de directie als u het voor uw werk nodig hebt."
    HINT: ClassVar[str] = ""
    TR_CONTEXT: ClassVar[str] = "Areas"
    ICON: ClassVar[Callable[[], QIcon] | None] = None
    # until load() has run the page shows '…' marks that cannot be mistaken for data, so it
    # may be painted first and read right after (AreaContext.load_after_paint)
    LOADS_AFTER_PAINT: ClassVar[bool] = False

    changed = Signal()

    def __init__(self, context: AreaContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.vault, self.user, self.clock = context.vault, context.user, context.clock
        self.buttons: dict[str, QPushButton] = {}
        self.data_shown = False  # show_rows() has shown what load() read, at least once
        self.title_label = heading(tr("Areas", self.TITLE))
        self.hint_label = hint(tr(self.TR_CONTEXT, self.HINT) if self.HINT else "")
        self.hint_label.setVisible(bool(self.HINT))
        self.filters = QHBoxLayout()
        self.filters.setSpacing(8)
        self.count_label = QLabel()
        self.count_label.setAccessibleName(tr("Kit", "Aantal"))
        self.locked_label = QLabel()
        self.locked_label.setWordWrap(True)
        self.locked_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.locked_label.setStyleSheet("color: #555555; padding: 24px;")
        self.locked_label.setTextFormat(Qt.TextFormat.PlainText)

        # the title with the filters and the primary action beside it; the hint below, across
        # the page's width: beside the filters it was squeezed into a column of three lines
        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(self.title_label, 1)
        top.addLayout(self.filters)
        self.bottom = QHBoxLayout()
        self.bottom.setSpacing(8)
        self.bottom.addWidget(self.count_label)
        self.bottom.addStretch(1)

        self.content = QWidget()
        inner = QVBoxLayout(self.content)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(10)
        head = QVBoxLayout()  # the hint belongs to the title: closer to it than the table
        head.setSpacing(4)
        head.addLayout(top)
        head.addWidget(self.hint_label)
        inner.addLayout(head)
        self.body_layout = inner
        self.pages = QStackedLayout()
        self.pages.addWidget(self.content)
        self.pages.addWidget(self.locked_label)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        outer.addLayout(self.pages)

        if not self.may_open(self.user):
            self.show_locked(tr(self.TR_CONTEXT, self.LOCKED_TEXT))
            return
        body = self.build()
        inner.addWidget(body, 1)
        inner.addLayout(self.bottom)
        self._add_actions()
        if self.LOADS_AFTER_PAINT and context.load_after_paint:
            after_first_paint(self, self._first_load)
        else:
            self.refresh()

    def _first_load(self) -> None:
        if not self.data_shown:  # unless a refresh came first
            self.refresh()

    # --- what an area implements -------------------------------------------------------

    def build(self) -> QWidget:
        """The content between the top bar and the bottom bar, built once."""
        raise TypeError(f"{type(self).__name__} must build its content")

    def load(self, session: Session) -> Any:
        """Read what the page shows, through db/ use cases (they check the role)."""
        return None

    def show_rows(self, data: Any) -> None:
        """Fill the widgets with what load() read."""

    def actions(self) -> list[Action]:
        return []

    @classmethod
    def attention(cls, context: AreaContext, session: Session) -> list[Attention]:
        return []

    @classmethod
    def create(cls, context: AreaContext) -> QWidget:
        """The area's page for this context (the navigation's factory). An area that shows
        another page to some roles (the teacher's photo list) overrides this."""
        return cls(context)

    @classmethod
    def may_open(cls, user: Actor) -> bool:
        return cls.PERMISSION is None or may(user, cls.PERMISSION)

    # --- the shared behaviour ----------------------------------------------------------

    def refresh(self) -> None:
        """Read and show again; a refusal or failure shows its Dutch message instead."""
        if not self.may_open(self.user):
            return
        try:
            with self.vault.session() as session:
                data = self.load(session)
        except RegisterError as error:
            self.show_locked(str(error))
            return
        self.pages.setCurrentWidget(self.content)
        self.show_rows(data)
        self.data_shown = True

    def show_locked(self, text: str) -> None:
        self.locked_label.setText(text)
        self.pages.setCurrentWidget(self.locked_label)

    def set_count(self, text: str) -> None:
        self.count_label.setText(text)

    def add_filter(self, widget: QWidget, label: str = "") -> QWidget:
        """A filter in the top bar (left of the primary action), with its caption close to it
        and a wider gap to the filter before it."""
        if self.filters.count():
            self.filters.addSpacing(6)
        if label:
            caption = QLabel(label)
            caption.setBuddy(widget)
            # a few pixels beyond the text's advance: QLabel clips its text to its rectangle,
            # and the hint is the rounded advance, so the 'n' of 'Toon' was cut off
            caption.setMinimumWidth(caption.sizeHint().width() + CAPTION_ROOM)
            caption.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
            self.filters.addWidget(caption)
        self.filters.addWidget(widget)
        return widget

    def _add_actions(self) -> None:
        for action in self.actions():
            button = QPushButton(action.text)
            allowed = action.permission is None or may(self.user, action.permission)
            tooltip = action.tooltip
            if not allowed:
                tooltip = required_role_text(action.permission)
            button.setToolTip(tooltip)
            button.setEnabled(allowed)
            button.clicked.connect(lambda _checked=False, act=action: act.handler())
            if action.primary:
                button.setDefault(False)
                self.filters.addWidget(button)
            else:
                self.bottom.addWidget(button)
            if action.name:
                self.buttons[action.name] = button
            if allowed and action.shortcut is not None:
                shortcut = QShortcut(QKeySequence(action.shortcut), self, action.handler)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)


_PAGES: list[type[RegisterPage]] = []


def register_page(page: type[RegisterPage]) -> type[RegisterPage]:
    """Add an area to the navigation, after the ones registered before it."""
    if page not in _PAGES:
        _PAGES.append(page)
    return page


def registered_pages() -> list[type[RegisterPage]]:
    return list(_PAGES)


def area_of(page: type[RegisterPage]) -> Area:
    """The navigation entry of a registered page."""
    return Area(key=page.KEY, title=tr("Areas", page.TITLE), factory=page.create,
                permission=page.PERMISSION, icon=page.ICON, attention=page.attention)
