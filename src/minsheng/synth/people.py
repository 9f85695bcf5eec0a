"""People and households of the synthetic city: :func:`generate_people`.

Modelling choices (documented approximations, not statistics to quote):

* **Households** come first: sizes 1–5 with the shares of the 2020 census
  (1: 25 %, 2: 30 %, 3: 21 %, 4: 13 %, 5+: 11 %), a family template per size
  (couple, couple with children, grandparents with an adult child and a
  grandchild …), one residence county per household (see
  :mod:`minsheng.synth.geography`). The head is the oldest member aged 18 or
  over; other members are ``spouse``, ``child`` or ``other`` (children-in-law,
  grandchildren, siblings). With that rule a ``parent`` of the head never occurs
  here, although the vocabulary has it for registered data.
* **Ages.** The head's birth year follows China's 2020-census age pyramid shifted
  to ``as_of`` (5-year groups spread evenly over their years) plus the national
  births of 2021–2025; other members' ages follow from the head's (spouses 0–8
  years younger, children 20–40 years younger, …). Mortality after 2020 is ignored.
* **Household registration.** 12 % of households are registered (户籍) in another
  county, mostly a rural one, 15 % of those in the other city; ``hukou_type`` is
  urban with a per-county probability.
* **ID numbers** are drawn in two passes: the chunk's "skeleton" (everything the
  number depends on: household, sex, birth date, address code) and the sequence
  numbers of :mod:`minsheng.synth.id_numbers`, then the rest of the attributes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache

import numpy as np
import numpy.typing as npt

from minsheng.synth.common import (
    CHONGQING_SHARE,
    DEFAULT_AS_OF,
    HOUSEHOLD_SIZE_SHARES,
    MAX_AGE,
    MEAN_HOUSEHOLD_SIZE,
    SURNAMES,
    BoolArray,
    DateArray,
    FloatArray,
    IntArray,
    StrArray,
    ascii_strings,
    cdf_of,
    check_seed,
    chunk_sizes,
    digit_rows,
    people_total,
)
from minsheng.synth.geography import geography_for
from minsheng.synth.id_numbers import (
    SequenceCounter,
    assign_sequences,
    birth_year_bounds,
    resident_ids,
    sequence_slots,
)

# --- households ---------------------------------------------------------------

# Sizes: :data:`~minsheng.synth.common.HOUSEHOLD_SIZE_SHARES`.
# Member kinds inside a template.
_HEAD, _SPOUSE, _CHILD, _CHILD_IN_LAW, _GRANDCHILD, _SIBLING = range(6)
_NO_MEMBER = -1
#: Relation to the head for each member kind.
_RELATION_OF_KIND = np.array(["head", "spouse", "child", "other", "other", "other"])


@dataclass(frozen=True)
class _Template:
    kinds: tuple[int, ...]
    share: float  # within its size
    min_head_age: int
    head_male_p: float


_TEMPLATES: tuple[_Template, ...] = (
    _Template((_HEAD,), 1.0, 18, 0.6),
    _Template((_HEAD, _SPOUSE), 0.62, 20, 0.8),
    _Template((_HEAD, _CHILD), 0.30, 20, 0.35),
    _Template((_HEAD, _SIBLING), 0.08, 18, 0.5),
    _Template((_HEAD, _SPOUSE, _CHILD), 0.78, 20, 0.8),
    _Template((_HEAD, _CHILD, _GRANDCHILD), 0.12, 40, 0.35),
    _Template((_HEAD, _CHILD, _CHILD), 0.10, 22, 0.35),
    _Template((_HEAD, _SPOUSE, _CHILD, _CHILD), 0.58, 22, 0.8),
    _Template((_HEAD, _SPOUSE, _CHILD, _GRANDCHILD), 0.42, 40, 0.8),
    _Template((_HEAD, _SPOUSE, _CHILD, _CHILD_IN_LAW, _GRANDCHILD), 0.55, 40, 0.8),
    _Template((_HEAD, _SPOUSE, _CHILD, _CHILD, _CHILD), 0.20, 24, 0.8),
    _Template((_HEAD, _SPOUSE, _CHILD, _GRANDCHILD, _GRANDCHILD), 0.25, 40, 0.8),
)

#: Share of households registered (户籍) in another county than where they live,
#: and the share of those registered in the other city.
MIGRANT_HOUSEHOLD_SHARE = 0.12
CROSS_CITY_MIGRANT_SHARE = 0.15

# --- age pyramid ----------------------------------------------------------------

#: China, 2020 census (7th), people in millions by 5-year age group 0–4 … 95–99, 100+.
CENSUS_2020_AGE_GROUPS = (
    77.88, 90.24, 85.26, 72.68, 74.94, 91.85, 124.14, 99.01, 93.16, 114.23,
    121.17, 101.40, 73.38, 74.01, 49.59, 31.24, 20.37, 10.64, 3.29, 0.75, 0.12,
)  # fmt: skip
#: National births in millions (NBS), used for the cohorts born after the census.
BIRTHS_AFTER_2020 = {2021: 10.62, 2022: 9.56, 2023: 9.02, 2024: 9.54, 2025: 7.92}
_BIRTHS_LATER = 7.9

# --- names and phones -------------------------------------------------------------

GIVEN_NAME_CHARS_MALE = (
    "伟强磊军勇杰涛斌浩宇鹏俊峰超明刚平辉鑫波建国华林东文志江海兵亮成红云飞"
    "洋凯健龙彬祥德庆锋旭晨博文轩睿泽宏昊然"
)
GIVEN_NAME_CHARS_FEMALE = (
    "芳娜敏静丽艳娟霞秀玲燕红婷雪慧琳佳欣怡萍梅莉英兰琴蓉凤洁倩颖晶丹璐瑶妍悦薇雯蕾霖梓涵诗琪"
)
GIVEN_NAME_CHARS_NEUTRAL = "文明春晓一子小新天金玉嘉思家永安乐清语宁"
#: Mobile prefixes (3 digits) of the three carriers.
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151",
    "152", "153", "155", "156", "157", "158", "159", "170", "171", "173", "175", "176",
    "177", "178", "180", "181", "182", "183", "184", "185", "186", "187", "188", "189",
    "190", "191", "193", "195", "196", "197", "198", "199",
)  # fmt: skip
#: Minors below this age carry the phone number of the household head.
_OWN_PHONE_AGE = 14


# ==================================================================================
# Chunks


@dataclass
class PersonChunk:
    """People of one chunk, as parallel arrays (one entry per person).

    Members of a household are contiguous, head first. ``household_key`` is the
    global key of the person's household (see :class:`HouseholdChunk`).
    """

    chunk_index: int
    resident_id: StrArray  # <U18, GB 11643-1999
    name: StrArray  # <U3
    birth_date: DateArray  # datetime64[D]
    gender: StrArray  # <U1, "M" / "F"
    phone: StrArray  # <U11
    hukou_region: StrArray  # <U6, current county code of the household registration
    residence_region: StrArray  # <U6, current county code of residence
    hukou_type: StrArray  # "urban" / "rural"
    household_key: IntArray  # int64
    relation: StrArray  # "head" / "spouse" / "child" / "parent" / "other"

    def __len__(self) -> int:
        return len(self.resident_id)


@dataclass
class HouseholdChunk:
    """Households of one chunk. ``household_key`` is unique over the whole
    generation: ``chunk_index * chunk_size + i`` for the i-th household of the chunk;
    ``household_no`` is ``CQ``/``SC`` + county code + that key on 10 digits."""

    chunk_index: int
    household_key: IntArray  # int64, ascending
    household_no: StrArray  # <U18
    address_region: StrArray  # <U6

    def __len__(self) -> int:
        return len(self.household_key)


# ==================================================================================
# Ages


@cache
def _age_cdf(as_of: date) -> FloatArray:
    """``cdf[a]`` = share of people younger than ``a`` (age = ``as_of.year`` − birth
    year), for a = 0 … MAX_AGE + 1; the current year counts only its days so far."""
    weights = np.zeros(MAX_AGE + 1)
    for age in range(MAX_AGE + 1):
        birth_year = as_of.year - age
        if birth_year <= 2020:
            group = min((2020 - birth_year) // 5, len(CENSUS_2020_AGE_GROUPS) - 1)
            weights[age] = CENSUS_2020_AGE_GROUPS[group] / 5
        else:
            weights[age] = BIRTHS_AFTER_2020.get(birth_year, _BIRTHS_LATER)
    weights[0] *= (as_of.timetuple().tm_yday - 1) / 365
    return np.concatenate([[0.0], cdf_of(weights)])


def _ages_between(
    rng: np.random.Generator, cdf: FloatArray, low: IntArray, high: IntArray
) -> IntArray:
    """One age per entry in ``[low, high]``, weighted by the age pyramid."""
    u = cdf[low] + rng.random(len(low)) * (cdf[high + 1] - cdf[low])
    ages = np.searchsorted(cdf, u, side="right") - 1
    return np.clip(ages, low, high).astype(np.int64)


# ==================================================================================
# Skeleton (everything the ID number depends on)


@dataclass
class _Skeleton:
    household_size: IntArray  # per household
    template: IntArray  # per household, index into _TEMPLATES
    household_county: IntArray  # residence county index
    hukou_county: IntArray  # registration county index
    member_household: IntArray  # per person: household index within the chunk
    kind: IntArray
    male: BoolArray
    birth_day: IntArray  # days since 1970-01-01
    code_index: IntArray  # index into geography.id_codes


def _template_tables() -> tuple[IntArray, FloatArray, IntArray, FloatArray, IntArray]:
    kinds = np.full((len(_TEMPLATES), 5), _NO_MEMBER, dtype=np.int64)
    cum = np.ones((6, 4))  # per size, cumulative share of its templates
    first = np.zeros(6, dtype=np.int64)  # first template index of each size
    min_age = np.array([t.min_head_age for t in _TEMPLATES], dtype=np.int64)
    head_male = np.array([t.head_male_p for t in _TEMPLATES])
    for i, t in enumerate(_TEMPLATES):
        kinds[i, : len(t.kinds)] = t.kinds
    for size in range(1, 6):
        members = [t for t in _TEMPLATES if len(t.kinds) == size]
        first[size] = next(i for i, t in enumerate(_TEMPLATES) if len(t.kinds) == size)
        shares = np.cumsum([t.share for t in members])
        cum[size, : len(members)] = shares / shares[-1]
    return kinds, cum, first, head_male, min_age


_TEMPLATE_KINDS, _TEMPLATE_CUM, _TEMPLATE_FIRST, _TEMPLATE_HEAD_MALE, _TEMPLATE_MIN_AGE = (
    _template_tables()
)
_TEMPLATE_HAS_GRANDCHILD = (_TEMPLATE_KINDS == _GRANDCHILD).any(axis=1)
_TEMPLATE_FIRST_CHILD = np.where(
    (_TEMPLATE_KINDS == _CHILD).any(axis=1), np.argmax(_TEMPLATE_KINDS == _CHILD, axis=1), 0
)


def _days_since_1970(day: date, years_back: int = 0) -> int:
    """Days since 1970-01-01 of ``day`` moved ``years_back`` years earlier
    (29 February becomes 28 February)."""
    year = day.year - years_back
    earlier = (
        day.replace(year=year, day=28)
        if (day.month, day.day) == (2, 29)
        else day.replace(year=year)
    )
    return (earlier - date(1970, 1, 1)).days


def _skeleton(seed: int, chunk_index: int, n_people: int, as_of: date) -> _Skeleton:
    geo = geography_for(as_of)
    rng = np.random.default_rng([seed, 0, chunk_index, 0])

    # Household sizes and templates; the last household is cut to fit the chunk.
    sizes = np.empty(0, dtype=np.int64)
    while sizes.sum() < n_people:
        extra = int((n_people - sizes.sum()) / MEAN_HOUSEHOLD_SIZE * 1.05) + 8
        drawn = rng.choice(5, size=extra, p=np.array(HOUSEHOLD_SIZE_SHARES)) + 1
        sizes = np.concatenate([sizes, drawn.astype(np.int64)])
    ends = np.cumsum(sizes)
    n_households = int(np.searchsorted(ends, n_people)) + 1
    sizes = sizes[:n_households]
    within = (rng.random(n_households)[:, None] > _TEMPLATE_CUM[sizes]).sum(axis=1)
    template = _TEMPLATE_FIRST[sizes] + within
    sizes[-1] -= int(ends[n_households - 1]) - n_people

    # Where households live and where they are registered.
    city = (rng.random(n_households) >= CHONGQING_SHARE).astype(np.int64)
    u = rng.random(n_households)
    county = np.where(
        city == 0,
        np.searchsorted(geo.resident_cdf[0], u, side="right"),
        np.searchsorted(geo.resident_cdf[1], u, side="right"),
    )
    migrant = rng.random(n_households) < MIGRANT_HOUSEHOLD_SHARE
    origin_city = np.where(rng.random(n_households) < CROSS_CITY_MIGRANT_SHARE, 1 - city, city)
    u = rng.random(n_households)
    origin = np.where(
        origin_city == 0,
        np.searchsorted(geo.origin_cdf[0], u, side="right"),
        np.searchsorted(geo.origin_cdf[1], u, side="right"),
    )
    hukou = np.where(migrant, origin, county)

    # Head: age from the pyramid above the template's minimum, sex by template.
    age_cdf = _age_cdf(as_of)
    min_age = _TEMPLATE_MIN_AGE[template]
    head_age = _ages_between(rng, age_cdf, min_age, np.full(n_households, MAX_AGE))
    head_male_p = np.where((template == 0) & (head_age >= 60), 0.42, _TEMPLATE_HEAD_MALE[template])
    head_male = rng.random(n_households) < head_male_p

    # Members.
    n = n_people
    starts = np.cumsum(sizes) - sizes
    hh = np.repeat(np.arange(n_households, dtype=np.int64), sizes)
    position = np.arange(n, dtype=np.int64) - np.repeat(starts, sizes)
    kind = _TEMPLATE_KINDS[template[hh], position]
    m_head_age = head_age[hh]
    age = m_head_age.copy()

    is_spouse = kind == _SPOUSE
    spouse_gap = np.abs(np.rint(rng.normal(1.5, 3.0, n))).astype(np.int64)
    age[is_spouse] = np.maximum(m_head_age - spouse_gap, 18)[is_spouse]

    is_child = kind == _CHILD
    # Children 20–40 years younger than the head (adults where a grandchild follows).
    adult_child = _TEMPLATE_HAS_GRANDCHILD[template[hh]]
    child_high = np.maximum(m_head_age - 20, 0)
    child_low = np.minimum(np.maximum(m_head_age - 40, np.where(adult_child, 20, 0)), child_high)
    age[is_child] = _ages_between(rng, age_cdf, child_low, child_high)[is_child]

    first_child = np.minimum(starts + _TEMPLATE_FIRST_CHILD[template], n - 1)[hh]
    first_child_age = age[first_child]
    is_in_law = kind == _CHILD_IN_LAW
    in_law_age = first_child_age + np.rint(rng.normal(0.0, 3.0, n)).astype(np.int64)
    age[is_in_law] = np.clip(in_law_age, 18, m_head_age)[is_in_law]

    is_grandchild = kind == _GRANDCHILD
    grandchild_high = np.maximum(first_child_age - 20, 0)
    grandchild_low = np.minimum(np.maximum(first_child_age - 38, 0), grandchild_high)
    grandchild_age = _ages_between(rng, age_cdf, grandchild_low, grandchild_high)
    age[is_grandchild] = grandchild_age[is_grandchild]

    is_sibling = kind == _SIBLING
    sibling_age = m_head_age - np.floor(rng.random(n) * 13).astype(np.int64)
    age[is_sibling] = np.clip(sibling_age, 18, m_head_age)[is_sibling]

    # Sex.
    male = rng.random(n) < 0.515
    m_head_male = head_male[hh]
    male = np.where(kind == _HEAD, m_head_male, male)
    male = np.where(is_spouse, ~m_head_male, male)
    first_child_male = male[first_child]
    male = np.where(is_in_law, ~first_child_male, male)

    # Birth dates: uniform within the birth year, never after as_of; nobody older
    # than the head.
    birth_year = np.minimum(as_of.year - age, geo.last_year)
    y = birth_year - geo.year0
    # Members who must be adults and turn 18 this year are born by as_of's date.
    adult = np.isin(kind, (_HEAD, _SPOUSE, _CHILD_IN_LAW, _SIBLING))
    latest_adult = _days_since_1970(as_of, years_back=18)
    days = np.where(
        adult & (birth_year == as_of.year - 18), latest_adult - geo.jan1[y] + 1, geo.days_open[y]
    )
    birth_day = geo.jan1[y] + np.floor(rng.random(n) * days).astype(np.int64)
    head_day = birth_day[starts][hh]
    birth_day = np.where(kind == _HEAD, birth_day, np.maximum(birth_day, head_day))

    # ID address code: registration county's code in force in the birth year.
    m_hukou = hukou[hh]
    lineage = (rng.random(n) >= geo.lineage0_share[m_hukou]).astype(np.int64)
    code_index = geo.id_code_of[m_hukou, lineage, y].astype(np.int64)

    return _Skeleton(
        household_size=sizes,
        template=template,
        household_county=county.astype(np.int64),
        hukou_county=hukou.astype(np.int64),
        member_household=hh,
        kind=kind,
        male=male,
        birth_day=birth_day,
        code_index=code_index,
    )


# ==================================================================================
# Attributes


def _codepoints(chars: npt.NDArray[np.uint32]) -> StrArray:
    """Rows of code points (0 = end of string) to a str array."""
    n, width = chars.shape
    return np.ascontiguousarray(chars).view(f"<U{width}").reshape(n)


def _as_codepoints(text: str) -> npt.NDArray[np.uint32]:
    return np.array([ord(c) for c in text], dtype=np.uint32)


def _names(
    rng: np.random.Generator,
    male: BoolArray,
    surname_index: IntArray,
) -> StrArray:
    n = len(male)
    surnames = np.array([ord(s) for s, _ in SURNAMES], dtype=np.uint32)
    male_chars = _as_codepoints(GIVEN_NAME_CHARS_MALE + GIVEN_NAME_CHARS_NEUTRAL)
    female_chars = _as_codepoints(GIVEN_NAME_CHARS_FEMALE + GIVEN_NAME_CHARS_NEUTRAL)
    out = np.zeros((n, 3), dtype=np.uint32)
    out[:, 0] = surnames[surname_index]
    for col in (1, 2):
        pick_m = male_chars[np.floor(rng.random(n) * len(male_chars)).astype(np.int64)]
        pick_f = female_chars[np.floor(rng.random(n) * len(female_chars)).astype(np.int64)]
        out[:, col] = np.where(male, pick_m, pick_f)
    single = rng.random(n) < 0.3
    out[single, 2] = 0
    return _codepoints(out)


def _phones(rng: np.random.Generator, n: int) -> StrArray:
    prefixes = np.array([[int(c) for c in p] for p in MOBILE_PREFIXES], dtype=np.uint8)
    chars = np.empty((n, 11), dtype=np.uint8)
    chars[:, :3] = prefixes[rng.integers(0, len(prefixes), n)]
    chars[:, 3:] = rng.integers(0, 10, (n, 8), dtype=np.uint8)
    return ascii_strings(chars + ord("0"))


def _household_numbers(codes: StrArray, keys: IntArray) -> StrArray:
    """``CQ``/``SC`` + county code + 10-digit global household key."""
    n = len(keys)
    if n and int(keys.max()) >= 10**10:
        raise ValueError("household key does not fit the 10-digit serial")
    chars = np.empty((n, 18), dtype=np.uint8)
    code_bytes = codes.astype("S6").view(np.uint8).reshape(n, 6)
    chongqing = code_bytes[:, 1] == ord("0")  # "50…" vs "51…"
    chars[:, 0] = np.where(chongqing, ord("C"), ord("S"))
    chars[:, 1] = np.where(chongqing, ord("Q"), ord("C"))
    chars[:, 2:8] = code_bytes
    chars[:, 8:] = digit_rows(keys, 10) + ord("0")
    return ascii_strings(chars)


def _dress(
    skeleton: _Skeleton,
    sequence: IntArray,
    seed: int,
    chunk_index: int,
    chunk_size: int,
    as_of: date,
) -> tuple[HouseholdChunk, PersonChunk]:
    geo = geography_for(as_of)
    rng = np.random.default_rng([seed, 0, chunk_index, 1])
    sk = skeleton
    n = len(sk.kind)
    n_households = len(sk.household_size)
    hh = sk.member_household
    starts = np.cumsum(sk.household_size) - sk.household_size

    keys = chunk_index * chunk_size + np.arange(n_households, dtype=np.int64)
    address = geo.codes[sk.household_county]
    households = HouseholdChunk(
        chunk_index=chunk_index,
        household_key=keys,
        household_no=_household_numbers(address, keys),
        address_region=address,
    )

    # Surnames: children take the father's (the male partner of the couple, or
    # the head); siblings the head's; grandchildren their father's when he is
    # the household's child, otherwise their own.
    weights = np.array([w for _, w in SURNAMES])
    surname_cdf = np.cumsum(weights) / weights.sum()
    own = np.searchsorted(surname_cdf, rng.random(n), side="right")
    head_surname = own[starts][hh]
    spouse_pos = np.minimum(starts + 1, n - 1)
    has_spouse = (sk.household_size >= 2) & (_TEMPLATE_KINDS[sk.template, 1] == _SPOUSE)
    head_male = sk.male[starts]
    family = np.where(has_spouse & ~head_male, own[spouse_pos], own[starts])[hh]
    first_child_pos = np.minimum(starts + _TEMPLATE_FIRST_CHILD[sk.template], n - 1)
    first_child_male = (sk.kind[first_child_pos] == _CHILD) & sk.male[first_child_pos]
    surname = own.copy()
    surname = np.where(sk.kind == _CHILD, family, surname)
    surname = np.where(sk.kind == _SIBLING, head_surname, surname)
    surname = np.where((sk.kind == _GRANDCHILD) & first_child_male[hh], family, surname)
    names = _names(rng, sk.male, surname)

    phone = _phones(rng, n)
    age_days = (as_of - date(1970, 1, 1)).days - sk.birth_day
    minor = age_days < _OWN_PHONE_AGE * 365.25
    phone = np.where(minor, phone[starts][hh], phone)

    urban = rng.random(n_households) < geo.urban_share[sk.hukou_county]
    people = PersonChunk(
        chunk_index=chunk_index,
        resident_id=resident_ids(
            geo.id_codes[sk.code_index], sk.birth_day, sequence_slots(seed)[sequence], sk.male
        ),
        name=names,
        birth_date=sk.birth_day.astype("datetime64[D]"),
        gender=np.where(sk.male, "M", "F"),
        phone=phone,
        hukou_region=geo.codes[sk.hukou_county][hh],
        residence_region=address[hh],
        hukou_type=np.where(urban, "urban", "rural")[hh],
        household_key=keys[hh],
        relation=_RELATION_OF_KIND[sk.kind],
    )
    return households, people


def _sequenced_skeleton(
    seed: int, chunk_index: int, n_people: int, as_of: date, counter: SequenceCounter
) -> tuple[_Skeleton, IntArray]:
    sk = _skeleton(seed, chunk_index, n_people, as_of)
    seq = assign_sequences(
        counter,
        sk.code_index,
        sk.birth_day,
        sk.male,
        sk.kind == _HEAD,
        birth_year_bounds(sk.birth_day, geography_for(as_of)),
    )
    return sk, seq


def generate_people(
    scale: float,
    seed: int,
    chunk_size: int = 100_000,
    *,
    start_chunk: int = 0,
    as_of: date = DEFAULT_AS_OF,
) -> Iterator[tuple[HouseholdChunk, PersonChunk]]:
    """Yield (households, people) chunk by chunk; each chunk has ``chunk_size``
    people (the last one the rest), grouped in whole households.

    Deterministic in ``(scale, seed, chunk_size, as_of)``. Resident ID numbers are
    valid GB 11643-1999 numbers accepted by ``stdnum.cn.ric.validate`` and unique
    over the whole generation; starting at ``start_chunk`` > 0 rebuilds the
    sequence counters from the earlier chunks' skeletons, so it yields exactly
    the chunks a full run would.
    """
    check_seed(seed)
    sizes = chunk_sizes(people_total(scale), chunk_size)
    geo = geography_for(as_of)
    counter = SequenceCounter.for_geography(geo)
    for index, size in enumerate(sizes):
        skeleton, sequence = _sequenced_skeleton(seed, index, size, as_of, counter)
        if index >= start_chunk:
            yield _dress(skeleton, sequence, seed, index, chunk_size, as_of)
