"""The public certificate verification page (参保证明核验): what the QR code opens.

No sign-in; read-only. Shows whether the code names a certificate issued here, when and
by whom it was issued, to whom (name and ID masked; a unit by name), what it certifies,
and whether its content still matches the SM3 digest recorded at issue.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from minsheng.hrss.insurance.certificates import service as certificates
from minsheng.hrss.insurance.service import SCHEME_LABELS
from minsheng.platform import regions
from minsheng.platform.web.deps import SessionDep
from minsheng.platform.web.templating import page_router, render

router = page_router()

PAGE = "insurance/certificate_verify.html"


def _local(text: str | None) -> str:
    if not text:
        return ""
    moment = datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return moment.astimezone(certificates.LOCAL_TIME).strftime("%Y年%m月%d日 %H:%M")


@router.get("/certificates/verify")
def verify_form(request: Request, code: str = "") -> Response:
    """Type a verification code; a typed code goes to its result page."""
    if code.strip():
        normalised = certificates.normalise_code(code)
        if normalised is not None:
            return RedirectResponse(certificates.VERIFY_PATH + normalised, status_code=303)
        return render(request, PAGE, {"title": "参保证明核验", "code": code.strip()[:64],
                                      "result": None, "malformed": True}, status_code=404)
    return render(request, PAGE, {"title": "参保证明核验", "code": "", "result": None,
                                  "malformed": False})


@router.get("/certificates/verify/{code}")
def verify_page(request: Request, session: SessionDep, code: str) -> HTMLResponse:
    """The verification result of one code, in Chinese (404 when not valid)."""
    result = certificates.verify_certificate(session, code)
    summary = result.summary or {}
    return render(request, PAGE, {
        "title": "参保证明核验", "code": result.code, "result": result,
        "malformed": False, "reason": result.reason.split(" / ")[0],
        "kind_label": certificates.KIND_LABELS.get(result.kind or "", "参保证明"),
        "issued_local": _local(result.issued_at), "summary": summary,
        "schemes": SCHEME_LABELS,
        "region_name": regions.name_of(str(summary.get("region", ""))) or "",
    }, status_code=200 if result.valid else 404)
