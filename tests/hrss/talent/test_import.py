"""Bulk import of skill certificates and titles: a good file goes in whole; a file with
bad rows is refused whole with each bad row named (in Chinese), nothing written."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.hrss.talent.models import ProfessionalTitle, SkillCertificate
from minsheng.hrss.talent.schemas import SkillCertificateCreate
from minsheng.hrss.talent.service import records, uploads
from minsheng.platform.errors import RuleViolation
from minsheng.platform.imports import ImportJob
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f

API = "/api/v1/talent/imports"
CERT_HEADER = ["公民身份号码", "职业编码", "等级", "证书编号", "发证日期", "发证机构"]


def _csv(header: list[str], rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _xlsx(header: list[str], rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


class TestCertificateImport:
    def test_a_good_file_goes_in_whole(self, client: TestClient, session: Session) -> None:
        people = [f.person(session) for _ in range(3)]
        headers = f.login(client, f.staff(session, "clerk", "500103"))
        rows: list[list[object]] = [
            [people[0].resident_id, "6-18-01-01", 3, "S5001000001", date(2020, 6, 30), "评价机构"],
            [people[1].resident_id, "4-01-02-00", "高级技师", "S5001000002", "2019-01-02", ""],
            [people[2].resident_id, "6-31-01-03", "五级", "S5001000003", "2021/03/04", None],
            [people[0].resident_id, "6-18-01-01", 2.0, "S5001000004", "2024-06-30", "某机构"]]
        answer = client.post(f"{API}/skill-certificates", headers=headers,
                             files={"file": ("证书.xlsx", _xlsx(CERT_HEADER, rows))})
        assert answer.status_code == 200, answer.text
        report = answer.json()
        assert (report["total_rows"], report["inserted_rows"], report["error_rows"]) == (4, 4, 0)
        found = {c.certificate_no: (c.person_id, c.level, c.issued_on, c.region)
                 for c in session.scalars(select(SkillCertificate))}
        assert found == {
            "S5001000001": (people[0].id, 3, date(2020, 6, 30), "500103"),
            "S5001000002": (people[1].id, 1, date(2019, 1, 2), "500103"),
            "S5001000003": (people[2].id, 5, date(2021, 3, 4), "500103"),
            "S5001000004": (people[0].id, 2, date(2024, 6, 30), "500103")}
        job = session.get(ImportJob, report["job_id"])
        assert job is not None and job.kind == "skill_cert" and job.inserted_rows == 4

    def test_bad_rows_are_each_named_and_nothing_is_written(self, session: Session) -> None:
        people = [f.person(session) for _ in range(3)]
        records.record_certificate(session, SYSTEM, SkillCertificateCreate(
            person_id=people[0].id, occupation_code="6-18-01-01", level=4,
            certificate_no="S5001009999", issued_on=date(2018, 1, 1)))
        tomorrow = (date.today() + timedelta(days=1)).isoformat()
        rows: list[list[object]] = [
            [people[0].resident_id, "6-18-01-01", 3, "S5001000001", "2020-06-30", ""],  # 2 ok
            ["110101199001011234", "6-18-01-01", 3, "S5001000002", "2020-06-30", ""],  # 3
            [people[1].resident_id, "6-18-01-01", 7, "S5001000003", "2020-06-30", ""],  # 4
            [people[1].resident_id, "6-18-01-01", 2, "S5001000001", "2020-06-30", ""],  # 5
            [people[2].resident_id, "6-18-01-01", 2, "S5001009999", "2020-06-30", ""],  # 6
            [people[2].resident_id, "6-18-01-01", 2, "S5001000006", tomorrow, ""],  # 7
            [people[2].resident_id, "6-18-01-01", 2, "S5001000007", "1970-01-01", ""],  # 8
            [people[2].resident_id, "618", 2, "S5001000008", "2020-06-30", ""],  # 9
            [people[2].resident_id, "6-18-01-01", 2, "S5001000009", "30/06/2020", ""]]  # 10
        report = uploads.import_records(session, SYSTEM, "skill-certificates", "证书.csv",
                                        _csv(CERT_HEADER, rows))
        by_row = {(e["row"], e["field"]): str(e["message"]) for e in report.errors}
        assert sorted(by_row) == [
            (3, "resident_id"), (4, "skill_level"), (5, "certificate_no"), (6, "certificate_no"),
            (7, "issued_on"), (8, "issued_on"), (9, "occupation_code"), (10, "issued_on")]
        assert "未找到该公民身份号码" in by_row[(3, "resident_id")]
        assert "1至5级" in by_row[(4, "skill_level")]
        assert "文件中重复" in by_row[(5, "certificate_no")]
        assert "已登记" in by_row[(6, "certificate_no")]
        assert "晚于今天" in by_row[(7, "issued_on")]
        assert "出生日期" in by_row[(8, "issued_on")]
        assert (report.total_rows, report.inserted_rows, report.error_rows) == (9, 0, 8)
        assert _count(session, SkillCertificate) == 1

    def test_missing_columns_are_named(self, session: Session) -> None:
        with pytest.raises(RuleViolation) as refused:
            uploads.import_records(session, SYSTEM, "skill-certificates", "x.csv",
                                   _csv(["公民身份号码", "等级"], [["1", "2"]]))
        assert "职业" in refused.value.message and "证书编号" in refused.value.message


class TestTitleImport:
    def test_titles_in_whole_or_not_at_all(self, client: TestClient, session: Session) -> None:
        people = [f.person(session) for _ in range(2)]
        headers = f.login(client, f.staff(session, "clerk", "500103"))
        header = ["公民身份号码", "职称系列", "职称等级", "证书编号", "取得日期"]
        good = [[people[0].resident_id, "工程", "副高级", "GC2019000001", "2019-12-20"],
                [people[1].resident_id, "health", "intermediate", "WS2018000001", "2018-06-01"]]
        bad = [*good, [people[1].resident_id, "魔法", "正高", "WS2018000002", "2018-06-01"]]
        refused = client.post(f"{API}/titles", headers=headers,
                              files={"file": ("职称.csv", _csv(header, bad))})
        assert refused.status_code == 200
        assert [(e["row"], e["field"]) for e in refused.json()["errors"]] == [(4, "series")]
        assert _count(session, ProfessionalTitle) == 0
        taken = client.post(f"{API}/titles", headers=headers,
                            files={"file": ("职称.csv", _csv(header, good))}).json()
        assert taken["inserted_rows"] == 2
        assert sorted((t.person_id, t.series, t.level)
                      for t in session.scalars(select(ProfessionalTitle))) == sorted(
            [(people[0].id, "engineering", "deputy_senior"),
             (people[1].id, "health", "intermediate")])

    def test_an_unknown_kind_and_the_wrong_role(self, client: TestClient,
                                                session: Session) -> None:
        clerk = f.login(client, f.staff(session, "clerk", "500103"))
        assert client.post(f"{API}/pets", headers=clerk,
                           files={"file": ("x.csv", b"a\n1\n")}).status_code == 422
        reader = f.login(client, f.staff(session, "statistician", "500103"))
        assert client.post(f"{API}/titles", headers=reader,
                           files={"file": ("x.csv", b"a\n1\n")}).status_code == 403
