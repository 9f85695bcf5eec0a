"""talent service card (英才服务卡): tiers and the service catalogue (rulebook data,
seeded for Chongqing and marked unconfirmed), cards with their applications, and the
services booked on a card

Revision ID: 0022
Revises: 0020
Create Date: 2026-12-04 22:20:42
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0022'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_SOURCE = "重庆英才服务卡实施办法及服务事项清单（未核实，待业务处室确认）"
#: (code, name, eligible bases, validity in years)
_TIERS = [
    ("A", "英才服务卡A卡", "category:A,category:B,title:正高,skill_level:1", 5),
    ("B", "英才服务卡B卡", "category:C,category:D,title:副高,skill_level:2", 3),
]
#: (code, name, provider, deadline in working days)
_SERVICES = [
    ("housing", "人才安居", "市住房城乡建委人才公寓服务中心", 10),
    ("schooling", "子女入学", "市教委基础教育处", 15),
    ("medical", "医疗绿色通道", "市卫生健康委指定医疗机构", 1),
    ("spouse_job", "配偶就业", "市就业服务管理局", 20),
    ("residence", "落户办理", "市公安局人口管理总队", 5),
    ("entry_exit", "出入境便利", "市公安局出入境管理局", 7),
]


def upgrade() -> None:
    op.create_table('talent_card_tier',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('eligible_bases', sa.String(length=500), nullable=False),
    sa.Column('validity_years', sa.Integer(), nullable=False),
    sa.Column('region_prefix', sa.String(length=6), nullable=False),
    sa.Column('valid_from', sa.Integer(), nullable=False),
    sa.Column('valid_to', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('source_status', sa.String(length=12), nullable=False),
    sa.CheckConstraint("source_status IN ('confirmed','secondary','unconfirmed')", name=op.f('ck_talent_card_tier_source_status')),
    sa.CheckConstraint('valid_to IS NULL OR valid_to >= valid_from', name=op.f('ck_talent_card_tier_valid_span')),
    sa.CheckConstraint('validity_years BETWEEN 1 AND 10', name=op.f('ck_talent_card_tier_validity')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talent_card_tier')),
    sa.UniqueConstraint('code', 'region_prefix', 'valid_from', name='uq_talent_card_tier')
    )
    op.create_table('talent_service_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('provider', sa.String(length=100), nullable=False),
    sa.Column('sla_workdays', sa.Integer(), nullable=False),
    sa.Column('region_prefix', sa.String(length=6), nullable=False),
    sa.Column('valid_from', sa.Integer(), nullable=False),
    sa.Column('valid_to', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('source_status', sa.String(length=12), nullable=False),
    sa.CheckConstraint("source_status IN ('confirmed','secondary','unconfirmed')", name=op.f('ck_talent_service_item_source_status')),
    sa.CheckConstraint('sla_workdays BETWEEN 0 AND 250', name=op.f('ck_talent_service_item_sla')),
    sa.CheckConstraint('valid_to IS NULL OR valid_to >= valid_from', name=op.f('ck_talent_service_item_valid_span')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talent_service_item')),
    sa.UniqueConstraint('code', 'region_prefix', 'valid_from', name='uq_talent_service_item')
    )
    op.create_table('talent_card',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('card_no', sa.String(length=24), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('tier', sa.String(length=16), nullable=False),
    sa.Column('basis_kind', sa.String(length=16), nullable=False),
    sa.Column('basis_value', sa.String(length=40), nullable=False),
    sa.Column('basis_note', sa.String(length=200), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('applied_on', sa.Date(), nullable=False),
    sa.Column('applied_by', sa.String(length=64), nullable=False),
    sa.Column('reviewed_on', sa.Date(), nullable=True),
    sa.Column('reviewed_by', sa.String(length=64), nullable=True),
    sa.Column('review_note', sa.String(length=200), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('renewed_on', sa.Date(), nullable=True),
    sa.Column('revoked_on', sa.Date(), nullable=True),
    sa.Column('revoke_reason', sa.String(length=200), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("basis_kind IN ('category','title','skill_level','direct')", name=op.f('ck_talent_card_basis_kind')),
    sa.CheckConstraint("state IN ('applied','approved','refused','active','revoked','expired')", name=op.f('ck_talent_card_state')),
    sa.CheckConstraint("state NOT IN ('active','revoked','expired') OR (card_no IS NOT NULL AND valid_until IS NOT NULL)", name=op.f('ck_talent_card_issued')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_talent_card_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talent_card')),
    sa.UniqueConstraint('card_no', name=op.f('uq_talent_card_card_no'))
    )
    with op.batch_alter_table('talent_card', schema=None) as batch_op:
        batch_op.create_index('ix_talent_card_person', ['person_id'], unique=False)
        batch_op.create_index('ix_talent_card_region_state', ['region', 'state'], unique=False)
        batch_op.create_index('ix_talent_card_valid_until', ['state', 'valid_until'], unique=False)
    op.create_table('talent_service_booking',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('card_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('service_code', sa.String(length=32), nullable=False),
    sa.Column('service_name', sa.String(length=40), nullable=False),
    sa.Column('provider', sa.String(length=100), nullable=False),
    sa.Column('requested_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('due_estimated', sa.Boolean(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('delivered_on', sa.Date(), nullable=True),
    sa.Column('delivered_by', sa.String(length=64), nullable=True),
    sa.Column('satisfaction', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('booked_by', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(state = 'delivered') = (delivered_on IS NOT NULL)", name=op.f('ck_talent_service_booking_delivered')),
    sa.CheckConstraint("state IN ('requested','delivered')", name=op.f('ck_talent_service_booking_state')),
    sa.CheckConstraint('delivered_on IS NULL OR delivered_on >= requested_on', name=op.f('ck_talent_service_booking_delivery_date')),
    sa.CheckConstraint('satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5', name=op.f('ck_talent_service_booking_satisfaction')),
    sa.ForeignKeyConstraint(['card_id'], ['talent_card.id'], name=op.f('fk_talent_service_booking_card_id_talent_card')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_talent_service_booking_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talent_service_booking'))
    )
    with op.batch_alter_table('talent_service_booking', schema=None) as batch_op:
        batch_op.create_index('ix_talent_service_booking_card', ['card_id'], unique=False)
        batch_op.create_index('ix_talent_service_booking_delivered', ['delivered_on'], unique=False)
        batch_op.create_index('ix_talent_service_booking_due', ['region', 'state', 'due_on'], unique=False)

    tier = sa.table("talent_card_tier", *(sa.column(c) for c in (
        "code", "name", "eligible_bases", "validity_years", "region_prefix", "valid_from",
        "source", "source_status")))
    op.bulk_insert(tier, [
        {"code": c, "name": n, "eligible_bases": b, "validity_years": y, "region_prefix": "50",
         "valid_from": 201801, "source": _SOURCE, "source_status": "unconfirmed"}
        for c, n, b, y in _TIERS])
    item = sa.table("talent_service_item", *(sa.column(c) for c in (
        "code", "name", "provider", "sla_workdays", "region_prefix", "valid_from", "source",
        "source_status")))
    op.bulk_insert(item, [
        {"code": c, "name": n, "provider": p, "sla_workdays": d, "region_prefix": "50",
         "valid_from": 201801, "source": _SOURCE, "source_status": "unconfirmed"}
        for c, n, p, d in _SERVICES])


def downgrade() -> None:
    with op.batch_alter_table('talent_service_booking', schema=None) as batch_op:
        batch_op.drop_index('ix_talent_service_booking_due')
        batch_op.drop_index('ix_talent_service_booking_delivered')
        batch_op.drop_index('ix_talent_service_booking_card')
    op.drop_table('talent_service_booking')
    with op.batch_alter_table('talent_card', schema=None) as batch_op:
        batch_op.drop_index('ix_talent_card_valid_until')
        batch_op.drop_index('ix_talent_card_region_state')
        batch_op.drop_index('ix_talent_card_person')
    op.drop_table('talent_card')
    op.drop_table('talent_service_item')
    op.drop_table('talent_card_tier')
