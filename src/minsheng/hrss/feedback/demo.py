"""Demo data for feedback (意见建议): a dozen items from residents of 渝中区 and 涪陵区 —
some answered, some open and some past their reply deadline — and the demo citizen's and
employer's own (one answered, one waiting), so that the districts' clerks have work
waiting and 我的意见建议 shows a reply. Runs once: a database with feedback is left as
it is."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from minsheng.hrss.feedback import service
from minsheng.hrss.feedback.models import Feedback
from minsheng.hrss.feedback.schemas import FeedbackCreate
from minsheng.hrss.registry.service import Person
from minsheng.platform.db import unit_of_work
from minsheng.platform.security.principal import Principal

#: The district clerks who answer (as the demo accounts are named).
CLERKS = {"500103": "yuzhong_clerk", "500102": "fuling_clerk"}
#: (kind, subject, text, days ago submitted, days after submission answered or None).
ITEMS = (
    ("complaint", "社保卡补换等候时间过长", "上周在区服务大厅补换社保卡，排队等候近两个小时，"
     "希望增加窗口或自助设备。", 40, None),
    ("inquiry", "灵活就业人员参保缴费档次", "本人为灵活就业人员，想了解职工养老保险可以选择哪些"
     "缴费档次，以及如何在网上办理。", 25, None),
    ("suggestion", "建议延长周末办理时间", "很多上班族只能周末办事，建议服务大厅周六全天开放，"
     "方便群众办理业务。", 6, None),
    ("praise", "表扬窗口工作人员耐心细致", "办理退休待遇认证时工作人员耐心讲解政策，"
     "帮我一次办好，特此表扬。", 20, 3),
    ("inquiry", "失业保险金领取期限", "单位合同到期不再续签，请问失业保险金可以领取多少个月，"
     "需要准备哪些材料？", 15, 2),
    ("complaint", "网上缴费页面打不开", "连续两天在网上服务大厅缴费时页面无法打开，"
     "担心影响按时缴费，请尽快处理。", 2, None),
)
ANSWERS = {
    "praise": "感谢您的肯定，我们已将您的表扬转达该窗口，并将继续做好服务。",
    "inquiry": "您好，具体办理条件和所需材料已电话告知，也可在网上服务大厅查询办事指南。",
    "complaint": "经核实情况属实，已督促相关科室整改，感谢您的监督。",
    "suggestion": "感谢您的建议，已转相关科室研究，将结合实际逐步改进。",
}


def _person(person_id: int) -> Principal:
    return Principal(user_id=0, username=f"demo-person-{person_id}", role="citizen",
                     person_id=person_id)


def _file(session: Session, who: Principal, region: str, item: tuple[object, ...],
          today: date) -> None:
    kind, subject, text, ago, answered = item
    assert isinstance(ago, int)
    on = today - timedelta(days=ago)
    row = service.submit(session, who, FeedbackCreate(
        kind=str(kind), subject=str(subject), text=str(text)), today=on)
    if isinstance(answered, int):
        clerk = Principal(user_id=0, username=CLERKS.get(region, "admin"), role="clerk",
                          region_code=row.region)
        service.reply(session, clerk, row.id, ANSWERS[str(kind)],
                      today=min(on + timedelta(days=answered), today))


def seed_demo_feedback(factory: sessionmaker[Session], citizen_person_id: int | None = None,
                       employer_id: int | None = None) -> int:
    """Load the demo; returns the number of feedback items made (0 when there)."""
    today = date.today()
    with unit_of_work(factory) as session:
        if session.scalar(select(func.count()).select_from(Feedback)):
            return 0
        made = 0
        for region in CLERKS:
            people = list(session.scalars(select(Person.id).where(
                Person.residence_region == region, Person.status == "alive",
                Person.id != (citizen_person_id or 0))
                .order_by(Person.id).limit(len(ITEMS))))
            for person_id, item in zip(people, ITEMS, strict=False):
                _file(session, _person(person_id), region, item, today)
                made += 1
        if citizen_person_id is not None:
            me = _person(citizen_person_id)
            _file(session, me, "500103", ITEMS[4], today)
            _file(session, me, "500103", ITEMS[2], today)
            made += 2
        if employer_id is not None:
            unit = Principal(user_id=0, username="demo-employer", role="employer",
                             employer_id=employer_id)
            _file(session, unit, "500103", ("suggestion", "简化单位增员批量导入", "批量增员"
                  "模板字段较多，建议提供填写示例并支持从上月名单复制。", 12, None), today)
            made += 1
        return made
