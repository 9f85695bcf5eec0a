"""Labour relations (劳动关系): labour disputes in arbitration, labour-inspection
complaints, labour contracts and the signing rate, tripartite coordination bodies."""

from minsheng.hrss.labour import api, indicators, models, pages
from minsheng.hrss.labour.service import complaints, disputes
from minsheng.platform.domain import Domain, templates_beside
from minsheng.platform.web.templating import NavItem

DOMAIN = Domain(
    name="labour", label="劳动关系", order=95, models=models,
    api=[api.router], pages=[pages.router], templates=templates_beside(__file__),
    nav=[NavItem("劳动关系", "/labour", "labour", "labour:read", order=95)],
    indicators=indicators.INDICATORS,
    work=[disputes.waiting_work, complaints.waiting_work],
)
