"""Administrative division codes (GB/T 2260 《中华人民共和国行政区划代码》).

The codes and their history come from the ``cn/loc.dat`` file that python-stdnum
bundles (derived from the Chinese Wikipedia tables of division codes, which follow
the Ministry of Civil Affairs' yearly publications). Each six-digit code may have
had several names over time; every name is kept as one :class:`Division` *period*
with the years (inclusive) in which it was in force.

Two kinds of validity matter and must not be confused:

* **ever known** (:func:`is_known`): resident ID numbers carry the county code of
  the household registration *at the time of issue* and are never renumbered, so
  codes of abolished divisions (500112 渝北区, 510202 重庆市市中区, 512300 涪陵地区 …)
  stay valid inside ID numbers (GB 11643-1999, §4.2 of the standard; see
  ``reference/hrss-rules.md`` §1.1 and §2);
* **current** (:func:`is_current`): new addresses (residence, household registration)
  must use a code in force in the current year;
* **in force on a record's date** (:func:`validate_region`): a record dated before a
  reorganisation (a 2024 land project in 500105 江北区) keeps the code valid on its own
  date, and indicators count it under today's district through the dated successor table
  (:func:`rollup_sql`, :func:`within_sql`).

The dated division table (:func:`dated_division`) is the year table of ``loc.dat`` made
exact by the packaged ``data/division_changes.csv`` (code, name, first and last day,
successor code, source), which records the reorganisations the services depend on
(``reference/hrss-rules.md`` §2: the 2025 Chongqing reorganisation).

The file is read once, lazily, and cached; all provinces are loaded because ID
numbers come from everywhere.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files
from typing import Any

from sqlalchemy import ColumnElement, case, literal, literal_column, or_
from stdnum.util import isdigits

from minsheng.platform.errors import RuleViolation, invalid_field

#: Provinces served by Minsheng: Chongqing (50) and Sichuan (51).
SERVICE_PROVINCES: tuple[str, ...] = ("50", "51")

#: Names of the grouping entries of GB/T 2260 ("市辖区" = the districts of a city,
#: "县" / "市" = the counties / county-level cities of a municipality). They are
#: headings in the code table, not county-level divisions.
GROUPING_NAMES: frozenset[str] = frozenset({"市辖区", "县", "市"})

_CODE = re.compile(r"^[0-9]{6}$")
_PERIOD = re.compile(r"^\[(?P<start>[0-9]{4})?-(?P<end>[0-9]{4})?\](?P<name>.+)$")
_PROPERTY = re.compile(r'(\w+)="([^"]*)"')
_PROVINCE_LINE = re.compile(r"^(?P<code>[0-9]{2})\s+(?P<props>.*)$")
_COUNTY_LINE = re.compile(r"^\s+(?P<code>[0-9]{4})\s+(?P<props>.*)$")


@dataclass(frozen=True)
class Division:
    """One name of one division code during one period (years inclusive).

    ``valid_from``/``valid_to`` of ``None`` mean an open end (in force since before
    the first edition of GB/T 2260, or still in force).
    """

    code: str
    name: str
    province_code: str
    valid_from: int | None
    valid_to: int | None

    def valid_in(self, year: int) -> bool:
        """Whether this name of the code was in force at some time in ``year``."""
        if self.valid_from is not None and year < self.valid_from:
            return False
        return self.valid_to is None or year <= self.valid_to


@dataclass(frozen=True)
class _Table:
    provinces: Mapping[str, str]
    periods: Mapping[str, tuple[Division, ...]]
    codes: tuple[str, ...]  # sorted


def _sort_key_chronological(d: Division) -> tuple[float, float]:
    start = float("-inf") if d.valid_from is None else float(d.valid_from)
    end = float("inf") if d.valid_to is None else float(d.valid_to)
    return (start, end)


def _sort_key_latest(d: Division) -> tuple[float, float]:
    start, end = _sort_key_chronological(d)
    return (end, start)


def _parse_periods(code: str, province: str, value: str) -> list[Division]:
    result: list[Division] = []
    for part in value.split(","):
        part = part.strip()
        if not part:
            continue
        match = _PERIOD.match(part)
        if match is None:
            # No bracket: in force for the whole span the table covers.
            result.append(Division(code, part, province, None, None))
            continue
        start = int(match["start"]) if match["start"] else None
        end = int(match["end"]) if match["end"] else None
        if start is not None and end is not None and start > end:
            # The table has a few inverted ranges such as "[1983-1982]郊区" (a name
            # replaced in the 1983 revision). Tolerate them as the span between.
            start, end = end, start
        result.append(Division(code, match["name"].strip(), province, start, end))
    return result


def _parse(lines: list[str]) -> _Table:
    provinces: dict[str, str] = {}
    periods: dict[str, list[Division]] = {}
    province: str | None = None
    for raw in lines:
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if (m := _PROVINCE_LINE.match(line)) is not None:
            province = m["code"]
            props = dict(_PROPERTY.findall(m["props"]))
            provinces[province] = props.get("province", "")
            continue
        if (m := _COUNTY_LINE.match(line)) is not None and province is not None:
            code = province + m["code"]
            props = dict(_PROPERTY.findall(m["props"]))
            value = props.get("county")
            if value:
                periods.setdefault(code, []).extend(_parse_periods(code, province, value))
            continue
        raise ValueError(f"unexpected line in stdnum cn/loc.dat: {line!r}")
    return _Table(
        provinces=provinces,
        periods={
            code: tuple(sorted(ps, key=_sort_key_chronological)) for code, ps in periods.items()
        },
        codes=tuple(sorted(periods)),
    )


@cache
def _table() -> _Table:
    resource = files("stdnum") / "cn" / "loc.dat"
    return _parse(resource.read_text(encoding="utf-8").splitlines())


def _year(on: date | None) -> int:
    return (on or date.today()).year


def periods_of(code: str) -> tuple[Division, ...]:
    """All names the code has had, oldest first (empty if never a GB/T 2260 code)."""
    return _table().periods.get(code, ())


def all_codes() -> list[str]:
    """Every code that has ever been in the GB/T 2260 table, sorted."""
    return list(_table().codes)


def division_of(code: str, year: int | None = None) -> Division | None:
    """The period of ``code`` in force in ``year``; with no year, its latest period.

    When two names overlap in a year (a renaming during the year), the newer one wins.
    """
    periods = periods_of(code)
    if year is None:
        return max(periods, key=_sort_key_latest) if periods else None
    in_force = [p for p in periods if p.valid_in(year)]
    return max(in_force, key=_sort_key_chronological) if in_force else None


def name_of(code: str, year: int | None = None) -> str | None:
    """Name of ``code`` in force in ``year`` (GB/T 2260), or its latest name if no year.

    Returns ``None`` for an unknown code, or a code not in force in that year.
    """
    division = division_of(code, year)
    return division.name if division else None


def is_known(code: str) -> bool:
    """Whether ``code`` has ever been a GB/T 2260 code (valid inside ID numbers)."""
    return bool(periods_of(code))


def is_current(code: str, on: date | None = None) -> bool:
    """Whether ``code`` is in force in the year of ``on`` (default: today).

    GB/T 2260 changes are published per year, so validity is judged per calendar
    year: 500105 江北区 (in force until 2025) is not current in 2026, and 500157
    两江新区 (from 2025) is.
    """
    return division_of(code, _year(on)) is not None


def is_county_level(code: str) -> bool:
    """Whether ``code`` is a county-level division (区, 县, 县级市, 旗 …).

    By GB/T 2260 code structure, codes ending in ``00`` are provinces and
    prefecture-level units (and the "县"/"市" headings of municipalities such as
    500200), and the ``xx01`` "市辖区" entries are headings for a city's districts.
    """
    if not _CODE.match(code) or code.endswith("00"):
        return False
    periods = periods_of(code)
    return bool(periods) and not any(p.name in GROUPING_NAMES for p in periods)


def current_counties(province_prefix: str, on: date | None = None) -> list[Division]:
    """County-level divisions in force in the year of ``on`` whose code starts with
    ``province_prefix`` (``"50"`` = Chongqing, ``"5101"`` = Chengdu), sorted by code."""
    year = _year(on)
    result: list[Division] = []
    for code in _table().codes:
        if code.startswith(province_prefix) and is_county_level(code):
            division = division_of(code, year)
            if division is not None:
                result.append(division)
    return result


def province_name(code: str) -> str | None:
    """Name of the province-level division of ``code`` (its first two digits).

    Uses the latest name of the ``xx0000`` entry (simplified Chinese), falling back
    to the province heading of the table.
    """
    if len(code) < 2 or not isdigits(code[:2]):
        return None
    prefix = code[:2]
    name = name_of(prefix + "0000")
    return name if name is not None else _table().provinces.get(prefix)


def scope_prefix(code: str) -> str:
    """Region scope of a staff member as a code prefix: trailing ``00`` pairs removed.

    A province-level code covers the province (``500000`` → ``"50"``), a prefecture
    covers its counties (``510100`` → ``"5101"``), a county covers itself
    (``500103`` → ``"500103"``). ``""`` means the whole country.
    """
    if code == "":
        return ""
    if not isdigits(code) or len(code) % 2 or len(code) > 6:
        raise invalid_field(
            "region_scope",
            f"区划范围“{code}”应为 2、4 或 6 位数字",
            f"region scope {code!r} must be 2, 4 or 6 digits",
        )
    while code.endswith("00"):
        code = code[:-2]
    return code


def in_scope(code: str, prefix: str) -> bool:
    """Whether a region ``code`` lies inside a scope ``prefix`` (``""`` = everywhere)."""
    return code.startswith(prefix)


@cache
def _current_county_codes(year: int) -> frozenset[str]:
    """County-level codes in force in ``year`` (the fast path of the validators)."""
    return frozenset(
        code for code in all_codes()
        if is_county_level(code) and division_of(code, year) is not None
    )


@cache
def codes_accepted(on: date, *, service_area: bool = True) -> frozenset[str]:
    """Every code :func:`validate_region` accepts on ``on`` (inside the service area
    unless ``service_area`` is false). A set-based import joins its rows to these; any
    other code goes through :func:`validate_region` for its precise reason."""
    accepted = set()
    for code in all_codes():
        try:
            accepted.add(validate_region(code, on, service_area=service_area))
        except RuleViolation:
            continue
    return frozenset(accepted)


def validate_residence_region(
    code: str, field: str = "residence_region", on: date | None = None
) -> str:
    """Check a residence region: a county-level GB/T 2260 code in force on ``on``
    (default today; see :func:`validate_region`), inside the service area (Chongqing
    50, Sichuan 51).

    New addresses use current codes only; abolished codes stay acceptable inside ID
    numbers (see :func:`minsheng.platform.ids.parse_resident_id`), not here.
    Returns the code; raises ``RuleViolation`` naming ``field`` otherwise.
    """
    return validate_region(code, on, field)


def validate_hukou_region(code: str, field: str = "hukou_region", on: date | None = None) -> str:
    """Check a household-registration (户籍) region: a county-level GB/T 2260 code in
    force on ``on`` (default today; see :func:`validate_region`), anywhere in China.

    Returns the code; raises ``RuleViolation`` naming ``field`` otherwise.
    """
    return validate_region(code, on, field, service_area=False)


# --- dated validity and roll-up to today's districts ----------------------------------


@dataclass(frozen=True)
class DatedDivision:
    """A division code with the exact days it was in force and what replaced it.

    ``valid_from_date``/``valid_to_date`` of ``None`` are open ends; ``successor_code``
    is the county-level division that took over the code's area (the main successor
    where an area was split), ``None`` while the code is in force or unrecorded.
    """

    code: str
    name: str
    valid_from_date: date | None
    valid_to_date: date | None
    successor_code: str | None
    source: str

    def valid_on(self, on: date) -> bool:
        return ((self.valid_from_date is None or self.valid_from_date <= on)
                and (self.valid_to_date is None or on <= self.valid_to_date))


@cache
def _changes() -> Mapping[str, DatedDivision]:
    resource = files("minsheng.platform") / "data" / "division_changes.csv"
    result: dict[str, DatedDivision] = {}
    for row in csv.DictReader(io.StringIO(resource.read_text(encoding="utf-8"))):
        result[row["code"]] = DatedDivision(
            row["code"], row["name"],
            date.fromisoformat(row["valid_from_date"]) if row["valid_from_date"] else None,
            date.fromisoformat(row["valid_to_date"]) if row["valid_to_date"] else None,
            row["successor_code"] or None, row["source"])
    return result


def dated_division(code: str) -> DatedDivision | None:
    """The whole life of ``code``: the exact row of ``data/division_changes.csv`` where
    there is one, else the years of ``loc.dat`` as days (1 January of the first year to
    31 December of the last), named by its latest name; ``None`` for an unknown code."""
    if code in _changes():
        return _changes()[code]
    periods = periods_of(code)
    if not periods:
        return None
    starts = [p.valid_from for p in periods]
    ends = [p.valid_to for p in periods]
    start = None if None in starts else min(s for s in starts if s is not None)
    end = None if None in ends else max(e for e in ends if e is not None)
    latest = max(periods, key=_sort_key_latest)
    return DatedDivision(code, latest.name, date(start, 1, 1) if start else None,
                         date(end, 12, 31) if end else None, None, "GB/T 2260（stdnum cn/loc.dat）")


def successor_on(code: str, on: date | None = None) -> str:
    """The division that stands for ``code``'s area on ``on`` (default today): the code
    itself while in force, else its successor, followed to the end of the chain."""
    on = on or date.today()
    seen = {code}
    division = dated_division(code)
    while (division is not None and not division.valid_on(on)
           and division.successor_code and division.successor_code not in seen):
        seen.add(division.successor_code)
        code = division.successor_code
        division = dated_division(code)
    return code


def rollup_map(on: date | None = None) -> dict[str, str]:
    """Every abolished code of the dated table and the district it counts under on ``on``
    (default today): ``{"500105": "500157", "500112": "500157"}``."""
    result = {}
    for code in _changes():
        successor = successor_on(code, on)
        if successor != code:
            result[code] = successor
    return result


def rollup_sql(column: Any, on: date | None = None) -> ColumnElement[Any]:
    """SQL: ``column`` (a region code) as today's district, for ``GROUP BY`` in
    indicators: ``CASE column WHEN '500105' THEN '500157' … ELSE column END``."""
    mapping = rollup_map(on)
    if not mapping:
        return column  # type: ignore[no-any-return]
    # Inlined literals (codes are six digits), so that PostgreSQL sees the same
    # expression in the select list and in GROUP BY.
    return case({literal_column(f"'{old}'"): literal_column(f"'{new}'")
                 for old, new in sorted(mapping.items())}, value=column, else_=column)


def _predecessors(prefix: str, on: date | None) -> list[str]:
    """Abolished codes outside ``prefix`` whose successor on ``on`` lies inside it."""
    return sorted(old for old, new in rollup_map(on).items()
                  if new.startswith(prefix) and not old.startswith(prefix))


def within_sql(column: Any, prefix: str, on: date | None = None) -> ColumnElement[bool]:
    """SQL: ``column`` lies in the region ``prefix`` as divided today: its code starts
    with the prefix, or it is an abolished code whose successor does (a 500105 record
    counts in 500157 两江新区 and in 50 重庆市). Index-friendly: a prefix test and an
    ``IN`` list, no expression on the column."""
    if not prefix:
        return literal(True)
    old = _predecessors(prefix, on)
    like = column.startswith(prefix, autoescape=True)
    return or_(like, column.in_(old)) if old else like


def rollup_text(column: str, on: date | None = None) -> str:
    """:func:`rollup_sql` for a textual SQL statement (codes are digits, inlined)."""
    mapping = rollup_map(on)
    if not mapping:
        return column
    whens = " ".join(f"WHEN '{old}' THEN '{new}'" for old, new in sorted(mapping.items()))
    return f"(CASE {column} {whens} ELSE {column} END)"


def within_text(column: str, prefix: str, like_param: str = ":like",
                on: date | None = None) -> str:
    """:func:`within_sql` for a textual SQL statement whose ``like_param`` is
    ``prefix + '%'``."""
    old = _predecessors(prefix, on)
    if not old:
        return f"{column} LIKE {like_param}"
    codes = ",".join(f"'{c}'" for c in old)
    return f"({column} LIKE {like_param} OR {column} IN ({codes}))"


def _label(code: str) -> str:
    return f"{code}（{name_of(code) or '?'}）"


def validate_region(code: str, on: date | None = None, field: str = "region", *,
                    service_area: bool = True) -> str:
    """Check the region of a record dated ``on`` (default today): a county-level
    GB/T 2260 code in force **on that day** (a 2024 record may name 500105 江北区, a
    2026 one may not and is told the successor), inside the service area unless
    ``service_area`` is false (a household registration may be anywhere).

    Returns the code; raises ``RuleViolation`` naming ``field`` otherwise.
    """
    on = on or date.today()
    code = code.strip()
    if (code in _current_county_codes(on.year) and code not in _changes()
            and (not service_area or code[:2] in SERVICE_PROVINCES)):
        return code  # the fast path of bulk imports: in force all year, never changed
    if not _CODE.match(code):
        raise invalid_field(
            field, "行政区划代码应为6位数字", "an administrative division code has 6 digits")
    division = dated_division(code)
    if division is None:
        raise invalid_field(
            field, f"未知的行政区划代码 {code}（GB/T 2260）",
            f"unknown administrative division code {code} (GB/T 2260)")
    if service_area and code[:2] not in SERVICE_PROVINCES:
        raise invalid_field(
            field, f"{code}（{division.name}）不在本系统服务范围（重庆市、四川省）内",
            f"{code} ({division.name}) is outside the service area (Chongqing, Sichuan)")
    if not is_county_level(code):
        raise invalid_field(
            field,
            f"{code}（{division.name}）不是县级行政区划，请选择具体的区、县（市）",
            f"{code} ({division.name}) is not a county-level division; "
            "choose a district or county")
    # Exact days where the changes file has them, else the GB/T 2260 years (a code
    # may have been out of use between two periods).
    if (division.valid_on(on) if code in _changes() else division_of(code, on.year)):
        return code
    if division.valid_to_date is not None and division.valid_to_date < on:
        ended, year = division.valid_to_date.isoformat(), division.valid_to_date.year
        successor = successor_on(code, on)
        if successor != code:
            raise invalid_field(
                field,
                f"{code}（{division.name}）已于{year}年撤销（有效至{ended}）；"
                f"{on.isoformat()}的记录应使用继任的现行区划 {_label(successor)}",
                f"{code} ({division.name}) was abolished in {year} (in force until {ended}); "
                f"a record dated {on.isoformat()} uses the current code of its successor "
                f"{successor} ({name_of(successor) or '?'})")
        raise invalid_field(
            field,
            f"{code}（{division.name}）已于{year}年撤销（有效至{ended}），请使用现行区划代码",
            f"{code} ({division.name}) was abolished in {year} (in force until {ended}); "
            "use the current code")
    since = division.valid_from_date
    if since is not None and on < since:
        raise invalid_field(
            field, f"{code}（{division.name}）在{on.year}年尚未启用（自{since.isoformat()}起），"
            f"{on.isoformat()}的记录不能使用",
            f"{code} ({division.name}) is not in force in {on.year}: in force from "
            f"{since.isoformat()}, not on {on.isoformat()}")
    raise invalid_field(
        field, f"{code}（{division.name}）在{on.year}年未使用",
        f"{code} ({division.name}) is not in force in {on.year}")
