"""Alembic, run in-process on the live (encrypted) connection.

Opening a register only needs to know which revisions exist and which is the head. That is
read from the file names in migrations/versions (each revision file starts with its id, a
test holds Alembic to it), so Alembic itself is imported only when a schema is upgraded:
it costs a fifth of a second at start-up.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

from sqlalchemy import Connection, inspect, text

_REVISION_FILE = re.compile(r"^(\d{4})_\w+\.py$")


def alembic_config(connection: Connection | None = None):  # noqa: ANN201 - alembic Config
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "db:migrations")
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@cache
def known_revisions() -> frozenset[str]:
    names = (entry.name for entry in (files("db") / "migrations" / "versions").iterdir())
    return frozenset(match.group(1) for name in names if (match := _REVISION_FILE.match(name)))


@cache
def head_revision() -> str:
    return max(known_revisions())


def current_revision(connection: Connection) -> str | None:
    """The stored revision, or None for a database without an alembic_version table."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(connection: Connection, target: str = "head") -> None:
    """Upgrade the schema on this connection. Foreign keys are off during batch steps."""
    from alembic import command

    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
    command.upgrade(alembic_config(connection), target)
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys = ON")
