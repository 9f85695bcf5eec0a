"""Cases (办件), as the app assembles them."""

from minsheng.platform.cases import models, pages
from minsheng.platform.domain import Domain, templates_beside

DOMAIN = Domain(name="cases", label="办件", order=3, models=models, pages=[pages.router],
                templates=templates_beside(__file__))
