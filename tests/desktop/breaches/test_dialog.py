"""Registering a breach through the dialog: one form, bad input refused at the field."""

import pytest
from PySide6.QtCore import Qt

from desktop.breaches.dialog import BreachDialog
from tests.desktop.breaches.conftest import fill, stored


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


def test_a_save_over_someone_elses_change_is_refused_and_the_typed_input_stays(
        qtbot, vault, clock, staff, boxes):
    """The office and the director edit the same breach at two workstations (issue 15)."""
    from sqlalchemy import func, select

    from db.schema import AuditEntry, Breach

    new = BreachDialog(None, vault, staff["office"], clock=clock)
    qtbot.addWidget(new)
    fill(qtbot, new)
    assert new.save()
    first = BreachDialog(None, vault, staff["office"], breach_id=new.saved_id, clock=clock)
    second = BreachDialog(None, vault, staff["director"], breach_id=new.saved_id, clock=clock)
    for dialog in (first, second):
        qtbot.addWidget(dialog)
    qtbot.keyClicks(first.cause, "Tas bleef liggen")
    assert first.save()
    qtbot.keyClicks(second.consequences, "Onbekend wie de lijst heeft")
    second.show()
    assert second.save() is False
    assert second.conflict.text().startswith(
        "Iemand anders heeft dit datalek intussen gewijzigd. Uw wijzigingen zijn niet "
        "opgeslagen;")
    assert second.conflict.isVisibleTo(second) and second.reload_button.isVisibleTo(second)
    assert second.consequences.text() == "Onbekend wie de lijst heeft"  # the input stays
    assert second.cause.text() == "" and second.has_unsaved_input()
    with vault.session() as session:
        breach = session.get(Breach, new.saved_id)
        assert (breach.cause, breach.consequences) == ("Tas bleef liggen", "")
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "breach.update")) == 1

    qtbot.mouseClick(second.reload_button, Qt.MouseButton.LeftButton)
    assert (second.cause.text(), second.consequences.text()) == ("Tas bleef liggen", "")
    assert not second.conflict.isVisibleTo(second)
    assert not second.reload_button.isVisibleTo(second) and not second.has_unsaved_input()
    qtbot.keyClicks(second.consequences, "Onbekend wie de lijst heeft")
    assert second.save()
    with vault.session() as session:
        breach = session.get(Breach, new.saved_id)
        assert (breach.cause, breach.consequences) == ("Tas bleef liggen",
                                                       "Onbekend wie de lijst heeft")
