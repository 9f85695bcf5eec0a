"""Ecology indicators and map features (JSON)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from minsheng.ecology.kernel.access import EcologyReader
from minsheng.ecology.kernel.common import Period
from minsheng.ecology.overview import service
from minsheng.ecology.overview.schemas import EcologySummary, FeatureCollection
from minsheng.platform.types import MAX_DATE, MIN_DATE, RegionQuery
from minsheng.platform.web.deps import SessionDep

router = APIRouter(prefix="/api/v1/ecology", tags=["ecology: indicators"])


@router.get("/summary", response_model=EcologySummary)
def summary(
    session: SessionDep, actor: EcologyReader, region: RegionQuery | None = None,
    date_from: Annotated[date | None, Query(alias="from", ge=MIN_DATE, le=MAX_DATE)] = None,
    date_to: Annotated[date | None, Query(alias="to", ge=MIN_DATE, le=MAX_DATE)] = None,
) -> EcologySummary:
    """The figures of the Fuling report for a region (default: your scope) and period."""
    return service.summary(session, actor, region=region, period=Period(date_from, date_to))


@router.get("/features", response_model=FeatureCollection)
def features(session: SessionDep, actor: EcologyReader) -> FeatureCollection:
    """Every polygon in your scope as GeoJSON (lon/lat), with its layer and page link."""
    return FeatureCollection(features=service.map_features(session, actor))
