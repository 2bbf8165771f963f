"""What every desktop test may use: a small school for the areas (retention, users, audit log,
requests, suppliers), written through the register's own use-cases (users of every role, pupils
with parents, a GGD consent, two pupils who left long ago); message boxes and save dialogs that
never open; and watching that the windows an area opens are freed (issue 18)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QSettings
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from shiboken6 import isValid
from sqlalchemy import select

from db.consents import record_decision
from db.pupils import (
    GuardianInput,
    PupilInput,
    add_guardian,
    add_special,
    enrol_pupil,
    record_leaving,
)
from db.purposes import seed_default_purposes
from db.retention import seed_default_rules
from db.schema import Channel, ConsentPurpose, Decision, Role, User
from db.users import create_user
from desktop.kit import files, widgets

TODAY = date(2026, 11, 24)
PASSWORD = "wachtwoord-1"


@pytest.fixture(autouse=True)
def view_settings_folder(tmp_path_factory) -> Path:
    """What a screen remembers (desktop/kit/view_settings.py: a folded pane) goes to a fresh
    folder per test, never to the settings of the person running the tests."""
    folder = tmp_path_factory.mktemp("view-settings")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture
def people(vault, clock) -> dict[str, User]:
    """beheer (beheerder), office (administratie), dir (directie), juf (leerkracht 5A), fg."""
    with vault.session() as session:
        admin = session.scalar(select(User).where(User.username == "beheer"))
        users = {"beheer": admin}
        for name, role, display in (("office", Role.ADMINISTRATIE, "Petra de Wit"),
                                    ("dir", Role.DIRECTIE, "Karin Directeur"),
                                    ("juf", Role.LEERKRACHT, "Juf Anna"),
                                    ("fg", Role.FG, "Frank FG")):
            users[name] = create_user(session, admin, name, PASSWORD, role,
                                      display_name=display,
                                      group_name="5A" if role == Role.LEERKRACHT else None,
                                      clock=clock)
    return users


@pytest.fixture
def school(vault, people, clock) -> dict:
    """Daan de Vries (5A, GGD consent given), Zoë van den Berg (5A, never asked),
    and two who left in 2018: Bram Kok (with a medical note) and Sanne Mulder."""
    office, admin = people["office"], people["beheer"]
    ids: dict[str, int] = {}
    guardians: dict[str, int] = {}
    with vault.session() as session:
        seed_default_purposes(session, admin, clock=clock)
        seed_default_rules(session, admin, clock=clock)
        ggd = session.scalar(select(ConsentPurpose.id)
                             .where(ConsentPurpose.code == "uitwisseling_ggd_jgz"))
        for first, prefix, last, group, born in (
                ("Daan", "de", "Vries", "5A", date(2016, 4, 1)),
                ("Zoë", "van den", "Berg", "5A", date(2016, 6, 3)),
                ("Bram", "", "Kok", "8B", date(2006, 8, 5)),
                ("Sanne", "", "Mulder", "8B", date(2006, 1, 6))):
            pupil = enrol_pupil(session, office, PupilInput(
                first_name=first, prefix=prefix, last_name=last, date_of_birth=born,
                group_name=group, enrolled_on=date(2010, 8, 30) if group == "8B"
                else date(2020, 8, 31)), clock=clock)
            ids[first] = pupil.id
            mother = add_guardian(session, office, pupil.id, GuardianInput(
                first_name="Moeder", prefix=prefix, last_name=last, relation="moeder"),
                clock=clock)
            guardians[first] = mother.id
        record_decision(session, office, ids["Daan"], ggd, Decision.GIVEN,
                        decided_on=date(2025, 9, 1), guardian_id=guardians["Daan"],
                        channel=Channel.PAPER, clock=clock)
        add_special(session, office, ids["Bram"], "medical", "dyslexieverklaring", clock=clock)
        for first in ("Bram", "Sanne"):  # left long ago: everything is due
            record_leaving(session, office, ids[first], date(2018, 7, 13), clock=clock)
    return {"ids": ids, "guardians": guardians, "ggd": ggd}


class Boxes:
    """Records the message boxes a test triggered and answers confirm() as told."""

    def __init__(self) -> None:
        self.answer = True
        self.asked: list[str] = []
        self.warnings: list[str] = []
        self.informed: list[str] = []
        self.saved: list[tuple[str, Path]] = []

    def confirm(self, _parent, _title, text, **_kwargs) -> bool:
        self.asked.append(text)
        return self.answer

    def warn(self, _parent, _title, text) -> None:
        self.warnings.append(text)

    def inform(self, _parent, _title, text) -> None:
        self.informed.append(text)

    def show_saved(self, _parent, _title, text, path) -> None:
        self.saved.append((text, path))


@pytest.fixture
def boxes(monkeypatch) -> Boxes:
    """No real message box ever opens in a test."""
    recorder = Boxes()
    monkeypatch.setattr(widgets, "confirm", recorder.confirm)
    monkeypatch.setattr(widgets, "warn", recorder.warn)
    monkeypatch.setattr(widgets, "inform", recorder.inform)
    monkeypatch.setattr(files, "show_saved", recorder.show_saved)
    return recorder


class SaveAs(list):
    """The titles of the save dialogs asked, in order; ``folder`` is where the next file goes
    (tmp_path unless a test points it at a missing, read-only or full folder)."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder


@pytest.fixture
def save_as(monkeypatch, tmp_path) -> SaveAs:
    """QFileDialog.getSaveFileName answers with files in ``save_as.folder`` (tmp_path);
    returns the asked list."""
    from PySide6.QtWidgets import QFileDialog

    asked = SaveAs(tmp_path)

    def answer(_parent, title, start, _filter):
        asked.append(title)
        return str(asked.folder / Path(start).name), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    return asked


class Windows:
    """Drives dialogs and message boxes the way the GUI opens them, without a real exec(), and
    checks afterwards that each window is gone and the top-level windows are back to what they
    were (the office keeps the program open all day).

    ``answer(cls, result, click=..., before=...)`` or ``watch(cls, answer)`` patch ``cls.exec``
    to record the window and answer at once; ``assert_all_freed()`` / ``assert_freed(*names)``
    process the deferred deletes and check."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.seen: list = []
        self.destroyed: list[str] = []
        self.before: set | None = None

    @property
    def opened(self) -> list:
        return self.seen

    def snapshot(self) -> None:
        """Remember the top-level windows before the action under test."""
        process_deletes()
        self.before = set(QApplication.topLevelWidgets())

    start = snapshot

    def _record(self, window) -> None:  # noqa: ANN001
        self.seen.append(window)
        name = type(window).__name__
        window.destroyed.connect(lambda *_args, n=name: self.destroyed.append(n))

    def answer(self, cls, result=None, *, click: str = "", before=None) -> None:  # noqa: ANN001
        """exec() on `cls` records the window, runs `before(window)`, clicks the button with
        text `click` (a message box) and returns `result` (default: rejected)."""
        if self.before is None:
            self.snapshot()
        code = QDialog.DialogCode.Rejected if result is None else result

        def exec_(window) -> int:  # noqa: ANN001
            self._record(window)
            if before is not None:
                before(window)
            if click:
                button = next(b for b in window.buttons() if b.text() == click)
                button.click()
                return 0
            if code == QDialog.DialogCode.Accepted and hasattr(window, "accept"):
                window.accept()
                return int(window.result())
            return int(code)

        self.monkeypatch.setattr(cls, "exec", exec_)

    def watch(self, cls: type, answer: Callable[[QWidget], object] | None = None) -> None:
        """exec() on `cls` records the window, lets ``answer(window)`` act (default: Esc, that
        is reject()) and returns the window's result, as a real exec() would."""

        def exec_(window: QWidget) -> int:
            self._record(window)
            if answer is not None:
                answer(window)
            elif isinstance(window, QDialog):
                window.reject()
            return QDialog.result(window) if isinstance(window, QDialog) else 0

        self.monkeypatch.setattr(cls, "exec", exec_)

    def assert_all_freed(self) -> None:
        process_deletes()
        assert self.seen, "no window was opened"
        assert len(self.destroyed) == len(self.seen), (self.destroyed, self.seen)
        assert not any(isValid(window) for window in self.seen)
        assert set(QApplication.topLevelWidgets()) == self.before

    def assert_freed(self, *names: str) -> None:
        """Every window opened since start() is destroyed, the top-level windows are what they
        were, and ``names`` (class names) were among the windows opened."""
        process_deletes()
        assert self.seen, "no window was opened"
        assert not [w for w in self.seen if isValid(w)], "a closed window is still alive"
        assert set(names) <= set(self.destroyed)
        assert set(QApplication.topLevelWidgets()) == self.before


def process_deletes() -> None:
    """Run the deferred deletes (deleteLater) now, as the event loop would."""
    for _ in range(3):
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()


flush = process_deletes


@pytest.fixture
def windows(monkeypatch) -> Windows:
    return Windows(monkeypatch)
