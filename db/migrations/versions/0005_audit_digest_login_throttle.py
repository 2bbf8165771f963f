"""audit entries carry the digest of their record; failed log-ins are throttled

Revision ID: 0005
Revises: 0002
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
down_revision: Union[str, Sequence[str], None] = '0002'
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
    """One 'audit.baseline' entry (by the system, user_id NULL) per existing audited row."""
    from datetime import UTC, datetime

    from db.audit import COVERED, GENESIS, entry_hash, record_digests

    audit_entry = sa.table(
        'audit_entry', sa.column('seq', sa.Integer), sa.column('at', sa.DateTime),
        sa.column('user_id', sa.Integer), sa.column('action', sa.String),
        sa.column('table_name', sa.String), sa.column('record_id', sa.String),
        sa.column('prev_hash', sa.String), sa.column('hash', sa.String),
        sa.column('digest', sa.String))
    last = connection.execute(
        sa.select(audit_entry.c.seq, audit_entry.c.hash)
        .order_by(audit_entry.c.seq.desc()).limit(1)).first()
    seq, prev = (last[0], last[1]) if last else (0, GENESIS)
    at = datetime.now(UTC)
    rows = []
    for table_name in COVERED:
        # reflected, not db.schema's model: the columns as they are at this revision
        table = sa.Table(table_name, sa.MetaData(), autoload_with=connection)
        for record_id, digest in record_digests(connection, table_name, table=table).items():
            seq += 1
            own = entry_hash(seq, at, None, 'audit.baseline', table_name, record_id, prev,
                             digest)
            rows.append({'seq': seq, 'at': at.replace(tzinfo=None), 'user_id': None,
                         'action': 'audit.baseline', 'table_name': table_name,
                         'record_id': record_id, 'prev_hash': prev, 'hash': own,
                         'digest': digest})
            prev = own
    for start in range(0, len(rows), 5000):
        connection.execute(sa.insert(audit_entry), rows[start:start + 5000])


def downgrade() -> None:
    """Downgrade schema. Entries written with a digest no longer verify after this."""
    op.drop_table('login_throttle')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_column('digest')
