"""Talent-records use cases: certificates, titles and credentials (``records``),
introductions and events (``introductions``), postdoctoral stations and competition
results (``postdoc``), the counts (``counts``) and the bulk import (``uploads``).

:func:`credentials` is the surface other domains read (the talent service card)."""

from minsheng.hrss.talent.service import counts, introductions, postdoc, records, uploads
from minsheng.hrss.talent.service.records import Credentials, credentials

__all__ = ["Credentials", "counts", "credentials", "introductions", "postdoc", "records",
           "uploads"]
