"""talent: personnel files (人事档案) and HR service agencies (人力资源服务机构)

Revision ID: 0023
Revises: 0020
Create Date: 2026-12-04 22:23:14

- ``file_custodian``, ``file_custody`` (one open custody per person: a partial unique
  index), ``file_transfer`` (one in transit per person), ``file_item`` (the digital index
  with each scan's SHA-256), and the dated settings ``file_transfer_setting`` (receipt
  deadline in working days) and ``file_required_item`` (the classes a file must hold).
- ``hr_agency_licence``, ``hr_agency_report`` and the dated ``hr_agency_report_deadline``.

Seeded settings for Chongqing (``50``) are marked unconfirmed: we found no published
number for them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('file_custodian',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('peer_node', sa.String(length=16), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_file_custodian')),
    sa.UniqueConstraint('code', name=op.f('uq_file_custodian_code'))
    )
    with op.batch_alter_table('file_custodian', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_file_custodian_region'), ['region'], unique=False)

    op.create_table('file_required_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category', sa.Integer(), nullable=False),
    sa.Column('region_prefix', sa.String(length=6), nullable=False),
    sa.Column('valid_from', sa.Integer(), nullable=False),
    sa.Column('valid_to', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('source_status', sa.String(length=12), nullable=False),
    sa.CheckConstraint("source_status IN ('confirmed','secondary','unconfirmed')", name=op.f('ck_file_required_item_source_status')),
    sa.CheckConstraint('category IN (1,2,3,4,5,6,7,8,9,10)', name=op.f('ck_file_required_item_category')),
    sa.CheckConstraint('valid_to IS NULL OR valid_to >= valid_from', name=op.f('ck_file_required_item_valid_span')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_file_required_item')),
    sa.UniqueConstraint('region_prefix', 'valid_from', 'category', name='uq_file_required_item')
    )
    op.create_table('file_transfer_setting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt_days', sa.Integer(), nullable=False),
    sa.Column('region_prefix', sa.String(length=6), nullable=False),
    sa.Column('valid_from', sa.Integer(), nullable=False),
    sa.Column('valid_to', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('source_status', sa.String(length=12), nullable=False),
    sa.CheckConstraint("source_status IN ('confirmed','secondary','unconfirmed')", name=op.f('ck_file_transfer_setting_source_status')),
    sa.CheckConstraint('receipt_days BETWEEN 1 AND 365', name=op.f('ck_file_transfer_setting_receipt_days')),
    sa.CheckConstraint('valid_to IS NULL OR valid_to >= valid_from', name=op.f('ck_file_transfer_setting_valid_span')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_file_transfer_setting')),
    sa.UniqueConstraint('region_prefix', 'valid_from', name='uq_file_transfer_setting')
    )
    op.create_table('hr_agency_report_deadline',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deadline_month', sa.Integer(), nullable=False),
    sa.Column('deadline_day', sa.Integer(), nullable=False),
    sa.Column('region_prefix', sa.String(length=6), nullable=False),
    sa.Column('valid_from', sa.Integer(), nullable=False),
    sa.Column('valid_to', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('source_status', sa.String(length=12), nullable=False),
    sa.CheckConstraint("source_status IN ('confirmed','secondary','unconfirmed')", name=op.f('ck_hr_agency_report_deadline_source_status')),
    sa.CheckConstraint('deadline_month BETWEEN 1 AND 12 AND deadline_day BETWEEN 1 AND 31', name=op.f('ck_hr_agency_report_deadline_deadline')),
    sa.CheckConstraint('valid_to IS NULL OR valid_to >= valid_from', name=op.f('ck_hr_agency_report_deadline_valid_span')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_agency_report_deadline')),
    sa.UniqueConstraint('region_prefix', 'valid_from', name='uq_hr_agency_report_deadline')
    )
    op.create_table('hr_agency_licence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('licence_no', sa.String(length=40), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('scope', sa.String(length=200), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('revoked_on', sa.Date(), nullable=True),
    sa.Column('revoke_reason', sa.String(length=200), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(state = 'revoked') = (revoked_on IS NOT NULL)", name=op.f('ck_hr_agency_licence_revoked_on')),
    sa.CheckConstraint("state IN ('valid','revoked')", name=op.f('ck_hr_agency_licence_state')),
    sa.CheckConstraint('valid_until >= issued_on', name=op.f('ck_hr_agency_licence_validity')),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], name=op.f('fk_hr_agency_licence_employer_id_employer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_agency_licence')),
    sa.UniqueConstraint('licence_no', name=op.f('uq_hr_agency_licence_licence_no'))
    )
    with op.batch_alter_table('hr_agency_licence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hr_agency_licence_employer_id'), ['employer_id'], unique=False)
        batch_op.create_index('ix_hr_agency_licence_region_state', ['region', 'state'], unique=False)

    op.create_table('file_custody',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('custodian_id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('since', sa.Date(), nullable=False),
    sa.Column('until', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(state = 'closed') = (until IS NOT NULL)", name=op.f('ck_file_custody_closed_until')),
    sa.CheckConstraint("state IN ('held','in_transit','closed')", name=op.f('ck_file_custody_state')),
    sa.CheckConstraint('until IS NULL OR until >= since', name=op.f('ck_file_custody_span')),
    sa.ForeignKeyConstraint(['custodian_id'], ['file_custodian.id'], name=op.f('fk_file_custody_custodian_id_file_custodian')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_file_custody_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_file_custody'))
    )
    with op.batch_alter_table('file_custody', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_file_custody_custodian_id'), ['custodian_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_file_custody_person_id'), ['person_id'], unique=False)
        batch_op.create_index('ix_file_custody_region_state', ['region', 'state'], unique=False)
        batch_op.create_index('uq_file_custody_open', ['person_id'], unique=True, sqlite_where=sa.text('until IS NULL'), postgresql_where=sa.text('until IS NULL'))

    op.create_table('file_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('media_type', sa.String(length=32), nullable=False),
    sa.Column('added_on', sa.Date(), nullable=False),
    sa.Column('added_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('category IN (1,2,3,4,5,6,7,8,9,10)', name=op.f('ck_file_item_category')),
    sa.CheckConstraint('pages BETWEEN 1 AND 10000', name=op.f('ck_file_item_pages')),
    sa.CheckConstraint('size_bytes >= 0', name=op.f('ck_file_item_size')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_file_item_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_file_item'))
    )
    with op.batch_alter_table('file_item', schema=None) as batch_op:
        batch_op.create_index('ix_file_item_person_category', ['person_id', 'category'], unique=False)

    op.create_table('file_transfer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('transfer_no', sa.String(length=32), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('from_custodian_id', sa.Integer(), nullable=False),
    sa.Column('to_custodian_id', sa.Integer(), nullable=False),
    sa.Column('from_region', sa.String(length=6), nullable=False),
    sa.Column('to_region', sa.String(length=6), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('dispatched_on', sa.Date(), nullable=False),
    sa.Column('receipt_due', sa.Date(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('peer_node', sa.String(length=16), nullable=True),
    sa.Column('dispatched_by', sa.String(length=64), nullable=False),
    sa.Column('received_by', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(state = 'received') = (received_on IS NOT NULL)", name=op.f('ck_file_transfer_received_on')),
    sa.CheckConstraint("state IN ('dispatched','received')", name=op.f('ck_file_transfer_state')),
    sa.CheckConstraint('from_custodian_id <> to_custodian_id', name=op.f('ck_file_transfer_two_custodians')),
    sa.ForeignKeyConstraint(['from_custodian_id'], ['file_custodian.id'], name=op.f('fk_file_transfer_from_custodian_id_file_custodian')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_file_transfer_person_id_person')),
    sa.ForeignKeyConstraint(['to_custodian_id'], ['file_custodian.id'], name=op.f('fk_file_transfer_to_custodian_id_file_custodian')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_file_transfer')),
    sa.UniqueConstraint('transfer_no', name=op.f('uq_file_transfer_transfer_no'))
    )
    with op.batch_alter_table('file_transfer', schema=None) as batch_op:
        batch_op.create_index('ix_file_transfer_from_state', ['from_region', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_file_transfer_person_id'), ['person_id'], unique=False)
        batch_op.create_index('ix_file_transfer_to_state', ['to_region', 'state'], unique=False)
        batch_op.create_index('uq_file_transfer_in_transit', ['person_id'], unique=True, sqlite_where=sa.text("state = 'dispatched'"), postgresql_where=sa.text("state = 'dispatched'"))

    op.create_table('hr_agency_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('licence_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('revenue_fen', sa.BigInteger(), nullable=False),
    sa.Column('placements', sa.Integer(), nullable=False),
    sa.Column('training_sessions', sa.Integer(), nullable=False),
    sa.Column('training_people', sa.Integer(), nullable=False),
    sa.Column('filed_on', sa.Date(), nullable=False),
    sa.Column('filed_by', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('revenue_fen >= 0 AND placements >= 0 AND training_sessions >= 0 AND training_people >= 0', name=op.f('ck_hr_agency_report_figures')),
    sa.ForeignKeyConstraint(['licence_id'], ['hr_agency_licence.id'], name=op.f('fk_hr_agency_report_licence_id_hr_agency_licence')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_agency_report')),
    sa.UniqueConstraint('licence_id', 'year', name='uq_hr_agency_report')
    )
    with op.batch_alter_table('hr_agency_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hr_agency_report_licence_id'), ['licence_id'], unique=False)
        batch_op.create_index('ix_hr_agency_report_year', ['year'], unique=False)
    _seed()


_UNCONFIRMED = "未核实：未找到全国统一规定，暂按地方常见做法设置，待主管部门确认"


def _common() -> list[sa.ColumnClause[object]]:
    return [sa.column("region_prefix", sa.String), sa.column("valid_from", sa.Integer),
            sa.column("valid_to", sa.Integer), sa.column("source", sa.String),
            sa.column("source_status", sa.String)]


def _seed() -> None:
    row = {"region_prefix": "50", "valid_from": 200001, "valid_to": None,
           "source": _UNCONFIRMED, "source_status": "unconfirmed"}
    op.bulk_insert(sa.table("file_transfer_setting", sa.column("receipt_days", sa.Integer),
                            *_common()), [{**row, "receipt_days": 10}])
    # 履历、考核鉴定、学历学位与职称、工资任免: the classes a file must hold (a setting).
    op.bulk_insert(sa.table("file_required_item", sa.column("category", sa.Integer),
                            *_common()), [{**row, "category": c} for c in (1, 3, 4, 9)])
    op.bulk_insert(sa.table("hr_agency_report_deadline",
                            sa.column("deadline_month", sa.Integer),
                            sa.column("deadline_day", sa.Integer), *_common()),
                   [{**row, "deadline_month": 3, "deadline_day": 31}])


def downgrade() -> None:
    with op.batch_alter_table('hr_agency_report', schema=None) as batch_op:
        batch_op.drop_index('ix_hr_agency_report_year')
        batch_op.drop_index(batch_op.f('ix_hr_agency_report_licence_id'))

    op.drop_table('hr_agency_report')
    with op.batch_alter_table('file_transfer', schema=None) as batch_op:
        batch_op.drop_index('uq_file_transfer_in_transit', sqlite_where=sa.text("state = 'dispatched'"), postgresql_where=sa.text("state = 'dispatched'"))
        batch_op.drop_index('ix_file_transfer_to_state')
        batch_op.drop_index(batch_op.f('ix_file_transfer_person_id'))
        batch_op.drop_index('ix_file_transfer_from_state')

    op.drop_table('file_transfer')
    with op.batch_alter_table('file_item', schema=None) as batch_op:
        batch_op.drop_index('ix_file_item_person_category')

    op.drop_table('file_item')
    with op.batch_alter_table('file_custody', schema=None) as batch_op:
        batch_op.drop_index('uq_file_custody_open', sqlite_where=sa.text('until IS NULL'), postgresql_where=sa.text('until IS NULL'))
        batch_op.drop_index('ix_file_custody_region_state')
        batch_op.drop_index(batch_op.f('ix_file_custody_person_id'))
        batch_op.drop_index(batch_op.f('ix_file_custody_custodian_id'))

    op.drop_table('file_custody')
    with op.batch_alter_table('hr_agency_licence', schema=None) as batch_op:
        batch_op.drop_index('ix_hr_agency_licence_region_state')
        batch_op.drop_index(batch_op.f('ix_hr_agency_licence_employer_id'))

    op.drop_table('hr_agency_licence')
    op.drop_table('hr_agency_report_deadline')
    op.drop_table('file_transfer_setting')
    op.drop_table('file_required_item')
    with op.batch_alter_table('file_custodian', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_file_custodian_region'))

    op.drop_table('file_custodian')
