"""The board's breach register (AVG art. 33(5), for the controller): every breach of every
school over a period, on a PostgreSQL register with two schools as the application role, read
back with pypdf; the same from the CLI; and on a file, its one school."""

from __future__ import annotations

from datetime import date, timedelta

from pypdf import PdfReader

from db.board import gather_board_breach_register
from db.breaches import add_measure
from db.permissions import SYSTEM
from db.tenancy import SchoolScope, scope_for, use_board
from desktop import cli
from desktop.printing.breaches import board_breach_register_pdf
from tests.conftest import NOW
from tests.db.helpers import cli_location
from tests.db.test_board import TODAY, _board, _breach


def text_of(path) -> str:
    # pypdf puts a line break where a table cell wraps: compare words, not lines
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def test_the_board_register_lists_every_breach_of_every_school(server_vault, clock, tmp_path):
    board, user, late = _board(server_vault, clock)
    server_vault.use_scope(SchoolScope(board.a))
    with server_vault.session() as session:
        add_measure(session, board.admin_a, late, kind="corrective",
                    description="Mail teruggevraagd bij de ontvangers", clock=clock)
    server_vault.use_scope(scope_for(user))
    with server_vault.session() as session:
        register = gather_board_breach_register(session, user, date(2026, 11, 1), TODAY, NOW)
    pdf = board_breach_register_pdf(tmp_path / "bestuur.pdf", register)
    text = text_of(pdf)
    assert "Register datalekken van het bestuur" in text
    assert "2 scholen · periode 01-11-2026 tot en met 24-11-2026" in text
    assert "5 datalekken geregistreerd" in text and "art. 33 lid 5" in text
    # the totals per school: Klimop 3 breaches, 1 notified (late), 1 overdue; Regenboog 2
    assert "OBS De Klimop 12AB 3 1 1 1" in text
    assert "OBS De Regenboog 34CD 2 0 0 0" in text
    # each school numbers its own breaches: the same reference in both, told apart by school
    assert text.count("DL-2026-001") == 2 and "DL-2026-003" in text
    assert "verkeerd verstuurd" in text                       # the nature
    assert "AP-1 te laat gemeld (8 uur na de termijn)" in text  # notified 8 hours late
    assert "Redenen: pas later bekend" in text and "AP-1" in text
    assert "termijn verstreken (8 uur geleden)" in text        # 80 hours, not notified
    assert "herstellend: Mail teruggevraagd bij de ontvangers (nog niet uitgevoerd)" in text
    assert "geen risico" in text and "afgetekend" in text and "nog niet besloten" in text
    assert "OBS De Regenboog: " in text and "OBS De Klimop: " in text  # each chain's head


def test_the_cli_prints_the_board_register_of_the_server(server_vault, clock, tmp_path, capsys):
    _board(server_vault, clock)
    out = tmp_path / "bestuur.pdf"
    code = cli.main([*cli_location(server_vault), "print", "board-breach-register",
                     "--from", "01-11-2026", "--to", "24-11-2026", "--out", str(out)])
    said = capsys.readouterr()
    assert code == 0, said.err
    assert "Register van het bestuur met 5 datalekken van 2 scholen" in said.out
    text = text_of(out)
    assert "OBS De Klimop" in text and "OBS De Regenboog" in text
    assert text.count("DL-2026-001") == 2


def test_the_cli_refuses_a_period_that_ends_before_it_starts(server_vault, tmp_path, capsys):
    out = tmp_path / "bestuur.pdf"
    code = cli.main([*cli_location(server_vault), "print", "board-breach-register",
                     "--from", "24-11-2026", "--to", "01-11-2026", "--out", str(out)])
    assert code != 0 and "eindigt vóór ze begint" in capsys.readouterr().err
    assert not out.exists()


def test_on_a_file_the_board_register_holds_its_one_school(vault, tmp_path, capsys):
    with vault.session() as session:
        _breach(session, SYSTEM, NOW - timedelta(hours=5), "Laptop kwijt")
    out = tmp_path / "bestuur.pdf"
    code = cli.main([*cli_location(vault), "print", "board-breach-register",
                     "--from", "01-11-2026", "--to", "30-11-2026", "--out", str(out)])
    said = capsys.readouterr()
    assert code == 0, said.err
    assert "met 1 datalekken van 1 school geschreven" in said.out
    text = text_of(out)
    assert "1 school · periode 01-11-2026" in text
    assert "OBS De Klimop 12AB 1" in text and "DL-2026-001" in text
    with vault.session() as session:
        use_board(session)
        register = gather_board_breach_register(session, SYSTEM, date(2026, 11, 1),
                                                date(2026, 11, 30), NOW)
    assert [school.name for school in register.schools] == ["OBS De Klimop"]
