"""Failures explain themselves (issue 12, point 8): a print into a folder that is read-only,
missing or full ends, as the user sees it, with the progress dialog gone, a Dutch message that
says what happened and what to do, no file left behind, the failure in the log (type and code
path, never a name) and the next print working.

The print is the one an office administrator makes: Toestemmingsformulieren for the whole
school from the consents page, through kit.tasks.export on its worker thread (not blocking).
The folders are real: a read-only or tiny tmpfs mounted as root (tests/support/folders.py).
"""

from __future__ import annotations

import errno
import threading
from contextlib import contextmanager

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QApplication, QProgressDialog

from desktop import failures
from desktop.consents.page import ConsentsPage
from desktop.kit.files import failure_reason
from desktop.kit.page import AreaContext
from tests.desktop.conftest import process_deletes
from tests.support.folders import can_fill_a_folder, full_folder, read_only_folder

ENGLISH = ("Errno", "Read-only", "No space", "Permission denied", "No such file")
NAMES = ("Daan", "Vries", "Zoë", "Berg", "Moeder")


@pytest.fixture
def page(qtbot, vault, people, school, clock, boxes, save_as) -> ConsentsPage:
    view = ConsentsPage(AreaContext(vault, people["office"], "OBS De Klimop", "12AB",
                                    clock=clock))
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    return view


@pytest.fixture
def gate(monkeypatch, vault) -> threading.Event:
    """Holds a print's worker until the test has seen the progress dialog on screen, as a
    user sees it when a print takes a moment (the dialog shows after 300 ms)."""
    opened = threading.Event()
    real = vault.worker_session

    @contextmanager
    def held():
        assert opened.wait(20), "the progress dialog never showed"
        with real() as session:
            yield session

    monkeypatch.setattr(vault, "worker_session", held)
    return opened


def progress_dialogs() -> list[QProgressDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)]


def print_forms(qtbot, page: ConsentsPage, gate: threading.Event, boxes) -> None:
    """Print the forms of the whole school and wait until the user has been told."""
    told = len(boxes.warnings) + len(boxes.saved)
    gate.clear()
    task = page.print_forms(whole_school=True)
    assert task is not None
    dialog = task.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=3_000)  # after 300 ms; it once took 4 s
    assert dialog in progress_dialogs()
    gate.set()
    assert task.wait(60_000)
    qtbot.waitUntil(lambda: len(boxes.warnings) + len(boxes.saved) > told, timeout=20_000)
    process_deletes()
    assert not [d for d in progress_dialogs() if d.isVisible()], "the progress dialog stayed"
    assert progress_dialogs() == []  # closed and freed, not only hidden


def log_text() -> str:
    path = failures.log_path()
    return path.read_text(encoding="utf-8") if path.exists() else ""


def assert_the_next_print_works(qtbot, page, gate, boxes, save_as, tmp_path) -> None:
    folder = tmp_path / "afdrukken"
    folder.mkdir()
    save_as.folder = folder
    print_forms(qtbot, page, gate, boxes)
    assert boxes.saved, boxes.warnings[-1:]
    _text, path = boxes.saved[-1]
    assert path.parent == folder and path.is_file() and not list(folder.glob("*.part"))
    text = "\n".join(p.extract_text() for p in PdfReader(path).pages)
    assert "Daan de Vries" in text and "Zoë van den Berg" in text
    assert "Bram Kok" not in text  # left in 2018


def assert_dutch(message: str, *words: str) -> None:
    assert message.startswith("Het bestand is niet gemaakt: ")
    assert "probeer het opnieuw" in message
    for word in words:
        assert word in message, message
    for word in ENGLISH:
        assert word not in message, message


def test_a_print_into_a_read_only_folder_says_so_and_the_next_print_works(
        qtbot, page, gate, boxes, save_as, tmp_path):
    before = log_text()
    with read_only_folder(tmp_path / "alleen-lezen") as folder:
        save_as.folder = folder
        print_forms(qtbot, page, gate, boxes)
        assert list(folder.iterdir()) == []  # no file, no .part
    assert save_as == ["Toestemmingsformulieren afdrukken"]
    assert boxes.saved == [] and len(boxes.warnings) == 1
    assert_dutch(boxes.warnings[0], "alleen-lezen" if can_fill_a_folder() else "toegang",
                 "Kies een")
    logged = log_text()[len(before):]
    assert "achtergrondtaak mislukt" in logged
    assert ("builtins.OSError" if can_fill_a_folder() else "builtins.PermissionError") in logged
    for name in (*NAMES, "alleen-lezen"):
        assert name not in logged
    assert_the_next_print_works(qtbot, page, gate, boxes, save_as, tmp_path)


def test_a_print_into_a_missing_folder_says_so_and_the_next_print_works(
        qtbot, page, gate, boxes, save_as, tmp_path):
    save_as.folder = tmp_path / "usb-stick" / "weg"  # unplugged after choosing
    print_forms(qtbot, page, gate, boxes)
    assert not (tmp_path / "usb-stick").exists()
    assert_dutch(boxes.warnings[0], "bestaat niet (meer)", "Kies een andere map")
    assert "builtins.FileNotFoundError" in log_text()
    assert_the_next_print_works(qtbot, page, gate, boxes, save_as, tmp_path)


@pytest.mark.skipif(not can_fill_a_folder(),
                    reason="a full disk is made by mounting a tiny tmpfs, which needs root")
def test_a_print_onto_a_full_disk_says_so_and_the_next_print_works(
        qtbot, page, gate, boxes, save_as, tmp_path):
    with full_folder(tmp_path / "vol", size="64k") as folder:
        (folder / "ander bestand").write_bytes(b"x" * 56 * 1024)  # a little room is left
        save_as.folder = folder
        print_forms(qtbot, page, gate, boxes)
        assert sorted(p.name for p in folder.iterdir()) == ["ander bestand"]
    assert_dutch(boxes.warnings[0], "De schijf is vol", "ruimte vrij")
    assert "builtins.OSError" in log_text()
    assert_the_next_print_works(qtbot, page, gate, boxes, save_as, tmp_path)


def test_an_unexpected_error_in_the_print_says_so_is_logged_and_the_next_print_works(
        qtbot, page, gate, boxes, save_as, tmp_path, monkeypatch):
    import desktop.printing.consent_forms as forms

    real = forms.consent_forms

    def broken(*_args, **_kwargs):
        raise KeyError("Daan de Vries")  # a bug in a writer, with a name in its message

    monkeypatch.setattr(forms, "consent_forms", broken)
    print_forms(qtbot, page, gate, boxes)
    message = boxes.warnings[0]
    assert "Er ging iets onverwachts mis (KeyError)" in message
    assert str(failures.log_path()) in message and "ICT-partner" in message
    assert "Daan" not in message
    logged = log_text()
    assert "builtins.KeyError" in logged and "test_print_failures.py" in logged
    for name in NAMES:
        assert name not in logged
    assert not list(tmp_path.glob("*.pdf*"))
    monkeypatch.setattr(forms, "consent_forms", real)
    assert_the_next_print_works(qtbot, page, gate, boxes, save_as, tmp_path)


@pytest.mark.parametrize(("error", "words"), [
    (OSError(errno.EROFS, "Read-only file system"), ("alleen-lezen", "Kies een map")),
    (PermissionError(errno.EACCES, "Permission denied"), ("geen toegang", "andere map")),
    (FileNotFoundError(errno.ENOENT, "No such file or directory"),
     ("bestaat niet (meer)", "andere map")),
    (OSError(errno.ENOSPC, "No space left on device"), ("schijf is vol", "ruimte vrij")),
    (OSError(errno.EIO, "Input/output error"), ("foutcode 5", "Controleer de map")),
])
def test_each_cause_of_a_failed_write_says_what_to_do_in_dutch(error, words):
    reason = failure_reason(error)
    assert "probeer het opnieuw" in reason
    for word in words:
        assert word in reason
    for word in ENGLISH:
        assert word not in reason


def test_a_worker_that_exits_still_closes_its_progress_dialog_and_is_logged(qtbot, boxes):
    """Not even SystemExit from a library lets a background thread die silently."""
    from PySide6.QtWidgets import QLabel

    from desktop.kit.tasks import run_task

    parent = QLabel()
    qtbot.addWidget(parent)
    outcomes = []

    def work(_progress):
        raise SystemExit(3)

    task = run_task(parent, work, outcomes.append, title="Test", label="Bezig…")
    assert task.wait(10_000)
    qtbot.waitUntil(lambda: bool(outcomes), timeout=10_000)
    process_deletes()
    assert isinstance(outcomes[0].error, SystemExit)
    assert progress_dialogs() == []
    assert "builtins.SystemExit" in log_text()
