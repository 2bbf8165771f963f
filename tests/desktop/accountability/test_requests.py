"""Verzoeken: registering through the dialog, the term in red, extending, answering, the access
export and erasure on request."""

from datetime import UTC, date, datetime

from pypdf import PdfReader
from sqlalchemy import select

from db.clock import fixed_clock
from db.pupils import pupil_rows
from db.requests import RequestInput, register_request
from db.schema import Erasure, Pupil, RequestKind
from desktop.kit.table import RED_BACKGROUND
from desktop.requests.dialogs import (
    NOT_IN_LIST,
    AccessExportDialog,
    AnswerDialog,
    ExtendDialog,
    RegisterRequestDialog,
)
from desktop.requests.view import RequestsView, RequestTableModel
from tests.desktop.accountability.conftest import TODAY

LATER = fixed_clock(datetime(2027, 1, 5, 9, 0, tzinfo=UTC))


def make_view(qtbot, vault, user, clock) -> RequestsView:
    view = RequestsView(vault, user, clock)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    return view


def new_request(vault, user, clock, pupil_id, kind=RequestKind.ACCESS,
                received=date(2026, 11, 10)) -> int:
    with vault.session() as session:
        return register_request(session, user, RequestInput(
            kind=kind, received_on=received, pupil_id=pupil_id, guardian_id=None,
            description="Moeder vraagt alles op."), clock=clock).id


def test_register_a_request_through_the_dialog_and_see_it_overdue_later(
        qtbot, vault, people, school, clock, qtmodeltester):
    office = people["office"]
    with vault.session() as session:
        pupils = pupil_rows(session, office)
    dialog = RegisterRequestDialog(None, vault, office, pupils, clock=clock)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData(RequestKind.RECTIFICATION))
    dialog.received_on.setText("")
    qtbot.keyClicks(dialog.received_on, "3-11-2026")
    assert dialog.deadline_hint.text() == "Antwoorden uiterlijk op 03-12-2026."
    qtbot.keyClicks(dialog.pupil.lineEdit(), "zoe")  # accent-blind search
    assert dialog.pupil.completer().completionCount() == 1
    dialog.pupil.select_pupil(school["ids"]["Zoë"])
    assert dialog.guardian.currentData() == school["guardians"]["Zoë"]
    qtbot.keyClicks(dialog.description, "Achternaam verkeerd gespeld.")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.request_id

    view = make_view(qtbot, vault, office, clock)
    qtmodeltester.check(view.model)
    line = view.lines()[0]
    assert (line.pupil, line.status_text) == ("Zoë van den Berg", "open — nog 9 dagen")
    assert view.model.data(view.model.index(0, RequestTableModel.DEADLINE)) == "03-12-2026"

    late = make_view(qtbot, vault, office, LATER)
    line = late.lines()[0]
    assert line.overdue and line.status_text == "open — termijn verstreken"
    assert late.model.data(late.model.index(0, 0), 8) == RED_BACKGROUND  # BackgroundRole
    assert "1 met verstreken termijn" in late.count_label.text()


def test_a_pupil_must_be_chosen_from_the_list(qtbot, vault, people, school, clock):
    with vault.session() as session:
        pupils = pupil_rows(session, people["office"])
    dialog = RegisterRequestDialog(None, vault, people["office"], pupils, clock=clock)
    qtbot.addWidget(dialog)
    dialog.accept()
    assert dialog.errors.message("pupil") == "Kies de leerling om wie het verzoek gaat."
    dialog.pupil.setEditText("Piet Niemand")
    assert dialog.pupil.pupil_id() == NOT_IN_LIST
    dialog.accept()
    assert "staat niet in de lijst" in dialog.errors.message("pupil")
    dialog.pupil.select_pupil(school["ids"]["Daan"])
    dialog.received_on.setText("1-1-2027")
    dialog.accept()
    assert dialog.errors.message("received_on") == "De ontvangstdatum ligt in de toekomst."
    assert dialog.request_id is None


def test_extension_without_a_reason_is_refused_at_the_field(qtbot, vault, people, school,
                                                            clock):
    office = people["office"]
    request_id = new_request(vault, office, clock, school["ids"]["Daan"])
    view = make_view(qtbot, vault, office, clock)
    view.select_request(request_id)
    dialog = ExtendDialog(view, vault, office, view.current_line().request, clock=clock)
    qtbot.addWidget(dialog)
    dialog.months.setCurrentIndex(dialog.months.findData(2))
    dialog.accept()
    assert dialog.errors.message("reason") == "Verlengen mag alleen met een reden; vul die in."
    assert dialog.result() != dialog.DialogCode.Accepted
    qtbot.keyClicks(dialog.reason, "Overleg met de leverancier nodig.")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    view.refresh()
    line = view.current_line()
    assert line.request.extended_months == 2 and line.request.deadline == date(2027, 2, 10)
    assert line.status_text.startswith("verlengd")
    assert "Overleg met de leverancier" in view.detail_labels["extension"].text()


def test_answering_closes_the_request(qtbot, vault, people, school, clock):
    office = people["office"]
    request_id = new_request(vault, office, clock, school["ids"]["Daan"])
    view = make_view(qtbot, vault, office, clock)
    view.select_request(request_id)
    dialog = AnswerDialog(view, vault, office, view.current_line().request, clock=clock)
    qtbot.addWidget(dialog)
    dialog.accept()
    assert dialog.errors.message("answer") == "Vat het antwoord samen."
    qtbot.keyClicks(dialog.text, "Overzicht per e-mail verstuurd.")
    dialog.accept()
    view.refresh()
    line = view.current_line()
    assert line.status_text == "beantwoord" and line.tone == "grey"
    assert not view.answer_button.isEnabled() and not view.extend_button.isEnabled()


def test_access_export_with_password_writes_a_protected_pdf(qtbot, vault, people, school, clock,
                                                           boxes, save_as, tmp_path):
    office = people["office"]
    request_id = new_request(vault, office, clock, school["ids"]["Daan"])
    view = make_view(qtbot, vault, office, clock)
    view.select_request(request_id)
    assert view.export_button.isEnabled() and not view.erase_button.isVisible()

    dialog = AccessExportDialog(view, "Daan de Vries")
    qtbot.addWidget(dialog)
    dialog.first.setText("geheim-123")
    dialog.second.setText("geheim-12")
    dialog.accept()
    assert dialog.errors.message("repeat").startswith("De twee wachtwoorden zijn niet gelijk")
    dialog.second.setText("geheim-123")
    dialog.accept()
    assert dialog.password == "geheim-123"

    task = view.export_selected(password=dialog.password)
    qtbot.waitUntil(lambda: view.task is None, timeout=20_000)
    assert task is not None and boxes.saved and not boxes.warnings
    path = boxes.saved[0][1]
    assert path == tmp_path / "Inzage Daan de Vries.pdf"
    reader = PdfReader(path)
    assert reader.is_encrypted and reader.decrypt("geheim-123")
    assert "Daan de Vries" in reader.pages[0].extract_text()


def test_erasure_request_confirms_backs_up_and_leaves_a_tombstone(qtbot, vault, people, school,
                                                                 clock, boxes):
    director = people["dir"]
    pupil_id = school["ids"]["Zoë"]
    request_id = new_request(vault, director, clock, pupil_id, kind=RequestKind.ERASURE)
    view = make_view(qtbot, vault, director, clock)
    view.select_request(request_id)
    assert view.erase_button.isVisible() and view.erase_button.isEnabled()
    backups = len(vault.list_backups())

    boxes.answer = False
    assert not view.erase_selected(category="all")
    assert len(vault.list_backups()) == backups

    boxes.answer = True
    assert view.erase_selected(category="all")
    assert "Zoë van den Berg" in boxes.asked[-1] and "reservekopie" in boxes.asked[-1]
    assert len(vault.list_backups()) == backups + 1
    with vault.session() as session:
        assert session.get(Pupil, pupil_id) is None
        tomb = session.scalar(select(Erasure))
        assert (tomb.pupil_ref, tomb.category, tomb.request_id) == (pupil_id, "all", request_id)
    assert view.current_line().pupil == "(leerling verwijderd)"


def test_office_may_not_erase_and_a_teacher_sees_no_requests(qtbot, vault, people, school,
                                                             clock):
    office_view = make_view(qtbot, vault, people["office"], clock)
    assert office_view.register_button.isVisible() and not office_view.erase_button.isVisible()
    teacher_view = make_view(qtbot, vault, people["juf"], clock)
    assert not teacher_view.table.isVisible()
    assert "niet inzien" in teacher_view.empty_label.text()
    fg_view = make_view(qtbot, vault, people["fg"], clock)
    assert fg_view.table.isVisibleTo(fg_view) or fg_view.empty_label.isVisible()
    assert not fg_view.register_button.isVisible()
    assert TODAY == date(2026, 11, 24)


def test_attention_lines_for_the_overview(vault, people, school, clock):
    from types import SimpleNamespace

    from desktop.requests import requests_attention
    from desktop.retention import retention_attention
    from desktop.suppliers.page import SuppliersPage

    office = people["office"]
    new_request(vault, office, clock, school["ids"]["Daan"], received=date(2026, 10, 1))
    new_request(vault, office, clock, school["ids"]["Zoë"], received=date(2026, 11, 20))
    director = SimpleNamespace(user=people["dir"], clock=clock)
    with vault.session() as session:
        lines = [a.text for a in requests_attention(director, session)]
        assert lines == ["1 verzoek van een ouder is niet binnen de termijn beantwoord.",
                         "Er staat 1 verzoek open; beantwoord het eerste uiterlijk op "
                         "20-12-2026."]
        assert [a.text for a in retention_attention(director, session)] == [
            "Van 2 vertrokken leerlingen is de bewaartermijn verstreken."]
        assert retention_attention(SimpleNamespace(user=office, clock=clock), session) == []
        assert SuppliersPage.attention(director, session) == []
        teacher = SimpleNamespace(user=people["juf"], clock=clock)
        assert requests_attention(teacher, session) == []
