"""Proof-of-enrolment certificates (参保证明): download the PDF, verify a code (public)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from minsheng.hrss.insurance.certificates import service as certificates
from minsheng.hrss.insurance.schemas import CertificateVerify
from minsheng.platform.types import IdPath
from minsheng.platform.web.deps import CurrentUser, SessionDep

router = APIRouter(prefix="/api/v1", tags=["insurance"])


@router.get(
    "/persons/{person_id}/certificate.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}},
                     "description": "参保证明 PDF (A4)"}},
)
def download_certificate(
    person_id: IdPath, request: Request, session: SessionDep, actor: CurrentUser
) -> Response:
    """Issue a certificate: staff with ``registry:read`` for a person in their region,
    or a citizen for themself (checked in the service; anyone else gets 404)."""
    certificate, pdf = certificates.issue_certificate(
        session, actor, person_id, verify_base_url=str(request.base_url)
    )
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="certificate-{certificate.code}.pdf"',
        "Cache-Control": "no-store",
    })


@router.get(
    "/certificates/verify/{code}",
    response_model=CertificateVerify,
    responses={404: {"model": CertificateVerify,
                     "description": "Unknown, malformed or altered certificate (valid=false)"}},
)
def verify_certificate(code: str, session: SessionDep) -> JSONResponse:
    """Public, no sign-in: 200 with the masked holder and the certified facts when the
    code names an unaltered certificate; otherwise 404 with ``valid: false`` and why."""
    result = certificates.verify_certificate(session, code)
    return JSONResponse(result.model_dump(mode="json"), status_code=200 if result.valid else 404)
