"""one pupil per source-system key (leerlingnummer) in the register

Two imports of the same file at the same time used to store every pupil twice. The importer
now takes the write lock before it reads, and this revision makes a second pupil with the same
source key impossible in the engine: a unique constraint on (source_key, legacy_duplicate).
A register holds one school, so this is "unique per school"; several NULL keys (pupils entered
by hand) stay allowed, as NULLs are distinct in SQLite and PostgreSQL alike.

Registers made before this revision may already hold such duplicates. They are left alone,
by scoping rather than by merging or deleting: a duplicate may have gathered consents,
guardians and an audit trail of its own since, and which of two records is "the" pupil is the
school's call, not a migration's. So:

- every pupil gets legacy_duplicate = 0;
- of the pupils that share a source key, the oldest (lowest id) keeps 0 and each later one
  gets its own id, which makes it unique without changing a value the office sees;
- the constraint then holds for every pupil, and only one pupil per key (the one with 0) can
  ever be matched by an import. The next import lists the later duplicates as "niet meer in
  het bestand", which is where the office sees them and can mark them as left; nothing is
  deleted or rewritten here.

Dialect-neutral: batch_alter_table (SQLite rebuilds the table) and one Core UPDATE with a
correlated subquery, which SQLite and PostgreSQL both run.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('pupil', schema=None) as batch_op:
        batch_op.add_column(sa.Column('legacy_duplicate', sa.Integer(), nullable=False,
                                      server_default='0'))

    pupil = sa.table('pupil', sa.column('id', sa.Integer), sa.column('source_key', sa.String),
                     sa.column('legacy_duplicate', sa.Integer))
    older = pupil.alias('older')
    oldest_with_key = (sa.select(sa.func.min(older.c.id))
                       .where(older.c.source_key == pupil.c.source_key)
                       .scalar_subquery())
    op.execute(sa.update(pupil)
               .where(pupil.c.source_key.is_not(None), pupil.c.id != oldest_with_key)
               .values(legacy_duplicate=pupil.c.id))

    with op.batch_alter_table('pupil', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_pupil_source_key',
                                          ['source_key', 'legacy_duplicate'])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('pupil', schema=None) as batch_op:
        batch_op.drop_constraint('uq_pupil_source_key', type_='unique')
        batch_op.drop_column('legacy_duplicate')
