"""The scorecard as JSON: the figures of a region and period, an indicator by district,
the catalogue, and plan targets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

from minsheng.hrss.scorecard import service
from minsheng.hrss.scorecard.models import ScorecardTarget
from minsheng.hrss.scorecard.schemas import (
    BreakdownRead,
    DistrictRead,
    IndicatorRead,
    PeriodQuery,
    ScorecardRowRead,
    TargetRead,
    TargetSet,
    figure_text,
)
from minsheng.platform.security.principal import Principal
from minsheng.platform.types import IdPath, RegionQuery
from minsheng.platform.web.deps import CurrentUser, SessionDep, require

router = APIRouter(prefix="/api/v1/scorecard", tags=["scorecard"])

Reader = Annotated[Principal, Depends(require("scorecard:read"))]
TargetSetter = Annotated[Principal, Depends(require("scorecard:targets"))]
IndicatorPath = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[a-z0-9_]+$")]


@router.get("", response_model=list[ScorecardRowRead])
def scorecard(session: SessionDep, actor: Reader, region: RegionQuery = "",
              period: PeriodQuery = "") -> list[ScorecardRowRead]:
    """Every indicator you may read for a region (default: your scope) and period
    (default: this year), with its plan target."""
    card = service.scorecard(session, actor, region=region, period=period)
    return [rows_read(card, row) for row in card.rows]


def rows_read(card: service.Scorecard, row: service.Row) -> ScorecardRowRead:
    item = row.indicator
    return ScorecardRowRead(
        id=item.id, name=item.name, name_en=item.name_en, value=figure_text(row.value),
        unit=item.unit, target=figure_text(row.target.value) if row.target else None,
        target_direction=row.target.direction if row.target else None,
        standing=row.standing.value if row.standing else None, region=card.region,
        period=card.period.text, source=item.domain, article=item.article)


@router.get("/indicators", response_model=list[IndicatorRead])
def indicators(actor: Reader) -> list[IndicatorRead]:
    """The catalogue: each indicator's definition, unit, source and the article's
    figure."""
    return [IndicatorRead(
        id=i.id, name=i.name, name_en=i.name_en, unit=i.unit, kind=i.kind.value,
        source=i.domain, numerator=i.numerator, denominator=i.denominator,
        period_rule=i.period_rule, dedup=i.dedup, levels=list(i.levels), article=i.article)
        for i in service.visible(actor)]


@router.get("/targets", response_model=list[TargetRead])
def targets(session: SessionDep, actor: Reader) -> list[TargetRead]:
    return [_target_read(t) for t in service.targets(session, actor)]


@router.put("/targets", response_model=TargetRead)
def set_target(data: TargetSet, session: SessionDep, actor: TargetSetter) -> TargetRead:
    """Enter or change a plan target (``version`` of the target you saw, to change
    one)."""
    return _target_read(service.set_target(session, actor, data))


@router.delete("/targets/{target_id}", status_code=204)
def delete_target(target_id: IdPath, session: SessionDep, actor: TargetSetter) -> Response:
    service.delete_target(session, actor, target_id)
    return Response(status_code=204)


def _target_read(target: ScorecardTarget) -> TargetRead:
    return TargetRead(id=target.id, indicator_id=target.indicator_id, region=target.region,
                      first_year=target.first_year, last_year=target.last_year,
                      direction=target.direction, value=f"{target.value:f}",
                      note=target.note, set_by=target.set_by, version=target.version)


@router.get("/{indicator_id}/breakdown", response_model=BreakdownRead)
def breakdown(indicator_id: IndicatorPath, session: SessionDep, actor: CurrentUser,
              region: RegionQuery = "", period: PeriodQuery = "") -> BreakdownRead:
    """One indicator by district of the region (as divided today)."""
    result = service.breakdown(session, actor, indicator_id, region=region, period=period)
    return BreakdownRead(
        id=result.indicator.id, name=result.indicator.name, unit=result.indicator.unit,
        region=result.region, period=result.period.text, total=figure_text(result.total),
        districts=[DistrictRead(
            region=d.region, name=d.name, value=figure_text(d.value),
            numerator=figure_text(d.figure.numerator) if d.figure else None,
            denominator=figure_text(d.figure.denominator) if d.figure else None)
            for d in result.districts])


@router.get("/{indicator_id}/records")
def records(indicator_id: IndicatorPath, session: SessionDep, actor: CurrentUser,
            region: RegionQuery = "", period: PeriodQuery = "",
            page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
            size: Annotated[int, Query(ge=1, le=200)] = 50) -> dict[str, object]:
    """The records behind a figure (a district's, with ``region``), paged, resident IDs
    masked as your role requires; audited."""
    found = service.records(session, actor, indicator_id, region=region, period=period,
                            page=page, size=size)
    return {"id": found.indicator.id, "region": found.region, "period": found.period.text,
            "total": found.total, "page": found.page, "size": found.size,
            "rows": [{"record": r.record, "name": r.name, "resident_id": r.resident_id,
                      "region": r.region, "day": r.day.isoformat() if r.day else None,
                      "detail": r.detail} for r in found.rows]}
