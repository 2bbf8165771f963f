"""The consent matrix of one group: pupils (rows) × active purposes (columns).

Plain rows in (PupilRow from db.pupils, MatrixPurpose below) and the states from ONE
explain_states() call; the model never queries the register itself. Filtering is a list
comprehension over precomputed search keys (no QSortFilterProxyModel).
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from db.consents import ConsentState
from db.pupils import PupilRow, matches
from db.text import format_dutch_date
from desktop.kit.labels import CONSENT_COLOURS, CONSENT_SINCE, CONSENT_SYMBOLS, label

LAST_NAME, FIRST_NAME = 0, 1
FIRST_PURPOSE = 2  # the first purpose column

States = dict[tuple[int, int], ConsentState]
Since = dict[tuple[int, int], date]  # the day of the decision that settles a state


class MatrixPurpose(NamedTuple):
    """One column: an active purpose with its current text version."""

    id: int
    code: str
    short: str     # column title
    title: str     # full title, for the tooltip
    version: int
    is_image: bool


class ConsentMatrixModel(QAbstractTableModel):
    """Toestemmingen van een groep. ``StateRole`` gives a cell's ConsentState."""

    StateRole = Qt.ItemDataRole.UserRole + 1
    PupilIdRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self._all: list[PupilRow] = []
        self._shown: list[PupilRow] = []
        self._purposes: list[MatrixPurpose] = []
        self._states: States = {}
        self._since: Since = {}
        self._words = ""
        self._only_not_asked = False
        self._brushes = {
            state: (QBrush(QColor(text)), QBrush(QColor(back)) if back else None)
            for state, (text, back) in CONSENT_COLOURS.items()}
        self._symbol_font = QFont()
        self._symbol_font.setBold(True)
        self._symbol_font.setPointSizeF(self._symbol_font.pointSizeF() * 1.15)
        self._labels = {state: label(state) for state in ConsentState}
        self._headers = (self.tr("Achternaam"), self.tr("Roepnaam"))

    # --- loading ---------------------------------------------------------------------------

    def set_matrix(self, pupils: list[PupilRow], purposes: list[MatrixPurpose],
                   states: States, since: Since | None = None) -> None:
        """A new group: its pupils (already in the order to show), the columns, the states
        and (for the tooltips) the day each state was settled."""
        self.beginResetModel()
        self._all = list(pupils)
        self._purposes = list(purposes)
        self._states = dict(states)
        self._since = dict(since or {})
        self._shown = self._filtered()
        self.endResetModel()

    def update_pupil(self, pupil_id: int, states: States, since: Since | None = None) -> None:
        """New states for one pupil (after a decision). The row stays where it is."""
        since = since or {}
        for purpose in self._purposes:
            key = (pupil_id, purpose.id)
            if key in states:
                self._states[key] = states[key]
            else:
                self._states.pop(key, None)
            if key in since:
                self._since[key] = since[key]
            else:
                self._since.pop(key, None)
        row = self.row_of(pupil_id)
        if row is not None and self._purposes:
            self.dataChanged.emit(self.index(row, FIRST_PURPOSE),
                                  self.index(row, FIRST_PURPOSE + len(self._purposes) - 1))

    # --- filtering -------------------------------------------------------------------------

    def set_search(self, text: str) -> None:
        if text.strip() == self._words:
            return
        self._words = text.strip()
        self._refilter()

    def set_only_not_asked(self, only: bool) -> None:
        if only == self._only_not_asked:
            return
        self._only_not_asked = only
        self._refilter()

    def _refilter(self) -> None:
        self.beginResetModel()
        self._shown = self._filtered()
        self.endResetModel()

    def _filtered(self) -> list[PupilRow]:
        rows = self._all
        if self._words:
            rows = [r for r in rows if matches(r.search_key, self._words)]
        if self._only_not_asked:
            rows = [r for r in rows if self.has_not_asked(r.id)]
        return rows

    def has_not_asked(self, pupil_id: int) -> bool:
        return any((pupil_id, p.id) not in self._states
                   or self._states[(pupil_id, p.id)] is ConsentState.NOT_ASKED
                   for p in self._purposes)

    # --- lookups ---------------------------------------------------------------------------

    @property
    def purposes(self) -> list[MatrixPurpose]:
        return list(self._purposes)

    def all_pupils(self) -> list[PupilRow]:
        return list(self._all)

    def shown_count(self) -> int:
        return len(self._shown)

    def total_count(self) -> int:
        return len(self._all)

    def pupil_at(self, row: int) -> PupilRow | None:
        return self._shown[row] if 0 <= row < len(self._shown) else None

    def purpose_at(self, column: int) -> MatrixPurpose | None:
        index = column - FIRST_PURPOSE
        return self._purposes[index] if 0 <= index < len(self._purposes) else None

    def row_of(self, pupil_id: int) -> int | None:
        for row, pupil in enumerate(self._shown):
            if pupil.id == pupil_id:
                return row
        return None

    def column_of(self, purpose_id: int) -> int | None:
        for index, purpose in enumerate(self._purposes):
            if purpose.id == purpose_id:
                return FIRST_PURPOSE + index
        return None

    def state(self, pupil_id: int, purpose_id: int) -> ConsentState:
        return self._states.get((pupil_id, purpose_id), ConsentState.NOT_ASKED)

    def state_text(self, pupil_id: int, purpose_id: int) -> str:
        """The state in words, with its day when known: 'ingetrokken op 01-03-2026'."""
        state = self.state(pupil_id, purpose_id)
        day = self._since.get((pupil_id, purpose_id))
        if day is None or state not in CONSENT_SINCE:
            return self._labels[state]
        return QCoreApplication.translate("Labels", CONSENT_SINCE[state]).format(
            day=format_dutch_date(day))

    # --- Qt --------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else FIRST_PURPOSE + len(self._purposes)

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._shown):
            return None
        pupil = self._shown[index.row()]
        column = index.column()
        if column < FIRST_PURPOSE:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return pupil.sort_name if column == LAST_NAME else pupil.first_name
            if role == self.PupilIdRole:
                return pupil.id
            return None
        purpose = self.purpose_at(column)
        if purpose is None:
            return None
        state = self._states.get((pupil.id, purpose.id), ConsentState.NOT_ASKED)
        if role == Qt.ItemDataRole.DisplayRole:
            return CONSENT_SYMBOLS[state]
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{pupil.full_name} — {purpose.title}: " \
                f"{self.state_text(pupil.id, purpose.id)}"
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._brushes[state][0]
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._brushes[state][1]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.FontRole:
            return self._symbol_font
        if role == self.StateRole:
            return state
        if role == self.PupilIdRole:
            return pupil.id
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if section < FIRST_PURPOSE:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < FIRST_PURPOSE:
                return self._headers[section]
            return None
        purpose = self.purpose_at(section)
        if purpose is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return purpose.short
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("{title} (versie {version})").format(title=purpose.title,
                                                               version=purpose.version)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None
