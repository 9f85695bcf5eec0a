"""The scorecard (民生答卷): every catalogue indicator for a region and period, against
its plan target, with its trend, its districts and the records behind it.

Figures come from the domains' set-based SQL (``platform.indicators``) and are kept in
``scorecard_snapshot`` with the head of the audit chain at the time: a figure is
recomputed only when a change has been audited since (every state change is), so a
repeated scorecard reads one small table.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, literal, or_, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from minsheng.hrss.scorecard import rules
from minsheng.hrss.scorecard.models import ScorecardSnapshot, ScorecardTarget
from minsheng.hrss.scorecard.schemas import TargetSet
from minsheng.platform import exports, regions
from minsheng.platform.config import get_settings
from minsheng.platform.db import flush, utcnow
from minsheng.platform.errors import Forbidden, NotFound, invalid_field, stale_record
from minsheng.platform.indicators import (
    Cut,
    Figure,
    Indicator,
    Kind,
    Period,
    catalogue,
    get,
    parse_period,
)
from minsheng.platform.security import audit
from minsheng.platform.security.models import AuditChainHead, AuditEvent
from minsheng.platform.security.principal import Principal
from minsheng.platform.worklist import WorkItem

#: Audited actions that change no figure: reads, exports, sign-ins, the chain's own
#: checks and the scorecard's (targets are not figures). Any other audited action since
#: a snapshot was computed makes it stale.
_READ_ONLY_ACTIONS = ("%.read", "%.export", "auth.%", "audit.%", "scorecard.%",
                      "%download", "%payment_list")
#: Years a trend shows when the period is one year or less.
TREND_YEARS = 5


def visible(actor: Principal) -> list[Indicator]:
    """The catalogue indicators whose source records ``actor`` may read."""
    return [i for i in catalogue() if actor.can(i.permission)]


def indicator(actor: Principal, indicator_id: str) -> Indicator:
    """One indicator of the catalogue, if ``actor`` may read its source."""
    actor.require("scorecard:read")
    found = get(indicator_id)
    if found is None:
        raise NotFound("没有这个统计指标", f"No indicator with the id {indicator_id!r}")
    if not actor.can(found.permission):
        actor.require(found.permission)
    return found


def region_name(prefix: str) -> str:
    """``50`` → 重庆市, ``500102`` → 涪陵区, ``5101`` → 成都市."""
    if len(prefix) == 2:
        return regions.province_name(prefix) or prefix
    return regions.name_of(prefix.ljust(6, "0")) or prefix


def resolve_region(actor: Principal, region: str) -> str:
    """The region prefix a scorecard is computed for: ``region`` (2, 4 or 6 digits of a
    known division) inside ``actor``'s scope; empty means the actor's own scope (the
    city for city-wide staff)."""
    own = actor.region_prefix
    code = region.strip()
    if not code:
        return own or "50"
    if not code.isdigit() or len(code) not in (2, 4, 6) or region_name(code) == code:
        raise invalid_field("region", f"未知的区划代码“{code}”，应为2、4或6位行政区划代码",
                            f"unknown region {code!r}: a 2, 4 or 6 digit division code")
    prefix = regions.scope_prefix(code) if len(code) == 6 else code
    if prefix.startswith(own):
        return prefix
    if own.startswith(prefix):
        return own
    raise Forbidden(f"{region_name(prefix)}不在您的管辖范围内",
                    f"{prefix} is outside your region scope")


# --- computing with the snapshot cache ----------------------------------------------


def _chain_head(session: Session) -> int:
    return session.execute(select(AuditChainHead.seq).where(AuditChainHead.id == 1)
                           ).scalar_one_or_none() or 0


def _last_event(session: Session) -> int:
    return session.execute(select(func.max(AuditEvent.seq))).scalar_one_or_none() or 0


def _changed_since(session: Session, link: int, last_event: int) -> bool:
    """Whether a change was recorded after chain position ``link`` and event
    ``last_event``: sealed after ``link``, or newer than ``last_event`` and not sealed
    yet. (An older unsealed event, committed late, counts once it is sealed.)"""
    read_only = [AuditEvent.action.like(p) for p in _READ_ONLY_ACTIONS]
    return session.execute(select(AuditEvent.seq).where(
        or_(AuditEvent.link > link, (AuditEvent.link.is_(None)) & (AuditEvent.seq > last_event)),
        ~or_(*read_only)).limit(1)
    ).first() is not None


def _encode(figures: Mapping[str, Figure]) -> str:
    return json.dumps({k: [str(f.numerator), None if f.denominator is None
                           else str(f.denominator)] for k, f in sorted(figures.items())})


def _decode(text: str) -> dict[str, Figure]:
    return {k: Figure(Decimal(n), None if d is None else Decimal(d))
            for k, (n, d) in json.loads(text).items()}


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive UTC times."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Computer:
    """Computes cuts for one request from the summary (``scorecard_snapshot``): a
    snapshot is served while no change has been audited since it was computed, or while
    it is younger than ``max_age`` (the setting ``scorecard_max_age_minutes``); anything
    else is computed from the records and stored (``fresh`` recomputes everything).
    ``as_of`` is the time of the oldest figure served."""

    def __init__(self, session: Session, *, fresh: bool = False,
                 max_age: timedelta | None = None) -> None:
        self.session = session
        self.fresh = fresh
        self.head = _chain_head(session)
        self.last_event = _last_event(session)
        self.now = utcnow()
        minutes = get_settings().scorecard_max_age_minutes
        self.max_age = max_age if max_age is not None else timedelta(minutes=minutes)
        self.as_of = self.now
        self.computed = 0
        self._valid: dict[tuple[int, int], bool] = {}
        self._prefetched: dict[tuple[str, str, str, bool], ScorecardSnapshot] = {}
        self._covered: set[tuple[str, str]] = set()
        if session.get_bind().dialect.name == "postgresql":
            # PostgreSQL's JIT compiles every statement estimated above ``jit_above_cost``,
            # which each indicator's grouped count over a large table is: 0.1–0.4 s of
            # compilation per statement against a scan of a few hundred milliseconds; and
            # the default 4 MB of work memory spills the hash of a city's people to disk
            # (bench/scorecard.py). Both for this transaction only.
            session.execute(text("SET LOCAL jit = off"))
            session.execute(text("SET LOCAL work_mem = '64MB'"))

    def _still_valid(self, snapshot: ScorecardSnapshot) -> bool:
        if self.max_age and _aware(snapshot.computed_at) >= self.now - self.max_age:
            return True
        mark = (snapshot.audit_seq, snapshot.audit_last_event)
        if mark not in self._valid:
            self._valid[mark] = mark[0] <= self.head and not _changed_since(self.session, *mark)
        return self._valid[mark]

    def prefetch(self, regions: Iterable[str], periods: Iterable[Period]) -> None:
        """Read the summary of these regions and periods in one statement (a dashboard
        reads hundreds of its rows)."""
        if self.fresh:
            return
        wanted = {(r, p.text) for r in regions for p in periods}
        found = self.session.scalars(select(ScorecardSnapshot).where(
            ScorecardSnapshot.region.in_({r for r, _ in wanted}),
            ScorecardSnapshot.period.in_({p for _, p in wanted})))
        self._prefetched.update({(s.indicator_id, s.region, s.period, s.by_district): s
                                 for s in found})
        self._covered |= wanted

    def _served(self, key: tuple[str, str, str, bool]) -> dict[str, Figure] | None:
        if self.fresh:
            return None
        snapshot = self._prefetched.get(key)
        if snapshot is None and (key[1], key[2]) not in self._covered:
            snapshot = self.session.get(ScorecardSnapshot, key)
        if snapshot is None or not self._still_valid(snapshot):
            return None
        self.as_of = min(self.as_of, _aware(snapshot.computed_at))
        return _decode(snapshot.figures)

    def figures(self, item: Indicator, cut: Cut) -> dict[str, Figure]:
        key = (item.id, cut.region, cut.period.text, cut.by_district)
        served = self._served(key)
        if served is not None:
            return served
        result = dict(item.compute(self.session, cut))
        self.computed += 1
        self._store(key, result)
        return result

    def _store(self, key: tuple[str, str, str, bool], result: Mapping[str, Figure]) -> None:
        try:
            with self.session.begin_nested():
                snapshot = self.session.get(ScorecardSnapshot, key)
                if snapshot is None:
                    snapshot = ScorecardSnapshot(indicator_id=key[0], region=key[1],
                                                 period=key[2], by_district=key[3])
                    self.session.add(snapshot)
                snapshot.figures = _encode(result)
                snapshot.audit_seq = self.head
                snapshot.audit_last_event = self.last_event
                snapshot.computed_at = self.now
                self.session.flush()
            self._prefetched[key] = snapshot
        except IntegrityError:
            pass  # another request stored the same cut at the same moment

    def total(self, item: Indicator, cut: Cut) -> Figure | None:
        """The cut's total; a district's is read from an enclosing region's by-district
        summary when that is served (the same grouped statement answers both): a count
        or amount the summary does not list is nothing; a rate it does not list is
        computed, as a share's denominator may still be the city's."""
        if len(cut.region) == 6 and not cut.by_district:
            own = self._served((item.id, cut.region, cut.period.text, False))
            if own is not None:
                return own.get("")
            for parent_region in (cut.region[:2], cut.region[:4]):
                parent = self._served((item.id, parent_region, cut.period.text, True))
                if parent is not None and (cut.region in parent or item.kind in
                                           (Kind.COUNT, Kind.AMOUNT)):
                    return parent.get(cut.region)
        return self.figures(item, cut).get("")


# --- the scorecard --------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    direction: str
    value: Decimal
    first_year: int
    last_year: int
    region: str
    note: str = ""

    @property
    def text(self) -> str:
        return f"{'≥' if self.direction == '>=' else '≤'} {self.value.normalize():,f}"

    @property
    def years(self) -> str:
        """``2026年`` or ``2016—2020年``."""
        if self.first_year == self.last_year:
            return f"{self.first_year}年"
        return f"{self.first_year}—{self.last_year}年"


@dataclass(frozen=True)
class Row:
    indicator: Indicator
    figure: Figure | None
    value: Decimal | None
    target: Target | None
    standing: rules.Standing | None
    progress: Decimal | None
    #: (year, value) for each year of the trend; empty unless asked for.
    trend: list[tuple[int, Decimal | None]] = field(default_factory=list)


@dataclass(frozen=True)
class Scorecard:
    region: str
    region_name: str
    period: Period
    rows: list[Row]
    #: When the oldest figure shown was computed (数据截至).
    as_of: datetime | None = None


def _target_for(targets: Iterable[ScorecardTarget], item: Indicator, region: str,
                period: Period) -> Target | None:
    """The target of the most specific region that contains ``region`` and, among those,
    of the latest span that overlaps the period. A rate's target holds in every part of
    its region, and so does a setting's (the benefit standard); a count's or an amount's
    is the region's own (a city's jobs target is
    not a district's). A flow's target is the total of its span: it applies only to a
    period of exactly those years."""
    whole_years = period.start.month == 1 and period.start.day == 1 and \
        period.end.month == 12 and period.end.day == 31
    inherits = item.kind in (Kind.RATE, Kind.SETTING)
    fitting = [t for t in targets if t.indicator_id == item.id
               and (region.startswith(t.region) if inherits else region == t.region)
               and t.first_year <= period.end.year
               and t.last_year >= period.start.year
               and (not item.flow or (whole_years and t.first_year == period.start.year
                                      and t.last_year == period.end.year))]
    if not fitting:
        return None
    best = max(fitting, key=lambda t: (len(t.region), t.first_year))
    return Target(best.direction, best.value, best.first_year, best.last_year, best.region,
                  best.note)


def _trend_periods(period: Period) -> list[Period]:
    if period.start.year != period.end.year:
        return period.years()
    last = period.end.year
    return [Period(date(y, 1, 1), date(y, 12, 31), str(y))
            for y in range(last - TREND_YEARS + 1, last + 1)]


def scorecard(session: Session, actor: Principal, *, region: str = "", period: str = "",
              trend: bool = False, fresh: bool = False,
              only: Sequence[str] | None = None) -> Scorecard:
    """Every indicator ``actor`` may read, for ``region`` (GB/T 2260 prefix, default the
    actor's scope) and ``period`` (default this year), each with its plan target
    and whether it is met; with ``trend``, the value of each year of the period (or of
    the last five years)."""
    actor.require("scorecard:read")
    prefix = resolve_region(actor, region)
    span = parse_period(period or str(date.today().year))
    computer = Computer(session, fresh=fresh)
    items = [i for i in visible(actor) if only is None or i.id in only]
    targets = list(session.scalars(select(ScorecardTarget).where(
        ScorecardTarget.indicator_id.in_([i.id for i in items]))))
    computer.prefetch({prefix, prefix[:2], prefix[:4]},
                      [span, *(_trend_periods(span) if trend else [])])
    rows = []
    for item in items:
        figure = computer.total(item, Cut(prefix, span))
        value = item.value(figure)
        target = _target_for(targets, item, prefix, span)
        history = ([(p.start.year, item.value(computer.total(item, Cut(prefix, p))))
                    for p in _trend_periods(span)] if trend else [])
        rows.append(Row(
            item, figure, value, target,
            rules.standing(value, target.direction, target.value) if target else None,
            rules.progress(value, target.direction, target.value) if target else None,
            history))
    return Scorecard(prefix, region_name(prefix), span, rows, computer.as_of)


@dataclass(frozen=True)
class Refreshed:
    """What a refresh of the summary computed: statements run and seconds by indicator."""

    region: str
    periods: list[str]
    statements: int
    seconds: dict[str, float]


def refresh(session: Session, actor: Principal, *, region: str = "50",
            periods: Sequence[str] = (),
            progress: Callable[[Indicator], None] | None = None) -> Refreshed:
    """Recompute the summary a scorecard view reads: for each of ``periods`` (default
    this year) and each year of its trend, every indicator ``actor`` may read, as the
    region's total and by district (whose entries answer each district's own
    scorecard). Run on a schedule (every ``scorecard_max_age_minutes``) so that views
    never wait for the records; the run's cost is what ``bench/scorecard.py`` measures.
    ``progress`` is called after each indicator."""
    actor.require("scorecard:read")
    prefix = resolve_region(actor, region)
    spans = [parse_period(p) for p in (periods or [str(date.today().year)])]
    cuts = list({p.text: p for span in spans for p in (span, *_trend_periods(span))}.values())
    computer = Computer(session, fresh=True)
    seconds: dict[str, float] = {}
    for item in visible(actor):
        started = time.perf_counter()
        for span in cuts:
            computer.figures(item, Cut(prefix, span))
            if len(prefix) < 6:
                computer.figures(item, Cut(prefix, span, by_district=True))
        seconds[item.id] = time.perf_counter() - started
        if progress is not None:
            progress(item)
    audit.record(session, actor=actor.username, action="scorecard.refresh",
                 subject_type="scorecard", subject_id=prefix,
                 payload={"periods": [p.text for p in cuts], "statements": computer.computed})
    return Refreshed(prefix, [p.text for p in cuts], computer.computed, seconds)


@dataclass(frozen=True)
class DistrictFigure:
    region: str
    name: str
    figure: Figure | None
    value: Decimal | None


@dataclass(frozen=True)
class Breakdown:
    indicator: Indicator
    region: str
    region_name: str
    period: Period
    total: Decimal | None
    districts: list[DistrictFigure]


def breakdown(session: Session, actor: Principal, indicator_id: str, *, region: str = "",
              period: str = "", fresh: bool = False) -> Breakdown:
    """One indicator by district (as divided today) inside ``region``: every current
    county-level division of the region, with its figure (zero where nothing happened),
    ordered by value, largest first."""
    item = indicator(actor, indicator_id)
    prefix = resolve_region(actor, region)
    span = parse_period(period or str(date.today().year))
    computer = Computer(session, fresh=fresh)
    by_district = computer.figures(item, Cut(prefix, span, by_district=True))
    codes = [d.code for d in regions.current_counties(prefix[:2])
             if d.code.startswith(prefix)]
    codes += sorted(k for k in by_district if k and k not in codes)
    districts = [DistrictFigure(code, regions.name_of(code) or code, by_district.get(code),
                                item.value(by_district.get(code))) for code in codes]
    districts.sort(key=lambda d: (d.value is None, -(d.value or 0), d.region))
    total = item.value(computer.total(item, Cut(prefix, span)))
    return Breakdown(item, prefix, region_name(prefix), span, total, districts)


@dataclass(frozen=True)
class RecordRow:
    record: str
    name: str
    resident_id: str | None
    region: str
    day: date | None
    detail: str


@dataclass(frozen=True)
class RecordPage:
    indicator: Indicator
    region: str
    period: Period
    total: int
    page: int
    size: int
    rows: list[RecordRow]


def records(session: Session, actor: Principal, indicator_id: str, *, region: str = "",
            period: str = "", page: int = 1, size: int = 50) -> RecordPage:
    """The records behind an indicator's figure in ``region`` (a district of a
    breakdown), paged; resident IDs masked unless the role handles identity; the read is
    recorded in the audit chain."""
    item = indicator(actor, indicator_id)
    if item.records is None:
        raise NotFound(f"指标“{item.name}”没有可列出的明细记录",
                       f"The indicator {item.id} has no record list")
    prefix = resolve_region(actor, region)
    span = parse_period(period or str(date.today().year))
    size = min(max(size, 1), 200)
    page = max(page, 1)
    selection = item.records(Cut(prefix, span))
    total = session.execute(select(func.count()).select_from(selection.subquery())).scalar_one()
    found = session.execute(selection.limit(size).offset((page - 1) * size)).mappings().all()
    rows = [RecordRow(str(r["record"]), r["name"] or "",
                      exports.resident_id_for(actor, r["resident_id"])
                      if r["resident_id"] else None,
                      r["region"] or "", r["day"], r["detail"] or "") for r in found]
    audit.record(session, actor=actor.username, action="scorecard.records",
                 subject_type="indicator", subject_id=item.id,
                 payload={"region": prefix, "period": span.text, "page": page,
                          "rows": len(rows)})
    return RecordPage(item, prefix, span, total, page, size, rows)


@dataclass(frozen=True)
class SiteMap:
    """The places behind figures: GeoJSON features (lon/lat) of the records in a region
    and period, each site once."""

    region: str
    period: Period
    features: list[dict[str, Any]]


def _unique(features: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each feature once, by ``properties.id`` (the first one met)."""
    seen: dict[str, dict[str, Any]] = {}
    for feature in features:
        seen.setdefault(str(feature["properties"]["id"]), feature)
    return list(seen.values())


def _audit_map(session: Session, actor: Principal, subject: tuple[str, str],
               found: SiteMap) -> None:
    audit.record(session, actor=actor.username, action="scorecard.features",
                 subject_type=subject[0], subject_id=subject[1],
                 payload={"region": found.region, "period": found.period.text,
                          "features": len(found.features)})


def features(session: Session, actor: Principal, indicator_id: str, *, region: str = "",
             period: str = "") -> SiteMap | None:
    """Where the records behind an indicator's figure lie in ``region`` (inside the
    actor's scope, as :func:`breakdown`) and ``period``: the indicator's
    :data:`~minsheng.platform.indicators.Features`, each site once; None when the
    indicator has none. The sites name records, so the read is audited as
    :func:`records` is."""
    item = indicator(actor, indicator_id)
    if item.features is None:
        return None
    prefix = resolve_region(actor, region)
    span = parse_period(period or str(date.today().year))
    found = SiteMap(prefix, span, _unique(item.features(session, Cut(prefix, span))))
    _audit_map(session, actor, ("indicator", item.id), found)
    return found


def site_map(session: Session, actor: Principal, *, region: str = "", period: str = ""
             ) -> SiteMap | None:
    """The sites behind every figure ``actor`` may read that has places (the
    dashboard's map), each site once; None when no such figure is visible. Indicators
    sharing one features function are asked once. Audited as :func:`features`."""
    actor.require("scorecard:read")
    sources = list({id(i.features): i.features for i in visible(actor)
                    if i.features is not None}.values())
    if not sources:
        return None
    prefix = resolve_region(actor, region)
    span = parse_period(period or str(date.today().year))
    cut = Cut(prefix, span)
    found = SiteMap(prefix, span, _unique(f for source in sources
                                          for f in source(session, cut)))
    _audit_map(session, actor, ("scorecard", prefix), found)
    return found


# --- targets --------------------------------------------------------------------------


def targets(session: Session, actor: Principal) -> list[ScorecardTarget]:
    """Every target of the indicators ``actor`` may read, in catalogue order."""
    actor.require("scorecard:read")
    order = {i.id: n for n, i in enumerate(visible(actor))}
    found = [t for t in session.scalars(select(ScorecardTarget)) if t.indicator_id in order]
    return sorted(found, key=lambda t: (order[t.indicator_id], t.region, t.first_year))


def missing_targets(session: Session, actor: Principal, year: int) -> list[Indicator]:
    """The indicators ``actor`` reads that have no plan target for ``year`` in the
    actor's region or a region containing it (the statistician's to-do at a year's
    start), in catalogue order."""
    actor.require("scorecard:read")
    region = resolve_region(actor, "")
    covered = set(session.scalars(select(ScorecardTarget.indicator_id).where(
        ScorecardTarget.first_year <= year, ScorecardTarget.last_year >= year,
        literal(region).startswith(ScorecardTarget.region))))
    return [i for i in visible(actor) if i.id not in covered]


def waiting_work(session: Session, actor: Principal, today: date) -> list[WorkItem]:
    """For those who set plan targets: the indicators still without one this year (late:
    a year's targets are set before it starts), and, in the last
    ``scorecard_targets_lead_days`` of a year, those without one for the next year, due
    on 31 December."""
    if not actor.can("scorecard:targets"):
        return []
    items = []
    late = missing_targets(session, actor, today.year)
    if late:
        items.append(WorkItem(f"scorecard.targets.{today.year}",
                              f"{today.year}年规划目标待设定", len(late),
                              f"/scorecard/targets?year={today.year}#missing",
                              overdue=len(late)))
    year_end = date(today.year, 12, 31)
    if (year_end - today).days < get_settings().scorecard_targets_lead_days:
        coming = missing_targets(session, actor, today.year + 1)
        items.append(WorkItem(f"scorecard.targets.{today.year + 1}",
                              f"{today.year + 1}年规划目标待设定", len(coming),
                              f"/scorecard/targets?year={today.year + 1}#missing",
                              due=year_end))
    return items


def set_target(session: Session, actor: Principal, data: TargetSet) -> ScorecardTarget:
    """Enter or change the plan target of an indicator for a region and span of years
    (one per indicator, region and first year; a change names the version it read)."""
    actor.require("scorecard:targets")
    item = indicator(actor, data.indicator_id)
    region = resolve_region(actor, data.region)
    if item.kind is Kind.RATE and data.value > 100:
        raise invalid_field("value", "比率目标不能超过100%", "a rate target is at most 100 %")
    target = session.scalars(select(ScorecardTarget).where(
        ScorecardTarget.indicator_id == item.id, ScorecardTarget.region == region,
        ScorecardTarget.first_year == data.first_year).with_for_update()).one_or_none()
    if target is None:
        if data.version is not None:
            raise stale_record()
        target = ScorecardTarget(indicator_id=item.id, region=region,
                                 first_year=data.first_year)
        session.add(target)
    elif data.version is not None and data.version != target.version:
        raise stale_record()
    before = None if target.id is None else f"{target.direction} {target.value}"
    target.last_year = data.last_year
    target.direction = data.direction
    target.value = data.value
    target.note = data.note
    target.set_by = actor.username
    flush(session)
    audit.record(session, actor=actor.username, action="scorecard.target",
                 subject_type="scorecard_target", subject_id=target.id,
                 payload={"indicator": item.id, "region": region, "years":
                          f"{data.first_year}-{data.last_year}", "before": before,
                          "after": f"{data.direction} {data.value}"})
    return target


def delete_target(session: Session, actor: Principal, target_id: int) -> None:
    actor.require("scorecard:targets")
    target = session.get(ScorecardTarget, target_id)
    if target is None or not target.region.startswith(actor.region_prefix):
        raise NotFound("目标不存在", f"No target {target_id}")
    indicator(actor, target.indicator_id)
    audit.record(session, actor=actor.username, action="scorecard.target_delete",
                 subject_type="scorecard_target", subject_id=target.id,
                 payload={"indicator": target.indicator_id, "region": target.region,
                          "target": f"{target.direction} {target.value}"})
    session.delete(target)
    flush(session)


# --- the workbook ---------------------------------------------------------------------

WORKBOOK_HEADERS = ("指标", "数值", "单位", "目标", "达标情况", "文章数字", "地区", "统计期间",
                    "来源", "口径")


def workbook_rows(card: Scorecard) -> list[list[Any]]:
    """The scorecard as rows under :data:`WORKBOOK_HEADERS` (numbers as numbers)."""
    rows = []
    for row in card.rows:
        item = row.indicator
        definition = item.numerator + (f" ÷ {item.denominator}" if item.denominator else "")
        rows.append([
            item.name, None if row.value is None else float(row.value), item.unit,
            row.target.text if row.target else "",
            rules.STANDING_LABELS[row.standing] if row.standing else "",
            item.article or "", f"{card.region_name}（{card.region}）", card.period.label,
            item.domain, definition])
    return rows


def workbook(card: Scorecard) -> bytes:
    return exports.xlsx_bytes("民生答卷", WORKBOOK_HEADERS, workbook_rows(card))[0]
