"""Every window of the breach area is freed when it closes (issue 18): the registration
dialog, the detail, the period dialog, the vulnerability-report dialog and the message boxes
they open."""

from datetime import timedelta

from PySide6.QtWidgets import QDialog, QMessageBox

from db.breaches import BreachInput, register_breach
from desktop.breaches.detail import BreachDetail
from desktop.breaches.dialog import BreachDialog
from desktop.breaches.page import BreachesPage, PeriodDialog
from desktop.breaches.reports import ReportDialog, VulnerabilityReportsView
from desktop.kit.page import AreaContext
from tests.support.windows import opened_and_freed


def page_of(qtbot, vault, user, clock) -> BreachesPage:
    page = BreachesPage(AreaContext(vault, user, "OBS De Klimop", "12AB", clock=clock))
    qtbot.addWidget(page)
    return page


def one_breach(vault, staff, clock) -> int:
    with vault.session() as session:
        return register_breach(session, staff["office"], BreachInput(
            discovered_at=clock() - timedelta(hours=5), description="Lek"), clock=clock).id


def test_the_registration_dialog_is_freed(qtbot, vault, clock, staff, monkeypatch):
    page = page_of(qtbot, vault, staff["office"], clock)
    result, valid = opened_and_freed(monkeypatch, BreachDialog, page.register)
    assert result is None and valid == [False]


def test_the_detail_is_freed_and_so_is_the_sign_off_question(qtbot, vault, clock, staff,
                                                             monkeypatch):
    breach_id = one_breach(vault, staff, clock)
    page = page_of(qtbot, vault, staff["director"], clock)
    assert page.table.choose(breach_id)
    result, valid = opened_and_freed(monkeypatch, BreachDetail, page.open_breach)
    assert valid == [False]

    detail = BreachDetail(page, vault, staff["director"], breach_id, clock=clock)
    qtbot.addWidget(detail)
    signed, valid = opened_and_freed(monkeypatch, QMessageBox, detail.sign)
    assert signed is False and valid == [False]


def test_editing_from_the_detail_frees_the_edit_dialog(qtbot, vault, clock, staff,
                                                       monkeypatch):
    breach_id = one_breach(vault, staff, clock)
    detail = BreachDetail(None, vault, staff["office"], breach_id, clock=clock)
    qtbot.addWidget(detail)
    _result, valid = opened_and_freed(monkeypatch, BreachDialog, detail.edit_details)
    assert valid == [False]


def test_the_period_dialog_is_freed(qtbot, vault, clock, staff, monkeypatch):
    page = page_of(qtbot, vault, staff["office"], clock)
    result, valid = opened_and_freed(monkeypatch, PeriodDialog, page.print_register)
    assert result is None and valid == [False]


def test_the_report_dialog_is_freed(qtbot, vault, clock, staff, monkeypatch):
    view = VulnerabilityReportsView(vault, staff["office"], clock)
    qtbot.addWidget(view)

    def fill_and_accept(dialog) -> int:
        qtbot.keyClicks(dialog.description, "Open map op de website")
        return QDialog.DialogCode.Accepted

    registered, valid = opened_and_freed(monkeypatch, ReportDialog, view.register,
                                         answer=fill_and_accept)
    assert registered is True and valid == [False] and view.table.count() == 1


def test_a_closed_page_leaves_no_timer_running(qtbot, vault, clock, staff):
    from PySide6.QtCore import QTimer

    page = page_of(qtbot, vault, staff["office"], clock)
    timers = page.findChildren(QTimer)
    assert len([t for t in timers if t.isActive()]) == 1
    page.refresh()
    page.refresh()
    assert len([t for t in page.findChildren(QTimer) if t.isActive()]) == 1
