"""The statutory holiday calendar as data (years known, and the exceptions to Mon–Fri)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from minsheng.platform.db import Base


class CalendarYear(Base):
    """A year whose holiday arrangement is known (published)."""

    __tablename__ = "calendar_year"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(200))


class CalendarDay(Base):
    """An exception to the Monday–Friday rule: a holiday, or a weekend working day (调休)."""

    __tablename__ = "calendar_day"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(64), default="")
