"""Uploaded files: read them with a size limit, and check that an image really is one
by decoding it (Pillow), so that a damaged or disguised file is a 422 with a reason
and never stored."""

from __future__ import annotations

import io
import warnings
from typing import BinaryIO

from PIL import Image

from minsheng.platform.errors import invalid_field

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
