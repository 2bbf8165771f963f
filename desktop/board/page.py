"""Bestuursoverzicht: every school of the board side by side — its open breaches and those
whose 72 hours passed, requests past their term, expired processing agreements — most urgent
first, coloured as the school's own overview colours its lines; and the board's breach
register (AVG art. 33(5), for the controller) over a period.

A board account reads in a board session (db.tenancy.use_board): every school of the
register on the server; a file's one school. An fg or bestuur account of a school sees that
school alone. The counts are db.board.board_overview's."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from db.board import (
    BoardBreachRegister,
    SchoolLine,
    board_overview,
    gather_board_breach_register,
)
from db.clock import local_today
from db.overview import Level, level_rank
from db.permissions import Permission
from db.tenancy import scope_for, use_board
from db.text import format_dutch_date
from desktop.kit.labels import label
from desktop.kit.page import Action, RegisterPage, register_page
from desktop.kit.table import Column, RowsTable
from desktop.kit.tasks import Task, export
from desktop.kit.widgets import plural

TONES = {Level.LATE: "red", Level.SOON: "amber"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("BoardPage", text)


def attention_text(line: SchoolLine) -> str:
    """What needs attention at one school, in words (the Aandacht column's tooltip)."""
    parts = []
    if line.breaches_late:
        parts.append(plural(line.breaches_late,
                            _tr("1 datalek is niet binnen 72 uur gemeld bij de AP."),
                            _tr("%1 datalekken zijn niet binnen 72 uur gemeld bij de AP.")))
    if line.breaches_soon:
        parts.append(plural(line.breaches_soon,
                            _tr("1 datalek moet binnen 24 uur gemeld zijn."),
                            _tr("%1 datalekken moeten binnen 24 uur gemeld zijn.")))
    if line.requests_late:
        parts.append(plural(line.requests_late,
                            _tr("1 verzoek is niet binnen de termijn beantwoord."),
                            _tr("%1 verzoeken zijn niet binnen de termijn beantwoord.")))
    if line.requests_soon:
        parts.append(plural(line.requests_soon,
                            _tr("1 verzoek moet binnen een week beantwoord zijn."),
                            _tr("%1 verzoeken moeten binnen een week beantwoord zijn.")))
    if line.agreements_expired:
        parts.append(plural(line.agreements_expired,
                            _tr("1 verwerkersovereenkomst is verlopen."),
                            _tr("%1 verwerkersovereenkomsten zijn verlopen.")))
    if line.agreements_missing:
        parts.append(plural(line.agreements_missing,
                            _tr("1 leverancier heeft geen verwerkersovereenkomst."),
                            _tr("%1 leveranciers hebben geen verwerkersovereenkomst.")))
    if line.agreements_expiring:
        parts.append(plural(line.agreements_expiring,
                            _tr("1 verwerkersovereenkomst verloopt binnenkort."),
                            _tr("%1 verwerkersovereenkomsten verlopen binnenkort.")))
    if not parts and line.open_breaches:
        parts.append(_tr("Er staan datalekken open; geen termijn verloopt."))
    if not parts and line.open_requests:
        parts.append(_tr("Er staan verzoeken open; geen termijn verloopt binnen een week."))
    return " ".join(parts) or _tr("Niets dat aandacht nodig heeft.")


def level_text(line: SchoolLine) -> str:
    return label(line.level) if line.level is not None else _tr("in orde")


def _every_school(session: Session, user: object) -> None:
    """A board account reads every school of the register (db.tenancy.scope_for), also when
    the window looks at one school; an fg or bestuur account of a school stays in its own
    school (the session as the log-in scoped it)."""
    if scope_for(user).board:
        use_board(session)


class BoardPage(RegisterPage):
    """The schools of the board (db.board.board_overview) and the board's breach register."""

    KEY, TITLE = "board", QT_TRANSLATE_NOOP("Areas", "Bestuursoverzicht")
    PERMISSION = Permission.READ_BOARD
    TR_CONTEXT = "BoardPage"
    HINT = QT_TRANSLATE_NOOP("BoardPage", "Alle scholen van het bestuur: open datalekken, "
                             "verstreken termijnen en verlopen verwerkersovereenkomsten. "
                             "Het dringendste staat bovenaan.")

    def build(self) -> QWidget:
        self.table = RowsTable([
            Column(_tr("School"), lambda line: line.name, 230),
            Column(_tr("BRIN"), lambda line: line.brin, 70),
            Column(_tr("Open datalekken"), lambda line: line.open_breaches, 120),
            Column(_tr("72 uur verstreken"), lambda line: line.breaches_late, 130),
            Column(_tr("Verzoeken te laat"), lambda line: line.requests_late, 130),
            Column(_tr("Overeenkomsten verlopen"), lambda line: line.agreements_expired, 180),
            Column(_tr("Aandacht"), level_text, tooltip=attention_text),
        ], key=lambda line: line.school_id, tone=lambda line: TONES.get(line.level),
            empty_text=_tr("Er staan nog geen scholen in het register."),
            name=_tr("Scholen van het bestuur"))
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        return body

    def actions(self) -> list[Action]:
        return [Action(_tr("Register datalekken &afdrukken…"), self.print_register,
                       Permission.READ_BOARD, primary=True, name="print",
                       tooltip=_tr("Alle datalekken van alle scholen over een periode, als "
                                   "PDF: het register van het bestuur (AVG artikel 33, lid 5)."))]

    def load(self, session: Session) -> list[SchoolLine]:
        _every_school(session, self.user)
        lines = board_overview(session, self.user, now=self.clock(),
                               today=local_today(self.clock))
        return sorted(lines, key=lambda line: (
            level_rank(line.level) if line.level is not None else len(Level), line.name))

    def show_rows(self, lines: list[SchoolLine]) -> None:
        self.table.set_rows(lines)
        late = sum(1 for line in lines if line.level is Level.LATE)
        text = plural(len(lines), _tr("1 school"), _tr("%1 scholen"))
        if late:
            text += _tr("; {n} met een verstreken termijn").format(n=late)
        self.set_count(text)

    def lines(self) -> list[SchoolLine]:
        return self.table.rows()

    def print_register(self, *, period: tuple[date, date] | None = None,
                       blocking: bool = False) -> Task | None:
        """Register datalekken afdrukken…: a period, a file, then the PDF on a worker."""
        from desktop.breaches.page import PeriodDialog
        from desktop.printing.breaches import board_breach_register_pdf

        if period is None:
            period = PeriodDialog.ask(self, local_today(self.clock))
            if period is None:
                return None
        first, last = period
        now, user = self.clock(), self.user

        def gather(session: Session) -> BoardBreachRegister:
            _every_school(session, user)
            return gather_board_breach_register(session, user, first, last, now)

        def write(path: Path, register: BoardBreachRegister, progress) -> None:  # noqa: ANN001
            board_breach_register_pdf(path, register,
                                      progress=lambda done: progress(done, register.count))

        return export(self, self.vault, title=_tr("Register van het bestuur afdrukken"),
                      suggested_name=_tr("Register datalekken bestuur {first} tot en met "
                                         "{last}").format(first=format_dutch_date(first),
                                                          last=format_dutch_date(last)),
                      gather=gather, write=write, blocking=blocking,
                      saved_text=_tr("Het register van het bestuur is opgeslagen:\n{path}\n\n"
                                     "Het bestand is niet versleuteld; bewaar het zorgvuldig."))


register_page(BoardPage)
