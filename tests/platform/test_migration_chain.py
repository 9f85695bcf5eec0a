"""The migrations form one chain: a single head, every revision reachable from it."""

from __future__ import annotations

from alembic.script import ScriptDirectory

from minsheng.platform.db import alembic_config


def test_one_head_and_one_chain() -> None:
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    heads = scripts.get_heads()
    assert len(heads) == 1, f"several heads: {heads}"
    chain = [s.revision for s in scripts.walk_revisions()]
    assert len(chain) == len(set(chain)) == len(list(scripts.walk_revisions()))
    assert chain[-1] == "0001" and chain[0] == heads[0]
