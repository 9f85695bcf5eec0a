"""labour relations: disputes in arbitration, inspection complaints, labour contracts and
tripartite coordination bodies (hrss/labour)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 19:56:19.507452
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('labour_tripartite_body',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('level', sa.String(length=8), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('established_on', sa.Date(), nullable=False),
    sa.Column('dissolved_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("level IN ('city','district','town','park')", name=op.f('ck_labour_tripartite_body_level')),
    sa.CheckConstraint('dissolved_on IS NULL OR dissolved_on >= established_on', name=op.f('ck_labour_tripartite_body_dates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_labour_tripartite_body'))
    )
    with op.batch_alter_table('labour_tripartite_body', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_labour_tripartite_body_region'), ['region'], unique=False)

    op.create_table('labour_complaint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_no', sa.String(length=32), nullable=False),
    sa.Column('complainant_person_id', sa.Integer(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('acceptance_due', sa.Date(), nullable=False),
    sa.Column('violation_on', sa.Date(), nullable=True),
    sa.Column('violation_ended_on', sa.Date(), nullable=True),
    sa.Column('wage_arrears_amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('workers_affected', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('accepted_on', sa.Date(), nullable=True),
    sa.Column('investigation_due', sa.Date(), nullable=True),
    sa.Column('extended', sa.Boolean(), nullable=False),
    sa.Column('extension_note', sa.String(length=200), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('recovered_amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(state = 'closed') = (outcome IS NOT NULL)", name=op.f('ck_labour_complaint_closed_outcome')),
    sa.CheckConstraint("outcome IS NULL OR outcome IN ('rectified','penalised','transferred','unfounded','not_accepted')", name=op.f('ck_labour_complaint_outcome')),
    sa.CheckConstraint("state IN ('received','investigating','closed')", name=op.f('ck_labour_complaint_state')),
    sa.CheckConstraint('wage_arrears_amount >= 0 AND recovered_amount >= 0', name=op.f('ck_labour_complaint_amounts')),
    sa.CheckConstraint('workers_affected >= 0', name=op.f('ck_labour_complaint_workers')),
    sa.ForeignKeyConstraint(['complainant_person_id'], ['person.id'], name=op.f('fk_labour_complaint_complainant_person_id_person')),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], name=op.f('fk_labour_complaint_employer_id_employer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_labour_complaint')),
    sa.UniqueConstraint('case_no', name=op.f('uq_labour_complaint_case_no'))
    )
    with op.batch_alter_table('labour_complaint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_labour_complaint_complainant_person_id'), ['complainant_person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_labour_complaint_employer_id'), ['employer_id'], unique=False)
        batch_op.create_index('ix_labour_complaint_received', ['received_on'], unique=False)
        batch_op.create_index('ix_labour_complaint_region_state', ['region', 'state'], unique=False)

    op.create_table('labour_contract',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=True),
    sa.Column('probation_months', sa.Integer(), nullable=False),
    sa.Column('terminated_on', sa.Date(), nullable=True),
    sa.Column('filed_by', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('fixed_term','open_ended','per_task')", name=op.f('ck_labour_contract_kind')),
    sa.CheckConstraint('end_on IS NULL OR end_on >= start_on', name=op.f('ck_labour_contract_dates')),
    sa.CheckConstraint('probation_months BETWEEN 0 AND 6', name=op.f('ck_labour_contract_probation')),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], name=op.f('fk_labour_contract_employer_id_employer')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_labour_contract_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_labour_contract'))
    )
    with op.batch_alter_table('labour_contract', schema=None) as batch_op:
        batch_op.create_index('ix_labour_contract_employer', ['employer_id', 'end_on'], unique=False)
        batch_op.create_index('ix_labour_contract_person', ['person_id', 'start_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_labour_contract_region'), ['region'], unique=False)

    op.create_table('labour_dispute',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_no', sa.String(length=32), nullable=False),
    sa.Column('applicant_person_id', sa.Integer(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('claim_type', sa.String(length=24), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('acceptance_due', sa.Date(), nullable=False),
    sa.Column('knew_on', sa.Date(), nullable=True),
    sa.Column('employment_ended_on', sa.Date(), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('accepted_on', sa.Date(), nullable=True),
    sa.Column('award_due', sa.Date(), nullable=True),
    sa.Column('final_award', sa.Boolean(), nullable=True),
    sa.Column('mediation_started_on', sa.Date(), nullable=True),
    sa.Column('mediation_due', sa.Date(), nullable=True),
    sa.Column('extension_days', sa.Integer(), nullable=False),
    sa.Column('extension_note', sa.String(length=200), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(state = 'closed') = (outcome IS NOT NULL)", name=op.f('ck_labour_dispute_closed_outcome')),
    sa.CheckConstraint("outcome IS NULL OR outcome IN ('mediated','awarded','withdrawn','not_accepted')", name=op.f('ck_labour_dispute_outcome')),
    sa.CheckConstraint("state IN ('received','arbitrating','mediating','closed')", name=op.f('ck_labour_dispute_state')),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_labour_dispute_amount')),
    sa.CheckConstraint('extension_days BETWEEN 0 AND 15', name=op.f('ck_labour_dispute_extension')),
    sa.ForeignKeyConstraint(['applicant_person_id'], ['person.id'], name=op.f('fk_labour_dispute_applicant_person_id_person')),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], name=op.f('fk_labour_dispute_employer_id_employer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_labour_dispute')),
    sa.UniqueConstraint('case_no', name=op.f('uq_labour_dispute_case_no'))
    )
    with op.batch_alter_table('labour_dispute', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_labour_dispute_applicant_person_id'), ['applicant_person_id'], unique=False)
        batch_op.create_index('ix_labour_dispute_closed', ['closed_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_labour_dispute_employer_id'), ['employer_id'], unique=False)
        batch_op.create_index('ix_labour_dispute_received', ['received_on'], unique=False)
        batch_op.create_index('ix_labour_dispute_region_state', ['region', 'state'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('labour_dispute', schema=None) as batch_op:
        batch_op.drop_index('ix_labour_dispute_region_state')
        batch_op.drop_index('ix_labour_dispute_received')
        batch_op.drop_index(batch_op.f('ix_labour_dispute_employer_id'))
        batch_op.drop_index('ix_labour_dispute_closed')
        batch_op.drop_index(batch_op.f('ix_labour_dispute_applicant_person_id'))

    op.drop_table('labour_dispute')
    with op.batch_alter_table('labour_contract', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_labour_contract_region'))
        batch_op.drop_index('ix_labour_contract_person')
        batch_op.drop_index('ix_labour_contract_employer')

    op.drop_table('labour_contract')
    with op.batch_alter_table('labour_complaint', schema=None) as batch_op:
        batch_op.drop_index('ix_labour_complaint_region_state')
        batch_op.drop_index('ix_labour_complaint_received')
        batch_op.drop_index(batch_op.f('ix_labour_complaint_employer_id'))
        batch_op.drop_index(batch_op.f('ix_labour_complaint_complainant_person_id'))

    op.drop_table('labour_complaint')
    with op.batch_alter_table('labour_tripartite_body', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_labour_tripartite_body_region'))

    op.drop_table('labour_tripartite_body')
