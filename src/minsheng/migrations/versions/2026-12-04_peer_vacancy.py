"""peer vacancy: vacancies of the other province on the job board (川渝招聘求职一点通)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-04 23:00:46.113981
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0025'
down_revision: str | None = '0024'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('peer_vacancy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('origin_node', sa.String(length=8), nullable=False),
    sa.Column('origin_id', sa.Integer(), nullable=False),
    sa.Column('origin_version', sa.Integer(), nullable=False),
    sa.Column('employer_name', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('occupation_code', sa.String(length=8), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('education_required', sa.Integer(), nullable=False),
    sa.Column('pay_min', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('pay_max', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('headcount', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('posted_date', sa.Date(), nullable=False),
    sa.CheckConstraint("status IN ('open','closed')", name=op.f('ck_peer_vacancy_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_peer_vacancy')),
    sa.UniqueConstraint('origin_node', 'origin_id', name=op.f('uq_peer_vacancy_origin_node'))
    )
    with op.batch_alter_table('peer_vacancy', schema=None) as batch_op:
        batch_op.create_index('ix_peer_vacancy_status_posted', ['status', 'posted_date'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('peer_vacancy', schema=None) as batch_op:
        batch_op.drop_index('ix_peer_vacancy_status_posted')

    op.drop_table('peer_vacancy')
