"""Every window fits the screen it opens on: a 1366×768 laptop with a Windows taskbar leaves
about 1366×728, and the title bar takes its share of that.

``fit_to_screen(dialog)`` is called once from a dialog's constructor (FormDialog does it for
its subclasses). When the dialog is shown it is made no larger than the screen's available
geometry and moved inside it; content that can grow long sits in ``scrolling(content)``, so
the buttons under it stay visible.

``after_first_paint(widget, then)`` calls ``then()`` once the widget is on screen: what can
wait (opening the register behind the login window, the overview's counts) waits for it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

# what a Windows title bar and window border take around a dialog's client area
FRAME = QSize(16, 40)


def available_size(widget: QWidget | None = None) -> QSize:
    """The room a window's client area has on its screen (taskbar and title bar left out)."""
    return _available(widget).size() - FRAME


def _available(widget: QWidget | None) -> QRect:
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


class _Fitter(QObject):
    """Keeps one dialog within its screen each time it is shown."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget):
            fit_now(watched)
        return False


def fit_to_screen(dialog: QWidget) -> None:
    """Make ``dialog`` fit its screen whenever it is shown (call once, in the constructor)."""
    fitter = _Fitter(dialog)
    dialog.installEventFilter(fitter)


def keeps_to_screen(dialog: QWidget) -> bool:
    """Whether ``fit_to_screen(dialog)`` was called (tests hold every dialog to it)."""
    return any(isinstance(child, _Fitter) for child in dialog.children())


def fit_now(dialog: QWidget) -> None:
    """Shrink ``dialog`` to its screen's available size and move it onto the screen."""
    room = available_size(dialog)
    limit = QSize(max(room.width(), 200), max(room.height(), 200))
    dialog.setMaximumSize(limit)
    # Qt's first size of a window is at most 2/3 of the screen; a form may use all of it
    wanted = dialog.size().expandedTo(dialog.sizeHint())
    dialog.resize(wanted.boundedTo(limit))
    area = _available(dialog)
    frame = dialog.frameGeometry()
    x = min(max(frame.x(), area.x()), area.right() - frame.width() + 1)
    y = min(max(frame.y(), area.y()), area.bottom() - frame.height() + 1)
    if (x, y) != (frame.x(), frame.y()):
        dialog.move(max(x, area.x()), max(y, area.y()))


class _FirstPaint(QObject):
    """Calls ``then()`` once, in the event loop's next turn after the widget's first paint
    (by then the painted window has been handed to the screen)."""

    def __init__(self, widget: QWidget, then: Callable[[], object]) -> None:
        super().__init__(widget)  # lives and goes with the widget, on the GUI thread
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, watched, self._then)  # dropped if the widget is gone by then
        return False


def after_first_paint(widget: QWidget, then: Callable[[], object]) -> None:
    """Call ``then()`` once after ``widget`` is first painted (never when it is not shown)."""
    _FirstPaint(widget, then)


class _Scroll(QScrollArea):
    """Asks for its content's whole size (a plain QScrollArea asks for a small fixed one), so
    a dialog is only as short as the screen makes it."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt name
        content = self.widget()
        if content is None:
            return super().sizeHint()
        hint = content.sizeHint()
        layout = content.layout()
        height = hint.height()
        if layout is not None and layout.hasHeightForWidth():
            height = max(height, layout.totalHeightForWidth(hint.width()))
        return QSize(hint.width() + self.verticalScrollBar().sizeHint().width(), height)

    def setWidget(self, widget: QWidget) -> None:  # noqa: N802 - Qt name
        super().setWidget(widget)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self._keep_content_tall()
            self.updateGeometry()
        return super().eventFilter(watched, event)

    def resizeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt name
        self._keep_content_tall()
        super().resizeEvent(event)

    def _keep_content_tall(self) -> None:
        """Scroll rather than squeeze: the content is never shorter than it wants to be at
        the width it gets (a plain QScrollArea squeezes forms with wrapped labels)."""
        content = self.widget()
        layout = content.layout() if content is not None else None
        if layout is None:
            return
        width = self.viewport().width()
        height = (layout.totalHeightForWidth(width) if layout.hasHeightForWidth()
                  else layout.totalSizeHint().height())
        if height > 0 and content.minimumHeight() != height:
            content.setMinimumHeight(height)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt name
        content = self.widget()
        if content is None:
            return super().minimumSizeHint()
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(content.minimumSizeHint().width() + bar, 120)


def scrolling(content: QWidget) -> QScrollArea:
    """``content`` in a frameless vertical scroll area: long forms scroll, buttons stay."""
    area = _Scroll()
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return area
