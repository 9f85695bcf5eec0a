"""``python -m minsheng.app.cli``: the same command line as ``minsheng``."""

from minsheng.app.cli import app

app()
