"""Labour relations use cases: disputes (``disputes``), inspection complaints
(``complaints``), contracts and tripartite bodies (``contracts``)."""

from minsheng.hrss.labour.service import complaints, contracts, disputes

__all__ = ["complaints", "contracts", "disputes"]
