"""Who may use the ecology pages and API: the permission dependencies every ecology
domain declares its routes with."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from minsheng.platform.security.principal import Principal
from minsheng.platform.web.deps import require
from minsheng.platform.web.templating import Viewer, page_user_with

#: API callers who may read / change ecology records.
EcologyReader = Annotated[Principal, Depends(require("ecology:read"))]
EcologyWriter = Annotated[Principal, Depends(require("ecology:write"))]
#: Page viewers who may read / change ecology records.
EcoReader = Annotated[Viewer, Depends(page_user_with("ecology:read"))]
EcoWriter = Annotated[Viewer, Depends(page_user_with("ecology:write"))]
