"""a version number on the rows an office edits in a form (optimistic version check)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

Adds `version` (integer, 1 for every existing row) to pupil, guardian, breach, data_request
and supplier. db.schema maps it as SQLAlchemy's version_id_col: every UPDATE or DELETE of such
a row says "AND version = <the version read>" and raises the version by one, so of two
workstations saving the same pupil or breach the second is refused (db.errors.
ChangedElsewhereError) instead of silently overwriting the first (issue 15, point 5).

The new column changes these tables' digests, so every existing row of them gets its new
digest once, in an "audit.baseline" entry by the system, as revisions 0005 and 0008 did.

Written beside revision 0009 (a school on every row, one audit chain per school) and put after
it when both were merged (nothing here depends on 0009's content; each school's rows get their
baseline in that school's chain).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0010'
down_revision: Union[str, Sequence[str], None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

VERSIONED = ('pupil', 'guardian', 'breach', 'data_request', 'supplier')


def upgrade() -> None:
    """Upgrade schema."""
    for name in VERSIONED:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False,
                                          server_default='1'))
    _baseline(op.get_bind())


def _baseline(connection: sa.Connection) -> None:
    from db.audit import record_baseline

    metadata = sa.MetaData()
    tables = [sa.Table(name, metadata, autoload_with=connection) for name in VERSIONED]
    audit_entry = sa.Table('audit_entry', metadata, autoload_with=connection)
    record_baseline(connection, tables, audit_table=audit_entry)


def downgrade() -> None:
    """Downgrade schema."""
    for name in VERSIONED:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_column('version')
    _baseline(op.get_bind())
