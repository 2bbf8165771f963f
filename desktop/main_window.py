"""The main window: a list of areas on the left, the chosen area on the right.

The areas are listed in desktop/areas.py, in menu order; each is a register page
(desktop/kit/page.py). An area the user's role may not use (its `permission`) is not shown at
all. An area's module is imported and its page made the first time it is opened (the menu
itself imports none of them); its `refresh()` is called every time the area is shown again.
An area may also report what needs attention (`attention`); the overview collects those from
every area the user can see.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QGuiApplication,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from db import __version__
from db.clock import Clock, system_clock
from db.errors import RegisterError
from db.permissions import Permission, may
from db.schema import User
from db.school import get_school
from db.tenancy import scope_for
from db.vault import Vault
from desktop.i18n import role_label
from desktop.idle_lock import IdleLock
from desktop.kit.page import Area, AreaContext, Attention
from desktop.kit.tasks import Outcome, Progress, Task, run_task

__all__ = ["Area", "AreaContext", "Attention", "MainWindow", "available_areas"]


def available_areas() -> list[Area]:
    """Every area of the application, in menu order (desktop/areas.py)."""
    from desktop.areas import menu

    return menu()


def _initial_size() -> QSize:
    """Most of the screen (an office monitor), at least 1100 × 720, at most 1500 × 950."""
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return QSize(1100, 720)
    available = screen.availableGeometry()
    return QSize(max(1100, min(1500, int(available.width() * 0.9))),
                 max(720, min(950, int(available.height() * 0.9))))


class MainWindow(QMainWindow):
    """Privacyregister — <school>: navigation, pages, menus and the status bar."""

    logout_requested = Signal()
    quit_requested = Signal()

    def __init__(self, vault: Vault, user: User, *, areas: list[Area] | None = None,
                 clock: Clock = system_clock, demo: bool = False,
                 load_after_paint: bool = False) -> None:
        """`load_after_paint`: the first page (the overview) reads its counts right after the
        window is on screen, not before (the start-up, desktop/app.py)."""
        super().__init__()
        self.vault = vault
        self.user = user
        self.demo = demo
        self._logging_out = False
        with vault.session() as session:
            school = get_school(session)
            school_name, brin = (school.name, school.brin) if school else ("", "")
        self.context = AreaContext(vault=vault, user=user, school_name=school_name, brin=brin,
                                   window=self, clock=clock,
                                   load_after_paint=load_after_paint)
        self.setWindowTitle(self._title())
        self.setWindowIcon(QApplication.windowIcon())
        self.resize(_initial_size())
        self.setMinimumSize(QSize(760, 480))

        self.areas = [area for area in (areas if areas is not None else available_areas())
                      if area.permission is None or may(user, area.permission)]
        self.pages: dict[str, QWidget] = {}
        self.nav = QListWidget()
        self.nav.setAccessibleName(self.tr("Onderdelen"))
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setSpacing(2)
        self.nav.setMinimumWidth(180)
        self.nav.setMaximumWidth(260)
        self.nav.setStyleSheet("QListWidget { padding: 6px; } QListWidget::item { padding: 6px; }")
        self.stack = QStackedWidget()
        for number, area in enumerate(self.areas, start=1):
            item = QListWidgetItem(area.title)
            if area.icon is not None:
                item.setIcon(area.icon())
            key = str(number % 10) if number <= 10 else ""  # Ctrl+1 … Ctrl+9, Ctrl+0
            if key:
                item.setToolTip(self.tr("{title} (Ctrl+{n})").format(title=area.title, n=key))
            self.nav.addItem(item)
            self.stack.addWidget(QWidget())  # an empty page until the area is first opened
            if key:
                shortcut = QShortcut(QKeySequence(f"Ctrl+{key}"), self)
                shortcut.activated.connect(lambda row=number - 1: self.nav.setCurrentRow(row))
        self.nav.currentRowChanged.connect(self._show_row)

        splitter = QSplitter()
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([210, 890])
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)

        self._build_menus()
        self.idle_lock = IdleLock.for_window(self, vault, user, clock)
        self.idle_lock.logout_requested.connect(self.logout)
        self.user_label = QLabel(self.tr("Aangemeld als {name} ({role})").format(
            name=user.display_name or user.username, role=role_label(user.role)))
        self.user_label.setContentsMargins(8, 0, 8, 0)
        self.statusBar().addPermanentWidget(self.user_label)
        if self.areas:
            keys = [area.key for area in self.areas]
            # a board account (db.tenancy) starts at its overview of every school
            board_account = scope_for(user).board
            self.nav.setCurrentRow(keys.index("board") if board_account and "board" in keys
                                   else 0)
            self.nav.setFocus()
        else:
            self.stack.addWidget(QLabel(self.tr(
                "Met uw rol zijn er nog geen onderdelen van het register beschikbaar.")))

    def inspection_export(self) -> None:
        from desktop.admin import open_inspection_export

        open_inspection_export(self.context)

    def _title(self) -> str:
        name = self.context.school_name
        title = self.tr("Privacyregister — {school}").format(school=name) if name \
            else self.tr("Privacyregister")
        return title + (self.tr(" (demo)") if self.demo else "")

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&Bestand"))
        self.backup_action = QAction(self.tr("&Reservekopie maken"), self)
        self.backup_action.setStatusTip(self.tr(
            "Maak nu een versleutelde kopie van het register in de map voor reservekopieën."))
        self.backup_action.triggered.connect(self.make_backup)
        self.backup_action.setVisible(may(self.user, Permission.BACKUP))
        file_menu.addAction(self.backup_action)
        self.inspection_action = QAction(self.tr("&Inspectie-export…"), self)
        self.inspection_action.setStatusTip(self.tr(
            "Alles wat de school moet kunnen laten zien, over een periode: PDF en CSV-bestanden."))
        self.inspection_action.triggered.connect(self.inspection_export)
        self.inspection_action.setVisible(may(self.user, Permission.EXPORT))
        file_menu.addAction(self.inspection_action)
        file_menu.addSeparator()
        self.logout_action = QAction(self.tr("&Afmelden"), self)
        self.logout_action.setStatusTip(self.tr("Meld u af; een collega kan zich aanmelden."))
        self.logout_action.triggered.connect(self.logout)
        file_menu.addAction(self.logout_action)
        self.quit_action = QAction(self.tr("Af&sluiten"), self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setStatusTip(self.tr(
            "Sluit Privacyregister; er wordt automatisch een reservekopie gemaakt."))
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

        admin_menu = self.menuBar().addMenu(self.tr("B&eheer"))
        self.move_to_server_action = QAction(self.tr("&Overzetten naar server…"), self)
        self.move_to_server_action.setStatusTip(self.tr(
            "Zet het register van deze computer over naar de databaseserver van het bestuur."))
        self.move_to_server_action.triggered.connect(self.move_to_server)
        self.move_to_server_action.setVisible(
            may(self.user, Permission.MANAGE_USERS) and self.vault.path is not None)
        admin_menu.addAction(self.move_to_server_action)
        admin_menu.menuAction().setVisible(self.move_to_server_action.isVisible())

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self.about_action = QAction(self.tr("&Over Privacyregister"), self)
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.about_action)

    # areas

    def _show_row(self, row: int) -> None:
        if not 0 <= row < len(self.areas):
            return
        area = self.areas[row]
        page = self.pages.get(area.key)
        if page is None:
            page = area.factory(self.context)
            empty = self.stack.widget(row)
            self.stack.insertWidget(row, page)
            self.stack.removeWidget(empty)
            empty.deleteLater()
            self.pages[area.key] = page
        elif hasattr(page, "refresh"):
            page.refresh()
        self.stack.setCurrentIndex(row)

    def show_area(self, key: str) -> QWidget | None:
        """Open the area with this key (when the user may see it); its page."""
        for row, area in enumerate(self.areas):
            if area.key == key:
                self.nav.setCurrentRow(row)
                return self.pages.get(key)
        return None

    def current_area(self) -> Area | None:
        row = self.nav.currentRow()
        return self.areas[row] if 0 <= row < len(self.areas) else None

    def attention_items(self) -> list[Attention]:
        """Everything the visible areas say needs attention, in menu order."""
        items: list[Attention] = []
        with self.vault.session() as session:
            for area in self.areas:
                if area.attention is not None:
                    items.extend(area.attention(self.context, session))
        return items

    # actions

    def make_backup(self, *, blocking: bool = False) -> Task | None:
        """Bestand > Reservekopie maken: an encrypted copy now, on a background thread with its
        own connection (the window stays usable); say where it is, or why it failed. On a
        register on a server: say that its backups are the server's (None: no task)."""
        if self.vault.key_mode == "server":
            self._explain_server_backups()
            return None
        title = self.tr("Reservekopie maken")

        def work(_progress: Progress) -> Path:
            return self.vault.backup(self.user, reason="handmatig", own_connection=True)

        def done(outcome: Outcome) -> None:
            if not outcome.ok:
                error = outcome.error
                message = str(error) if isinstance(error, RegisterError) else self.tr(
                    "De reservekopie kon niet worden geschreven. Controleer of de schijf vol "
                    "is.")
                QMessageBox.warning(self, self.tr("Reservekopie mislukt"), message)
                return
            self._show_backup_made(outcome.result)

        return run_task(self, work, done, title=title,
                        label=self.tr("De reservekopie wordt gemaakt…"), cancellable=False,
                        blocking=blocking)

    def move_to_server(self) -> None:
        """Beheer > Overzetten naar server… (desktop/admin/move_to_server.py)."""
        from desktop.admin.move_to_server import MoveToServerDialog

        MoveToServerDialog.ask(self, self.vault, self.user)

    def _explain_server_backups(self) -> None:
        from db.server_backups import pg_dump_command

        address = self.vault.address
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("Reservekopieën op de server"))
        box.setText(self.tr("Dit register staat op de databaseserver van het bestuur. "
                            "Reservekopieën daarvan maakt de server, niet dit programma."))
        box.setInformativeText(self.tr(
            "Server: {host}, database: {database}\n\nUw ICT-partner maakt de reservekopieën "
            "met pg_dump of met de back-upvoorziening van de server, bijvoorbeeld elke nacht "
            "met:\n{command}\n\nVraag uw ICT-partner of die reservekopieën worden gemaakt, "
            "buiten het gebouw worden bewaard en af en toe worden teruggezet om ze te testen. "
            "Er is niets gekopieerd.").format(host=address.host, database=address.database,
                                               command=pg_dump_command(address)))
        box.addButton(QMessageBox.StandardButton.Ok)
        try:
            box.exec()
        finally:
            box.deleteLater()

    def _show_backup_made(self, target: Path) -> None:
        self.statusBar().showMessage(self.tr("Reservekopie gemaakt: {path}").format(
            path=target), 10000)
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("Reservekopie gemaakt"))
        box.setText(self.tr("De reservekopie is gemaakt."))
        box.setInformativeText(self.tr(
            "Bestand: {name}\nMap: {folder}\n\nDe kopie is versleuteld met dezelfde sleutel "
            "als het register. Bewaar ook regelmatig een kopie buiten deze computer, "
            "bijvoorbeeld op een versleutelde USB-stick in de kluis.").format(
                name=target.name, folder=target.parent))
        open_folder = box.addButton(self.tr("&Map openen"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Ok)
        try:
            box.exec()
            if box.clickedButton() is open_folder:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(target.parent)))
        finally:
            box.deleteLater()
        self.refresh_current()

    def refresh_current(self) -> None:
        area = self.current_area()
        page = self.pages.get(area.key) if area else None
        if page is not None and hasattr(page, "refresh"):
            page.refresh()

    def show_about(self) -> None:
        where = self.tr(
            "<p>Alle gegevens staan versleuteld op deze computer. Bij het afsluiten wordt "
            "automatisch een reservekopie gemaakt.</p>") if self.vault.path is not None else \
            self.tr("<p>Het register staat op de databaseserver van het bestuur; de verbinding "
                    "is versleuteld. Reservekopieën maakt de server.</p>")
        QMessageBox.about(self, self.tr("Over Privacyregister"), self.tr(
            "<h3>Privacyregister {version}</h3>"
            "<p>De privacyadministratie (AVG) van de school: leerlingen en hun ouders, "
            "toestemmingen, leveranciers, verzoeken en datalekken.</p>"
            "{where}"
            "<p>Register: {path}</p>").format(version=__version__, where=where,
                                              path=self.vault.path or self.vault.address))

    def logout(self) -> None:
        """Afmelden: close this window; the application asks for a new login."""
        self._logging_out = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        if event.isAccepted():
            (self.logout_requested if self._logging_out else self.quit_requested).emit()

