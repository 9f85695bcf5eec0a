"""contribution rule: the flexible workers' pension rate and the personal-account share

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 07:55:00

国发〔2005〕38号: flexible workers pay 20 % of the base (§6); 8 % of the base goes to the
personal account (§5). Rules already in the database get the national figures.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("contribution_rule") as batch:
        batch.add_column(sa.Column("flexible_pension_ppm", sa.Integer(), nullable=False,
                                   server_default="200000"))
        batch.add_column(sa.Column("account_ppm", sa.Integer(), nullable=False,
                                   server_default="80000"))


def downgrade() -> None:
    with op.batch_alter_table("contribution_rule") as batch:
        batch.drop_column("account_ppm")
        batch.drop_column("flexible_pension_ppm")
