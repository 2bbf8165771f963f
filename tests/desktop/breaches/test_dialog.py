"""Registering a breach through the dialog: one form, bad input refused at the field."""

import pytest

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
