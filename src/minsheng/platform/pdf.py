"""PDF documents in Chinese: the CJK font every official document (参保证明, decision
notices, summaries) is set in, registered with reportlab once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

#: TrueType CJK fonts that reportlab can embed (as a subset), best first, with the
#: face index inside a .ttc collection. Debian: fonts-wqy-zenhei, fonts-wqy-microhei,
#: fonts-arphic-uming, fonts-droid-fallback. Noto CJK (fonts-noto-cjk) is not listed:
#: it has CFF (PostScript) outlines, which reportlab cannot embed.
CJK_TRUETYPE_CANDIDATES: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
)
#: Adobe's standard Simplified-Chinese CID font: every PDF reader must supply it, so
#: nothing is embedded and the glyphs come from the reader's own CJK font.
CJK_CID_FALLBACK = "STSong-Light"


@dataclass(frozen=True)
class CjkFont:
    name: str
    embedded: bool
    source: str


@lru_cache
def cjk_font(candidates: tuple[tuple[str, int], ...] = CJK_TRUETYPE_CANDIDATES) -> CjkFont:
    """The font official documents are set in, registered with reportlab once.

    The first installed TrueType CJK font among ``candidates`` is embedded (subset), so
    the PDF looks the same everywhere; if none is installed or loadable, the CID font
    STSong-Light is used, which readers render with a CJK font of their own.
    """
    for path, index in candidates:
        if not Path(path).is_file():
            continue
        name = f"MinshengCJK-{Path(path).stem}-{index}"
        try:
            pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))
        except TTFError:  # e.g. CFF outlines: try the next candidate
            continue
        return CjkFont(name, embedded=True, source=path)
    pdfmetrics.registerFont(UnicodeCIDFont(CJK_CID_FALLBACK))
    return CjkFont(CJK_CID_FALLBACK, embedded=False, source="cid")
