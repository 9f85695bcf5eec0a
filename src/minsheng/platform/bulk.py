"""The fast bulk path: ``COPY`` on PostgreSQL, one batched ``executemany`` on SQLite.

Imports and the synthetic-city generator write through here, never row by row via the ORM.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import CursorResult, Executable
from sqlalchemy.orm import Session


def dialect_name(session: Session) -> str:
    return session.get_bind().dialect.name


def load_rows(
    session: Session, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Append ``rows`` to ``table`` inside the session's transaction; return the count."""
    connection = session.connection().connection.driver_connection
    assert connection is not None
    column_list = ", ".join(columns)
    count = 0
    if dialect_name(session) == "postgresql":
        with connection.cursor() as cursor, cursor.copy(
            f"COPY {table} ({column_list}) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    placeholders = ", ".join("?" for _ in columns)
    batch: list[Sequence[Any]] = []
    cursor = connection.cursor()
    try:
        for row in rows:
            # sqlite3 binds no Decimal; text keeps it exact under NUMERIC affinity.
            batch.append(tuple(str(v) if isinstance(v, Decimal) else v for v in row))
            if len(batch) >= 10_000:
                cursor.executemany(f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})",
                                   batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})",
                               batch)
            count += len(batch)
    finally:
        cursor.close()
    return count


def execute_count(session: Session, statement: Executable) -> int:
    """Run a DML statement and return how many rows it touched."""
    result = session.execute(statement)
    return int(cast(CursorResult[Any], result).rowcount)


def create_temp_table(session: Session, name: str, columns_sql: str) -> None:
    """A scratch table private to this connection, dropped at commit on PostgreSQL."""
    from sqlalchemy import text

    session.execute(text(f"DROP TABLE IF EXISTS {name}"))
    suffix = " ON COMMIT DROP" if dialect_name(session) == "postgresql" else ""
    session.execute(text(f"CREATE TEMPORARY TABLE {name} ({columns_sql}){suffix}"))


def insert_staged(session: Session, table: str, columns: Sequence[str], select_sql: str,
                  params: dict[str, Any], conflict: str) -> int:
    """``INSERT INTO table (columns) <select_sql> ON CONFLICT (conflict) DO NOTHING`` in
    two steps: the select's rows (named as ``columns``) go to a scratch table first, then
    into ``table``. When the select reads ``table`` itself (what is already there), a
    one-step insert grows the table under its own scan, and the nested-loop plan chosen
    for a table whose statistics say empty becomes quadratic in the rows written.
    Returns the rows inserted."""
    from sqlalchemy import text

    session.execute(text("DROP TABLE IF EXISTS staged_rows"))
    suffix = " ON COMMIT DROP" if dialect_name(session) == "postgresql" else ""
    session.execute(text(f"CREATE TEMPORARY TABLE staged_rows{suffix} AS {select_sql}"),
                    params)
    column_list = ", ".join(columns)
    count = execute_count(session, text(
        f"INSERT INTO {table} ({column_list}) SELECT {column_list} FROM staged_rows "
        f"WHERE TRUE ON CONFLICT ({conflict}) DO NOTHING"))
    session.execute(text("DROP TABLE IF EXISTS staged_rows"))
    return count


def drop_temp_table(session: Session, name: str) -> None:
    from sqlalchemy import text

    session.execute(text(f"DROP TABLE IF EXISTS {name}"))


def analyze(session: Session, table: str) -> None:
    """Refresh the planner's statistics of ``table`` after a bulk write, inside the
    transaction (PostgreSQL ``ANALYZE``; nothing on SQLite). A later statement of the same
    job then sees the rows just written: with the statistics of an empty table the planner
    picks nested loops that are quadratic in them."""
    from sqlalchemy import text

    if dialect_name(session) == "postgresql":
        session.execute(text(f"ANALYZE {table}"))
