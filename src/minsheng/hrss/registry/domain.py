"""People, households and employers (人员与单位登记)."""

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.registry import api, cli, models, pages, timeline_pages
from minsheng.platform.domain import Domain, templates_beside
from minsheng.platform.security.history import HistorySource
from minsheng.platform.web.templating import NavItem


def person_subjects(session: Session, person_id: int) -> Iterable[tuple[str, Iterable[object]]]:
    """The person's household (its creation and members joining it)."""
    household = session.scalar(select(models.Person.household_id)
                               .where(models.Person.id == person_id))
    return [("household", [household])] if household is not None else []


HISTORY = HistorySource(
    labels={"person.register": "人员登记", "person.update": "修改人员信息",
            "person.death": "死亡登记", "person.read": "查阅人员信息",
            "person.read_cross_region": "全市通办跨区查阅", "person.read_history": "查阅变更记录",
            "person.read_summary": "下载人员信息摘要", "household.create": "建立户籍信息",
            "household.add_member": "加入家庭户"},
    fields={"household_no": "户编号"},
    subjects=person_subjects)

DOMAIN = Domain(
    name="registry", label="人员与单位登记", order=10, models=models,
    api=[api.router], pages=[pages.router, timeline_pages.router],
    templates=templates_beside(__file__),
    nav=[NavItem("人员登记", "/persons", "persons", "registry:read", order=10),
         NavItem("单位登记", "/employers", "employers", "registry:read", order=11),
         NavItem("批量导入", "/imports", "imports", "registry:import", order=12)],
    cli=[("import", cli.app)],
    history=[HISTORY],
)
