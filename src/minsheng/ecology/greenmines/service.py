"""Green-mine use cases: indicator sets (versioned data), score sheets with their
verdict (``rules.evaluate``), and the figures of green mines built.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, String, cast, func, null, select
from sqlalchemy.orm import Session

from minsheng.ecology.greenmines import rules
from minsheng.ecology.greenmines.models import (
    GreenMineAssessment,
    GreenMineCategory,
    GreenMineIndicator,
    GreenMineIndicatorSet,
    GreenMineScore,
)
from minsheng.ecology.greenmines.schemas import (
    AssessmentCreate,
    AssessmentRead,
    CategoryRead,
    CategoryScoreRead,
    ConstructionMetrics,
    IndicatorSetCreate,
    IndicatorSetRead,
    ItemRead,
    ItemScoreRead,
    PreconditionIn,
    PreconditionRead,
    ReasonRead,
)
from minsheng.ecology.greenmines.standard_sets import STANDARD_SETS
from minsheng.ecology.kernel import common
from minsheng.ecology.kernel.footprint import feature
from minsheng.ecology.mines import service as mines
from minsheng.platform import regions
from minsheng.platform.errors import Conflict, Forbidden, RuleViolation
from minsheng.platform.indicators import RecordSelect
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal, region_filter

PPM = Decimal(1_000_000)
METRIC_FIELDS = ("industrial_square_m2", "enclosed_workshop_m2", "greening_m2",
                 "trees_planted", "roads_hardened_m", "reclaimed_m2")


# --- indicator sets --------------------------------------------------------------------


def _spec_of(data: IndicatorSetCreate) -> rules.IndicatorSetSpec:
    return rules.IndicatorSetSpec(
        max_score=data.max_score, pass_score=data.pass_score,
        category_floor_ppm=_ppm(data.category_floor_percent),
        categories=[rules.Category(c.code, c.name, c.max_score) for c in data.categories],
        items=[rules.Item(i.code, c.code, i.max_score) for c in data.categories
               for i in c.items],
        preconditions=[(p.code, p.text) for p in data.preconditions])


def _ppm(percent: Decimal | None) -> int | None:
    return None if percent is None else int(percent * PPM / 100)


def add_indicator_set(session: Session, actor: Principal, data: IndicatorSetCreate
                      ) -> GreenMineIndicatorSet:
    """Store a version of the indicators after checking that the items add up to their
    categories and the categories to the maximum. Sets are national or provincial
    reference data: only city-wide (or wider) staff load them."""
    actor.require("ecology:write")
    if len(actor.region_prefix) > 2:
        raise Forbidden("指标体系由市级及以上管理人员维护",
                        "Indicator sets are maintained by city-wide staff")
    rules.check_set(_spec_of(data))
    if session.scalar(select(GreenMineIndicatorSet.id)
                      .where(GreenMineIndicatorSet.code == data.code)) is not None:
        raise Conflict(f"指标体系 {data.code} 已存在；修改请以新编码发布新版本",
                       f"Indicator set {data.code} exists; publish a new version instead")
    row = GreenMineIndicatorSet(
        code=data.code, name=data.name, max_score=data.max_score, pass_score=data.pass_score,
        category_floor_ppm=_ppm(data.category_floor_percent),
        preconditions=json.dumps([p.model_dump() for p in data.preconditions],
                                 ensure_ascii=False),
        source=data.source, effective_from=data.effective_from)
    session.add(row)
    session.flush()
    for position, category in enumerate(data.categories):
        cat = GreenMineCategory(set_id=row.id, code=category.code, name=category.name,
                                max_score=category.max_score, position=position)
        session.add(cat)
        session.flush()
        session.add_all(GreenMineIndicator(set_id=row.id, category_id=cat.id, code=i.code,
                                           name=i.name, max_score=i.max_score, position=n)
                        for n, i in enumerate(category.items))
    session.flush()
    audit.record(session, actor=actor.username, action="green_mine.indicator_set",
                 subject_type="green_mine_indicator_set", subject_id=row.id,
                 payload={"code": row.code, "max_score": str(row.max_score)})
    return row


def ensure_standard_sets(session: Session, actor: Principal) -> list[str]:
    """Load the national sets of ``standard_sets`` that are not there yet (idempotent)."""
    added = []
    for data in STANDARD_SETS:
        if session.scalar(select(GreenMineIndicatorSet.id)
                          .where(GreenMineIndicatorSet.code == data["code"])) is None:
            add_indicator_set(session, actor, IndicatorSetCreate.model_validate(data))
            added.append(str(data["code"]))
    return added


@dataclass(frozen=True)
class LoadedSet:
    row: GreenMineIndicatorSet
    categories: list[GreenMineCategory]
    items: list[GreenMineIndicator]

    @property
    def spec(self) -> rules.IndicatorSetSpec:
        codes = {c.id: c.code for c in self.categories}
        return rules.IndicatorSetSpec(
            max_score=self.row.max_score, pass_score=self.row.pass_score,
            category_floor_ppm=self.row.category_floor_ppm,
            categories=[rules.Category(c.code, c.name, c.max_score) for c in self.categories],
            items=[rules.Item(i.code, codes[i.category_id], i.max_score) for i in self.items],
            preconditions=[(p["code"], p["text"]) for p in self.preconditions])

    @property
    def preconditions(self) -> list[dict[str, str]]:
        value: list[dict[str, str]] = json.loads(self.row.preconditions)
        return value


def _load_set(session: Session, *, code: str | None = None,
              set_id: int | None = None) -> LoadedSet:
    stmt = select(GreenMineIndicatorSet)
    stmt = stmt.where(GreenMineIndicatorSet.code == code) if code is not None else \
        stmt.where(GreenMineIndicatorSet.id == set_id)
    row = session.scalar(stmt)
    if row is None:
        raise RuleViolation(f"指标体系 {code or set_id} 不存在",
                            f"set_code: no indicator set {code or set_id}")
    categories = list(session.scalars(select(GreenMineCategory)
                                      .where(GreenMineCategory.set_id == row.id)
                                      .order_by(GreenMineCategory.position)))
    items = list(session.scalars(select(GreenMineIndicator)
                                 .where(GreenMineIndicator.set_id == row.id)
                                 .order_by(GreenMineIndicator.category_id,
                                           GreenMineIndicator.position)))
    return LoadedSet(row, categories, items)


def _floor_percent(row: GreenMineIndicatorSet) -> Decimal | None:
    if row.category_floor_ppm is None:
        return None
    return common.plain(Decimal(row.category_floor_ppm) * 100 / PPM)


def view_set(loaded: LoadedSet) -> IndicatorSetRead:
    row = loaded.row
    return IndicatorSetRead(
        id=row.id, code=row.code, name=row.name, max_score=row.max_score,
        pass_score=row.pass_score, category_floor_percent=_floor_percent(row),
        preconditions=[PreconditionIn(**p) for p in loaded.preconditions], source=row.source,
        effective_from=row.effective_from,
        categories=[CategoryRead(code=c.code, name=c.name, max_score=c.max_score, items=[
            ItemRead(id=i.id, code=i.code, name=i.name, max_score=i.max_score)
            for i in loaded.items if i.category_id == c.id]) for c in loaded.categories])


def list_sets(session: Session, actor: Principal) -> list[IndicatorSetRead]:
    actor.require("ecology:read")
    codes = session.scalars(select(GreenMineIndicatorSet.code)
                            .order_by(GreenMineIndicatorSet.effective_from,
                                      GreenMineIndicatorSet.id)).all()
    return [view_set(_load_set(session, code=c)) for c in codes]


# --- assessments -----------------------------------------------------------------------


def assess(session: Session, actor: Principal, mine_id: int,
           data: AssessmentCreate) -> GreenMineAssessment:
    """Score a mine against an indicator set: preconditions first, then the items; the
    verdict and its reasons are stored with the sheet (each sheet is kept; a mine's
    latest sheet is its standing)."""
    actor.require("ecology:write")
    mine = mines.read_mine(session, actor, mine_id)
    loaded = _load_set(session, code=data.set_code.strip())
    verdict = rules.evaluate(loaded.spec, {k: v.met for k, v in data.preconditions.items()},
                             {k: v.score for k, v in data.scores.items()})
    sheet = GreenMineAssessment(
        mine_id=mine.id, set_id=loaded.row.id, region=mine.region,
        assessed_date=data.assessed_date, assessor=data.assessor.strip(),
        preconditions=json.dumps({k: v.model_dump() for k, v in data.preconditions.items()},
                                 ensure_ascii=False),
        total_score=verdict.total, passed=verdict.passed,
        reasons=json.dumps([{"zh": r.zh, "en": r.en} for r in verdict.reasons],
                           ensure_ascii=False),
        investment=data.investment, actor=actor.username, **data.metrics.model_dump())
    session.add(sheet)
    session.flush()
    ids = {i.code: i.id for i in loaded.items}
    session.add_all(GreenMineScore(assessment_id=sheet.id, indicator_id=ids[code],
                                   score=value.score, evidence=value.evidence.strip())
                    for code, value in data.scores.items())
    session.flush()
    audit.record(session, actor=actor.username, action="green_mine.assess",
                 subject_type="mine", subject_id=mine.id,
                 payload={"assessment_id": sheet.id, "set": loaded.row.code,
                          "total": str(verdict.total), "passed": verdict.passed})
    return sheet


def read_assessment(session: Session, actor: Principal, assessment_id: int) -> AssessmentRead:
    """The score sheet: preconditions, every item with its evidence, category subtotals
    against their floors, the verdict with its reasons, the construction metrics."""
    actor.require("ecology:read")
    sheet = session.get(GreenMineAssessment, assessment_id)
    if sheet is None or not common.in_scope(actor, sheet.region):
        raise common.not_found("绿色矿山评分表", "Green-mine assessment", assessment_id)
    mine = mines.read_mine(session, actor, sheet.mine_id)
    loaded = _load_set(session, set_id=sheet.set_id)
    scores = {s.indicator_id: s for s in session.scalars(
        select(GreenMineScore).where(GreenMineScore.assessment_id == sheet.id))}
    answers: dict[str, dict[str, Any]] = json.loads(sheet.preconditions)
    verdict_categories = []
    floor_ppm = loaded.row.category_floor_ppm
    for category in loaded.categories:
        items = []
        for item in (i for i in loaded.items if i.category_id == category.id):
            score = scores.get(item.id)
            items.append(ItemScoreRead(code=item.code, name=item.name, max_score=item.max_score,
                                       score=score.score if score else Decimal(0),
                                       evidence=score.evidence if score else ""))
        subtotal = sum((i.score for i in items), Decimal(0))
        floor = category.max_score * floor_ppm / PPM if floor_ppm is not None else None
        verdict_categories.append(CategoryScoreRead(
            code=category.code, name=category.name, max_score=category.max_score,
            score=subtotal, floor=floor, below_floor=floor is not None and subtotal < floor,
            items=items))
    return AssessmentRead(
        id=sheet.id, mine_id=mine.id, mine_name=mine.name, region=sheet.region,
        set_code=loaded.row.code, set_name=loaded.row.name, assessed_date=sheet.assessed_date,
        assessor=sheet.assessor, max_score=loaded.row.max_score,
        pass_score=loaded.row.pass_score, category_floor_percent=_floor_percent(loaded.row),
        total_score=sheet.total_score, passed=sheet.passed,
        reasons=[ReasonRead(**r) for r in json.loads(sheet.reasons)],
        preconditions=[PreconditionRead(code=p["code"], text=p["text"],
                                        met=bool(answers.get(p["code"], {}).get("met")),
                                        evidence=str(answers.get(p["code"], {})
                                                     .get("evidence", "")))
                       for p in loaded.preconditions],
        categories=verdict_categories, investment=sheet.investment,
        metrics=ConstructionMetrics(**{f: getattr(sheet, f) for f in METRIC_FIELDS}))


@dataclass(frozen=True)
class AssessmentRow:
    id: int
    mine_id: int
    mine_name: str
    region: str
    set_code: str
    assessed_date: Any
    total_score: Decimal
    max_score: Decimal
    passed: bool | None
    investment: Decimal


def list_assessments(session: Session, actor: Principal, *, mine_id: int | None = None
                     ) -> list[AssessmentRow]:
    actor.require("ecology:read")
    stmt = (select(GreenMineAssessment, GreenMineIndicatorSet.code,
                   GreenMineIndicatorSet.max_score)
            .join(GreenMineIndicatorSet,
                  GreenMineIndicatorSet.id == GreenMineAssessment.set_id)
            .where(region_filter(GreenMineAssessment.region, actor)))
    if mine_id is not None:
        stmt = stmt.where(GreenMineAssessment.mine_id == mine_id)
    rows = session.execute(stmt.order_by(GreenMineAssessment.assessed_date.desc(),
                                         GreenMineAssessment.id.desc())).all()
    names = mines.mines_by_id(session, sorted({a.mine_id for a, _, _ in rows}))
    return [AssessmentRow(a.id, a.mine_id, names[a.mine_id].name, a.region, code, a.assessed_date,
                          a.total_score, max_score, a.passed, a.investment)
            for a, code, max_score in rows]


# --- figures -------------------------------------------------------------------------


@dataclass(frozen=True)
class GreenTotals:
    mines: int
    investment: Decimal
    metrics: dict[str, Decimal | int]


def _latest_passing(prefix: str, period: common.Period) -> Select[Any]:
    """Per mine, the latest (last recorded) passing sheet dated in the period in the
    region ``prefix`` as divided today."""
    return (select(func.max(GreenMineAssessment.id))
            .where(GreenMineAssessment.passed.is_(True),
                   regions.within_sql(GreenMineAssessment.region, prefix),
                   period.contains(GreenMineAssessment.assessed_date))
            .group_by(GreenMineAssessment.mine_id))


def green_figures(prefix: str, period: common.Period, by_district: bool = False
                  ) -> Select[Any]:
    """The one definition of the green-mine figures (the summary page and the scorecard):
    rows ``(key, mines, investment, *construction metrics in METRIC_FIELDS order)`` of the
    mines with a passing sheet dated in the period — each mine once, with the figures of
    its latest passing sheet — in the region ``prefix`` as divided today."""
    key = common.district_key(GreenMineAssessment.region, by_district)
    columns = [func.coalesce(func.sum(getattr(GreenMineAssessment, f)), 0)
               for f in ("investment", *METRIC_FIELDS)]
    return common.grouped(
        select(key, func.count(GreenMineAssessment.id), *columns)
        .where(GreenMineAssessment.id.in_(_latest_passing(prefix, period))), key, by_district)


def green_records(prefix: str, period: common.Period) -> RecordSelect:
    """The mines behind :func:`green_figures` with their latest passing sheet."""
    return (select(GreenMineAssessment.id.label("record"), mines.Mine.name.label("name"),
                   cast(null(), String).label("resident_id"),
                   GreenMineAssessment.region.label("region"),
                   GreenMineAssessment.assessed_date.label("day"),
                   ("评估总分 " + cast(GreenMineAssessment.total_score, String)
                    + "；建设投入（元）" + cast(GreenMineAssessment.investment, String))
                   .label("detail"))
            .join(mines.Mine, mines.Mine.id == GreenMineAssessment.mine_id)
            .where(GreenMineAssessment.id.in_(_latest_passing(prefix, period)))
            .order_by(GreenMineAssessment.assessed_date, GreenMineAssessment.id))


def green_features(session: Session, prefix: str, period: common.Period
                   ) -> list[dict[str, Any]]:
    """Where the mines behind :func:`green_figures` lie: each mine's polygon (layer
    ``green``), in its sheet's region (the scorecard's map)."""
    rows = session.execute(
        select(mines.Mine, GreenMineAssessment.region, GreenMineAssessment.assessed_date,
               GreenMineAssessment.total_score)
        .join(GreenMineAssessment, GreenMineAssessment.mine_id == mines.Mine.id)
        .where(GreenMineAssessment.id.in_(_latest_passing(prefix, period)))
        .order_by(GreenMineAssessment.assessed_date, GreenMineAssessment.id)).all()
    return [feature(mine, "green", f"/ecology/mines/{mine.id}", {
        "name": mine.name, "region": region,
        "detail": f"{day.isoformat()} 绿色矿山评估通过 · 总分 {score}"})
        for mine, region, day, score in rows]


def green_totals(session: Session, prefix: str, period: common.Period) -> GreenTotals:
    """Green mines built in the period and their investment and construction metrics
    (:func:`green_figures`)."""
    _, count, investment, *metrics = session.execute(green_figures(prefix, period)).one()
    return GreenTotals(int(count), common.yuan(investment),
                       {f: int(v) if f == "trees_planted" else common.yuan(v)
                        for f, v in zip(METRIC_FIELDS, metrics, strict=True)})
