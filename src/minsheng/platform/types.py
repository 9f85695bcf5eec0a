"""Constrained input types shared by every API: what a well-formed id, year, month, date,
day count, amount of money or free text is. Anything outside these bounds is refused with a
422 problem before a service runs, so that no input reaches the database or the date
arithmetic in a shape it cannot hold (a 64-bit overflow, a year 0, a NUL character).

``*Path`` / ``*Query`` variants carry the same bounds for FastAPI path and query
parameters; the bare names are for request bodies. Request bodies derive from
:class:`Input`, which refuses unknown fields.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator
from pydantic_core import ErrorDetails, PydanticCustomError

#: The largest value of a 32-bit INTEGER column (versions, counts).
MAX_INT32 = 2**31 - 1
#: The largest value of a 64-bit BIGINT column.
MAX_INT64 = 2**63 - 1
#: The largest record id: what the id columns hold. They are ``INTEGER`` (32 bits) in
#: the schema today, and PostgreSQL refuses to compare an ``INTEGER`` column with a
#: larger number (``integer out of range``), so a larger id is refused here (422). Raise
#: it to :data:`MAX_INT64` with the migration that makes the id columns ``BIGINT``.
MAX_ID = MAX_INT32

#: Years a record of this bureau can be about: from 1949 to 2100.
MIN_YEAR, MAX_YEAR = 1949, 2100
#: Calendar dates a request may carry. Birth dates of today's pensioners reach back
#: before 1949, so the date range starts in 1900; it ends with the year range.
MIN_DATE, MAX_DATE = date(1900, 1, 1), date(MAX_YEAR, 12, 31)
#: The longest span in days a question may ask about (ten years).
MAX_DAYS = 3660

_MONTH = r"^(19\d\d|20\d\d|2100)-?(0[1-9]|1[0-2])$"
_NO_NUL = r"^[^\x00]*$"
#: The type of a validation error whose message this module wrote in both languages.
BILINGUAL = "minsheng_field"


def field_error(message: str, message_en: str) -> PydanticCustomError:
    """A validation error with a Chinese message for pages and an English one for the
    API; :func:`messages_of` reads both back."""
    return PydanticCustomError(BILINGUAL, "{en}", {"zh": message, "en": message_en})


def messages_of(error: ErrorDetails, default_zh: str) -> tuple[str, str]:
    """(Chinese, English) message of one pydantic error: this module's own wording where
    it has one, else ``default_zh`` and pydantic's English."""
    context = error.get("ctx") or {}
    if error["type"] == BILINGUAL and "zh" in context:
        return str(context["zh"]), str(context["en"])
    return default_zh, error["msg"]


def _no_nul(value: Any) -> Any:
    if isinstance(value, str):
        if "\x00" in value:
            raise field_error("不能包含空字符（NUL）", "text must not contain NUL characters")
    elif isinstance(value, dict):
        for key, item in value.items():
            _no_nul(key)
            _no_nul(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _no_nul(item)
    return value


class Input(BaseModel):
    """Base of every request body: unknown fields are refused (422), and no text in it may
    hold a NUL character (no database column stores one)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_nul(cls, value: Any) -> Any:
        return _no_nul(value)


# --- ids ------------------------------------------------------------------------------

#: A record id in a body.
Id = Annotated[int, Field(ge=1, le=MAX_ID, description="记录编号")]
#: A record id in a path.
IdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="记录编号")]
#: A record id in a query.
IdQuery = Annotated[int, Query(ge=1, le=MAX_ID, description="记录编号")]
#: The version of a record the client saw (optimistic locking).
Version = Annotated[int, Field(ge=1, le=MAX_INT32, description="客户端所见的记录版本")]

# --- years, months, dates, days -------------------------------------------------------

Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR, description="年度（1949–2100）")]
YearPath = Annotated[int, Path(ge=MIN_YEAR, le=MAX_YEAR, description="年度（1949–2100）")]
YearQuery = Annotated[int, Query(ge=MIN_YEAR, le=MAX_YEAR, description="年度（1949–2100）")]



def _month(value: str) -> str:
    if re.fullmatch(_MONTH, value.strip()) is None:
        raise field_error("月份格式应为“年-月”，如 2026-10（1900–2100 年）",
                          "a month is written YYYY-MM (1900-2100)")
    return value


_MONTH_DOC: dict[str, Any] = {"pattern": _MONTH, "description": "月份 YYYY-MM"}
#: A calendar month ``YYYY-MM`` (``YYYYMM`` is accepted too) from 1900 to 2100.
Month = Annotated[str, Field(max_length=32, json_schema_extra=_MONTH_DOC),
                  AfterValidator(_month)]
MonthPath = Annotated[str, Path(max_length=32, json_schema_extra=_MONTH_DOC),
                      AfterValidator(_month)]
MonthQuery = Annotated[str, Query(max_length=32, json_schema_extra=_MONTH_DOC),
                       AfterValidator(_month)]

#: A calendar date between 1900-01-01 and 2100-12-31.
Day = Annotated[date, Field(ge=MIN_DATE, le=MAX_DATE, description="日期 YYYY-MM-DD")]
DayQuery = Annotated[date, Query(ge=MIN_DATE, le=MAX_DATE, description="日期 YYYY-MM-DD")]

#: A number of days to look ahead or back.
DayCount = Annotated[int, Query(ge=0, le=MAX_DAYS, description="天数（0–3660）")]
#: A count of working days (a statutory time limit).
WorkdayCount = Annotated[int, Query(ge=0, le=MAX_DAYS, description="工作日数")]

# --- money and counts -----------------------------------------------------------------


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


#: An amount of yuan, not negative, at most 12 digits before the point, kept to the fen
#: (the ``Numeric(14, 2)`` of every money column).
Yuan = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2),
                 AfterValidator(_cents)]
#: A count held in a 32-bit column.
Count = Annotated[int, Field(ge=0, le=MAX_INT32)]

# --- text -----------------------------------------------------------------------------

#: Free text in a query (a search box).
SearchQuery = Annotated[str, Query(max_length=200, pattern=_NO_NUL, description="检索词")]
#: A GB/T 2260 region code or prefix (digits, at most six) in a query; empty: your scope.
RegionQuery = Annotated[str, Query(max_length=6, pattern=r"^\d{0,6}$",
                                   description="行政区划代码或前缀")]
#: A short code in a query (a status, a kind): letters, digits, ``_`` and ``-``.
CodeQuery = Annotated[str, Query(max_length=32, pattern=r"^[A-Za-z0-9_-]*$")]
#: A six-digit GB/T 2260 county-level region code in a body.
RegionCode = Annotated[str, Field(min_length=2, max_length=6, pattern=r"^\d+$",
                                  description="行政区划代码")]
