"""Talent records (人才): vocational skill level certificates (职业技能等级证书),
professional titles (职称), scarce-talent introductions (引进优秀紧缺人才) with the
dated category catalogue and the talent events they came through (重庆英才大会),
skills-competition results (全国技能大赛) and postdoctoral stations with their intake.

A certificate's and a title's ``region`` is the holder's residence district when it was
recorded (staff scope); an introduction's is its employer's; an intake's its station's.
The counts of talent by region read the holder's residence today (``service.counts``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from minsheng.platform.db import Base, Timestamped
from minsheng.platform.rulebook import RegionalParameter, parameter_checks

TITLE_LEVELS = ("junior", "intermediate", "deputy_senior", "senior")
AWARDS = ("gold", "silver", "bronze", "excellence", "participant")


class SkillCertificate(Timestamped, Base):
    """A vocational skill level certificate (职业技能等级证书): level 1 (高级技师) to 5
    (初级工) in an occupation of the national classification, by an issuing body."""

    __tablename__ = "skill_certificate"
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 5", name="level"),
        Index("ix_skill_certificate_person", "person_id", "level"),
        Index("ix_skill_certificate_region_level", "region", "level"),
        Index("ix_skill_certificate_issued", "issued_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    certificate_no: Mapped[str] = mapped_column(String(32), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    region: Mapped[str] = mapped_column(String(6))
    occupation_code: Mapped[str] = mapped_column(String(12))
    level: Mapped[int] = mapped_column(Integer)
    issuing_body: Mapped[str] = mapped_column(String(100), default="")
    issued_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class ProfessionalTitle(Timestamped, Base):
    """A professional title (职称) of a series (工程、卫生、教育 …) at one level:
    初级, 中级, 副高级 or 正高级."""

    __tablename__ = "professional_title"
    __table_args__ = (
        CheckConstraint("level IN ('junior','intermediate','deputy_senior','senior')",
                        name="level"),
        Index("ix_professional_title_person", "person_id", "level"),
        Index("ix_professional_title_region_level", "region", "level"),
        Index("ix_professional_title_granted", "granted_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    certificate_no: Mapped[str] = mapped_column(String(32), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    region: Mapped[str] = mapped_column(String(6))
    series: Mapped[str] = mapped_column(String(16))
    level: Mapped[str] = mapped_column(String(16))
    issuing_body: Mapped[str] = mapped_column(String(100), default="")
    granted_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class TalentCategory(RegionalParameter, Base):
    """The catalogue of scarce-talent categories (优秀紧缺人才目录) a region publishes
    for a span of months: an introduction names a category in force on its date."""

    __tablename__ = "talent_category"
    __table_args__ = (
        UniqueConstraint("region_prefix", "valid_from", "code", name="uq_talent_category"),
        *parameter_checks(),
    )
    rulebook_label = "优秀紧缺人才引进目录"
    rulebook_order = 90

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(60))

    def rulebook_values(self) -> list[tuple[str, str]]:
        return [("类别代码", self.code), ("类别", self.name)]


class TalentEvent(Timestamped, Base):
    """A talent event (人才活动) such as 重庆英才大会, with the projects signed at it."""

    __tablename__ = "talent_event"
    __table_args__ = (
        CheckConstraint("projects_signed >= 0", name="projects"),
        UniqueConstraint("name", "held_on", name="uq_talent_event"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    region: Mapped[str] = mapped_column(String(6), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    projects_signed: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class TalentIntroduction(Timestamped, Base):
    """An introduced scarce talent (引进优秀紧缺人才) declared by the employer or
    recorded by staff: the category, the date, and the event and project it came with."""

    __tablename__ = "talent_introduction"
    __table_args__ = (
        UniqueConstraint("person_id", "employer_id", "introduced_on",
                         name="uq_talent_introduction"),
        Index("ix_talent_introduction_region_on", "region", "introduced_on"),
        Index("ix_talent_introduction_event", "event_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    region: Mapped[str] = mapped_column(String(6))
    category_code: Mapped[str] = mapped_column(String(8))
    introduced_on: Mapped[date] = mapped_column(Date)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("talent_event.id"), nullable=True)
    project_name: Mapped[str] = mapped_column(String(100), default="")
    declared_by: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class CompetitionResult(Timestamped, Base):
    """A competitor's result at a skills competition (全国技能大赛 …): gold, silver,
    bronze, excellence (优胜奖) or taking part."""

    __tablename__ = "skills_competition_result"
    __table_args__ = (
        CheckConstraint("award IN ('gold','silver','bronze','excellence','participant')",
                        name="award"),
        UniqueConstraint("competition", "held_on", "trade", "person_id",
                         name="uq_skills_competition_result"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    competition: Mapped[str] = mapped_column(String(60))
    held_on: Mapped[date] = mapped_column(Date)
    trade: Mapped[str] = mapped_column(String(60))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    region: Mapped[str] = mapped_column(String(6), index=True)
    award: Mapped[str] = mapped_column(String(12))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class PostdocStation(Timestamped, Base):
    """A postdoctoral station: a university's research station (博士后科研流动站) or an
    enterprise's workstation (博士后科研工作站)."""

    __tablename__ = "postdoc_station"
    __table_args__ = (
        CheckConstraint("kind IN ('research','enterprise')", name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(12))
    region: Mapped[str] = mapped_column(String(6), index=True)
    established_on: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class PostdocIntake(Timestamped, Base):
    """A postdoctoral researcher's stay at a station (进站 … 出站)."""

    __tablename__ = "postdoc_intake"
    __table_args__ = (
        CheckConstraint("left_on IS NULL OR left_on >= entered_on", name="dates"),
        Index("ix_postdoc_intake_region_entered", "region", "entered_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("postdoc_station.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    region: Mapped[str] = mapped_column(String(6))
    entered_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
