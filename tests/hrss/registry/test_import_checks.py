"""The person import's checks, row by row: every kind of bad value gets its own error row
(row number, field, bilingual reason), the same on SQLite (checked in Python) and on
PostgreSQL (checked set-based on a COPY of the file); a re-import writes nothing."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from minsheng.hrss.registry import imports
from minsheng.hrss.registry.models import Person
from minsheng.platform.security.models import AuditEvent
from tests import factories as f

HEADER = ["resident_id", "name", "phone", "hukou_region", "residence_region", "hukou_type"]
CHECK_CHARS = "0123456789X"


def _csv(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _with_check_char(body: str) -> str:
    """``body`` (17 digits) and its GB 11643-1999 check character, computed here from the
    standard's weights 2^(17-i) mod 11 and the table 1 0 X 9 8 7 6 5 4 3 2."""
    total = sum(int(c) * (2 ** (17 - i) % 11) for i, c in enumerate(body))
    return body + "10X98765432"[total % 11]


def _errors(job: imports.ImportJob) -> list[dict[str, object]]:
    return list(json.loads(job.errors))


def _fields(job: imports.ImportJob) -> set[tuple[object, object]]:
    return {(e["row"], e["field"]) for e in _errors(job)}


def test_every_kind_of_bad_value_is_reported_on_its_row(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked_set_based: list[object] = []
    set_based = imports._copy_and_check_persons

    def spy(*args: Any) -> Any:
        result = set_based(*args)
        checked_set_based.append(result)
        return result

    monkeypatch.setattr(imports, "_copy_and_check_persons", spy)
    clerk = f.staff(session, "clerk", "500103")
    ok = f.resident_id()
    wrong_check = ok[:17] + next(c for c in CHECK_CHARS if c != ok[17])
    tomorrow = date.today() + timedelta(days=1)
    rows = [
        [ok, "赵一", "13800000001", "500103", "500103", "urban"],                      # 2 ok
        [wrong_check, "钱二", "", "500103", "500103", "rural"],                        # 3
        [ok[:15], "孙三", "", "500103", "500103", "rural"],                            # 4 15 chars
        [ok[:10] + "A" + ok[11:], "李四", "", "500103", "500103", "rural"],            # 5 letter
        [_with_check_char("50010319850230001"), "周五", "", "500103", "500103", "rural"],  # 6
        [_with_check_char(f"500103{tomorrow:%Y%m%d}001"), "吴六", "", "500103", "500103",
         "rural"],                                                                       # 7
        [_with_check_char("99999919850101001"), "郑七", "", "500103", "500103", "rural"],  # 8
        [f.resident_id(), "", "", "500103", "500103", "rural"],                         # 9
        [f.resident_id(), "名" * 65, "", "500103", "500103", "rural"],                  # 10
        [f.resident_id(), "王八", "12345", "500103", "500103", "rural"],                # 11
        [f.resident_id(), "冯九", "", "999999", "500103", "rural"],                     # 12
        [f.resident_id(), "陈十", "", "500103", "110105", "rural"],                     # 13
        [f.resident_id(), "褚十一", "", "500103", "500112", "rural"],                   # 14
        [f.resident_id(), "卫十二", "", "500103", "500100", "rural"],                   # 15
        [f.resident_id(), "蒋十三", "", "500103", "500103", "城乡"],                    # 16
        [ok, "赵一", "13800000001", "500103", "500103", "urban"],                       # 17 dup
        [f.resident_id("500102"), "沈十四", "", "500102", "500102", "rural"],           # 18 scope
        ["", "", "", "", "", ""],                                          # 19 empty: skipped
        [f.resident_id(), "韩十五", "", "500103", "500103", "mountain"],                # 20
    ]
    job = imports.run_import(session, clerk, "persons", "p.csv", _csv(rows))
    assert _fields(job) == {
        (3, "resident_id"), (4, "resident_id"), (5, "resident_id"), (6, "resident_id"),
        (7, "resident_id"), (8, "resident_id"), (9, "name"), (10, "name"), (11, "phone"),
        (12, "hukou_region"), (13, "residence_region"), (14, "residence_region"),
        (15, "residence_region"), (16, "hukou_type"), (17, "resident_id"),
        (18, "residence_region"), (20, "hukou_type")}
    assert (job.total_rows, job.inserted_rows, job.error_rows) == (18, 1, 17)
    by_row = {e["row"]: e for e in _errors(job)}
    assert all(e["message"] and e["message_en"] for e in by_row.values())
    assert "校验码" in str(by_row[3]["message"]) and "check" in str(by_row[3]["message_en"])
    assert "15" in str(by_row[4]["message"])
    assert "0230" in str(by_row[6]["message"])
    assert "future" in str(by_row[7]["message_en"])
    assert "999999" in str(by_row[8]["message"])
    assert "2" in str(by_row[17]["message"]) and "row 2" in str(by_row[17]["message_en"])
    assert "scope" in str(by_row[18]["message_en"])
    if session.get_bind().dialect.name == "postgresql":  # the COPY path took the file
        assert len(checked_set_based) == 1 and checked_set_based[0] is not None


def test_exactly_the_right_check_character_is_accepted(session: Session) -> None:
    clerk = f.staff(session, "clerk", "500103")
    body = f.resident_id()[:17]
    rows = [[body + c, f"校验{c}", "", "500103", "500103", "rural"] for c in CHECK_CHARS]
    job = imports.run_import(session, clerk, "persons", "p.csv", _csv(rows))
    right = _with_check_char(body)
    assert job.inserted_rows == 1
    assert session.scalar(select(Person.resident_id).where(Person.name.like("校验%"))) == right
    assert _fields(job) == {(n, "resident_id") for n, c in enumerate(CHECK_CHARS, start=2)
                            if body + c != right}


def test_cells_are_normalised_as_the_rules_say(session: Session) -> None:
    clerk = f.staff(session, "clerk", "500103")
    female_x = next(rid for n in range(100, 400, 2)
                    if (rid := _with_check_char(f"50010319900101{n:03d}")).endswith("X"))
    fullwidth = f.resident_id()
    wide = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in fullwidth)
    rows = [
        [f" {female_x.lower()}\u3000", "\u3000钟一 ", " 023-12345678 ", "500103 ", " 500103",
         " URBAN "],
        [wide, "钟二", "", "500103", "500103", "农业"],
    ]
    job = imports.run_import(session, clerk, "persons", "p.csv", _csv(rows))
    assert job.inserted_rows == 2, job.errors
    people = {p.resident_id: p for p in session.scalars(
        select(Person).where(Person.resident_id.in_([female_x, fullwidth])))}
    one, two = people[female_x], people[fullwidth]
    assert (one.name, one.phone, one.hukou_region, one.residence_region, one.hukou_type,
            one.gender, one.birth_date) == ("钟一", "023-12345678", "500103", "500103",
                                            "urban", "F", date(1990, 1, 1))
    assert (two.name, two.hukou_type) == ("钟二", "rural")


def test_blank_and_short_lines_keep_their_row_numbers(session: Session) -> None:
    clerk = f.staff(session, "clerk", "500103")
    good = f.resident_id()
    # Row 2 is blank, row 3 good, row 4 short (COPY refuses such a file: read row by row).
    content = (_csv([]) + b"\n" + f"{good},吴一,,500103,500103,rural\n".encode()
               + f"{f.resident_id()},short\n".encode())
    job = imports.run_import(session, clerk, "persons", "p.csv", content)
    assert job.total_rows == 2
    assert job.inserted_rows == 1
    assert {row for row, _ in _fields(job)} == {4}


def test_reimport_of_unchanged_data_writes_nothing(session: Session) -> None:
    clerk = f.staff(session, "clerk", "500103")
    rows = [[f.resident_id(), f"不变{i}", "", "500103", "500103", "rural"] for i in range(30)]
    content = _csv(rows)
    first = imports.run_import(session, clerk, "persons", "p.csv", content)
    assert first.inserted_rows == 30
    session.flush()
    ids = [r[0] for r in rows]

    def snapshot() -> list[tuple[object, ...]]:
        return [tuple(r) for r in session.execute(
            select(Person.id, Person.name, Person.version, Person.updated_at)
            .where(Person.resident_id.in_(ids)).order_by(Person.id))]

    def row_versions() -> list[object]:
        if session.get_bind().dialect.name != "postgresql":
            return []
        return list(session.scalars(text(
            "SELECT xmin::text FROM person WHERE resident_id = ANY(:ids) ORDER BY id"),
            {"ids": ids}))

    def events() -> int:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0

    before, versions, events_before = snapshot(), row_versions(), events()
    again = imports.run_import(session, clerk, "persons", "p.csv", content)
    assert (again.inserted_rows, again.unchanged_rows, again.error_rows) == (0, 30, 0)
    assert snapshot() == before
    assert row_versions() == versions  # not even rewritten with the same values
    # One event for the import batch itself, none for the unchanged people.
    assert events() == events_before + 1
