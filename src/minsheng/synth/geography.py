"""Geography of the synthetic city: where people live and are registered, and the
address code (digits 1–6) their ID numbers carry.

Modelling choices (documented approximations, not statistics to quote):

* **Geography.** 90 % of people live in Chongqing (prefix ``50``), 10 % in Chengdu
  (``5101``), one of Sichuan's cities, so the peer node has data of its own.
  Within each city, county-level divisions in force at ``as_of`` (read from
  python-stdnum's ``cn/loc.dat`` through :mod:`minsheng.platform.regions`) are
  weighted by their rough 2020-census population (:data:`COUNTY_PROFILE`), the
  2025 reorganisation applied (两江新区 = former 江北区 + most of 渝北区).
* **ID address codes** (GB 11643-1999, ``reference/hrss-rules.md`` §1.1). The address
  code is the county of registration *in the birth year*, found by following the
  county's predecessors in the division table: ``stdnum.cn.ric.validate`` insists
  that the code was in force in the birth year, so everyone born in Chongqing
  before 1997 carries an old Sichuan code (510212 沙坪坝区, 512221 万县 …, or the
  prefecture 510200 重庆市 before the 1983 codes), and people of 两江新区 born
  before 2025 carry 500112 渝北区 or 500105 江北区 (both abolished in 2025), as do
  the 渝北 towns moved to 北碚区. The rest of the number comes from
  :mod:`minsheng.synth.id_numbers`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

import numpy as np
import numpy.typing as npt
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

from minsheng.platform import regions
from minsheng.synth.common import (
    CHONGQING_SHARE,
    MAX_AGE,
    FloatArray,
    IntArray,
    StrArray,
    cdf_of,
)

#: County-level divisions in force: rough resident population (2020 census, in
#: 10 000s; 两江新区 and 北碚区 after the 2025 reorganisation, estimated) and the
#: share of households with urban (非农业) registration. An approximation for
#: synthetic data only.
COUNTY_PROFILE: dict[str, tuple[float, float]] = {
    "500101": (156, 0.55), "500102": (112, 0.55), "500103": (59, 0.98),
    "500104": (42, 0.95), "500106": (148, 0.92), "500107": (153, 0.90),
    "500108": (119, 0.92), "500109": (93, 0.75), "500110": (101, 0.45),
    "500111": (83, 0.42), "500113": (118, 0.70), "500114": (49, 0.40),
    "500115": (69, 0.50), "500116": (136, 0.50), "500117": (125, 0.48),
    "500118": (115, 0.52), "500119": (58, 0.42), "500120": (76, 0.55),
    "500151": (69, 0.42), "500152": (69, 0.38), "500153": (67, 0.42),
    "500154": (120, 0.38), "500155": (65, 0.38), "500156": (36, 0.35),
    "500157": (290, 0.85), "500229": (20, 0.30), "500230": (56, 0.33),
    "500231": (65, 0.36), "500233": (72, 0.35), "500235": (93, 0.33),
    "500236": (74, 0.32), "500237": (46, 0.30), "500238": (39, 0.28),
    "500240": (39, 0.32), "500241": (49, 0.33), "500242": (61, 0.28),
    "500243": (50, 0.28),
    "510104": (90, 0.95), "510105": (96, 0.95), "510106": (127, 0.93),
    "510107": (121, 0.93), "510108": (138, 0.92), "510112": (135, 0.70),
    "510113": (49, 0.55), "510114": (156, 0.65), "510115": (97, 0.65),
    "510116": (146, 0.70), "510117": (139, 0.60), "510118": (36, 0.50),
    "510121": (80, 0.35), "510129": (52, 0.38), "510131": (26, 0.35),
    "510181": (71, 0.50), "510182": (78, 0.40), "510183": (60, 0.38),
    "510184": (74, 0.40), "510185": (112, 0.30),
}  # fmt: skip
_DEFAULT_PROFILE = (50.0, 0.5)

#: Code prefixes where each city's predecessors are found in the division table
#: (Chongqing was part of Sichuan until 1997: 5102 重庆市, 5121 江津/永川地区,
#: 5122 万县地区, 5123 涪陵地区, 5112 万县市, 5114 涪陵市, 5135 黔江地区).
_PREDECESSOR_POOLS = {
    "50": ("50", "5102", "5112", "5114", "5121", "5122", "5123", "5135"),
    "5101": ("5101", "5110", "5120", "5124", "5127", "5139"),
}
#: Former names whose stem differs from today's division (name → today's stem).
_RENAMED = {
    "万县": "万州", "万县市": "万州", "万县区": "万州", "龙宝区": "万州", "天城区": "万州",
    "五桥区": "万州", "枳城区": "涪陵", "李渡区": "涪陵", "市中区": "渝中", "江北县": "渝北",
    "巴县": "巴南", "万盛区": "綦江", "双桥区": "大足", "开县": "开州",
    "东城区": "锦江", "西城区": "青羊", "郫县": "郫都", "灌县": "都江堰", "崇庆县": "崇州",
    "彭县": "彭州",
}  # fmt: skip
_NAME_SUFFIXES = (
    "土家族苗族自治县", "苗族土家族自治县", "土家族自治县", "自治县", "新区", "工农区",
    "地区", "区", "县", "市",
)  # fmt: skip
_NOT_A_COUNTY = frozenset({"市辖区", "县", "市", "市区"})
#: Where a current county took in territory of an abolished one (2025): the ID
#: address code follows one of several lineages. (stems in preference order, share)
_LINEAGES: dict[str, tuple[tuple[tuple[str, ...], float], ...]] = {
    "两江": ((("两江", "渝北"), 0.62), (("两江", "江北"), 0.38)),
    "北碚": ((("北碚",), 0.88), (("渝北", "北碚"), 0.12)),
}


@dataclass(frozen=True)
class Geography:
    """County-level divisions of both cities at ``as_of`` with the weights people,
    migrants' registrations and employers are drawn with, and the ID address code
    of each county for every birth year (per lineage)."""

    codes: StrArray  # current county codes: Chongqing first, then Chengdu
    names: StrArray
    city: IntArray  # 0 Chongqing, 1 Chengdu
    resident_cdf: tuple[FloatArray, FloatArray]  # per city, over all counties
    origin_cdf: tuple[FloatArray, FloatArray]  # migrants' registration, per city
    employer_cdf: FloatArray
    urban_share: FloatArray
    lineage0_share: FloatArray  # per county: share of people on its first lineage
    id_codes: IntArray  # address codes usable in ID numbers
    id_code_of: npt.NDArray[np.int32]  # (county, lineage, year - year0) -> id_codes index
    year0: int
    last_year: int  # last birth year (as_of's year, or the year before on 1 January)
    jan1: IntArray  # days since 1970 of 1 January, per year - year0
    days_open: IntArray  # days of each year available for births


def _stem(name: str) -> str:
    if name in _RENAMED:
        return _RENAMED[name]
    for suffix in _NAME_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


@cache
def _accepted_in_ids(code: str, year: int) -> bool:
    """Whether ``stdnum.cn.ric`` accepts ``code`` as address code for a birth year."""
    try:
        ric.get_birth_place(f"{code}{year:04d}0101000")
    except (stdnum_errors.ValidationError, KeyError):
        return False
    return True


def _start(division: regions.Division) -> float:
    return float("-inf") if division.valid_from is None else float(division.valid_from)


def _id_code_for(
    stems: tuple[str, ...],
    year: int,
    entries: dict[str, list[tuple[regions.Division, bool]]],
) -> str | None:
    """Address code for a birth year: the first stem (in preference order) with a
    name in force that year wins; among its names, the newest, unrenamed first."""
    for stem in stems:
        candidates = [
            (_start(d), not renamed, d.code)
            for d, renamed in entries.get(stem, [])
            if d.valid_in(year) and _accepted_in_ids(d.code, year)
        ]
        if candidates:
            return max(candidates, key=lambda c: (c[0], c[1], -int(c[2])))[2]
    # Before the county's first code: the prefecture it belonged to.
    parents = sorted({d.code[:4] + "00" for stem in stems for d, _ in entries.get(stem, [])})
    best: tuple[float, str] | None = None
    for parent in parents:
        for d in regions.periods_of(parent):
            if d.name in _NOT_A_COUNTY or not d.valid_in(year):
                continue
            if _accepted_in_ids(parent, year) and (best is None or _start(d) > best[0]):
                best = (_start(d), parent)
    return best[1] if best else None


@cache
def geography_for(as_of: date) -> Geography:
    """The :class:`Geography` of ``as_of`` (built once per date, from the division table)."""
    counties = [
        (d, city)
        for city, prefix in enumerate(("50", "5101"))
        for d in regions.current_counties(prefix, on=as_of)
    ]
    if not counties:
        raise RuntimeError("no county-level divisions found for Chongqing/Chengdu")
    n = len(counties)
    codes = np.array([d.code for d, _ in counties])
    city = np.array([c for _, c in counties], dtype=np.int64)
    profile = np.array([COUNTY_PROFILE.get(d.code, _DEFAULT_PROFILE) for d, _ in counties])
    population, urban = profile[:, 0], profile[:, 1]

    def city_cdf(weights: FloatArray, which: int) -> FloatArray:
        return cdf_of(np.where(city == which, weights, 0.0))

    resident = (city_cdf(population, 0), city_cdf(population, 1))
    origin_weight = population * (1.0 - urban)
    origin = (city_cdf(origin_weight, 0), city_cdf(origin_weight, 1))
    employer_weight = population * (0.5 + urban)
    employer_weight = employer_weight * np.where(
        city == 0,
        CHONGQING_SHARE / employer_weight[city == 0].sum(),
        (1 - CHONGQING_SHARE) / employer_weight[city == 1].sum(),
    )
    employer_cdf = cdf_of(employer_weight)

    # Names of every code of each city's predecessor pool, by stem.
    entries: list[dict[str, list[tuple[regions.Division, bool]]]] = [{}, {}]
    for which, pool in enumerate(_PREDECESSOR_POOLS.values()):
        for code in regions.all_codes():
            if not code.startswith(pool) or code.endswith("00"):
                continue
            for d in regions.periods_of(code):
                if d.name not in _NOT_A_COUNTY:
                    entries[which].setdefault(_stem(d.name), []).append((d, d.name in _RENAMED))

    last_year = as_of.year if as_of.timetuple().tm_yday > 1 else as_of.year - 1
    year0 = as_of.year - MAX_AGE - 1
    years = range(year0, last_year + 1)
    id_code_list: list[str] = []
    id_code_index: dict[str, int] = {}
    table = np.zeros((n, 2, len(years)), dtype=np.int32)
    lineage0_share = np.ones(n)
    for i, (division, county_city) in enumerate(counties):
        stem = _stem(division.name)
        lineages = _LINEAGES.get(stem, (((stem,), 1.0),))
        lineage0_share[i] = lineages[0][1]
        for j in range(2):
            stems = lineages[min(j, len(lineages) - 1)][0]
            for k, year in enumerate(years):
                found = _id_code_for(stems, year, entries[county_city])
                if found is None:
                    raise RuntimeError(f"no ID address code for {division.code} in {year}")
                if found not in id_code_index:
                    id_code_index[found] = len(id_code_list)
                    id_code_list.append(found)
                table[i, j, k] = id_code_index[found]

    jan1 = np.array([(date(y, 1, 1) - date(1970, 1, 1)).days for y in years], dtype=np.int64)
    days_open = np.array(
        [(min(date(y + 1, 1, 1), as_of) - date(y, 1, 1)).days for y in years],
        dtype=np.int64,
    )
    return Geography(
        codes=codes,
        names=np.array([d.name for d, _ in counties]),
        city=city,
        resident_cdf=resident,
        origin_cdf=origin,
        employer_cdf=employer_cdf,
        urban_share=urban.astype(np.float64),
        lineage0_share=lineage0_share,
        id_codes=np.array([int(c) for c in id_code_list], dtype=np.int64),
        id_code_of=table,
        year0=year0,
        last_year=last_year,
        jan1=jan1,
        days_open=days_open,
    )
