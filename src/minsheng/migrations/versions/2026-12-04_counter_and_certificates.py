"""employer certificates (单位参保证明, 个人参保证明 issued to the employer) and
全市通办 cross-region lookups

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 09:30:00

``certificate`` gains ``kind`` (existing rows are a person's own certificate,
``person``) and ``employer_id``; ``person_id`` becomes nullable (a unit certificate has
no person). ``cross_region_access`` records a counter clerk's lookup of a resident of
another district by full resident ID, which opens that record to them for the day.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HOLDER = (
    "(kind = 'person' AND person_id IS NOT NULL) OR (kind = 'employee' AND "
    "person_id IS NOT NULL AND employer_id IS NOT NULL) OR (kind = 'employer' AND "
    "person_id IS NULL AND employer_id IS NOT NULL)"
)


def upgrade() -> None:
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=16), server_default="person",
                                      nullable=False))
        batch_op.add_column(sa.Column("employer_id", sa.Integer(), nullable=True))
        batch_op.alter_column("person_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(op.f("fk_certificate_employer_id_employer"), "employer",
                                    ["employer_id"], ["id"])
        batch_op.create_index("ix_certificate_employer_id", ["employer_id"], unique=False)
        batch_op.create_check_constraint(op.f("ck_certificate_kind"),
                                         "kind IN ('person','employee','employer')")
        batch_op.create_check_constraint(op.f("ck_certificate_holder"), HOLDER)
    op.create_table(
        "cross_region_access",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("clerk_region", sa.String(length=6), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"],
                                name=op.f("fk_cross_region_access_person_id_person")),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"],
                                name=op.f("fk_cross_region_access_user_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cross_region_access")),
    )
    op.create_index("ix_cross_region_access_user_person", "cross_region_access",
                    ["user_id", "person_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_cross_region_access_user_person", table_name="cross_region_access")
    op.drop_table("cross_region_access")
    op.execute("DELETE FROM certificate WHERE kind = 'employer'")
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_certificate_holder"), type_="check")
        batch_op.drop_constraint(op.f("ck_certificate_kind"), type_="check")
        batch_op.drop_index("ix_certificate_employer_id")
        batch_op.drop_constraint(op.f("fk_certificate_employer_id_employer"),
                                 type_="foreignkey")
        batch_op.alter_column("person_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("employer_id")
        batch_op.drop_column("kind")
