"""Bewaartermijnen: a term of 0 years is refused at the field; the purge asks first, makes a
backup, deletes and leaves tombstones."""

from sqlalchemy import func, select

from db.schema import Erasure, Pupil
from desktop.retention.view import RetentionView, TermDialog


def make_view(qtbot, vault, user, clock) -> RetentionView:
    view = RetentionView(vault, user, clock)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    return view


def test_a_term_of_zero_years_is_refused_at_the_field(qtbot, vault, people, school, clock,
                                                      qtmodeltester):
    view = make_view(qtbot, vault, people["beheer"], clock)
    qtmodeltester.check(view.rule_model)
    view.tabs.setCurrentIndex(view.TERMS_TAB)
    view.rule_table.selectRow(0)
    assert view.term_button.isEnabled()
    rule = view.rule_model.row_at(0)
    assert (rule.category, rule.years) == ("leerlingdossier", 2)
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
    changed = next(r for r in view.rule_model.rows() if r.category == "leerlingdossier")
    assert (changed.years, changed.source) == (3, "Besluit bestuur 2026.")


def test_only_settings_users_change_terms_and_only_erase_users_purge(qtbot, vault, people,
                                                                     school, clock):
    office = make_view(qtbot, vault, people["office"], clock)
    assert office.term_button.isHidden() and office.purge_button.isHidden()
    assert office.due_model.rowCount() > 0  # reading is allowed
    director = make_view(qtbot, vault, people["dir"], clock)
    assert not director.purge_button.isHidden() and not director.term_button.isHidden()


def test_purge_after_confirmation_leaves_tombstones_and_made_a_backup(qtbot, vault, people,
                                                                      school, clock, boxes,
                                                                      qtmodeltester):
    view = make_view(qtbot, vault, people["dir"], clock)
    qtmodeltester.check(view.due_model)
    due = view.due()
    assert {item.name for item in due} == {"Bram Kok", "Sanne Mulder"}
    assert view.tabs.tabText(view.DUE_TAB) == f"Nu te &verwijderen ({len(due)})"
    backups = len(vault.list_backups())

    boxes.answer = False
    assert not view.purge_due()
    assert len(vault.list_backups()) == backups and view.due_model.rowCount() == len(due)

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
    assert view.due_model.rowCount() == 0 and view.due_empty.isVisibleTo(view)
    assert view.erased_model.rowCount() == len(due)
    qtmodeltester.check(view.erased_model)
    assert view.erased_model.data(view.erased_model.index(0, 3)) == "bewaartermijn verstreken"
    assert "2 leerlingen helemaal uit het register" in boxes.informed[-1]


def test_purging_only_the_chosen_rows(qtbot, vault, people, school, clock, boxes):
    view = make_view(qtbot, vault, people["dir"], clock)
    first = view.due()[0]
    view.due_table.selectRow(0)
    assert view.purge_button.text() == "Gekozen regels &verwijderen…"
    assert view.purge_due()
    assert first.name in boxes.asked[-1]
    assert first not in view.due() and view.due()
