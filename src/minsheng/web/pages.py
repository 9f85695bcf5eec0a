"""HTML pages (placeholder until the page set lands)."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
