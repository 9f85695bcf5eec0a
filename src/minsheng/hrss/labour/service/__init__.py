"""Labour relations use cases: disputes (``disputes``), inspection complaints
(``complaints``), contracts and tripartite bodies (``contracts``)."""

from minsheng.hrss.labour.service import complaints, contracts, disputes
from minsheng.hrss.labour.service._common import OPEN

__all__ = ["OPEN", "complaints", "contracts", "disputes"]
