"""vacancy search rows carry the hard filters; open vacancies only

``vacancy_term`` gains copies of its vacancy's pay ceiling, education required,
occupation and posted date, and keeps rows of open vacancies only, so that a search
finds its top N from the term rows alone and reads 20 vacancies, not every vacancy of
the district that shares a term (issue 16: p95 83 ms on 1,000,000 vacancies). On
PostgreSQL the key includes the carried columns (``INCLUDE``): the postings of a term
in a district are read by an index-only scan.

Downgrade drops the columns; the search rows of vacancies closed or filled before the
downgrade are not restored (the former search filtered them out by status anyway).

Revision ID: 0032
Revises: 0027
Create Date: 2026-12-05 08:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (column, type) carried from ``vacancy`` onto ``vacancy_term``.
_CARRIED = (("pay_max", sa.Numeric(precision=14, scale=2)),
            ("education_required", sa.Integer()),
            ("occupation_code", sa.String(length=8)),
            ("posted_date", sa.Date()))
_KEY = "term, region, vacancy_id"


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    with op.batch_alter_table("vacancy_term") as batch:
        for name, type_ in _CARRIED:
            batch.add_column(sa.Column(name, type_, nullable=True))
    op.execute("DELETE FROM vacancy_term WHERE vacancy_id IN "
               "(SELECT id FROM vacancy WHERE status <> 'open')")
    names = [name for name, _ in _CARRIED]
    if postgres:
        op.execute("UPDATE vacancy_term t SET "
                   + ", ".join(f"{n} = v.{n}" for n in names)
                   + " FROM vacancy v WHERE v.id = t.vacancy_id")
    else:
        op.execute("UPDATE vacancy_term SET "
                   + ", ".join(f"{n} = (SELECT v.{n} FROM vacancy v "
                               "WHERE v.id = vacancy_term.vacancy_id)" for n in names))
    with op.batch_alter_table("vacancy_term") as batch:
        for name, type_ in _CARRIED:
            batch.alter_column(name, existing_type=type_, nullable=False)
    if postgres:
        op.execute("ALTER TABLE vacancy_term DROP CONSTRAINT pk_vacancy_term, "
                   f"ADD CONSTRAINT pk_vacancy_term PRIMARY KEY ({_KEY}) "
                   "INCLUDE (weight, " + ", ".join(names) + ")")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE vacancy_term DROP CONSTRAINT pk_vacancy_term, "
                   f"ADD CONSTRAINT pk_vacancy_term PRIMARY KEY ({_KEY})")
    with op.batch_alter_table("vacancy_term") as batch:
        for name, _ in reversed(_CARRIED):
            batch.drop_column(name)
