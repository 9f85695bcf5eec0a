"""GB 11643-1999 resident ID numbers (``reference/hrss-rules.md`` §1.1) of the
synthetic city.

The address code (digits 1–6) is the county of registration in the birth year
(see :mod:`minsheng.synth.geography`), then come the birth date (digits 7–14), a
sequence (digits 15–17) and an ISO 7064 MOD 11-2 check character.

Modelling choice: the sequence is unique per (address code, birth date): 17th
digit odd for men, even for women, 500 numbers per sex; it comes from a counter
per (code, date, sex) carried from chunk to chunk in order, so numbers are unique
over the whole generation (resuming at chunk k replays the cheap "skeleton" of
chunks 0…k-1 to rebuild the counter).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from minsheng.synth.common import BoolArray, IntArray, StrArray, ascii_strings, digit_rows
from minsheng.synth.geography import Geography

#: Sequence numbers per (address code, birth date, sex): digits 15–16 (00–99) and
#: the odd (men) or even (women) digit 17.
SEQUENCE_CAPACITY = 500


@dataclass
class SequenceCounter:
    """Sequence numbers already given, per (ID code index, birth day, sex)."""

    day0: int
    n_days: int
    used: npt.NDArray[np.int16]

    @classmethod
    def for_geography(cls, geo: Geography) -> SequenceCounter:
        day0 = int(geo.jan1[0])
        n_days = int(geo.jan1[-1] + geo.days_open[-1]) - day0
        return cls(day0, n_days, np.zeros(len(geo.id_codes) * n_days * 2, dtype=np.int16))

    def key(self, code_index: IntArray, birth_day: IntArray, male: BoolArray) -> IntArray:
        return (code_index * self.n_days + (birth_day - self.day0)) * 2 + male.astype(np.int64)


def assign_sequences(
    counter: SequenceCounter,
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
    body[:, 0:6] = digit_rows(code, 6)
    body[:, 6:14] = digit_rows(year * 10000 + month * 100 + day, 8)
    body[:, 14:16] = digit_rows(sequence // 5, 2)
    body[:, 16] = 2 * (sequence % 5) + male.astype(np.int64)
    total = body[:, :17].astype(np.int64) @ _ID_WEIGHTS
    body[:, :17] += ord("0")
    body[:, 17] = _ID_CHECK[total % 11]
    return ascii_strings(body)


@cache
def sequence_slots(seed: int) -> IntArray:
    """A fixed shuffle of the sequence slots, so that numbers do not all start at 001."""
    return np.random.default_rng([seed, 3]).permutation(SEQUENCE_CAPACITY).astype(np.int64)


def birth_year_bounds(birth_day: IntArray, geo: Geography) -> tuple[IntArray, IntArray]:
    """First and last day each person may be born on and keep the address code of
    their birth year (the year's days up to ``as_of``)."""
    years = birth_day.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    y = years - geo.year0
    return geo.jan1[y], geo.jan1[y] + geo.days_open[y] - 1
