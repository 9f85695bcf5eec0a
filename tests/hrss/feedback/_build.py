"""What the feedback tests share: portal accounts of a citizen and of an employer, and a
submission made as one of them."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from minsheng.hrss.feedback import service
from minsheng.hrss.feedback.models import Feedback
from minsheng.hrss.feedback.schemas import FeedbackCreate
from minsheng.platform.security import service as security
from minsheng.platform.security.principal import SYSTEM, Principal
from tests import factories as f

TEXT = "窗口办理社保卡补换时排队时间较长，建议增加自助设备。"


def citizen(session: Session, region: str = "500103", name: str = "李意见") -> Principal:
    person = f.person(session, name=name, residence_region=region)
    account = security.add_user(session, actor=SYSTEM, username=f"fb-p{person.id}",
                                role="citizen", password=f.PASSWORD, person_id=person.id)
    return security.principal_of(account)


def employer(session: Session, region: str = "500102") -> Principal:
    unit = f.employer(session, region=region, name="重庆意见建议测试有限公司")
    account = security.add_user(session, actor=SYSTEM, username=f"fb-e{unit.id}",
                                role="employer", password=f.PASSWORD, employer_id=unit.id)
    return security.principal_of(account)


def submit(session: Session, actor: Principal, *, on: date | None = None,
           kind: str = "suggestion", subject: str = "社保卡补换排队",
           text: str = TEXT, phone: str = "") -> Feedback:
    return service.submit(session, actor, FeedbackCreate(
        kind=kind, subject=subject, text=text, phone=phone), today=on)
