"""The optimistic version check (issue 15, point 5): two workstations edit the same pupil.

Pupil, guardian, breach, data request and supplier carry a `version` (revision 0010), mapped
as SQLAlchemy's version_id_col: every UPDATE says "AND version = <the version read>" and
raises it by one. A use case that saves a form takes the version the form was loaded with
(`loaded_version`) and refuses the save when the row has moved on since
(`expect_version`); should another session save in between that check and this save's own
UPDATE, the UPDATE finds no row of that version and SQLAlchemy raises StaleDataError, which
`refused_when_changed` turns into the same Dutch ChangedElsewhereError. Either way the
session's transaction rolls back: nothing of this save is written, the other's stands.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm.exc import StaleDataError

from db.errors import ChangedElsewhereError


def expect_version(record: object, loaded_version: int | None, what: str) -> None:
    """Raise ChangedElsewhereError when `record` is no longer at the version the form was
    loaded with. None: the caller loaded no form (an import, the CLI); the UPDATE's own check
    still guards against a save that overlaps this one."""
    if loaded_version is not None and record.version != loaded_version:
        raise ChangedElsewhereError(what)


@contextmanager
def refused_when_changed(what: str) -> Iterator[None]:
    """Around the flush of a versioned row: StaleDataError becomes ChangedElsewhereError."""
    try:
        yield
    except StaleDataError as error:
        raise ChangedElsewhereError(what) from error
