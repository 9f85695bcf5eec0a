"""Proof-of-enrolment certificates (参保证明): download the PDF (a person's, an
employee's for their employer, the unit's), verify a code (public)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from minsheng.hrss.insurance.certificates import service as certificates
from minsheng.hrss.insurance.models import Certificate
from minsheng.hrss.insurance.schemas import CertificateVerify
from minsheng.platform.types import IdPath
from minsheng.platform.web.deps import CurrentUser, SessionDep

router = APIRouter(prefix="/api/v1", tags=["insurance"])

PDF_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"content": {"application/pdf": {}}, "description": "参保证明 PDF (A4)"}}


def _pdf(certificate: Certificate, pdf: bytes) -> Response:
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="certificate-{certificate.code}.pdf"',
        "Cache-Control": "no-store",
    })


@router.get("/persons/{person_id}/certificate.pdf", response_class=Response,
            responses=PDF_RESPONSES)
def download_certificate(
    person_id: IdPath, request: Request, session: SessionDep, actor: CurrentUser
) -> Response:
    """Issue a certificate: staff with ``registry:read`` for a person in their region,
    or a citizen for themself (checked in the service; anyone else gets 404)."""
    return _pdf(*certificates.issue_certificate(
        session, actor, person_id, verify_base_url=str(request.base_url)))


@router.get("/employers/{employer_id}/certificate.pdf", response_class=Response,
            responses=PDF_RESPONSES)
def download_employer_certificate(
    employer_id: IdPath, request: Request, session: SessionDep, actor: CurrentUser
) -> Response:
    """The unit's 单位参保证明: the employer's own account, or staff who read employers
    in their scope; another unit is 404."""
    return _pdf(*certificates.issue_employer_certificate(
        session, actor, employer_id, verify_base_url=str(request.base_url)))


@router.get("/employers/{employer_id}/employees/{person_id}/certificate.pdf",
            response_class=Response, responses=PDF_RESPONSES)
def download_employee_certificate(
    employer_id: IdPath, person_id: IdPath, request: Request, session: SessionDep,
    actor: CurrentUser,
) -> Response:
    """A 个人参保证明 issued to the employer for a current or former employee (someone
    enrolled through it); anyone else is 404."""
    return _pdf(*certificates.issue_employee_certificate(
        session, actor, employer_id, person_id, verify_base_url=str(request.base_url)))


def _wants_html(request: Request) -> bool:
    """A browser (a phone that scanned the QR code of a certificate printed before the
    code pointed at the verification page) rather than a program."""
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "application/json" not in accept


@router.get(
    "/certificates/verify/{code}",
    response_model=CertificateVerify,
    responses={404: {"model": CertificateVerify,
                     "description": "Unknown, malformed or altered certificate (valid=false)"},
               303: {"description": "A browser is sent to the verification page"}},
)
def verify_certificate(code: str, request: Request, session: SessionDep) -> Response:
    """Public, no sign-in: 200 with the masked holder and the certified facts when the
    code names an unaltered certificate; otherwise 404 with ``valid: false`` and why.
    A browser asking for HTML is redirected to the human page ``/certificates/verify/{code}``."""
    if _wants_html(request):
        normalised = certificates.normalise_code(code)
        if normalised is not None:
            return RedirectResponse(certificates.VERIFY_PATH + normalised, status_code=303)
    result = certificates.verify_certificate(session, code)
    return JSONResponse(result.model_dump(mode="json"), status_code=200 if result.valid else 404)
