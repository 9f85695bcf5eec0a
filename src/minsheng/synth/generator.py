"""Synthetic city: people, households and employers, vectorised with NumPy.

This is the pure part of ``minsheng synth --scale S --seed N``: it yields the data
in chunks (no database, no I/O beyond reading the division table), so scale 1.0
(≈ 35 million people, see :data:`POPULATION_AT_SCALE_1`) never needs everyone in
memory at once. Everything is drawn with ``numpy.random.default_rng`` from
per-chunk seeds (``[seed, stream, chunk_index, …]``), so the output depends only
on ``(scale, seed, chunk_size, as_of)`` and a chunk can be regenerated on its own.

Modelling choices (documented approximations, not statistics to quote):

* **Geography.** 90 % of people live in Chongqing (prefix ``50``), 10 % in Chengdu
  (``5101``), one of Sichuan's cities, so the peer node has data of its own.
  Within each city, county-level divisions in force at ``as_of`` (read from
  python-stdnum's ``cn/loc.dat`` through :mod:`minsheng.platform.regions`) are
  weighted by their rough 2020-census population (:data:`COUNTY_PROFILE`), the
  2025 reorganisation applied (两江新区 = former 江北区 + most of 渝北区).
* **Households** come first: sizes 1–5 with the shares of the 2020 census
  (1: 25 %, 2: 30 %, 3: 21 %, 4: 13 %, 5+: 11 %), a family template per size
  (couple, couple with children, grandparents with an adult child and a
  grandchild …), one residence county per household. The head is the oldest
  member aged 18 or over; other members are ``spouse``, ``child`` or ``other``
  (children-in-law, grandchildren, siblings). With that rule a ``parent`` of the
  head never occurs here, although the vocabulary has it for registered data.
* **Ages.** The head's birth year follows China's 2020-census age pyramid shifted
  to ``as_of`` (5-year groups spread evenly over their years) plus the national
  births of 2021–2025; other members' ages follow from the head's (spouses 0–8
  years younger, children 20–40 years younger, …). Mortality after 2020 is ignored.
* **Household registration.** 12 % of households are registered (户籍) in another
  county, mostly a rural one, 15 % of those in the other city; ``hukou_type`` is
  urban with a per-county probability.
* **ID numbers** (GB 11643-1999, ``reference/hrss-rules.md`` §1.1). The address
  code is the county of registration *in the birth year*, found by following the
  county's predecessors in the division table: ``stdnum.cn.ric.validate`` insists
  that the code was in force in the birth year, so everyone born in Chongqing
  before 1997 carries an old Sichuan code (510212 沙坪坝区, 512221 万县 …, or the
  prefecture 510200 重庆市 before the 1983 codes), and people of 两江新区 born
  before 2025 carry 500112 渝北区 or 500105 江北区 (both abolished in 2025), as do
  the 渝北 towns moved to 北碚区. The sequence (digits 15–17) is unique per
  (address code, birth date): 17th digit odd for men, even for women, 500 numbers
  per sex; it comes from a counter per (code, date, sex) carried from chunk to
  chunk in order, so numbers are unique over the whole generation (resuming at
  chunk k replays the cheap "skeleton" of chunks 0…k-1 to rebuild the counter).
* **Employers**: one per :data:`PEOPLE_PER_EMPLOYER` people (Chongqing has roughly
  that many registered market entities per resident, individual businesses
  included); 75 % enterprises (USCC ``91…``), 25 % individual businesses (``92…``).
  The organisation-code part (positions 9–17) is a GB 11714 code whose body is a
  bijection of the employer's global index, so codes are unique by construction.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache

import numpy as np
import numpy.typing as npt
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

from minsheng.platform import regions

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
StrArray = npt.NDArray[np.str_]
DateArray = npt.NDArray[np.datetime64]

#: People at scale 1.0: Chongqing (≈ 32 million) plus a Chengdu share.
POPULATION_AT_SCALE_1 = 35_000_000
#: Share of people living in Chongqing; the rest live in Chengdu (Sichuan).
CHONGQING_SHARE = 0.9
#: People per employer (registered market entities per resident, roughly).
PEOPLE_PER_EMPLOYER = 10
#: Default "today" of the synthetic city: ages and current division codes refer to it.
DEFAULT_AS_OF = date(2026, 7, 1)
#: Oldest age generated.
MAX_AGE = 100

# --- households ---------------------------------------------------------------

#: Household size shares, 2020 census (sizes 5 and more folded into 5).
HOUSEHOLD_SIZE_SHARES = (0.2539, 0.2968, 0.2099, 0.1317, 0.1077)
_MEAN_HOUSEHOLD_SIZE = sum((i + 1) * p for i, p in enumerate(HOUSEHOLD_SIZE_SHARES))

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

# --- geography ------------------------------------------------------------------

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

# --- names ----------------------------------------------------------------------

#: Common surnames with rough national frequencies (per cent).
SURNAMES = (
    ("王", 7.1), ("李", 7.0), ("张", 6.7), ("刘", 5.4), ("陈", 4.6), ("杨", 3.1),
    ("黄", 2.2), ("赵", 2.1), ("吴", 2.0), ("周", 1.9), ("徐", 1.3), ("孙", 1.2),
    ("马", 1.1), ("朱", 1.1), ("胡", 1.1), ("郭", 1.0), ("何", 1.0), ("罗", 1.0),
    ("高", 0.9), ("林", 0.9), ("谢", 0.8), ("唐", 0.8), ("邓", 0.8), ("冯", 0.7),
    ("韩", 0.7), ("曹", 0.7), ("曾", 0.6), ("彭", 0.6), ("萧", 0.5), ("蔡", 0.5),
    ("潘", 0.5), ("田", 0.5), ("董", 0.5), ("袁", 0.5), ("于", 0.5), ("余", 0.5),
    ("叶", 0.5), ("蒋", 0.5), ("杜", 0.5), ("苏", 0.5), ("魏", 0.4), ("程", 0.4),
    ("吕", 0.4), ("丁", 0.4), ("沈", 0.4), ("任", 0.4), ("姚", 0.4), ("卢", 0.4),
    ("傅", 0.4), ("钟", 0.4), ("姜", 0.3), ("崔", 0.3), ("谭", 0.3), ("廖", 0.3),
    ("范", 0.3), ("汪", 0.3), ("陆", 0.3), ("金", 0.3), ("石", 0.3), ("戴", 0.3),
    ("贾", 0.3), ("韦", 0.3), ("夏", 0.3), ("邱", 0.3), ("方", 0.3), ("侯", 0.3),
    ("邹", 0.3), ("熊", 0.3), ("孟", 0.3), ("秦", 0.3), ("白", 0.3), ("江", 0.3),
    ("阎", 0.2), ("薛", 0.2), ("尹", 0.2), ("段", 0.2), ("雷", 0.2), ("黎", 0.2),
    ("史", 0.2), ("龙", 0.2), ("陶", 0.2), ("贺", 0.2), ("顾", 0.2), ("毛", 0.2),
    ("郝", 0.2), ("龚", 0.2), ("邵", 0.2), ("万", 0.2), ("钱", 0.2), ("严", 0.2),
    ("向", 0.2), ("冉", 0.1), ("牟", 0.1), ("文", 0.1),
)  # fmt: skip
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

# --- employers --------------------------------------------------------------------

#: GB 32100-2015 code alphabet (no I, O, S, V, Z).
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
#: GB/T 4754-2017 sections A–T: (share among enterprises, share among individual
#: businesses, work-injury risk class 1–8).
#: The risk class follows the industry risk table of 人社部发〔2015〕71号 (classes 1–8
#: by industry division), reduced to one typical class per section — an
#: approximation (e.g. B is 8 for coal and ore mining, 7 for oil and gas).
INDUSTRY_PROFILE: dict[str, tuple[float, float, int]] = {
    "A": (0.040, 0.040, 4), "B": (0.003, 0.000, 8), "C": (0.100, 0.030, 4),
    "D": (0.005, 0.000, 3), "E": (0.080, 0.010, 6), "F": (0.300, 0.550, 2),
    "G": (0.040, 0.030, 4), "H": (0.050, 0.200, 2), "I": (0.060, 0.005, 1),
    "J": (0.010, 0.000, 1), "K": (0.030, 0.000, 2), "L": (0.120, 0.020, 2),
    "M": (0.080, 0.005, 2), "N": (0.007, 0.000, 4), "O": (0.030, 0.100, 2),
    "P": (0.010, 0.005, 2), "Q": (0.010, 0.003, 2), "R": (0.025, 0.002, 2),
    "S": (0.000, 0.000, 1), "T": (0.000, 0.000, 1),
}  # fmt: skip
#: Size classes (大/中/小/微型企业) with shares for enterprises and individual businesses.
SIZE_CLASSES = ("large", "medium", "small", "micro")
_SIZE_SHARES_ENTERPRISE = (0.01, 0.04, 0.15, 0.80)
_SIZE_SHARES_INDIVIDUAL = (0.0, 0.0, 0.02, 0.98)
#: Share of individual businesses (个体工商户, USCC ``92``) among employers.
INDIVIDUAL_BUSINESS_SHARE = 0.25
#: Share of enterprises whose organisation code is an old all-digit GB 11714 code.
_LEGACY_ORG_CODE_SHARE = 0.15
_BRANDS = (
    "渝新", "山城", "嘉陵", "长江", "巴渝", "渝海", "金凯", "华通", "鑫源", "宏达", "恒信", "瑞丰",
    "博源", "兴旺", "聚鑫", "天府", "锦城", "蓉城", "川渝", "顺成", "永诚", "盛世", "佳禾", "中科",
    "德润", "新鸿", "汇通", "安泰", "祥和", "正大", "朝天", "两江", "缙云", "南山",
)  # fmt: skip
_INDUSTRY_WORDS: dict[str, tuple[str, ...]] = {
    "A": ("农业开发", "生态农业", "畜牧养殖", "林业发展", "水产养殖"),
    "B": ("矿业", "石材开采", "煤业"),
    "C": ("机械制造", "汽车零部件", "电子科技", "食品", "化工", "新材料", "摩托车制造"),
    "D": ("能源", "燃气", "水务", "新能源"),
    "E": ("建筑工程", "建设工程", "装饰工程", "市政工程"),
    "F": ("商贸", "贸易", "百货", "医药连锁", "建材"),
    "G": ("物流", "运输", "快递服务", "仓储"),
    "H": ("餐饮管理", "酒店管理", "火锅"),
    "I": ("信息技术", "网络科技", "软件", "数据服务"),
    "J": ("小额贷款", "融资担保", "投资管理"),
    "K": ("房地产开发", "物业管理", "置业"),
    "L": ("企业管理咨询", "人力资源", "劳务", "广告传媒"),
    "M": ("检测技术", "工程设计", "环保科技"),
    "N": ("环境治理", "园林绿化", "市政设施管理"),
    "O": ("家政服务", "汽车维修", "美容美发"),
    "P": ("教育咨询", "职业培训"),
    "Q": ("医院管理", "健康管理", "养老服务"),
    "R": ("文化传播", "体育发展", "影视文化"),
    "S": ("社区服务",),
    "T": ("国际交流",),
}
_COMPANY_SUFFIXES = ("有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司")
_SHOP_WORDS: dict[str, tuple[str, ...]] = {
    "A": ("养殖场", "种植园"),
    "C": ("加工坊", "加工厂"),
    "F": ("便利店", "副食店", "五金店", "服装店", "批发部"),
    "G": ("货运部",),
    "H": ("小面馆", "火锅店", "串串店", "饭店", "烧烤店"),
    "O": ("理发店", "汽车修理部", "干洗店"),
}
_SHOP_DEFAULT = ("经营部", "服务部")


# ==================================================================================
# Public data shapes


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


@dataclass
class EmployerChunk:
    """Employers of one chunk."""

    chunk_index: int
    uscc: StrArray  # <U18, GB 32100-2015
    name: StrArray
    region: StrArray  # <U6
    industry: StrArray  # <U1, GB/T 4754-2017 section A–T
    size_class: StrArray  # "large" / "medium" / "small" / "micro"
    work_injury_risk_class: npt.NDArray[np.int8]  # 1–8

    def __len__(self) -> int:
        return len(self.uscc)


# ==================================================================================
# Counts


def _people_total(scale: float) -> int:
    if not (scale > 0 and math.isfinite(scale)):
        raise ValueError(f"scale must be a positive number, not {scale!r}")
    return max(1, round(POPULATION_AT_SCALE_1 * scale))


def expected_counts(scale: float) -> dict[str, int]:
    """Sizes of a generation, for progress bars: ``people`` and ``employers`` exact,
    ``households`` the expectation (people / mean household size)."""
    people = _people_total(scale)
    return {
        "people": people,
        "households": round(people / _MEAN_HOUSEHOLD_SIZE),
        "employers": max(1, round(people / PEOPLE_PER_EMPLOYER)),
    }


def _chunk_sizes(total: int, chunk_size: int) -> list[int]:
    if chunk_size <= 0:
        raise ValueError("chunk_size must be positive")
    full, rest = divmod(total, chunk_size)
    return [chunk_size] * full + ([rest] if rest else [])


def _check_seed(seed: int) -> None:
    if seed < 0:
        raise ValueError("seed must be a non-negative integer")


# ==================================================================================
# Geography and ID address codes


@dataclass(frozen=True)
class _Geography:
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


def _cdf(weights: FloatArray) -> FloatArray:
    """Cumulative distribution for ``searchsorted(cdf, u, side="right")`` with
    u in [0, 1): exactly 1.0 from the last positive weight on, so no draw falls
    past it."""
    cdf: FloatArray = np.cumsum(weights) / weights.sum()
    cdf[int(np.flatnonzero(weights > 0)[-1]) :] = 1.0
    return cdf


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
def _geography(as_of: date) -> _Geography:
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
        return _cdf(np.where(city == which, weights, 0.0))

    resident = (city_cdf(population, 0), city_cdf(population, 1))
    origin_weight = population * (1.0 - urban)
    origin = (city_cdf(origin_weight, 0), city_cdf(origin_weight, 1))
    employer_weight = population * (0.5 + urban)
    employer_weight = employer_weight * np.where(
        city == 0,
        CHONGQING_SHARE / employer_weight[city == 0].sum(),
        (1 - CHONGQING_SHARE) / employer_weight[city == 1].sum(),
    )
    employer_cdf = _cdf(employer_weight)

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
    return _Geography(
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
    return np.concatenate([[0.0], _cdf(weights)])


def _ages_between(
    rng: np.random.Generator, cdf: FloatArray, low: IntArray, high: IntArray
) -> IntArray:
    """One age per entry in ``[low, high]``, weighted by the age pyramid."""
    u = cdf[low] + rng.random(len(low)) * (cdf[high + 1] - cdf[low])
    ages = np.searchsorted(cdf, u, side="right") - 1
    return np.clip(ages, low, high).astype(np.int64)


# ==================================================================================
# People: skeleton (everything the ID number depends on) and sequences


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
    geo = _geography(as_of)
    rng = np.random.default_rng([seed, 0, chunk_index, 0])

    # Household sizes and templates; the last household is cut to fit the chunk.
    sizes = np.empty(0, dtype=np.int64)
    while sizes.sum() < n_people:
        extra = int((n_people - sizes.sum()) / _MEAN_HOUSEHOLD_SIZE * 1.05) + 8
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


#: Sequence numbers per (address code, birth date, sex): digits 15–16 (00–99) and
#: the odd (men) or even (women) digit 17.
SEQUENCE_CAPACITY = 500


@dataclass
class _SequenceCounter:
    """Sequence numbers already given, per (ID code index, birth day, sex)."""

    day0: int
    n_days: int
    used: npt.NDArray[np.int16]

    @classmethod
    def for_geography(cls, geo: _Geography) -> _SequenceCounter:
        day0 = int(geo.jan1[0])
        n_days = int(geo.jan1[-1] + geo.days_open[-1]) - day0
        return cls(day0, n_days, np.zeros(len(geo.id_codes) * n_days * 2, dtype=np.int16))

    def key(self, code_index: IntArray, birth_day: IntArray, male: BoolArray) -> IntArray:
        return (code_index * self.n_days + (birth_day - self.day0)) * 2 + male.astype(np.int64)


def _assign_sequences(
    counter: _SequenceCounter,
    code_index: IntArray,
    birth_day: IntArray,
    male: BoolArray,
    is_head: BoolArray,
    year_bounds: tuple[IntArray, IntArray],
    capacity: int = SEQUENCE_CAPACITY,
) -> IntArray:
    """Give each person the next free sequence number of their (code, day, sex).

    Returns the sequence numbers (0 … capacity-1) and updates ``counter``. Where a
    (code, day, sex) is full, which needs a crowded prefecture code at scales
    above 1, the birth date moves by a day or more inside the same year (so the
    code stays valid): heads earlier, others later first. ``birth_day`` is
    updated in place for those people.
    """
    key = counter.key(code_index, birth_day, male)
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    n = len(key)
    is_start = np.ones(n, dtype=np.bool_)
    is_start[1:] = sorted_key[1:] != sorted_key[:-1]
    start_pos = np.maximum.accumulate(np.where(is_start, np.arange(n), 0))
    rank = np.arange(n) - start_pos
    seq_sorted = counter.used[sorted_key].astype(np.int64) + rank
    seq = np.empty(n, dtype=np.int64)
    seq[order] = seq_sorted
    unique_keys = sorted_key[is_start]
    counts = np.diff(np.append(np.flatnonzero(is_start), n))
    counter.used[unique_keys] = np.minimum(
        counter.used[unique_keys].astype(np.int64) + counts, capacity
    ).astype(np.int16)

    overflow = np.flatnonzero(seq >= capacity)
    first_day, last_day = year_bounds
    for i in overflow.tolist():  # rare: only crowded (code, day, sex) cells
        day = int(birth_day[i])
        direction = -1 if is_head[i] else 1
        for step in range(1, 367):
            for candidate in (day + direction * step, day - direction * step):
                if not first_day[i] <= candidate <= last_day[i]:
                    continue
                day_array = np.array([candidate], dtype=np.int64)
                k = int(counter.key(code_index[i : i + 1], day_array, male[i : i + 1])[0])
                if counter.used[k] < capacity:
                    seq[i] = int(counter.used[k])
                    counter.used[k] += 1
                    birth_day[i] = candidate
                    break
            else:
                continue
            break
        else:
            raise RuntimeError("no free ID sequence number left in the birth year")
    return seq


# ==================================================================================
# Vectorised string building


def _digits(values: IntArray, width: int) -> npt.NDArray[np.uint8]:
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return ((values[:, None] // powers) % 10).astype(np.uint8)


def _ascii(chars: npt.NDArray[np.uint8]) -> StrArray:
    n, width = chars.shape
    raw = np.ascontiguousarray(chars).view(f"S{width}").reshape(n)
    return raw.astype(f"U{width}")


def _codepoints(chars: npt.NDArray[np.uint32]) -> StrArray:
    """Rows of code points (0 = end of string) to a str array."""
    n, width = chars.shape
    return np.ascontiguousarray(chars).view(f"<U{width}").reshape(n)


def _as_codepoints(text: str) -> npt.NDArray[np.uint32]:
    return np.array([ord(c) for c in text], dtype=np.uint32)


_ID_WEIGHTS = np.array([pow(2, 17 - i, 11) for i in range(17)], dtype=np.int64)
_ID_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)


def resident_ids(
    code: IntArray, birth_day: IntArray, sequence: IntArray, male: BoolArray
) -> StrArray:
    """GB 11643-1999 numbers from address code, birth day (days since 1970-01-01),
    sequence slot (0…499 per sex) and sex; check character ISO 7064 MOD 11-2:
    S = Σ aᵢ·2^(18−i) mod 11 over i = 1…17, check ``"10X98765432"[S mod 11]``."""
    days = birth_day.astype("datetime64[D]")
    year = days.astype("datetime64[Y]").astype(np.int64) + 1970
    month_start = days.astype("datetime64[M]")
    month = month_start.astype(np.int64) % 12 + 1
    day = (days - month_start.astype("datetime64[D]")).astype(np.int64) + 1
    body = np.empty((len(code), 18), dtype=np.uint8)
    body[:, 0:6] = _digits(code, 6)
    body[:, 6:14] = _digits(year * 10000 + month * 100 + day, 8)
    body[:, 14:16] = _digits(sequence // 5, 2)
    body[:, 16] = 2 * (sequence % 5) + male.astype(np.int64)
    total = body[:, :17].astype(np.int64) @ _ID_WEIGHTS
    body[:, :17] += ord("0")
    body[:, 17] = _ID_CHECK[total % 11]
    return _ascii(body)


# ==================================================================================
# People: attributes


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
    return _ascii(chars + ord("0"))


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
    chars[:, 8:] = _digits(keys, 10) + ord("0")
    return _ascii(chars)


def _dress(
    skeleton: _Skeleton,
    sequence: IntArray,
    seed: int,
    chunk_index: int,
    chunk_size: int,
    as_of: date,
) -> tuple[HouseholdChunk, PersonChunk]:
    geo = _geography(as_of)
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
            geo.id_codes[sk.code_index], sk.birth_day, _sequence_slots(seed)[sequence], sk.male
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


@cache
def _sequence_slots(seed: int) -> IntArray:
    """A fixed shuffle of the sequence slots, so that numbers do not all start at 001."""
    return np.random.default_rng([seed, 3]).permutation(SEQUENCE_CAPACITY).astype(np.int64)


def _year_bounds(birth_day: IntArray, geo: _Geography) -> tuple[IntArray, IntArray]:
    years = birth_day.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    y = years - geo.year0
    return geo.jan1[y], geo.jan1[y] + geo.days_open[y] - 1


def _sequenced_skeleton(
    seed: int, chunk_index: int, n_people: int, as_of: date, counter: _SequenceCounter
) -> tuple[_Skeleton, IntArray]:
    sk = _skeleton(seed, chunk_index, n_people, as_of)
    seq = _assign_sequences(
        counter,
        sk.code_index,
        sk.birth_day,
        sk.male,
        sk.kind == _HEAD,
        _year_bounds(sk.birth_day, _geography(as_of)),
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
    _check_seed(seed)
    sizes = _chunk_sizes(_people_total(scale), chunk_size)
    geo = _geography(as_of)
    counter = _SequenceCounter.for_geography(geo)
    for index, size in enumerate(sizes):
        skeleton, sequence = _sequenced_skeleton(seed, index, size, as_of, counter)
        if index >= start_chunk:
            yield _dress(skeleton, sequence, seed, index, chunk_size, as_of)


# ==================================================================================
# Employers


_USCC_VALUES = np.full(128, -1, dtype=np.int64)
for _i, _c in enumerate(USCC_ALPHABET):
    _USCC_VALUES[ord(_c)] = _i
_USCC_WEIGHTS = np.array([pow(3, i, 31) for i in range(17)], dtype=np.int64)
_USCC_CHARS = np.frombuffer(USCC_ALPHABET.encode(), dtype=np.uint8)
#: GB 11714-1997 organisation code: values of 0–9, A–Z and the weights of 8 chars.
_ORG_VALUES = np.full(128, -1, dtype=np.int64)
for _i, _c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"):
    _ORG_VALUES[ord(_c)] = _i
_ORG_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_BASE31 = 31**6


def uscc_check_chars(first17: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """GB 32100-2015 check characters for rows of 17 ASCII characters:
    weights 3^(i−1) mod 31, check value (31 − Σ mod 31) mod 31 in the code alphabet."""
    total = _USCC_VALUES[first17] @ _USCC_WEIGHTS
    checks: npt.NDArray[np.uint8] = _USCC_CHARS[(31 - total % 31) % 31]
    return checks


def _org_check_chars(body: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """GB 11714-1997 check character of 8 code characters: C = 11 − Σ mod 11,
    10 → ``X``, 11 → ``0``."""
    c = 11 - (_ORG_VALUES[body] @ _ORG_WEIGHTS) % 11
    digits = np.where(c == 11, 0, c) + ord("0")
    return np.where(c == 10, ord("X"), digits).astype(np.uint8)


def _permutation_constants(seed: int, modulus: int) -> tuple[int, int]:
    rng = np.random.default_rng([seed, 2])
    while True:
        a = int(rng.integers(1, modulus))
        if math.gcd(a, modulus) == 1:
            return a, int(rng.integers(0, modulus))


def _pick(rng: np.random.Generator, shares: FloatArray, n: int) -> IntArray:
    return np.searchsorted(_cdf(shares), rng.random(n), side="right")


def _pick_words(
    rng: np.random.Generator, table: dict[str, tuple[str, ...]], industry: IntArray
) -> StrArray:
    letters = list(INDUSTRY_PROFILE)
    lists = [table.get(letter, _SHOP_DEFAULT) for letter in letters]
    flat = np.array([w for words in lists for w in words])
    count = np.array([len(words) for words in lists], dtype=np.int64)
    offset = np.cumsum(count) - count
    within = np.floor(rng.random(len(industry)) * count[industry]).astype(np.int64)
    words: StrArray = flat[offset[industry] + within]
    return words


def _employer_chunk(
    seed: int, chunk_index: int, chunk_size: int, n: int, geo: _Geography
) -> EmployerChunk:
    rng = np.random.default_rng([seed, 1, chunk_index])
    index = chunk_index * chunk_size + np.arange(n, dtype=np.int64)
    individual = rng.random(n) < INDIVIDUAL_BUSINESS_SHARE
    region_index = np.searchsorted(geo.employer_cdf, rng.random(n), side="right")
    region_index = np.minimum(region_index, len(geo.codes) - 1)
    region = geo.codes[region_index]

    letters = np.array(list(INDUSTRY_PROFILE))
    profile = np.array([v for v in INDUSTRY_PROFILE.values()])
    industry = np.where(individual, _pick(rng, profile[:, 1], n), _pick(rng, profile[:, 0], n))
    size = np.where(
        individual,
        _pick(rng, np.array(_SIZE_SHARES_INDIVIDUAL), n),
        _pick(rng, np.array(_SIZE_SHARES_ENTERPRISE), n),
    )

    # USCC: 9 + 1/2, region, 8-char organisation body + GB 11714 check, check.
    chars = np.empty((n, 18), dtype=np.uint8)
    chars[:, 0] = ord("9")
    chars[:, 1] = np.where(individual, ord("2"), ord("1"))
    chars[:, 2:8] = region.astype("S6").view(np.uint8).reshape(n, 6)
    legacy = ~individual & (rng.random(n) < _LEGACY_ORG_CODE_SHARE)
    a31, b31 = _permutation_constants(seed, _BASE31)
    a10, b10 = _permutation_constants(seed + 1, 10**8)
    if n and int(index.max()) >= 10**8:
        raise ValueError("too many employers for unique organisation codes")
    new_value = (index * a31 + b31) % _BASE31
    old_value = (index * a10 + b10) % 10**8
    base31 = (new_value[:, None] // 31 ** np.arange(5, -1, -1, dtype=np.int64)) % 31
    new_body = np.empty((n, 8), dtype=np.uint8)
    new_body[:, 0] = ord("M")
    new_body[:, 1] = ord("A")
    new_body[:, 2:] = _USCC_CHARS[base31]
    old_body = _digits(old_value, 8) + ord("0")
    body = np.where(legacy[:, None], old_body, new_body).astype(np.uint8)
    chars[:, 8:16] = body
    chars[:, 16] = _org_check_chars(body)
    chars[:, 17] = uscc_check_chars(chars[:, :17])

    # Names: 重庆渝新机械制造有限公司 / 沙坪坝区王记小面馆.
    city_word = np.where(geo.city[region_index] == 0, "重庆", "成都")
    brands = np.array(_BRANDS)
    brand = brands[np.floor(rng.random(n) * len(brands)).astype(np.int64)]
    suffixes = np.array(_COMPANY_SUFFIXES)
    suffix = suffixes[np.floor(rng.random(n) * len(suffixes)).astype(np.int64)]
    trade = _pick_words(rng, _INDUSTRY_WORDS, industry)
    company = np.strings.add(np.strings.add(np.strings.add(city_word, brand), trade), suffix)
    surnames = np.array([s for s, _ in SURNAMES])
    surname = surnames[_pick(rng, np.array([w for _, w in SURNAMES]), n)]
    shop = np.strings.add(
        np.strings.add(np.strings.add(geo.names[region_index], surname), "记"),
        _pick_words(rng, _SHOP_WORDS, industry),
    )
    risk = np.array([v[2] for v in INDUSTRY_PROFILE.values()], dtype=np.int8)
    return EmployerChunk(
        chunk_index=chunk_index,
        uscc=_ascii(chars),
        name=np.where(individual, shop, company),
        region=region,
        industry=letters[industry],
        size_class=np.array(SIZE_CLASSES)[size],
        work_injury_risk_class=risk[industry],
    )


def generate_employers(
    scale: float,
    seed: int,
    chunk_size: int = 100_000,
    *,
    start_chunk: int = 0,
    as_of: date = DEFAULT_AS_OF,
) -> Iterator[EmployerChunk]:
    """Yield employers chunk by chunk (``expected_counts(scale)["employers"]`` in all).

    Each chunk depends only on ``(seed, chunk_index, chunk_size)``; USCCs are valid
    GB 32100-2015 codes, unique over the generation.
    """
    _check_seed(seed)
    geo = _geography(as_of)
    total = expected_counts(scale)["employers"]
    for index, size in enumerate(_chunk_sizes(total, chunk_size)):
        if index >= start_chunk:
            yield _employer_chunk(seed, index, chunk_size, size, geo)
