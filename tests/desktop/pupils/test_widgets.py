"""Shared helpers: the dd-mm-jjjj field, the plain rows model, the worker."""

from datetime import date

import pytest

from db.errors import Cancelled
from desktop.kit.tasks import run_task
from desktop.kit.widgets import DateEdit, RowsModel, plural


@pytest.mark.parametrize(("typed", "value", "shown"), [
    ("7-3-2019", date(2019, 3, 7), "07-03-2019"),
    ("07.03.2019", date(2019, 3, 7), "07-03-2019"),
    ("2019-03-07", date(2019, 3, 7), "07-03-2019"),
    ("", None, ""),
])
def test_date_edit_reads_dutch_dates_and_writes_them_out(qtbot, typed, value, shown):
    edit = DateEdit()
    qtbot.addWidget(edit)
    qtbot.keyClicks(edit, typed)
    assert edit.date_value() == value
    edit.editingFinished.emit()
    assert edit.text() == shown
    assert edit.placeholderText() == "dd-mm-jjjj"


def test_date_edit_explains_a_wrong_date_in_dutch(qtbot):
    edit = DateEdit()
    qtbot.addWidget(edit)
    edit.setText("31-02-2019")
    with pytest.raises(ValueError, match="bestaat niet"):
        edit.date_value()
    edit.editingFinished.emit()
    assert edit.text() == "31-02-2019"  # left as typed for the user to correct


def test_rows_model(qtmodeltester):
    model = RowsModel([("Naam", lambda r: r[0]), ("Datum", lambda r: r[1])],
                      [("Sem", date(2019, 3, 7)), ("Noor", None)])
    qtmodeltester.check(model)
    assert model.data(model.index(0, 1)) == "07-03-2019" and model.data(model.index(1, 1)) == ""


def test_plural_writes_thousands_the_dutch_way():
    assert plural(1, "1 leerling", "%1 leerlingen") == "1 leerling"
    assert plural(20000, "1 leerling", "%1 leerlingen") == "20.000 leerlingen"


def test_a_blocking_task_reports_cancel_through_progress(qtbot):
    outcomes = []

    def work(progress):
        if not progress(1, 2):
            raise Cancelled("afgebroken")
        return "klaar"

    task = run_task(None, work, outcomes.append, title="t", label="l", blocking=True)
    assert outcomes[-1].result == "klaar"
    task.cancel_event.set()
    outcome = task.run_blocking()
    assert isinstance(outcome.error, Cancelled) and not outcome.ok


def test_models_returning_none_do_not_eat_references_to_none(qtbot):
    """PySide6 6.12.0 on Python 3.11 drops a reference to None per None-returning data() call
    made from C++; enough of them abort the interpreter. Guards the pin below 6.12."""
    import sys

    from PySide6.QtCore import QIdentityProxyModel, Qt

    from desktop.pupils.table_model import PupilTableModel
    from tests.desktop.pupils.test_table_model import ROWS, TODAY

    model = PupilTableModel(list(ROWS), TODAY)
    rows = RowsModel([("Naam", lambda r: r)], ["Sem"])
    proxy = QIdentityProxyModel()
    proxy.setSourceModel(model)
    before = sys.getrefcount(None)
    for _ in range(1000):
        model.index(0, 0).data(Qt.ItemDataRole.DecorationRole)   # C++ → Python, None
        rows.index(0, 0).data(Qt.ItemDataRole.FontRole)
        proxy.headerData(0, Qt.Orientation.Vertical, Qt.ItemDataRole.DisplayRole)
    assert sys.getrefcount(None) >= before
