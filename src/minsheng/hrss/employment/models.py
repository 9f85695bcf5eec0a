"""Employment services: job seekers (求职登记), vacancies (岗位), their search terms,
applications and referrals, placements (就业), urban new employment events, key-group
memberships, work incapacity and zero-employment household cases (零就业家庭)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from minsheng.platform.db import Base, Timestamped
from minsheng.platform.money import Money

SEEKER_STATUSES = ("seeking", "placed", "withdrawn")
VACANCY_STATUSES = ("open", "filled", "closed")
APPLICATION_STATUSES = ("submitted", "hired", "rejected", "withdrawn")
PLACEMENT_KINDS = ("placement", "employment_registration")
KEY_GROUP_CODES = ("graduate", "rural_labour", "hard_to_employ", "ex_fisher", "poverty_labour")


class JobSeeker(Timestamped, Base):
    """求职登记: what a person looks for. Scope region: ``region`` (where they want work)."""

    __tablename__ = "job_seeker"
    __table_args__ = (
        CheckConstraint("status IN ('seeking','placed','withdrawn')", name="status"),
        CheckConstraint("education BETWEEN 1 AND 6", name="education"),
        Index("ix_job_seeker_status_region", "status", "region",
              postgresql_ops={"region": "varchar_pattern_ops"}),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    region: Mapped[str] = mapped_column(String(6))
    occupation_code: Mapped[str] = mapped_column(String(8))
    education: Mapped[int] = mapped_column(Integer)
    min_pay: Mapped[Decimal] = mapped_column(Money)
    skills: Mapped[str] = mapped_column(String(500), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="seeking")
    registered_date: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class Vacancy(Timestamped, Base):
    """招聘岗位 of an employer. Scope region: ``region`` (place of work)."""

    __tablename__ = "vacancy"
    __table_args__ = (
        CheckConstraint("status IN ('open','filled','closed')", name="status"),
        CheckConstraint("education_required BETWEEN 1 AND 6", name="education"),
        CheckConstraint("pay_max >= pay_min", name="pay"),
        CheckConstraint("headcount >= 1", name="headcount"),
        Index("ix_vacancy_status_region", "status", "region",
              postgresql_ops={"region": "varchar_pattern_ops"}),
        Index("ix_vacancy_employer_id", "employer_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"))
    title: Mapped[str] = mapped_column(String(100))
    occupation_code: Mapped[str] = mapped_column(String(8))
    region: Mapped[str] = mapped_column(String(6))
    education_required: Mapped[int] = mapped_column(Integer)
    pay_min: Mapped[Decimal] = mapped_column(Money)
    pay_max: Mapped[Decimal] = mapped_column(Money)
    headcount: Mapped[int] = mapped_column(Integer, default=1)
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="open")
    posted_date: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class PeerVacancy(Base):
    """A vacancy of the other province's node, shared to this node's job board
    (川渝招聘求职一点通) over the exchange; ``origin_version`` keeps a late, older update
    from overwriting a newer one."""

    __tablename__ = "peer_vacancy"
    __table_args__ = (
        UniqueConstraint("origin_node", "origin_id"),
        CheckConstraint("status IN ('open','closed')", name="status"),
        Index("ix_peer_vacancy_status_posted", "status", "posted_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    origin_node: Mapped[str] = mapped_column(String(8))
    origin_id: Mapped[int] = mapped_column(Integer)
    origin_version: Mapped[int] = mapped_column(Integer)
    employer_name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(100))
    occupation_code: Mapped[str] = mapped_column(String(8))
    region: Mapped[str] = mapped_column(String(6))
    education_required: Mapped[int] = mapped_column(Integer)
    pay_min: Mapped[Decimal] = mapped_column(Money)
    pay_max: Mapped[Decimal] = mapped_column(Money)
    headcount: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10))
    posted_date: Mapped[date] = mapped_column(Date)


class VacancyTerm(Base):
    """One search term of an open vacancy (jieba segmentation of title and description).

    A search reads only these rows until it has its top N (issue 16): each row carries
    the vacancy's hard filters and ranking facts (region, pay ceiling, education
    required, occupation, posted date), and a vacancy has rows only while it is open
    (``_index_vacancy`` writes them on posting and removes them on closing or filling).
    On PostgreSQL the key includes those columns, so a district's postings of a term
    are read by an index-only scan, never the vacancies themselves."""

    __tablename__ = "vacancy_term"
    __table_args__ = (
        PrimaryKeyConstraint(
            "term", "region", "vacancy_id",
            postgresql_include=["weight", "pay_max", "education_required", "occupation_code",
                                "posted_date"]),
        Index("ix_vacancy_term_vacancy_id", "vacancy_id"),
    )

    term: Mapped[str] = mapped_column(String(32))
    region: Mapped[str] = mapped_column(String(6))
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancy.id", ondelete="CASCADE"))
    #: 3 for a word of the title, 1 for the description.
    weight: Mapped[int] = mapped_column(Integer, default=1)
    #: Copies of the vacancy's columns of the same names.
    pay_max: Mapped[Decimal] = mapped_column(Money)
    education_required: Mapped[int] = mapped_column(Integer)
    occupation_code: Mapped[str] = mapped_column(String(8))
    posted_date: Mapped[date] = mapped_column(Date)


class JobSeekerTerm(Base):
    """One search term of a job seeker (skills and summary), for vacancy → seekers."""

    __tablename__ = "job_seeker_term"
    __table_args__ = (
        PrimaryKeyConstraint("term", "region", "seeker_id"),
        Index("ix_job_seeker_term_seeker_id", "seeker_id"),
    )

    term: Mapped[str] = mapped_column(String(32))
    region: Mapped[str] = mapped_column(String(6))
    seeker_id: Mapped[int] = mapped_column(ForeignKey("job_seeker.id", ondelete="CASCADE"))
    weight: Mapped[int] = mapped_column(Integer, default=1)


class JobApplication(Timestamped, Base):
    """A seeker's application to a vacancy, or a referral (推荐) by employment staff."""

    __tablename__ = "job_application"
    __table_args__ = (
        UniqueConstraint("vacancy_id", "seeker_id"),
        CheckConstraint("channel IN ('self','referral')", name="channel"),
        CheckConstraint("status IN ('submitted','hired','rejected','withdrawn')", name="status"),
        Index("ix_job_application_seeker_id", "seeker_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancy.id"))
    seeker_id: Mapped[int] = mapped_column(ForeignKey("job_seeker.id"))
    channel: Mapped[str] = mapped_column(String(10), default="self")
    referred_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    status: Mapped[str] = mapped_column(String(10), default="submitted")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class Placement(Base):
    """A person taking a job (安置就业) or an employment registration (就业登记), with the
    facts about them on that day that the indicators count."""

    __tablename__ = "placement"
    __table_args__ = (
        CheckConstraint("kind IN ('placement','employment_registration')", name="kind"),
        Index("ix_placement_region_placed_on", "region", "placed_date",
              postgresql_ops={"region": "varchar_pattern_ops"}),
        Index("ix_placement_person_id", "person_id"),
        # Indicators over a period (helped into work): an index-only range scan of the
        # period's placements instead of the whole table (bench/scorecard.py).
        Index("ix_placement_placed_date", "placed_date",
              postgresql_include=["id", "person_id", "region", "was_registered_unemployed",
                                  "was_hard_to_employ"]),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    kind: Mapped[str] = mapped_column(String(24))
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), nullable=True)
    vacancy_id: Mapped[int | None] = mapped_column(ForeignKey("vacancy.id"), nullable=True)
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("job_application.id"), nullable=True)
    #: Place of work (GB/T 2260).
    region: Mapped[str] = mapped_column(String(6))
    placed_date: Mapped[date] = mapped_column(Date)
    was_registered_unemployed: Mapped[bool] = mapped_column(Boolean, default=False)
    was_hard_to_employ: Mapped[bool] = mapped_column(Boolean, default=False)
    counts_as_new_employment: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by: Mapped[str] = mapped_column(String(64))


class UrbanNewEmployment(Base):
    """城镇新增就业: at most one event per person per calendar year."""

    __tablename__ = "urban_new_employment"
    __table_args__ = (
        PrimaryKeyConstraint("person_id", "year"),
        Index("ix_urban_new_employment_region_event_date", "region", "event_date",
              postgresql_ops={"region": "varchar_pattern_ops"}),
        # The scorecard's count of a period: an index-only range scan of the period's
        # events (the region prefix selects most of the city, the period a year of many).
        Index("ix_urban_new_employment_event_date", "event_date",
              postgresql_include=["region"]),
    )

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    year: Mapped[int] = mapped_column(Integer)
    event_date: Mapped[date] = mapped_column(Date)
    region: Mapped[str] = mapped_column(String(6))
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"))


class KeyGroupMember(Timestamped, Base):
    """A person in a key group (重点群体); a person may be in several. ``category`` is the
    hard-to-employ category (empty for other groups); ``graduation_year`` for graduates."""

    __tablename__ = "key_group_member"
    __table_args__ = (
        UniqueConstraint("person_id", "group_code", "category"),
        CheckConstraint(
            "group_code IN ('graduate','rural_labour','hard_to_employ','ex_fisher',"
            "'poverty_labour')", name="group_code"),
        Index("ix_key_group_member_group_region", "group_code", "region",
              postgresql_ops={"region": "varchar_pattern_ops"}),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    group_code: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(32), default="")
    graduation_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: The person's residence when recognised (GB/T 2260).
    region: Mapped[str] = mapped_column(String(6))
    since: Mapped[date] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date, nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(64))


class WorkIncapacity(Base):
    """A person recognised as unable to work (丧失劳动能力): not counted among a
    household's working-age members able to work."""

    __tablename__ = "work_incapacity"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    since: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(64), default="")


class ZeroEmploymentCase(Timestamped, Base):
    """A zero-employment household on the work-list (零就业家庭动态清零), open until a
    member is placed (or the household no longer qualifies)."""

    __tablename__ = "zero_employment_case"
    __table_args__ = (
        CheckConstraint("status IN ('open','closed')", name="status"),
        Index("uq_zero_employment_case_open_household", "household_id", unique=True,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
        Index("ix_zero_employment_case_region", "region",
              postgresql_ops={"region": "varchar_pattern_ops"}),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    region: Mapped[str] = mapped_column(String(6))
    detected_date: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    members: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="open")
    closed_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    closed_reason: Mapped[str | None] = mapped_column(String(24), nullable=True)
    placement_id: Mapped[int | None] = mapped_column(ForeignKey("placement.id"), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
