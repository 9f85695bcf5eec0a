"""pension payroll ledger: payments carry their run, the run records how far it got,
payment references checked per statement

``pension_payment.run_id`` names the run that sent a payment: the run writes each
payment once, already ``sent``, and its bank file reads its own payments back.
``pension_payroll_run.done_below`` is the run's ledger: every recipient with a smaller
``person_id`` was paid, so a crashed run resumes there. ``award_high`` and
``certification_high`` are the newest award and certification when the run began: a
second run of a closed month is a no-op when neither grew since (nothing new to pay).

``pension_payment.person_id`` loses its declared foreign key: PostgreSQL checks it by a
row trigger that looks up and locks the person once per payment, which cost more than
the rest of the insert on the monthly run (``EXPLAIN (ANALYZE)``, 100,000 payments). The
same rule is kept by a trigger that checks each statement's new rows in one anti-join
(PostgreSQL, transition tables) and refuses deleting a person a payment names; on
SQLite by row triggers (as ``contribution`` in revision 0027).

Revision ID: 0028
Revises: 0032
Create Date: 2026-12-05 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NAME = "fk_pension_payment_person_id_person"
_RAISE = ("RAISE EXCEPTION 'insert or update on table \"pension_payment\" violates foreign "
          f"key constraint \"{_NAME}\"' USING ERRCODE = 'foreign_key_violation', "
          f"CONSTRAINT = '{_NAME}', TABLE = 'pension_payment', "
          "DETAIL = format('Key (person_id)=(%s) is not present in table \"person\".', {value});")


def _postgresql_up() -> list[str]:
    return [
        # Statement level: one anti-join over the statement's new rows, planned for them
        # (EXECUTE), reading only the people between their least and greatest id.
        "CREATE FUNCTION pension_payment_check_references() RETURNS trigger "
        "LANGUAGE plpgsql AS $$\nDECLARE missing bigint; low bigint; high bigint;\nBEGIN\n"
        "  SELECT min(n.person_id), max(n.person_id) INTO low, high FROM new_rows n;\n"
        "  EXECUTE 'SELECT min(n.person_id) FROM new_rows n WHERE NOT EXISTS (SELECT 1 "
        "FROM person t WHERE t.id = n.person_id AND t.id BETWEEN $1 AND $2)' "
        "INTO missing USING low, high;\n"
        "  IF missing IS NOT NULL THEN\n    " + _RAISE.format(value="missing") + "\n  END IF;\n"
        "  RETURN NULL;\nEND $$",
        "CREATE TRIGGER pension_payment_references AFTER INSERT ON pension_payment "
        "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
        "EXECUTE FUNCTION pension_payment_check_references()",
        "CREATE FUNCTION pension_payment_check_references_row() RETURNS trigger "
        "LANGUAGE plpgsql AS $$\nBEGIN\n"
        "  IF NOT EXISTS (SELECT 1 FROM person t WHERE t.id = NEW.person_id) THEN\n    "
        + _RAISE.format(value="NEW.person_id") + "\n  END IF;\n  RETURN NULL;\nEND $$",
        "CREATE TRIGGER pension_payment_references_update AFTER UPDATE OF person_id "
        "ON pension_payment FOR EACH ROW "
        "EXECUTE FUNCTION pension_payment_check_references_row()",
        "CREATE FUNCTION person_keep_pension_payments() RETURNS trigger "
        "LANGUAGE plpgsql AS $$\nBEGIN\n"
        "  IF EXISTS (SELECT 1 FROM old_rows o JOIN pension_payment c "
        "ON c.person_id = o.id) THEN\n"
        "    RAISE EXCEPTION 'update or delete on table \"person\" violates foreign key "
        f"constraint \"{_NAME}\" on table \"pension_payment\"' "
        f"USING ERRCODE = 'foreign_key_violation', CONSTRAINT = '{_NAME}', "
        "TABLE = 'person';\n  END IF;\n  RETURN NULL;\nEND $$",
        "CREATE TRIGGER person_keep_pension_payments AFTER DELETE ON person "
        "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
        "EXECUTE FUNCTION person_keep_pension_payments()",
    ]


def _sqlite_up() -> list[str]:
    failed = "SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed')"
    missing = "NOT EXISTS (SELECT 1 FROM person WHERE id = NEW.person_id)"
    return [
        f"CREATE TRIGGER pension_payment_person_id_insert BEFORE INSERT ON pension_payment "
        f"WHEN {missing} BEGIN {failed}; END",
        f"CREATE TRIGGER pension_payment_person_id_update BEFORE UPDATE OF person_id "
        f"ON pension_payment WHEN {missing} BEGIN {failed}; END",
        f"CREATE TRIGGER person_keep_pension_payments BEFORE DELETE ON person "
        f"WHEN EXISTS (SELECT 1 FROM pension_payment WHERE person_id = OLD.id) "
        f"BEGIN {failed}; END",
    ]


def _postgresql_down() -> list[str]:
    return ["DROP TRIGGER pension_payment_references ON pension_payment",
            "DROP TRIGGER pension_payment_references_update ON pension_payment",
            "DROP TRIGGER person_keep_pension_payments ON person",
            "DROP FUNCTION pension_payment_check_references()",
            "DROP FUNCTION pension_payment_check_references_row()",
            "DROP FUNCTION person_keep_pension_payments()"]


def _sqlite_down() -> list[str]:
    return [f"DROP TRIGGER {name}" for name in (
        "pension_payment_person_id_insert", "pension_payment_person_id_update",
        "person_keep_pension_payments")]


def upgrade() -> None:
    with op.batch_alter_table("pension_payroll_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("done_below", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("award_high", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("certification_high", sa.Integer(), nullable=True))
    with op.batch_alter_table("pension_payment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("run_id", sa.Integer(), nullable=True))
        batch_op.drop_constraint(_NAME, type_="foreignkey")
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in _postgresql_up() if postgresql else _sqlite_up():
        op.execute(statement)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in _postgresql_down() if postgresql else _sqlite_down():
        op.execute(statement)
    with op.batch_alter_table("pension_payment", schema=None) as batch_op:
        batch_op.create_foreign_key(_NAME, "person", ["person_id"], ["id"])
        batch_op.drop_column("run_id")
    with op.batch_alter_table("pension_payroll_run", schema=None) as batch_op:
        batch_op.drop_column("certification_high")
        batch_op.drop_column("award_high")
        batch_op.drop_column("done_below")
