"""The teacher's 'Niet op de foto', printing from the pages (read back with pypdf) through
kit.tasks.export, and which page a user gets."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QFileDialog, QLabel

from db.clock import local_today
from db.consents import STATE_LABELS, ConsentState
from db.schema import Channel, Decision
from desktop.consents.page import ConsentsPage
from desktop.consents.teacher_page import PhotoListPage
from desktop.kit.files import safe_file_name
from desktop.kit.labels import label, short_title
from desktop.kit.page import AreaContext
from desktop.kit.tasks import export
from tests.desktop.consents.conftest import pid


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def pages_of(path: Path) -> int:
    return len(PdfReader(path).pages)


def context(vault, user, clock) -> AreaContext:
    return AreaContext(vault, user, "OBS De Klimop", "12AB", clock=clock)


def teacher_view(qtbot, vault, user, clock) -> PhotoListPage:
    view = ConsentsPage.create(context(vault, user, clock))  # what the navigation does
    assert isinstance(view, PhotoListPage)
    qtbot.addWidget(view)
    return view


@pytest.fixture
def save_as(monkeypatch, tmp_path):
    """The save dialog answers with a file in tmp_path (without .pdf: the kit adds it)."""
    chosen = {"path": tmp_path / "afdruk", "asked": []}

    def fake(parent, title, start, filters):
        chosen["asked"].append((title, start))
        return (str(chosen["path"]), filters)

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
    return chosen


def wait_for(qtbot, task, boxes) -> Path:
    """Wait until the print is written and 'Klaar' was said; the PDF's path."""
    assert task is not None
    assert task.wait()
    qtbot.waitUntil(lambda: bool(boxes.printed or boxes.failed), timeout=20_000)
    assert not boxes.failed, boxes.failed
    text, path = boxes.printed[-1]
    assert str(path) in text and path.suffix == ".pdf" and path.is_file()
    return path


# --- the teacher ----------------------------------------------------------------------------

def test_the_teacher_view_lists_exactly_the_pupils_without_consent(qtbot, vault, people,
                                                                    school, clock, boxes):
    view = teacher_view(qtbot, vault, people["juf"], clock)
    assert view.current_group() == "5A"  # the teacher's own group
    shown = view.shown_names()
    titles = list(shown)
    assert titles[0] == "Foto's en video's op de schoolwebsite"
    assert len(titles) == len(school["image_codes"]) == 5  # image purposes only
    # website: Ismaël refused, Noor's father refused, Zoë never asked
    assert sorted(shown["Foto's en video's op de schoolwebsite"]) == [
        "Ismaël El Amrani", "Noor Visser", "Zoë van den Berg"]
    for title in titles[1:]:
        assert shown[title] == ["Zoë van den Berg"]
    labels = [label.text() for label in view.findChildren(QLabel)]
    assert any(text.endswith("&nbsp;Noor Visser") for text in labels)
    assert not any("Daan de Vries" in text for text in labels)
    assert "3 van 4 zonder toestemming" in labels


def test_the_teacher_sees_only_their_own_group(qtbot, vault, people, school, clock, boxes):
    """The users view promises a leerkracht only their own group: the register refuses the
    others, so the view offers no other group."""
    from db.consent_sheets import photo_lists
    from db.errors import PermissionDenied

    view = teacher_view(qtbot, vault, people["juf"], clock)
    assert [view.group_combo.itemData(i) for i in range(view.group_combo.count())] == ["5A"]
    with vault.session() as session:
        with pytest.raises(PermissionDenied, match="niet groep 6B"):
            photo_lists(session, people["juf"], today=local_today(clock), group="6B")
        with pytest.raises(PermissionDenied, match="niet alle groepen"):
            photo_lists(session, people["juf"], today=local_today(clock))


def test_the_teacher_view_shows_no_history_and_no_editing(qtbot, vault, people, school,
                                                          clock, boxes):
    view = teacher_view(qtbot, vault, people["juf"], clock)
    texts = " ".join(label.text() for label in view.findChildren(QLabel))
    assert "Geschiedenis" not in texts and "Moeder" not in texts
    assert "dyslexie" not in texts.lower()


def test_the_teacher_prints_the_list_of_the_group(qtbot, vault, people, school, clock, boxes,
                                                  save_as):
    view = teacher_view(qtbot, vault, people["juf"], clock)
    path = wait_for(qtbot, view.print_list(), boxes)
    text = pdf_text(path)
    assert "groep 5A" in text and "Noor Visser" in text and "Daan de Vries" not in text
    assert boxes.printed and str(path) in boxes.printed[0][0]
    assert save_as["asked"][0][1].endswith("Niet op de foto groep 5A 2026-11-24.pdf")
    assert view.print_button.isEnabled()


# --- printing from the consents page -------------------------------------------------------

@pytest.fixture
def view(qtbot, vault, people, school, clock, boxes):
    widget = ConsentsPage(context(vault, people["office"], clock))
    qtbot.addWidget(widget)
    widget.group_combo.setCurrentIndex(widget.group_combo.findData("5A"))
    return widget


def test_printing_the_forms_of_a_group_makes_a_pdf_with_every_pupil(qtbot, view, boxes,
                                                                    save_as):
    path = wait_for(qtbot, view.print_forms(), boxes)
    assert pages_of(path) == 4
    text = pdf_text(path)
    for name in ("Daan de Vries", "Ismaël El Amrani", "Zoë van den Berg", "Noor Visser"):
        assert name in text
    assert "Bram Kok" not in text
    assert "2026-2027" in text
    assert "opgeslagen" in boxes.printed[0][0] and "niet versleuteld" in boxes.printed[0][0]


def test_printing_the_forms_of_the_whole_school(qtbot, view, boxes, save_as):
    path = wait_for(qtbot, view.print_forms(whole_school=True), boxes)
    assert pages_of(path) == 7
    assert "Bram Kok" in pdf_text(path)


def test_printing_forms_for_the_pupils_still_to_ask(qtbot, view, boxes, save_as):
    path = wait_for(qtbot, view.print_forms_to_ask(), boxes)
    text = pdf_text(path)
    assert pages_of(path) == 3
    assert "Zoë van den Berg" in text and "Tim Smit" in text and "Daan de Vries" not in text


def test_printing_the_photo_list_of_all_groups(qtbot, view, boxes, save_as):
    path = wait_for(qtbot, view.print_photo_list(all_groups=True), boxes)
    text = pdf_text(path)
    assert pages_of(path) == 3  # 5A, 6B, 8B
    assert "groep 6B" in text and "Bram Kok" in text


def test_printing_the_overview_of_the_selected_pupil(qtbot, view, school, boxes, save_as):
    view.set_current(view.model.row_of(pid(school, "Noor")), 2)
    path = wait_for(qtbot, view.print_overview(), boxes)
    text = pdf_text(path)
    assert "Noor Visser" in text and "Vader Visser" in text


def test_the_print_buttons_offer_the_group_and_everything(view):
    menu = view.buttons["forms"].menu()
    assert [a.text() for a in menu.actions()] == ["Alleen groep 5A…", "Hele school…"]
    assert [a.text() for a in view.buttons["photo"].menu().actions()] == [
        "Alleen groep 5A…", "Alle groepen…"]


def test_choosing_no_file_prints_nothing(monkeypatch, view, boxes):
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args: ("", "")))
    assert view.print_forms() is None
    assert boxes.printed == [] and boxes.failed == []


def _slow_writer(started: threading.Event):
    def write(path, _data, progress):
        path.write_bytes(b"%PDF half")
        index = 0
        while progress(index, 10_000):
            started.set()
            index += 1
            threading.Event().wait(0.005)
    return write


def test_cancel_stops_the_worker_and_leaves_no_file(qtbot, vault, tmp_path, boxes, save_as):
    parent = QLabel()
    qtbot.addWidget(parent)
    started = threading.Event()
    task = export(parent, vault, title="Test", suggested_name="half", gather=lambda s: None,
                  write=_slow_writer(started), saved_text="{path}")
    assert started.wait(5)
    task.dialog.canceled.emit()  # what the Annuleren button does
    assert task.wait(10_000)
    qtbot.wait(50)
    assert not (tmp_path / "afdruk.pdf").exists() and not list(tmp_path.glob("*.pdf*"))
    assert boxes.printed == [] and boxes.failed == []  # afgebroken: nothing to report


def test_closing_the_window_while_printing_stops_the_worker_first(qtbot, vault, tmp_path,
                                                                   save_as):
    parent = QLabel()
    started = threading.Event()
    task = export(parent, vault, title="Test", suggested_name="bezig", gather=lambda s: None,
                  write=_slow_writer(started), saved_text="{path}")
    thread = task._thread
    assert started.wait(5)
    parent.deleteLater()
    qtbot.waitUntil(lambda: not thread.isRunning() if _alive(thread) else True, timeout=10_000)
    assert not list(tmp_path.glob("*.pdf*"))


def _alive(obj) -> bool:
    from shiboken6 import isValid

    return isValid(obj)


def test_a_file_that_cannot_be_written_gives_a_dutch_message(qtbot, vault, boxes, save_as):
    parent = QLabel()
    qtbot.addWidget(parent)

    def write(_path, _data, _progress):
        raise PermissionError(13, "Permission denied")

    export(parent, vault, title="T", suggested_name="x", gather=lambda s: None, write=write,
           saved_text="{path}", blocking=True)
    assert "Windows geeft geen toegang" in boxes.failed[0]
    assert "Permission" not in boxes.failed[0]


def test_a_windows_unfriendly_group_name_makes_a_valid_file_name():
    assert safe_file_name('Niet op de foto groep 1/2 "a"') == \
        "Niet op de foto groep 1-2 -a-"


# --- which page, and the words --------------------------------------------------------------

def test_each_role_gets_its_own_consent_page(qtbot, vault, people, school, clock):
    assert ConsentsPage.title_for(people["office"]) == "Toestemmingen"
    assert ConsentsPage.title_for(people["fg"]) == "Toestemmingen"
    assert ConsentsPage.title_for(people["juf"]) == "Niet op de foto"
    office = ConsentsPage.create(context(vault, people["office"], clock))
    teacher = ConsentsPage.create(context(vault, people["juf"], clock))
    qtbot.addWidget(office)
    qtbot.addWidget(teacher)
    assert isinstance(office, ConsentsPage) and isinstance(teacher, PhotoListPage)
    assert teacher.title_label.text() == "Niet op de foto — groep 5A"
    # the full page built for a teacher directly shows the locked text, not the register
    locked = ConsentsPage(context(vault, people["juf"], clock))
    qtbot.addWidget(locked)
    assert locked.pages.currentWidget() is locked.locked_label


def test_the_screen_labels_match_the_registers_words():
    from db.consents import CHANNEL_LABELS, DECISION_LABELS

    assert {state: label(state) for state in ConsentState} == STATE_LABELS
    assert {d: label(d) for d in Decision} == DECISION_LABELS
    assert {c: label(c) for c in Channel} == CHANNEL_LABELS


def test_short_titles_fit_a_column():
    assert short_title("foto_website", "Foto's en video's op de schoolwebsite") == "Website"
    assert short_title("eigen", "Schoolreis") == "Schoolreis"
    assert short_title("eigen", "Gegevens delen met de bibliotheek (Bibliotheek op school)") \
        == "Gegevens delen met…"
