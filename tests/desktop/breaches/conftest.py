"""Staff of a new register (office and director), the message-box recorder and a filled-in
registration form, for the breach screens."""

import pytest
from sqlalchemy import select

from db.schema import Breach, Role, User
from db.users import create_user
from desktop.kit import files, widgets


@pytest.fixture
def staff(vault, clock):
    with vault.session() as session:
        admin = session.scalar(select(User))
        return {"office": create_user(session, admin, "office", "wachtwoord-1",
                                      Role.ADMINISTRATIE, clock=clock),
                "director": create_user(session, admin, "dir", "wachtwoord-1", Role.DIRECTIE,
                                        clock=clock)}


@pytest.fixture
def boxes(monkeypatch):
    said = {"confirm": True, "asked": [], "informed": []}
    monkeypatch.setattr(widgets, "confirm",
                        lambda *a, **k: said["asked"].append(a[2]) or said["confirm"])
    monkeypatch.setattr(widgets, "inform", lambda *a, **k: said["informed"].append(a[2]))
    monkeypatch.setattr(widgets, "warn", lambda *a, **k: said["informed"].append(a[2]))
    said["saved"] = []
    monkeypatch.setattr(files, "show_saved",
                        lambda _parent, _title, text, path: said["saved"].append((text, path)))
    return said


@pytest.fixture
def save_as(monkeypatch, tmp_path):
    """QFileDialog.getSaveFileName answers with files in tmp_path; returns the asked titles."""
    from pathlib import Path

    from PySide6.QtWidgets import QFileDialog

    asked: list[str] = []

    def answer(_parent, title, start, _filter):
        asked.append(title)
        return str(tmp_path / Path(start).name), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    return asked


def fill(qtbot, dialog, *, discovered="23-11-2026 09:00", started="22-11-2026 17:00",
         text="Laptop met klassenlijst in de trein laten liggen"):
    for edit, value in ((dialog.discovered, discovered), (dialog.started, started)):
        edit.clear()
        qtbot.keyClicks(edit, value)
    qtbot.keyClicks(dialog.description, text)
    dialog.nature["lost"].setChecked(True)
    dialog.categories["name"].setChecked(True)
    dialog.categories["special"].setChecked(True)
    dialog.groups["pupils"].setChecked(True)
    dialog.count_known.setChecked(True)
    dialog.count_min.setValue(25)
    dialog.count_max.setValue(30)


def stored(vault):
    with vault.session() as session:
        return session.scalars(select(Breach)).all()
