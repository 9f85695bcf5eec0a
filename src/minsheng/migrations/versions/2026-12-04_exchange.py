"""exchange: keys, peers, the outbox, the inbox, rejections and link tests (川渝通办)

Revision ID: 0024
Revises: 0020
Create Date: 2026-12-04 22:24:51.532075
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0024'
down_revision: str | None = '0023'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('exchange_inbox',
    sa.Column('envelope_id', sa.String(length=36), nullable=False),
    sa.Column('sender', sa.String(length=8), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('sent_at', sa.String(length=40), nullable=False),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('duplicates', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('envelope_id', name=op.f('pk_exchange_inbox'))
    )
    op.create_table('exchange_key',
    sa.Column('key_id', sa.String(length=64), nullable=False),
    sa.Column('private_pem', sa.Text(), nullable=False),
    sa.Column('public_key', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key_id', name=op.f('pk_exchange_key'))
    )
    op.create_table('exchange_peer',
    sa.Column('node_id', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('url', sa.String(length=200), nullable=False),
    sa.Column('signing_key_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('node_id', name=op.f('pk_exchange_peer'))
    )
    op.create_table('exchange_probe',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('envelope_id', sa.String(length=36), nullable=False),
    sa.Column('sender', sa.String(length=8), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_probe'))
    )
    with op.batch_alter_table('exchange_probe', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exchange_probe_envelope_id'), ['envelope_id'], unique=False)

    op.create_table('exchange_rejection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('envelope_id', sa.String(length=64), nullable=False),
    sa.Column('sender', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('reason_code', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_rejection'))
    )
    op.create_table('exchange_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('envelope_id', sa.String(length=36), nullable=False),
    sa.Column('recipient', sa.String(length=8), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('due_ms', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('last_error', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['recipient'], ['exchange_peer.node_id'], name=op.f('fk_exchange_outbox_recipient_exchange_peer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_outbox')),
    sa.UniqueConstraint('envelope_id', name=op.f('uq_exchange_outbox_envelope_id'))
    )
    with op.batch_alter_table('exchange_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exchange_outbox_due_ms'), ['due_ms'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_outbox_state'), ['state'], unique=False)

    op.create_table('exchange_peer_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('node_id', sa.String(length=8), nullable=False),
    sa.Column('key_id', sa.String(length=64), nullable=False),
    sa.Column('public_key', sa.String(length=64), nullable=False),
    sa.Column('valid_until_ms', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['node_id'], ['exchange_peer.node_id'], name=op.f('fk_exchange_peer_key_node_id_exchange_peer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_peer_key')),
    sa.UniqueConstraint('node_id', 'key_id', name=op.f('uq_exchange_peer_key_node_id'))
    )
    with op.batch_alter_table('exchange_peer_key', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exchange_peer_key_node_id'), ['node_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('exchange_peer_key', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exchange_peer_key_node_id'))

    op.drop_table('exchange_peer_key')
    with op.batch_alter_table('exchange_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exchange_outbox_state'))
        batch_op.drop_index(batch_op.f('ix_exchange_outbox_due_ms'))

    op.drop_table('exchange_outbox')
    op.drop_table('exchange_rejection')
    with op.batch_alter_table('exchange_probe', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exchange_probe_envelope_id'))

    op.drop_table('exchange_probe')
    op.drop_table('exchange_peer')
    op.drop_table('exchange_key')
    op.drop_table('exchange_inbox')
