"""Social-insurance enrolment and contributions (参保缴费)."""

from sqlalchemy.orm import Session

from minsheng.hrss.insurance import api, cli, indicators, models, pages, service
from minsheng.hrss.insurance.certificates import api as certificate_api
from minsheng.hrss.insurance.certificates import pages as certificate_pages
from minsheng.platform.domain import Domain, templates_beside
from minsheng.platform.security.principal import Principal
from minsheng.platform.web.links import LinkSource, RecordLink
from minsheng.platform.web.templating import NavItem


def person_links(session: Session, actor: Principal, person_id: int,
                 state: str) -> list[RecordLink]:
    if not actor.can("insurance:read"):
        return []
    return [RecordLink("参保与缴费", f"/persons/{person_id}/insurance", "person-insurance-link")]


DOMAIN = Domain(
    name="insurance", label="参保缴费", order=20, models=models,
    api=[api.router, certificate_api.router], pages=[pages.router, certificate_pages.router],
    templates=templates_beside(__file__),
    nav=[NavItem("参保缴费", "/insurance", "insurance", "insurance:read", order=20)],
    cli=[("contributions", cli.app)],
    links=[LinkSource("person", person_links, order=20)],
    indicators=indicators.INDICATORS,
    work=[service.waiting_work],
)
