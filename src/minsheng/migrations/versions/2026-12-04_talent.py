"""talent records: skill certificates, titles, scarce-talent introductions and the
dated category catalogue, talent events, competition results, postdoctoral stations

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04 22:22:00.858996
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


#: The scarce-talent catalogue: categories as published for 重庆市 from 2016; the codes and
#: names are placeholders until the bureau's catalogue is confirmed (source_status).
CATEGORIES = [("A", "顶尖人才"), ("B", "领军人才"), ("C", "青年拔尖人才"),
              ("D", "急需紧缺专业技术人才"), ("E", "高技能人才")]


def _seed() -> None:
    table = sa.table("talent_category", sa.column("region_prefix", sa.String),
                     sa.column("valid_from", sa.Integer), sa.column("valid_to", sa.Integer),
                     sa.column("source", sa.String), sa.column("source_status", sa.String),
                     sa.column("code", sa.String), sa.column("name", sa.String))
    op.bulk_insert(table, [
        {"region_prefix": "50", "valid_from": 201601, "valid_to": None,
         "source": "重庆市引进优秀紧缺人才目录（类别待核实）", "source_status": "unconfirmed",
         "code": code, "name": name} for code, name in CATEGORIES])


def upgrade() -> None:
    op.create_table('postdoc_station',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('established_on', sa.Date(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('research','enterprise')", name=op.f('ck_postdoc_station_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_postdoc_station')),
    sa.UniqueConstraint('name', name=op.f('uq_postdoc_station_name'))
    )
    with op.batch_alter_table('postdoc_station', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_postdoc_station_region'), ['region'], unique=False)

    op.create_table('talent_category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('region_prefix', sa.String(length=6), nullable=False),
    sa.Column('valid_from', sa.Integer(), nullable=False),
    sa.Column('valid_to', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('source_status', sa.String(length=12), nullable=False),
    sa.CheckConstraint("source_status IN ('confirmed','secondary','unconfirmed')", name=op.f('ck_talent_category_source_status')),
    sa.CheckConstraint('valid_to IS NULL OR valid_to >= valid_from', name=op.f('ck_talent_category_valid_span')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talent_category')),
    sa.UniqueConstraint('region_prefix', 'valid_from', 'code', name='uq_talent_category')
    )
    op.create_table('talent_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('projects_signed', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('projects_signed >= 0', name=op.f('ck_talent_event_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talent_event')),
    sa.UniqueConstraint('name', 'held_on', name='uq_talent_event')
    )
    with op.batch_alter_table('talent_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_talent_event_region'), ['region'], unique=False)

    op.create_table('postdoc_intake',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('entered_on', sa.Date(), nullable=False),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('left_on IS NULL OR left_on >= entered_on', name=op.f('ck_postdoc_intake_dates')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_postdoc_intake_person_id_person')),
    sa.ForeignKeyConstraint(['station_id'], ['postdoc_station.id'], name=op.f('fk_postdoc_intake_station_id_postdoc_station')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_postdoc_intake'))
    )
    with op.batch_alter_table('postdoc_intake', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_postdoc_intake_person_id'), ['person_id'], unique=False)
        batch_op.create_index('ix_postdoc_intake_region_entered', ['region', 'entered_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_postdoc_intake_station_id'), ['station_id'], unique=False)

    op.create_table('professional_title',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certificate_no', sa.String(length=32), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('series', sa.String(length=16), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('issuing_body', sa.String(length=100), nullable=False),
    sa.Column('granted_on', sa.Date(), nullable=False),
    sa.Column('recorded_by', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("level IN ('junior','intermediate','deputy_senior','senior')", name=op.f('ck_professional_title_level')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_professional_title_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_professional_title')),
    sa.UniqueConstraint('certificate_no', name=op.f('uq_professional_title_certificate_no'))
    )
    with op.batch_alter_table('professional_title', schema=None) as batch_op:
        batch_op.create_index('ix_professional_title_granted', ['granted_on'], unique=False)
        batch_op.create_index('ix_professional_title_person', ['person_id', 'level'], unique=False)
        batch_op.create_index('ix_professional_title_region_level', ['region', 'level'], unique=False)

    op.create_table('skill_certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certificate_no', sa.String(length=32), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('occupation_code', sa.String(length=12), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('issuing_body', sa.String(length=100), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('recorded_by', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('level BETWEEN 1 AND 5', name=op.f('ck_skill_certificate_level')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_skill_certificate_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skill_certificate')),
    sa.UniqueConstraint('certificate_no', name=op.f('uq_skill_certificate_certificate_no'))
    )
    with op.batch_alter_table('skill_certificate', schema=None) as batch_op:
        batch_op.create_index('ix_skill_certificate_issued', ['issued_on'], unique=False)
        batch_op.create_index('ix_skill_certificate_person', ['person_id', 'level'], unique=False)
        batch_op.create_index('ix_skill_certificate_region_level', ['region', 'level'], unique=False)

    op.create_table('skills_competition_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition', sa.String(length=60), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('trade', sa.String(length=60), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('award', sa.String(length=12), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("award IN ('gold','silver','bronze','excellence','participant')", name=op.f('ck_skills_competition_result_award')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_skills_competition_result_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skills_competition_result')),
    sa.UniqueConstraint('competition', 'held_on', 'trade', 'person_id', name='uq_skills_competition_result')
    )
    with op.batch_alter_table('skills_competition_result', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_skills_competition_result_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_skills_competition_result_region'), ['region'], unique=False)

    op.create_table('talent_introduction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('category_code', sa.String(length=8), nullable=False),
    sa.Column('introduced_on', sa.Date(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('project_name', sa.String(length=100), nullable=False),
    sa.Column('declared_by', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], name=op.f('fk_talent_introduction_employer_id_employer')),
    sa.ForeignKeyConstraint(['event_id'], ['talent_event.id'], name=op.f('fk_talent_introduction_event_id_talent_event')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_talent_introduction_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talent_introduction')),
    sa.UniqueConstraint('person_id', 'employer_id', 'introduced_on', name='uq_talent_introduction')
    )
    with op.batch_alter_table('talent_introduction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_talent_introduction_employer_id'), ['employer_id'], unique=False)
        batch_op.create_index('ix_talent_introduction_event', ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_talent_introduction_person_id'), ['person_id'], unique=False)
        batch_op.create_index('ix_talent_introduction_region_on', ['region', 'introduced_on'], unique=False)

    _seed()


def downgrade() -> None:
    with op.batch_alter_table('talent_introduction', schema=None) as batch_op:
        batch_op.drop_index('ix_talent_introduction_region_on')
        batch_op.drop_index(batch_op.f('ix_talent_introduction_person_id'))
        batch_op.drop_index('ix_talent_introduction_event')
        batch_op.drop_index(batch_op.f('ix_talent_introduction_employer_id'))

    op.drop_table('talent_introduction')
    with op.batch_alter_table('skills_competition_result', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_skills_competition_result_region'))
        batch_op.drop_index(batch_op.f('ix_skills_competition_result_person_id'))

    op.drop_table('skills_competition_result')
    with op.batch_alter_table('skill_certificate', schema=None) as batch_op:
        batch_op.drop_index('ix_skill_certificate_region_level')
        batch_op.drop_index('ix_skill_certificate_person')
        batch_op.drop_index('ix_skill_certificate_issued')

    op.drop_table('skill_certificate')
    with op.batch_alter_table('professional_title', schema=None) as batch_op:
        batch_op.drop_index('ix_professional_title_region_level')
        batch_op.drop_index('ix_professional_title_person')
        batch_op.drop_index('ix_professional_title_granted')

    op.drop_table('professional_title')
    with op.batch_alter_table('postdoc_intake', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_postdoc_intake_station_id'))
        batch_op.drop_index('ix_postdoc_intake_region_entered')
        batch_op.drop_index(batch_op.f('ix_postdoc_intake_person_id'))

    op.drop_table('postdoc_intake')
    with op.batch_alter_table('talent_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_talent_event_region'))

    op.drop_table('talent_event')
    op.drop_table('talent_category')
    with op.batch_alter_table('postdoc_station', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_postdoc_station_region'))

    op.drop_table('postdoc_station')
