"""An import in steps, in one dialog: file → columns → preview → result.

The pupils import and the consent-preferences import share this shell: the page stack, the
Vorige / Volgende / Importeren / Annuleren buttons, which of them shows on which step, the work
on a worker thread (or on the calling thread for tests: ``blocking``), and not closing while
an import runs. A subclass builds the four pages and does the steps (``load_file``,
``apply_mapping``, ``commit``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from db.clock import Clock, system_clock
from db.errors import Cancelled
from db.vault import Vault
from desktop.kit.forms import Field, heading
from desktop.kit.screen import fit_to_screen
from desktop.kit.tasks import Outcome, Progress, Task, run_task


class Step:
    FILE, MAPPING, PREVIEW, RESULT = range(4)


class ImportSteps(QDialog):
    """The shell of an import in four steps. Subclasses implement the four ``_*_page``
    builders, ``load_file``, ``apply_mapping`` and ``commit``; ``TITLE`` is the work's title
    (translated with tr), ``FILE_FILTER`` the file dialog's filter."""

    TITLE = ""
    FILE_FILTER = ""
    SIZE = (960, 680)

    def __init__(self, parent: QWidget | None, vault: Vault, user: Any, *,
                 clock: Clock = system_clock, blocking: bool = False) -> None:
        super().__init__(parent)
        self.vault, self.user, self.clock, self.blocking = vault, user, clock, blocking
        self.path: Path | None = None
        self.preview: Any = None
        self.result: Any = None
        self._task: Task | None = None
        self._init_state()

        self.pages = QStackedWidget()
        self.pages.addWidget(self._file_page())
        self.pages.addWidget(self._mapping_page())
        self.pages.addWidget(self._preview_page())
        self.pages.addWidget(self._result_page())

        self.back_button = QPushButton(self.tr("< &Vorige"))
        self.next_button = QPushButton(self.tr("V&olgende >"))
        self.import_button = QPushButton(self.tr("&Importeren"))
        self.close_button = QPushButton(self.tr("Annuleren"))
        for button in (self.back_button, self.close_button):
            button.setAutoDefault(False)
        self.back_button.clicked.connect(self.previous_page)
        self.next_button.clicked.connect(self.next_page)
        self.import_button.clicked.connect(lambda: self.commit())
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addStretch(1)
        for button in (self.back_button, self.next_button, self.import_button,
                       self.close_button):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self.resize(*self.SIZE)
        fit_to_screen(self)  # a laptop gets a lower window; the pages give way
        self._go(Step.FILE)

    def _init_state(self) -> None:
        """The subclass's own attributes, set before the pages are built."""

    # --- shared pieces of the pages --------------------------------------------------------

    def _file_field(self) -> Field:
        """The file to read, with Bladeren…: ``file_edit`` inside ``file_field``."""
        self.file_edit = QLineEdit()
        self.file_edit.setPlaceholderText(self.tr("Kies een bestand…"))
        self.file_edit.setMinimumWidth(480)
        browse = QPushButton(self.tr("&Bladeren…"))
        browse.setAutoDefault(False)
        browse.clicked.connect(self.browse)
        row = QWidget()
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(self.file_edit, 1)
        row_layout.addWidget(browse)
        self.file_field = Field(self.file_edit, extra=row)
        return self.file_field

    def _result_page(self) -> QWidget:
        page = QWidget()
        self.result_title = heading(self.tr("Importeren voltooid"))
        self.result_text = QLabel()
        self.result_text.setWordWrap(True)
        self.result_text.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self.result_title)
        layout.addWidget(self.result_text)
        layout.addStretch(1)
        return page

    @classmethod
    def run(cls, parent: QWidget | None, vault: Vault, user: Any, *,
            clock: Clock = system_clock) -> bool:
        """Show the steps; True when something was imported. The dialog is deleted after
        (the preview held names of pupils: it goes with the window)."""
        wizard = cls(parent, vault, user, clock=clock)
        try:
            wizard.exec()
            return wizard.imported()
        finally:
            wizard.deleteLater()

    def imported(self) -> bool:
        return self.result is not None

    # --- navigation ------------------------------------------------------------------------

    def current_page(self) -> int:
        return self.pages.currentIndex()

    def _go(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        self.back_button.setVisible(page in (Step.MAPPING, Step.PREVIEW))
        self.next_button.setVisible(page in (Step.FILE, Step.MAPPING))
        self.import_button.setVisible(page == Step.PREVIEW)
        self.import_button.setEnabled(self._has_work())
        self.close_button.setText(self.tr("Sluiten") if page == Step.RESULT
                                  else self.tr("Annuleren"))
        default = {Step.FILE: self.next_button, Step.MAPPING: self.next_button,
                   Step.PREVIEW: self.import_button, Step.RESULT: self.close_button}[page]
        for button in (self.next_button, self.import_button, self.close_button):
            button.setDefault(button is default)
        self._focus(page)

    def _focus(self, page: int) -> None:
        """Where the keyboard goes on a step (the subclass knows its widgets)."""

    def _has_work(self) -> bool:
        return self.preview is not None and self.preview.has_work

    def next_page(self) -> None:
        page = self.current_page()
        if page == Step.FILE:
            text = self.file_edit.text().strip()
            if not text:
                self.file_field.error.show_message(self.tr("Kies eerst een bestand."))
                return
            self.load_file(Path(text))
        elif page == Step.MAPPING:
            self.apply_mapping()

    def previous_page(self) -> None:
        page = self.current_page()
        if page == Step.PREVIEW and self._has_mapping_step():
            self._go(Step.MAPPING)
        elif page in (Step.MAPPING, Step.PREVIEW):
            self._go(Step.FILE)

    def _has_mapping_step(self) -> bool:
        return True

    def reject(self) -> None:
        if self._task is not None:
            return  # the import is running; its progress dialog has Annuleren
        super().reject()

    def browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Bestand kiezen"),
                                              self.file_edit.text(), self.tr(self.FILE_FILTER))
        if name:
            self.file_edit.setText(name)
            self._chosen(Path(name))

    def _chosen(self, path: Path) -> None:
        """A file was chosen with Bladeren… (the pupils import reads it at once)."""

    def _committed(self, outcome: Outcome) -> None:
        """The import ended: its result page, or why not at the commit message."""
        if not outcome.ok:
            if isinstance(outcome.error, Cancelled):
                self.commit_message.show_message(self.tr(
                    "Het importeren is afgebroken. Er is niets opgeslagen."))
            else:
                self.commit_message.show_message(self._failure(outcome.error))
            return
        self.result = outcome.result
        self.result_text.setText(self._result_text(outcome.result))
        self._go(Step.RESULT)

    # --- running work ----------------------------------------------------------------------

    def _run(self, fn: Callable[[Progress], Any], on_done: Callable[[Outcome], None], *,
             label: str, blocking: bool | None, cancellable: bool = False) -> None:
        if blocking is None:
            blocking = self.blocking

        def done(outcome: Outcome) -> None:
            self._task = None
            self._set_busy(False)
            on_done(outcome)

        self._set_busy(True)
        task = run_task(self, fn, done, title=self.tr(self.TITLE), label=label,
                        blocking=blocking, cancellable=cancellable)
        if not blocking:
            self._task = task

    def _set_busy(self, busy: bool) -> None:
        for button in (self.back_button, self.next_button, self.import_button,
                       self.close_button):
            button.setEnabled(not busy)
        if not busy:
            self.import_button.setEnabled(self._has_work())

    @property
    def task(self) -> Task | None:
        """The running task, if any (tests wait on it)."""
        return self._task
