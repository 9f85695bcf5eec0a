"""What the ecology pages share: who may see them, raw form fields, error display, and
the background polygons of the drawing pad."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from minsheng.ecology.overview import service as overview
from minsheng.platform.errors import DomainError
from minsheng.platform.security.principal import Principal
from minsheng.platform.web.forms import field_messages, only_region, parse_form, region_groups
from minsheng.platform.web.templating import Viewer, page_user_with

EcoReader = Annotated[Viewer, Depends(page_user_with("ecology:read"))]
EcoWriter = Annotated[Viewer, Depends(page_user_with("ecology:write"))]
#: Chongqing's extent, the drawing pad's view when no site is on record yet.
CHONGQING_BOX = (105.28, 28.16, 110.19, 32.2)

__all__ = ["EcoReader", "EcoWriter", "FormFields", "background", "error_context",
           "field_messages", "only_region", "parse_form", "region_groups"]


async def form_fields(request: Request) -> dict[str, str]:
    """The submitted form's text fields as they were typed (to show them again)."""
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


FormFields = Annotated[dict[str, str], Depends(form_fields)]


def error_context(error: DomainError | None) -> dict[str, Any]:
    return {"errors": field_messages(error) if error else {},
            "problem": error.as_problem() if error else None}


def _box(box: tuple[float, float, float, float]) -> dict[str, Any]:
    x0, y0, x1, y1 = box
    return {"type": "Feature", "properties": {"id": "extent", "layer": "extent", "name": ""},
            "geometry": {"type": "Polygon",
                         "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}}


def background(session: Session, actor: Principal) -> dict[str, Any]:
    """The sites in scope (context for drawing a new one) and an invisible extent."""
    features = overview.map_features(session, actor)
    xs = [pt[0] for f in features for pt in _points(f["geometry"])]
    ys = [pt[1] for f in features for pt in _points(f["geometry"])]
    box = (min(xs) - 0.02, min(ys) - 0.02, max(xs) + 0.02, max(ys) + 0.02) if xs \
        else CHONGQING_BOX
    return {"type": "FeatureCollection", "features": [_box(box), *features]}


def _points(geometry: dict[str, Any]) -> list[list[float]]:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" \
        else geometry["coordinates"]
    return [pt for polygon in polygons for pt in polygon[0]]
