"""audit events by subject: a person's history (变更记录) reads an index, not the chain

``ix_audit_event_subject (subject_type, subject_id, seq)``: the timeline of a person
gathers the events of the person and of their records (cards, claims, enrolments …) by
``subject_type`` and ``subject_id`` and lists them newest first; without this index every
look-up scans the whole audit chain, which grows by every request.

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-05 18:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0034"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_audit_event_subject", "audit_event",
                    ["subject_type", "subject_id", "seq"])


def downgrade() -> None:
    op.drop_index("ix_audit_event_subject", table_name="audit_event")
