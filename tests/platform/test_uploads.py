"""Uploaded images and supporting documents are checked by decoding them (Pillow, pypdf),
not by their first bytes or their names."""

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


def _pdf(pages: int = 1) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer)
    for number in range(pages):
        drawing.drawString(72, 720, f"page {number + 1}")
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()


class TestSupportingDocuments:
    def test_a_whole_pdf_and_a_jpeg_are_accepted(self) -> None:
        assert uploads.verify_attachment(_pdf(2)) == "application/pdf"
        assert uploads.verify_attachment(_image("JPEG")) == "image/jpeg"

    @pytest.mark.parametrize("content", [
        b"%PDF-1.4\n" + b"0" * 200,  # a header and nothing a reader can follow
        _pdf()[:-200],  # cut short: the cross-reference table is gone
        b"GIF89a" + b"\0" * 64,
        b"plain text named report.pdf",
    ], ids=["header-only", "cut-short", "gif", "text"])
    def test_a_damaged_or_disguised_file_is_refused(self, content: bytes) -> None:
        with pytest.raises(RuleViolation) as refused:
            uploads.verify_attachment(content)
        assert refused.value.errors[0].field == "file"

    def test_a_png_is_not_a_supporting_document(self) -> None:
        with pytest.raises(RuleViolation, match="PDF 文件或 JPEG 图片"):
            uploads.verify_attachment(_image("PNG"))

    def test_an_encrypted_pdf_is_refused(self) -> None:
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter()
        writer.append(PdfReader(io.BytesIO(_pdf())))
        writer.encrypt("secret")
        buffer = io.BytesIO()
        writer.write(buffer)
        with pytest.raises(RuleViolation, match="加密"):
            uploads.verify_attachment(buffer.getvalue())

    def test_size_and_page_limits(self) -> None:
        too_many = uploads.MAX_ATTACHMENT_PAGES + 1
        with pytest.raises(RuleViolation, match=f"1–{uploads.MAX_ATTACHMENT_PAGES} 页"):
            uploads.verify_attachment(_pdf(too_many))
        padded = _pdf() + b"\n%" + b"x" * uploads.MAX_ATTACHMENT_BYTES
        with pytest.raises(RuleViolation, match="不能超过 10 MB"):
            uploads.verify_attachment(padded)
        with pytest.raises(RuleViolation, match="请选择"):
            uploads.verify_attachment(b"")
