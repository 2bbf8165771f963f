"""Bewaartermijnen: a term of 0 years is refused at the field; the purge asks first, makes a
backup, deletes and leaves tombstones; a failed backup deletes nothing; the windows it opens
are freed."""

from types import SimpleNamespace

from PySide6.QtWidgets import QDialog, QMessageBox
from sqlalchemy import func, select

from db.errors import DiskFullError
from db.schema import Erasure, Pupil
from desktop.kit.page import AreaContext
from desktop.retention.page import RetentionPage, TermDialog


def make_view(qtbot, vault, user, clock) -> RetentionPage:
    view = RetentionPage(AreaContext(vault, user, "OBS De Klimop", "12AB", clock=clock))
    qtbot.addWidget(view)
    view.resize(1150, 690)
    view.show()
    return view


def test_a_term_of_zero_years_is_refused_at_the_field(qtbot, vault, people, school, clock,
                                                      qtmodeltester):
    view = make_view(qtbot, vault, people["beheer"], clock)
    qtmodeltester.check(view.rule_table.model)
    view.tabs.setCurrentIndex(view.TERMS_TAB)
    assert view.count_label.text() == "3 bewaartermijnen"
    view.rule_table.view.selectRow(0)
    assert view.buttons["term"].isEnabled()
    rule = view.rule_table.model.row_at(0)
    assert (rule.category, rule.years) == ("leerlingdossier", 2)
    assert view.rule_details.value("years") == "2 jaar na vertrek"
    dialog = TermDialog(view, vault, people["beheer"], rule, clock=clock)
    qtbot.addWidget(dialog)
    dialog.years.setValue(0)
    dialog.accept()
    assert dialog.errors.message("years") == "Een bewaartermijn is minstens één jaar."
    assert dialog.result() != dialog.DialogCode.Accepted
    dialog.years.setValue(3)
    dialog.source.setPlainText("Besluit bestuur 2026.")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    view.refresh()
    changed = next(r for r in view.rule_table.rows() if r.category == "leerlingdossier")
    assert (changed.years, changed.source) == (3, "Besluit bestuur 2026.")


def test_only_settings_users_change_terms_and_only_erase_users_purge(qtbot, vault, people,
                                                                     school, clock):
    office = make_view(qtbot, vault, people["office"], clock)
    for name in ("term", "purge"):  # shown, disabled, and the reason says who may
        assert not office.buttons[name].isEnabled()
    assert office.buttons["purge"].toolTip().startswith("Alleen ")
    assert office.due_table.count() > 0  # reading is allowed
    assert not office.purge_due()
    director = make_view(qtbot, vault, people["dir"], clock)
    assert director.buttons["purge"].isEnabled() and not director.buttons["term"].isHidden()


def test_purge_after_confirmation_leaves_tombstones_and_made_a_backup(qtbot, vault, people,
                                                                      school, clock, boxes,
                                                                      qtmodeltester):
    view = make_view(qtbot, vault, people["dir"], clock)
    qtmodeltester.check(view.due_table.model)
    due = view.due()
    assert {item.name for item in due} == {"Bram Kok", "Sanne Mulder"}
    assert view.tabs.tabText(view.DUE_TAB) == f"Nu te &verwijderen ({len(due)})"
    assert view.count_label.text() == f"{len(due)} onderdelen van 2 leerlingen"
    backups = len(vault.list_backups())

    boxes.answer = False
    assert not view.purge_due()
    assert len(vault.list_backups()) == backups and view.due_table.count() == len(due)

    boxes.answer = True
    assert view.purge_due()
    question = boxes.asked[-1]
    assert "Bram Kok: Leerlingdossier" in question and "Sanne Mulder" in question
    assert "2 leerlingen worden helemaal uit het register verwijderd" in question
    assert len(vault.list_backups()) == backups + 1
    with vault.session() as session:
        assert session.get(Pupil, school["ids"]["Bram"]) is None
        assert session.get(Pupil, school["ids"]["Daan"]) is not None
        tombs = session.scalar(select(func.count()).select_from(Erasure))
    assert tombs == len(due)
    assert view.due_table.count() == 0 and view.due_table.empty_label.isVisibleTo(view)
    assert view.erased_table.count() == len(due)
    qtmodeltester.check(view.erased_table.model)
    model = view.erased_table.model
    assert model.data(model.index(0, 3)) == "bewaartermijn verstreken"
    assert "2 leerlingen helemaal uit het register" in boxes.informed[-1]
    assert str(vault.list_backups()[0]) in boxes.informed[-1]


def test_purging_only_the_chosen_rows(qtbot, vault, people, school, clock, boxes):
    view = make_view(qtbot, vault, people["dir"], clock)
    first = view.due()[0]
    view.due_table.view.selectRow(0)
    assert view.buttons["purge"].text() == "Gekozen regels &verwijderen…"
    assert view.purge_due()
    assert first.name in boxes.asked[-1]
    assert first not in view.due() and view.due()


def test_a_failed_backup_deletes_nothing(qtbot, vault, people, school, clock, boxes,
                                         monkeypatch):
    view = make_view(qtbot, vault, people["dir"], clock)
    due = view.due()

    def full(*_args, **_kwargs):
        raise DiskFullError("De schijf is vol.")

    monkeypatch.setattr(type(vault), "backup", full)
    assert not view.purge_due()
    assert boxes.warnings[-1].startswith("De reservekopie kon niet worden gemaakt, dus er is "
                                         "niets verwijderd.")
    view.refresh()
    assert view.due() == due


def test_attention_for_whoever_may_delete_opens_the_due_tab(qtbot, vault, people, school,
                                                            clock):
    director = SimpleNamespace(user=people["dir"], clock=clock)
    with vault.session() as session:
        (line,) = RetentionPage.attention(director, session)
        assert RetentionPage.attention(SimpleNamespace(user=people["office"], clock=clock),
                                       session) == []
    assert line.text == "Van 2 vertrokken leerlingen is de bewaartermijn verstreken."
    assert (line.area, line.level, line.target) == ("retention", "todo", "due")
    view = make_view(qtbot, vault, people["dir"], clock)
    view.tabs.setCurrentIndex(view.ERASED_TAB)
    view.open_target(line.target)
    assert view.tabs.currentIndex() == view.DUE_TAB


def test_the_term_dialog_is_freed_after_it_closes(qtbot, vault, people, school, clock,
                                                  windows):
    view = make_view(qtbot, vault, people["beheer"], clock)
    view.tabs.setCurrentIndex(view.TERMS_TAB)
    view.rule_table.view.selectRow(0)
    windows.answer(TermDialog, QDialog.DialogCode.Accepted,
                   before=lambda dialog: dialog.source.setPlainText("Besluit bestuur."))
    view.edit_term()
    windows.answer(TermDialog)  # and once cancelled
    view.edit_term()
    assert len(windows.seen) == 2
    windows.assert_all_freed()
    assert view.rule_table.current().source == "Besluit bestuur."


def test_the_purge_messages_are_freed_after_they_close(qtbot, vault, people, school, clock,
                                                       windows):
    view = make_view(qtbot, vault, people["dir"], clock)
    windows.answer(QMessageBox, click="Verwijderen")  # the confirmation, then "OK"
    original = windows.monkeypatch

    def answer_any(box):  # noqa: ANN001
        windows.seen.append(box)
        box.destroyed.connect(lambda *_a: windows.destroyed.append("box"))
        wanted = "Verwijderen" if any(b.text() == "Verwijderen" for b in box.buttons()) \
            else "OK"
        next(b for b in box.buttons() if b.text() == wanted).click()
        return 0

    original.setattr(QMessageBox, "exec", answer_any)
    assert view.purge_due()
    assert len(windows.seen) == 2  # asked, then told what was deleted
    windows.assert_all_freed()
