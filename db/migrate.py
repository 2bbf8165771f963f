"""Alembic, run in-process on the live (encrypted) connection."""

from __future__ import annotations

from functools import cache

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", "db:migrations")
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@cache
def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


@cache
def head_revision() -> str:
    return script_directory().get_current_head()


@cache
def known_revisions() -> frozenset[str]:
    return frozenset(rev.revision for rev in script_directory().walk_revisions())


def current_revision(connection: Connection) -> str | None:
    """The stored revision, or None for a database without an alembic_version table."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(connection: Connection, target: str = "head") -> None:
    """Upgrade the schema on this connection. Foreign keys are off during batch steps."""
    connection.exec_driver_sql("PRAGMA foreign_keys = OFF") if _is_sqlite(connection) else None
    command.upgrade(alembic_config(connection), target)
    connection.exec_driver_sql("PRAGMA foreign_keys = ON") if _is_sqlite(connection) else None


def _is_sqlite(connection: Connection) -> bool:
    return connection.dialect.name == "sqlite"
