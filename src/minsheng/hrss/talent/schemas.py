"""Talent-records JSON shapes. Dates are ISO ``YYYY-MM-DD``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field

from minsheng.hrss.talent.rules import (
    is_certificate_no,
    is_occupation_code,
    normal_certificate_no,
)
from minsheng.platform.types import Count, Day, Id, Input, RegionCode, field_error

Text100 = Annotated[str, Field(max_length=100, pattern=r"^[^\x00]*$")]
TitleLevelName = Literal["junior", "intermediate", "deputy_senior", "senior"]
SeriesName = Literal["engineering", "health", "education", "agriculture", "economics",
                     "accounting", "research", "arts", "journalism", "law", "other"]
AwardName = Literal["gold", "silver", "bronze", "excellence", "participant"]


def _level(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise field_error("职业技能等级应为1至5级的整数（1级为高级技师，5级为初级工）",
                          "level must be a whole number from 1 (senior technician) "
                          "to 5 (junior worker)")
    return value


def _certificate_no(value: str) -> str:
    value = normal_certificate_no(value)
    if not is_certificate_no(value):
        raise field_error("证书编号应为6至32位字母、数字或连字符",
                          "certificate_no must be 6-32 letters, digits or hyphens")
    return value


def _occupation(value: str) -> str:
    value = value.strip()
    if not is_occupation_code(value):
        raise field_error("职业编码应为职业分类大典的细类编码，如 6-18-01-01",
                          "occupation_code must look like 6-18-01-01")
    return value


SkillLevelValue = Annotated[int, BeforeValidator(_level),
                            Field(description="职业技能等级 1（高级技师）–5（初级工）")]
CertificateNo = Annotated[str, Field(max_length=64), AfterValidator(_certificate_no)]
OccupationCode = Annotated[str, Field(max_length=32), AfterValidator(_occupation)]


class SkillCertificateCreate(Input):
    person_id: Id
    occupation_code: OccupationCode
    level: SkillLevelValue
    certificate_no: CertificateNo
    issued_on: Day
    issuing_body: Text100 = ""


class SkillCertificateRead(BaseModel):
    id: int
    certificate_no: str
    person_id: int
    region: str
    occupation_code: str
    level: int
    level_label: str
    issuing_body: str
    issued_on: date


class TitleCreate(Input):
    person_id: Id
    series: SeriesName
    level: TitleLevelName
    certificate_no: CertificateNo
    granted_on: Day
    issuing_body: Text100 = ""


class TitleRead(BaseModel):
    id: int
    certificate_no: str
    person_id: int
    region: str
    series: str
    level: str
    level_label: str
    issuing_body: str
    granted_on: date


class IntroductionCreate(Input):
    person_id: Id
    employer_id: Id
    category_code: Annotated[str, Field(min_length=1, max_length=8,
                                        pattern=r"^[A-Za-z0-9]+$")]
    introduced_on: Day
    event_id: Id | None = None
    project_name: Text100 = ""


class IntroductionRead(BaseModel):
    id: int
    person_id: int
    employer_id: int
    region: str
    category_code: str
    category_name: str
    introduced_on: date
    event_id: int | None
    project_name: str


class EventCreate(Input):
    name: Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[^\x00]*$")]
    region: RegionCode
    held_on: Day
    projects_signed: Count = 0


class EventRead(BaseModel):
    id: int
    name: str
    region: str
    held_on: date
    projects_signed: int
    talents: int


class CompetitionResultCreate(Input):
    competition: Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[^\x00]*$")]
    held_on: Day
    trade: Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[^\x00]*$")]
    person_id: Id
    award: AwardName


class CompetitionResultRead(BaseModel):
    id: int
    competition: str
    held_on: date
    trade: str
    person_id: int
    region: str
    award: str


class StationCreate(Input):
    name: Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[^\x00]*$")]
    kind: Literal["research", "enterprise"]
    region: RegionCode
    established_on: Day


class StationRead(BaseModel):
    id: int
    name: str
    kind: str
    region: str
    established_on: date


class IntakeCreate(Input):
    station_id: Id
    person_id: Id
    entered_on: Day
    left_on: Day | None = None


class IntakeRead(BaseModel):
    id: int
    station_id: int
    person_id: int
    region: str
    entered_on: date
    left_on: date | None


class LevelCount(BaseModel):
    level: str
    label: str
    people: int


class TalentCountsRead(BaseModel):
    region: str
    year: int
    skilled: int
    skilled_by_level: list[LevelCount]
    professional: int
    professional_by_level: list[LevelCount]
    introductions: int
    postdoc_intake: int


class CredentialsRead(BaseModel):
    person_id: int
    skill_levels: list[int]
    titles: list[str]
    introduction_categories: list[str]
