"""every row belongs to a school; on PostgreSQL the engine keeps the schools apart

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

One server database holds the schools of a board (issue 15). Every school-owned table gets
`school_id` (NOT NULL, a foreign key to school, indexed: every query of a school filters on
it). The rows that exist get the register's one school (a register of an older release holds
exactly one; a register with rows but no school, which the program never makes, gets a school
"Onbekende school" so nothing is lost).

Global (no school_id): alembic_version, school itself (its id is the school), login_throttle
(keyed hashes of typed names, counted before anyone is known to belong to a school).
The program's role may add the first school of an empty register (set-up, as before);
further schools are added by the owner (db.register.add_school).
Partly global: `setting` rows without a school belong to the register (its database id);
`app_user` rows without a school are board accounts (bestuur, the board's FG).

What was unique in the register is now unique per school: a setting's key, a user name, a
pupil's source key (with legacy_duplicate, see 0004), a breach's reference, a consent
purpose's code, a retention term's category, a processing activity's code and a school-guide
section's key. `setting` is rebuilt with a surrogate id (its key was its primary key).

The audit log becomes one chain per school: audit_entry gets school_id and its key becomes
(school_id, seq), so each school's chain counts from 1. The hash of an entry is unchanged
(school_id is not hashed, and not part of a row's digest either: db.audit), so an existing
chain verifies with the same head as before this revision.

PostgreSQL only (SQLite has no row-level security; a file holds one school): ROW LEVEL
SECURITY on every table with a school_id, with policies on two settings the program sets per
transaction (db/tenancy.py): `privacyregister.school` (the school of the session) and
`privacyregister.board` ('on' for a board session). A school session sees and writes its own
school's rows only (WITH CHECK refuses a row for another school); a board session reads every
school and writes nothing but its audit entries; without a setting nothing is visible. The
owner of the tables (who runs this revision) is not subject to the policies (no FORCE).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# every table whose rows belong to one school (as of this revision)
OWNED = ('pupil', 'guardian', 'pupil_guardian', 'special_category_record', 'consent_purpose',
         'consent_purpose_text', 'consent_event', 'breach', 'breach_measure', 'breach_amendment',
         'vulnerability_report', 'data_request', 'supplier', 'exchange', 'exchange_pupil',
         'retention_rule', 'erasure', 'processing_activity', 'processing_activity_supplier',
         'processing_activity_retention', 'school_guide_section')
# (table, old unique constraint, its columns, new constraint, its columns)
UNIQUE = (
    ('pupil', 'uq_pupil_source_key', ['source_key', 'legacy_duplicate'],
     'uq_pupil_school_source_key', ['school_id', 'source_key', 'legacy_duplicate']),
    ('consent_purpose', 'uq_consent_purpose_code', ['code'],
     'uq_consent_purpose_school_code', ['school_id', 'code']),
    ('breach', 'uq_breach_reference', ['reference'],
     'uq_breach_school_reference', ['school_id', 'reference']),
    ('retention_rule', 'uq_retention_rule_category', ['category'],
     'uq_retention_rule_school_category', ['school_id', 'category']),
    ('processing_activity', 'uq_processing_activity_code', ['code'],
     'uq_processing_activity_school_code', ['school_id', 'code']),
    ('school_guide_section', 'uq_school_guide_section_key', ['key'],
     'uq_school_guide_section_school_key', ['school_id', 'key']),
    ('app_user', 'uq_app_user_username', ['username'],
     'uq_app_user_school_username', ['school_id', 'username']),
)

SCHOOL = "NULLIF(current_setting('privacyregister.school', true), '')::integer"
BOARD = "coalesce(current_setting('privacyregister.board', true), '') = 'on'"


def _the_school(connection: sa.Connection) -> tuple[int | None, bool]:
    """The register's one school, and whether it was made here ("Onbekende school") because
    rows exist without one."""
    school = sa.table('school', sa.column('id'), sa.column('name'), sa.column('brin'),
                      sa.column('fg_name'), sa.column('fg_email'), sa.column('created_at'))
    ids = connection.execute(sa.select(school.c.id).order_by(school.c.id)).scalars().all()
    if len(ids) > 1:
        raise RuntimeError("a register before 0009 holds one school")
    if ids:
        return ids[0], False
    present = sa.inspect(connection)
    for name in (*OWNED, 'app_user', 'audit_entry'):
        if not present.has_table(name):
            continue
        if connection.execute(sa.select(sa.func.count()).select_from(sa.table(name))).scalar():
            from datetime import UTC, datetime

            now = datetime.now(UTC).replace(tzinfo=None)
            return connection.execute(sa.insert(school).values(
                name='Onbekende school', brin='', fg_name='', fg_email='', created_at=now)
                .returning(school.c.id)).scalar_one(), True
    return None, False


def _fill(name: str, school_id: int | None, where: sa.ColumnElement | None = None) -> None:
    if school_id is None:
        return
    table = sa.table(name, sa.column('school_id'))
    statement = sa.update(table).values(school_id=school_id)
    op.execute(statement if where is None else statement.where(where))


def upgrade() -> None:
    """Upgrade schema."""
    connection = op.get_bind()
    school_id, made_here = _the_school(connection)
    old_unique = {table: (old, new, columns) for table, old, _, new, columns in UNIQUE}

    for name in (*OWNED, 'app_user'):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.add_column(sa.Column('school_id', sa.Integer(), nullable=True))
        _fill(name, school_id)
        with op.batch_alter_table(name, schema=None) as batch_op:
            if name != 'app_user':  # a board account has no school
                batch_op.alter_column('school_id', existing_type=sa.Integer(), nullable=False)
            batch_op.create_foreign_key(batch_op.f(f'fk_{name}_school_id_school'), 'school',
                                        ['school_id'], ['id'])
            batch_op.create_index(batch_op.f(f'ix_{name}_school_id'), ['school_id'],
                                  unique=False)
            if name in old_unique:
                old, new, columns = old_unique[name]
                batch_op.drop_constraint(old, type_='unique')
                batch_op.create_unique_constraint(new, columns)

    _rebuild_setting(connection, school_id)

    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('school_id', sa.Integer(), nullable=True))
    _fill('audit_entry', school_id)
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_constraint('pk_audit_entry', type_='primary')
        batch_op.alter_column('school_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_primary_key('pk_audit_entry', ['school_id', 'seq'])
        batch_op.create_foreign_key(batch_op.f('fk_audit_entry_school_id_school'), 'school',
                                    ['school_id'], ['id'])

    if made_here:  # the school made here is recorded in its chain, as 0005 recorded rows
        from db.audit import record_baseline

        metadata = sa.MetaData()
        record_baseline(connection, [sa.Table('school', metadata, autoload_with=connection)],
                        audit_table=sa.Table('audit_entry', metadata, autoload_with=connection))

    if connection.dialect.name == 'postgresql':
        for statement in _row_level_security():
            op.execute(sa.DDL(statement))


def _rebuild_setting(connection: sa.Connection, school_id: int | None) -> None:
    """setting(key PK, value) → setting(id PK, school_id, key, value), unique per school.
    The database id stays the register's (no school); every other key is the school's."""
    old = sa.table('setting', sa.column('key'), sa.column('value'))
    rows = connection.execute(sa.select(old.c.key, old.c.value)).all()
    op.drop_table('setting')
    new = op.create_table(
        'setting',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=True),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('value', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['school_id'], ['school.id'],
                                name=op.f('fk_setting_school_id_school')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_setting')),
        sa.UniqueConstraint('school_id', 'key', name='uq_setting_school_key'),
    )
    op.create_index(op.f('ix_setting_school_id'), 'setting', ['school_id'], unique=False)
    if rows:
        op.bulk_insert(new, [{"school_id": None if key == 'database_id' else school_id,
                              "key": key, "value": value} for key, value in rows])


def _row_level_security() -> list[str]:
    """The policies (PostgreSQL). A school session: its own rows. A board session: read all,
    add audit entries. Board accounts and the register's settings: readable by every session
    (logging in needs them; a board account's password is an argon2 hash)."""
    statements = []
    own = f"school_id = {SCHOOL}"
    for name in (*OWNED, 'app_user', 'setting', 'audit_entry'):
        statements += [
            f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY",
            f"CREATE POLICY school_rows ON {name} USING ({own}) WITH CHECK ({own})",
            f"CREATE POLICY board_reads ON {name} FOR SELECT USING ({BOARD})",
        ]
    statements += [
        "CREATE POLICY board_accounts ON app_user FOR SELECT USING (school_id IS NULL)",
        "CREATE POLICY register_settings ON setting FOR SELECT USING (school_id IS NULL)",
        f"CREATE POLICY board_audit ON audit_entry FOR INSERT WITH CHECK ({BOARD})",
        "ALTER TABLE school ENABLE ROW LEVEL SECURITY",
        "CREATE POLICY school_names ON school FOR SELECT USING (true)",
        # the program sets up an empty register (first-run, demo) as before; a further
        # school is added by the owner
        "CREATE POLICY first_school ON school FOR INSERT "
        "WITH CHECK (NOT EXISTS (SELECT 1 FROM school))",
        f"CREATE POLICY school_rows ON school USING (id = {SCHOOL}) WITH CHECK (id = {SCHOOL})",
    ]
    return statements


def downgrade() -> None:
    """Downgrade schema (a register with one school only)."""
    connection = op.get_bind()
    school = sa.table('school', sa.column('id'))
    if connection.execute(sa.select(sa.func.count()).select_from(school)).scalar() > 1:
        raise RuntimeError("a register with several schools cannot go back before 0009")
    if connection.dialect.name == 'postgresql':
        for name in (*OWNED, 'app_user', 'setting', 'audit_entry', 'school'):
            for policy in ('school_rows', 'board_reads', 'board_accounts', 'register_settings',
                           'board_audit', 'school_names', 'first_school'):
                op.execute(sa.DDL(f"DROP POLICY IF EXISTS {policy} ON {name}"))
            op.execute(sa.DDL(f"ALTER TABLE {name} DISABLE ROW LEVEL SECURITY"))
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_constraint('fk_audit_entry_school_id_school', type_='foreignkey')
        batch_op.drop_constraint('pk_audit_entry', type_='primary')
        batch_op.create_primary_key('pk_audit_entry', ['seq'])
        batch_op.drop_column('school_id')
    setting = sa.table('setting', sa.column('key'), sa.column('value'))
    rows = connection.execute(sa.select(setting.c.key, setting.c.value)).all()
    op.drop_index(op.f('ix_setting_school_id'), table_name='setting')
    op.drop_table('setting')
    old = op.create_table(
        'setting',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('value', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_setting')),
    )
    if rows:
        op.bulk_insert(old, [{"key": key, "value": value} for key, value in rows])
    new_unique = {table: (old_name, columns, new) for table, old_name, columns, new, _ in UNIQUE}
    for name in (*OWNED, 'app_user'):
        with op.batch_alter_table(name, schema=None) as batch_op:
            if name in new_unique:
                old_name, columns, new = new_unique[name]
                batch_op.drop_constraint(new, type_='unique')
                batch_op.create_unique_constraint(old_name, columns)
            batch_op.drop_index(batch_op.f(f'ix_{name}_school_id'))
            batch_op.drop_constraint(batch_op.f(f'fk_{name}_school_id_school'),
                                     type_='foreignkey')
            batch_op.drop_column('school_id')
