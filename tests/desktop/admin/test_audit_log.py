"""Auditlog: only for directie, beheerder and FG; actions in words and records by name,
filters by period, person and action; an export of the selection (PDF, CSV) that is itself
audited; the chain check (on a worker) and tampering; nothing it opens lingers."""

import csv
import weakref

from pypdf import PdfReader
from PySide6.QtWidgets import QMessageBox, QProgressDialog
from sqlalchemy import select

from db.audit import chain_head
from db.schema import AuditEntry
from desktop.admin.audit_log import AuditLogPage
from desktop.kit.page import AreaContext
from tests.desktop.conftest import process_deletes


def make_view(qtbot, vault, user, clock) -> AuditLogPage:
    view = AuditLogPage(AreaContext(vault, user, "OBS De Klimop", "12AB", clock=clock))
    qtbot.addWidget(view)
    view.resize(1150, 690)
    view.show()
    return view


def test_a_teacher_gets_no_audit_log_from_the_register(qtbot, vault, people, clock):
    view = make_view(qtbot, vault, people["juf"], clock)
    assert not view.allowed and not hasattr(view, "table")
    assert view.pages.currentWidget() is view.locked_label
    assert view.locked_label.text().startswith("U mag het auditlog niet inzien met uw rol")
    assert not view.check_chain()
    assert not view.load_rows()


def test_audit_log_filters_and_the_chain_check(qtbot, vault, people, school, clock,
                                               qtmodeltester):
    view = make_view(qtbot, vault, people["fg"], clock)
    qtmodeltester.check(view.model)
    rows = view.rows()
    assert view.allowed and rows and rows[0].seq > rows[-1].seq  # newest first
    first = view.model
    assert first.data(first.index(0, 1)) == "24-11-2026 10:30"  # 09:30 UTC, Amsterdam time
    assert (view.start.text(), view.end.text()) == ("25-10-2026", "24-11-2026")

    view.action_filter.setCurrentIndex(view.action_filter.findData("special."))
    assert view.action_filter.currentText() == "Bijzondere persoonsgegevens"
    assert view.load_rows()
    assert {r.action for r in view.rows()} == {"special.add"}
    assert view.model.data(view.model.index(0, 3)) == "Bijzonder gegeven vastgelegd"

    view.action_filter.setEditText("pupil.en")  # a typed prefix
    view.user_filter.setCurrentIndex(view.user_filter.findData(people["office"].id))
    assert view.load_rows()
    assert {(r.action, r.user) for r in view.rows()} == {("pupil.enrol", "Petra de Wit")}
    names = {view.model.data(view.model.index(i, 5)) for i in range(view.model.rowCount())}
    assert names == {"Daan de Vries", "Zoë van den Berg", "Bram Kok", "Sanne Mulder"}
    assert view.model.data(view.model.index(0, 3)) == "Leerling ingeschreven"

    view.start.setText("25-11-2026")
    assert not view.load_rows()
    assert view.period_error.text() == "De periode eindigt vóór ze begint."

    assert view.check_chain(blocking=True)
    with vault.session() as session:
        head = chain_head(session)
        reads = session.scalars(select(AuditEntry.action).where(
            AuditEntry.user_id == people["fg"].id)).all()
    assert view.chain_label.text().startswith("Auditketen in orde")
    assert view.head_label.text() == f"Ketenkop nu: {head}"
    assert reads.count("audit.read") == 3  # opening and two 'Tonen'


def test_the_chain_check_reports_tampering(qtbot, vault, people, clock):
    view = make_view(qtbot, vault, people["dir"], clock)
    with vault.session() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.seq == 2))  # (school, seq)
        entry.action = "user.update"
    assert not view.check_chain(blocking=True)
    assert view.chain_label.text() == ("Auditregel 2 is achteraf gewijzigd: de inhoud past niet "
                                       "bij de opgeslagen hash.")


def test_the_chain_check_runs_on_a_worker_and_leaves_nothing_behind(qtbot, vault, people,
                                                                    clock):
    view = make_view(qtbot, vault, people["dir"], clock)
    assert view.check_chain()
    kept = weakref.ref(view.chain_task)
    qtbot.waitUntil(lambda: view.chain_ok, timeout=20_000)
    process_deletes()
    assert kept() is None
    assert view.findChildren(QProgressDialog) == []
    assert view.buttons["check"].isEnabled()


def test_the_selection_is_exported_as_pdf_and_csv_and_that_is_audited(
        qtbot, vault, people, school, clock, boxes, save_as):
    view = make_view(qtbot, vault, people["fg"], clock)
    view.action_filter.setCurrentIndex(view.action_filter.findData("pupil."))
    assert view.load_rows()
    shown = len(view.rows())
    view.export_pdf(blocking=True)
    view.export_csv(blocking=True)
    assert boxes.warnings == []
    (_pdf_text, pdf), (_csv_text, csv_path) = boxes.saved
    assert pdf.name == "Auditlog 24-11-2026.pdf" and csv_path.suffix == ".csv"
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Leerling ingeschreven" in text and "Daan de Vries" in text
    assert "pupil.enrol" not in text
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle, delimiter=";"))
    assert table[0] == ["Volgnummer", "Tijd", "Persoon", "Actie", "Soort gegeven", "Gegeven"]
    assert len(table) == shown + 1
    assert ["Petra de Wit", "Leerling ingeschreven", "leerling", "Zoë van den Berg"] in [
        row[2:] for row in table]
    with vault.session() as session:
        exports = session.scalars(select(AuditEntry.action).where(
            AuditEntry.user_id == people["fg"].id, AuditEntry.action == "audit.export")).all()
    assert len(exports) == 2


def test_the_beheerder_may_export_the_audit_log(qtbot, vault, people, clock):
    view = make_view(qtbot, vault, people["beheer"], clock)  # READ_AUDIT and EXPORT
    assert view.buttons["pdf"].isEnabled() and view.buttons["csv"].isEnabled()


def test_the_saved_message_of_an_export_is_freed(qtbot, vault, people, school, clock,
                                                 save_as, windows):
    view = make_view(qtbot, vault, people["dir"], clock)
    windows.answer(QMessageBox, click="Sluiten")
    view.export_csv(blocking=True)
    assert [type(w).__name__ for w in windows.seen] == ["QMessageBox"]
    windows.assert_all_freed()
