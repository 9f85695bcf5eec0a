"""Synthetic city generator: determinism, validity and uniqueness of identifiers,
household structure, counts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from datetime import date

import numpy as np
import pytest
from stdnum.cn import ric, uscc

from minsheng.synth.common import (
    DEFAULT_AS_OF,
    HOUSEHOLD_SIZE_SHARES,
    MAX_AGE,
    PEOPLE_PER_EMPLOYER,
    POPULATION_AT_SCALE_1,
    SURNAMES,
    expected_counts,
)
from minsheng.synth.employers import (
    INDUSTRY_PROFILE,
    SIZE_CLASSES,
    USCC_ALPHABET,
    EmployerChunk,
    generate_employers,
)
from minsheng.synth.geography import geography_for
from minsheng.synth.id_numbers import SequenceCounter, assign_sequences, birth_year_bounds
from minsheng.synth.people import MOBILE_PREFIXES, HouseholdChunk, PersonChunk, generate_people

CHUNK = 20_000
#: A scale that makes exactly three chunks of 20 000 people.
SCALE = 3 * CHUNK / POPULATION_AT_SCALE_1
SEED = 20260701

Chunks = list[tuple[HouseholdChunk, PersonChunk]]


def _people(seed: int = SEED, **kwargs: object) -> Chunks:
    return list(generate_people(SCALE, seed, CHUNK, **kwargs))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def chunks() -> Chunks:
    return _people()


@pytest.fixture(scope="module")
def people(chunks: Chunks) -> PersonChunk:
    """All three chunks concatenated."""
    parts = [p for _, p in chunks]
    arrays = {
        f.name: np.concatenate([getattr(p, f.name) for p in parts])
        for f in fields(PersonChunk)
        if f.name != "chunk_index"
    }
    return PersonChunk(chunk_index=-1, **arrays)


@pytest.fixture(scope="module")
def employers() -> list[EmployerChunk]:
    return list(
        generate_employers(
            3 * CHUNK * PEOPLE_PER_EMPLOYER / POPULATION_AT_SCALE_1, SEED, 25_000
        )
    )


def _fields(obj: object) -> Iterator[tuple[str, object]]:
    return iter(vars(obj).items())


def _same(a: object, b: object) -> bool:
    for (_, x), (_, y) in zip(_fields(a), _fields(b), strict=True):
        if isinstance(x, np.ndarray):
            if not np.array_equal(x, y):  # type: ignore[arg-type]
                return False
        elif x != y:
            return False
    return True


class TestDeterminism:
    def test_same_seed_gives_identical_chunks(self, chunks: Chunks) -> None:
        again = _people()
        assert len(again) == len(chunks) == 3
        for (h1, p1), (h2, p2) in zip(chunks, again, strict=True):
            assert _same(h1, h2)
            assert _same(p1, p2)

    def test_different_seed_gives_different_people(self, chunks: Chunks) -> None:
        other = list(generate_people(SCALE, SEED + 1, CHUNK))
        assert not np.array_equal(other[0][1].resident_id, chunks[0][1].resident_id)
        assert not np.array_equal(other[0][1].name, chunks[0][1].name)

    def test_resuming_at_a_chunk_reproduces_it(self, chunks: Chunks) -> None:
        resumed = _people(start_chunk=2)
        assert len(resumed) == 1
        households, people = resumed[0]
        assert people.chunk_index == 2
        assert _same(households, chunks[2][0])
        assert _same(people, chunks[2][1])

    def test_employers_are_deterministic(self, employers: list[EmployerChunk]) -> None:
        scale = 3 * CHUNK * PEOPLE_PER_EMPLOYER / POPULATION_AT_SCALE_1
        again = list(generate_employers(scale, SEED, 25_000))
        other = list(generate_employers(scale, SEED + 1, 25_000))
        assert all(_same(a, b) for a, b in zip(employers, again, strict=True))
        assert not np.array_equal(other[0].uscc, employers[0].uscc)
        resumed = list(generate_employers(scale, SEED, 25_000, start_chunk=1))
        assert _same(resumed[0], employers[1])


class TestResidentIds:
    def test_every_id_of_a_chunk_passes_stdnum(self, chunks: Chunks) -> None:
        ids = chunks[0][1].resident_id
        assert len(ids) == CHUNK
        invalid = [number for number in ids.tolist() if not ric.is_valid(number)]
        assert invalid == []
        for number in ids[:200].tolist():
            assert ric.validate(number) == number

    def test_ids_are_unique_across_chunks(self, people: PersonChunk) -> None:
        assert len(people) == 3 * CHUNK
        assert len(np.unique(people.resident_id)) == len(people)

    def test_seventeenth_digit_parity_matches_gender(self, people: PersonChunk) -> None:
        digit = np.array([int(x[16]) for x in people.resident_id.tolist()])
        assert set(people.gender.tolist()) == {"M", "F"}
        assert np.array_equal(digit % 2 == 1, people.gender == "M")

    def test_birth_date_is_encoded(self, people: PersonChunk) -> None:
        encoded = np.array(
            [f"{x[6:10]}-{x[10:12]}-{x[12:14]}" for x in people.resident_id.tolist()],
            dtype="datetime64[D]",
        )
        assert np.array_equal(encoded, people.birth_date)
        assert people.birth_date.max() < np.datetime64(DEFAULT_AS_OF)
        age_days = (np.datetime64(DEFAULT_AS_OF) - people.birth_date).astype(np.int64)
        assert age_days.max() < (MAX_AGE + 1) * 366

    def test_liangjiang_people_carry_abolished_codes(self, people: PersonChunk) -> None:
        codes = np.array([x[:6] for x in people.resident_id.tolist()])
        years = people.birth_date.astype("datetime64[Y]").astype(np.int64) + 1970
        for abolished in ("500112", "500105"):
            carriers = codes == abolished
            assert carriers.sum() > 100
            assert (years[carriers] <= 2025).all()
            assert (years[carriers] >= 1997).all()
        assert set(people.hukou_region[codes == "500105"].tolist()) == {"500157"}
        assert set(people.hukou_region[codes == "500112"].tolist()) == {"500157", "500109"}
        # nobody lives in or is registered in an abolished district
        for region in (people.hukou_region, people.residence_region):
            assert not np.isin(region, ["500112", "500105"]).any()

    def test_chongqing_births_before_1997_carry_sichuan_codes(self, people: PersonChunk) -> None:
        codes = np.array([x[:6] for x in people.resident_id.tolist()])
        years = people.birth_date.astype("datetime64[Y]").astype(np.int64) + 1970
        chongqing = np.char.startswith(people.hukou_region, "50")
        assert (np.char.startswith(codes[chongqing & (years < 1997)], "51")).all()
        assert (np.char.startswith(codes[chongqing & (years > 1997)], "50")).all()
        assert (codes == "510212").any()  # 沙坪坝区 before 1997
        assert (np.char.startswith(codes[~chongqing], "51")).all()

    def test_a_full_cell_moves_the_birth_date_within_the_year(self) -> None:
        geo = geography_for(DEFAULT_AS_OF)
        counter = SequenceCounter.for_geography(geo)
        n = 10
        code = np.zeros(n, dtype=np.int64)
        day = np.full(n, (date(1980, 6, 1) - date(1970, 1, 1)).days, dtype=np.int64)
        male = np.ones(n, dtype=np.bool_)
        is_head = np.arange(n) % 2 == 0
        bounds = birth_year_bounds(day, geo)
        seq = assign_sequences(counter, code, day, male, is_head, bounds, capacity=3)
        pairs = set(zip(day.tolist(), seq.tolist(), strict=True))
        assert len(pairs) == n
        assert seq.max() < 3
        assert (day >= bounds[0]).all() and (day <= bounds[1]).all()
        # the next chunk continues after what is taken
        more = assign_sequences(counter, code[:1], day[:1].copy(), male[:1], is_head[:1], bounds)
        assert more[0] >= 3


class TestPeople:
    def test_fields_have_equal_length_and_formats(self, chunks: Chunks) -> None:
        people = chunks[0][1]
        for name, value in _fields(people):
            if isinstance(value, np.ndarray):
                assert len(value) == CHUNK, name
        assert people.birth_date.dtype == np.dtype("datetime64[D]")
        assert people.household_key.dtype == np.int64
        lengths = np.char.str_len(people.name)
        assert lengths.min() == 2 and lengths.max() == 3
        surnames = {s for s, _ in SURNAMES}
        assert {n[0] for n in people.name.tolist()} <= surnames
        phones = people.phone.tolist()
        assert all(len(p) == 11 and p.isdigit() and p[:3] in MOBILE_PREFIXES for p in phones)
        assert set(people.hukou_type.tolist()) == {"urban", "rural"}
        assert set(people.relation.tolist()) <= {"head", "spouse", "child", "parent", "other"}

    def test_regions_are_current_counties_of_the_two_cities(self, people: PersonChunk) -> None:
        geo = geography_for(DEFAULT_AS_OF)
        current = set(geo.codes.tolist())
        assert set(people.residence_region.tolist()) <= current
        assert set(people.hukou_region.tolist()) <= current
        chongqing = np.char.startswith(people.residence_region, "50").mean()
        assert 0.87 < chongqing < 0.93
        assert 0.05 < (people.hukou_region != people.residence_region).mean() < 0.2

    def test_gender_and_age_are_plausible(self, people: PersonChunk) -> None:
        assert 0.47 < (people.gender == "M").mean() < 0.53
        years = (np.datetime64(DEFAULT_AS_OF) - people.birth_date).astype(np.int64) / 365.25
        assert 0.05 < (years < 10).mean() < 0.15
        assert 0.1 < (years >= 65).mean() < 0.25


class TestHouseholds:
    def test_members_are_grouped_with_one_head_who_is_the_oldest_adult(
        self, chunks: Chunks
    ) -> None:
        for households, people in chunks:
            keys = people.household_key
            assert np.array_equal(np.unique(keys), households.household_key)
            assert (np.diff(keys) >= 0).all()  # members contiguous
            starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
            sizes = np.diff(np.r_[starts, len(keys)])
            assert sizes.min() >= 1 and sizes.max() <= 5
            assert (people.relation[starts] == "head").all()
            assert (people.relation == "head").sum() == len(households)
            head_birth = np.repeat(people.birth_date[starts], sizes)
            adult = people.birth_date <= np.datetime64("2008-07-01")
            assert (people.birth_date[adult] >= head_birth[adult]).all()
            assert head_birth.max() <= np.datetime64("2008-07-01")  # heads are adults
            local = np.searchsorted(households.household_key, keys)
            assert np.array_equal(people.residence_region, households.address_region[local])
            assert (people.relation[people.relation == "spouse"].size) > 0

    def test_size_shares_follow_the_census(self, chunks: Chunks) -> None:
        sizes = np.concatenate(
            [np.unique(p.household_key, return_counts=True)[1] for _, p in chunks]
        )
        shares = np.bincount(sizes, minlength=6)[1:] / len(sizes)
        assert np.allclose(shares, HOUSEHOLD_SIZE_SHARES, atol=0.02)

    def test_household_numbers_are_unique_with_node_prefix(self, chunks: Chunks) -> None:
        numbers = np.concatenate([h.household_no for h, _ in chunks])
        regions = np.concatenate([h.address_region for h, _ in chunks])
        assert len(np.unique(numbers)) == len(numbers)
        assert len(np.unique(np.concatenate([h.household_key for h, _ in chunks]))) == len(numbers)
        for number, region in zip(numbers.tolist(), regions.tolist(), strict=True):
            assert len(number) == 18
            assert number[:2] == ("CQ" if region.startswith("50") else "SC")
            assert number[2:8] == region


class TestCounts:
    def test_counts_match_expected(self, chunks: Chunks, employers: list[EmployerChunk]) -> None:
        expected = expected_counts(SCALE)
        assert sum(len(p) for _, p in chunks) == expected["people"] == 3 * CHUNK
        households = sum(len(h) for h, _ in chunks)
        assert abs(households - expected["households"]) / expected["households"] < 0.03
        employer_scale = 3 * CHUNK * PEOPLE_PER_EMPLOYER / POPULATION_AT_SCALE_1
        assert sum(len(e) for e in employers) == expected_counts(employer_scale)["employers"]
        assert expected_counts(1.0)["people"] == 35_000_000
        assert expected_counts(1.0)["employers"] == 3_500_000

    def test_last_chunk_holds_the_rest(self) -> None:
        scale = 45_000 / POPULATION_AT_SCALE_1
        sizes = [len(p) for _, p in generate_people(scale, 1, CHUNK)]
        assert sizes == [CHUNK, CHUNK, 5_000]

    @pytest.mark.parametrize("scale", [0.0, -1.0, float("nan")])
    def test_bad_scale_is_refused(self, scale: float) -> None:
        with pytest.raises(ValueError):
            expected_counts(scale)


class TestEmployers:
    def test_uscc_check_characters_match_stdnum(self, employers: list[EmployerChunk]) -> None:
        codes = np.concatenate([e.uscc for e in employers])
        for code in codes.tolist():
            assert len(code) == 18
            assert code[17] == uscc.calc_check_digit(code[:17])
            assert set(code) <= set(USCC_ALPHABET)
        assert all(uscc.is_valid(code) for code in codes[:2000].tolist())
        assert len(np.unique(codes)) == len(codes)

    def test_registration_prefix_and_region(self, employers: list[EmployerChunk]) -> None:
        for chunk in employers:
            prefix = np.array([c[:2] for c in chunk.uscc.tolist()])
            assert set(prefix.tolist()) == {"91", "92"}
            assert 0.65 < (prefix == "91").mean() < 0.85
            assert np.array_equal(np.array([c[2:8] for c in chunk.uscc.tolist()]), chunk.region)

    def test_attributes(self, employers: list[EmployerChunk]) -> None:
        chunk = employers[0]
        assert set(chunk.industry.tolist()) <= set("ABCDEFGHIJKLMNOPQRST")
        assert set(chunk.size_class.tolist()) <= set(SIZE_CLASSES)
        micro_small = np.isin(chunk.size_class, ["micro", "small"]).mean()
        assert micro_small > 0.85
        risk = {k: v[2] for k, v in INDUSTRY_PROFILE.items()}
        expected_risk = np.array([risk[i] for i in chunk.industry.tolist()])
        assert np.array_equal(chunk.work_injury_risk_class, expected_risk)
        assert chunk.work_injury_risk_class.min() >= 1
        assert chunk.work_injury_risk_class.max() <= 8
        enterprise = np.char.startswith(chunk.uscc, "91")
        assert np.char.endswith(chunk.name[enterprise], "公司").all()
        city = np.char.startswith(chunk.name, "重庆") | np.char.startswith(chunk.name, "成都")
        assert city[enterprise].all()
        assert (np.char.str_len(chunk.name) >= 6).all()
