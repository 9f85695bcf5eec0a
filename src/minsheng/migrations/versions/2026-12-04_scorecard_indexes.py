"""scorecard indexes: covering indexes for indicators over a period at city scale

Measured with bench/scorecard.py (EXPLAIN ANALYZE of each indicator's statement): the
urban new employment of a year and the placements of a period become index-only range
scans (the region prefix of a city-wide cut selects nearly every row, the period a
fraction); "enrolled in a scheme in month M" becomes an index-only scan.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 16:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_urban_new_employment_event_date", "urban_new_employment",
                    ["event_date"], postgresql_include=["region"])
    op.create_index("ix_placement_placed_date", "placement", ["placed_date"],
                    postgresql_include=["id", "person_id", "region",
                                        "was_registered_unemployed", "was_hard_to_employ"])
    op.create_index("ix_enrolment_scheme_start_month", "enrolment", ["scheme", "start_month"],
                    postgresql_include=["end_month", "person_id"])


def downgrade() -> None:
    op.drop_index("ix_enrolment_scheme_start_month", table_name="enrolment")
    op.drop_index("ix_placement_placed_date", table_name="placement")
    op.drop_index("ix_urban_new_employment_event_date", table_name="urban_new_employment")
