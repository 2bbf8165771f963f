"""the school's own register of processing activities; its own school-guide texts

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

Adds the register of processing activities (AVG art. 30(1)), linked to the suppliers and
retention terms of the register, and the table for the school's own wording of the school-guide
privacy paragraph. An existing register (one with a school) gets the default activities from
resources/texts/processing_register.json, linked to its retention terms by category and to its
suppliers by name, each row audited by the system as "defaults.add" with its digest, so that
`verify` reports no change. A register being created right now (no school yet) gets nothing
here: creating a register adds the defaults itself.

Chained after 0005 on this branch; revision 0006 (being written beside it) goes in between
when both are merged.
"""
from datetime import UTC, datetime
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

from db.audit import GENESIS, entry_hash, record_digests
from db.processing import TEXT_FIELDS, default_activities, suggested_suppliers
from db.schema import UtcDateTime

# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# The tables as they are at this revision (later columns must not leak into old revisions).
school = sa.table("school", sa.column("id", sa.Integer))
supplier = sa.table("supplier", sa.column("id", sa.Integer), sa.column("name", sa.String),
                    sa.column("product", sa.String))
rule = sa.table("retention_rule", sa.column("id", sa.Integer), sa.column("category", sa.String))
audit_entry = sa.table("audit_entry", sa.column("seq", sa.Integer),
                       sa.column("at", UtcDateTime), sa.column("user_id", sa.Integer),
                       sa.column("action", sa.String), sa.column("table_name", sa.String),
                       sa.column("record_id", sa.String), sa.column("prev_hash", sa.String),
                       sa.column("hash", sa.String), sa.column("digest", sa.String))


def upgrade() -> None:
    activity = op.create_table(
        'processing_activity',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=64), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('purposes', sa.Text(), nullable=False),
        sa.Column('subjects', sa.Text(), nullable=False),
        sa.Column('data_categories', sa.Text(), nullable=False),
        sa.Column('legal_basis', sa.Text(), nullable=False),
        sa.Column('recipients', sa.Text(), nullable=False),
        sa.Column('transfers', sa.Text(), nullable=False),
        sa.Column('retention', sa.Text(), nullable=False),
        sa.Column('security', sa.Text(), nullable=False),
        sa.Column('sort_order', sa.Integer(), nullable=False),
        sa.Column('retired_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_processing_activity')),
        sa.UniqueConstraint('code', name=op.f('uq_processing_activity_code')),
    )
    activity_supplier = op.create_table(
        'processing_activity_supplier',
        sa.Column('activity_id', sa.Integer(), nullable=False),
        sa.Column('supplier_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['activity_id'], ['processing_activity.id'],
            name=op.f('fk_processing_activity_supplier_activity_id_processing_activity')),
        sa.ForeignKeyConstraint(
            ['supplier_id'], ['supplier.id'],
            name=op.f('fk_processing_activity_supplier_supplier_id_supplier')),
        sa.PrimaryKeyConstraint('activity_id', 'supplier_id',
                                name=op.f('pk_processing_activity_supplier')),
    )
    activity_retention = op.create_table(
        'processing_activity_retention',
        sa.Column('activity_id', sa.Integer(), nullable=False),
        sa.Column('rule_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['activity_id'], ['processing_activity.id'],
            name=op.f('fk_processing_activity_retention_activity_id_processing_activity')),
        sa.ForeignKeyConstraint(
            ['rule_id'], ['retention_rule.id'],
            name=op.f('fk_processing_activity_retention_rule_id_retention_rule')),
        sa.PrimaryKeyConstraint('activity_id', 'rule_id',
                                name=op.f('pk_processing_activity_retention')),
    )
    op.create_table(
        'school_guide_section',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('updated_by', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['updated_by'], ['app_user.id'],
                                name=op.f('fk_school_guide_section_updated_by_app_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_school_guide_section')),
        sa.UniqueConstraint('key', name=op.f('uq_school_guide_section_key')),
    )
    add_default_activities(op.get_bind(), activity, activity_supplier, activity_retention)


def add_default_activities(connection: sa.Connection, activity: sa.Table,
                           activity_supplier: sa.Table, activity_retention: sa.Table) -> None:
    if connection.scalar(sa.select(school.c.id).limit(1)) is None:
        return
    now = datetime.now(UTC)
    seq = connection.scalar(sa.select(sa.func.max(audit_entry.c.seq))) or 0
    prev = connection.scalar(sa.select(audit_entry.c.hash).where(audit_entry.c.seq == seq))
    chain = [seq, prev or GENESIS]

    def audited(table: sa.Table, record_id: str) -> None:
        digest = record_digests(connection, table.name, [record_id], table=table)[record_id]
        seq, prev = chain[0] + 1, chain[1]
        own = entry_hash(seq, now, None, "defaults.add", table.name, record_id, prev, digest)
        op.bulk_insert(audit_entry, [{"seq": seq, "at": now, "user_id": None,
                                      "action": "defaults.add", "table_name": table.name,
                                      "record_id": record_id, "prev_hash": prev, "hash": own,
                                      "digest": digest}])
        chain[:] = [seq, own]

    rules = {category: rule_id for rule_id, category
             in connection.execute(sa.select(rule.c.id, rule.c.category))}
    suppliers = [tuple(row) for row in connection.execute(
        sa.select(supplier.c.id, supplier.c.name, supplier.c.product).order_by(supplier.c.id))]
    for item in default_activities():
        values = {name: item.get(name, "") for name in TEXT_FIELDS}
        activity_id = connection.scalar(sa.insert(activity).values(
            code=item["code"], sort_order=item["sort_order"], retired_at=None,
            created_at=now.replace(tzinfo=None), **values).returning(activity.c.id))
        audited(activity, str(activity_id))
        for rule_id in sorted({rules[c] for c in item["retention_categories"] if c in rules}):
            op.bulk_insert(activity_retention, [{"activity_id": activity_id,
                                                 "rule_id": rule_id}])
            audited(activity_retention, f"{activity_id}/{rule_id}")
        for supplier_id in suggested_suppliers(item["supplier_hints"], suppliers):
            op.bulk_insert(activity_supplier, [{"activity_id": activity_id,
                                                "supplier_id": supplier_id}])
            audited(activity_supplier, f"{activity_id}/{supplier_id}")


def downgrade() -> None:
    op.drop_table('school_guide_section')
    op.drop_table('processing_activity_retention')
    op.drop_table('processing_activity_supplier')
    op.drop_table('processing_activity')
