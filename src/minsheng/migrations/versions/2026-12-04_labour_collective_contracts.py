"""labour collective contracts: 集体合同 filed with the employees they cover

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04 20:32:16.405275
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('labour_collective_contract',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=False),
    sa.Column('employees_covered', sa.Integer(), nullable=False),
    sa.Column('filed_on', sa.Date(), nullable=False),
    sa.Column('filed_by', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('general','wages','women','safety')", name=op.f('ck_labour_collective_contract_kind')),
    sa.CheckConstraint('employees_covered >= 1', name=op.f('ck_labour_collective_contract_covered')),
    sa.CheckConstraint('end_on >= start_on', name=op.f('ck_labour_collective_contract_dates')),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], name=op.f('fk_labour_collective_contract_employer_id_employer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_labour_collective_contract'))
    )
    with op.batch_alter_table('labour_collective_contract', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_labour_collective_contract_employer_id'), ['employer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_labour_collective_contract_region'), ['region'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('labour_collective_contract', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_labour_collective_contract_region'))
        batch_op.drop_index(batch_op.f('ix_labour_collective_contract_employer_id'))

    op.drop_table('labour_collective_contract')
