"""Benchmark: the red-line closure work-list (bounding-box prefilter in SQL, then Shapely
per candidate pair) over many mines and zones, against testing every mine against every
zone in Python (vectorised Shapely, no prefilter), in the same run.

    MINSHENG_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/minsheng_bench_eco \\
        python bench/ecology_worklist.py [--mines 20000] [--zones 400]

The database named by the URL is dropped and re-created (default: a SQLite file
``bench_ecology.db``). Prints figures; never fails on time.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import shapely
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_persons import fresh_database

from minsheng.app.demo_ecology import blob
from minsheng.ecology.kernel import geometry
from minsheng.ecology.kernel.footprint import m2
from minsheng.ecology.mines import service
from minsheng.platform.bulk import load_rows
from minsheng.platform.db import make_engine, make_session_factory, unit_of_work
from minsheng.platform.security.principal import SYSTEM

DEFAULT_URL = "sqlite:///bench_ecology.db"
#: Chongqing's extent (degrees): the sites are scattered over it.
BOX = (105.4, 28.3, 110.0, 32.0)
SITE = ("geometry_geojson", "crs", "min_lon", "min_lat", "max_lon", "max_lat",
        "area_geodesic_m2", "area_planar_m2", "planar_crs", "area_method", "created_at",
        "updated_at")


def _site_row(shape: shapely.Polygon) -> list[object]:
    fp = geometry.Footprint(shape, geometry.CGCS2000,
                            geometry.geodesic_area_m2(shape), 0.0, 4545, "geodesic")
    now = datetime.now(UTC)
    return [fp.geojson, fp.crs, *fp.bbox, m2(fp.geodesic_m2), m2(fp.geodesic_m2),
            "EPSG:4545", "geodesic", now, now]


def build(session: Session, mines: int, zones: int, rng: random.Random) -> None:
    def point() -> tuple[float, float]:
        return rng.uniform(BOX[0], BOX[2]), rng.uniform(BOX[1], BOX[3])

    zone_rows = ([f"红线{n}", "500102", "", "", *_site_row(
        blob(*point(), rng.uniform(4, 60) * 1e6, rng, vertices=14))] for n in range(zones))
    load_rows(session, "ecological_red_line_zone", ("name", "region", "function", "source",
                                                    *SITE), zone_rows)
    mine_rows = ([f"矿山{n}", "500102", "", "mine", "石灰岩", "open_pit", "", "operating", "",
                  1, *_site_row(blob(*point(), rng.uniform(2, 40) * 1e4, rng))]
                 for n in range(mines))
    load_rows(session, "mine", ("name", "region", "township", "site_kind", "mineral",
                                "mining_method", "operator_name", "status", "notes",
                                "version", *SITE), mine_rows)


def naive(session: Session) -> int:
    """Every mine against every zone, vectorised: the cost the SQL prefilter avoids."""
    from sqlalchemy import select

    from minsheng.ecology.mines.models import Mine, RedLineZone

    mines = shapely.from_geojson(np.array(session.scalars(select(Mine.geometry_geojson)).all()))
    zones = shapely.from_geojson(np.array(session.scalars(
        select(RedLineZone.geometry_geojson)).all()))
    hits = shapely.intersects(mines[:, None], zones[None, :])
    return int(np.count_nonzero(hits.any(axis=1)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mines", type=int, default=20_000)
    parser.add_argument("--zones", type=int, default=400)
    args = parser.parse_args()
    url = os.environ.get("MINSHENG_BENCH_DATABASE_URL", DEFAULT_URL)
    fresh_database(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    started = time.perf_counter()
    with unit_of_work(factory) as session:
        build(session, args.mines, args.zones, random.Random(6))
    print(f"loaded {args.mines:,} mines and {args.zones:,} zones "
          f"in {time.perf_counter() - started:.1f} s ({url.split('@')[-1]})")
    with unit_of_work(factory) as session:
        started = time.perf_counter()
        overlaps = service.red_line_overlaps(session, SYSTEM)
        listed = time.perf_counter() - started
        started = time.perf_counter()
        everything = naive(session)
        brute = time.perf_counter() - started
    print(f"work-list (SQL bbox prefilter + Shapely per pair): {len(overlaps):,} mines "
          f"in the red line, {listed:.2f} s")
    print(f"all pairs in Python ({args.mines * args.zones:,} tests, vectorised): "
          f"{everything:,} mines touching a zone, {brute:.2f} s")
    print(f"ratio all-pairs / work-list: {brute / listed:.1f}×")
    engine.dispose()


if __name__ == "__main__":
    main()
