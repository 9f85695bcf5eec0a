"""Bulk import of skill certificates and professional titles from .xlsx/.csv (hundreds
of thousands of rows): each row's cells are parsed, the rows are staged in a scratch
table (COPY on PostgreSQL), and every check against the database is one statement over
the whole file — the holder by resident ID, a certificate number twice in the file or
already on record, a date before the holder's birth. Either every row is inserted, in
one ``INSERT … SELECT``, or none is and the report names each bad row (in Chinese).
The upload is recorded as a platform import job."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from minsheng.hrss.talent import rules
from minsheng.platform import bulk, imports
from minsheng.platform.db import flush, utcnow
from minsheng.platform.errors import RuleViolation
from minsheng.platform.messages import field_label
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal

#: The most row errors a report keeps (the count of bad rows is always whole).
MAX_REPORTED_ERRORS = 5000
STAGE = "talent_import_stage"

CERTIFICATE_ALIASES = {**imports.RESIDENT_ID_ALIASES, "职业编码": "occupation_code",
                       "职业（工种）编码": "occupation_code", "等级": "level",
                       "职业技能等级": "level", "证书编号": "certificate_no",
                       "发证日期": "issued_on", "发证机构": "issuing_body",
                       "评价机构": "issuing_body"}
TITLE_ALIASES = {**imports.RESIDENT_ID_ALIASES, "职称系列": "series", "系列": "series",
                 "职称等级": "level", "等级": "level", "证书编号": "certificate_no",
                 "取得日期": "granted_on", "评审通过日期": "granted_on",
                 "发证机构": "issuing_body", "评审机构": "issuing_body"}

_SKILL_LEVELS: dict[str, int] = {
    **{str(n): n for n in range(1, 6)},
    **{label: n for n, label in rules.SKILL_LEVEL_LABELS.items()},
    **{f"{c}级": n for n, c in enumerate("一二三四五", start=1)},
}
_TITLE_LEVELS = {**{k: k for k in rules.TITLE_LEVEL_LABELS},
                 **{v: k for k, v in rules.TITLE_LEVEL_LABELS.items()}, "副高": "deputy_senior",
                 "正高": "senior", "高级": "deputy_senior"}
_SERIES = {**{k: k for k in rules.TITLE_SERIES}, **{v: k for k, v in rules.TITLE_SERIES.items()}}


class RowError(ValueError):
    def __init__(self, field: str, message: str, message_en: str) -> None:
        super().__init__(message_en)
        self.field, self.message, self.message_en = field, message, message_en


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _day(value: Any, field: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = _text(value)
    if not raw:
        raise RowError(field, "请填写日期", "a date is required")
    try:
        return date.fromisoformat(raw.replace("/", "-"))
    except ValueError:
        raise RowError(field, "日期格式应为“年-月-日”，如 2020-06-30",
                       "dates are YYYY-MM-DD") from None


def _certificate_no(value: Any) -> str:
    number = rules.normal_certificate_no(_text(value))
    if not rules.is_certificate_no(number):
        raise RowError("certificate_no", "证书编号应为6至32位字母、数字或连字符",
                       "certificate_no must be 6-32 letters, digits or hyphens")
    return number


def _resident_id(value: Any) -> str:
    number = _text(value).upper()
    if not number or len(number) > 18:
        raise RowError("resident_id", "请填写18位公民身份号码", "an 18-character resident ID")
    return number


def _certificate_row(r: dict[str, Any], today: date) -> tuple[Any, ...]:
    level = _SKILL_LEVELS.get(_text(r.get("level")))
    if level is None:
        raise RowError("skill_level", "职业技能等级应为1至5级（1级为高级技师，5级为初级工）",
                       "level must be 1 to 5")
    occupation = _text(r.get("occupation_code"))
    if not rules.is_occupation_code(occupation):
        raise RowError("occupation_code", "职业编码应为职业分类大典的细类编码，如 6-18-01-01",
                       "occupation_code must look like 6-18-01-01")
    issued = _day(r.get("issued_on"), "issued_on")
    if issued > today:
        raise RowError("issued_on", "发证日期不能晚于今天", "issued_on is in the future")
    return (_resident_id(r.get("resident_id")), _certificate_no(r.get("certificate_no")),
            occupation, level, issued.isoformat(), _text(r.get("issuing_body"))[:100])


def _title_row(r: dict[str, Any], today: date) -> tuple[Any, ...]:
    series = _SERIES.get(_text(r.get("series")))
    if series is None:
        raise RowError("series", "职称系列应为工程、卫生、教育、农业、经济、会计等",
                       "unknown title series")
    level = _TITLE_LEVELS.get(_text(r.get("level")))
    if level is None:
        raise RowError("title_level", "职称等级应为初级、中级、副高级或正高级",
                       "unknown title level")
    granted = _day(r.get("granted_on"), "granted_on")
    if granted > today:
        raise RowError("granted_on", "取得日期不能晚于今天", "granted_on is in the future")
    return (_resident_id(r.get("resident_id")), _certificate_no(r.get("certificate_no")),
            series, level, granted.isoformat(), _text(r.get("issuing_body"))[:100])


@dataclass(frozen=True)
class Kind:
    """One kind of upload: the job kind, the target table, the staged columns after
    ``row_no, resident_id, certificate_no`` and the date column."""

    job_kind: str
    table: str
    aliases: dict[str, str]
    required: tuple[str, ...]
    columns: tuple[str, str, str, str]   # the two value columns, the date, issuing_body
    parse: Callable[[dict[str, Any], date], tuple[Any, ...]]
    date_label: str


CERTIFICATES = Kind("skill_cert", "skill_certificate", CERTIFICATE_ALIASES,
                    ("resident_id", "occupation_code", "level", "certificate_no", "issued_on"),
                    ("occupation_code", "level", "issued_on", "issuing_body"),
                    _certificate_row, "发证日期")
TITLES = Kind("title", "professional_title", TITLE_ALIASES,
              ("resident_id", "series", "level", "certificate_no", "granted_on"),
              ("series", "level", "granted_on", "issuing_body"), _title_row, "取得日期")
KINDS = {"skill-certificates": CERTIFICATES, "titles": TITLES}


def _stage(session: Session, kind: Kind, rows: Iterator[tuple[Any, ...]]) -> int:
    value_a, value_b, day, body = kind.columns
    level_type = "INTEGER" if kind is CERTIFICATES else "VARCHAR(16)"
    bulk.create_temp_table(session, STAGE, (
        f"row_no INTEGER, resident_id VARCHAR(18), certificate_no VARCHAR(32), "
        f"{value_a} VARCHAR(16), {value_b} {level_type}, {day} DATE, {body} VARCHAR(100)"))
    count = bulk.load_rows(session, STAGE, ["row_no", "resident_id", "certificate_no",
                                            value_a, value_b, day, body], rows)
    session.execute(text(f"CREATE INDEX ix_{STAGE}_no ON {STAGE} (certificate_no)"))
    session.execute(text(f"CREATE INDEX ix_{STAGE}_rid ON {STAGE} (resident_id)"))
    bulk.analyze(session, STAGE)
    return count


def _set_checks(session: Session, kind: Kind) -> list[dict[str, Any]]:
    """Every check against the database and across rows, one statement each."""
    day = kind.columns[2]
    checks = [
        ("resident_id", "未找到该公民身份号码的人员", "no person with that resident ID",
         f"SELECT s.row_no FROM {STAGE} s LEFT JOIN person p ON p.resident_id = s.resident_id "
         "WHERE p.id IS NULL"),
        ("certificate_no", "证书编号在文件中重复出现", "the certificate number repeats in the file",
         f"SELECT s.row_no FROM {STAGE} s WHERE EXISTS (SELECT 1 FROM {STAGE} t "
         "WHERE t.certificate_no = s.certificate_no AND t.row_no < s.row_no)"),
        ("certificate_no", "证书编号已登记在册", "the certificate number is already on record",
         f"SELECT s.row_no FROM {STAGE} s JOIN {kind.table} c "
         "ON c.certificate_no = s.certificate_no"),
        (day, f"{kind.date_label}不能早于本人出生日期", "the date is before the holder's birth",
         f"SELECT s.row_no FROM {STAGE} s JOIN person p ON p.resident_id = s.resident_id "
         f"WHERE s.{day} < p.birth_date"),
    ]
    errors = []
    for field, message, message_en, sql in checks:
        for (row_no,) in session.execute(text(sql + " ORDER BY s.row_no")):
            errors.append({"row": int(row_no), "field": field, "message": message,
                           "message_en": message_en})
    return errors


def _insert(session: Session, kind: Kind, actor: Principal) -> int:
    value_a, value_b, day, body = kind.columns
    now = utcnow()
    return bulk.execute_count(session, text(
        f"INSERT INTO {kind.table} (certificate_no, person_id, region, {value_a}, {value_b}, "
        f"{day}, {body}, recorded_by, version, created_at, updated_at) "
        f"SELECT s.certificate_no, p.id, p.residence_region, s.{value_a}, s.{value_b}, "
        f"s.{day}, COALESCE(s.{body}, ''), :actor, 1, :now, :now "
        f"FROM {STAGE} s JOIN person p ON p.resident_id = s.resident_id ORDER BY s.row_no"
    ).bindparams(actor=actor.username, now=now))


def import_records(session: Session, actor: Principal, kind_name: str, file_name: str,
                   content: bytes) -> imports.ImportReport:
    """批量导入职业技能等级证书 (``skill-certificates``) or 职称 (``titles``) from an .xlsx
    or .csv: all rows or none, with the report of every bad row."""
    actor.require("talent:write")
    kind = KINDS.get(kind_name)
    if kind is None:
        raise RuleViolation("导入类别应为职业技能等级证书或职称", "kind: unknown import kind")
    header, rows = imports.read_table(file_name, content, kind.aliases)
    missing = [c for c in kind.required if c not in header]
    if missing:
        raise RuleViolation("缺少必填列：" + "、".join(field_label(c) for c in missing),
                            "Missing columns: " + ", ".join(missing))
    today = date.today()
    errors: list[dict[str, Any]] = []
    total = 0

    def parsed() -> Iterator[tuple[Any, ...]]:
        nonlocal total
        for n, row in rows:
            total += 1
            try:
                values = kind.parse(dict(zip(header, row, strict=False)), today)
            except RowError as bad:
                errors.append({"row": n, "field": bad.field, "message": bad.message,
                               "message_en": bad.message_en})
                continue
            yield (n, *values)

    _stage(session, kind, parsed())
    errors += _set_checks(session, kind)
    errors.sort(key=lambda e: (e["row"], e["field"]))
    bad_rows = len({e["row"] for e in errors})
    inserted = 0
    if not errors:
        inserted = _insert(session, kind, actor)
    bulk.drop_temp_table(session, STAGE)
    job = imports.ImportJob(kind=kind.job_kind, file_name=file_name[:255],
                            file_sha256=hashlib.sha256(content).hexdigest(),
                            actor=actor.username, total_rows=total, inserted_rows=inserted,
                            unchanged_rows=0, error_rows=bad_rows,
                            errors=json.dumps(errors[:MAX_REPORTED_ERRORS], ensure_ascii=False))
    session.add(job)
    flush(session)
    audit.record(session, actor=actor.username, action="talent.import",
                 subject_type="import_job", subject_id=job.id,
                 payload={"kind": kind.job_kind, "rows": total, "inserted": inserted,
                          "errors": bad_rows})
    return imports.report_of(job)
