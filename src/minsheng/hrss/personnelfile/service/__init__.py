"""Personnel-file use cases: custodians and the custody register (``custody``), transfers
between custodians (``transfers``), the digital index and the missing items (``items``)."""

from minsheng.hrss.personnelfile.service import custody, items, peer, transfers

__all__ = ["custody", "items", "peer", "transfers"]
