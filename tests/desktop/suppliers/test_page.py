"""Leveranciers and uitwisselingen: add and edit a supplier, the agreement state in colour, the
list for parents, and an exchange on consent that is refused at the field."""

from datetime import date

from pypdf import PdfReader
from PySide6.QtCore import Qt

from db.pupils import pupil_rows
from db.suppliers import SupplierInput, save_supplier
from desktop.kit.page import AreaContext
from desktop.kit.table import AMBER_BACKGROUND, RED_BACKGROUND
from desktop.suppliers.dialogs import MODEL_AGREEMENT, ExchangeDialog, SupplierDialog
from desktop.suppliers.page import ExchangesPage, SuppliersPage

STATE = 5  # the Status column


def make_view(qtbot, vault, user, clock, page=SuppliersPage):
    view = page(AreaContext(vault, user, "OBS De Klimop", "12AB", clock=clock))
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    return view


def test_add_and_edit_a_supplier(qtbot, vault, people, school, clock, qtmodeltester):
    office = people["office"]
    view = make_view(qtbot, vault, office, clock)
    assert view.buttons["add"].isEnabled() and view.table.count() == 0
    assert view.table.empty_label.isVisible()

    dialog = SupplierDialog(view, vault, office, clock=clock)
    qtbot.addWidget(dialog)
    dialog.accept()
    assert dialog.errors.message("name") == "Vul de naam van de leverancier in."
    qtbot.keyClicks(dialog.name, "Snappet")
    qtbot.keyClicks(dialog.product, "Snappet (adaptief oefenen)")
    qtbot.keyClicks(dialog.data_categories, "naam, groep, resultaten")
    dialog.agreement_model.setEditText(MODEL_AGREEMENT)
    dialog.agreement_version.setText("4.0")
    dialog.signed_on.setText("01-09-2024")
    dialog.ends_on.setText("01-08-2024")
    dialog.accept()
    assert dialog.errors.message("ends_on") == "De overeenkomst eindigt vóór ze is getekend."
    dialog.ends_on.setText("31-12-2026")  # five weeks after 'today': amber
    dialog.accept()
    assert dialog.supplier_id is not None and dialog.result() == dialog.DialogCode.Accepted

    view.refresh()
    qtmodeltester.check(view.table.model)
    model = view.table.model
    assert model.data(model.index(0, STATE)) == "verloopt binnenkort"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.BackgroundRole) == AMBER_BACKGROUND

    view.table.choose(dialog.supplier_id)
    edit = SupplierDialog(view, vault, office, view.current().supplier, clock=clock)
    qtbot.addWidget(edit)
    assert edit.name.text() == "Snappet" and edit.signed_on.text() == "01-09-2024"
    edit.ends_on.setText("31-10-2026")
    edit.accept()
    view.refresh()
    assert model.data(model.index(0, STATE)) == "verlopen"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.BackgroundRole) == RED_BACKGROUND
    assert model.rowCount() == 1
    assert view.details.value("data") == "naam, groep, resultaten"


def test_print_the_supplier_list(qtbot, vault, people, school, clock, boxes, save_as):
    with vault.session() as session:
        save_supplier(session, people["office"], SupplierInput(
            name="Topicus", product="ParnasSys", signed_on=date(2024, 1, 1)), clock=clock)
    view = make_view(qtbot, vault, people["fg"], clock)  # the FG may read and print
    assert not view.buttons["add"].isEnabled()
    assert "Alleen de beheerder, de administratie en de directie mogen leveranciers " \
        "beheren." == view.buttons["add"].toolTip()
    task = view.print_list()
    assert task is not None and task.wait()
    qtbot.waitUntil(lambda: bool(boxes.saved), timeout=20_000)
    text, path = boxes.saved[0]
    assert path.name.startswith("Leveranciers 24-11-2026") and path.suffix == ".pdf"
    assert "Topicus" in PdfReader(path).pages[0].extract_text()


def exchange_dialog(qtbot, vault, user, clock, school) -> ExchangeDialog:
    with vault.session() as session:
        pupils = pupil_rows(session, user)
    dialog = ExchangeDialog(None, vault, user, pupils,
                            [(school["ggd"], "Uitwisseling met de GGD")], clock=clock)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.recipient, "Jeugdgezondheidszorg GGD")
    qtbot.keyClicks(dialog.data_shared, "Observaties taalontwikkeling.")
    return dialog


def test_exchange_on_consent_is_refused_at_the_field_without_consent(qtbot, vault, people,
                                                                     school, clock):
    office = people["office"]
    dialog = exchange_dialog(qtbot, vault, office, clock, school)
    dialog.accept()
    assert dialog.errors.message("legal_basis").startswith("Kies de grondslag")
    dialog.consent.setChecked(True)
    assert dialog.purpose.isEnabled()
    dialog.purpose.setCurrentIndex(dialog.purpose.findData(school["ggd"]))
    dialog.accept()
    assert dialog.errors.message("pupils") == "Kies de leerling(en) om wie het gaat."
    qtbot.keyClicks(dialog.pupils.search, "berg")  # Zoë: never asked
    visible = [dialog.pupils.list.item(i).text() for i in range(dialog.pupils.list.count())
               if not dialog.pupils.list.item(i).isHidden()]
    assert visible == ["Zoë van den Berg (groep 5A)"]
    qtbot.keyClick(dialog.pupils.search, Qt.Key.Key_Down)  # into the list, then Space ticks
    qtbot.keyClick(dialog.pupils.list, Qt.Key.Key_Space)
    assert dialog.pupils.chosen() == (school["ids"]["Zoë"],)
    dialog.pupils.set_chosen({school["ids"]["Zoë"], school["ids"]["Daan"]})
    assert dialog.pupils.count.text() == "2 leerlingen gekozen"
    dialog.accept()
    message = dialog.errors.message("purpose")
    assert message.startswith("Voor Zoë van den Berg was op 24-11-2026 geen toestemming gegeven")
    assert "Daan" not in message
    assert dialog.exchange_id is None and dialog.result() != dialog.DialogCode.Accepted

    dialog.pupils.set_chosen({school["ids"]["Daan"]})  # Daan's parents consented
    dialog.accept()
    assert dialog.exchange_id is not None


def test_exchange_on_law_is_recorded_and_listed(qtbot, vault, people, school, clock,
                                                qtmodeltester):
    office = people["office"]
    dialog = exchange_dialog(qtbot, vault, office, clock, school)
    dialog.law.setChecked(True)
    assert not dialog.purpose.isEnabled()
    dialog.pupils.set_chosen({school["ids"]["Zoë"]})
    dialog.accept()
    assert dialog.exchange_id is not None
    view = make_view(qtbot, vault, office, clock, ExchangesPage)
    assert view.table.count() == 1
    qtmodeltester.check(view.table.model)
    view.table.choose(dialog.exchange_id)
    assert view.details.value("pupils") == "Zoë van den Berg"
    assert view.details.value("basis") == "wettelijke plicht"


def test_supplier_and_exchange_dialogs_are_freed_after_closing(qtbot, vault, people, school,
                                                               clock, windows):
    view = make_view(qtbot, vault, people["office"], clock)
    exchanges = make_view(qtbot, vault, people["office"], clock, ExchangesPage)
    windows.watch(SupplierDialog)
    windows.start()
    view.add_supplier()
    windows.assert_freed("SupplierDialog")
    windows.watch(ExchangeDialog)
    exchanges.record_exchange()
    windows.assert_freed("ExchangeDialog")
