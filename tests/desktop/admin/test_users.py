"""Beheer: users (add a leerkracht, change, reset a password), the audit log viewer (only for
directie, beheerder and FG; the chain check) and the inspection export."""

import zipfile

from pypdf import PdfReader
from sqlalchemy import select

from db.audit import chain_head
from db.permissions import SYSTEM
from db.schema import AuditEntry, Role, User
from db.users import authenticate
from desktop.admin.audit_log import AuditLogView
from desktop.admin.inspection import InspectionExportDialog
from desktop.admin.users import EditUserDialog, NewUserDialog, PasswordDialog, UsersView
from tests.conftest import ADMIN_PASSWORD


def show(qtbot, widget):
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    return widget


# --- users ----------------------------------------------------------------------------------

def test_add_a_teacher_and_reset_her_password(qtbot, vault, people, clock, boxes,
                                              qtmodeltester):
    admin = people["beheer"]
    view = show(qtbot, UsersView(vault, admin, clock))
    qtmodeltester.check(view.model)
    before = view.model.rowCount()

    dialog = NewUserDialog(view, vault, admin, clock=clock)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.display_name, "Meester Bas")
    qtbot.keyClicks(dialog.username, "bas")
    dialog.roles.role.setCurrentIndex(dialog.roles.role.findData(Role.LEERKRACHT))
    assert dialog.roles.group.isEnabled()
    assert "Niet op de foto" in dialog.roles.explained.text()
    dialog.password.setText("kort")
    dialog.repeat.setText("kort")
    dialog.accept()
    assert dialog.errors.message("group").startswith("Vul de groep van de leerkracht in")
    qtbot.keyClicks(dialog.roles.group, "6B")
    dialog.accept()
    assert dialog.errors.message("password") == "Een wachtwoord heeft minstens 8 tekens."
    dialog.password.setText("school-2026")
    dialog.repeat.setText("school-2027")
    dialog.accept()
    assert dialog.errors.message("repeat").startswith("De twee wachtwoorden zijn niet gelijk")
    dialog.repeat.setText("school-2026")
    dialog.accept()
    assert dialog.user_id is not None

    view.refresh(select_id=dialog.user_id)
    assert view.model.rowCount() == before + 1
    line = view.current_line()
    assert (line.display_name, line.username, line.group_name) == ("Meester Bas", "bas", "6B")
    assert view.model.data(view.model.index(view.model.row_of(line.id), 2)) == "Leerkracht"

    reset = PasswordDialog(view, vault, admin, line, clock=clock)
    qtbot.addWidget(reset)
    reset.password.setText("nieuw-wachtwoord")
    reset.repeat.setText("nieuw-wachtwoord!")
    reset.accept()
    assert reset.errors.message("repeat")
    reset.repeat.setText("nieuw-wachtwoord")
    reset.accept()
    assert reset.result() == reset.DialogCode.Accepted
    with vault.session() as session:
        assert authenticate(session, "bas", "nieuw-wachtwoord", clock=clock).id == line.id


def test_block_a_user_but_not_yourself(qtbot, vault, people, clock):
    admin = people["beheer"]
    view = show(qtbot, UsersView(vault, admin, clock))
    view.select_user(people["office"].id)
    dialog = EditUserDialog(view, vault, admin, view.current_line(), clock=clock)
    qtbot.addWidget(dialog)
    dialog.active.setChecked(False)
    dialog.accept()
    view.refresh()
    blocked = view.current_line()
    assert not blocked.active and view.model.data(
        view.model.index(view.model.row_of(blocked.id), 4)) == "geblokkeerd"

    view.select_user(admin.id)
    own = EditUserDialog(view, vault, admin, view.current_line(), clock=clock)
    qtbot.addWidget(own)
    own.roles.role.setCurrentIndex(own.roles.role.findData(Role.DIRECTIE))
    own.accept()
    assert own.errors.message("role").startswith("U kunt uw eigen rol of toegang niet wijzigen")


def test_only_a_beheerder_manages_users(qtbot, vault, people, clock):
    view = show(qtbot, UsersView(vault, people["dir"], clock))
    assert view.table.isHidden() and view.add_button.isHidden()
    assert "U mag gebruikers niet beheren met de rol Directie" in view.locked_label.text()


# --- audit log ------------------------------------------------------------------------------

def test_a_teacher_gets_no_audit_log_from_the_register(qtbot, vault, people, clock):
    view = show(qtbot, AuditLogView(vault, people["juf"], clock))
    assert not view.allowed and view.model.rowCount() == 0
    assert view.table.isHidden() and view.filters.isHidden()
    assert view.message_label.text().startswith("U mag het auditlog inzien niet met de rol "
                                                "Leerkracht")
    assert not view.check_chain()


def test_audit_log_filters_and_the_chain_check(qtbot, vault, people, school, clock,
                                               qtmodeltester):
    view = show(qtbot, AuditLogView(vault, people["fg"], clock))
    qtmodeltester.check(view.model)
    rows = view.rows()
    assert view.allowed and rows and rows[0].seq > rows[-1].seq  # newest first
    first = view.model
    assert first.data(first.index(0, 1)) == "24-11-2026 10:30"  # 09:30 UTC, Amsterdam time

    view.action_filter.setCurrentIndex(view.action_filter.findData("special."))
    assert view.load()
    assert {r.action for r in view.rows()} == {"special.add"}
    assert view.model.data(view.model.index(0, 3)) == "bijzonder gegeven vastgelegd"

    view.action_filter.setEditText("pupil.en")  # a typed prefix
    view.user_filter.setCurrentIndex(view.user_filter.findData(people["office"].id))
    assert view.load()
    assert {(r.action, r.user) for r in view.rows()} == {("pupil.enrol", "Petra de Wit")}

    view.start.setText("25-11-2026")
    assert not view.load()
    assert view.period_error.text() == "De periode eindigt vóór ze begint."

    assert view.check_chain()
    with vault.session() as session:
        head = chain_head(session)
        reads = session.scalars(select(AuditEntry.action).where(
            AuditEntry.user_id == people["fg"].id)).all()
    assert view.chain_label.text().startswith("Auditketen in orde")
    assert view.head_label.text() == f"Ketenkop nu: {head}"
    assert reads.count("audit.read") == 3  # opening and two 'Tonen'


def test_the_chain_check_reports_tampering(qtbot, vault, people, clock):
    view = show(qtbot, AuditLogView(vault, people["dir"], clock))
    with vault.session() as session:
        entry = session.get(AuditEntry, 2)
        entry.action = "user.update"
    assert not view.check_chain()
    assert view.chain_label.text() == ("Auditregel 2 is achteraf gewijzigd: de inhoud past niet "
                                       "bij de opgeslagen hash.")


# --- inspection export ----------------------------------------------------------------------

def test_inspection_export_writes_pdf_and_zip(qtbot, vault, people, school, clock, save_as,
                                             tmp_path):
    dialog = InspectionExportDialog(None, vault, people["fg"], clock=clock)
    qtbot.addWidget(dialog)
    assert (dialog.start.text(), dialog.end.text()) == ("01-08-2026", "31-07-2027")
    task = dialog.export()
    assert task is not None
    qtbot.waitUntil(lambda: dialog.task is None, timeout=60_000)
    assert dialog.result_files is not None, dialog.errors.general.text()
    pdf, zip_path, digest = dialog.result_files
    assert pdf == tmp_path / "Inspectie-export 01-08-2026 tot en met 31-07-2027.pdf"
    assert zip_path == pdf.with_suffix(".zip") and zip_path.exists()
    assert dialog.digest_label.text() == digest and len(digest) == 64
    assert not dialog.result_frame.isHidden()
    assert digest in "".join(page.extract_text() for page in PdfReader(pdf).pages[:2]) \
        .replace("\n", "")
    with zipfile.ZipFile(zip_path) as archive:
        assert "verzoeken.csv" in archive.namelist()
        assert digest in archive.read("LEESMIJ.txt").decode("utf-8")


def test_inspection_export_refuses_a_reversed_period(qtbot, vault, people, clock, save_as):
    dialog = InspectionExportDialog(None, vault, people["dir"], clock=clock)
    qtbot.addWidget(dialog)
    dialog.start.setText("01-06-2026")
    dialog.end.setText("01-01-2026")
    assert dialog.export() is None
    assert dialog.errors.message("period") == "De periode eindigt vóór ze begint."
    assert save_as == []  # refused before asking for a file
    dialog.end.setText("31-12-2026")
    dialog.start.setText("1-13-2026")
    assert dialog.export() is None
    assert dialog.errors.message("start").startswith("De begindatum klopt niet")


def test_a_teacher_may_not_export(qtbot, vault, people, clock):
    dialog = InspectionExportDialog(None, vault, people["juf"], clock=clock)
    qtbot.addWidget(dialog)
    assert not dialog.export_button.isEnabled()
    with vault.session() as session:
        assert session.get(User, people["juf"].id).role == Role.LEERKRACHT
    assert ADMIN_PASSWORD


def test_the_idle_minutes_are_set_in_the_users_view(qtbot, vault, clock):
    from sqlalchemy import select

    from db.schema import User
    from desktop.admin.users import UsersView
    from desktop.idle_lock import idle_minutes

    with vault.session() as session:
        admin = session.scalar(select(User))
    view = UsersView(vault, admin, clock)
    qtbot.addWidget(view)
    assert view.idle_minutes.value() == idle_minutes(vault, SYSTEM) == 10
    view.idle_minutes.setValue(3)
    view.save_idle_minutes()
    assert idle_minutes(vault, SYSTEM) == 3
