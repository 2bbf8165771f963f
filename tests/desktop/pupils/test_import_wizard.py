"""Leerlingen importeren: file → columns → preview → one transaction, cancellable."""

import threading
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton
from sqlalchemy import select

from db.imports.preview import load_mapping
from db.imports.tabular import mapping_key
from db.permissions import SYSTEM
from db.schema import Pupil
from desktop.pupils import import_wizard as wizard_module
from desktop.pupils.import_wizard import ImportWizard, Page
from tests.desktop.pupils.helpers import audit_count, pupil_count

FIXTURES = Path(__file__).parents[2] / "db" / "imports" / "fixtures"
HEADER = "Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;Geboortedatum;Groep;E-mail ouder 1"
FIRST = [
    "101;Sem;van den;Berg;03-05-2017;4A;karin@example.nl",
    "102;Lotte;;Bergen;12-09-2017;4A;",
    "103;Fleur;;Jansen;20-01-2018;3B;",
    "104;Daan;;Visser;31-02-2015;6A;",  # no such date: a problem, not imported
]


def write_csv(tmp_path, lines, name="leerlingen.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def make_wizard(qtbot, vault, user, clock, **kwargs) -> ImportWizard:
    wizard = ImportWizard(None, vault, user, clock=clock, blocking=True, **kwargs)
    qtbot.addWidget(wizard)
    return wizard


def stored(vault):
    with vault.session() as session:
        return {row.source_key: row for row in session.execute(
            select(Pupil.source_key, Pupil.first_name, Pupil.group_name, Pupil.left_on))}


def import_first(qtbot, vault, user, clock, tmp_path) -> ImportWizard:
    wizard = make_wizard(qtbot, vault, user, clock)
    wizard.load_file(write_csv(tmp_path, [HEADER, *FIRST]))
    wizard.next_page()
    wizard.commit()
    assert wizard.current_page() == Page.RESULT
    return wizard


def test_a_csv_is_previewed_and_only_written_on_importeren(qtbot, vault, people, clock,
                                                           tmp_path):
    wizard = make_wizard(qtbot, vault, people["office"], clock)
    wizard.load_file(write_csv(tmp_path, [HEADER, *FIRST]))
    assert wizard.current_page() == Page.MAPPING
    assert wizard.current_mapping() == {
        "source_key": "Leerlingnummer", "first_name": "Roepnaam", "prefix": "Tussenvoegsel",
        "last_name": "Achternaam", "date_of_birth": "Geboortedatum", "group_name": "Groep",
        "guardian1_email": "E-mail ouder 1"}
    assert wizard.mapping_samples["last_name"].text() == "bijv. Berg, Bergen"
    wizard.next_page()
    assert wizard.current_page() == Page.PREVIEW
    preview = wizard.preview
    assert [p.first_name for p in preview.new] == ["Sem", "Lotte", "Fleur"]
    assert [(p.where, p.message) for p in preview.problems] == [
        ("regel 5", "geboortedatum '31-02-2015' bestaat niet")]
    tabs = [wizard.preview_tabs.tabText(i) for i in range(wizard.preview_tabs.count())]
    assert tabs == ["Nieuw (3)", "Gewijzigd (0)", "Ongewijzigd (0)",
                    "Niet meer in het bestand (0)", "Problemen (1)"]
    assert "3 nieuw" in wizard.summary.text() and "Er is nog niets opgeslagen" in \
        wizard.summary.text()
    assert pupil_count(vault) == 0  # nothing written before the user confirms
    wizard.commit()
    assert wizard.current_page() == Page.RESULT
    assert (wizard.result.added, wizard.result.guardians_added) == (3, 1)
    assert wizard.summary_text() == ("3 leerlingen toegevoegd, 0 leerlingen bijgewerkt, "
                                     "0 leerlingen als vertrokken gemarkeerd, "
                                     "1 ouder/verzorger toegevoegd.")
    assert "1 regel met een probleem is overgeslagen" in wizard.result_text.text()
    assert set(stored(vault)) == {"101", "102", "103"}
    assert audit_count(vault, "pupil.import") == 3


def test_a_reimport_shows_changes_and_marks_only_checked_pupils_as_left(qtbot, vault, people,
                                                                         clock, tmp_path):
    import_first(qtbot, vault, people["office"], clock, tmp_path)
    second = [HEADER,
              "101;Sem;van den;Berg;03-05-2017;5A;karin@example.nl",   # groep changed
              "102;Lotte;;Bergen;12-09-2017;4A;",                      # unchanged
              "105;Noor;;Bakker;01-02-2019;2B;"]                       # new; 103 is missing
    wizard = make_wizard(qtbot, vault, people["office"], clock)
    wizard.load_file(write_csv(tmp_path, second, "tweede.csv"))
    wizard.next_page()
    preview = wizard.preview
    assert [c.changes[0].describe() for c in preview.changed] == ["groep: 4A → 5A"]
    assert wizard.changed_tree.topLevelItem(0).child(0).text(0) == "groep: 4A → 5A"
    assert [m.name for m in preview.missing] == ["Fleur Jansen"]
    assert wizard.unchanged_model.data(wizard.unchanged_model.index(0, 0)) == "Lotte Bergen"
    assert wizard.marked_left() == set()  # default: nobody marked
    wizard.set_missing_checked(preview.missing[0].pupil_id, True)
    wizard.left_on.setText("not a date")
    wizard.commit()
    assert wizard.current_page() == Page.PREVIEW  # the date is refused at its field
    assert "geen datum" in wizard.left_on_field.error.text()
    wizard.left_on.setText("18-12-2026")
    wizard.commit()
    assert (wizard.result.added, wizard.result.updated, wizard.result.marked_left) == (1, 1, 1)
    rows = stored(vault)
    assert rows["101"].group_name == "5A" and rows["103"].left_on == date(2026, 12, 18)
    assert rows["102"].left_on is None and "105" in rows


def test_a_missing_required_column_is_named_and_nothing_is_read(qtbot, vault, people, clock,
                                                                 tmp_path):
    wizard = make_wizard(qtbot, vault, people["office"], clock)
    wizard.load_file(write_csv(tmp_path, [HEADER, *FIRST]))
    wizard.set_mapping({"group_name": None})
    wizard.next_page()
    assert wizard.current_page() == Page.MAPPING
    assert wizard.mapping_error.text() == "Kies een kolom voor: Groep."


def test_a_corrected_mapping_is_remembered_for_the_next_file_of_that_shape(qtbot, vault,
                                                                           people, clock,
                                                                           tmp_path):
    header = "Nr;Kind;Familie;Geb;Lokaal"
    path = write_csv(tmp_path, [header, "7;Sem;Berg;03-05-2017;4A"])
    wizard = make_wizard(qtbot, vault, people["office"], clock)
    wizard.load_file(path)
    assert "geraden" in wizard.mapping_intro.text()
    chosen = {"source_key": "Nr", "first_name": "Kind", "last_name": "Familie",
              "date_of_birth": "Geb", "group_name": "Lokaal"}
    wizard.set_mapping(chosen)
    wizard.next_page()
    wizard.commit()
    with vault.session() as session:
        assert load_mapping(session, SYSTEM, mapping_key(header.split(";"))) == chosen
    again = make_wizard(qtbot, vault, people["office"], clock)
    again.load_file(write_csv(tmp_path, [header, "8;Noor;Bakker;01-02-2019;2B"], "ander.csv"))
    assert again.current_mapping() == chosen
    assert "vorige keer" in again.mapping_intro.text()


def test_an_edexml_export_goes_straight_to_the_preview(qtbot, vault, people, clock):
    wizard = make_wizard(qtbot, vault, people["office"], clock)
    wizard.load_file(FIXTURES / "edexml_export.xml")
    assert wizard.current_page() == Page.PREVIEW and wizard.table is None
    assert wizard.preview.new and wizard.preview.problems
    wizard.previous_page()
    assert wizard.current_page() == Page.FILE


@pytest.mark.parametrize(("name", "message"), [
    ("edexml_kapot.xml", "geen geldige EDEXML-export"),
    ("bestaat-niet.csv", "kan niet worden geopend"),
])
def test_an_unreadable_file_is_explained_on_the_first_page(qtbot, vault, people, clock, name,
                                                           message):
    wizard = make_wizard(qtbot, vault, people["office"], clock)
    wizard.load_file(FIXTURES / name)
    assert wizard.current_page() == Page.FILE
    assert message in wizard.file_field.error.text()


def test_next_without_a_file_asks_for_one(qtbot, vault, people, clock):
    wizard = make_wizard(qtbot, vault, people["office"], clock)
    wizard.next_page()
    assert wizard.file_field.error.text() == "Kies eerst een bestand."


def test_the_import_runs_on_a_worker_thread_with_progress(qtbot, vault, people, clock,
                                                          tmp_path):
    wizard = make_wizard(qtbot, vault, people["office"], clock)
    wizard.load_file(write_csv(tmp_path, [HEADER, *FIRST]))
    wizard.next_page()
    wizard.commit(blocking=False)
    assert wizard.task is not None and wizard.task.dialog is not None
    assert not wizard.import_button.isEnabled()  # no second import while one runs
    qtbot.waitUntil(lambda: wizard.current_page() == Page.RESULT, timeout=20_000)
    assert wizard.task is None and pupil_count(vault) == 3


def test_cancel_during_the_import_leaves_the_database_unchanged(qtbot, vault, people, clock,
                                                                tmp_path, monkeypatch):
    gate = threading.Event()
    real = wizard_module.commit_import

    def gated(*args, **kwargs):
        gate.wait(10)  # hold the worker until the user has pressed Annuleren
        return real(*args, **kwargs)

    monkeypatch.setattr(wizard_module, "commit_import", gated)
    wizard = make_wizard(qtbot, vault, people["office"], clock)
    wizard.load_file(write_csv(tmp_path, [HEADER, *FIRST]))
    wizard.next_page()
    audit_before = audit_count(vault, "pupil.import")
    wizard.commit(blocking=False)
    cancel = wizard.task.dialog.findChild(QPushButton)
    assert cancel.text() == "Annuleren"
    cancel.click()  # the progress dialog's Annuleren
    gate.set()
    qtbot.waitUntil(lambda: wizard.task is None, timeout=20_000)
    assert wizard.current_page() == Page.PREVIEW and wizard.result is None
    assert wizard.commit_message.text() == "Het importeren is afgebroken. Er is niets opgeslagen."
    assert pupil_count(vault) == 0 and audit_count(vault, "pupil.import") == audit_before
    with vault.session() as session:
        assert load_mapping(session, SYSTEM, mapping_key(HEADER.split(";"))) is None
    wizard.commit()  # and a second try after the cancel works
    assert wizard.current_page() == Page.RESULT and pupil_count(vault) == 3


def test_the_wizard_cannot_be_closed_while_the_import_runs(qtbot, vault, people, clock,
                                                           tmp_path, monkeypatch):
    gate = threading.Event()
    real = wizard_module.commit_import
    monkeypatch.setattr(wizard_module, "commit_import",
                        lambda *a, **k: gate.wait(10) and real(*a, **k))
    wizard = make_wizard(qtbot, vault, people["office"], clock)
    wizard.show()
    wizard.load_file(write_csv(tmp_path, [HEADER, *FIRST]))
    wizard.next_page()
    wizard.commit(blocking=False)
    wizard.reject()
    assert wizard.isVisible()
    gate.set()
    qtbot.waitUntil(lambda: wizard.task is None, timeout=20_000)
    wizard.reject()
    assert not wizard.isVisible()
