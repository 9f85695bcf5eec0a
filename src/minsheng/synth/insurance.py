"""Synthetic insurance records for the synthetic city: who is enrolled where.

Drawn per chunk with NumPy from the chunk's people and its employers (about one
employer per ten people), deterministic for a seed. Shares are rough approximations
of the article's picture (pension coverage above 95 %), not statistics:
- under 16: nothing;
- working age: 55 % employees of an employer (employee pension, unemployment and
  work-injury insurance, a declared wage), 10 % flexible workers in employee pension,
  30 % resident pension, 5 % not enrolled (the 全民参保 work-list);
- past the statutory retirement age (men 60, women 55, delayed from 2025 by the 2024
  decision: :func:`statutory_retirement_month`): 60 % former employees whose employee
  pension ended in their statutory retirement month, 35 % resident pension, 5 % not
  enrolled.
About 2 % of rural residents are poverty-registered and 0.3 % of everyone 特困.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from minsheng.synth.common import (
    DEFAULT_AS_OF,
    BoolArray,
    DateArray,
    FloatArray,
    IntArray,
    StrArray,
)
from minsheng.synth.employers import EmployerChunk
from minsheng.synth.people import PersonChunk


@dataclass
class EnrolmentChunk:
    """Enrolments keyed by resident ID and employer USCC (empty string: none)."""

    resident_id: StrArray
    scheme: StrArray
    uscc: StrArray
    start_month: IntArray
    end_month: IntArray  # 0 = open
    declared_wage: FloatArray  # yuan, 0 = none

    def __len__(self) -> int:
        return len(self.resident_id)


@dataclass
class DesignationChunk:
    resident_id: StrArray
    designation: StrArray


def _months(days: DateArray) -> IntArray:
    as_month = days.astype("datetime64[M]").astype(np.int64)  # months since 1970-01
    return ((as_month // 12 + 1970) * 100 + as_month % 12 + 1).astype(np.int64)


#: 2024 decision (渐进式延迟法定退休年龄): the original age, the months per month of delay
#: and the largest delay, for men and for women with original age 55 — the same schedule
#: as ``hrss.kernel.retirement`` (the synthetic city is below the domains and cannot
#: import it; ``tests/synth`` checks that both agree).
_MALE_SCHEDULE = (60, 4, 36)
_FEMALE_SCHEDULE = (55, 4, 36)
_REFORM_START_MONTH = (2025 - 1970) * 12  # January 2025, in months since 1970-01


def statutory_retirement_month(birth_date: DateArray, male: BoolArray) -> IntArray:
    """The month (``YYYYMM``) in which each person reaches the statutory retirement age:
    men from 60, women from 55 (the original-55 schedule), one month more for every four
    months of original retirement from January 2025, at most 36."""
    born = birth_date.astype("datetime64[M]").astype(np.int64)  # months since 1970-01
    original_years = np.where(male, _MALE_SCHEDULE[0], _FEMALE_SCHEDULE[0])
    step = np.where(male, _MALE_SCHEDULE[1], _FEMALE_SCHEDULE[1])
    cap = np.where(male, _MALE_SCHEDULE[2], _FEMALE_SCHEDULE[2])
    original = born + original_years * 12
    k = original - _REFORM_START_MONTH
    delay = np.where(k < 0, 0, np.minimum(k // step + 1, cap))
    retire = original + delay
    month: IntArray = ((retire // 12 + 1970) * 100 + retire % 12 + 1).astype(np.int64)
    return month


def enrolments_for(
    people: PersonChunk, employers: EmployerChunk, seed: int, *, as_of: date = DEFAULT_AS_OF
) -> tuple[EnrolmentChunk, DesignationChunk]:
    rng = np.random.default_rng([seed, 7, people.chunk_index])
    n = len(people)
    today = np.datetime64(as_of, "D")
    age_days = (today - people.birth_date.astype("datetime64[D]")).astype(np.int64)
    age = age_days / 365.25
    retire_month = statutory_retirement_month(people.birth_date, people.gender == "M")
    retired = retire_month <= as_of.year * 100 + as_of.month
    working = (age >= 16) & ~retired
    draw = rng.random(n)
    employee = working & (draw < 0.55)
    flexible = working & (draw >= 0.55) & (draw < 0.65)
    resident = (working & (draw >= 0.65) & (draw < 0.95)) | (retired & (draw >= 0.60)
                                                             & (draw < 0.95))
    former_employee = retired & (draw < 0.60)

    birth = people.birth_date.astype("datetime64[D]")
    adult_from = birth + np.timedelta64(int(18 * 365.25), "D")
    earliest = np.maximum(adult_from, np.datetime64("1995-01-01"))
    span = np.maximum((today - earliest).astype(np.int64), 1)
    start_day = earliest + (rng.random(n) * span * 0.8).astype("timedelta64[D]")
    start = np.minimum(_months(start_day), as_of.year * 100 + as_of.month)
    wage = np.round(np.exp(rng.normal(np.log(7000.0), 0.55, n)), 0)

    employer_pick = rng.integers(0, max(len(employers), 1), n)
    uscc_of = employers.uscc[employer_pick] if len(employers) else np.full(n, "", "<U18")
    parts: list[tuple[BoolArray, str, bool, bool]] = [
        (employee, "employee_pension", True, False),
        (employee, "unemployment", True, False),
        (employee, "work_injury", True, False),
        (flexible, "employee_pension", False, False),
        (resident, "resident_pension", False, False),
        (former_employee, "employee_pension", False, True),
    ]
    ids, schemes, usccs, starts, ends, wages = [], [], [], [], [], []
    for mask, scheme, with_employer, ended in parts:
        count = int(mask.sum())
        ids.append(people.resident_id[mask])
        schemes.append(np.full(count, scheme, dtype="<U16"))
        usccs.append(uscc_of[mask] if with_employer else np.full(count, "", dtype="<U18"))
        first = np.minimum(start[mask], retire_month[mask] - 100) if ended else start[mask]
        starts.append(first)
        ends.append(retire_month[mask] if ended else np.zeros(count, dtype=np.int64))
        wages.append(wage[mask] if scheme != "resident_pension" else np.zeros(count))
    enrolments = EnrolmentChunk(
        resident_id=np.concatenate(ids), scheme=np.concatenate(schemes),
        uscc=np.concatenate(usccs), start_month=np.concatenate(starts),
        end_month=np.concatenate(ends), declared_wage=np.concatenate(wages))
    poor = (people.hukou_type == "rural") & (rng.random(n) < 0.02) & (age >= 16)
    tekun = (rng.random(n) < 0.003) & (age >= 16) & ~poor
    designations = DesignationChunk(
        resident_id=np.concatenate([people.resident_id[poor], people.resident_id[tekun]]),
        designation=np.concatenate([np.full(int(poor.sum()), "poverty_registered"),
                                    np.full(int(tekun.sum()), "tekun")]))
    return enrolments, designations
