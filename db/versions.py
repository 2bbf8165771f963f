"""The optimistic version check (issue 15, point 5): two workstations edit the same pupil.

Pupil, guardian, breach, data request and supplier carry a `version` (revision 0010), mapped
as SQLAlchemy's version_id_col: every UPDATE says "AND version = <the version read>" and
raises it by one. A use case that saves a form takes the version the form was loaded with
(`loaded_version`) and refuses the save when the row has moved on since
(`expect_version`); should another session save in between that check and this save's own
UPDATE, the UPDATE finds no row of that version and SQLAlchemy raises StaleDataError, which
`refused_when_changed` turns into the same Dutch ChangedElsewhereError. Vault.session and
ServerRegister.session do the same around every unit of work, so an action that takes no
loaded version (a breach's assessment, a pupil's leaving) is refused in the same words when
it overlaps another save. Either way the transaction rolls back: nothing of this save is
written, the other's stands.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm.exc import StaleDataError

from db.errors import ChangedElsewhereError

# the versioned tables, with the record in Dutch for the message
WHAT = {"pupil": "deze leerling", "guardian": "deze ouder/verzorger",
        "breach": "dit datalek", "data_request": "dit verzoek",
        "supplier": "deze leverancier"}
_STALE_TABLE = re.compile(r"on table '(\w+)'")  # in SQLAlchemy's StaleDataError message


def expect_version(record: object, loaded_version: int | None) -> None:
    """Raise ChangedElsewhereError when `record` is no longer at the version the form was
    loaded with. None: the caller loaded no form (an import, the CLI); the UPDATE's own check
    still guards against a save that overlaps this one."""
    if loaded_version is not None and record.version != loaded_version:
        raise ChangedElsewhereError(WHAT.get(record.__tablename__, "dit gegeven"))


@contextmanager
def refused_when_changed() -> Iterator[None]:
    """Around a flush or a unit of work: StaleDataError becomes ChangedElsewhereError, which
    names the record the refused UPDATE was for."""
    try:
        yield
    except StaleDataError as error:
        table = _STALE_TABLE.search(str(error))
        raise ChangedElsewhereError(
            WHAT.get(table.group(1) if table else "", "dit gegeven")) from error
