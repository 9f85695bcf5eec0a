"""The records a synthetic city's people leave in the bureau's tables, chunk by chunk:
the rows the scorecard's indicators read, as column arrays ready for ``COPY``.

Derived from one chunk of people, its employers and their enrolments
(:func:`.insurance.enrolments_for`), deterministic for a seed (``[seed, 11, chunk]``).
Keys are explicit so that a chunk's rows can be written with no lookups and a chunk can
be regenerated on its own: a person's id is ``chunk * chunk_size + i + 1``, a household's
its global key + 1, an employer's ``chunk * employer_chunk_size + i + 1``; a person's
card, pension award and recipient row, unemployment registration and claim reuse the
person's id (at most one of each), a placement's id is ``(person − 1) × 16 + (year −
2016) + 1`` (at most one urban new employment a year).

Shares are rough approximations, not statistics to quote:

- **Contributions** (the biggest table): every month of the *fact year* (the calendar
  year before ``as_of``) in which an employee-pension enrolment is open, base the declared
  wage clamped to 60 %–300 % of 7,000 yuan, 16 % employer + 8 % personal for employees,
  20 % personal for flexible workers; 97 % paid. Resident pension: one yearly
  contribution per open enrolment (grade 100–2,000 yuan, January).
- **Cards**: 95 % of people hold a card (85 % active, 10 % issued, 5 % applied); 60 % of
  active holders aged 16 or more have had an electronic card issued.
- **Pensions**: former employees (employee pension ended at retirement) and resident-
  pension members aged 60 or more are recipients (97 % active, 2 % suspended, 1 %
  stopped) with one award; active and suspended ones are paid every month of the fact
  year from their start month.
- **Urban new employment**: 3 % a year of people aged 16–59, years 2016 to ``as_of``
  (dates up to ``as_of``), each with its employment registration (placement).
- **Unemployment**: 1.5 % of working-age people registered in the fact year, half of
  them ended (re-employed); involuntary separations claim benefit (12/18/24 months by
  contribution years), paid monthly up to ``as_of``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from minsheng.synth.common import DEFAULT_AS_OF, IntArray
from minsheng.synth.employers import EmployerChunk
from minsheng.synth.insurance import DesignationChunk, EnrolmentChunk, statutory_retirement_month
from minsheng.synth.people import HouseholdChunk, PersonChunk

#: First year of urban-new-employment events.
FIRST_EVENT_YEAR = 2016
#: Yearly chance of an urban new employment for a person aged 16–59.
NEW_EMPLOYMENT_SHARE = 0.03
#: Share of working-age people registered unemployed in the fact year.
UNEMPLOYED_SHARE = 0.015
_AVERAGE_WAGE = 7000.0
_SEPARATIONS = np.array(["contract_expired", "dismissed", "mutual_by_employer",
                         "employer_fault", "employer_closed", "voluntary"])
_RESIDENT_GRADES = np.array([100.0, 200.0, 300.0, 500.0, 1000.0, 2000.0])
#: Value written in every ``created_at``/``updated_at``/actor column of synthetic rows.
ACTOR = "synth"

#: One table's rows: its name, its columns, and one value per column: an array or list
#: (one entry per row, ``None`` for NULL) or a scalar (the same in every row).
Column = Any


@dataclass
class Rows:
    table: str
    columns: tuple[str, ...]
    values: tuple[Column, ...]
    count: int

    def iter_rows(self, now: str) -> Any:
        """Row tuples of Python values (``now`` for the ``@now`` marker)."""
        lists: list[Sequence[Any]] = []
        for value in self.values:
            if isinstance(value, np.ndarray):
                lists.append(value.tolist())
            elif isinstance(value, list):
                lists.append(value)
            else:
                constant = now if value == "@now" else value
                lists.append([constant] * self.count)
        return zip(*lists, strict=True)


def fact_year(as_of: date = DEFAULT_AS_OF) -> int:
    """The last complete calendar year of a synthetic city: its contributions, pension
    payments and unemployment are of that year."""
    return as_of.year - 1


def person_ids(people: PersonChunk, chunk_size: int) -> IntArray:
    return (people.chunk_index * chunk_size + np.arange(len(people), dtype=np.int64) + 1)


def employer_ids(employers: EmployerChunk, employer_chunk_size: int) -> IntArray:
    return (employers.chunk_index * employer_chunk_size
            + np.arange(len(employers), dtype=np.int64) + 1)


def employer_rows(employers: EmployerChunk, employer_chunk_size: int) -> Rows:
    return Rows("employer", ("id", "uscc", "name", "region", "industry", "size_class",
                             "work_injury_risk_class", "version", "created_at", "updated_at"),
                (employer_ids(employers, employer_chunk_size), employers.uscc, employers.name,
                 employers.region, employers.industry, employers.size_class,
                 employers.work_injury_risk_class.astype(np.int64), 1, "@now", "@now"),
                len(employers))


def _lookup(keys: np.ndarray, ids: IntArray, wanted: np.ndarray) -> IntArray:
    """``ids[i]`` where ``keys[i] == wanted`` (every wanted key present), vectorised."""
    order = np.argsort(keys, kind="stable")
    found = np.searchsorted(keys, wanted, sorter=order)
    result: IntArray = ids[order[found]]
    return result


def _dates(days: np.ndarray) -> list[str]:
    result: list[str] = days.astype("datetime64[D]").astype(str).tolist()
    return result


def _month(day: IntArray) -> IntArray:
    m = day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    result: IntArray = (m // 12 + 1970) * 100 + m % 12 + 1
    return result


def _epoch_day(year: int, month: int = 1, day: int = 1) -> int:
    return (date(year, month, day) - date(1970, 1, 1)).days


def _money(values: np.ndarray) -> np.ndarray:
    return np.round(values, 2)


def _nullable(values: np.ndarray, present: np.ndarray) -> list[Any]:
    return [v if p else None for v, p in zip(values.tolist(), present.tolist(), strict=True)]


def chunk_records(
    households: HouseholdChunk,
    people: PersonChunk,
    employers: EmployerChunk | None,
    enrolments: EnrolmentChunk | None,
    designations: DesignationChunk | None,
    *,
    seed: int,
    chunk_size: int,
    employer_chunk_size: int,
    as_of: date = DEFAULT_AS_OF,
) -> list[Rows]:
    """Every row one chunk adds, table by table in foreign-key order."""
    rng = np.random.default_rng([seed, 11, people.chunk_index])
    n = len(people)
    pid = person_ids(people, chunk_size)
    region = people.residence_region
    out: list[Rows] = []

    out.append(Rows("household", ("id", "household_no", "address_region", "address",
                                  "version", "created_at", "updated_at"),
                    (households.household_key + 1, households.household_no,
                     households.address_region, "", 1, "@now", "@now"), len(households)))
    out.append(Rows("person", (
        "id", "resident_id", "name", "birth_date", "gender", "phone", "hukou_region",
        "residence_region", "hukou_type", "household_id", "household_relation", "status",
        "version", "created_at", "updated_at"),
        (pid, people.resident_id, people.name, _dates(people.birth_date),
         people.gender, people.phone, people.hukou_region, region, people.hukou_type,
         people.household_key + 1, people.relation, "alive", 1, "@now", "@now"), n))

    emp_ids = np.zeros(0, dtype=np.int64)
    if employers is not None:
        emp_ids = employer_ids(employers, employer_chunk_size)
        out.append(employer_rows(employers, employer_chunk_size))

    birth_day = people.birth_date.astype("datetime64[D]").astype(np.int64)
    today = (as_of - date(1970, 1, 1)).days
    age = (today - birth_day) / 365.25
    year = fact_year(as_of)
    first_month, last_month = year * 100 + 1, year * 100 + 12
    as_of_month = as_of.year * 100 + as_of.month

    if enrolments is not None and designations is not None and employers is not None:
        e_pid = _lookup(people.resident_id, pid, enrolments.resident_id)
        with_employer = enrolments.uscc != ""
        e_emp = np.zeros(len(enrolments), dtype=np.int64)
        if len(employers):
            e_emp[with_employer] = _lookup(employers.uscc, emp_ids,
                                           enrolments.uscc[with_employer])
        ended = enrolments.end_month > 0
        out.append(Rows("enrolment", (
            "person_id", "scheme", "employer_id", "start_month", "end_month", "declared_wage",
            "end_reason", "version", "created_at", "updated_at"),
            (e_pid, enrolments.scheme, _nullable(e_emp, with_employer), enrolments.start_month,
             _nullable(enrolments.end_month, ended),
             _nullable(enrolments.declared_wage, enrolments.declared_wage > 0),
             ["retired" if e else None for e in ended.tolist()], 1, "@now", "@now"),
            len(enrolments)))
        out.append(Rows("person_designation", ("person_id", "designation", "valid_from",
                                               "valid_to"),
                        (_lookup(people.resident_id, pid, designations.resident_id),
                         designations.designation, "2016-01-01", None),
                        len(designations.resident_id)))
        out.append(_contributions(rng, enrolments, e_pid, e_emp, with_employer,
                                  _lookup(people.resident_id, np.arange(n), enrolments.resident_id),
                                  region, first_month, last_month))
        out.extend(_pensions(rng, people, enrolments, e_pid, pid, region, birth_day,
                             year, as_of_month))
    out.extend(_cards(rng, pid, age, as_of))
    out.extend(_employment(rng, pid, birth_day, region, emp_ids, as_of))
    out.extend(_unemployment(rng, people, pid, age, region, emp_ids, year, as_of))
    return out


def _contributions(rng: np.random.Generator, enrolments: EnrolmentChunk, e_pid: IntArray,
                   e_emp: IntArray, with_employer: np.ndarray, e_index: IntArray,
                   region: np.ndarray, first_month: int, last_month: int) -> Rows:
    pension = enrolments.scheme == "employee_pension"
    end = np.where(enrolments.end_month > 0, enrolments.end_month, last_month)
    first = np.maximum(enrolments.start_month, first_month)
    last = np.minimum(end, last_month)
    months = np.where(pension & (first <= last), last % 100 - first % 100 + 1, 0)
    row = np.repeat(np.arange(len(enrolments)), months)
    offset = np.arange(len(row)) - np.repeat(np.cumsum(months) - months, months)
    period = np.repeat(first, months) + offset
    wage = enrolments.declared_wage[row]
    floor, ceiling = 0.6 * _AVERAGE_WAGE, 3.0 * _AVERAGE_WAGE
    base = np.clip(wage, floor, ceiling)
    clamp = np.where(wage < floor, "floor", np.where(wage > ceiling, "ceiling", ""))
    employee = with_employer[row]
    paid = rng.random(len(row)) < 0.97

    resident = (enrolments.scheme == "resident_pension") & (enrolments.start_month <= last_month)
    grade = _RESIDENT_GRADES[rng.integers(0, len(_RESIDENT_GRADES), int(resident.sum()))]
    r_paid = rng.random(len(grade)) < 0.97
    count = len(row) + len(grade)
    return Rows("contribution", (
        "person_id", "period", "scheme", "employer_id", "region", "declared_wage", "base",
        "clamp", "employer_amount", "personal_amount", "government_amount", "subsidy_amount",
        "status", "paid_by", "paid_at"),
        (np.concatenate([e_pid[row], e_pid[resident]]),
         np.concatenate([period, np.full(len(grade), first_month)]),
         np.concatenate([np.full(len(row), "employee_pension"),
                         np.full(len(grade), "resident_pension")]),
         _nullable(np.concatenate([e_emp[row], np.zeros(len(grade), np.int64)]),
                   np.concatenate([employee, np.zeros(len(grade), bool)])),
         np.concatenate([region[e_index[row]], region[e_index[resident]]]),
         _nullable(np.concatenate([wage, grade]),
                   np.concatenate([np.ones(len(row), bool), np.zeros(len(grade), bool)])),
         _money(np.concatenate([base, grade])),
         [c or None for c in clamp.tolist()] + [None] * len(grade),
         _money(np.concatenate([np.where(employee, base * 0.16, 0.0), np.zeros(len(grade))])),
         _money(np.concatenate([np.where(employee, base * 0.08, base * 0.20), grade])),
         0, _money(np.concatenate([np.zeros(len(row)), np.full(len(grade), 30.0)])),
         np.where(np.concatenate([paid, r_paid]), "paid", "due"),
         [("employer" if e else "self") if p else None for e, p in
          zip(employee.tolist(), paid.tolist(), strict=True)]
         + ["self" if p else None for p in r_paid.tolist()],
         [f"{p // 100}-{p % 100:02d}-15 10:00:00+08" if ok else None for p, ok in
          zip(period.tolist(), paid.tolist(), strict=True)]
         + [f"{first_month // 100}-01-15 10:00:00+08" if ok else None
            for ok in r_paid.tolist()]),
        count)


def _pensions(rng: np.random.Generator, people: PersonChunk, enrolments: EnrolmentChunk,
              e_pid: IntArray, pid: IntArray, region: np.ndarray, birth_day: IntArray,
              year: int, as_of_month: int) -> list[Rows]:
    index = _lookup(people.resident_id, np.arange(len(people)), enrolments.resident_id)
    retire = statutory_retirement_month(people.birth_date, people.gender == "M")
    sixty = _month(birth_day + int(60 * 365.25) + 1)
    former = (enrolments.scheme == "employee_pension") & (enrolments.end_month > 0)
    resident = ((enrolments.scheme == "resident_pension")
                & (sixty[index] <= as_of_month))
    chosen = former | resident
    who = index[chosen]
    n = len(who)
    employee = former[chosen]
    start = np.where(employee, retire[who], np.maximum(sixty[who], 201001))
    start = np.minimum(start, as_of_month)
    status = np.where(rng.random(n) < 0.97, "active",
                      np.where(rng.random(n) < 0.67, "suspended", "stopped"))
    total = np.where(employee, np.exp(rng.normal(np.log(3200.0), 0.35, n)),
                     170.0 + rng.integers(0, 8, n) * 50.0)
    total = _money(total)
    basic = _money(np.where(employee, total * 0.55, 170.0))
    account = _money(np.where(employee, total * 0.30, total - basic))
    transitional = _money(total - basic - account)
    p = pid[who]
    certified = _epoch_day(year, 1, 1) + rng.integers(0, 365, n)
    out = [
        Rows("pension_award", ("id", "person_id", "version", "scheme", "effective_month",
                               "basic_amount", "account_amount", "transitional_amount",
                               "total_amount", "basis", "reason", "created_at", "actor"),
             (p, p, 1, np.where(employee, "employee", "resident"), start, basic, account,
              transitional, total, "{}", "award", "@now", ACTOR), n),
        Rows("pension_recipient", ("person_id", "scheme", "start_month", "status",
                                   "last_certified_date", "certification_due_date",
                                   "bank_account", "version"),
             (p, np.where(employee, "employee", "resident"), start, status,
              _dates(certified), _dates(certified + 365), "", 1), n),
    ]
    # Payments: every month of the fact year from the start month, active or suspended.
    first = np.maximum(start, year * 100 + 1)
    months = np.where((status != "stopped") & (first <= year * 100 + 12),
                      12 - first % 100 + 1, 0)
    row = np.repeat(np.arange(n), months)
    offset = np.arange(len(row)) - np.repeat(np.cumsum(months) - months, months)
    month = np.repeat(first, months) + offset
    out.append(Rows("pension_payment", ("person_id", "benefit_month", "payroll_month", "kind",
                                        "amount", "region", "award_id", "status"),
                    (p[row], month, month, "regular", total[row], region[who][row], p[row],
                     "paid"), len(row)))
    return out


def _cards(rng: np.random.Generator, pid: IntArray, age: np.ndarray,
           as_of: date) -> list[Rows]:
    n = len(pid)
    holder = rng.random(n) < 0.95
    draw = rng.random(n)
    state = np.where(draw < 0.85, "active", np.where(draw < 0.95, "issued", "applied"))[holder]
    p = pid[holder]
    m = len(p)
    first = _epoch_day(2008)
    applied = first + (rng.random(m) * (_epoch_day(as_of.year, as_of.month) - 60 - first)
                       ).astype(np.int64)
    issued = applied + 20
    activated = issued + rng.integers(1, 60, m)
    stamp = np.array([f"{d} 09:30:00+08" for d in _dates(applied)])
    issued_at = np.array([f"{d} 09:30:00+08" for d in _dates(issued)])
    active_at = np.array([f"{d} 09:30:00+08" for d in _dates(activated)])
    cards = Rows("social_security_card", (
        "id", "card_no", "person_id", "state", "replacement_reason", "applied_at",
        "issued_at", "activated_at", "version", "created_at", "updated_at"),
        (p, [f"CQ{i:09d}" for i in p.tolist()], p, state, "", stamp,
         _nullable(issued_at, state != "applied"), _nullable(active_at, state == "active"),
         1, "@now", "@now"), m)
    e = (state == "active") & (age[holder] >= 16) & (rng.random(m) < 0.6)
    k = int(e.sum())
    day = np.maximum(activated[e], _epoch_day(2019)) + rng.integers(0, 300, k)
    token_low = rng.integers(0, 2**62, k)
    at = [f"{d} 12:00:00+08" for d in _dates(day)]
    until = [f"{d} 12:00:00+08" for d in _dates(day + 1)]
    ecards = Rows("e_card", ("id", "token_id", "person_id", "card_id", "issued_by", "issued_at",
                             "expires_at"),
                  (p[e], [f"{a:016x}{b:016x}" for a, b in
                          zip(p[e].tolist(), token_low.tolist(), strict=True)],
                   p[e], p[e], ACTOR, at, until), k)
    return [cards, ecards]


def _employment(rng: np.random.Generator, pid: IntArray, birth_day: IntArray,
                region: np.ndarray, emp_ids: IntArray, as_of: date) -> list[Rows]:
    birth_year = birth_day.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    parts: list[tuple[IntArray, int, IntArray]] = []
    today = _epoch_day(as_of.year, as_of.month, as_of.day)
    for y in range(FIRST_EVENT_YEAR, as_of.year + 1):
        age = y - birth_year
        span = min(_epoch_day(y + 1), today + 1) - _epoch_day(y)
        share = NEW_EMPLOYMENT_SHARE * span / 365
        chosen = np.flatnonzero((age >= 16) & (age <= 59) & (rng.random(len(pid)) < share))
        day = _epoch_day(y) + rng.integers(0, span, len(chosen))
        parts.append((chosen, y, day))
    who = np.concatenate([c for c, _, _ in parts])
    years = np.concatenate([np.full(len(c), y) for c, y, _ in parts])
    days = np.concatenate([d for _, _, d in parts])
    n = len(who)
    p = pid[who]
    placement = (p - 1) * 16 + (years - FIRST_EVENT_YEAR) + 1
    employer = (emp_ids[rng.integers(0, len(emp_ids), n)] if len(emp_ids)
                else np.zeros(n, np.int64))
    dates = _dates(days)
    return [
        Rows("placement", ("id", "person_id", "kind", "employer_id", "region", "placed_date",
                           "was_registered_unemployed", "was_hard_to_employ",
                           "counts_as_new_employment", "recorded_by"),
             (placement, p, "employment_registration",
              _nullable(employer, np.full(n, len(emp_ids) > 0)), region[who], dates,
              rng.random(n) < 0.10, rng.random(n) < 0.03, True, ACTOR), n),
        Rows("urban_new_employment", ("person_id", "year", "event_date", "region",
                                      "placement_id"),
             (p, years, dates, region[who], placement), n),
    ]


def _unemployment(rng: np.random.Generator, people: PersonChunk, pid: IntArray,
                  age: np.ndarray, region: np.ndarray, emp_ids: IntArray, year: int,
                  as_of: date) -> list[Rows]:
    n = len(pid)
    who = np.flatnonzero((age >= 17) & (age < 59) & (rng.random(n) < UNEMPLOYED_SHARE))
    k = len(who)
    p = pid[who]
    registered = _epoch_day(year) + rng.integers(0, 365, k)
    today = _epoch_day(as_of.year, as_of.month, as_of.day)
    ended_day = registered + rng.integers(30, 240, k)
    ended = (rng.random(k) < 0.5) & (ended_day <= today)
    reason = _SEPARATIONS[rng.integers(0, len(_SEPARATIONS), k)]
    employer = (emp_ids[rng.integers(0, len(emp_ids), k)] if len(emp_ids)
                else np.zeros(k, np.int64))
    has_employer = np.full(k, len(emp_ids) > 0)
    out = [Rows("unemployment_registration", (
        "id", "person_id", "registered_date", "ended_date", "end_reason", "region",
        "separation_reason", "last_employer_id", "seeking_work", "actor", "created_at",
        "version"),
        (p, p, _dates(registered), _nullable(np.array(_dates(ended_day)), ended),
         _nullable(np.full(k, "re_employed"), ended), region[who], reason,
         _nullable(employer, has_employer), True, ACTOR, "@now", 1), k)]
    claim = reason != "voluntary"
    c = int(claim.sum())
    cp = p[claim]
    contribution_months = rng.integers(12, 240, c)
    entitled = np.where(contribution_months < 60, 12, np.where(contribution_months < 120,
                                                                 18, 24))
    band = np.where(contribution_months < 60, "1-5y",
                    np.where(contribution_months < 120, "5-10y", "10y+"))
    start = _month(registered[claim] + 31)
    as_of_month = as_of.year * 100 + as_of.month
    elapsed = (as_of_month // 100 - start // 100) * 12 + as_of_month % 100 - start % 100
    paid_months = np.clip(np.minimum(elapsed, entitled), 0, None)
    amount = _money(1900.0 + rng.integers(0, 6, c) * 20.0)
    out.append(Rows("unemployment_claim", (
        "id", "claim_no", "person_id", "registration_id", "employer_id", "region",
        "start_month", "contribution_months", "band", "spell_months", "carried_months",
        "entitled_months", "monthly_amount", "status", "bank_account", "decided_by",
        "decided_at", "decision_note", "created_at", "version"),
        (cp, [f"SY{i:012d}" for i in cp.tolist()], cp, cp,
         _nullable(employer[claim], has_employer[claim]), region[who][claim], start,
         contribution_months, band, entitled, 0, entitled, amount,
         np.where(paid_months >= entitled, "exhausted", "active"), "", ACTOR, "@now", "",
         "@now", 1), c))
    row = np.repeat(np.arange(c), paid_months)
    offset = np.arange(len(row)) - np.repeat(np.cumsum(paid_months) - paid_months, paid_months)
    index = (start[row] // 100) * 12 + start[row] % 100 - 1 + offset
    month = (index // 12) * 100 + index % 12 + 1
    out.append(Rows("unemployment_payment", (
        "person_id", "claim_id", "benefit_month", "payroll_month", "amount", "region",
        "status", "extended"),
        (cp[row], cp[row], month, month, amount[row], region[who][claim][row], "paid", False),
        len(row)))
    return out
