"""Chinese free text → search terms, by jieba word segmentation (search-engine mode).

The same segmentation is applied to the indexed text (vacancy title and description,
a seeker's skills and summary) and to the query, so that ``软件工程师`` in a query finds
``软件``/``工程师`` in a posting. Single Chinese characters and common function words are
dropped; Latin words are lower-cased (``Python``, ``CAD``).
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from threading import Lock
from typing import Any

import jieba

MAX_TERM_LENGTH = 32
#: Words that carry no meaning for matching jobs.
STOP_WORDS = frozenset((
    "我们", "你们", "他们", "负责", "相关", "以上", "以下", "具有", "具备",
    "能够", "可以", "优先", "要求", "工作", "岗位", "经验", "熟悉", "良好",
    "一定", "进行", "及其", "以及", "或者", "并且", "其他", "公司", "单位",
    "人员", "招聘", "需要", "能力", "一年", "两年", "三年", "年以上", "有限公司",
    "有限", "责任", "一份", "会用", "想找", "计工", "the", "and", "for",
    "with",
))
#: Job words jieba's default dictionary splits too finely or misses.
EXTRA_WORDS = ("叉车司机", "育婴师", "保洁员", "数控车床", "电商运营", "直播带货", "网约车",
               "护理员", "收银员", "汽修", "焊工", "电焊工", "钳工", "普工", "月嫂", "养老护理员")
_LATIN = re.compile(r"^[a-z0-9][a-z0-9+#.\-]*$")
_lock = Lock()
_ready = False


def _tokenizer() -> Any:
    global _ready
    if not _ready:
        with _lock:
            if not _ready:
                jieba.setLogLevel(logging.WARNING)
                for word in EXTRA_WORDS:
                    jieba.add_word(word, freq=20000)
                jieba.initialize()
                _ready = True
    return jieba


def _keep(token: str) -> bool:
    if token in STOP_WORDS or len(token) > MAX_TERM_LENGTH:
        return False
    if token.isascii():
        return (len(token) >= 2 and bool(_LATIN.match(token))) or token in ("c", "r")
    return len(token) >= 2 and not token.isdigit()


@lru_cache(maxsize=65536)
def terms(text: str) -> tuple[str, ...]:
    """The distinct search terms of ``text`` in order of first appearance."""
    seen: dict[str, None] = {}
    for raw in _tokenizer().cut_for_search(text or ""):
        token = raw.strip().lower()
        if token and _keep(token):
            seen.setdefault(token, None)
    return tuple(seen)


def weighted_terms(title: str, body: str) -> dict[str, int]:
    """Terms of a posting with their weight: 3 for a word of the title, 1 for the body."""
    weights = dict.fromkeys(terms(body), 1)
    weights.update(dict.fromkeys(terms(title), 3))
    return weights
