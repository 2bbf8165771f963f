"""Verzoeken: registering through the dialog, the term in red, extending, answering, the access
export and erasure on request."""

from datetime import UTC, date, datetime

from pypdf import PdfReader
from sqlalchemy import select

from db.clock import fixed_clock
from db.pupils import pupil_rows
from db.requests import RequestInput, register_request
from db.schema import Erasure, Pupil, RequestKind
from desktop.kit.page import AreaContext
from desktop.kit.table import AMBER_BACKGROUND, GREY_TEXT, RED_BACKGROUND
from desktop.requests.dialogs import (
    NOT_IN_LIST,
    AccessExportDialog,
    AnswerDialog,
    ExtendDialog,
    RegisterRequestDialog,
)
from desktop.requests.page import RequestsPage, pupil_name, status_text
from tests.desktop.conftest import TODAY

LATER = fixed_clock(datetime(2027, 1, 5, 9, 0, tzinfo=UTC))


def make_view(qtbot, vault, user, clock) -> RequestsPage:
    view = RequestsPage(AreaContext(vault, user, "OBS De Klimop", "12AB", clock=clock))
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
    assert (line.pupil, status_text(line)) == ("Zoë van den Berg", "open — nog 9 dagen")
    assert view.model.data(view.model.index(0, RequestsPage.DEADLINE)) == "03-12-2026"
    assert view.model.data(view.model.index(0, 0), 8) is None  # 9 days left: no colour yet
    assert line.urgency is None and view.count_label.text() == "1 verzoek"

    late = make_view(qtbot, vault, office, LATER)
    line = late.lines()[0]
    assert line.overdue and status_text(line) == "open — termijn verstreken"
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
    assert status_text(line).startswith("verlengd")
    assert "Overleg met de leverancier" in view.details.value("extension")


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
    assert status_text(line) == "beantwoord" and line.urgency == "done"
    assert view.model.data(view.model.index(0, 0), 9) == GREY_TEXT  # ForegroundRole
    assert not view.buttons["answer"].isEnabled() and not view.buttons["extend"].isEnabled()


def test_access_export_with_password_writes_a_protected_pdf(qtbot, vault, people, school, clock,
                                                           boxes, save_as, tmp_path):
    office = people["office"]
    request_id = new_request(vault, office, clock, school["ids"]["Daan"])
    view = make_view(qtbot, vault, office, clock)
    view.select_request(request_id)
    assert view.buttons["export"].isEnabled() and not view.buttons["erase"].isEnabled()
    assert view.buttons["erase"].toolTip() == "Alleen de beheerder en de directie mogen " \
        "gegevens verwijderen."

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
    assert task is not None and task.wait()
    qtbot.waitUntil(lambda: bool(boxes.saved or boxes.warnings), timeout=20_000)
    assert boxes.saved and not boxes.warnings
    assert "beveiligd met het gekozen wachtwoord" in boxes.saved[0][0]
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
    assert view.buttons["erase"].isVisible() and view.buttons["erase"].isEnabled()
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
    assert pupil_name(view.current_line()) == "(leerling verwijderd)"
    assert view.model.data(view.model.index(0, RequestsPage.PUPIL)) == "(leerling verwijderd)"


def test_office_may_not_erase_and_a_teacher_sees_no_requests(qtbot, vault, people, school,
                                                             clock):
    office_view = make_view(qtbot, vault, people["office"], clock)
    assert office_view.buttons["register"].isEnabled()
    assert not office_view.buttons["erase"].isEnabled()
    teacher_view = make_view(qtbot, vault, people["juf"], clock)
    assert not hasattr(teacher_view, "table") and teacher_view.locked_label.isVisible()
    assert "niet inzien" in teacher_view.locked_label.text()
    fg_view = make_view(qtbot, vault, people["fg"], clock)
    assert fg_view.table.isVisibleTo(fg_view) and fg_view.table.empty_label.isVisibleTo(fg_view)
    assert not fg_view.buttons["register"].isEnabled()
    assert fg_view.buttons["register"].toolTip().endswith("mogen verzoeken afhandelen.")
    assert TODAY == date(2026, 11, 24)


def test_attention_lines_for_the_overview(vault, people, school, clock):
    from types import SimpleNamespace

    from desktop.retention import retention_attention
    from desktop.suppliers.page import SuppliersPage

    office = people["office"]
    new_request(vault, office, clock, school["ids"]["Daan"], received=date(2026, 10, 1))
    new_request(vault, office, clock, school["ids"]["Zoë"], received=date(2026, 11, 20))
    director = SimpleNamespace(user=people["dir"], clock=clock)
    with vault.session() as session:
        items = RequestsPage.attention(director, session)
        assert [a.level for a in items] == ["late", "todo"]
        lines = [a.text for a in items]
        assert lines == ["1 verzoek van een ouder is niet binnen de termijn beantwoord.",
                         "Er staat 1 verzoek open; beantwoord het eerste uiterlijk op "
                         "20-12-2026."]
        assert [a.text for a in retention_attention(director, session)] == [
            "Van 2 vertrokken leerlingen is de bewaartermijn verstreken."]
        assert retention_attention(SimpleNamespace(user=office, clock=clock), session) == []
        assert SuppliersPage.attention(director, session) == []
        teacher = SimpleNamespace(user=people["juf"], clock=clock)
        assert RequestsPage.attention(teacher, session) == []


def test_a_request_with_a_week_or_less_left_is_almost_due(qtbot, vault, people, school, clock):
    from db.requests import SOON_DAYS

    office = people["office"]
    new_request(vault, office, clock, school["ids"]["Daan"], received=date(2026, 11, 1))
    view = make_view(qtbot, vault, office, clock)
    line = view.lines()[0]
    assert line.days_left == SOON_DAYS == 7 and line.urgency == "soon"
    assert status_text(line) == "open — nog 7 dagen"
    assert view.model.data(view.model.index(0, 0), 8) == AMBER_BACKGROUND
    view.show_filter.setCurrentIndex(1)  # only the open ones: still there
    assert view.table.count() == 1


def test_an_answer_over_someone_elses_answer_is_refused_and_the_text_stays(
        qtbot, vault, people, school, clock):
    """Two workstations answer the same request (issue 15, point 5)."""
    office, director = people["office"], people["dir"]
    request_id = new_request(vault, office, clock, school["ids"]["Daan"])
    view = make_view(qtbot, vault, office, clock)
    view.select_request(request_id)
    first = AnswerDialog(view, vault, office, view.current_line().request, clock=clock)
    second = AnswerDialog(view, vault, director, view.current_line().request, clock=clock)
    for dialog in (first, second):
        qtbot.addWidget(dialog)
    qtbot.keyClicks(first.text, "Overzicht per e-mail verstuurd.")
    first.accept()
    assert first.result() == first.DialogCode.Accepted
    qtbot.keyClicks(second.text, "Telefonisch toegelicht.")
    second.accept()
    assert second.result() != second.DialogCode.Accepted  # stays open
    assert second.errors.message("").startswith(
        "Iemand anders heeft dit verzoek intussen gewijzigd. Uw wijzigingen zijn niet "
        "opgeslagen;")
    assert second.text.toPlainText() == "Telefonisch toegelicht."
    view.refresh()
    assert "Overzicht per e-mail" in view.details.value("answer")
