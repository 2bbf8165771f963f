"""Bestuursoverzicht: a board user logs in to a register on the PostgreSQL server with two
schools and sees every school side by side, most urgent first, coloured as the school's own
overview; prints the board's breach register on a worker; a school's user sees no such area."""

from __future__ import annotations

from datetime import date

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView

from db.tenancy import SchoolScope, scope_for
from db.users import authenticate
from desktop.board.page import BoardPage
from desktop.kit.table import AMBER_BACKGROUND, RED_BACKGROUND
from desktop.main_window import MainWindow
from tests.conftest import ADMIN_PASSWORD
from tests.db.test_board import _board

SIZE = (1366, 768)  # a school laptop


def _log_in(qtbot, vault, clock, username: str, school: int):
    """As the log-in dialog does: the credentials checked at a workstation of `school`, then
    the register's scope is the user's (db.tenancy.scope_for)."""
    vault.use_scope(SchoolScope(school))
    with vault.session() as session:
        user = authenticate(session, username, ADMIN_PASSWORD, clock=clock)
    vault.use_scope(scope_for(user))
    window = MainWindow(vault, user, clock=clock)
    qtbot.addWidget(window)
    window.resize(*SIZE)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_board_user_sees_every_school_most_urgent_first(qtbot, server_vault, clock,
                                                         tmp_path):
    board, _, _ = _board(server_vault, clock)
    window = _log_in(qtbot, server_vault, clock, "bestuur", board.a)
    page = window.stack.currentWidget()
    assert isinstance(page, BoardPage)  # the board starts here
    assert window.nav.currentItem().text() == "Bestuursoverzicht"
    lines = page.lines()
    assert [(line.name, line.open_breaches, line.breaches_late, line.requests_late,
             line.agreements_expired) for line in lines] == [
        ("OBS De Klimop", 3, 1, 1, 1), ("OBS De Regenboog", 1, 0, 0, 0)]
    model = page.table.model
    shown = [[model.index(row, column).data() for column in range(model.columnCount())]
             for row in range(model.rowCount())]
    assert shown == [["OBS De Klimop", "12AB", "3", "1", "1", "1", "termijn verstreken"],
                     ["OBS De Regenboog", "34CD", "1", "0", "0", "0", "te doen"]]
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) == RED_BACKGROUND
    assert model.index(1, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    why = model.index(0, 6).data(Qt.ItemDataRole.ToolTipRole)
    assert "1 datalek is niet binnen 72 uur gemeld bij de AP." in why
    assert "1 verzoek is niet binnen de termijn beantwoord." in why
    assert "1 verwerkersovereenkomst is verlopen." in why
    assert page.count_label.text() == "2 scholen; 1 met een verstreken termijn"
    # at 1366×768 every column and its title fits: no sideways scrolling, no clipped title
    view = page.table.view
    assert not view.horizontalScrollBar().isVisible()
    header = view.horizontalHeader()
    for section in range(header.count() - 1):
        title = model.headerData(section, Qt.Orientation.Horizontal)
        assert header.sectionSize(section) >= header.fontMetrics().horizontalAdvance(title) + 8
    assert header.sectionResizeMode(header.count() - 1) != QHeaderView.ResizeMode.Fixed
    window.grab().save(str(tmp_path / "board.png"))
    assert (tmp_path / "board.png").stat().st_size > 10_000
    window.close()
    assert board.a != board.b


def test_a_term_near_its_end_is_amber_and_comes_before_a_school_in_order(qtbot, server_vault,
                                                                        clock):
    from datetime import timedelta

    from tests.db.test_board import _breach
    from tests.db.test_schools import _make_board_user, two_schools

    board = two_schools(server_vault, clock)
    server_vault.use_scope(SchoolScope(board.b))
    with server_vault.session() as session:
        _breach(session, board.admin_b, clock() - timedelta(hours=50))  # under 24 h left
    _make_board_user(server_vault, clock)
    window = _log_in(qtbot, server_vault, clock, "bestuur", board.a)
    page = window.stack.currentWidget()
    model = page.table.model
    # De Regenboog first: its term is near; De Klimop has nothing that needs attention
    assert [model.index(row, 6).data() for row in range(2)] == [
        "termijn loopt bijna af", "in orde"]
    assert model.index(0, 0).data() == "OBS De Regenboog"
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) == AMBER_BACKGROUND
    assert model.index(1, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert model.index(1, 6).data(Qt.ItemDataRole.ToolTipRole) == \
        "Niets dat aandacht nodig heeft."
    assert page.count_label.text() == "2 scholen"
    window.close()


def test_the_board_prints_its_breach_register_on_a_worker(qtbot, server_vault, clock, save_as,
                                                          boxes):
    board, _, _ = _board(server_vault, clock)
    window = _log_in(qtbot, server_vault, clock, "bestuur", board.b)
    page = window.stack.currentWidget()
    assert page.buttons["print"].isEnabled()
    task = page.print_register(period=(date(2026, 11, 1), date(2026, 11, 24)))
    assert task is not None and task.wait()
    qtbot.waitUntil(lambda: bool(boxes.saved), timeout=20_000)
    text, path = boxes.saved[0]
    assert "niet versleuteld" in text and path.suffix == ".pdf"
    assert save_as == ["Register van het bestuur afdrukken"]
    pdf = " ".join(page.extract_text() for page in PdfReader(path).pages)
    assert "Register datalekken van het bestuur" in pdf
    assert "OBS De Klimop" in pdf and "OBS De Regenboog" in pdf


def test_a_schools_own_user_has_no_board_overview(qtbot, server_vault, clock):
    board, _, _ = _board(server_vault, clock)
    window = _log_in(qtbot, server_vault, clock, "beheer", board.a)
    assert "board" not in [area.key for area in window.areas]
    window.close()


def test_an_fg_account_of_a_school_sees_that_school_alone(qtbot, server_vault, clock):
    """An fg account that school A made: the Bestuursoverzicht is in its menu (the role reads
    the board's overview) but shows school A only, and the window starts at the school's own
    overview."""
    from db.users import create_user

    board, _, _ = _board(server_vault, clock)
    server_vault.use_scope(SchoolScope(board.a))
    with server_vault.session() as session:
        create_user(session, board.admin_a, "fg", ADMIN_PASSWORD, "fg", clock=clock)
    window = _log_in(qtbot, server_vault, clock, "fg", board.a)
    assert window.current_area().key == "overview"
    page = window.show_area("board")
    assert [line.name for line in page.lines()] == ["OBS De Klimop"]
    window.close()
