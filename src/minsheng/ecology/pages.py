"""Every ecology page router, included once by ``minsheng.web.pages``."""

from __future__ import annotations

from fastapi import APIRouter

from minsheng.ecology.greenmines import pages as greenmines_pages
from minsheng.ecology.land import pages as land_pages
from minsheng.ecology.mines import pages as mines_pages
from minsheng.ecology.overview import pages as overview_pages
from minsheng.ecology.restoration import pages as restoration_pages
from minsheng.ecology.sand import pages as sand_pages

router = APIRouter(include_in_schema=False)
for module in (overview_pages, mines_pages, restoration_pages, greenmines_pages, sand_pages,
               land_pages):
    router.include_router(module.router)
