"""Request and response shapes of employment services.

Money goes out as strings with two decimals (``"6500.00"``), never as floats.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from minsheng.platform.types import Day, Id, Input, Yuan


class SeekerInput(Input):
    """求职登记: where, what and for how much a person wants to work."""

    region: str = Field(max_length=6, description="期望工作地 (GB/T 2260 county code)")
    occupation_code: str = Field(max_length=8, description="期望职业 (GB/T 6565, e.g. 4-04)")
    education: int = Field(ge=1, le=6, description="学历 1 初中及以下 … 6 博士研究生")
    min_pay: Yuan = Field(description="期望月薪下限, yuan")
    skills: str = Field(default="", max_length=500, description="技能，自由文本")
    summary: str = Field(default="", max_length=2000, description="求职意向与经历")


class VacancyInput(Input):
    """招聘岗位 of an employer."""

    title: str = Field(min_length=1, max_length=100)
    occupation_code: str = Field(max_length=8)
    region: str = Field(max_length=6, description="工作地点 (GB/T 2260 county code)")
    education_required: int = Field(ge=1, le=6)
    pay_min: Yuan
    pay_max: Yuan
    headcount: int = Field(default=1, ge=1, le=10_000)
    description: str = Field(default="", max_length=4000)


class VacancyMatchRead(BaseModel):
    vacancy_id: int
    title: str
    employer_name: str
    region: str
    region_name: str
    occupation_code: str
    occupation_name: str
    pay_min: str
    pay_max: str
    education_required: int
    score: int
    reasons: list[str]


class IndicatorsRead(BaseModel):
    region: str
    start: date
    end: date
    urban_new_employment: int
    registered_unemployed: int | None
    employed: int
    registered_unemployment_rate: str | None
    unemployed_helped: int
    hard_to_employ_helped: int
    graduates: int
    graduates_employed: int
    graduates_employment_rate: str | None
    ex_fishers: int
    ex_fishers_transferred: int
    ex_fisher_transfer_rate: str | None
    open_zero_employment_households: int


class SeekerRead(BaseModel):
    id: int
    person_id: int
    region: str
    occupation_code: str
    status: str


class VacancyRead(BaseModel):
    id: int
    employer_id: int
    title: str
    region: str
    occupation_code: str
    status: str


class ApplicationRead(BaseModel):
    id: int
    vacancy_id: int
    seeker_id: int
    status: str


class PlacementInput(Input):
    """安置就业 / 就业登记 of a person."""

    person_id: Id
    on: Day
    region: str = Field(min_length=6, max_length=6, description="就业地 (GB/T 2260 county code)")
    employer_id: Id | None = None
    kind: Literal["placement", "employment_registration"] = "placement"


class PlacementRead(BaseModel):
    id: int
    person_id: int
    placed_date: date
    region: str
    counts_as_new_employment: bool


class PeerVacancyRead(BaseModel):
    """A vacancy shared by the other province's node."""

    origin_node: str
    origin_id: int
    title: str
    employer_name: str
    region: str
    occupation_code: str
    pay_min: str
    pay_max: str
    headcount: int
    posted_date: date
