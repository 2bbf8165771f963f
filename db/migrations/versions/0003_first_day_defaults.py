"""defaults in every register; the reasons for a late breach notification

Registers made by version 0.1.0 through `init` or the first-run dialog got no consent purposes
and no retention terms (only the demo had them), so their consent forms were empty and nothing
was ever due for deletion. This revision adds every default purpose and term the register
lacks, matched by code or category: one the school changed or retired is left alone, a
register that has them all gets nothing, and an empty register (being created right now)
gets nothing either: creating a register adds the defaults itself. Each row added is audited
as done by the system ("defaults.add"), chained like any entry.

It also adds breach.late_reason: the reasons for notifying the Autoriteit Persoonsgegevens
later than 72 hours after discovery (AVG art. 33(1)).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30

"""
from datetime import UTC, datetime
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

from db.audit import GENESIS, entry_hash
from db.purposes import load_default_purposes
from db.retention import load_default_rules
from db.schema import UtcDateTime

# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# The tables as they are at this revision (later columns must not leak into old revisions).
school = sa.table("school", sa.column("id", sa.Integer))
purpose = sa.table("consent_purpose", sa.column("id", sa.Integer), sa.column("code", sa.String),
                   sa.column("is_image", sa.Boolean), sa.column("version", sa.Integer),
                   sa.column("sort_order", sa.Integer), sa.column("created_at", UtcDateTime))
purpose_text = sa.table("consent_purpose_text", sa.column("id", sa.Integer),
                        sa.column("purpose_id", sa.Integer), sa.column("version", sa.Integer),
                        sa.column("title", sa.String), sa.column("text", sa.Text),
                        sa.column("created_at", UtcDateTime))
rule = sa.table("retention_rule", sa.column("id", sa.Integer), sa.column("category", sa.String),
                sa.column("label", sa.String), sa.column("years_after_leaving", sa.Integer),
                sa.column("source", sa.Text))
audit_entry = sa.table("audit_entry", sa.column("seq", sa.Integer),
                       sa.column("at", UtcDateTime), sa.column("user_id", sa.Integer),
                       sa.column("action", sa.String), sa.column("table_name", sa.String),
                       sa.column("record_id", sa.String), sa.column("prev_hash", sa.String),
                       sa.column("hash", sa.String))


def upgrade() -> None:
    with op.batch_alter_table('breach', schema=None) as batch_op:
        batch_op.add_column(sa.Column('late_reason', sa.Text(), nullable=False,
                                      server_default=''))
    add_missing_defaults(op.get_bind())


def add_missing_defaults(connection: sa.Connection) -> None:
    if connection.scalar(sa.select(school.c.id).limit(1)) is None:
        return
    now = datetime.now(UTC)
    seq = connection.scalar(sa.select(sa.func.max(audit_entry.c.seq))) or 0
    prev = connection.scalar(sa.select(audit_entry.c.hash).where(audit_entry.c.seq == seq))
    chain = [seq, prev or GENESIS]

    def audited(table: sa.TableClause, values: dict) -> int:
        record_id = connection.scalar(sa.insert(table).values(values).returning(table.c.id))
        seq, prev = chain[0] + 1, chain[1]
        digest = entry_hash(seq, now, None, "defaults.add", table.name, str(record_id), prev)
        op.bulk_insert(audit_entry, [{"seq": seq, "at": now, "user_id": None,
                                      "action": "defaults.add", "table_name": table.name,
                                      "record_id": str(record_id), "prev_hash": prev,
                                      "hash": digest}])
        chain[:] = [seq, digest]
        return record_id

    codes = set(connection.scalars(sa.select(purpose.c.code)))
    for item in load_default_purposes():
        if item["code"] in codes:
            continue
        purpose_id = audited(purpose, {"code": item["code"], "is_image": item["is_image"],
                                       "version": 1, "sort_order": item["sort_order"],
                                       "created_at": now})
        audited(purpose_text, {"purpose_id": purpose_id, "version": 1, "title": item["title"],
                               "text": item["text"], "created_at": now})
    categories = set(connection.scalars(sa.select(rule.c.category)))
    for item in load_default_rules():
        if item["category"] not in categories:
            audited(rule, dict(item))


def downgrade() -> None:
    with op.batch_alter_table('breach', schema=None) as batch_op:
        batch_op.drop_column('late_reason')
