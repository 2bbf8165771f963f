"""audit entries carry the digest of their record; failed log-ins are throttled

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

Adds audit_entry.digest (nullable: older entries keep hashing as before) and the table
login_throttle. Every row that already exists in an audited table gets its digest once, in an
"audit.baseline" entry by the system, so that `verify` can tell later changes made outside
the program from the content the register had when this revision was applied.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digest', sa.String(length=64), nullable=True))

    op.create_table(
        'login_throttle',
        sa.Column('name_hash', sa.String(length=64), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('last_failure_at', sa.DateTime(), nullable=True),
        sa.Column('locked_out_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('name_hash', name=op.f('pk_login_throttle')),
    )
    _baseline(op.get_bind())


def _baseline(connection: sa.Connection) -> None:
    """One 'audit.baseline' entry (by the system, user_id NULL) per existing audited row,
    digested from the tables as reflected at this revision (not from today's models)."""
    from db.audit import COVERED, record_baseline

    metadata = sa.MetaData()
    present = sa.inspect(connection)  # tables covered later are made by later revisions
    tables = [sa.Table(name, metadata, autoload_with=connection) for name in COVERED
              if present.has_table(name)]
    audit_entry = sa.Table('audit_entry', metadata, autoload_with=connection)
    record_baseline(connection, tables, audit_table=audit_entry)


def downgrade() -> None:
    """Downgrade schema. Entries written with a digest no longer verify after this."""
    op.drop_table('login_throttle')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_column('digest')
