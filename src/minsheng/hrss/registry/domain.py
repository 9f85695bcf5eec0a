"""People, households and employers (人员与单位登记)."""

from minsheng.hrss.registry import api, cli, models, pages
from minsheng.platform.domain import Domain, templates_beside
from minsheng.platform.web.templating import NavItem

DOMAIN = Domain(
    name="registry", label="人员与单位登记", order=10, models=models,
    api=[api.router], pages=[pages.router], templates=templates_beside(__file__),
    nav=[NavItem("人员登记", "/persons", "persons", "registry:read", order=10),
         NavItem("单位登记", "/employers", "employers", "registry:read", order=11),
         NavItem("批量导入", "/imports", "imports", "registry:import", order=12)],
    cli=[("import", cli.app)],
)
