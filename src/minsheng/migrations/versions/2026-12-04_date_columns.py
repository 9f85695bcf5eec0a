"""date columns end in _date (DESIGN.md: `_at` for timestamps, `_date` for dates)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 07:10:00

``ALTER TABLE … RENAME COLUMN`` (PostgreSQL; SQLite since 3.25) keeps the data, the
indexes and the CHECK constraints, whose expressions follow the new name.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RENAMES = (
    ("green_mine_assessment", "assessed_on", "assessed_date"),
    ("mine_closure", "closed_on", "closed_date"),
    ("restoration_plan", "accepted_on", "accepted_date"),
    ("substituted_restoration_case", "filed_on", "filed_date"),
    ("substituted_restoration_event", "on_date", "step_date"),
    ("vacancy", "posted_on", "posted_date"),
    ("job_seeker", "registered_on", "registered_date"),
    ("placement", "placed_on", "placed_date"),
    ("zero_employment_case", "detected_on", "detected_date"),
    ("zero_employment_case", "closed_on", "closed_date"),
    ("pension_certification", "certified_on", "certified_date"),
    ("pension_recipient", "last_certified_on", "last_certified_date"),
    ("pension_recipient", "certification_due", "certification_due_date"),
    ("unemployment_registration", "registered_on", "registered_date"),
    ("unemployment_registration", "ended_on", "ended_date"),
    ("unemployment_claim", "stopped_on", "stopped_date"),
)


def upgrade() -> None:
    for table, old, new in RENAMES:
        op.execute(f'ALTER TABLE {table} RENAME COLUMN {old} TO {new}')


def downgrade() -> None:
    for table, old, new in reversed(RENAMES):
        op.execute(f'ALTER TABLE {table} RENAME COLUMN {new} TO {old}')
