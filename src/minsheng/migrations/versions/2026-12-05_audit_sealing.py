"""audit: events appended without a lock and sealed into the chain after commit

Existing events keep their position (``link = seq``), so their hashes stay valid.

Revision ID: 0030
Revises: 0025
Create Date: 2026-12-05 01:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0030'
down_revision: str | None = '0025'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_POSITION = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('link', _POSITION, nullable=True))
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=True)
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=True)
    op.execute("UPDATE audit_event SET link = seq")
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index('ix_audit_event_link', ['link'], unique=True)
        batch_op.create_index('ix_audit_event_unsealed', ['seq'], unique=False,
                              postgresql_where=sa.text('link IS NULL'),
                              sqlite_where=sa.text('link IS NULL'))
    with op.batch_alter_table('scorecard_snapshot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audit_last_event', _POSITION, server_default='0',
                                      nullable=False))
    if op.get_bind().dialect.name == "postgresql":
        # ``seq`` was assigned by the application until now; the database assigns it from here.
        op.execute("SELECT setval(pg_get_serial_sequence('audit_event', 'seq'), "
                   "COALESCE(max(seq), 0) + 1, false) FROM audit_event")


def downgrade() -> None:
    with op.batch_alter_table('scorecard_snapshot', schema=None) as batch_op:
        batch_op.drop_column('audit_last_event')
    # The old chain numbered events by their position: every event must be sealed first.
    unsealed = op.get_bind().execute(
        sa.text("SELECT count(*) FROM audit_event WHERE link IS NULL")).scalar_one()
    if unsealed:
        raise RuntimeError(f"{unsealed} audit events are not sealed yet; run "
                           "`minsheng audit verify` (it seals them) before downgrading")
    op.execute("UPDATE audit_event SET seq = -link")
    op.execute("UPDATE audit_event SET seq = -seq")
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_unsealed', sqlite_where=sa.text('link IS NULL'),
                            postgresql_where=sa.text('link IS NULL'))
        batch_op.drop_index('ix_audit_event_link')
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_column('link')
