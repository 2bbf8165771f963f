"""Inspectie-export: a PDF and a ZIP beside it through kit.tasks.export, a reversed period
refused before asking for a file, no export for a teacher, and the dialog freed after it
closes."""

import zipfile

from pypdf import PdfReader
from PySide6.QtWidgets import QDialog

from db.schema import Role, User
from desktop.admin import open_inspection_export
from desktop.admin.inspection import InspectionExportDialog
from desktop.kit.page import AreaContext
from tests.conftest import ADMIN_PASSWORD


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
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".pdf", ".zip",
                                                                     ".part")) == [
        pdf.name, zip_path.name]
    assert dialog.digest_label.text() == digest and len(digest) == 64
    assert not dialog.result_frame.isHidden()
    assert dialog.export_button.isEnabled()
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


def test_the_dialog_opened_from_the_menu_is_freed(qtbot, vault, people, school, clock,
                                                  save_as, windows):
    from PySide6.QtWidgets import QWidget

    window = QWidget()  # stands in for the main window, the dialog's parent
    qtbot.addWidget(window)
    context = AreaContext(vault, people["fg"], "OBS De Klimop", "12AB", window=window,
                          clock=clock)

    def export_whole(dialog):
        dialog.export(blocking=True)
        assert dialog.result_files is not None

    windows.answer(InspectionExportDialog, QDialog.DialogCode.Rejected, before=export_whole)
    open_inspection_export(context)
    assert [type(w).__name__ for w in windows.seen] == ["InspectionExportDialog"]
    windows.assert_all_freed()
