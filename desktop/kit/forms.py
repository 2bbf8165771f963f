"""What the dialogs share: a field with its error line, headings, hints, the errors of a form
and a dialog of labelled fields that saves on OK."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from db.errors import RegisterError, ValidationError
from desktop.kit.screen import fit_to_screen, scrolling

if TYPE_CHECKING:  # the login imports this module before its first paint: nothing more
    from desktop.kit.widgets import DateEdit

ERROR_COLOUR = "#b3261e"  # 6.0:1 on white: readable, and the text itself says what is wrong
HINT_COLOUR = "#555555"


class FieldError(QLabel):
    """The red line under a field that says what is wrong with it. Hidden while empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.hide()

    def show_message(self, message: str) -> None:
        self.setText(message)
        self.setVisible(bool(message))

    def clear(self) -> None:
        """Empty and hide (QLabel.clear only empties)."""
        super().clear()
        self.hide()


class Field(QWidget):
    """An input widget with its FieldError underneath, for one row of a QFormLayout."""

    def __init__(self, widget: QWidget, parent: QWidget | None = None,
                 extra: QWidget | None = None) -> None:
        super().__init__(parent)
        self.widget = widget
        self.error = FieldError(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        if extra is None:
            layout.addWidget(widget)
        else:
            layout.addWidget(extra)  # e.g. the line edit and a Bladeren… button in a row
        layout.addWidget(self.error)
        self.setFocusProxy(widget)


def add_field(form: QFormLayout, fields: dict[str, Field], key: str, label: str,
              widget: QWidget, extra: QWidget | None = None) -> Field:
    """A labelled row of `form` whose error shows under the widget, kept in `fields` by
    `key`; typing in a line edit clears its error."""
    field = Field(widget, extra=extra)
    fields[key] = field
    form.addRow(label, field)
    form.labelForField(field).setBuddy(widget)
    if isinstance(widget, QLineEdit):
        widget.textEdited.connect(field.error.clear)
    return field


def align_labels(fields: dict[str, Field]) -> None:
    """One label column for fields spread over several forms, so they line up."""
    labels = [field.parentWidget().layout().labelForField(field) for field in fields.values()]
    width = max(label.sizeHint().width() for label in labels)
    for label in labels:
        label.setMinimumWidth(width)


def heading(text: str, *, size_delta: int = 2) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setBold(True)
    font.setPointSize(font.pointSize() + size_delta)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def hint(text: str) -> QLabel:
    """A wrapped explanatory paragraph in a quieter colour."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {HINT_COLOUR};")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _tr(text: str) -> str:
    return QCoreApplication.translate("accountability", text)


class FormErrors:
    """Fields of one dialog by name, each with its error line; ``show(error)`` puts a
    ValidationError under the field it names (or in the general line at the bottom)."""

    def __init__(self) -> None:
        self.fields: dict[str, Field] = {}
        self.general = FieldError()

    def add(self, form: QFormLayout, name: str, label: str, widget: QWidget,
            extra: QWidget | None = None) -> Field:
        field = Field(widget, extra=extra)
        # the error line under a narrow field (a date, a number) gets the row's whole width
        field.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        caption = QLabel(label)
        caption.setBuddy(widget)
        form.addRow(caption, field)
        self.fields[name] = field
        return field

    def alias(self, name: str, existing: str) -> None:
        """Let errors for ``name`` appear under the field ``existing``."""
        self.fields[name] = self.fields[existing]

    def clear(self) -> None:
        for field in self.fields.values():
            field.error.clear()
        self.general.clear()

    def show(self, error: RegisterError | str, field: str | None = None) -> None:
        message = str(error)
        name = field or (error.field if isinstance(error, ValidationError) else None)
        target = self.fields.get(name or "")
        if target is None:
            self.general.show_message(message)
            return
        target.error.show_message(message)
        target.widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def message(self, name: str) -> str:
        """The message shown at a field ('' when none): for tests and screen readers."""
        field = self.fields.get(name)
        error = field.error if field is not None else self.general
        return error.text() if not error.isHidden() else ""


def date_of(edit: DateEdit, field: str, label: str, *, required: bool = True):  # noqa: ANN201
    """The date typed in ``edit``; a ValidationError at ``field`` when it is missing or wrong."""
    try:
        value = edit.date_value()
    except ValueError as error:
        raise ValidationError(_tr("{label} klopt niet: {reason}.").format(
            label=label, reason=error), field=field) from None
    if value is None and required:
        raise ValidationError(_tr("Vul {label} in (dd-mm-jjjj).").format(
            label=label.lower()), field=field)
    return value


def text_box(lines: int = 4, *, minimum_width: int = 420) -> QPlainTextEdit:
    """A multi-line text field where Tab moves on (keyboard users never get stuck in it)."""
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 16)
    box.setMinimumWidth(minimum_width)
    return box


class FormDialog(QDialog):
    """A dialog of labelled fields that saves on OK and stays open on a ValidationError.

    Subclasses add rows with ``self.errors.add(self.form, name, label, widget)`` (and what
    goes under the form with ``add_below_form``) and implement ``save()``; it raises
    RegisterError (shown at the field it names) or returns normally. The heading, the form
    and what is under it scroll when the screen is too low (``layout_`` is their layout); the
    general error line and the buttons stay in view. The dialog keeps to its screen.
    Tests fill the widgets and call ``accept()``; ``ask()`` is the only place that exec()s.
    """

    def __init__(self, parent: QWidget | None, title: str, *, ok_text: str,
                 intro: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.errors = FormErrors()
        self.form = QFormLayout()
        self.form.setVerticalSpacing(10)
        self.form.setHorizontalSpacing(16)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(_tr("Annuleren"),
                                                    QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        content = QWidget()
        self.layout_ = QVBoxLayout(content)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(12)
        self.layout_.addWidget(heading(title))
        if intro:
            self.layout_.addWidget(hint(intro))
        self.layout_.addLayout(self.form)
        self.layout_.addStretch(1)
        self.scroll = scrolling(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 16)
        outer.setSpacing(12)
        outer.addWidget(self.scroll, 1)
        outer.addWidget(self.errors.general)  # beside the buttons: seen without scrolling
        outer.addWidget(self.buttons)
        self.preferred_width = 560  # at least this wide; wider when the fields need it
        fit_to_screen(self)

    def add_below_form(self, item: QWidget | QLayout) -> None:
        """Put ``item`` (a widget or a layout) under the form and what was added before."""
        at = self.layout_.count() - 1  # before the closing stretch
        if isinstance(item, QLayout):
            self.layout_.insertLayout(at, item)
        else:
            self.layout_.insertWidget(at, item)

    def sizeHint(self) -> QSize:
        """As wide as ``preferred_width`` (or the fields), as high as the form is at that
        width: the screen may then make it lower (screen.fit_now), and the form scrolls."""
        hint = super().sizeHint()
        width = max(hint.width(), self.preferred_width)
        margins = self.layout().contentsMargins()
        inner = width - margins.left() - margins.right()
        body = self.layout_.totalHeightForWidth(inner) if self.layout_.hasHeightForWidth() \
            else self.layout_.totalSizeHint().height()
        return QSize(width, hint.height() - self.scroll.sizeHint().height() + body)

    @classmethod
    def ask(cls, *args: Any, **kwargs: Any) -> bool:
        """Show the dialog; True when it saved. The dialog is freed when it closes."""
        dialog = cls(*args, **kwargs)
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()  # a closed dialog with a parent lives as long as the parent

    def accept(self) -> None:
        self.errors.clear()
        try:
            self.save()
        except RegisterError as error:
            self.errors.show(error)
            field = self.errors.fields.get(getattr(error, "field", None) or "")
            if field is not None:
                self.scroll.ensureWidgetVisible(field)  # a message under a field out of view
            return
        super().accept()
