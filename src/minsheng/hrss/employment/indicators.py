"""What employment services feed to the scorecard (民生答卷), hrss-rules §9 and
seed-figures.md: each figure computed from records by one grouped SQL statement.

The statements are the employment service's own definitions
(``service/indicators.py``): the ``employment indicators`` summary (page, API, command)
runs the same ones, so the scorecard and the summary never disagree."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

from sqlalchemy import Date, case, cast, literal, null, select
from sqlalchemy.orm import Session

from minsheng.hrss.employment.models import (
    KeyGroupMember,
    UrbanNewEmployment,
    ZeroEmploymentCase,
)
from minsheng.hrss.employment.service._common import registered_unemployed_clause
from minsheng.hrss.employment.service.indicators import (
    figure_of,
    graduate_employment_query,
    graduates_clause,
    helped_into_work_query,
    helped_into_work_records,
    key_group_clause,
    key_group_employed_query,
    open_zero_employment_clause,
    open_zero_employment_query,
    placed_by,
    registered_unemployment_query,
    urban_new_employment_query,
)
from minsheng.hrss.registry.service import Household, Person
from minsheng.platform.indicators import (
    Cut,
    Direction,
    Figure,
    Indicator,
    Kind,
    RecordSelect,
)

SOURCE = "就业服务"
PERMISSION = "employment:read"


def _urban_new_employment(session: Session, cut: Cut) -> dict[str, Figure]:
    return figure_of(session, urban_new_employment_query(cut))


def _urban_new_employment_records(cut: Cut) -> RecordSelect:
    return (select(UrbanNewEmployment.placement_id.label("record"), Person.name.label("name"),
                   Person.resident_id.label("resident_id"),
                   UrbanNewEmployment.region.label("region"),
                   UrbanNewEmployment.event_date.label("day"),
                   literal("城镇新增就业").label("detail"))
            .join(Person, Person.id == UrbanNewEmployment.person_id)
            .where(cut.within(UrbanNewEmployment.region),
                   UrbanNewEmployment.event_date.between(cut.period.start, cut.period.end))
            .order_by(UrbanNewEmployment.event_date, UrbanNewEmployment.person_id))


URBAN_NEW_EMPLOYMENT = Indicator(
    id="urban_new_employment", name="城镇新增就业", name_en="Urban new employment",
    unit="人", kind=Kind.COUNT, domain=SOURCE, permission=PERMISSION, order=10, flow=True,
    numerator="在城镇新就业的人员（城镇新增就业登记事件）",
    period_rule="期间内发生的就业事件（流量）；地区按就业地",
    dedup="每人每年至多计一次（同一年内多次就业只计首次）；跨年度的期间按年分别计",
    compute=_urban_new_employment, records=_urban_new_employment_records,
    article="“十三五”期间累计 362 万人", article_value=Decimal(3_620_000))


# --- 高校毕业生年底就业率 -------------------------------------------------------------------


def _graduate_employment(session: Session, cut: Cut) -> dict[str, Figure]:
    return figure_of(session, graduate_employment_query(cut))


def _key_group_records(cut: Cut, clauses: list[Any], employed_only: bool,
                       label: str) -> RecordSelect:
    placed = placed_by(KeyGroupMember.person_id, cut.period.end)
    stmt = (select(KeyGroupMember.id.label("record"), Person.name.label("name"),
                   Person.resident_id.label("resident_id"),
                   KeyGroupMember.region.label("region"), KeyGroupMember.since.label("day"),
                   case((placed, literal(f"{label}（已就业）")),
                        else_=literal(f"{label}（未就业）")).label("detail"))
            .join(Person, Person.id == KeyGroupMember.person_id)
            .where(*clauses))
    if employed_only:
        stmt = stmt.where(placed)
    return stmt.order_by(KeyGroupMember.region, KeyGroupMember.person_id)


def _graduate_records(cut: Cut) -> RecordSelect:
    return _key_group_records(cut, graduates_clause(cut), False, "高校毕业生")


GRADUATE_EMPLOYMENT_RATE = Indicator(
    id="graduate_employment_rate", name="高校毕业生年底就业率",
    name_en="Graduates employed at year end", unit="%", kind=Kind.RATE, domain=SOURCE,
    permission=PERMISSION, order=11,
    numerator="当年高校毕业生中，截至期末（年度为12月31日）已有安置就业或就业登记记录的人数",
    denominator="期末所在年度毕业的高校毕业生人数（重点群体“高校毕业生”，毕业年度为期末所在年）",
    period_rule="时点指标：取期末所在年度的毕业生，就业状况截至期末；多年期间取最后一年；"
                "地区按毕业生认定时的居住地",
    dedup="每名毕业生只计一次（同一人毕业生身份唯一；多次就业不重复计）",
    compute=_graduate_employment, records=_graduate_records,
    article="每年均保持在 93% 以上", article_value=Decimal(93))


# --- 登记失业人员 / 就业困难人员实现就业 ----------------------------------------------------


def _helped(group: str, session: Session, cut: Cut) -> dict[str, Figure]:
    return figure_of(session, helped_into_work_query(cut, group))


def _helped_records(group: str, label: str, cut: Cut) -> RecordSelect:
    first = helped_into_work_records(cut, group)
    return (select(first.c.id.label("record"), Person.name.label("name"),
                   Person.resident_id.label("resident_id"), first.c.region.label("region"),
                   first.c.placed_date.label("day"), literal(label).label("detail"))
            .join(Person, Person.id == first.c.person_id)
            .order_by(first.c.placed_date, first.c.person_id))


_HELPED_DEDUP = ("每人在期间内只计一次：按期间内首次符合条件的就业计，地区取该次就业地"
                 "（分区县合计等于总数）")

UNEMPLOYED_HELPED_INTO_WORK = Indicator(
    id="unemployed_helped_into_work", name="登记失业人员实现就业",
    name_en="Registered unemployed helped into work", unit="人", kind=Kind.COUNT,
    domain=SOURCE, permission=PERMISSION, order=12, flow=True,
    numerator="期间内有安置就业或就业登记记录、且就业当日处于失业登记状态的人员",
    period_rule="期间内发生的就业（流量）；地区按就业地",
    dedup=_HELPED_DEDUP,
    compute=partial(_helped, "unemployed"),
    records=partial(_helped_records, "unemployed", "登记失业人员实现就业"),
    article="2020年 138 万人", article_value=Decimal(1_380_000), article_years=(2020, 2020))

HARD_TO_EMPLOY_HELPED_INTO_WORK = Indicator(
    id="hard_to_employ_helped_into_work", name="就业困难人员实现就业",
    name_en="Hard-to-employ people helped into work", unit="人", kind=Kind.COUNT,
    domain=SOURCE, permission=PERMISSION, order=13, flow=True,
    numerator="期间内有安置就业或就业登记记录、且就业当日为认定的就业困难人员的人员",
    period_rule="期间内发生的就业（流量）；地区按就业地",
    dedup=_HELPED_DEDUP,
    compute=partial(_helped, "hard_to_employ"),
    records=partial(_helped_records, "hard_to_employ", "就业困难人员实现就业"),
    article="2020年 65 万人", article_value=Decimal(650_000), article_years=(2020, 2020))


# --- 退捕渔民转产就业率 ---------------------------------------------------------------------


def _key_group(group: str, session: Session, cut: Cut) -> dict[str, Figure]:
    return figure_of(session, key_group_employed_query(cut, group))


def _ex_fisher_records(cut: Cut) -> RecordSelect:
    return _key_group_records(cut, key_group_clause(cut, "ex_fisher"), False, "退捕渔民")


EX_FISHER_TRANSFER_RATE = Indicator(
    id="ex_fisher_transfer_rate", name="退捕渔民转产就业率",
    name_en="Ex-fishers transferred to other work", unit="%", kind=Kind.RATE,
    domain=SOURCE, permission=PERMISSION, order=14,
    numerator="有劳动能力的退捕渔民中，截至期末已有安置就业或就业登记记录的人数",
    denominator="截至期末已认定、且期末未登记丧失劳动能力的退捕渔民人数",
    period_rule="时点指标：截至期末的累计认定与就业状况；地区按认定时的居住地",
    dedup="每人只计一次（同一人退捕渔民身份唯一；多次就业不重复计）",
    compute=partial(_key_group, "ex_fisher"), records=_ex_fisher_records,
    article="100%", article_value=Decimal(100))


# --- 城镇零就业家庭 -------------------------------------------------------------------------


def _zero_employment(session: Session, cut: Cut) -> dict[str, Figure]:
    return figure_of(session, open_zero_employment_query(cut))


def _zero_employment_records(cut: Cut) -> RecordSelect:
    return (select(Household.household_no.label("record"),
                   Household.address.label("name"), null().label("resident_id"),
                   ZeroEmploymentCase.region.label("region"),
                   ZeroEmploymentCase.detected_date.label("day"),
                   literal("零就业家庭（期末未清零）").label("detail"))
            .join(Household, Household.id == ZeroEmploymentCase.household_id)
            .where(*open_zero_employment_clause(cut))
            .order_by(ZeroEmploymentCase.detected_date, ZeroEmploymentCase.id))


ZERO_EMPLOYMENT_HOUSEHOLDS = Indicator(
    id="zero_employment_households", name="城镇零就业家庭（未清零户数）",
    name_en="Zero-employment households not yet cleared", unit="户", kind=Kind.COUNT,
    domain=SOURCE, permission=PERMISSION, order=15, direction=Direction.AT_MOST,
    numerator="期末仍在零就业家庭工作台账上的家庭：认定日期不晚于期末，且期末尚未销号"
              "（安置一人就业或不再符合条件）",
    period_rule="时点指标（存量）：期末当日；地区按家庭住址",
    dedup="每户只计一次（同一家庭同一时间只有一条未销号记录）",
    compute=_zero_employment, records=_zero_employment_records,
    article="动态清零（期末未清零 0 户）", article_value=Decimal(0))


# --- 城镇登记失业率 ---------------------------------------------------------------------------


def _registered_unemployment(session: Session, cut: Cut) -> dict[str, Figure]:
    return figure_of(session, registered_unemployment_query(cut))


def _registered_unemployment_records(cut: Cut) -> RecordSelect:
    return (select(Person.id.label("record"), Person.name.label("name"),
                   Person.resident_id.label("resident_id"),
                   Person.residence_region.label("region"), cast(null(), Date).label("day"),
                   literal("期末登记失业").label("detail"))
            .where(cut.within(Person.residence_region),
                   registered_unemployed_clause(Person.id, cut.period.end))
            .order_by(Person.residence_region, Person.id))


REGISTERED_UNEMPLOYMENT_RATE = Indicator(
    id="registered_unemployment_rate", name="城镇登记失业率",
    name_en="Registered urban unemployment rate", unit="%", kind=Kind.RATE,
    domain=SOURCE, permission=PERMISSION, order=22, direction=Direction.AT_MOST,
    numerator="期末登记失业人数：居住在本地、期末失业登记有效且登记以来未就业的人员",
    denominator="期末登记失业人数 + 期末就业人数（居住在本地、期末当月职工养老保险参保有效的人员）",
    period_rule="时点指标：期末当日（就业人数取期末所在月）；地区按居住地",
    dedup="按人计：每人在分子、就业人数中各至多计一次",
    compute=_registered_unemployment, records=_registered_unemployment_records,
    article="控制在 4.5% 以内", article_value=Decimal("4.5"))


# --- 贫困劳动力就业 ---------------------------------------------------------------------------


def _poverty_records(cut: Cut) -> RecordSelect:
    return _key_group_records(cut, key_group_clause(cut, "poverty_labour"), True,
                              "贫困劳动力")


def _poverty_employed(session: Session, cut: Cut) -> dict[str, Figure]:
    # The employed members only: a count, not a rate.
    return {k: Figure(f.numerator) for k, f in
            figure_of(session, key_group_employed_query(cut, "poverty_labour")).items()}


POVERTY_LABOUR_EMPLOYED = Indicator(
    id="poverty_labour_employed", name="贫困劳动力就业", name_en="Poor labour employed",
    unit="人", kind=Kind.COUNT, domain=SOURCE, permission=PERMISSION, order=23,
    numerator="截至期末已认定、期末有劳动能力的贫困劳动力（建档立卡）中，截至期末已有安置就业"
              "或就业登记记录的人数",
    period_rule="时点指标（存量）：截至期末；地区按认定时的居住地",
    dedup="每人只计一次（多次就业不重复计）",
    compute=_poverty_employed, records=_poverty_records,
    article="76.2 万人", article_value=Decimal(762_000))


INDICATORS = [URBAN_NEW_EMPLOYMENT, GRADUATE_EMPLOYMENT_RATE, UNEMPLOYED_HELPED_INTO_WORK,
              HARD_TO_EMPLOY_HELPED_INTO_WORK, EX_FISHER_TRANSFER_RATE,
              ZERO_EMPLOYMENT_HOUSEHOLDS, REGISTERED_UNEMPLOYMENT_RATE,
              POVERTY_LABOUR_EMPLOYED]
