"""assessment ledger: ranges of the monthly run, contribution references checked per
statement

The monthly assessment records each range of people it assessed (``assessment_range``):
a run resumes after the last recorded range, and a second run of a month finds nothing
to do from this table and the newest enrolment id.

``contribution.person_id`` and ``contribution.employer_id`` lose their declared foreign
keys: PostgreSQL checks a foreign key by a row trigger that looks the referenced row up
and locks it, once per row and key, which on the monthly run of 3,000,000 rows cost
more than writing them (``EXPLAIN (ANALYZE)``: 2.0 s of 4.9 s for 300,000 rows). The
same rule is kept by triggers that check each statement's new rows in one anti-join
(PostgreSQL, transition tables) and refuse deleting a person or employer that a
contribution names; on SQLite by row triggers.

Revision ID: 0027
Revises: 0030
Create Date: 2026-12-05 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (column, referenced table, the former constraint's name)
_REFERENCES = (("person_id", "person", "fk_contribution_person_id_person"),
               ("employer_id", "employer", "fk_contribution_employer_id_employer"))


def _postgresql_up() -> list[str]:
    checks = []
    for column, table, name in _REFERENCES:
        # EXECUTE: planned for each statement's rows, never a plan cached for a few
        # rows (a nested loop) run over millions; min() rather than LIMIT 1, which
        # plans a nested loop too (0.43 s against 0.25 s for 600,000 rows). The
        # referenced ids are read between the new rows' least and greatest only: a
        # range of the monthly run hashes its 200,000 people, not all of them (0.18 s
        # against 0.51 s for 600,000 rows among 1,000,000 people).
        checks.append(f"""
  SELECT min(n.{column}), max(n.{column}) INTO low, high FROM new_rows n;
  EXECUTE 'SELECT min(n.{column}) FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM {table} t '
          'WHERE t.id = n.{column} AND t.id BETWEEN $1 AND $2)'
    INTO missing USING low, high;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'insert or update on table "contribution" violates foreign key '
      'constraint "{name}"' USING ERRCODE = 'foreign_key_violation',
      CONSTRAINT = '{name}', TABLE = 'contribution',
      DETAIL = format('Key ({column})=(%s) is not present in table "{table}".', missing);
  END IF;""")
    statements = [
        # Statement level: one anti-join per key over the statement's new rows.
        "CREATE FUNCTION contribution_check_references() RETURNS trigger "
        "LANGUAGE plpgsql AS $$\nDECLARE missing bigint; low bigint; high bigint;\nBEGIN"
        + "".join(checks) + "\n  RETURN NULL;\nEND $$",
        "CREATE TRIGGER contribution_references AFTER INSERT ON contribution "
        "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
        "EXECUTE FUNCTION contribution_check_references()",
        # An update that sets the columns (never done in bulk; a column list rules out
        # transition tables): the same check on the new row.
        "CREATE FUNCTION contribution_check_references_row() RETURNS trigger "
        "LANGUAGE plpgsql AS $$\nBEGIN"
        + "".join(f"""
  IF NEW.{column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {table} t WHERE t.id = NEW.{column})
  THEN
    RAISE EXCEPTION 'insert or update on table "contribution" violates foreign key '
      'constraint "{name}"' USING ERRCODE = 'foreign_key_violation',
      CONSTRAINT = '{name}', TABLE = 'contribution',
      DETAIL = format('Key ({column})=(%s) is not present in table "{table}".', NEW.{column});
  END IF;""" for column, table, name in _REFERENCES)
        + "\n  RETURN NULL;\nEND $$",
        "CREATE TRIGGER contribution_references_update AFTER UPDATE OF person_id, "
        "employer_id ON contribution FOR EACH ROW "
        "EXECUTE FUNCTION contribution_check_references_row()",
    ]
    for column, table, name in _REFERENCES:
        statements += [
            f"CREATE FUNCTION {table}_keep_contributions() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$\nBEGIN\n"
            f"  IF EXISTS (SELECT 1 FROM old_rows o JOIN contribution c "
            f"ON c.{column} = o.id) THEN\n"
            f"    RAISE EXCEPTION 'update or delete on table \"{table}\" violates foreign key "
            f"constraint \"{name}\" on table \"contribution\"' "
            f"USING ERRCODE = 'foreign_key_violation', CONSTRAINT = '{name}', "
            f"TABLE = '{table}';\n"
            f"  END IF;\n  RETURN NULL;\nEND $$",
            f"CREATE TRIGGER {table}_keep_contributions AFTER DELETE ON {table} "
            f"REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
            f"EXECUTE FUNCTION {table}_keep_contributions()",
        ]
    return statements


def _sqlite_up() -> list[str]:
    failed = "SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed')"
    statements = []
    for column, table, _ in _REFERENCES:
        missing = (f"NEW.{column} IS NOT NULL AND NOT EXISTS "
                   f"(SELECT 1 FROM {table} WHERE id = NEW.{column})")
        statements += [
            f"CREATE TRIGGER contribution_{column}_insert BEFORE INSERT ON contribution "
            f"WHEN {missing} BEGIN {failed}; END",
            f"CREATE TRIGGER contribution_{column}_update BEFORE UPDATE OF {column} "
            f"ON contribution WHEN {missing} BEGIN {failed}; END",
            f"CREATE TRIGGER {table}_keep_contributions BEFORE DELETE ON {table} "
            f"WHEN EXISTS (SELECT 1 FROM contribution WHERE {column} = OLD.id) "
            f"BEGIN {failed}; END",
        ]
    return statements


def _postgresql_down() -> list[str]:
    return ["DROP TRIGGER contribution_references ON contribution",
            "DROP TRIGGER contribution_references_update ON contribution",
            "DROP FUNCTION contribution_check_references()",
            "DROP FUNCTION contribution_check_references_row()",
            *(f"DROP TRIGGER {table}_keep_contributions ON {table}"
              for _, table, _ in _REFERENCES),
            *(f"DROP FUNCTION {table}_keep_contributions()" for _, table, _ in _REFERENCES)]


def _sqlite_down() -> list[str]:
    return [f"DROP TRIGGER {name}" for column, table, _ in _REFERENCES
            for name in (f"contribution_{column}_insert", f"contribution_{column}_update",
                         f"{table}_keep_contributions")]


def upgrade() -> None:
    op.create_table(
        "assessment_range",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("region_prefix", sa.String(length=6), nullable=False),
        sa.Column("low", sa.Integer(), nullable=False),
        sa.Column("high", sa.Integer(), nullable=False),
        sa.Column("enrolment_high", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("inserted_rows", sa.Integer(), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_range")),
        sa.UniqueConstraint("period", "region_prefix", "low", "high",
                            name="uq_assessment_range"),
    )
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        for _, _, name in _REFERENCES:
            batch_op.drop_constraint(name, type_="foreignkey")
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in _postgresql_up() if postgresql else _sqlite_up():
        op.execute(statement)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in _postgresql_down() if postgresql else _sqlite_down():
        op.execute(statement)
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        for column, table, name in _REFERENCES:
            batch_op.create_foreign_key(name, table, [column], ["id"])
    op.drop_table("assessment_range")
