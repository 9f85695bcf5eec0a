"""Bulk import: good rows in, bad rows reported, nothing else written, idempotent."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.hrss.registry import imports
from minsheng.hrss.registry.models import Employer, Person
from minsheng.platform import imports as import_jobs
from minsheng.platform.errors import RuleViolation
from minsheng.platform.messages import field_label
from tests import factories as f

HEADER = ["resident_id", "name", "phone", "hukou_region", "residence_region", "hukou_type"]


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _xlsx(header: list[str], rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Person)) or 0


def _mixed_rows() -> tuple[list[list[str]], set[tuple[int, str]]]:
    good1, good2, dup = f.resident_id(), f.resident_id(), f.resident_id()
    rows = [
        [good1, "赵一", "13800000001", "500103", "500103", "urban"],            # row 2 ok
        [good1[:-1] + ("0" if good1[-1] != "0" else "1"), "钱二", "", "500103", "500103",
         "rural"],                                                               # 3 check digit
        [good2, "孙三", "123", "500103", "500103", "城镇"],                      # 4 phone
        [dup, "李四", "", "500103", "500112", "rural"],                          # 5 abolished
        [dup, "", "", "500103", "500103", "农村"],                               # 6 empty name
        [dup, "周五", "", "500103", "500103", "农村"],                           # 7 ok
        [f.resident_id(), "吴六", "", "500103", "500103", "suburban"],           # 8 hukou type
        [dup, "周五", "", "500103", "500103", "农村"],                           # 9 dup of 7
    ]
    expected = {(3, "resident_id"), (4, "phone"), (5, "residence_region"), (6, "name"),
                (8, "hukou_type"), (9, "resident_id")}
    return rows, expected


class TestImportPersons:
    def test_mixed_file_commits_good_rows_and_reports_each_bad_one(
        self, session: Session
    ) -> None:
        clerk = f.staff(session, "clerk", "500103")
        rows, expected = _mixed_rows()
        before = _count(session)
        job = imports.run_import(session, clerk, "persons", "people.csv", _csv(rows))
        assert (job.total_rows, job.inserted_rows, job.error_rows) == (8, 2, 6)
        reported = {(e["row"], e["field"]) for e in json.loads(job.errors)}
        assert reported == expected
        assert all(e["message"] and e["message_en"] for e in json.loads(job.errors))
        assert _count(session) == before + 2
        names = set(session.scalars(select(Person.name).where(
            Person.resident_id.in_([rows[0][0], rows[5][0]]))))
        assert names == {"赵一", "周五"}

    def test_reimporting_the_same_file_changes_nothing(self, session: Session) -> None:
        clerk = f.staff(session, "clerk", "500103")
        rows, _ = _mixed_rows()
        content = _csv(rows)
        imports.run_import(session, clerk, "persons", "people.csv", content)
        snapshot = session.execute(
            select(Person.id, Person.name, Person.version).order_by(Person.id)).all()
        again = imports.run_import(session, clerk, "persons", "people.csv", content)
        assert again.inserted_rows == 0
        assert again.unchanged_rows == 2
        assert session.execute(
            select(Person.id, Person.name, Person.version).order_by(Person.id)).all() == snapshot

    def test_same_id_with_different_data_is_a_bad_row(self, session: Session) -> None:
        clerk = f.staff(session, "clerk", "500103")
        existing = f.person(session, name="原名")
        job = imports.run_import(session, clerk, "persons", "p.csv", _csv(
            [[existing.resident_id, "新名", "", "500103", "500103", "urban"]]))
        errors = json.loads(job.errors)
        assert [(e["row"], e["field"]) for e in errors] == [(2, "resident_id")]
        assert str(existing.id) in errors[0]["message_en"]
        session.refresh(existing)
        assert existing.name == "原名"

    def test_rows_outside_the_clerks_district_are_rejected(self, session: Session) -> None:
        clerk = f.staff(session, "clerk", "500103")
        job = imports.run_import(session, clerk, "persons", "p.csv", _csv(
            [[f.resident_id("500102"), "涪陵人", "", "500102", "500102", "rural"]]))
        assert job.inserted_rows == 0
        assert json.loads(job.errors)[0]["field"] == "residence_region"

    def test_xlsx_with_chinese_headers_and_numeric_cells(self, session: Session) -> None:
        clerk = f.staff(session, "clerk", "500103")
        rid = f.resident_id()
        content = _xlsx(["公民身份号码", "姓名", "联系电话", "户籍地", "居住地", "户口性质"],
                        [[rid, "郑七", 13800000002, 500103, 500103, "城镇"]])
        job = imports.run_import(session, clerk, "persons", "p.xlsx", content)
        assert job.inserted_rows == 1, job.errors
        person = session.scalar(select(Person).where(Person.resident_id == rid))
        assert person is not None and person.phone == "13800000002"

    def test_missing_column_rejects_the_whole_file(self, session: Session) -> None:
        clerk = f.staff(session, "clerk", "500103")
        before = _count(session)
        with pytest.raises(RuleViolation) as err:
            imports.run_import(session, clerk, "persons", "p.csv",
                               b"resident_id,name\n11010519491231002X,x\n")
        assert {e.field for e in err.value.errors} == {"hukou_region", "residence_region",
                                                       "hukou_type"}
        assert _count(session) == before

    def test_unsupported_file_type(self, session: Session) -> None:
        clerk = f.staff(session, "clerk", "500103")
        with pytest.raises(RuleViolation):
            imports.run_import(session, clerk, "persons", "p.txt", b"hello")

    def test_error_sheet_lists_the_bad_rows(self, session: Session) -> None:
        clerk = f.staff(session, "clerk", "500103")
        rows, expected = _mixed_rows()
        job = imports.run_import(session, clerk, "persons", "people.csv", _csv(rows))
        book = openpyxl.load_workbook(io.BytesIO(import_jobs.error_sheet(session, clerk, job.id)))
        sheet = book.worksheets[0]
        assert next(sheet.iter_rows(max_row=1, values_only=True)) == ("行号", "字段", "原因")
        listed = {(r[0], r[1]) for r in sheet.iter_rows(min_row=2, values_only=True)}
        assert listed == {(row, field_label(field)) for row, field in expected}


class TestImportEmployers:
    def test_good_and_bad_employers(self, session: Session) -> None:
        clerk = f.staff(session, "clerk", "500103")
        good = f.uscc_code()
        header = ["uscc", "name", "region", "industry", "size_class", "work_injury_risk_class"]
        content = _xlsx(header, [
            [good, "重庆好公司", "500103", "C", "小型", 3],
            [good[:-1] + ("0" if good[-1] != "0" else "1"), "坏代码", "500103", "C", "small", ""],
            [f.uscc_code(), "坏行业", "500103", "Z", "small", ""],
            [f.uscc_code(), "坏规模", "500103", "C", "huge", 9],
        ])
        job = imports.run_import(session, clerk, "employers", "e.xlsx", content)
        assert job.inserted_rows == 1
        reported = {(e["row"], e["field"]) for e in json.loads(job.errors)}
        assert reported == {(3, "uscc"), (4, "industry"), (5, "size_class"),
                            (5, "work_injury_risk_class")}
        employer = session.scalar(select(Employer).where(Employer.uscc == good))
        assert employer is not None
        assert (employer.size_class, employer.work_injury_risk_class) == ("small", 3)


class TestExport:
    def test_export_masks_ids(self, session: Session) -> None:
        p = f.person(session, name="导出测试")
        stats = f.staff(session, "statistician", "50")
        book = openpyxl.load_workbook(io.BytesIO(
            imports.export_persons_xlsx(session, stats, q="导出测试")))
        rows = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
        assert [r[1] for r in rows] == [p.resident_id[:4] + "*" * 10 + p.resident_id[-4:]]
