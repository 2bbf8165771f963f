"""Verwerkingsregister: the school's activities with fields a–g, an activity added with a linked
supplier and retention term, changed, retired, and the register printed."""

from datetime import date

from pypdf import PdfReader
from PySide6.QtWidgets import QDialog

from db.suppliers import SupplierInput, save_supplier
from desktop.kit.page import AreaContext
from desktop.processing.dialog import ActivityDialog
from desktop.processing.page import ProcessingPage


def make_view(qtbot, vault, user, clock):
    view = ProcessingPage(AreaContext(vault, user, "OBS De Klimop", "12AB", clock=clock))
    qtbot.addWidget(view)
    view.resize(1150, 690)
    view.show()
    return view


def test_the_register_shows_fields_a_to_g_of_the_chosen_activity(qtbot, vault, people, school,
                                                                 clock, qtmodeltester):
    view = make_view(qtbot, vault, people["fg"], clock)  # reads, changes nothing
    assert view.table.count() >= 5
    qtmodeltester.check(view.table.model)
    assert not view.buttons["add"].isEnabled() and not view.buttons["edit"].isEnabled()
    assert view.buttons["print"].isEnabled()
    first = view.current()
    assert first is not None and view.details.title() == first.name
    assert view.details.value("a").startswith(
        "[nog in te vullen: de naam van het bevoegd gezag (de stichting of vereniging)], voor "
        "OBS De Klimop")
    assert view.details.value("f").endswith("nadat de leerling de school heeft verlaten")
    assert view.count_label.text() == f"{view.table.count()} verwerkingen"


def test_add_change_and_retire_an_activity(qtbot, vault, people, school, clock, windows,
                                           boxes):
    with vault.session() as session:
        snappet = save_supplier(session, people["office"], SupplierInput(
            name="Snappet", product="Snappet (adaptief oefenen)", signed_on=date(2024, 1, 1)),
            clock=clock).id
    view = make_view(qtbot, vault, people["dir"], clock)
    before = view.table.count()

    def fill(dialog: ActivityDialog) -> None:
        dialog.accept()
        assert dialog.errors.message("name") == "Geef de verwerking een naam."
        qtbot.keyClicks(dialog.name, "Schoolreis en kamp")
        dialog.purposes.setPlainText("Organiseren van het schoolkamp.")
        dialog.subjects.setPlainText("Leerlingen van groep 8 en hun ouders.")
        dialog.data_categories.setPlainText("Naam, noodnummer, dieetwensen.")
        dialog.transfers.setText("Geen.")
        dialog.suppliers.set_checked(snappet)
        dialog.terms.set_checked(dialog.terms.keys()[0])
        assert dialog.suppliers.chosen() == (snappet,) and len(dialog.terms.chosen()) == 1

    windows.answer(ActivityDialog, QDialog.DialogCode.Accepted, before=fill)
    view.add_activity()
    assert view.table.count() == before + 1
    added = view.current()
    assert added.name == "Schoolreis en kamp"
    assert view.details.value("d") == ("Verwerker: Snappet (adaptief oefenen) — "
                                       "verwerkersovereenkomst, getekend 01-01-2024")
    assert view.details.value("e") == "Geen."
    assert view.details.value("f").endswith("nadat de leerling de school heeft verlaten")

    def change(dialog: ActivityDialog) -> None:
        assert dialog.name.text() == "Schoolreis en kamp"
        assert dialog.suppliers.chosen() == (snappet,)
        dialog.suppliers.set_chosen(())
        dialog.name.setText("Schoolkamp groep 8")

    windows.answer(ActivityDialog, QDialog.DialogCode.Accepted, before=change)
    view.edit_activity()
    assert view.current().name == "Schoolkamp groep 8"
    assert view.details.value("d") == "geen ontvangers buiten de school"

    boxes.answer = True
    view.retire()
    assert boxes.asked[0].startswith("Doet de school ‘Schoolkamp groep 8’ niet meer?")
    assert view.table.count() == before
    assert "Schoolkamp groep 8" not in [a.name for a in view.table.rows()]
    windows.assert_all_freed()


def test_print_the_register(qtbot, vault, people, school, clock, boxes, save_as):
    view = make_view(qtbot, vault, people["fg"], clock)
    task = view.print_register()
    assert task is not None and task.wait()
    qtbot.waitUntil(lambda: bool(boxes.saved), timeout=20_000)
    _text, path = boxes.saved[0]
    assert path.name == "Verwerkingsregister 24-11-2026.pdf"
    first = PdfReader(path).pages[0].extract_text()
    assert "Register van verwerkingsactiviteiten" in first
    assert view.table.rows()[0].name in first
