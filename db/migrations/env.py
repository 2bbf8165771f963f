"""Alembic environment: always given a live connection by db.migrate (never a URL)."""

from alembic import context

from db.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("db.migrate passes the live connection; run migrations through it")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
