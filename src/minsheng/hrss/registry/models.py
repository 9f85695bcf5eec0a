"""People (参保人), households (户) and employers (用人单位): the golden records."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from minsheng.platform.db import Base, Timestamped

HUKOU_TYPES = ("urban", "rural")
PERSON_STATUSES = ("alive", "deceased")
SIZE_CLASSES = ("large", "medium", "small", "micro")
#: GB/T 4754-2017 sections (门类) A–T.
INDUSTRY_SECTIONS = tuple("ABCDEFGHIJKLMNOPQRST")
HOUSEHOLD_RELATIONS = ("head", "spouse", "child", "parent", "other")


class Household(Timestamped, Base):
    __tablename__ = "household"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_no: Mapped[str] = mapped_column(String(32), unique=True)
    address_region: Mapped[str] = mapped_column(String(6), index=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class Person(Timestamped, Base):
    """A resident known to the bureau. Scope region: ``residence_region``."""

    __tablename__ = "person"
    __table_args__ = (
        CheckConstraint("hukou_type IN ('urban','rural')", name="hukou_type"),
        CheckConstraint("gender IN ('M','F')", name="gender"),
        CheckConstraint("status IN ('alive','deceased')", name="status"),
        # Region scope and name search are prefix matches (``LIKE 'q%'``), which need
        # pattern ops under a non-C collation.
        Index("ix_person_residence_region_name", "residence_region", "name",
              postgresql_ops={"residence_region": "varchar_pattern_ops",
                              "name": "varchar_pattern_ops"}),
        Index("ix_person_name", "name", postgresql_ops={"name": "varchar_pattern_ops"}),
        # Indicators count the people of a region alive at a date (of an age): an
        # index-only scan of the region's entries, never the wide rows (migration 0018).
        Index("ix_person_residence_region_cover", "residence_region",
              postgresql_ops={"residence_region": "varchar_pattern_ops"},
              postgresql_include=["id", "status", "death_date", "birth_date"]),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    birth_date: Mapped[date] = mapped_column(Date)
    gender: Mapped[str] = mapped_column(String(1))
    phone: Mapped[str] = mapped_column(String(20), default="")
    hukou_region: Mapped[str] = mapped_column(String(6))
    residence_region: Mapped[str] = mapped_column(String(6))
    hukou_type: Mapped[str] = mapped_column(String(8))
    household_id: Mapped[int | None] = mapped_column(
        ForeignKey("household.id"), nullable=True, index=True
    )
    household_relation: Mapped[str | None] = mapped_column(String(8), nullable=True)
    status: Mapped[str] = mapped_column(String(10), default="alive")
    death_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class Employer(Timestamped, Base):
    __tablename__ = "employer"
    __table_args__ = (
        CheckConstraint("size_class IN ('large','medium','small','micro')", name="size_class"),
        Index("ix_employer_region", "region", postgresql_ops={"region": "varchar_pattern_ops"}),
        CheckConstraint(
            "work_injury_risk_class IS NULL OR work_injury_risk_class BETWEEN 1 AND 8",
            name="risk_class",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(128), index=True)
    region: Mapped[str] = mapped_column(String(6))
    industry: Mapped[str] = mapped_column(String(1))
    size_class: Mapped[str] = mapped_column(String(8))
    work_injury_risk_class: Mapped[int | None] = mapped_column(Integer, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class CrossRegionAccess(Base):
    """全市通办: a counter clerk looked a resident of another district of the city up by
    the full resident ID, which opens that person's record to that clerk for reading
    until ``expires_at`` (the end of the local day). Name and partial-ID search stay
    within the clerk's district; every read through this row is audited as
    ``person.read_cross_region``."""

    __tablename__ = "cross_region_access"
    __table_args__ = (Index("ix_cross_region_access_user_person", "user_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    #: The clerk's own region when the lookup was made (the person's is on the person).
    clerk_region: Mapped[str] = mapped_column(String(6))
    granted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
