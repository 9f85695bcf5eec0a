"""Green-mine assessments against the national indicator sets (绿色矿山)."""

from minsheng.ecology.greenmines import api, cli, indicators, models, pages, service
from minsheng.platform.domain import Domain, templates_beside

DOMAIN = Domain(name="greenmines", label="绿色矿山", order=83, models=models,
                api=[api.router], pages=[pages.router], templates=templates_beside(__file__),
                cli=[("ecology", cli.app)],
                provides={"ecology.mine_assessments": service.list_assessments},
                indicators=indicators.INDICATORS)
