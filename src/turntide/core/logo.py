"""A hotline's logo made safe to show on public pages: PNG, JPEG or WebP in, a fresh PNG out.

An upload is untrusted however trusted its uploader: an SVG can carry script, a crafted
bitmap can attack a decoder or exhaust memory. So only Pillow's PNG, JPEG and WebP decoders
are tried, the pixel count is checked before decoding, and the picture is scaled down and
written anew as PNG: no byte of the upload itself (metadata, trailing data, other frames)
ever reaches a reporter's browser.

>>> from PIL import Image
>>> upload = io.BytesIO()
>>> Image.new("RGB", (1200, 300), "navy").save(upload, "JPEG")
>>> Image.open(io.BytesIO(safe_logo(upload.getvalue()))).size
(640, 160)
>>> safe_logo(b'<svg xmlns="http://www.w3.org/2000/svg"/>')
Traceback (most recent call last):
    ...
turntide.core.logo.InvalidLogo: not a PNG, JPEG or WebP image
"""

from __future__ import annotations

import io
import struct
from typing import Literal

from PIL import Image, ImageOps, UnidentifiedImageError

__all__ = ["FORMATS", "MAX_BYTES", "MAX_PIXELS", "MAX_SIZE", "InvalidLogo", "safe_logo"]

FORMATS = ("PNG", "JPEG", "WEBP")
MAX_BYTES = 1_000_000
# Far above any logo, far below what would strain a web process (4 bytes a pixel).
MAX_PIXELS = 4096 * 4096
# Twice the header's display size, for sharp high-density screens.
MAX_SIZE = (640, 160)


class InvalidLogo(ValueError):
    """The upload cannot be a logo; `kind` says why, for a translated message."""

    def __init__(self, kind: Literal["bytes", "format", "pixels"], message: str) -> None:
        super().__init__(message)
        self.kind = kind


def safe_logo(data: bytes) -> bytes:
    """The logo decoded, scaled to fit `MAX_SIZE` and re-encoded as PNG."""
    if len(data) > MAX_BYTES:
        raise InvalidLogo("bytes", f"larger than {MAX_BYTES:,} bytes")
    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as image:
            if image.width * image.height > MAX_PIXELS:
                raise InvalidLogo("pixels", f"more than {MAX_PIXELS:,} pixels")
            picture = ImageOps.exif_transpose(image).convert("RGBA")
    except InvalidLogo:
        raise
    except (
        UnidentifiedImageError,  # no allowed decoder recognised it
        Image.DecompressionBombError,
        OSError,  # truncated or corrupt data
        SyntaxError,  # Pillow's word for a malformed PNG chunk or header
        ValueError,
        struct.error,
    ):
        raise InvalidLogo("format", "not a PNG, JPEG or WebP image") from None
    picture.thumbnail(MAX_SIZE, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, "PNG", optimize=True)
    return out.getvalue()
