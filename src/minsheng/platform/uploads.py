"""Uploaded files: read them with a size limit, and check that an image really is one
by decoding it (Pillow), so that a damaged or disguised file is a 422 with a reason
and never stored."""

from __future__ import annotations

import io
import warnings
from typing import BinaryIO

from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from minsheng.platform.errors import RuleViolation, invalid_field

#: The largest table (CSV or Excel) an import or a bank return may be.
MAX_TABLE_BYTES = 20 * 1024 * 1024
#: The largest photo that may be attached to a record.
MAX_IMAGE_BYTES = 5 * 1024 * 1024
#: The most pixels a photo may have (a 50-megapixel camera); more is refused before
#: decoding, so that a small file cannot expand into gigabytes (a decompression bomb).
MAX_IMAGE_PIXELS = 50_000_000
#: Image formats accepted for photos, by the name Pillow gives them, and their MIME type.
PHOTO_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def read_limited(file: BinaryIO, limit: int, field: str = "file") -> bytes:
    """The content of an uploaded ``file``; a file larger than ``limit`` bytes is a
    ``RuleViolation`` naming ``field``."""
    content = file.read(limit + 1)
    if len(content) > limit:
        megabytes = limit // (1024 * 1024)
        raise invalid_field(field, f"文件不能超过 {megabytes} MB",
                            f"the file may be at most {megabytes} MB")
    return content


class _TooLarge(Exception):
    pass


def _not_an_image() -> Exception:
    return invalid_field("file", "照片应为完整可读的 JPEG、PNG 或 WebP 图片",
                         "a photo must be a complete, readable JPEG, PNG or WebP image")


def verify_image(content: bytes, formats: dict[str, str] | None = None) -> str:
    """The MIME type of ``content`` if it decodes completely as one of ``formats``
    (default :data:`PHOTO_FORMATS`) within :data:`MAX_IMAGE_BYTES` and
    :data:`MAX_IMAGE_PIXELS`; otherwise a ``RuleViolation`` on the field ``file``.

    Pillow's ``verify()`` checks the structure (chunk checksums of a PNG, markers of a
    JPEG) without decoding; the image is then opened again and ``load()`` decodes every
    pixel, which finds truncated or corrupt image data that ``verify()`` lets through."""
    allowed = formats or PHOTO_FORMATS
    if len(content) > MAX_IMAGE_BYTES:
        megabytes = MAX_IMAGE_BYTES // (1024 * 1024)
        raise invalid_field("file", f"照片不能超过 {megabytes} MB",
                            f"a photo may be at most {megabytes} MB")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=list(allowed)) as probe:
                image_format = probe.format or ""
                width, height = probe.size
                probe.verify()
            if width * height > MAX_IMAGE_PIXELS:
                raise _TooLarge
            with Image.open(io.BytesIO(content), formats=[image_format]) as image:
                image.load()
    except _TooLarge:
        raise invalid_field("file", "照片像素过多（不超过 5000 万像素）",
                            "the photo has too many pixels (at most 50 megapixels)") from None
    except Exception as exc:  # Pillow raises many types for a damaged file
        raise _not_an_image() from exc
    if image_format not in allowed:
        raise _not_an_image()
    return allowed[image_format]


#: The largest supporting document (a scanned PDF or a photo of a paper) a case accepts.
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
#: The most pages a supporting PDF may have.
MAX_ATTACHMENT_PAGES = 50
#: Supporting documents: PDF, or a JPEG photo of a paper.
ATTACHMENT_TYPES = {"application/pdf": "PDF", "image/jpeg": "JPEG"}


def _not_a_document() -> Exception:
    return invalid_field("file", "材料应为完整可读的 PDF 文件或 JPEG 图片",
                         "a document must be a complete, readable PDF or JPEG file")


def verify_pdf(content: bytes) -> None:
    """``content`` parses as a whole PDF (pypdf: header, cross-reference table, every
    page object) that is not encrypted and has at most :data:`MAX_ATTACHMENT_PAGES`
    pages; otherwise a ``RuleViolation`` on the field ``file``."""
    if not content.startswith(b"%PDF-"):
        raise _not_a_document()
    try:
        reader = PdfReader(io.BytesIO(content), strict=True)
        if reader.is_encrypted:
            raise invalid_field("file", "PDF 文件不能加密", "the PDF must not be encrypted")
        pages = len(reader.pages)
        for page in reader.pages:
            page.get_contents()
    # pypdf signals a damaged file with its own errors and, deep in a broken object, with
    # the built-in ones its parser meets.
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError) as exc:
        raise _not_a_document() from exc
    if not 1 <= pages <= MAX_ATTACHMENT_PAGES:
        raise invalid_field("file", f"PDF 文件应有 1–{MAX_ATTACHMENT_PAGES} 页",
                            f"a PDF must have 1-{MAX_ATTACHMENT_PAGES} pages")


def verify_attachment(content: bytes) -> str:
    """The MIME type of a supporting document if it is a whole PDF or JPEG within
    :data:`MAX_ATTACHMENT_BYTES` (by its content, never its name); otherwise a
    ``RuleViolation`` on the field ``file``."""
    if not content:
        raise invalid_field("file", "请选择要上传的材料", "choose a file to upload")
    if len(content) > MAX_ATTACHMENT_BYTES:
        megabytes = MAX_ATTACHMENT_BYTES // (1024 * 1024)
        raise invalid_field("file", f"材料不能超过 {megabytes} MB",
                            f"a document may be at most {megabytes} MB")
    if content.startswith(b"%PDF-"):
        verify_pdf(content)
        return "application/pdf"
    try:
        return verify_image(content, {"JPEG": "image/jpeg"})
    except RuleViolation:
        raise _not_a_document() from None
