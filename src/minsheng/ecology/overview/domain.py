"""The ecology indicators, map and dashboard (生态修复总览)."""

from minsheng.ecology.overview import api, cli, pages, service
from minsheng.platform.domain import Domain, templates_beside
from minsheng.platform.security.roles import ECOLOGY_WORKSPACE, HRSS_WORKSPACE
from minsheng.platform.web.templating import NavItem

#: The ecology workspace's menu (the natural-resources staff's shell): every ecology page.
#: Social-security staff who read ecology records (administrator, auditor) keep one entry.
ECOLOGY_MENU = (
    ("指标概览", "/ecology", "eco-summary"),
    ("一张图", "/ecology/map", "eco-map"),
    ("矿山登记", "/ecology/mines", "eco-mines"),
    ("红线关闭清单", "/ecology/closures", "eco-closures"),
    ("生态修复", "/ecology/restoration", "eco-restoration"),
    ("绿色矿山", "/ecology/green-mines", "eco-green"),
    ("剩余砂石处置", "/ecology/sand", "eco-sand"),
    ("土地综合整治", "/ecology/land", "eco-land"),
)

DOMAIN = Domain(
    name="overview", label="生态修复总览", order=80,
    api=[api.router], pages=[pages.router], templates=templates_beside(__file__),
    nav=[NavItem("生态修复", "/ecology", "ecology", "ecology:read", order=98,
                 workspace=HRSS_WORKSPACE),
         *(NavItem(label, href, key, "ecology:read", order=order, workspace=ECOLOGY_WORKSPACE)
           for order, (label, href, key) in enumerate(ECOLOGY_MENU, start=80))],
    cli=[("ecology", cli.app)],
    provides={"ecology.drawing_background": service.drawing_background},
)
