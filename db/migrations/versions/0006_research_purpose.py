"""the default purpose 'Deelname aan onderzoek' in every register

Schools are asked to take part in research (a cohort study of the CBS, a university's study),
and that needs the parents' consent. The purpose joined the defaults in
resources/texts/consent_purposes.json; a new register gets it when it is created. This
revision gives an existing register every default purpose it lacks, matched by code, as
revision 0003 did: one the school already has (also a retired one) is left alone, and an empty
register (being created right now) gets nothing. Each row added is audited as done by the
system ("defaults.add"), chained after the current head, with the digest of the row (see
db.audit.row_digest) so that `verify` sees content the program wrote.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

"""
from datetime import UTC, datetime
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

from db.audit import GENESIS, entry_hash, record_digests
from db.purposes import load_default_purposes
from db.schema import UtcDateTime

# revision identifiers, used by Alembic.
revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
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
audit_entry = sa.table("audit_entry", sa.column("seq", sa.Integer),
                       sa.column("at", UtcDateTime), sa.column("user_id", sa.Integer),
                       sa.column("action", sa.String), sa.column("table_name", sa.String),
                       sa.column("record_id", sa.String), sa.column("prev_hash", sa.String),
                       sa.column("hash", sa.String), sa.column("digest", sa.String))


def upgrade() -> None:
    add_missing_purposes(op.get_bind())


def add_missing_purposes(connection: sa.Connection) -> int:
    """Add the default purposes the register lacks; returns how many were added."""
    if connection.scalar(sa.select(school.c.id).limit(1)) is None:
        return 0
    codes = set(connection.scalars(sa.select(purpose.c.code)))
    missing = [item for item in load_default_purposes() if item["code"] not in codes]
    if not missing:
        return 0
    # the whole rows, as they are stored, for their digests (every column, also retired_at)
    metadata = sa.MetaData()
    reflected = {name: sa.Table(name, metadata, autoload_with=connection)
                 for name in ("consent_purpose", "consent_purpose_text")}
    now = datetime.now(UTC)
    seq = connection.scalar(sa.select(sa.func.max(audit_entry.c.seq))) or 0
    prev = connection.scalar(sa.select(audit_entry.c.hash).where(audit_entry.c.seq == seq))
    chain = [seq, prev or GENESIS]

    def audited(table: sa.TableClause, values: dict) -> int:
        record_id = connection.scalar(sa.insert(table).values(values).returning(table.c.id))
        rid = str(record_id)
        digest = record_digests(connection, table.name, [rid], table=reflected[table.name])[rid]
        seq, prev = chain[0] + 1, chain[1]
        own = entry_hash(seq, now, None, "defaults.add", table.name, rid, prev, digest)
        op.bulk_insert(audit_entry, [{"seq": seq, "at": now, "user_id": None,
                                      "action": "defaults.add", "table_name": table.name,
                                      "record_id": rid, "prev_hash": prev, "hash": own,
                                      "digest": digest}])
        chain[:] = [seq, own]
        return record_id

    for item in missing:
        purpose_id = audited(purpose, {"code": item["code"], "is_image": item["is_image"],
                                       "version": 1, "sort_order": item["sort_order"],
                                       "created_at": now})
        audited(purpose_text, {"purpose_id": purpose_id, "version": 1, "title": item["title"],
                               "text": item["text"], "created_at": now})
    return len(missing)


def downgrade() -> None:
    """Data only: the purposes stay (decisions may refer to them); a school retires one."""
