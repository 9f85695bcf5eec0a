"""The public pension estimator (养老金测算): a page and an API anyone may use, over the
pure formulas in ``pension.rules`` and the regional parameters in force."""
