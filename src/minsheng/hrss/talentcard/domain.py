"""英才服务卡 (talent service card): eligibility tiers and the service catalogue as dated
data; apply → review → issue, renew, revoke, expire; services booked on a card with a
working-day deadline, delivered and rated; the overdue work-list; QR verification."""

from minsheng.hrss.talentcard import api, history, indicators, models, pages
from minsheng.hrss.talentcard.service import work
from minsheng.platform.domain import Domain, templates_beside
from minsheng.platform.web.templating import NavItem

DOMAIN = Domain(
    name="talentcard", label="英才服务卡", order=97, models=models,
    api=[api.router], pages=[pages.router], templates=templates_beside(__file__),
    nav=[NavItem("英才服务卡", "/talent/cards", "talentcard", "talent:read", order=97)],
    indicators=indicators.INDICATORS, work=[work.waiting_work], history=[history.HISTORY],
)
