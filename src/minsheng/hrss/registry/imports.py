"""Bulk import of people and employers from .xlsx/.csv, and export of search results.

Rules of an import (issue: registry bulk import):
- every row is checked by the same rules as the API (``rules.check_person`` ...);
- valid rows are committed, every bad row is reported with row number, field and reason
  (also as a downloadable error sheet), nothing else is written;
- re-importing the same file changes nothing: rows already registered with the same
  data are counted as unchanged; the same ID with different data is a bad row;
- rows are staged with ``COPY`` (PostgreSQL) or one ``executemany`` (SQLite) and
  merged with one set-based ``INSERT ... SELECT``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, bindparam, text
from sqlalchemy.orm import Session

from minsheng.hrss.registry import rules
from minsheng.hrss.registry.models import Person
from minsheng.hrss.registry.service import person_query
from minsheng.platform import bulk, exports, ids, regions
from minsheng.platform.db import utcnow
from minsheng.platform.errors import FieldError, RuleViolation
from minsheng.platform.imports import (
    MAX_IMPORT_BYTES,
    RESIDENT_ID_ALIASES,
    ImportJob,
    read_table,
)
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal

Progress = Callable[[int, int], None]
EXPORT_ROW_LIMIT = 100_000


class ImportKind(StrEnum):
    PERSONS = "persons"
    EMPLOYERS = "employers"


PERSON_COLUMNS = ("resident_id", "name", "phone", "hukou_region", "residence_region", "hukou_type")
EMPLOYER_COLUMNS = ("uscc", "name", "region", "industry", "size_class", "work_injury_risk_class")
REQUIRED = {
    ImportKind.PERSONS: ("resident_id", "name", "hukou_region", "residence_region", "hukou_type"),
    ImportKind.EMPLOYERS: ("uscc", "name", "region", "industry", "size_class"),
}
#: The Chinese heading of each column, as the templates and the import page name it
#: (each one is also an accepted alias below).
COLUMN_HEADINGS = {
    ImportKind.PERSONS: {"resident_id": "公民身份号码", "name": "姓名", "phone": "联系电话",
                         "hukou_region": "户籍地区划", "residence_region": "居住地区划",
                         "hukou_type": "户口性质"},
    ImportKind.EMPLOYERS: {"uscc": "统一社会信用代码", "name": "单位名称", "region": "所在地区划",
                           "industry": "行业门类", "size_class": "规模",
                           "work_injury_risk_class": "工伤风险类别"},
}
#: Chinese column headings accepted as synonyms.
HEADER_ALIASES = {
    **RESIDENT_ID_ALIASES,
    "姓名": "name", "名称": "name", "单位名称": "name", "电话": "phone", "联系电话": "phone",
    "户籍地": "hukou_region", "户籍地区划": "hukou_region", "居住地": "residence_region",
    "居住地区划": "residence_region", "户口性质": "hukou_type",
    "统一社会信用代码": "uscc", "所在地区划": "region", "行业门类": "industry",
    "规模": "size_class",
    "工伤风险类别": "work_injury_risk_class",
    # Optional on both: the date of a record carried over from an older register; its
    # regions are checked on that day (rules.record_date).
    "登记日期": "record_date", "记录日期": "record_date",
}


# --- importing --------------------------------------------------------------------


def _row_errors(row_no: int, errors: list[FieldError]) -> list[dict[str, Any]]:
    return [{"row": row_no, **e.as_dict()} for e in errors]


_PERSON_STAGE = (
    "row_no INTEGER, resident_id VARCHAR(18), name VARCHAR(64), birth_date DATE, "
    "gender VARCHAR(1), phone VARCHAR(20), hukou_region VARCHAR(6), "
    "residence_region VARCHAR(6), hukou_type VARCHAR(8)"
)
_EMPLOYER_STAGE = (
    "row_no INTEGER, uscc VARCHAR(18), name VARCHAR(128), region VARCHAR(6), "
    "industry VARCHAR(1), size_class VARCHAR(8), work_injury_risk_class INTEGER"
)


def _stage_spec(kind: ImportKind) -> tuple[str, str, tuple[str, ...], str]:
    """(target table, stage columns DDL, data columns, natural key)."""
    cols: tuple[str, ...]
    if kind is ImportKind.PERSONS:
        cols = ("resident_id", "name", "birth_date", "gender", "phone", "hukou_region",
                "residence_region", "hukou_type")
        return "person", _PERSON_STAGE, cols, "resident_id"
    cols = ("uscc", "name", "region", "industry", "size_class", "work_injury_risk_class")
    return "employer", _EMPLOYER_STAGE, cols, "uscc"


def run_import(
    session: Session,
    actor: Principal,
    kind: ImportKind | str,
    file_name: str,
    content: bytes,
    *,
    progress: Progress | None = None,
) -> ImportJob:
    """Check every row, then merge the good ones in one set-based statement."""
    kind = ImportKind(kind)
    actor.require("registry:import")
    if len(content) > MAX_IMPORT_BYTES:
        raise RuleViolation("文件过大（上限 64 MB）", "File too large (limit 64 MB)")
    header, rows = read_table(file_name, content, HEADER_ALIASES)
    missing = [c for c in REQUIRED[kind] if c not in header]
    if missing:
        headings = COLUMN_HEADINGS[kind]
        raise RuleViolation(
            f"缺少必需的列：{'、'.join(headings.get(c, c) for c in missing)}",
            f"Missing required columns: {', '.join(missing)}",
            errors=[FieldError(c, "缺少此列", "column missing", row=1) for c in missing],
        )
    check = rules.check_person if kind is ImportKind.PERSONS else rules.check_employer
    target, stage_ddl, data_cols, key = _stage_spec(kind)
    region_field = "residence_region" if kind is ImportKind.PERSONS else "region"

    errors: list[dict[str, Any]] = []
    staged: list[tuple[Any, ...]] = []
    first_seen: dict[str, int] = {}
    total = 0
    for row_no, cells in rows:
        total += 1
        raw = dict(zip(header, cells, strict=False))
        record, problems = check(raw)
        if record is not None and not actor.sees_region(getattr(record, region_field)):
            problems = [FieldError(region_field, "不在您的管辖范围内", "outside your region scope")]
            record = None
        if record is not None:
            natural = getattr(record, key)
            if natural in first_seen:
                problems = [FieldError(key, f"与第 {first_seen[natural]} 行重复",
                                       f"duplicates row {first_seen[natural]}")]
                record = None
            else:
                first_seen[natural] = row_no
        if record is None:
            errors.extend(_row_errors(row_no, problems))
            continue
        staged.append((row_no, *(getattr(record, c) for c in data_cols)))
        if progress and total % 5_000 == 0:
            progress(total, 0)

    bulk.create_temp_table(session, "import_stage", stage_ddl)
    bulk.load_rows(session, "import_stage", ("row_no", *data_cols), staged)
    conflicts = _conflicting_rows(session, target, data_cols, key)
    extra_cols, extra_vals = _defaults(kind)
    merge = text(
        f"INSERT INTO {target} ({', '.join(data_cols)}, {extra_cols}) "
        f"SELECT {', '.join('s.' + c for c in data_cols)}, {extra_vals} FROM import_stage s "
        f"WHERE NOT EXISTS (SELECT 1 FROM {target} t WHERE t.{key} = s.{key}) ORDER BY s.row_no "
        f"ON CONFLICT ({key}) DO NOTHING"
    ).bindparams(bindparam("now", utcnow(), type_=DateTime(timezone=True)))
    inserted = bulk.execute_count(session, merge)
    bulk.drop_temp_table(session, "import_stage")
    if progress:
        progress(total, total)

    errors.extend(conflicts)
    errors.sort(key=lambda e: (e["row"], e["field"]))
    job = ImportJob(
        kind=kind.value,
        file_name=file_name[:255],
        file_sha256=hashlib.sha256(content).hexdigest(),
        actor=actor.username,
        total_rows=total,
        inserted_rows=inserted,
        unchanged_rows=len(staged) - inserted - len(conflicts),
        error_rows=len({e["row"] for e in errors}),
        errors=json.dumps(errors, ensure_ascii=False),
    )
    session.add(job)
    session.flush()
    audit.record(session, actor=actor.username, action=f"import.{kind.value}",
                 subject_type="import_job", subject_id=job.id,
                 payload={"file": file_name, "sha256": job.file_sha256, "total": total,
                          "inserted": inserted, "errors": job.error_rows})
    return job


def _defaults(kind: ImportKind) -> tuple[str, str]:
    if kind is ImportKind.PERSONS:
        return "status, version, created_at, updated_at", "'alive', 1, :now, :now"
    return "version, created_at, updated_at", "1, :now, :now"


def _conflicting_rows(
    session: Session, target: str, data_cols: tuple[str, ...], key: str
) -> list[dict[str, Any]]:
    """Staged rows whose key is already registered with different data."""
    compared = [c for c in data_cols if c != key]
    differs = " OR ".join(
        f"NOT (t.{c} = s.{c} OR (t.{c} IS NULL AND s.{c} IS NULL))" for c in compared
    )
    found = session.execute(text(
        f"SELECT s.row_no, t.id FROM import_stage s JOIN {target} t ON t.{key} = s.{key} "
        f"WHERE {differs}"
    )).all()
    return [
        {"row": row_no, "field": key,
         "message": f"已登记（编号 {existing}），且与本行信息不一致；请在详情页修改",
         "message_en": f"already registered (id {existing}) with different data; edit it there"}
        for row_no, existing in found
    ]


# --- exporting --------------------------------------------------------------------

EXPORT_HEADER = [
    "人员编号", "公民身份号码", "姓名", "性别", "出生日期", "户籍地", "居住地", "户口性质",
]


def export_persons_xlsx(session: Session, actor: Principal, *, q: str = "") -> bytes:
    """A search result as .xlsx with masked resident IDs (at most 100,000 rows)."""
    actor.require("registry:export")
    stmt = person_query(actor, q).order_by(Person.id).limit(EXPORT_ROW_LIMIT)
    people = session.scalars(stmt.execution_options(yield_per=5_000))
    content, count = exports.xlsx_bytes("人员", EXPORT_HEADER, ([
        person.id, ids.mask_resident_id(person.resident_id), person.name,
        "男" if person.gender == "M" else "女", person.birth_date.isoformat(),
        regions.name_of(person.hukou_region) or person.hukou_region,
        regions.name_of(person.residence_region) or person.residence_region,
        "城镇" if person.hukou_type == "urban" else "农村",
    ] for person in people))
    audit.record(session, actor=actor.username, action="person.export", subject_type="person",
                 subject_id="search", payload={"q": q, "rows": count})
    return content

