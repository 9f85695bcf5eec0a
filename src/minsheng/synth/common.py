"""What the synthetic-city modules share: the size of a generation (people,
households, employers, chunks), constants of more than one concern, NumPy array
aliases and small vectorised helpers.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import numpy.typing as npt

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

#: Household size shares, 2020 census (sizes 5 and more folded into 5).
HOUSEHOLD_SIZE_SHARES = (0.2539, 0.2968, 0.2099, 0.1317, 0.1077)
MEAN_HOUSEHOLD_SIZE = sum((i + 1) * p for i, p in enumerate(HOUSEHOLD_SIZE_SHARES))

#: Common surnames with rough national frequencies (per cent); people's and the
#: shop names of individual businesses (王记…).
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


# ==================================================================================
# Counts


def people_total(scale: float) -> int:
    if not (scale > 0 and math.isfinite(scale)):
        raise ValueError(f"scale must be a positive number, not {scale!r}")
    return max(1, round(POPULATION_AT_SCALE_1 * scale))


def expected_counts(scale: float) -> dict[str, int]:
    """Sizes of a generation, for progress bars: ``people`` and ``employers`` exact,
    ``households`` the expectation (people / mean household size)."""
    people = people_total(scale)
    return {
        "people": people,
        "households": round(people / MEAN_HOUSEHOLD_SIZE),
        "employers": max(1, round(people / PEOPLE_PER_EMPLOYER)),
    }


def chunk_sizes(total: int, chunk_size: int) -> list[int]:
    if chunk_size <= 0:
        raise ValueError("chunk_size must be positive")
    full, rest = divmod(total, chunk_size)
    return [chunk_size] * full + ([rest] if rest else [])


def check_seed(seed: int) -> None:
    if seed < 0:
        raise ValueError("seed must be a non-negative integer")


# ==================================================================================
# Vectorised helpers


def cdf_of(weights: FloatArray) -> FloatArray:
    """Cumulative distribution for ``searchsorted(cdf, u, side="right")`` with
    u in [0, 1): exactly 1.0 from the last positive weight on, so no draw falls
    past it."""
    cdf: FloatArray = np.cumsum(weights) / weights.sum()
    cdf[int(np.flatnonzero(weights > 0)[-1]) :] = 1.0
    return cdf


def digit_rows(values: IntArray, width: int) -> npt.NDArray[np.uint8]:
    """The ``width`` decimal digits of each value (most significant first), one row each."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return ((values[:, None] // powers) % 10).astype(np.uint8)


def ascii_strings(chars: npt.NDArray[np.uint8]) -> StrArray:
    """Rows of ASCII bytes to a str array (one string per row)."""
    n, width = chars.shape
    raw = np.ascontiguousarray(chars).view(f"S{width}").reshape(n)
    return raw.astype(f"U{width}")
