"""The pupil table model: search, filters and sorting on its own list."""

from datetime import date

import pytest
from PySide6.QtCore import Qt

from db.pupils import PupilRow, search_key
from desktop.pupils.table_model import Column, PupilTableModel, Status

TODAY = date(2026, 11, 24)


def row(pid, first, last, prefix="", group="4A", born=date(2017, 5, 3), left=None, given=""):
    year = int(group[0]) if group[:1].isdigit() else None
    return PupilRow(pid, first, prefix, last, group, year, born, date(2021, 8, 30), left,
                    search_key(first, given, prefix, last))


ROWS = [
    row(1, "Sem", "Berg", "van den", "4A", date(2017, 5, 3)),
    row(2, "Lotte", "Bergen", "", "4A", date(2017, 9, 12)),
    row(3, "Fleur", "Jansen", "", "3B", date(2018, 1, 20)),
    row(4, "Ismaël", "El Amrani", "", "5B", date(2016, 3, 7)),
    row(5, "Daan", "Visser", "", "6A", date(2015, 11, 2), left=date(2026, 7, 10)),
    row(6, "Zoë", "Aalders", "", "Kabouters", date(2016, 1, 1), left=date(2027, 1, 31)),
]


@pytest.fixture
def model(qtmodeltester):
    model = PupilTableModel(list(ROWS), TODAY)
    qtmodeltester.check(model)
    return model


def shown(model) -> list[str]:
    return [model.data(model.index(r, Column.FIRST_NAME)) for r in range(model.rowCount())]


def test_model_passes_the_qt_model_tester_while_filtering_and_sorting(qtmodeltester, model):
    model.set_search("berg")
    model.sort(Column.BORN, Qt.SortOrder.DescendingOrder)
    model.set_status(Status.ALL)
    qtmodeltester.check(model)


def test_columns_show_dutch_names_dates_and_status(model):
    model.set_status(Status.ALL)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)]
    assert headers == ["Roepnaam", "Achternaam", "Groep", "Geboortedatum", "Status"]
    by_name = {model.data(model.index(r, 0)): [model.data(model.index(r, c)) for c in range(5)]
               for r in range(model.rowCount())}
    assert by_name["Sem"] == ["Sem", "Berg, van den", "4A", "03-05-2017", "Huidig"]
    assert by_name["Daan"][4] == "Vertrokken per 10-07-2026"
    assert by_name["Zoë"][4] == "Vertrekt per 31-01-2027"  # leaves later: still current


@pytest.mark.parametrize(("query", "expected"), [
    ("berg", {"Sem", "Lotte"}),           # 'van den Berg' and 'Bergen', not Jansen
    ("van den berg", {"Sem"}),
    ("Berg, van", {"Sem"}),
    ("ismael", {"Ismaël"}),               # without the trema
    ("ISMAËL el", {"Ismaël"}),
    ("jansen", {"Fleur"}),
    ("xyz", set()),
    ("", {"Sem", "Lotte", "Fleur", "Ismaël", "Zoë"}),
])
def test_search_matches_names_regardless_of_case_accents_and_voorvoegsel(model, query,
                                                                          expected):
    model.set_search(query)
    assert set(shown(model)) == expected


def test_group_and_status_filters_combine_with_the_search(model):
    model.set_group("4A")
    assert set(shown(model)) == {"Sem", "Lotte"}
    model.set_search("bergen")
    assert shown(model) == ["Lotte"]
    model.set_search("")
    model.set_group(None)
    model.set_status(Status.LEFT)
    assert shown(model) == ["Daan"]
    model.set_status(Status.ALL)
    assert model.rowCount() == 6 and model.total_count() == 6


def test_sorting_by_each_column(model):
    model.set_status(Status.ALL)
    model.sort(Column.LAST_NAME, Qt.SortOrder.AscendingOrder)
    assert shown(model) == ["Zoë", "Sem", "Lotte", "Ismaël", "Fleur", "Daan"]  # Berg, van den
    model.sort(Column.FIRST_NAME, Qt.SortOrder.AscendingOrder)
    assert shown(model) == ["Daan", "Fleur", "Ismaël", "Lotte", "Sem", "Zoë"]
    model.sort(Column.BORN, Qt.SortOrder.DescendingOrder)
    assert shown(model)[:2] == ["Fleur", "Lotte"]
    model.sort(Column.GROUP, Qt.SortOrder.AscendingOrder)
    assert [model.pupil_at(r).group_name for r in range(6)] == ["3B", "4A", "4A", "5B", "6A",
                                                                "Kabouters"]
    model.sort(Column.STATUS, Qt.SortOrder.DescendingOrder)
    assert shown(model)[0] == "Daan"


def test_sorting_keeps_the_search_and_new_rows_keep_sort_and_filters(model):
    model.set_search("berg")
    model.sort(Column.FIRST_NAME, Qt.SortOrder.DescendingOrder)
    assert shown(model) == ["Sem", "Lotte"]
    model.set_rows(list(ROWS) + [row(7, "Tim", "Bergsma", group="2A")])
    assert shown(model) == ["Tim", "Sem", "Lotte"]


def test_sort_keeps_the_selected_pupil_selected(qtbot, model):
    from PySide6.QtWidgets import QTableView

    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setCurrentIndex(model.index(model.row_of(3), 0))
    model.sort(Column.FIRST_NAME, Qt.SortOrder.DescendingOrder)
    assert model.pupil_at(view.currentIndex().row()).id == 3


def test_the_status_column_is_only_needed_when_it_says_something(model):
    """Only current pupils, none leaving: 'Huidig' on every row says nothing."""
    model.set_group("4A")
    assert model.rowCount() == 2 and not model.status_column_needed()
    assert [model.data(model.index(r, Column.STATUS)) for r in range(2)] == ["", ""]
    model.set_group(None)  # Zoë leaves on 31-01-2027: still current, with a leaving date
    assert model.status_column_needed()
    texts = {model.data(model.index(r, 0)): model.data(model.index(r, Column.STATUS))
             for r in range(model.rowCount())}
    assert texts["Zoë"] == "Vertrekt per 31-01-2027" and texts["Sem"] == ""
    for status in (Status.LEFT, Status.ALL):
        model.set_group("4A")
        model.set_status(status)
        assert model.status_column_needed()
    assert model.data(model.index(0, Column.STATUS)) == "Huidig"


def test_typing_letter_by_letter_shows_the_rows_one_search_would():
    """Each keystroke searches only the rows already shown when the new words narrow the
    previous ones ('jan' after 'ja'); typing on, deleting, a new word or a comma ends with the
    rows that searching the last text at once gives."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    rows = list(ROWS) + [row(7, "Jan", "Jansen", given="Johannes"), row(8, "Anna", "de Jong"),
                         row(9, "Bram", "van Berg", group="2A"), row(10, "Noor", "Ansems")]
    texts = st.text(alphabet="aeinjrsbgëo ,", max_size=8)

    @settings(max_examples=300, deadline=None)
    @given(st.lists(texts, min_size=1, max_size=8))
    def check(sequence: list[str]) -> None:
        typed = PupilTableModel(list(rows), TODAY)
        for text in sequence:
            typed.set_search(text)
            once = PupilTableModel(list(rows), TODAY)
            once.set_search(text)
            assert shown(typed) == shown(once)

    check()
    model = PupilTableModel(list(rows), TODAY)
    for end in range(1, 7):  # 'jansen' as typed: the later letters narrow the earlier ones
        model.set_search("jansen"[:end])
    assert shown(model) == ["Fleur", "Jan"]
    model.set_search("janse, an")  # back a letter and a second word: both rows searched again
    assert shown(model) == ["Fleur", "Jan"]
    model.set_search("an")
    assert set(shown(model)) == {"Fleur", "Jan", "Anna", "Noor", "Bram", "Sem", "Ismaël"}
