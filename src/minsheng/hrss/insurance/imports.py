"""增员 by upload: an employer's file of new employees, checked row by row, merged
set-based. Good rows are enrolled in the employee schemes; every bad row is reported
with its row number, column and reason; nothing else is written. Re-uploading the same
file changes nothing (the rows then overlap their own enrolments and are reported)."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import DateTime, bindparam, text
from sqlalchemy.orm import Session

from minsheng.hrss.insurance.models import EMPLOYEE_SCHEMES
from minsheng.hrss.insurance.service import SCHEME_LABELS, employer_for
from minsheng.platform import bulk, ids
from minsheng.platform.db import utcnow
from minsheng.platform.errors import FieldError, RuleViolation
from minsheng.platform.imports import RESIDENT_ID_ALIASES, ImportJob, read_table
from minsheng.platform.months import parse_month
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal

HIRE_COLUMNS = ("resident_id", "start_month", "declared_wage")
#: The Chinese heading of each column, as the template and the page name it.
HIRE_HEADINGS = {"resident_id": "公民身份号码", "start_month": "起始月份",
                 "declared_wage": "申报工资"}
HIRE_ALIASES = {"起始月份": "start_month", "参保月份": "start_month", "申报工资": "declared_wage",
                "缴费工资": "declared_wage"}
_STAGE = "row_no INTEGER, resident_id VARCHAR(18), start_month INTEGER, declared_wage NUMERIC(14,2)"


def _row_error(row: int, field: str, zh: str, en: str) -> dict[str, Any]:
    return {"row": row, **FieldError(field, zh, en).as_dict()}


def _check_row(row_no: int, raw: dict[str, Any]) -> tuple[tuple[Any, ...] | None,
                                                           list[dict[str, Any]]]:
    errors: list[dict[str, Any]] = []
    number = month = wage = None
    try:
        number = ids.parse_resident_id(str(raw.get("resident_id") or "").strip()).number
    except RuleViolation as exc:
        errors += [{"row": row_no, **e.as_dict()} for e in exc.errors]
    try:
        month = parse_month(str(raw.get("start_month") or ""), "start_month")
    except RuleViolation as exc:
        errors += [{"row": row_no, **e.as_dict()} for e in exc.errors]
    try:
        wage = Decimal(str(raw.get("declared_wage") or "").strip()).quantize(Decimal("0.01"))
        if wage < 0 or wage >= Decimal("1e10"):
            raise InvalidOperation
    except InvalidOperation:
        errors.append(_row_error(row_no, "declared_wage", "申报工资应为非负金额",
                                 "declared wage must be a non-negative amount"))
    if errors:
        return None, errors
    return (row_no, number, month, wage), []


def import_hires(session: Session, actor: Principal, employer_id: int, file_name: str,
                 content: bytes) -> ImportJob:
    """Enrol the employees listed in ``content`` in employee pension, unemployment and
    work-injury insurance with this employer."""
    actor.require("insurance:employer")
    employer = employer_for(session, actor, employer_id)
    header, rows = read_table(file_name, content, {**RESIDENT_ID_ALIASES, **HIRE_ALIASES})
    missing = [c for c in HIRE_COLUMNS if c not in header]
    if missing:
        raise RuleViolation(f"缺少必需的列：{'、'.join(HIRE_HEADINGS[c] for c in missing)}",
                            f"Missing required columns: {', '.join(missing)}",
                            errors=[FieldError(c, "缺少此列", "column missing", row=1)
                                    for c in missing])
    errors: list[dict[str, Any]] = []
    staged: list[tuple[Any, ...]] = []
    seen: dict[str, int] = {}
    total = 0
    for row_no, cells in rows:
        total += 1
        good, problems = _check_row(row_no, dict(zip(header, cells, strict=False)))
        if good is not None and good[1] in seen:
            problems = [_row_error(row_no, "resident_id", f"与第 {seen[good[1]]} 行重复",
                                   f"duplicates row {seen[good[1]]}")]
            good = None
        if good is None:
            errors += problems
            continue
        seen[good[1]] = row_no
        staged.append(good)
    bulk.create_temp_table(session, "hire_stage", _STAGE)
    bulk.load_rows(session, "hire_stage", ("row_no", "resident_id", "start_month",
                                           "declared_wage"), staged)
    unknown = session.execute(text(
        "SELECT s.row_no FROM hire_stage s LEFT JOIN person p ON p.resident_id = s.resident_id "
        "WHERE p.id IS NULL")).scalars().all()
    errors += [_row_error(r, "resident_id", "未找到该参保人，请先办理人员登记",
                          "no such person; register them first") for r in unknown]
    overlapping = session.execute(text(
        "SELECT DISTINCT s.row_no, e.scheme FROM hire_stage s "
        "JOIN person p ON p.resident_id = s.resident_id JOIN enrolment e ON e.person_id = p.id "
        "WHERE (e.scheme IN ('employee_pension','unemployment','work_injury','resident_pension')) "
        "AND (e.end_month IS NULL OR e.end_month >= s.start_month)")).all()
    errors += [_row_error(r, "start_month", f"与已有参保记录（{SCHEME_LABELS[scheme]}）重叠",
                          f"overlaps an existing {scheme} enrolment") for r, scheme in overlapping]
    bad_rows = sorted({e["row"] for e in errors})
    bulk.create_temp_table(session, "hire_bad", "row_no INTEGER")
    bulk.load_rows(session, "hire_bad", ("row_no",), [(r,) for r in bad_rows])
    inserted = 0
    for scheme in EMPLOYEE_SCHEMES:
        inserted += bulk.execute_count(session, text(
            "INSERT INTO enrolment (person_id, scheme, employer_id, start_month, end_month, "
            "declared_wage, version, created_at, updated_at) "
            "SELECT p.id, :scheme, :employer, s.start_month, NULL, s.declared_wage, 1, :now, :now "
            "FROM hire_stage s JOIN person p ON p.resident_id = s.resident_id "
            "WHERE NOT EXISTS (SELECT 1 FROM hire_bad b WHERE b.row_no = s.row_no)"
        ).bindparams(bindparam("now", utcnow(), type_=DateTime(timezone=True)),
                     scheme=scheme, employer=employer.id))
    for name in ("hire_stage", "hire_bad"):
        bulk.drop_temp_table(session, name)
    errors.sort(key=lambda e: (e["row"], e["field"]))
    job = ImportJob(kind="hires", file_name=file_name[:255],
                    file_sha256=hashlib.sha256(content).hexdigest(), actor=actor.username,
                    total_rows=total, inserted_rows=inserted // len(EMPLOYEE_SCHEMES),
                    unchanged_rows=0, error_rows=len(bad_rows),
                    errors=json.dumps(errors, ensure_ascii=False))
    session.add(job)
    session.flush()
    audit.record(session, actor=actor.username, action="import.hires", subject_type="employer",
                 subject_id=employer.id, payload={"job": job.id, "file": file_name,
                                                  "hired": job.inserted_rows,
                                                  "errors": job.error_rows})
    return job
