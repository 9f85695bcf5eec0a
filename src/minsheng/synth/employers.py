"""Employers of the synthetic city: :func:`generate_employers`.

Modelling choices (documented approximations, not statistics to quote): one
employer per :data:`~minsheng.synth.common.PEOPLE_PER_EMPLOYER` people (Chongqing
has roughly that many registered market entities per resident, individual
businesses included), placed in the counties of :mod:`minsheng.synth.geography`;
75 % enterprises (USCC ``91…``), 25 % individual businesses (``92…``). The
organisation-code part (positions 9–17) is a GB 11714 code whose body is a
bijection of the employer's global index, so codes are unique by construction.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from minsheng.synth.common import (
    DEFAULT_AS_OF,
    SURNAMES,
    FloatArray,
    IntArray,
    StrArray,
    ascii_strings,
    cdf_of,
    check_seed,
    chunk_sizes,
    digit_rows,
    expected_counts,
)
from minsheng.synth.geography import Geography, geography_for

# --- constants --------------------------------------------------------------------

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
# Codes, names and generation


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
    return np.searchsorted(cdf_of(shares), rng.random(n), side="right")


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
    seed: int, chunk_index: int, chunk_size: int, n: int, geo: Geography
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
    old_body = digit_rows(old_value, 8) + ord("0")
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
        uscc=ascii_strings(chars),
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
    check_seed(seed)
    geo = geography_for(as_of)
    total = expected_counts(scale)["employers"]
    for index, size in enumerate(chunk_sizes(total, chunk_size)):
        if index >= start_chunk:
            yield _employer_chunk(seed, index, chunk_size, size, geo)
