"""employment: seekers, vacancies, applications, placements, key groups, households

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 19:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "vacancy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("occupation_code", sa.String(length=8), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("education_required", sa.Integer(), nullable=False),
        sa.Column("pay_min", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("pay_max", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("headcount", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("posted_on", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('open','filled','closed')", name=op.f("ck_vacancy_status")),
        sa.CheckConstraint("education_required BETWEEN 1 AND 6", name=op.f("ck_vacancy_education")),
        sa.CheckConstraint("headcount >= 1", name=op.f("ck_vacancy_headcount")),
        sa.CheckConstraint("pay_max >= pay_min", name=op.f("ck_vacancy_pay")),
        sa.ForeignKeyConstraint(
            ["employer_id"], ["employer.id"], name=op.f("fk_vacancy_employer_id_employer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vacancy")),
    )
    op.create_index("ix_vacancy_employer_id", "vacancy", ["employer_id"], unique=False)
    op.create_index(
        "ix_vacancy_status_region",
        "vacancy",
        ["status", "region"],
        unique=False,
        postgresql_ops={"region": "varchar_pattern_ops"},
    )
    op.create_table(
        "job_seeker",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("occupation_code", sa.String(length=8), nullable=False),
        sa.Column("education", sa.Integer(), nullable=False),
        sa.Column("min_pay", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("skills", sa.String(length=500), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('seeking','placed','withdrawn')", name=op.f("ck_job_seeker_status")
        ),
        sa.CheckConstraint("education BETWEEN 1 AND 6", name=op.f("ck_job_seeker_education")),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_job_seeker_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_seeker")),
        sa.UniqueConstraint("person_id", name=op.f("uq_job_seeker_person_id")),
    )
    op.create_index(
        "ix_job_seeker_status_region",
        "job_seeker",
        ["status", "region"],
        unique=False,
        postgresql_ops={"region": "varchar_pattern_ops"},
    )
    op.create_table(
        "key_group_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("group_code", sa.String(length=20), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("graduation_year", sa.Integer(), nullable=True),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "group_code IN ('graduate','rural_labour','hard_to_employ','ex_fisher','poverty_labour')",
            name=op.f("ck_key_group_member_group_code"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_key_group_member_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_group_member")),
        sa.UniqueConstraint(
            "person_id", "group_code", "category", name=op.f("uq_key_group_member_person_id")
        ),
    )
    op.create_index(
        "ix_key_group_member_group_region",
        "key_group_member",
        ["group_code", "region"],
        unique=False,
        postgresql_ops={"region": "varchar_pattern_ops"},
    )
    op.create_table(
        "vacancy_term",
        sa.Column("term", sa.String(length=32), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("vacancy_id", sa.Integer(), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["vacancy_id"],
            ["vacancy.id"],
            name=op.f("fk_vacancy_term_vacancy_id_vacancy"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("term", "region", "vacancy_id", name=op.f("pk_vacancy_term")),
    )
    op.create_index("ix_vacancy_term_vacancy_id", "vacancy_term", ["vacancy_id"], unique=False)
    op.create_table(
        "work_incapacity",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_work_incapacity_person_id_person")
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_work_incapacity")),
    )
    op.create_table(
        "job_application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vacancy_id", sa.Integer(), nullable=False),
        sa.Column("seeker_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("referred_by", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "channel IN ('self','referral')", name=op.f("ck_job_application_channel")
        ),
        sa.CheckConstraint(
            "status IN ('submitted','hired','rejected','withdrawn')",
            name=op.f("ck_job_application_status"),
        ),
        sa.ForeignKeyConstraint(
            ["seeker_id"], ["job_seeker.id"], name=op.f("fk_job_application_seeker_id_job_seeker")
        ),
        sa.ForeignKeyConstraint(
            ["vacancy_id"], ["vacancy.id"], name=op.f("fk_job_application_vacancy_id_vacancy")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_application")),
        sa.UniqueConstraint("vacancy_id", "seeker_id", name=op.f("uq_job_application_vacancy_id")),
    )
    op.create_index("ix_job_application_seeker_id", "job_application", ["seeker_id"], unique=False)
    op.create_table(
        "job_seeker_term",
        sa.Column("term", sa.String(length=32), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("seeker_id", sa.Integer(), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["seeker_id"],
            ["job_seeker.id"],
            name=op.f("fk_job_seeker_term_seeker_id_job_seeker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("term", "region", "seeker_id", name=op.f("pk_job_seeker_term")),
    )
    op.create_index("ix_job_seeker_term_seeker_id", "job_seeker_term", ["seeker_id"], unique=False)
    op.create_table(
        "placement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=True),
        sa.Column("vacancy_id", sa.Integer(), nullable=True),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("placed_on", sa.Date(), nullable=False),
        sa.Column("was_registered_unemployed", sa.Boolean(), nullable=False),
        sa.Column("was_hard_to_employ", sa.Boolean(), nullable=False),
        sa.Column("counts_as_new_employment", sa.Boolean(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.CheckConstraint(
            "kind IN ('placement','employment_registration')", name=op.f("ck_placement_kind")
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["job_application.id"],
            name=op.f("fk_placement_application_id_job_application"),
        ),
        sa.ForeignKeyConstraint(
            ["employer_id"], ["employer.id"], name=op.f("fk_placement_employer_id_employer")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_placement_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["vacancy_id"], ["vacancy.id"], name=op.f("fk_placement_vacancy_id_vacancy")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placement")),
    )
    op.create_index("ix_placement_person_id", "placement", ["person_id"], unique=False)
    op.create_index(
        "ix_placement_region_placed_on",
        "placement",
        ["region", "placed_on"],
        unique=False,
        postgresql_ops={"region": "varchar_pattern_ops"},
    )
    op.create_table(
        "urban_new_employment",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_urban_new_employment_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["placement_id"],
            ["placement.id"],
            name=op.f("fk_urban_new_employment_placement_id_placement"),
        ),
        sa.PrimaryKeyConstraint("person_id", "year", name=op.f("pk_urban_new_employment")),
    )
    op.create_index(
        "ix_urban_new_employment_region_event_date",
        "urban_new_employment",
        ["region", "event_date"],
        unique=False,
        postgresql_ops={"region": "varchar_pattern_ops"},
    )
    op.create_table(
        "zero_employment_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("detected_on", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_reason", sa.String(length=24), nullable=True),
        sa.Column("placement_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('open','closed')", name=op.f("ck_zero_employment_case_status")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
            name=op.f("fk_zero_employment_case_household_id_household"),
        ),
        sa.ForeignKeyConstraint(
            ["placement_id"],
            ["placement.id"],
            name=op.f("fk_zero_employment_case_placement_id_placement"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zero_employment_case")),
    )
    op.create_index(
        "ix_zero_employment_case_region",
        "zero_employment_case",
        ["region"],
        unique=False,
        postgresql_ops={"region": "varchar_pattern_ops"},
    )
    op.create_index(
        "uq_zero_employment_case_open_household",
        "zero_employment_case",
        ["household_id"],
        unique=True,
        sqlite_where=sa.text("status = 'open'"),
        postgresql_where=sa.text("status = 'open'"),
    )


def downgrade() -> None:
    op.drop_index(
        "uq_zero_employment_case_open_household",
        table_name="zero_employment_case",
        sqlite_where=sa.text("status = 'open'"),
        postgresql_where=sa.text("status = 'open'"),
    )
    op.drop_index(
        "ix_zero_employment_case_region",
        table_name="zero_employment_case",
        postgresql_ops={"region": "varchar_pattern_ops"},
    )
    op.drop_table("zero_employment_case")
    op.drop_index(
        "ix_urban_new_employment_region_event_date",
        table_name="urban_new_employment",
        postgresql_ops={"region": "varchar_pattern_ops"},
    )
    op.drop_table("urban_new_employment")
    op.drop_index(
        "ix_placement_region_placed_on",
        table_name="placement",
        postgresql_ops={"region": "varchar_pattern_ops"},
    )
    op.drop_index("ix_placement_person_id", table_name="placement")
    op.drop_table("placement")
    op.drop_index("ix_job_seeker_term_seeker_id", table_name="job_seeker_term")
    op.drop_table("job_seeker_term")
    op.drop_index("ix_job_application_seeker_id", table_name="job_application")
    op.drop_table("job_application")
    op.drop_table("work_incapacity")
    op.drop_index("ix_vacancy_term_vacancy_id", table_name="vacancy_term")
    op.drop_table("vacancy_term")
    op.drop_index(
        "ix_key_group_member_group_region",
        table_name="key_group_member",
        postgresql_ops={"region": "varchar_pattern_ops"},
    )
    op.drop_table("key_group_member")
    op.drop_index(
        "ix_job_seeker_status_region",
        table_name="job_seeker",
        postgresql_ops={"region": "varchar_pattern_ops"},
    )
    op.drop_table("job_seeker")
    op.drop_index(
        "ix_vacancy_status_region",
        table_name="vacancy",
        postgresql_ops={"region": "varchar_pattern_ops"},
    )
    op.drop_index("ix_vacancy_employer_id", table_name="vacancy")
    op.drop_table("vacancy")
