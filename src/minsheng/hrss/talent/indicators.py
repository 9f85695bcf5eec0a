"""What talent records feed to the scorecard (民生答卷), seed-figures.md: 技能人才 and
专技人才 (people, each once at their highest level, where they live, at the period's
end), 引进优秀紧缺人才 in the period, the talents and projects of the talent events (重庆
英才大会) and postdoctoral intake — each the statement the counts of the API and the
overview page run (``service.counts``) with the cut's region and grouping."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import case, literal, select
from sqlalchemy.orm import Session

from minsheng.hrss.registry.service import Employer, Person
from minsheng.hrss.talent import rules
from minsheng.hrss.talent.models import (
    PostdocIntake,
    ProfessionalTitle,
    SkillCertificate,
    TalentEvent,
    TalentIntroduction,
)
from minsheng.hrss.talent.service import counts
from minsheng.platform.indicators import Cut, Figure, Indicator, Kind, RecordSelect

SOURCE = "人才服务"
PERMISSION = "talent:read"
_HOLDER = "地区按持证人现居住区县，已撤销的区县代码计入现行区县"


def _sum_by_key(rows: Any) -> dict[str, Figure]:
    found: dict[str, Decimal] = {}
    for row in rows:
        found[row[0] or ""] = found.get(row[0] or "", Decimal(0)) + Decimal(row[-1] or 0)
    return {k: Figure(v) for k, v in found.items()}


def _skilled(session: Session, cut: Cut) -> dict[str, Figure]:
    return _sum_by_key(session.execute(counts.skilled_select(
        cut.within(counts.HOLDER_REGION), cut.key(counts.HOLDER_REGION), cut.period.end)))


def _skilled_records(cut: Cut) -> RecordSelect:
    c = SkillCertificate
    return (select(c.certificate_no.label("record"), Person.name.label("name"),
                   Person.resident_id.label("resident_id"),
                   Person.residence_region.label("region"), c.issued_on.label("day"),
                   c.occupation_code.label("detail"))
            .join(Person, Person.id == c.person_id)
            .where(cut.within(Person.residence_region), c.issued_on <= cut.period.end)
            .order_by(c.issued_on, c.id))


SKILLED_TALENT = Indicator(
    id="talent_skilled", name="技能人才", name_en="Skilled talent", unit="人",
    kind=Kind.COUNT, domain=SOURCE, permission=PERMISSION, order=80,
    numerator="期末持有职业技能等级证书（初级工至高级技师）且在世的人数",
    period_rule="统计期末时点数；" + _HOLDER,
    dedup="按人计：一人持多本证书只计一次（计入其最高等级）",
    compute=_skilled, records=_skilled_records,
    article="全市技能人才总量达到387万人", article_value=Decimal(3_870_000))


def _professional(session: Session, cut: Cut) -> dict[str, Figure]:
    return _sum_by_key(session.execute(counts.professional_select(
        cut.within(counts.HOLDER_REGION), cut.key(counts.HOLDER_REGION), cut.period.end)))


def _professional_records(cut: Cut) -> RecordSelect:
    t = ProfessionalTitle
    return (select(t.certificate_no.label("record"), Person.name.label("name"),
                   Person.resident_id.label("resident_id"),
                   Person.residence_region.label("region"), t.granted_on.label("day"),
                   case(*((t.level == lv, literal(label))
                          for lv, label in rules.TITLE_LEVEL_LABELS.items()),
                        else_=t.level).label("detail"))
            .join(Person, Person.id == t.person_id)
            .where(cut.within(Person.residence_region), t.granted_on <= cut.period.end)
            .order_by(t.granted_on, t.id))


PROFESSIONAL_TALENT = Indicator(
    id="talent_professional", name="专业技术人才", name_en="Professional-technical talent",
    unit="人", kind=Kind.COUNT, domain=SOURCE, permission=PERMISSION, order=81,
    numerator="期末取得职称（初级、中级、副高级、正高级）且在世的人数",
    period_rule="统计期末时点数；" + _HOLDER,
    dedup="按人计：一人持多个职称只计一次（计入其最高职称）",
    compute=_professional, records=_professional_records,
    article="专业技术人才总量达到190万人", article_value=Decimal(1_900_000))


def _introduction_records(at_events: bool) -> Callable[[Cut], RecordSelect]:
    def records(cut: Cut) -> RecordSelect:
        i = TalentIntroduction
        stmt = (select(i.id.label("record"), Person.name.label("name"),
                       Person.resident_id.label("resident_id"), i.region.label("region"),
                       i.introduced_on.label("day"), Employer.name.label("detail"))
                .join(Person, Person.id == i.person_id)
                .join(Employer, Employer.id == i.employer_id)
                .where(cut.within(i.region), i.introduced_on >= cut.period.start,
                       i.introduced_on <= cut.period.end))
        if at_events:
            stmt = stmt.where(i.event_id.is_not(None))
        return stmt.order_by(i.introduced_on, i.id)
    return records


def _introductions(at_events: bool) -> Callable[[Session, Cut], dict[str, Figure]]:
    def compute(session: Session, cut: Cut) -> dict[str, Figure]:
        i = TalentIntroduction
        return _sum_by_key(session.execute(counts.introductions_select(
            cut.within(i.region), cut.key(i.region), cut.period.start, cut.period.end,
            at_events=at_events)))
    return compute


INTRODUCED_TALENT = Indicator(
    id="talent_introduced", name="引进优秀紧缺人才", name_en="Scarce talent introduced",
    unit="人次", kind=Kind.COUNT, domain=SOURCE, permission=PERMISSION, order=82,
    numerator="期间内用人单位申报、引进日期在期间内的优秀紧缺人才引进记录数",
    period_rule="按引进日期归属期间；地区按引进单位所在区县，已撤销的区县代码计入现行区县",
    dedup="按引进记录计：同一人被不同单位引进分别计算",
    compute=_introductions(False), records=_introduction_records(False), flow=True,
    article="“十三五”期间累计引进优秀紧缺人才5万余名", article_value=Decimal(50_000))

EVENT_TALENT = Indicator(
    id="talent_event_talents", name="重庆英才大会引进人才", name_en="Talents at talent events",
    unit="人次", kind=Kind.COUNT, domain=SOURCE, permission=PERMISSION, order=83,
    numerator="期间内引进、且关联人才活动（重庆英才大会等）的优秀紧缺人才引进记录数",
    period_rule="按引进日期归属期间；地区按引进单位所在区县",
    dedup="按引进记录计",
    compute=_introductions(True), records=_introduction_records(True), flow=True,
    article="2020年重庆英才大会集中签约引进各类人才1821名", article_value=Decimal(1821),
    article_years=(2020, 2020))


def _projects(session: Session, cut: Cut) -> dict[str, Figure]:
    e = TalentEvent
    return _sum_by_key(session.execute(counts.event_projects_select(
        cut.within(e.region), cut.key(e.region), cut.period.start, cut.period.end)))


EVENT_PROJECTS = Indicator(
    id="talent_event_projects", name="重庆英才大会签约项目",
    name_en="Projects signed at talent events",
    unit="个", kind=Kind.COUNT, domain=SOURCE, permission=PERMISSION, order=84,
    numerator="期间内举办的人才活动签约的项目数",
    period_rule="按活动举办日期归属期间；地区按活动举办地",
    dedup="按项目计",
    compute=_projects, flow=True,
    article="2020年重庆英才大会签约项目267个", article_value=Decimal(267),
    article_years=(2020, 2020))


def _intake(session: Session, cut: Cut) -> dict[str, Figure]:
    p = PostdocIntake
    return _sum_by_key(session.execute(counts.intake_select(
        cut.within(p.region), cut.key(p.region), cut.period.start, cut.period.end)))


def _intake_records(cut: Cut) -> RecordSelect:
    p = PostdocIntake
    return (select(p.id.label("record"), Person.name.label("name"),
                   Person.resident_id.label("resident_id"), p.region.label("region"),
                   p.entered_on.label("day"), literal("进站").label("detail"))
            .join(Person, Person.id == p.person_id)
            .where(cut.within(p.region), p.entered_on >= cut.period.start,
                   p.entered_on <= cut.period.end)
            .order_by(p.entered_on, p.id))


POSTDOC_INTAKE = Indicator(
    id="talent_postdoc_intake", name="博士后进站人数", name_en="Postdoctoral intake",
    unit="人", kind=Kind.COUNT, domain=SOURCE, permission=PERMISSION, order=85,
    numerator="期间内进入博士后科研流动站、工作站的人数",
    period_rule="按进站日期归属期间；地区按设站单位所在区县",
    dedup="按进站记录计",
    compute=_intake, records=_intake_records, flow=True,
    article="博士后招收人数实现倍增")

INDICATORS = [SKILLED_TALENT, PROFESSIONAL_TALENT, INTRODUCED_TALENT, EVENT_TALENT,
              EVENT_PROJECTS, POSTDOC_INTAKE]
