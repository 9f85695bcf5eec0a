"""Uploaded images are checked by decoding them (Pillow), not by their first bytes."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from minsheng.platform import uploads
from minsheng.platform.errors import RuleViolation


def _image(fmt: str, size: tuple[int, int] = (16, 9), mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, format=fmt)
    return buffer.getvalue()


class TestVerifyImage:
    @pytest.mark.parametrize(("fmt", "mime"), [("PNG", "image/png"), ("JPEG", "image/jpeg"),
                                               ("WEBP", "image/webp")])
    def test_a_complete_image_gives_the_type_of_its_content(self, fmt: str, mime: str) -> None:
        assert uploads.verify_image(_image(fmt)) == mime

    def test_a_jpeg_cut_short_is_refused(self) -> None:
        content = _image("JPEG", (200, 200))
        with pytest.raises(RuleViolation) as refused:
            uploads.verify_image(content[: len(content) // 2])
        assert refused.value.errors[0].field == "file"

    def test_a_png_whose_image_data_is_damaged_is_refused(self) -> None:
        content = bytearray(_image("PNG", (64, 64)))
        idat = content.index(b"IDAT")
        content[idat + 10: idat + 14] = b"\xde\xad\xbe\xef"
        with pytest.raises(RuleViolation):
            uploads.verify_image(bytes(content))

    def test_a_format_not_accepted_is_refused(self) -> None:
        with pytest.raises(RuleViolation):
            uploads.verify_image(_image("GIF", mode="P"))

    def test_too_many_pixels_is_refused_before_decoding(self) -> None:
        # 60 megapixels of one bit each: a small file that would decode into a big image.
        content = _image("PNG", (10_000, 6_000), mode="1")
        assert len(content) < uploads.MAX_IMAGE_BYTES
        with pytest.raises(RuleViolation) as refused:
            uploads.verify_image(content)
        assert "像素" in refused.value.errors[0].message

    def test_read_limited_refuses_a_file_over_the_limit(self) -> None:
        assert uploads.read_limited(io.BytesIO(b"x" * 10), 10) == b"x" * 10
        with pytest.raises(RuleViolation):
            uploads.read_limited(io.BytesIO(b"x" * 11), 10)
