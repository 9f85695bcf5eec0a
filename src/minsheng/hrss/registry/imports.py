"""Bulk import of people and employers from .xlsx/.csv, and export of search results.

Rules of an import (issue: registry bulk import):
- every row is checked by the same rules as the API (``rules.check_person`` ...);
- valid rows are committed, every bad row is reported with row number, field and reason
  (also as a downloadable error sheet), nothing else is written;
- re-importing the same file changes nothing: rows already registered with the same
  data are counted as unchanged; the same ID with different data is a bad row;
- a .csv of people on PostgreSQL is ``COPY``-ed as it is into a scratch table and checked
  set-based (one ``INSERT ... SELECT`` of the check character, birth date, region codes
  joined to the codes in force, phone and hukou type); only the rows those checks do not
  accept outright are re-checked row by row by ``rules.check_person``, for their precise
  reasons. Any other file (and every file on SQLite) is checked row by row in Python and
  staged with ``COPY`` (PostgreSQL) or one ``executemany`` (SQLite);
- duplicates within the file and rows conflicting with the register are found from the
  staged rows, and the rest merged with one ``INSERT ... SELECT ... ON CONFLICT DO
  NOTHING``: a re-import of unchanged data writes no row, and one audit event per import.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, bindparam, text
from sqlalchemy.orm import Session

from minsheng.hrss.registry import rules
from minsheng.hrss.registry.service import PERSON_SORTING, person_query
from minsheng.platform import bulk, exports, ids, regions
from minsheng.platform.db import utcnow
from minsheng.platform.errors import FieldError, RuleViolation
from minsheng.platform.imports import (
    MAX_IMPORT_BYTES,
    RESIDENT_ID_ALIASES,
    ImportJob,
    read_table,
)
from minsheng.platform.paging import Sort
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


#: Staged rows carry a status: 0 valid (to merge), 1 set aside by the set-based checks
#: (re-checked row by row), 2 outside the actor's region scope, 3 duplicate in the file.
_PERSON_STAGE = (
    "row_no INTEGER, status SMALLINT, resident_id VARCHAR(18), name VARCHAR(64), birth_date DATE, "
    "gender VARCHAR(1), phone VARCHAR(20), hukou_region VARCHAR(6), "
    "residence_region VARCHAR(6), hukou_type VARCHAR(8)"
)
_EMPLOYER_STAGE = (
    "row_no INTEGER, status SMALLINT, uscc VARCHAR(18), name VARCHAR(128), region VARCHAR(6), "
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
    copy_header = _copy_header(session, kind, file_name, content)
    header, rows = (copy_header, iter(())) if copy_header is not None else read_table(
        file_name, content, HEADER_ALIASES)
    missing = [c for c in REQUIRED[kind] if c not in header]
    if missing:
        headings = COLUMN_HEADINGS[kind]
        raise RuleViolation(
            f"缺少必需的列：{'、'.join(headings.get(c, c) for c in missing)}",
            f"Missing required columns: {', '.join(missing)}",
            errors=[FieldError(c, "缺少此列", "column missing", row=1) for c in missing],
        )
    _, stage_ddl, data_cols, _ = _stage_spec(kind)
    if copy_header is not None:
        checked = _copy_and_check_persons(session, actor, content, header)
        if checked is not None:
            return _merge_and_record(session, actor, kind, file_name, content, *checked,
                                     progress)
        header, rows = read_table(file_name, content, HEADER_ALIASES)  # COPY refused it

    errors: list[dict[str, Any]] = []
    staged: list[tuple[Any, ...]] = []
    total = 0
    for row_no, cells in rows:
        total += 1
        record, problems = _check_row(kind, actor, dict(zip(header, cells, strict=False)))
        if record is None:
            errors.extend(_row_errors(row_no, problems))
            continue
        staged.append((row_no, 0, *(getattr(record, c) for c in data_cols)))
        if progress and total % 5_000 == 0:
            progress(total, 0)

    bulk.create_temp_table(session, "import_stage", stage_ddl)
    bulk.load_rows(session, "import_stage", ("row_no", "status", *data_cols), staged)
    return _merge_and_record(session, actor, kind, file_name, content, total, errors,
                             len(staged), progress)


def _check_row(kind: ImportKind, actor: Principal, raw: dict[str, Any]
               ) -> tuple[Any, list[FieldError]]:
    """One row by the rules of the API, then the actor's region scope."""
    check = rules.check_person if kind is ImportKind.PERSONS else rules.check_employer
    region_field = "residence_region" if kind is ImportKind.PERSONS else "region"
    record, problems = check(raw)
    if record is not None and not actor.sees_region(getattr(record, region_field)):
        return None, [FieldError(region_field, "不在您的管辖范围内", "outside your region scope")]
    return record, problems


def _merge_and_record(
    session: Session, actor: Principal, kind: ImportKind, file_name: str, content: bytes,
    total: int, errors: list[dict[str, Any]], staged_count: int, progress: Progress | None,
) -> ImportJob:
    """Reject the in-file duplicates and the rows conflicting with the register, merge
    the rest of ``import_stage`` (status 0) in one ``INSERT ... SELECT``, record the job."""
    target, _, data_cols, key = _stage_spec(kind)
    duplicates = _duplicate_rows(session, key)
    errors.extend(duplicates)
    staged_count -= len(duplicates)
    conflicts = _conflicting_rows(session, target, data_cols, key)
    extra_cols, extra_vals = _defaults(kind)
    merge = text(
        f"INSERT INTO {target} ({', '.join(data_cols)}, {extra_cols}) "
        f"SELECT {', '.join('s.' + c for c in data_cols)}, {extra_vals} FROM import_stage s "
        f"WHERE s.status = 0 AND NOT EXISTS (SELECT 1 FROM {target} t WHERE t.{key} = s.{key}) "
        f"ORDER BY s.row_no "
        f"ON CONFLICT ({key}) DO NOTHING"
    ).bindparams(bindparam("now", utcnow(), type_=DateTime(timezone=True)))
    inserted = bulk.execute_count(session, merge)
    bulk.drop_temp_table(session, "import_stage")
    bulk.drop_temp_table(session, "import_raw")
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
        unchanged_rows=staged_count - inserted - len(conflicts),
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


def _duplicate_rows(session: Session, key: str) -> list[dict[str, Any]]:
    """Valid staged rows whose key an earlier valid row of the file already has: each is
    reported against the first such row and set aside (status 3)."""
    later = (f"SELECT s.row_no, d.first_row FROM import_stage s JOIN ("
             f"SELECT {key} AS k, MIN(row_no) AS first_row FROM import_stage WHERE status = 0 "
             f"GROUP BY {key} HAVING COUNT(*) > 1) d ON s.{key} = d.k "
             f"WHERE s.status = 0 AND s.row_no > d.first_row")
    found = session.execute(text(later)).all()
    if not found:
        return []
    session.execute(text(f"UPDATE import_stage SET status = 3 WHERE status = 0 AND row_no IN "
                         f"(SELECT row_no FROM ({later}) x)"))
    return [e for row_no, first in found for e in _row_errors(
        row_no, [FieldError(key, f"与第 {first} 行重复", f"duplicates row {first}")])]


# --- the set-based checks of a .csv of people on PostgreSQL -------------------------

#: The characters Python's ``str.strip()`` removes (what ``rules`` strips from a cell).
_WHITESPACE = "".join(chr(c) for c in (
    0x9, 0xA, 0xB, 0xC, 0xD, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x85, 0xA0, 0x1680,
    *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000))
_PERSON_FIELDS = ("resident_id", "name", "phone", "hukou_region", "residence_region",
                  "hukou_type")


def _copy_header(session: Session, kind: ImportKind, file_name: str, content: bytes
                 ) -> list[str] | None:
    """The header of a file the set-based path takes (people, .csv, PostgreSQL, UTF-8,
    a one-line header, no 登记日期 column), else ``None``: every other file is read and
    checked row by row."""
    if (kind is not ImportKind.PERSONS or not file_name.lower().endswith(".csv")
            or bulk.dialect_name(session) != "postgresql"):
        return None
    end = content.find(b"\n")
    first = content if end < 0 else content[:end + 1]
    # A quoted header could span lines; "\." alone on a line ends COPY's data.
    if b'"' in first or content.startswith(b"\\.") or b"\n\\." in content:
        return None
    try:
        first.decode("utf-8")
    except UnicodeDecodeError:
        return None
    header, _ = read_table(file_name, first, HEADER_ALIASES)
    return None if "record_date" in header else header


def _copy_and_check_persons(
    session: Session, actor: Principal, content: bytes, header: list[str]
) -> tuple[int, list[dict[str, Any]], int] | None:
    """COPY the file into a scratch table as it is, check every row set-based and stage
    the valid ones (status 0) in ``import_stage``; return (rows, errors, rows staged), or
    ``None`` when COPY refuses the file (ragged or blank lines, bad bytes): the caller
    then reads it row by row, as before.

    The SQL checks accept only what :func:`rules.check_person` accepts outright: a plain
    18-character ID whose GB 11643 check character (ISO 7064 MOD 11-2), birth date and
    address code are right, a name of 1–64 characters, a phone of ``PHONE_PATTERN``,
    region codes in force today (``regions.codes_accepted``) and a hukou type
    of ``HUKOU_ALIASES``. Every row they do not accept is re-checked by
    ``rules.check_person`` itself, so each error keeps its precise bilingual message.
    """
    import psycopg  # the set-based path is PostgreSQL's

    columns = [f"c{i}" for i in range(len(header))]
    where = {name: i for i, name in enumerate(header)}  # the last of a repeated heading
    today = date.today()
    savepoint = session.begin_nested()
    try:
        session.execute(text("DROP TABLE IF EXISTS import_raw"))
        session.execute(text(
            "CREATE TEMPORARY TABLE import_raw (row_no INTEGER GENERATED ALWAYS AS IDENTITY "
            f"(START WITH 2), {', '.join(c + ' TEXT' for c in columns)}) ON COMMIT DROP"))
        driver = session.connection().connection.driver_connection
        assert driver is not None
        with driver.cursor() as cursor, cursor.copy(
            f"COPY import_raw ({', '.join(columns)}) FROM STDIN "
            "(FORMAT csv, HEADER true, ENCODING 'UTF8')"
        ) as copy:
            copy.write(content)
    except psycopg.Error:
        savepoint.rollback()
        return None
    savepoint.commit()

    bulk.create_temp_table(session, "import_region", (
        "code VARCHAR(6) PRIMARY KEY, known BOOLEAN, hukou_ok BOOLEAN, residence_ok BOOLEAN"))
    hukou_ok = regions.codes_accepted(today, service_area=False)
    residence_ok = regions.codes_accepted(today)
    bulk.load_rows(session, "import_region", ("code", "known", "hukou_ok", "residence_ok"), (
        (code, True, code in hukou_ok, code in residence_ok) for code in regions.all_codes()
        if len(code) == 6))
    bulk.analyze(session, "import_region")
    stage_ddl = _stage_spec(ImportKind.PERSONS)[1]
    bulk.create_temp_table(session, "import_stage", stage_ddl)

    def cell(field: str) -> str:
        i = where.get(field)
        return "''" if i is None else f"btrim(coalesce(c{i}, ''), :ws)"

    hukou_types = " ".join(f"WHEN '{alias}' THEN '{value}'"
                           for alias, value in rules.HUKOU_ALIASES.items())
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    checksum = " + ".join(f"substr(rid, {i + 1}, 1)::int * {w}" for i, w in enumerate(weights))
    not_blank = " OR ".join(f"{c} <> ''" for c in columns)  # NULL (empty) is not true
    total = bulk.execute_count(session, text(f"""
        INSERT INTO import_stage (row_no, status, resident_id, name, birth_date, gender, phone,
                                  hukou_region, residence_region, hukou_type)
        SELECT row_no, CASE WHEN NOT ok THEN 1 WHEN starts_with(rs, :prefix) THEN 0 ELSE 2 END,
               CASE WHEN ok THEN rid END, CASE WHEN ok THEN name END,
               CASE WHEN ok THEN make_date(y, m, d) END,
               CASE WHEN ok THEN CASE WHEN substr(rid, 17, 1)::int % 2 = 1 THEN 'M' ELSE 'F'
                    END END,
               CASE WHEN ok THEN phone END, CASE WHEN ok THEN hk END, CASE WHEN ok THEN rs END,
               CASE WHEN ok THEN ht END
        FROM (
            SELECT c.*, CASE
                WHEN form AND y >= 1 AND m BETWEEN 1 AND 12 AND d >= 1
                     AND d <= CASE WHEN m IN (4, 6, 9, 11) THEN 30 WHEN m <> 2 THEN 31
                                   WHEN y % 4 = 0 AND (y % 100 <> 0 OR y % 400 = 0) THEN 29
                                   ELSE 28 END
                THEN coalesce(
                    make_date(y, m, d) <= :today
                    AND substr('10X98765432', check_sum % 11 + 1, 1) = substr(rid, 18, 1)
                    AND a.known AND h.hukou_ok AND r.residence_ok
                    AND char_length(name) BETWEEN 1 AND {rules.NAME_MAX}
                    AND CASE WHEN phone = '' THEN TRUE
                         WHEN char_length(phone) = 11 AND ltrim(phone, '0123456789') = ''
                              AND left(phone, 1) = '1'
                              AND strpos('3456789', substr(phone, 2, 1)) > 0
                         THEN TRUE  -- a mobile number, without the cost of the pattern
                         ELSE phone ~ '^(1[3-9][0-9]{{9}}|0[0-9]{{2,3}}-?[0-9]{{7,8}})$' END
                    AND ht IS NOT NULL, FALSE)
                ELSE FALSE END AS ok
            FROM (
                SELECT b.*,
                       CASE WHEN form THEN substr(rid, 7, 4)::int END AS y,
                       CASE WHEN form THEN substr(rid, 11, 2)::int END AS m,
                       CASE WHEN form THEN substr(rid, 13, 2)::int END AS d,
                       CASE WHEN form THEN {checksum} END AS check_sum
                FROM (
                    SELECT row_no, upper(rid) AS rid, rid ~ '^[0-9]{{17}}[0-9Xx]$' AS form,
                           name, phone, hk, rs,
                           CASE ht {hukou_types} ELSE CASE WHEN ht ~ '^[A-Za-z]+$'
                                THEN CASE lower(ht) {hukou_types} END END END AS ht
                    FROM (
                        SELECT row_no, {cell("resident_id")} AS rid, {cell("name")} AS name,
                               {cell("phone")} AS phone, {cell("hukou_region")} AS hk,
                               {cell("residence_region")} AS rs, {cell("hukou_type")} AS ht
                        FROM import_raw WHERE {not_blank} OFFSET 0
                    ) raw OFFSET 0
                ) b OFFSET 0
            ) c
            LEFT JOIN import_region a ON a.code = substr(c.rid, 1, 6)
            LEFT JOIN import_region h ON h.code = c.hk
            LEFT JOIN import_region r ON r.code = c.rs
            OFFSET 0
        ) checked
    """).bindparams(ws=_WHITESPACE, prefix=actor.region_prefix, today=today))

    # The joins that follow (duplicates, the register) need the row count and key stats.
    session.execute(text("ANALYZE import_stage (status, resident_id)"))
    errors: list[dict[str, Any]] = []
    for (row_no,) in session.execute(text(
            "SELECT row_no FROM import_stage WHERE status = 2 ORDER BY row_no")):
        errors.extend(_row_errors(row_no, [FieldError(
            "residence_region", "不在您的管辖范围内", "outside your region scope")]))
    rechecked: list[tuple[Any, ...]] = []
    data_cols = _stage_spec(ImportKind.PERSONS)[2]
    for row_no, *cells in session.execute(text(
            f"SELECT r.row_no, {', '.join('r.' + c for c in columns)} FROM import_raw r "
            "JOIN import_stage s ON s.row_no = r.row_no WHERE s.status = 1 ORDER BY r.row_no")):
        record, problems = _check_row(ImportKind.PERSONS, actor, dict(
            zip(header, (c if c is not None else "" for c in cells), strict=False)))
        if record is None:
            errors.extend(_row_errors(row_no, problems))
        else:
            rechecked.append((row_no, 0, *(getattr(record, c) for c in data_cols)))
    bulk.load_rows(session, "import_stage", ("row_no", "status", *data_cols), rechecked)
    staged = session.scalar(text("SELECT COUNT(*) FROM import_stage WHERE status = 0")) or 0
    return total, errors, int(staged)


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
        f"WHERE s.status = 0 AND ({differs})"
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


def export_persons_xlsx(session: Session, actor: Principal, *, q: str = "",
                        sort: Sort | None = None) -> bytes:
    """A search result as .xlsx in the search's order with masked resident IDs (at most
    100,000 rows)."""
    actor.require("registry:export")
    stmt = PERSON_SORTING.apply(person_query(actor, q), sort or PERSON_SORTING.default
                                ).limit(EXPORT_ROW_LIMIT)
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

