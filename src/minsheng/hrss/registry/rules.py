"""Validation rules for registry records, shared by the API, the pages and bulk imports.

Each checker collects *every* problem of a record (field, Chinese and English reason)
so that an import can report a whole row at once; nothing here touches the database.
Identifier rules: GB 11643-1999 (resident ID), GB 32100-2015 (USCC); divisions: GB/T 2260.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from minsheng.platform import ids, regions
from minsheng.platform.errors import FieldError, RuleViolation

T = TypeVar("T")

#: Mobile (1[3-9]xxxxxxxxx) or fixed line with area code (0xx-xxxxxxx).
PHONE_PATTERN = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
NAME_MAX = 64
HUKOU_ALIASES = {"urban": "urban", "城镇": "urban", "非农业": "urban",
                 "rural": "rural", "农村": "rural", "农业": "rural"}
SIZE_ALIASES = {"large": "large", "大型": "large", "medium": "medium", "中型": "medium",
                "small": "small", "小型": "small", "micro": "micro", "微型": "micro"}
INDUSTRY_SECTIONS = "ABCDEFGHIJKLMNOPQRST"


@dataclass(frozen=True)
class PersonRecord:
    resident_id: str
    name: str
    birth_date: date
    gender: str
    phone: str
    hukou_region: str
    residence_region: str
    hukou_type: str


@dataclass(frozen=True)
class EmployerRecord:
    uscc: str
    name: str
    region: str
    industry: str
    size_class: str
    work_injury_risk_class: int | None


def _text(raw: Mapping[str, Any], key: str) -> str:
    value = raw.get(key)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():  # spreadsheets turn codes into floats
        value = int(value)
    return str(value).strip()


def _check(errors: list[FieldError], fn: Callable[[], T]) -> T | None:
    try:
        return fn()
    except RuleViolation as exc:
        errors.extend(exc.errors)
        return None


def _required(errors: list[FieldError], field: str, value: str) -> bool:
    if not value:
        errors.append(FieldError(field, "不能为空", "is required"))
        return False
    return True


def check_name(errors: list[FieldError], value: str, field: str = "name") -> str | None:
    if not _required(errors, field, value):
        return None
    if len(value) > NAME_MAX:
        errors.append(FieldError(field, f"不能超过{NAME_MAX}个字符", f"at most {NAME_MAX} chars"))
        return None
    return value


def record_date(errors: list[FieldError], raw: Mapping[str, Any]) -> date | None:
    """The date a record speaks of (``record_date``, 登记日期: a row carried over from an
    older register), or ``None`` for today. Its regions are checked on that day
    (GB/T 2260 codes change: 500105 江北区 is valid in a 2024 record, not in a 2026 one)."""
    value = raw.get("record_date")
    if isinstance(value, datetime):
        value = value.date()
    if value is None or isinstance(value, date):
        found = value
    elif not (text := str(value).strip()):
        return None
    else:
        try:
            found = date.fromisoformat(text)
        except ValueError:
            errors.append(FieldError("record_date", "登记日期应为 YYYY-MM-DD 格式的日期",
                                     "record date must be a date YYYY-MM-DD"))
            return None
    if found is not None and found > date.today():
        errors.append(FieldError("record_date", "登记日期不能晚于今天",
                                 "record date cannot be in the future"))
        return None
    return found


def check_person(raw: Mapping[str, Any]) -> tuple[PersonRecord | None, list[FieldError]]:
    """A person's registration data: resident ID (GB 11643, birth date and gender taken
    from it), name, phone, household-registration (户籍) region, residence region (a
    county-level code of the service area; both in force on the record's date, see
    :func:`record_date`) and hukou type."""
    errors: list[FieldError] = []
    on = record_date(errors, raw)
    rid_text = _text(raw, "resident_id")
    rid = _check(errors, lambda: ids.parse_resident_id(rid_text)) if _required(
        errors, "resident_id", rid_text) else None
    name = check_name(errors, _text(raw, "name"))
    phone = _text(raw, "phone")
    if phone and not PHONE_PATTERN.match(phone):
        errors.append(FieldError("phone", "电话号码格式不正确", "not a valid phone number"))
    hukou_text = _text(raw, "hukou_region")
    hukou = _check(
        errors, lambda: regions.validate_hukou_region(hukou_text, "hukou_region", on)
    ) if _required(errors, "hukou_region", hukou_text) else None
    res_text = _text(raw, "residence_region")
    residence = _check(
        errors, lambda: regions.validate_residence_region(res_text, "residence_region", on)
    ) if _required(errors, "residence_region", res_text) else None
    hukou_type = HUKOU_ALIASES.get(_text(raw, "hukou_type").lower())
    if hukou_type is None:
        errors.append(FieldError("hukou_type", "户口性质应为城镇或农村",
                                 "must be urban or rural"))
    if errors or rid is None or name is None or hukou is None or residence is None:
        return None, errors
    assert hukou_type is not None
    return PersonRecord(rid.number, name, rid.birth_date, rid.gender, phone, hukou, residence,
                        hukou_type), []


def check_employer(raw: Mapping[str, Any]) -> tuple[EmployerRecord | None, list[FieldError]]:
    """An employer: USCC (GB 32100), name, registration region (county-level code of the
    service area in force on the record's date, see :func:`record_date`), industry
    section (GB/T 4754-2017 门类 A–T), size class
    (大型/中型/小型/微型 per 统计上大中小微型企业划分办法) and optional work-injury risk class 1–8
    (人社部发〔2015〕71号 industry classes)."""
    errors: list[FieldError] = []
    on = record_date(errors, raw)
    uscc_text = _text(raw, "uscc")
    uscc = _check(errors, lambda: ids.validate_uscc(uscc_text)) if _required(
        errors, "uscc", uscc_text) else None
    name = check_name(errors, _text(raw, "name"))
    region_text = _text(raw, "region")
    region = _check(
        errors, lambda: regions.validate_residence_region(region_text, "region", on)
    ) if _required(errors, "region", region_text) else None
    industry = _text(raw, "industry").upper()
    if len(industry) != 1 or industry not in INDUSTRY_SECTIONS:
        errors.append(FieldError("industry", "行业门类应为 A–T（GB/T 4754-2017）",
                                 "industry section must be A–T (GB/T 4754-2017)"))
    size_class = SIZE_ALIASES.get(_text(raw, "size_class").lower())
    if size_class is None:
        errors.append(FieldError(
            "size_class", "规模应为大型、中型、小型或微型",
            "size class must be large, medium, small or micro"))
    risk_text = _text(raw, "work_injury_risk_class")
    risk: int | None = None
    if risk_text:
        if risk_text.isdigit() and 1 <= int(risk_text) <= 8:
            risk = int(risk_text)
        else:
            errors.append(FieldError("work_injury_risk_class", "工伤风险类别应为 1–8",
                                     "work-injury risk class must be 1–8"))
    if errors or uscc is None or name is None or region is None or size_class is None:
        return None, errors
    return EmployerRecord(uscc, name, region, industry, size_class, risk), []


#: Provincial-level municipalities (直辖市): the whole municipality is one city.
MUNICIPALITY_PROVINCES = frozenset({"11", "12", "31", "50"})


def city_prefix(region_code: str) -> str:
    """The GB/T 2260 prefix of the city a counter belongs to, for 全市通办: any counter
    of the city serves any resident of it (Chongqing's practice for social-insurance
    services; the national frame is 国办发〔2020〕35号 on 政务服务"跨省通办",
    hrss-rules §10 — the local document itself was not retrieved ✘, so the scope is
    the city as a whole, not a list of items). A municipality directly under the
    central government (北京, 天津, 上海, 重庆) is one city, so its two-digit province
    code; elsewhere the prefecture-level city, four digits (成都市 5101). An empty code
    (a city-wide or national account) stays empty: it already sees everyone."""
    code = region_code.strip()
    if not code:
        return ""
    if code[:2] in MUNICIPALITY_PROVINCES:
        return code[:2]
    return code[:4]
