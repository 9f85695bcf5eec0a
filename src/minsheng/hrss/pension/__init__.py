"""Pensions (养老保险待遇): the estimator, awards, monthly payroll and eligibility
certification. The law lives in :mod:`minsheng.hrss.pension.rules`."""
