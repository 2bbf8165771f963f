"""The pupil list as a table model: plain PupilRow rows, filtered and sorted on its own list.

No QSortFilterProxyModel (it is hundreds of times slower over a Python model). Filtering is
one list comprehension over precomputed search keys; sorting uses keys computed once per
column. 20,000 pupils filter in about a millisecond per keystroke.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from itertools import compress

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor

from db.clock import local_today
from db.pupils import PupilRow, PupilStatus
from db.text import fold, format_dutch_date
from desktop.kit.labels import label

LEFT_COLOUR = QColor("#6b6b6b")


class Status(Enum):
    CURRENT = "current"
    LEFT = "left"
    ALL = "all"


class Column:
    FIRST_NAME, LAST_NAME, GROUP, BORN, STATUS = range(5)


ALL_GROUPS = None


class PupilTableModel(QAbstractTableModel):
    """Leerlingen. ``today`` decides who counts as current (Huidig) and who left (Vertrokken)."""

    ID_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, rows: list[PupilRow] | None = None, today: date | None = None,
                 parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self._headers = (self.tr("Roepnaam"), self.tr("Achternaam"), self.tr("Groep"),
                         self.tr("Geboortedatum"), self.tr("Status"))
        self._today = today or local_today()
        self._words: list[str] = []
        self._group: str | None = ALL_GROUPS
        self._status = Status.CURRENT
        self._sort: tuple[int, Qt.SortOrder] = (Column.LAST_NAME, Qt.SortOrder.AscendingOrder)
        self._all: list[PupilRow] = []
        self._base: list[PupilRow] = []     # _all after the group and status filters
        self._base_keys: list[str] = []     # their search keys, in the same order
        self._any_leaving = False           # a row of _base has a leaving date
        self._shown: list[PupilRow] = []    # _base after the search words
        self._shown_keys: list[str] = []
        self._current: set[int] = set()
        self._keys: dict[int, dict[int, object]] = {}
        self.set_rows(rows or [], today)

    # --- loading ---------------------------------------------------------------------------

    def set_rows(self, rows: list[PupilRow], today: date | None = None) -> None:
        """New rows from the register; filters and sort order stay as they are."""
        if today is not None:
            self._today = today
        self.beginResetModel()
        self._all = list(rows)
        self._current = {r.id for r in self._all if r.is_current(self._today)}
        self._keys = {}
        self._sort_all()
        self._refilter_base()
        self._apply_words()
        self.endResetModel()

    # --- filtering -------------------------------------------------------------------------

    def set_search(self, text: str) -> None:
        """Every word must occur in the pupil's folded search key ('berg' finds 'van den Berg')."""
        words = fold(text).replace(",", " ").split()
        if words == self._words:
            return
        self.beginResetModel()
        previous, self._words = self._words, words
        self._apply_words(narrows=bool(previous) and all(
            any(old in new for new in words) for old in previous))
        self.endResetModel()

    def set_group(self, group: str | None) -> None:
        """Only this groep; None shows all groups."""
        if group == self._group:
            return
        self.beginResetModel()
        self._group = group
        self._refilter_base()
        self._apply_words()
        self.endResetModel()

    def set_status(self, status: Status) -> None:
        if status == self._status:
            return
        self.beginResetModel()
        self._status = status
        self._refilter_base()
        self._apply_words()
        self.endResetModel()

    def _refilter_base(self) -> None:
        rows, group, current = self._all, self._group, self._current
        if group is not None:
            rows = [r for r in rows if r.group_name == group]
        if self._status is Status.CURRENT:
            rows = [r for r in rows if r.id in current]
        elif self._status is Status.LEFT:
            rows = [r for r in rows if r.id not in current]
        self._base = rows
        self._base_keys = [r.search_key for r in rows]
        self._any_leaving = any(r.left_on is not None for r in rows)

    def _apply_words(self, *, narrows: bool = False) -> None:
        """_shown: the rows of _base whose key holds every word. When the words narrow the
        previous ones (each previous word lies within a new one: 'jan' after 'ja'), every
        row they keep was shown already, so only the shown rows are searched."""
        words = self._words
        rows, keys = (self._shown, self._shown_keys) if narrows else \
            (self._base, self._base_keys)
        if not words:
            self._shown, self._shown_keys = rows, keys
            return
        if len(words) == 1:
            word = words[0]
            hits = [word in key for key in keys]
        else:
            hits = [all(w in key for w in words) for key in keys]
        self._shown, self._shown_keys = list(compress(rows, hits)), list(compress(keys, hits))

    # --- sorting ---------------------------------------------------------------------------

    def _sort_keys(self, column: int) -> dict[int, object]:
        """Keys for one column, computed once per set_rows (folded, so 'é' sorts as 'e')."""
        keys = self._keys.get(column)
        if keys is not None:
            return keys
        names = {r.id: (fold(r.last_name), fold(r.prefix), fold(r.first_name), r.id)
                 for r in self._all}
        if column == Column.FIRST_NAME:
            keys = {r.id: (fold(r.first_name), names[r.id]) for r in self._all}
        elif column == Column.LAST_NAME:
            keys = names
        elif column == Column.GROUP:
            keys = {r.id: (r.year_group or 99, fold(r.group_name), names[r.id])
                    for r in self._all}
        elif column == Column.BORN:
            keys = {r.id: (r.date_of_birth or date.max, names[r.id]) for r in self._all}
        else:  # status: current first, then by leaving date
            keys = {r.id: (r.left_on is not None and r.id not in self._current,
                           r.left_on or date.max, names[r.id]) for r in self._all}
        self._keys[column] = keys
        return keys

    def _sort_all(self) -> None:
        column, order = self._sort
        keys = self._sort_keys(column)
        self._all.sort(key=lambda r: keys[r.id],
                       reverse=order == Qt.SortOrder.DescendingOrder)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._headers):
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        remembered = [(self._shown[i.row()].id, i.column()) for i in persistent]
        self._sort = (column, order)
        self._sort_all()
        self._refilter_base()
        self._apply_words()
        position = {r.id: n for n, r in enumerate(self._shown)} if remembered else {}
        self.changePersistentIndexList(
            persistent, [self.index(position[pid], col) if pid in position else QModelIndex()
                         for pid, col in remembered])
        self.layoutChanged.emit()

    def sort_order(self) -> tuple[int, Qt.SortOrder]:
        return self._sort

    # --- access ----------------------------------------------------------------------------

    def pupil_at(self, row: int) -> PupilRow:
        return self._shown[row]

    def row_of(self, pupil_id: int) -> int | None:
        for n, r in enumerate(self._shown):
            if r.id == pupil_id:
                return n
        return None

    def shown_count(self) -> int:
        return len(self._shown)

    def total_count(self) -> int:
        return len(self._all)

    def status_text(self, row: PupilRow) -> str:
        """'Huidig', 'Vertrekt per 19-12-2026' or 'Vertrokken per 10-07-2026'; empty for a
        plain current pupil while the list shows only current pupils (it goes without saying).
        """
        status = row.status_on(self._today)
        if status is PupilStatus.CURRENT and self._status is Status.CURRENT:
            return ""
        return label(status).format(day=format_dutch_date(row.left_on))

    def status_column_needed(self) -> bool:
        """The Status column says something: the list is not only current pupils, or one of
        them has a leaving date ('Vertrekt per …'). Otherwise it would say 'Huidig' on every
        row."""
        return self._status is not Status.CURRENT or self._any_leaving

    # --- Qt --------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self._shown[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == Column.FIRST_NAME:
                return row.first_name
            if column == Column.LAST_NAME:
                return row.sort_name
            if column == Column.GROUP:
                return row.group_name
            if column == Column.BORN:
                return format_dutch_date(row.date_of_birth)
            return self.status_text(row)
        if role == Qt.ItemDataRole.ForegroundRole and row.id not in self._current:
            return LEFT_COLOUR
        if role == self.ID_ROLE:
            return row.id
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            if role == Qt.ItemDataRole.DisplayRole:
                return self._headers[section]
        return None
