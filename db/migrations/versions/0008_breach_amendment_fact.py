"""an amendment to a breach names the fact it amends

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

Adds breach_amendment.fact (db.breaches.BreachFact: what, when, kind, data, people,
measures, other), so the breach detail lists each amendment under the fact it amends.
Amendments made before this revision keep '' (shown under "Overig"). The column changes the
table's digest, so every existing amendment gets its new digest once, in an "audit.baseline"
entry by the system, as revision 0005 did for every audited table.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('breach_amendment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fact', sa.String(length=16), nullable=False,
                                      server_default=''))
    _baseline(op.get_bind())


def _baseline(connection: sa.Connection) -> None:
    from db.audit import record_baseline

    metadata = sa.MetaData()
    amendments = sa.Table('breach_amendment', metadata, autoload_with=connection)
    audit_entry = sa.Table('audit_entry', metadata, autoload_with=connection)
    record_baseline(connection, [amendments], audit_table=audit_entry)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('breach_amendment', schema=None) as batch_op:
        batch_op.drop_column('fact')
    _baseline(op.get_bind())
