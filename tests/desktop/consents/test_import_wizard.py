"""Voorkeuren uit de ouderapp importeren: file, app and date → columns and values → preview →
one transaction, cancellable → result. Driven with qtbot, never exec()."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.consents import history
from db.imports.consents import Answer, Source, load_consent_mapping, read_preferences
from db.schema import AuditEntry, Channel, ConsentEvent
from desktop.consents.import_wizard import ConsentImportWizard, Page
from tests.db.imports.consent_files import CLOSING, make_school, parro_csv, social_schools_xlsx

SCREENSHOTS = Path(__file__).parents[3] / "docs" / "screenshots"


@pytest.fixture
def pupils(vault, people, clock) -> dict[str, int]:
    with vault.session() as session:
        return make_school(session, people["office"], clock)


def make_wizard(qtbot, vault, user, clock) -> ConsentImportWizard:
    wizard = ConsentImportWizard(None, vault, user, clock=clock, blocking=True)
    qtbot.addWidget(wizard)
    return wizard


def event_count(vault) -> int:
    with vault.session() as session:
        return session.scalar(select(func.count()).select_from(ConsentEvent))


def to_preview(qtbot, wizard, path: Path, source=Source.PARRO, closing=CLOSING) -> None:
    wizard.set_source(source)
    wizard.date_edit.set_date(closing)
    wizard.file_edit.setText(str(path))
    qtbot.mouseClick(wizard.next_button, _left())
    assert wizard.current_page() == Page.MAPPING, wizard.file_field.error.text()


def _left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_the_whole_path_of_a_parro_export(qtbot, vault, people, pupils, clock, tmp_path):
    office = people["office"]
    wizard = make_wizard(qtbot, vault, office, clock)
    path = parro_csv(tmp_path)
    to_preview(qtbot, wizard, path)
    mapping = wizard.current_mapping()
    assert mapping.fields["source_key"] == "Leerlingnummer"
    assert mapping.purposes["Foto's op social media"] == "foto_sociale_media"
    assert set(wizard.value_combos) == {"", "ja", "nee", "misschien"}
    assert wizard.value_combos["misschien"].currentData() == ""  # unknown: never a guess
    qtbot.mouseClick(wizard.next_button, _left())
    assert wizard.current_page() == Page.PREVIEW
    tabs = [wizard.preview_tabs.tabText(i) for i in range(wizard.preview_tabs.count())]
    assert tabs == ["Per doel (8)", "Niet gevonden (1)", "Nieuwer in het register (1)",
                    "Problemen (1)"]
    website = wizard.counts_model.row_at(0)
    assert (website.title, website.given, website.to_record, website.newer) == (
        "Foto's en video's op de schoolwebsite", 3, 2, 1)
    assert "19 keuzes worden vastgelegd" in wizard.summary.text()
    assert event_count(vault) == 1  # nothing written before Importeren
    qtbot.mouseClick(wizard.import_button, _left())
    assert wizard.current_page() == Page.RESULT
    assert (wizard.result.recorded, wizard.result.pupils) == (19, 3)
    assert "19 keuzes vastgelegd van 3 leerlingen" in wizard.result_text.text()
    with vault.session() as session:
        sem = history(session, office, pupils["sem"])
        assert {(e.channel, e.decided_on, e.recorded_by) for e in sem} == {
            (Channel.PARRO, CLOSING, office.id)}
        table = read_preferences(path.read_bytes(), path.name)
        remembered = load_consent_mapping(session, office, Source.PARRO, table.headers)
        assert remembered.purposes == mapping.purposes
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "consent.import")) == 19


def test_an_unknown_value_the_office_explains_is_imported(qtbot, vault, people, pupils, clock,
                                                          tmp_path):
    wizard = make_wizard(qtbot, vault, people["office"], clock)
    to_preview(qtbot, wizard, parro_csv(tmp_path))
    wizard.set_value("misschien", Answer.NONE)
    wizard.next_page()
    assert wizard.preview.problems == []
    wizard.commit()
    with vault.session() as session:
        assert len(history(session, people["office"], pupils["noor"])) == 7


def test_a_workbook_with_names_and_its_own_dates(qtbot, vault, people, pupils, clock,
                                                 tmp_path):
    wizard = make_wizard(qtbot, vault, people["office"], clock)
    to_preview(qtbot, wizard, social_schools_xlsx(tmp_path), Source.SOCIAL_SCHOOLS)
    assert wizard.current_mapping().fields["full_name"] == "Naam leerling"
    wizard.next_page()
    assert wizard.preview.not_found == [] and wizard.preview.problem_count == 0
    wizard.commit()
    with vault.session() as session:
        daan = history(session, people["office"], pupils["daan"])
    assert {(e.channel, e.decided_on) for e in daan} == {
        (Channel.SOCIAL_SCHOOLS, date(2026, 9, 28))}


def test_missing_columns_and_dates_are_said_on_the_page(qtbot, vault, people, pupils, clock,
                                                        tmp_path):
    wizard = make_wizard(qtbot, vault, people["office"], clock)
    wizard.date_edit.set_date(date(2026, 12, 24))
    wizard.load_file(parro_csv(tmp_path))
    assert "in de toekomst" in wizard.date_field.error.text()
    wizard.date_edit.set_date(None)
    wizard.load_file(parro_csv(tmp_path))
    wizard.set_column("Leerlingnummer", "")
    wizard.next_page()
    assert wizard.current_page() == Page.MAPPING
    assert "leerlingnummer" in wizard.mapping_error.text()
    assert "geef de datum op" in wizard.mapping_error.text()


def test_cancelling_the_import_saves_nothing(qtbot, vault, people, pupils, clock, tmp_path,
                                             monkeypatch):
    wizard = make_wizard(qtbot, vault, people["office"], clock)
    to_preview(qtbot, wizard, parro_csv(tmp_path))
    wizard.next_page()
    from desktop.consents import import_wizard as module

    real = module.commit_consent_import

    def cancelled(*args, progress, **kwargs):
        return real(*args, progress=lambda done, total: False, **kwargs)

    monkeypatch.setattr(module, "commit_consent_import", cancelled)
    wizard.commit()
    assert wizard.current_page() == Page.PREVIEW
    assert "afgebroken" in wizard.commit_message.text()
    assert event_count(vault) == 1


def test_the_import_runs_on_a_worker_thread(qtbot, vault, people, pupils, clock, tmp_path):
    wizard = make_wizard(qtbot, vault, people["office"], clock)
    to_preview(qtbot, wizard, parro_csv(tmp_path))
    wizard.next_page()
    wizard.commit(blocking=False)
    task = wizard.task
    assert task is not None and task.wait()
    qtbot.waitUntil(lambda: wizard.current_page() == Page.RESULT)
    assert wizard.result.recorded == 19


def test_the_wizard_is_deleted_after_it_closes(qtbot, vault, people, monkeypatch, clock):
    from PySide6.QtWidgets import QDialog, QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    monkeypatch.setattr(ConsentImportWizard, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert ConsentImportWizard.run(parent, vault, people["office"], clock=clock) is False
    qtbot.waitUntil(lambda: not parent.findChildren(ConsentImportWizard))


def test_the_consents_page_opens_the_wizard(qtbot, vault, people, pupils, clock, monkeypatch):
    from desktop.consents.page import ConsentsPage
    from desktop.kit.page import AreaContext

    def page_for(user):
        page = ConsentsPage(AreaContext(vault, user, "OBS De Klimop", "12AB", clock=clock))
        qtbot.addWidget(page)
        return page

    view = page_for(people["office"])
    button = view.buttons["app_import"]
    assert button.text() == "Voorkeuren uit ouderapp &importeren…" and button.isEnabled()
    opened = []
    monkeypatch.setattr(ConsentImportWizard, "run",
                        classmethod(lambda cls, *a, **k: opened.append(a) or True))
    with qtbot.waitSignal(view.changed):
        button.click()
    assert opened
    reader = page_for(people["fg"])  # may read, may not record: sees why
    assert not reader.buttons["app_import"].isEnabled()
    assert reader.buttons["app_import"].toolTip().startswith("Alleen ")


@pytest.mark.skipif(not os.environ.get("PRIVACYREGISTER_SCREENSHOTS"),
                    reason="writes docs/screenshots; set PRIVACYREGISTER_SCREENSHOTS=1")
def test_screenshots_of_every_page(qtbot, vault, people, pupils, clock, tmp_path):
    from PySide6.QtWidgets import QApplication

    wizard = make_wizard(qtbot, vault, people["office"], clock)
    wizard.show()
    out = Path(os.environ.get("PRIVACYREGISTER_SCREENSHOT_DIR", tmp_path))
    wizard.set_source(Source.PARRO)
    wizard.date_edit.set_date(CLOSING)
    wizard.file_edit.setText(str(parro_csv(tmp_path)))
    QApplication.processEvents()
    wizard.grab().save(str(out / "consent_import_file.png"))
    wizard.next_page()
    QApplication.processEvents()
    wizard.grab().save(str(out / "consent_import_mapping.png"))
    wizard.next_page()
    QApplication.processEvents()
    wizard.grab().save(str(out / "consent_import_preview.png"))
    for index in range(1, wizard.preview_tabs.count()):
        wizard.preview_tabs.setCurrentIndex(index)
        QApplication.processEvents()
        wizard.grab().save(str(out / f"consent_import_preview_{index}.png"))
    wizard.preview_tabs.setCurrentIndex(0)
    QApplication.processEvents()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    wizard.grab().save(str(SCREENSHOTS / "consent_import_preview.png"))
    wizard.commit()
    QApplication.processEvents()
    wizard.grab().save(str(out / "consent_import_result.png"))
