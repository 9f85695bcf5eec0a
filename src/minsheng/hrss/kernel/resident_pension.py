"""How long a resident must contribute to the urban-rural resident pension (城乡居民基本
养老保险), which both the contribution record (insurance) and the award and estimator
(pension) apply. Pure functions: no database, no clock.

国发〔2014〕8号《关于建立统一的城乡居民基本养老保险制度的意见》, 七 (待遇领取条件), taking
over 国发〔2009〕32号 (新农保, pilots from 2009) and 国发〔2011〕18号 (城居保, pilots from
July 2011):

- the pension is paid from age 60 (:data:`RESIDENT_PENSION_AGE`) to someone with at
  least 15 contribution years (:data:`RESIDENT_MINIMUM_MONTHS`);
- "新农保或城居保制度实施时已年满60周岁 … 不用缴费, … 可以按月领取城乡居民养老保险
  基础养老金" — whoever was 60 or older when the scheme began where they live (超龄)
  draws the basic pension without any contribution;
- "距规定领取年龄不足15年的, 应逐年缴费, 也允许补缴, 累计缴费不超过15年" — whoever had
  less than 15 years to go pays every year left to 60 (and may make up earlier years,
  never more than 15 in all);
- "距规定领取年龄超过15年的, 应按年缴费, 累计缴费不少于15年" — everyone else needs 15
  years. Exactly 15 years to go falls under neither wording; both give 15 years.

Reading of this implementation (◐, the national text does not say how a part year
counts): the years left are counted from the person's age in completed years (周岁) on
the day the scheme began, ``60 − age``, as local handling guides do; a year begun is a
year to pay, since resident contributions are yearly. Someone 56 years 4 months old at
the start pays 4 years, someone 59 years 11 months old 1 year.

The 2024 retirement-age decision raises the minimum period of the *employee* pension
from 2030; the resident scheme keeps age 60 and 15 years (it is not in the decision).

The date the scheme began in a region is data (``resident_scheme_start``, a dated
regional parameter), not a constant here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

from minsheng.hrss.kernel.retirement import add_calendar_months, age_on

#: 国发〔2014〕8号 七: the resident pension is paid from age 60.
RESIDENT_PENSION_AGE: Final = 60
#: 国发〔2014〕8号 七: at least 15 contribution years.
RESIDENT_MINIMUM_YEARS: Final = 15
RESIDENT_MINIMUM_MONTHS: Final = RESIDENT_MINIMUM_YEARS * 12

RequirementKind = Literal["overage", "sliding", "full"]
REQUIREMENT_LABELS: Final[dict[str, str]] = {
    "overage": "制度实施时已年满60周岁，不用缴费，按月领取基础养老金",
    "sliding": "制度实施时距60周岁不足15年，应逐年缴费至60周岁，也允许补缴",
    "full": "制度实施时距60周岁15年及以上，累计缴费不少于15年",
}


@dataclass(frozen=True)
class ResidentRequirement:
    """What the resident scheme asks of one person (国发〔2014〕8号 七)."""

    #: ``overage`` (超龄: 60 or older at the start, nothing to pay), ``sliding`` (less
    #: than 15 years to 60: every year left), ``full`` (15 years).
    kind: RequirementKind
    #: Contribution months needed for a monthly pension (a multiple of 12, 0–180).
    months: int
    #: Age in completed years on the day the scheme began (negative: born after it).
    age_at_start: int
    scheme_start: date

    @property
    def years(self) -> int:
        return self.months // 12

    @property
    def label(self) -> str:
        return REQUIREMENT_LABELS[self.kind]


def resident_requirement(birth_date: date, scheme_start: date) -> ResidentRequirement:
    """The contribution period the resident pension requires of someone born on
    ``birth_date`` where the scheme began on ``scheme_start`` (国发〔2014〕8号 七):

    - 60 or older that day (超龄): 0 months;
    - age ``a`` in 46–59 completed years: ``60 − a`` years (every year left to 60);
    - 45 or younger: 15 years (180 months).

    Born 1945-05-10, scheme from 2011-07-01 (66): 0. Born 1951-07-01 (exactly 60 that
    day): 0. Born 1960-03-15 (51): 9 years, 108 months. Born 1966-07-01 (exactly 45):
    180. Born 1967-01-01 (44): 180.
    """
    age = age_on(birth_date, scheme_start)[0]
    years_left = RESIDENT_PENSION_AGE - age
    if years_left <= 0:
        return ResidentRequirement("overage", 0, age, scheme_start)
    if years_left < RESIDENT_MINIMUM_YEARS:
        return ResidentRequirement("sliding", years_left * 12, age, scheme_start)
    return ResidentRequirement("full", RESIDENT_MINIMUM_MONTHS, age, scheme_start)


def resident_required_months(birth_date: date, scheme_start: date | None) -> int:
    """Contribution months needed (:func:`resident_requirement`); 180 when the date the
    scheme began is not known (no one is let off without it)."""
    if scheme_start is None:
        return RESIDENT_MINIMUM_MONTHS
    return resident_requirement(birth_date, scheme_start).months


def resident_pension_age_date(birth_date: date) -> date:
    """The 60th birthday, from which the resident pension may be paid (国发〔2014〕8号
    七)."""
    return add_calendar_months(birth_date, RESIDENT_PENSION_AGE * 12)
