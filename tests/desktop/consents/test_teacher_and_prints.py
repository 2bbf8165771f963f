"""The teacher's 'Niet op de foto', printing from the views (read back with pypdf), and which
page a user gets."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QFileDialog, QLabel

from db.clock import local_today
from db.consents import STATE_LABELS, ConsentState
from db.schema import Channel, Decision
from desktop.consents import consent_area_for, consent_page, printing
from desktop.consents.labels import channel_label, decision_label, short_title, state_label
from desktop.consents.teacher_view import TeacherView
from desktop.consents.view import ConsentsView
from tests.desktop.consents.conftest import pid


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.fixture
def save_as(monkeypatch, tmp_path):
    """The save dialog answers with a file in tmp_path (without .pdf: the view adds it)."""
    chosen = {"path": tmp_path / "afdruk", "asked": []}

    def fake(parent, title, start, filters):
        chosen["asked"].append((title, start))
        return (str(chosen["path"]), filters)

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
    return chosen


def wait_for(qtbot, job):
    assert job is not None
    qtbot.waitUntil(lambda: job.result is not None, timeout=20_000)
    return job.result


# --- the teacher ----------------------------------------------------------------------------

def test_the_teacher_view_lists_exactly_the_pupils_without_consent(qtbot, vault, people,
                                                                    school, clock, boxes):
    view = TeacherView(vault, people["juf"], clock)
    qtbot.addWidget(view)
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

    view = TeacherView(vault, people["juf"], clock)
    qtbot.addWidget(view)
    assert [view.group_combo.itemData(i) for i in range(view.group_combo.count())] == ["5A"]
    with vault.session() as session:
        with pytest.raises(PermissionDenied, match="niet groep 6B"):
            photo_lists(session, people["juf"], today=local_today(clock), group="6B")
        with pytest.raises(PermissionDenied, match="niet alle groepen"):
            photo_lists(session, people["juf"], today=local_today(clock))


def test_the_teacher_view_shows_no_history_and_no_editing(qtbot, vault, people, school,
                                                          clock, boxes):
    view = TeacherView(vault, people["juf"], clock)
    qtbot.addWidget(view)
    texts = " ".join(label.text() for label in view.findChildren(QLabel))
    assert "Geschiedenis" not in texts and "Moeder" not in texts
    assert "dyslexie" not in texts.lower()


def test_the_teacher_prints_the_list_of_the_group(qtbot, vault, people, school, clock, boxes,
                                                  save_as):
    view = TeacherView(vault, people["juf"], clock)
    qtbot.addWidget(view)
    result = wait_for(qtbot, view.print_list())
    assert result.ok and result.path.suffix == ".pdf"
    text = pdf_text(result.path)
    assert "groep 5A" in text and "Noor Visser" in text and "Daan de Vries" not in text
    assert boxes.printed and str(result.path) in boxes.printed[0][0]
    assert save_as["asked"][0][1].endswith("Niet op de foto groep 5A 2026-11-24.pdf")


# --- printing from the consents view --------------------------------------------------------

@pytest.fixture
def view(qtbot, vault, people, school, clock, boxes):
    widget = ConsentsView(vault, people["office"], clock)
    qtbot.addWidget(widget)
    widget.group_combo.setCurrentIndex(widget.group_combo.findData("5A"))
    return widget


def test_printing_the_forms_of_a_group_makes_a_pdf_with_every_pupil(qtbot, view, boxes,
                                                                    save_as):
    result = wait_for(qtbot, view.print_forms())
    assert result.ok and result.pages == 4
    text = pdf_text(result.path)
    for name in ("Daan de Vries", "Ismaël El Amrani", "Zoë van den Berg", "Noor Visser"):
        assert name in text
    assert "Bram Kok" not in text
    assert "2026-2027" in text
    assert "Klaar: 4 pagina's" in boxes.printed[0][0]


def test_printing_the_forms_of_the_whole_school(qtbot, view, save_as):
    result = wait_for(qtbot, view.print_forms(whole_school=True))
    assert result.ok and result.pages == 7
    assert "Bram Kok" in pdf_text(result.path)


def test_printing_forms_for_the_pupils_still_to_ask(qtbot, view, save_as):
    result = wait_for(qtbot, view.print_forms_to_ask())
    text = pdf_text(result.path)
    assert result.pages == 3
    assert "Zoë van den Berg" in text and "Tim Smit" in text and "Daan de Vries" not in text


def test_printing_the_photo_list_of_all_groups(qtbot, view, save_as):
    result = wait_for(qtbot, view.print_photo_list(all_groups=True))
    text = pdf_text(result.path)
    assert result.pages == 3  # 5A, 6B, 8B
    assert "groep 6B" in text and "Bram Kok" in text


def test_printing_the_overview_of_the_selected_pupil(qtbot, view, school, save_as):
    view.set_current(view.model.row_of(pid(school, "Noor")), 2)
    result = wait_for(qtbot, view.print_overview())
    text = pdf_text(result.path)
    assert result.ok and "Noor Visser" in text and "Vader Visser" in text


def test_choosing_no_file_prints_nothing(monkeypatch, view):
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args: ("", "")))
    assert view.print_forms() is None
    assert view.job is None


def test_cancel_stops_the_worker_and_leaves_no_file(qtbot, tmp_path, boxes):
    parent = QLabel()
    qtbot.addWidget(parent)
    path = tmp_path / "half.pdf"
    started = threading.Event()

    def writer(progress):
        path.write_bytes(b"%PDF half")
        index = 0
        while progress(index):
            started.set()
            index += 1
            threading.Event().wait(0.005)
        return index

    job = printing.PrintJob(parent, writer, path, total=10_000, title="Test", label="Bezig…")
    job.finished.connect(lambda result: printing.report_result(parent, result, title="Test"))
    job.start()
    assert started.wait(5)
    job.dialog.canceled.emit()  # what the Annuleren button does
    qtbot.waitUntil(lambda: job.result is not None, timeout=10_000)
    assert job.result.cancelled and not job.result.ok
    assert not path.exists()
    assert boxes.failed == ["Afdrukken afgebroken. Er is geen bestand gemaakt."]


def test_closing_the_window_while_printing_stops_the_worker_first(qtbot, tmp_path):
    parent = QLabel()
    path = tmp_path / "busy.pdf"
    started = threading.Event()

    def writer(progress):
        index = 0
        while progress(index):
            started.set()
            index += 1
            threading.Event().wait(0.005)
        return index

    job = printing.PrintJob(parent, writer, path, total=10_000, title="Test", label="Bezig…")
    thread = job._thread
    job.start()
    assert started.wait(5)
    parent.deleteLater()
    qtbot.waitUntil(lambda: not thread.isRunning() if _alive(thread) else True, timeout=10_000)


def _alive(obj) -> bool:
    from shiboken6 import isValid

    return isValid(obj)


def test_a_file_that_cannot_be_written_gives_a_dutch_message(qtbot, tmp_path, boxes):
    parent = QLabel()
    qtbot.addWidget(parent)

    def writer(_progress):
        raise PermissionError(13, "Permission denied")

    job = printing.PrintJob(parent, writer, tmp_path / "x.pdf", total=1, title="T", label="…")
    job.finished.connect(lambda result: printing.report_result(parent, result, title="T"))
    job.start()
    qtbot.waitUntil(lambda: job.result is not None, timeout=10_000)
    assert "Windows geeft geen toegang" in boxes.failed[0]
    assert "Permission" not in boxes.failed[0]


def test_a_windows_unfriendly_group_name_makes_a_valid_file_name():
    assert printing.safe_file_name('Niet op de foto groep 1/2 "a"') == \
        "Niet op de foto groep 1-2 -a-"


# --- which page, and the words --------------------------------------------------------------

class _Context:
    def __init__(self, vault, user, clock):
        self.vault, self.user, self.clock = vault, user, clock


def test_each_role_gets_its_own_consent_page(qtbot, vault, people, school, clock):
    assert consent_area_for(people["office"])[0] == "Toestemmingen"
    assert consent_area_for(people["fg"])[0] == "Toestemmingen"
    assert consent_area_for(people["juf"])[0] == "Niet op de foto"
    office = consent_page(_Context(vault, people["office"], clock))
    teacher = consent_page(_Context(vault, people["juf"], clock))
    qtbot.addWidget(office)
    qtbot.addWidget(teacher)
    assert isinstance(office, ConsentsView) and isinstance(teacher, TeacherView)


def test_the_screen_labels_match_the_registers_words():
    from db.consents import CHANNEL_LABELS, DECISION_LABELS

    assert {state: state_label(state) for state in ConsentState} == STATE_LABELS
    assert {d: decision_label(d) for d in Decision} == DECISION_LABELS
    assert {c: channel_label(c) for c in Channel} == CHANNEL_LABELS


def test_short_titles_fit_a_column():
    assert short_title("foto_website", "Foto's en video's op de schoolwebsite") == "Website"
    assert short_title("eigen", "Schoolreis") == "Schoolreis"
    assert short_title("eigen", "Gegevens delen met de bibliotheek (Bibliotheek op school)") \
        == "Gegevens delen met…"
