"""Every dialog fits a 1366×768 laptop with a Windows taskbar (issue 12, point 6).

The dialogs are found by walking desktop/: every QDialog subclass defined there must have an
entry in HOW_TO_MAKE below, so a new dialog that nobody checked fails here. Each one is shown
on a screen whose available geometry is 1366×728 (what the taskbar leaves; the window's title
bar and border, FRAME, come off that too) and must then lie within it, with every button
outside a scroll area (OK, Annuleren, Sluiten, the steps of an import) inside the visible
window and not squeezed below its own size.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QDialog,
    QPushButton,
    QWidget,
)

import desktop
from db.breaches import BreachInput, register_breach
from db.demo import DEMO_USERS
from db.purposes import purpose_rows
from db.requests import RequestInput, register_request, request_rows
from db.retention import rule_rows
from db.schema import RequestKind, User
from db.schoolgids import schoolgids_sections
from db.users import list_users
from desktop.kit import screen
from tests.desktop.conftest import TODAY, process_deletes

LAPTOP = QRect(0, 0, 1366, 728)  # 1366×768 less a Windows taskbar of 40 px


@dataclass
class Ctx:
    vault: object
    people: dict[str, User]
    school: dict
    clock: Callable
    tmp_path: Path
    keep: list[QWidget]  # helpers a dialog needs (a window for the idle lock), freed after

    def session(self):  # noqa: ANN201
        return self.vault.session()


def _pupil_rows(ctx: Ctx, user: User) -> list:
    from db.pupils import pupil_rows

    with ctx.session() as session:
        return pupil_rows(session, user)


def _request(ctx: Ctx):  # noqa: ANN202 - a RequestRow
    office = ctx.people["office"]
    with ctx.session() as session:
        register_request(session, office, RequestInput(
            RequestKind.ACCESS, date(2026, 10, 28), ctx.school["ids"]["Daan"],
            ctx.school["guardians"]["Daan"]), clock=ctx.clock)
    with ctx.session() as session:
        return request_rows(session, office)[0]


def _breach(ctx: Ctx) -> int:
    with ctx.session() as session:
        return register_breach(session, ctx.people["office"], BreachInput(
            discovered_at=ctx.clock() - timedelta(days=2),
            description="Een lijst met namen en telefoonnummers van groep 5A is in de trein "
                        "blijven liggen. " * 4,
            nature=("lost",), data_categories=("name", "contact"),
            affected_groups=("pupils", "parents"), affected_min=28, affected_max=56,
            cause="Lijst op papier meegenomen", consequences="Onbekend",
            reported_by="Juf Anna"), clock=ctx.clock).id


def _user_line(ctx: Ctx):  # noqa: ANN202 - a UserLine
    from desktop.admin.users import UserLine

    with ctx.session() as session:
        rows = list_users(session, ctx.people["beheer"])
    return UserLine.of(next(r for r in rows if r.username == "juf"))


def _idle_lock(ctx: Ctx):  # noqa: ANN202 - an IdleLock
    from desktop.idle_lock import IdleLock

    window = QWidget()
    ctx.keep.append(window)
    return IdleLock(window, ctx.vault, ctx.people["office"], 0, ctx.clock, offers_logout=True)


def _longest_section(ctx: Ctx):  # noqa: ANN202 - a GuideSection
    with ctx.session() as session:
        sections = schoolgids_sections(session, ctx.people["beheer"], TODAY)
    return max(sections, key=lambda s: len(s.text))


def _purpose_row(ctx: Ctx):  # noqa: ANN202 - a PurposeRow
    with ctx.session() as session:
        return purpose_rows(session, ctx.people["beheer"])[0]


def _purposes(ctx: Ctx) -> list[tuple[int, str]]:
    from db.consent_sheets import purpose_texts

    with ctx.session() as session:
        return [(p.purpose_id, p.title) for p in purpose_texts(session)]


def _server_address(ctx: Ctx):  # noqa: ANN202 - a ServerAddress
    from db.server import ServerAddress

    return ServerAddress("databaseserver.bestuur-van-de-scholen.nl", "privacyregister_klimop",
                         "privacyregister_klimop_app", 5432, ctx.tmp_path / "bestuur-ca.crt")


def _on_server(dialog: QDialog) -> QDialog:
    """The first-run dialog with the server chosen: its own fields instead of the school's."""
    dialog.on_server.setChecked(True)
    return dialog


def _make(module: str, name: str) -> type:
    return getattr(importlib.import_module(module), name)


Maker = Callable[[Ctx], QDialog]
BASE = "base"  # a shell that only its subclasses fill in: covered by them

# class name → how to make it (one or more variants: the longest content it can have)
HOW_TO_MAKE: dict[str, str | list[Maker]] = {
    "FormDialog": BASE,
    "ImportSteps": BASE,
    "SetupDialog": [
        lambda c: _make("desktop.setup_dialog", "SetupDialog")(
            database=c.tmp_path / "nieuw.db", keyring_available=False,
            recovery_pdf=c.tmp_path / "herstel.pdf", clock=c.clock),
        lambda c: _make("desktop.setup_dialog", "SetupDialog")(
            database=c.tmp_path / "nieuw.db", keyring_available=True,
            recovery_pdf=c.tmp_path / "herstel.pdf", clock=c.clock),
        lambda c: _on_server(_make("desktop.setup_dialog", "SetupDialog")(
            database=c.tmp_path / "nieuw.db", keyring_available=True,
            recovery_pdf=c.tmp_path / "herstel.pdf", clock=c.clock))],
    "MoveToServerDialog": [lambda c: _make("desktop.admin.move_to_server", "MoveToServerDialog")(
        None, c.vault, c.people["beheer"])],
    "ServerPasswordDialog": [lambda c: _make("desktop.server_connection", "ServerPasswordDialog")(
        None, _server_address(c), "De databaseserver heeft de gebruikersnaam of het wachtwoord "
        "geweigerd. Controleer het wachtwoord, of vraag uw ICT-partner of deze gebruiker "
        "toegang heeft.")],
    "UnlockDialog": [
        lambda c: _make("desktop.unlock_dialog", "UnlockDialog")(
            database=c.tmp_path / "register.db", backup_dir=None, mode="recovery",
            reason="De sleutel in Windows Referentiebeheer past niet bij dit register. " * 2,
            clock=c.clock),
        lambda c: _make("desktop.unlock_dialog", "UnlockDialog")(
            database=c.tmp_path / "register.db", backup_dir=None, mode="passphrase",
            clock=c.clock)],
    "LoginDialog": [lambda c: _make("desktop.login_dialog", "LoginDialog")(
        vault=c.vault, school_name="OBS De Klimop", demo_users=DEMO_USERS, clock=c.clock)],
    "LockDialog": [lambda c: _make("desktop.idle_lock", "LockDialog")(None, _idle_lock(c))],
    "NewUserDialog": [lambda c: _make("desktop.admin.users", "NewUserDialog")(
        None, c.vault, c.people["beheer"], clock=c.clock)],
    "EditUserDialog": [lambda c: _make("desktop.admin.users", "EditUserDialog")(
        None, c.vault, c.people["beheer"], _user_line(c), clock=c.clock)],
    "PasswordDialog": [lambda c: _make("desktop.admin.users", "PasswordDialog")(
        None, c.vault, c.people["beheer"], _user_line(c), clock=c.clock)],
    "SchoolContactDialog": [lambda c: _make("desktop.admin.school_contact",
                                            "SchoolContactDialog")(
        None, c.vault, c.people["beheer"], clock=c.clock)],
    "InspectionExportDialog": [lambda c: _make("desktop.admin.inspection",
                                               "InspectionExportDialog")(
        None, c.vault, c.people["fg"], clock=c.clock)],  # FG: with the 'may not' line
    "PeriodDialog": [lambda c: _make("desktop.breaches.page", "PeriodDialog")(None, TODAY)],
    "BreachDialog": [lambda c: _make("desktop.breaches.dialog", "BreachDialog")(
        None, c.vault, c.people["office"], breach_id=_breach(c), clock=c.clock)],
    "ReportDialog": [lambda c: _make("desktop.breaches.reports", "ReportDialog")(None, c.clock)],
    "BreachDetail": [lambda c: _make("desktop.breaches.detail", "BreachDetail")(
        None, c.vault, c.people["dir"], _breach(c), clock=c.clock)],
    "TermDialog": [lambda c: _make("desktop.retention.page", "TermDialog")(
        None, c.vault, c.people["beheer"], _rule(c), clock=c.clock)],
    "ActivityDialog": [lambda c: _make("desktop.processing.dialog", "ActivityDialog")(
        None, c.vault, c.people["beheer"], clock=c.clock)],
    "PurposeTextDialog": [
        lambda c: _make("desktop.consents.purposes_dialog", "PurposeTextDialog")(
            None, lambda _value: None, current=_purpose_row(c)),
        lambda c: _make("desktop.consents.purposes_dialog", "PurposeTextDialog")(
            None, lambda _value: None)],
    "PurposesDialog": [lambda c: _make("desktop.consents.purposes_dialog", "PurposesDialog")(
        c.vault, c.people["beheer"], c.clock, None)],
    "ConsentImportWizard": [lambda c: _make("desktop.consents.import_wizard",
                                            "ConsentImportWizard")(
        None, c.vault, c.people["office"], clock=c.clock, blocking=True)],
    "RegisterRequestDialog": [lambda c: _make("desktop.requests.dialogs",
                                              "RegisterRequestDialog")(
        None, c.vault, c.people["office"], _pupil_rows(c, c.people["office"]), clock=c.clock)],
    "ExtendDialog": [lambda c: _make("desktop.requests.dialogs", "ExtendDialog")(
        None, c.vault, c.people["office"], _request(c), clock=c.clock)],
    "AnswerDialog": [lambda c: _make("desktop.requests.dialogs", "AnswerDialog")(
        None, c.vault, c.people["office"], _request(c), clock=c.clock)],
    "AccessExportDialog": [lambda c: _make("desktop.requests.dialogs", "AccessExportDialog")(
        None, "Daan de Vries")],
    "EraseChoiceDialog": [lambda c: _make("desktop.requests.dialogs", "EraseChoiceDialog")(
        None, "Daan de Vries", 1)],
    "GuardianDialog": [lambda c: _make("desktop.pupils.guardian_dialog", "GuardianDialog")(
        None, pupil_name="Daan de Vries")],
    "EnrolDialog": [lambda c: _make("desktop.pupils.enrol_dialog", "EnrolDialog")(
        None, c.vault, c.people["office"], clock=c.clock)],
    "LeaveDialog": [lambda c: _make("desktop.pupils.card", "LeaveDialog")(
        None, "Daan de Vries", TODAY)],
    "SpecialDialog": [lambda c: _make("desktop.pupils.card", "SpecialDialog")(None)],
    "PupilCard": [lambda c: _make("desktop.pupils.card", "PupilCard")(
        None, c.vault, c.people["office"], c.school["ids"]["Daan"], clock=c.clock)],
    "ImportWizard": [lambda c: _make("desktop.pupils.import_wizard", "ImportWizard")(
        None, c.vault, c.people["office"], clock=c.clock, blocking=True)],
    "SectionDialog": [lambda c: _make("desktop.schoolgids.dialog", "SectionDialog")(
        None, c.vault, c.people["beheer"], _longest_section(c), clock=c.clock)],
    "SupplierDialog": [lambda c: _make("desktop.suppliers.dialogs", "SupplierDialog")(
        None, c.vault, c.people["beheer"], clock=c.clock)],
    "ExchangeDialog": [lambda c: _make("desktop.suppliers.dialogs", "ExchangeDialog")(
        None, c.vault, c.people["office"], _pupil_rows(c, c.people["office"]), _purposes(c),
        recipients=["GGD Regio", "Leerplicht"], clock=c.clock)],
}


def _rule(ctx: Ctx):  # noqa: ANN202 - a RuleRow
    with ctx.session() as session:
        return rule_rows(session, ctx.people["beheer"])[0]


def desktop_modules() -> list[str]:
    """Every module under desktop/, also in folders without __init__.py (desktop/kit)."""
    root = Path(desktop.__file__).parent
    return sorted(".".join(("desktop", *path.relative_to(root).with_suffix("").parts))
                  .removesuffix(".__init__") for path in root.rglob("*.py"))


def dialog_classes() -> dict[str, type]:
    """Every QDialog subclass defined in desktop/, by name."""
    found: dict[str, type] = {}
    for module in desktop_modules():
        loaded = importlib.import_module(module)
        for name, cls in inspect.getmembers(loaded, inspect.isclass):
            if issubclass(cls, QDialog) and cls.__module__ == loaded.__name__:
                assert name not in found, f"two dialogs named {name}"
                found[name] = cls
    return found


def test_every_dialog_in_desktop_has_a_way_to_be_made_here():
    classes = dialog_classes()
    assert len(classes) >= 30
    missing = sorted(set(classes) - set(HOW_TO_MAKE))
    assert missing == [], f"add these dialogs to HOW_TO_MAKE: {missing}"
    assert sorted(set(HOW_TO_MAKE) - set(classes)) == [], "entries for dialogs that are gone"
    for name, how in HOW_TO_MAKE.items():  # a base is covered by a subclass that is checked
        if how == BASE:
            assert any(issubclass(cls, classes[name]) and cls is not classes[name]
                       and HOW_TO_MAKE[other] != BASE for other, cls in classes.items()), name


@pytest.fixture
def laptop(monkeypatch):
    """The screen of a 1366×768 laptop, with the taskbar taken off."""
    monkeypatch.setattr(screen, "_available", lambda _widget=None: QRect(LAPTOP))
    return LAPTOP


def _in_scroll_area(widget: QWidget, dialog: QDialog) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not dialog:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _visible_part(widget: QWidget, dialog: QDialog) -> QRect:
    """The part of ``widget`` (in dialog coordinates) that no parent cuts off."""
    rect = QRect(widget.mapTo(dialog, QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None:
        rect = rect.intersected(QRect(parent.mapTo(dialog, QPoint(0, 0)), parent.size()))
        if parent is dialog:
            break
        parent = parent.parentWidget()
    return rect


def settle() -> None:
    """Let the layouts and the scroll areas finish (as the event loop would)."""
    for _ in range(3):
        QApplication.processEvents()


def check_fits(dialog: QDialog) -> None:
    name = type(dialog).__name__
    assert screen.keeps_to_screen(dialog), f"{name}: call fit_to_screen(self) in __init__"
    size = dialog.size()  # the client area; Windows adds FRAME (title bar, border) round it
    assert size.width() + screen.FRAME.width() <= LAPTOP.width(), (name, size)
    assert size.height() + screen.FRAME.height() <= LAPTOP.height(), (name, size)
    assert LAPTOP.contains(dialog.frameGeometry()), (name, dialog.frameGeometry())
    buttons = [b for b in dialog.findChildren(QPushButton)
               if b.isVisibleTo(dialog) and not _in_scroll_area(b, dialog)]
    assert buttons, f"{name} has no buttons in view"
    for button in buttons:
        shown = _visible_part(button, dialog)
        assert shown.size() == button.size(), (name, button.text(), shown, button.geometry())
        hint = button.minimumSizeHint()
        assert button.width() >= hint.width() and button.height() >= hint.height(), \
            (name, button.text(), button.size(), hint)
    for area in dialog.findChildren(QAbstractScrollArea):
        content = getattr(area, "widget", lambda: None)()
        if content is not None and area.isVisibleTo(dialog):  # nothing cut off at the right
            assert content.width() <= area.viewport().width(), (name, content.width())


CASES = [(name, index) for name, how in HOW_TO_MAKE.items() if how != BASE
         for index in range(len(how))]


@pytest.mark.parametrize(("name", "variant"), CASES, ids=[f"{n}-{i}" for n, i in CASES])
def test_dialog_fits_a_laptop_screen_with_its_buttons_in_view(qtbot, laptop, vault, people,
                                                              school, clock, tmp_path, boxes,
                                                              name, variant):
    ctx = Ctx(vault, people, school, clock, tmp_path, [])
    dialog = HOW_TO_MAKE[name][variant](ctx)
    assert type(dialog).__name__ == name
    try:
        dialog.show()
        qtbot.waitExposed(dialog)
        settle()
        check_fits(dialog)
    finally:
        dialog.close()
        dialog.deleteLater()
        for helper in ctx.keep:
            helper.deleteLater()
        process_deletes()
