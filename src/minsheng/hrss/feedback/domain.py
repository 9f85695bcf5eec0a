"""意见建议 (feedback): a citizen or employer submits a question, suggestion, complaint or
praise; it waits on the workbench of the staff who reply in the submitter's district, due
in the bureau's number of working days; the reply closes it and its case (办件)."""

from minsheng.hrss.feedback import api, models, pages, service
from minsheng.platform.domain import Domain, templates_beside
from minsheng.platform.web.templating import NavItem

DOMAIN = Domain(
    name="feedback", label="意见建议", order=115, models=models,
    api=[api.router], pages=[pages.router], templates=templates_beside(__file__),
    nav=[NavItem("意见建议", "/feedback", "feedback", "feedback:read", order=115)],
    work=[service.waiting_work],
)
