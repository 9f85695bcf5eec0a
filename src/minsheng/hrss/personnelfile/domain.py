"""Personnel files (人事档案): custodians, the custody register, transfers between
custodians with dispatch and receipt confirmation, the digital file index and the
missing-item work-list."""

from minsheng.hrss.personnelfile import api, history, models, pages
from minsheng.hrss.personnelfile.service import peer
from minsheng.platform.domain import Domain, templates_beside
from minsheng.platform.web.templating import NavItem

DOMAIN = Domain(
    name="personnelfile", label="人事档案", order=112, models=models,
    api=[api.router], pages=[pages.router], templates=templates_beside(__file__),
    nav=[NavItem("人事档案", "/talent/files", "personnelfile", "talent:read", order=112)],
    envelope_kinds=peer.KINDS, history=[history.HISTORY],
)
