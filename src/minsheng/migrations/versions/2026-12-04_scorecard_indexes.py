"""scorecard indexes: covering indexes for the indicators at city scale

Measured with bench/scorecard.py (EXPLAIN ANALYZE of each indicator's statement): the
urban new employment of a year and the placements of a period become index-only range
scans (the region prefix of a city-wide cut selects nearly every row, the period a
fraction); "enrolled in a scheme in month M" becomes an index-only scan; the people of a
region alive at a date are read from an index instead of the wide rows, and the
per-person probe "has an enrolment open in month M" is answered from the index alone.

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
    op.create_index("ix_person_residence_region_cover", "person", ["residence_region"],
                    postgresql_ops={"residence_region": "varchar_pattern_ops"},
                    postgresql_include=["id", "status", "death_date", "birth_date"])
    op.drop_index("ix_enrolment_person_scheme", table_name="enrolment")
    op.create_index("ix_enrolment_person_scheme", "enrolment", ["person_id", "scheme"],
                    postgresql_include=["start_month", "end_month"])
    op.create_index("ix_urban_new_employment_event_date", "urban_new_employment",
                    ["event_date"], postgresql_include=["region"])
    op.create_index("ix_placement_placed_date", "placement", ["placed_date"],
                    postgresql_include=["id", "person_id", "region",
                                        "was_registered_unemployed", "was_hard_to_employ"])
    op.create_index("ix_enrolment_scheme_start_month", "enrolment", ["scheme", "start_month"],
                    postgresql_include=["end_month", "person_id"])


def downgrade() -> None:
    op.drop_index("ix_enrolment_person_scheme", table_name="enrolment")
    op.create_index("ix_enrolment_person_scheme", "enrolment", ["person_id", "scheme"])
    op.drop_index("ix_person_residence_region_cover", table_name="person")
    op.drop_index("ix_enrolment_scheme_start_month", table_name="enrolment")
    op.drop_index("ix_placement_placed_date", table_name="placement")
    op.drop_index("ix_urban_new_employment_event_date", table_name="urban_new_employment")
