"""Every window of the requests area is freed when it closes (issue 18): register, extend,
answer, the access-export password (it held a password) and the erasure choice."""

from datetime import date

from desktop.kit.page import AreaContext
from desktop.requests.dialogs import (
    AccessExportDialog,
    AnswerDialog,
    EraseChoiceDialog,
    ExtendDialog,
    RegisterRequestDialog,
)
from desktop.requests.page import RequestsPage
from tests.desktop.requests.test_page import new_request
from tests.support.windows import opened_and_freed


def page_of(qtbot, vault, user, clock) -> RequestsPage:
    page = RequestsPage(AreaContext(vault, user, "OBS De Klimop", "12AB", clock=clock))
    qtbot.addWidget(page)
    return page


def test_the_register_dialog_is_freed(qtbot, vault, people, school, clock, monkeypatch):
    page = page_of(qtbot, vault, people["office"], clock)
    result, valid = opened_and_freed(monkeypatch, RegisterRequestDialog, page.register)
    assert result is None and valid == [False]


def test_extend_and_answer_dialogs_are_freed(qtbot, vault, people, school, clock,
                                             monkeypatch):
    office = people["office"]
    request_id = new_request(vault, office, clock, school["ids"]["Daan"],
                             received=date(2026, 11, 10))
    page = page_of(qtbot, vault, office, clock)
    assert page.select_request(request_id)
    _result, valid = opened_and_freed(monkeypatch, ExtendDialog, page.extend_selected)
    assert valid == [False]
    _result, valid = opened_and_freed(monkeypatch, AnswerDialog, page.answer_selected)
    assert valid == [False]


def test_the_password_dialog_is_freed(qtbot, vault, people, school, clock, monkeypatch):
    office = people["office"]
    request_id = new_request(vault, office, clock, school["ids"]["Daan"])
    page = page_of(qtbot, vault, office, clock)
    assert page.select_request(request_id)
    result, valid = opened_and_freed(monkeypatch, AccessExportDialog, page.export_selected)
    assert result is None and valid == [False]


def test_the_erasure_choice_is_freed(qtbot, vault, people, school, clock, monkeypatch):
    from db.schema import RequestKind

    director = people["dir"]
    request_id = new_request(vault, director, clock, school["ids"]["Zoë"],
                             kind=RequestKind.ERASURE)
    page = page_of(qtbot, vault, director, clock)
    assert page.select_request(request_id)
    result, valid = opened_and_freed(monkeypatch, EraseChoiceDialog, page.erase_selected)
    assert result is False and valid == [False]
