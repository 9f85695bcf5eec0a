"""Throughput of the synthetic-city generator (prints figures; never asserts time).

python bench/synth_generate.py [people] [chunk_size]
"""

from __future__ import annotations

import sys
import time

from minsheng.synth.common import PEOPLE_PER_EMPLOYER, POPULATION_AT_SCALE_1
from minsheng.synth.employers import generate_employers
from minsheng.synth.people import generate_people


def main() -> None:
    people = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    chunk_size = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    scale = people / POPULATION_AT_SCALE_1

    start = time.perf_counter()
    generate_people(scale, 0, chunk_size).__next__()  # warm caches (division table)
    warm = time.perf_counter() - start

    start = time.perf_counter()
    persons = households = 0
    for household_chunk, person_chunk in generate_people(scale, 1, chunk_size):
        persons += len(person_chunk)
        households += len(household_chunk)
    elapsed = time.perf_counter() - start
    print(f"division table + first chunk: {warm:.2f} s")
    print(
        f"people: {persons:,} in {households:,} households, {elapsed:.2f} s, "
        f"{persons / elapsed:,.0f} people/s"
    )

    start = time.perf_counter()
    employers = sum(len(c) for c in generate_employers(scale, 1, chunk_size))
    elapsed = time.perf_counter() - start
    print(f"employers: {employers:,} in {elapsed:.2f} s, {employers / elapsed:,.0f} employers/s")
    print(f"(scale {scale:.4f}; one employer per {PEOPLE_PER_EMPLOYER} people)")


if __name__ == "__main__":
    main()
