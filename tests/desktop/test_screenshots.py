"""The README's screenshots: the whole main window at 1366×768 (a school laptop), one per area
of the menu, on the demo register (made-up school, fixed date), each as the role that works
there. Run on purpose, not in the suite:

    PRIVACYREGISTER_SCREENSHOTS=1 QT_QPA_PLATFORM=offscreen \\
        .venv/bin/python -m pytest -q -p no:cacheprovider tests/desktop/test_screenshots.py

They are written to docs/screenshots/ as 256-colour PNGs (a tenth of the size, text sharp).
Look at every one before committing: a clipped or English text is a bug.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtWidgets import QDialog, QWidget
from sqlalchemy import select

from db.demo import open_or_create_demo
from db.schema import User
from desktop.areas import MENU
from desktop.main_window import MainWindow

SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"
SIZE = (1366, 768)
# area: the demo user who works there, with the buttons of that area enabled (the office's
# daily areas; the director's breaches, requests, school guide, art. 30 register and
# retention; the beheerder's users; the FG's audit log)
WHO = {"overview": "directie", "pupils": "administratie", "consents": "administratie",
       "photo_check": "administratie", "breaches": "directie", "requests": "directie",
       "suppliers": "administratie", "exchanges": "administratie", "schoolgids": "directie",
       "processing": "directie", "retention": "directie", "users": "beheer",
       "audit_log": "fg", "board": "fg"}
EXTRA = (("consents", "leerkracht", "teacher"),)  # the teacher's 'Niet op de foto'

pytestmark = pytest.mark.skipif(not os.environ.get("PRIVACYREGISTER_SCREENSHOTS"),
                                reason="writes docs/screenshots; set "
                                       "PRIVACYREGISTER_SCREENSHOTS=1")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from datetime import UTC, datetime

    import keyring

    from db.clock import fixed_clock
    from tests.support.memkeyring import MemoryKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    folder = tmp_path_factory.mktemp("demo")
    clock = fixed_clock(datetime(2026, 11, 24, 9, 30, tzinfo=UTC))
    vault = open_or_create_demo(folder / "demo.db", backup_dir=folder / "backups", clock=clock)
    yield vault, clock
    vault.engine.dispose()
    keyring.set_keyring(previous)


def pillow(widget: QWidget):  # noqa: ANN201 - a PIL image
    from PIL import Image

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    widget.grab().save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(buffer.data()))).convert("RGB")


def save_small(window: MainWindow, name: str, dialog: QWidget | None = None) -> Path:
    """The window (with `dialog` drawn where it shows over it) as a 256-colour PNG in
    docs/screenshots."""
    from PIL import Image, ImageDraw

    image = pillow(window)
    assert image.size == SIZE
    if dialog is not None:
        shown = pillow(dialog)  # centred over the window, as Qt places a dialog on a desktop
        x, y = max((SIZE[0] - shown.width) // 2, 0), max((SIZE[1] - shown.height) // 2, 0)
        ImageDraw.Draw(image).rectangle((x - 1, y - 1, x + shown.width, y + shown.height),
                                        outline=(110, 110, 110))
        image.paste(shown, (x, y))
    target = SCREENSHOTS / f"{name}.png"
    image.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        target, optimize=True)
    return target


def open_window(qtbot, vault, clock, username: str, area: str) -> tuple[MainWindow, QWidget]:
    with vault.session() as session:
        user = session.scalar(select(User).where(User.username == username))
    window = MainWindow(vault, user, clock=clock, demo=True)
    qtbot.addWidget(window)
    window.resize(*SIZE)
    window.show()
    qtbot.waitExposed(window)
    page = window.show_area(area)
    assert page is not None, f"{username} cannot open {area}"
    qtbot.wait(50)
    return window, page


def shoot(qtbot, vault, clock, username: str, area: str, name: str) -> Path:
    window, _page = open_window(qtbot, vault, clock, username, area)
    path = save_small(window, name)
    window.close()
    return path


def shoot_dialog(qtbot, monkeypatch, window: MainWindow, cls: type[QDialog], open_it,
                 name: str) -> Path:
    """`open_it()` opens a `cls` the way the page does; it is shown, drawn over the window
    and closed (Esc) instead of a real exec()."""
    shots: list[Path] = []

    def exec_(dialog: QDialog) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        qtbot.wait(50)
        shots.append(save_small(window, name, dialog))
        dialog.reject()
        return int(QDialog.DialogCode.Rejected)

    monkeypatch.setattr(cls, "exec", exec_)
    open_it()
    window.close()
    assert len(shots) == 1
    return shots[0]


@pytest.mark.parametrize("area", MENU)
def test_a_screenshot_of_each_area(qtbot, demo, area):
    vault, clock = demo
    assert shoot(qtbot, vault, clock, WHO[area], area, area).stat().st_size < 200_000


@pytest.mark.parametrize(("area", "username", "name"), EXTRA)
def test_a_screenshot_of_another_role(qtbot, demo, area, username, name):
    vault, clock = demo
    assert shoot(qtbot, vault, clock, username, area, name).stat().st_size < 200_000


def test_a_screenshot_of_the_pupil_card(qtbot, demo, monkeypatch):
    from desktop.pupils.card import PupilCard

    vault, clock = demo
    window, page = open_window(qtbot, vault, clock, "administratie", "pupils")
    shoot_dialog(qtbot, monkeypatch, window, PupilCard, lambda: page.open_card(0), "pupil_card")


def test_a_screenshot_of_a_breach(qtbot, demo, monkeypatch):
    from desktop.breaches.detail import BreachDetail

    vault, clock = demo
    window, page = open_window(qtbot, vault, clock, "directie", "breaches")
    page.table.view.selectRow(1)  # notified to the AP in time
    shoot_dialog(qtbot, monkeypatch, window, BreachDetail, page.open_breach, "breach_detail")
