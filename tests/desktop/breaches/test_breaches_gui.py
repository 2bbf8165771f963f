"""Registering, assessing and signing off a breach through the dialogs; the register view."""

from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from sqlalchemy import select

from db.breaches import BreachInput, register_breach
from db.clock import fixed_clock
from db.schema import Breach, BreachStatus, Role, User
from db.users import create_user
from desktop.breaches.detail import BreachDetail
from desktop.breaches.dialog import BreachDialog
from desktop.breaches.view import BreachesView
from desktop.kit import widgets


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
    return said


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


def test_register_and_assess_a_breach_through_the_dialogs(qtbot, vault, clock, staff, boxes):
    dialog = BreachDialog(None, vault, staff["office"], clock=clock)
    qtbot.addWidget(dialog)
    fill(qtbot, dialog)
    assert dialog.save()
    (breach,) = stored(vault)
    assert (breach.reference, breach.affected_min, breach.affected_max) == ("DL-2026-001", 25, 30)
    assert breach.special_categories and breach.nature == "lost"

    detail = BreachDetail(None, vault, staff["office"], breach.id, clock=clock)
    qtbot.addWidget(detail)
    assert "nog 46 uur om te melden" in detail.countdown.text()
    assert "26-11-2026 09:00" in detail.countdown.text()
    assert detail.q_special.isChecked() and detail.q_children.isChecked()
    detail.suggest()
    assert detail.risk_buttons["high"].isChecked()
    qtbot.keyClicks(detail.notify_reason, "Hoog risico voor kinderen: melden.")
    assert detail.assess()
    with vault.session() as session:
        saved = session.get(Breach, breach.id)
        assert saved.status == BreachStatus.ASSESSED and saved.risk == "high"
        assert "bijzondere persoonsgegevens" in saved.risk_reasons and saved.notify_ap


@pytest.mark.parametrize(("changes", "field"), [
    ({"started": "23-11-2026 10:00"}, "started_at"),
    ({"discovered": "25-11-2026 10:00"}, "discovered_at"),
    ({"discovered": "31-11-2026"}, "discovered_at"),
])
def test_bad_input_shows_at_the_field_and_saves_nothing(qtbot, vault, clock, staff, boxes,
                                                        changes, field):
    dialog = BreachDialog(None, vault, staff["office"], clock=clock)
    qtbot.addWidget(dialog)
    fill(qtbot, dialog, **changes)
    assert not dialog.save()
    assert dialog.fields[field].error.text()
    assert stored(vault) == []


def test_reversed_range_and_ended_before_started(qtbot, vault, clock, staff, boxes):
    dialog = BreachDialog(None, vault, staff["office"], clock=clock)
    qtbot.addWidget(dialog)
    fill(qtbot, dialog)
    dialog.count_min.setValue(30)
    dialog.count_max.setValue(5)
    assert not dialog.save() and dialog.fields["affected_max"].error.text()
    dialog.count_max.setValue(40)
    qtbot.keyClicks(dialog.ended, "21-11-2026 10:00")
    assert not dialog.save() and "vóór het begin" in dialog.fields["ended_at"].error.text()
    assert stored(vault) == []


def test_closing_with_unsaved_input_asks_first(qtbot, vault, clock, staff, boxes):
    dialog = BreachDialog(None, vault, staff["office"], clock=clock)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.description, "iets")
    boxes["confirm"] = False
    dialog.reject()
    assert dialog.isVisible() and "nog niet zijn opgeslagen" in boxes["asked"][-1]
    boxes["confirm"] = True
    dialog.reject()
    assert not dialog.isVisible()


def test_only_the_director_signs_off_and_then_only_amendments(qtbot, vault, clock, staff,
                                                              boxes):
    with vault.session() as session:
        breach = register_breach(session, staff["office"], BreachInput(
            discovered_at=datetime(2026, 11, 20, 8, 0, tzinfo=UTC), description="Lek",
            data_encrypted=True), clock=clock)
    office = BreachDetail(None, vault, staff["office"], breach.id, clock=clock)
    qtbot.addWidget(office)
    assert not office.sign_button.isEnabled()
    office.q_encrypted.setChecked(True)
    office.suggest()
    qtbot.keyClicks(office.notify_reason, "Versleuteld: geen risico.")
    assert office.assess()
    director = BreachDetail(None, vault, staff["director"], breach.id, clock=clock)
    qtbot.addWidget(director)
    assert director.sign_button.isEnabled()
    assert director.sign()
    assert not director.save_assessment.isEnabled() and not director.edit_button.isEnabled()
    assert "Afgetekend door" in director.sign_state.text()
    qtbot.keyClicks(director.amendment_text, "Laptop teruggevonden.")
    assert director.amend()
    assert director.amendments.rowCount() == 1


def test_register_view_marks_overdue_breaches_and_prints(qtbot, vault, clock, staff, boxes,
                                                         tmp_path, qtmodeltester):
    with vault.session() as session:
        register_breach(session, staff["office"], BreachInput(
            discovered_at=datetime(2026, 11, 20, 8, 0, tzinfo=UTC), description="Oud lek"),
            clock=clock)
        register_breach(session, staff["office"], BreachInput(
            discovered_at=datetime(2026, 11, 24, 8, 0, tzinfo=UTC), description="Nieuw lek"),
            clock=clock)
    view = BreachesView(vault, staff["office"], clock)
    qtbot.addWidget(view)
    qtmodeltester.check(view.model)
    rows = {view.model.row_at(r).description: r for r in range(view.model.rowCount())}
    old = view.model.index(rows["Oud lek"], 6)
    fresh = view.model.index(rows["Nieuw lek"], 6)
    assert old.data().startswith("termijn verstreken")
    assert old.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert fresh.data(Qt.ItemDataRole.BackgroundRole) is None
    assert "1 met verlopen termijn" in view.count.text()
    view.overdue.setChecked(True)
    assert view.model.rowCount() == 1
    later = BreachesView(vault, staff["office"],
                         fixed_clock(clock() + timedelta(hours=50)))
    qtbot.addWidget(later)
    later_rows = {later.model.row_at(r).description: r for r in range(later.model.rowCount())}
    assert later.model.index(later_rows["Nieuw lek"], 6).data(
        Qt.ItemDataRole.BackgroundRole) is not None  # under 24 hours left
    out = view.print_register(str(tmp_path / "register.pdf"),
                              (date(2026, 1, 1), date(2026, 12, 31)))
    text = PdfReader(out).pages[0].extract_text()
    assert "DL-2026-001" in text and "DL-2026-002" in text


def test_vulnerability_reports_register_reply_and_fix(qtbot, vault, clock, staff):
    from db.vulnerabilities import ReportInput
    from desktop.breaches.reports import VulnerabilityReportsView

    view = VulnerabilityReportsView(vault, staff["office"], clock)
    qtbot.addWidget(view)
    assert view.register(ReportInput(received_at=clock() - timedelta(days=4),
                                     description="Open map op de website"))
    index = view.model.index(0, 2)
    assert index.data() == "nog niet beantwoord"
    assert view.model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is not None  # late
    view.table.selectRow(0)
    qtbot.keyClicks(view.assessment, "Terecht; map afgesloten")
    qtbot.keyClicks(view.fix_date, "01-12-2026")
    assert view.save_assessment() and view.acknowledge_now()
    assert view.model.index(0, 2).data() == "in behandeling"
    assert view.model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    view.fix_date.clear()
    qtbot.keyClicks(view.fix_date, "01-01-2020")
    assert not view.save_assessment() and "vóór de melding" in view.error.text()
    assert view.fixed_now() and view.model.index(0, 2).data() == "opgelost"


def test_a_report_that_exposed_data_is_linked_to_its_breach(qtbot, vault, clock, staff):
    from db.schema import VulnerabilityReport
    from db.vulnerabilities import ReportInput
    from desktop.breaches.reports import VulnerabilityReportsView

    with vault.session() as session:
        breach = register_breach(session, staff["office"], BreachInput(
            discovered_at=clock() - timedelta(hours=2), description="Map open"), clock=clock)
    view = VulnerabilityReportsView(vault, staff["office"], clock)
    qtbot.addWidget(view)
    assert view.register(ReportInput(received_at=clock() - timedelta(hours=3),
                                     description="Open map"))
    view.table.selectRow(0)
    view.breach.setCurrentIndex(view.breach.findData(breach.id))
    assert view.link()
    with vault.session() as session:
        assert session.scalar(select(VulnerabilityReport.breach_id)) == breach.id


def test_a_late_notification_asks_for_the_reasons_and_shows_them(qtbot, vault, clock, staff,
                                                                 boxes):
    with vault.session() as session:
        breach = register_breach(session, staff["office"], BreachInput(
            discovered_at=datetime(2026, 11, 19, 8, 0, tzinfo=UTC),
            description="Wachtwoord van de administratie gelekt"), clock=clock)
    detail = BreachDetail(None, vault, staff["office"], breach.id, clock=clock)
    qtbot.addWidget(detail)
    detail.notified_at.set_value(datetime(2026, 11, 23, 8, 0, tzinfo=UTC))  # 96 hours
    qtbot.keyClicks(detail.ap_reference, "AP-77")
    assert not detail.record_notice()
    assert "redenen voor de vertraging" in detail.notify_fields["late_reason"].error.text()
    assert stored(vault)[0].notified_at is None
    qtbot.keyClicks(detail.late_reason, "De directeur was op kamp.")
    assert detail.record_notice()
    again = BreachDetail(None, vault, staff["director"], breach.id, clock=clock)
    qtbot.addWidget(again)
    assert again.late_reason.toPlainText() == "De directeur was op kamp."
