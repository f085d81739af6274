"""Image hashes for the hash list: MD5 and SHA-1 of the file's bytes, PDQ of its pixels.

PDQ is Meta's open perceptual hash; its value must agree bit for bit with the reference code, or
members and partners would hash the same picture differently.  So this module computes it with
the `pdqhash` package (a binding of Meta's C++ hasher) and decodes files as Meta's own Python
tools do (python-threatexchange, hasher-matcher-actioner): Pillow, converted to RGB, hashed at
full resolution, with no EXIF rotation and no resizing.  docs/hash-matching.md says which
published reference hashes that reproduces and why the others differ.

Hashing happens on an analyst's secured workstation or in a member's pipeline; the platform
itself receives hashes, never images.

>>> noise = np.random.default_rng(0).integers(0, 256, (24, 32, 3), dtype=np.uint8)
>>> picture = Image.fromarray(noise).resize((640, 480), Image.Resampling.BICUBIC)
>>> hash_image(picture)
PDQHash(hex='6d10f90628ac44204ac87b27de81969e90cb7db691e6ce37d27a893fe95d5c8d', quality=100)
>>> hamming(hash_image(picture).hex, hash_image(picture.resize((160, 120))).hex)
14
>>> hash_bytes(b"just text")
Traceback (most recent call last):
    ...
turntide.core.hashing.NotAnImage: not an image that Pillow can decode
>>> normalize_hash(" D41D8CD98F00B204E9800998ECF8427E ", "md5")
'd41d8cd98f00b204e9800998ecf8427e'
>>> parse_hash("12ab")
Traceback (most recent call last):
    ...
turntide.core.hashing.InvalidHash: a pdq hash is 64 hexadecimal digits, not 4
>>> degenerate_reason("pdq", hash_image(Image.new("RGB", (64, 64))).hex)
'a pdq hash of all zeros: listed, it would flag every black image'
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from typing import BinaryIO, Literal, NamedTuple

import numpy as np
import pdqhash
from PIL import Image, UnidentifiedImageError

__all__ = [
    "HASH_SIZES",
    "FileHashes",
    "HashKind",
    "InvalidHash",
    "NotAnImage",
    "PDQHash",
    "degenerate_reason",
    "hamming",
    "hash_bytes",
    "hash_file",
    "hash_image",
    "normalize_hash",
    "parse_hash",
    "pdq_bytes",
]

type HashKind = Literal["md5", "sha1", "pdq"]

HASH_SIZES: dict[HashKind, int] = {"md5": 16, "sha1": 20, "pdq": 32}
"""Bytes in a hash of each kind (its hexadecimal form has twice as many digits)."""

_HEX_DIGITS = frozenset("0123456789abcdef")

# Hashes that say nothing about a picture, so listing one flags every file that gives it:
# the digests of no bytes at all (an empty or failed download), and the PDQ hashes with every
# bit the same (all zeros: black images of any size, whatever quality is declared for them;
# all ones: the bitwise opposite).  Other flat colours hash to scattered bits of quality 0,
# which the list's quality minimum refuses.
_EMPTY_FILE = "the {} of an empty file: listed, it would flag every empty file"
_DEGENERATE: dict[str, dict[str, str]] = {
    "md5": {"d41d8cd98f00b204e9800998ecf8427e": _EMPTY_FILE.format("md5")},
    "sha1": {"da39a3ee5e6b4b0d3255bfef95601890afd80709": _EMPTY_FILE.format("sha1")},
    "pdq": {
        "0" * 64: "a pdq hash of all zeros: listed, it would flag every black image",
        "f" * 64: "a pdq hash of all ones: it describes no picture",
    },
}
_BLOCK = 1 << 20  # bytes read at a time for the file digests


class InvalidHash(ValueError):
    """A hash value of the wrong length or with characters that are not hexadecimal digits."""


class NotAnImage(ValueError):
    """Bytes that Pillow cannot decode as an image, so they have no PDQ hash."""


class PDQHash(NamedTuple):
    """A PDQ hash (64 hexadecimal digits) and its quality, 0 to 100 (Meta trusts 50 and up)."""

    hex: str
    quality: int


@dataclass(frozen=True, slots=True)
class FileHashes:
    """Every hash of one image file, as `turntide hash` prints them."""

    md5: str
    sha1: str
    pdq_hex: str
    pdq_quality: int


def hash_file(path: str | os.PathLike[str]) -> FileHashes:
    """Hash an image file; `OSError` if it cannot be read, `NotAnImage` if it is no image.

    The image is decoded first, so a video or archive in a folder of pictures is refused after
    reading its first bytes; the file digests are then read in blocks.
    """
    with open(path, "rb") as file:
        pdq = hash_image(_decode(file))
        file.seek(0)
        md5 = hashlib.md5(usedforsecurity=False)
        sha1 = hashlib.sha1(usedforsecurity=False)
        while block := file.read(_BLOCK):
            md5.update(block)
            sha1.update(block)
    return FileHashes(md5.hexdigest(), sha1.hexdigest(), pdq.hex, pdq.quality)


def hash_bytes(data: bytes) -> FileHashes:
    """MD5 and SHA-1 of the bytes and the PDQ hash of the image they encode."""
    pdq = hash_image(data)
    return FileHashes(
        md5=hashlib.md5(data, usedforsecurity=False).hexdigest(),
        sha1=hashlib.sha1(data, usedforsecurity=False).hexdigest(),
        pdq_hex=pdq.hex,
        pdq_quality=pdq.quality,
    )


def hash_image(image: Image.Image | bytes) -> PDQHash:
    """The PDQ hash of a Pillow image or of an encoded image file's bytes."""
    if isinstance(image, bytes):
        image = _decode(io.BytesIO(image))
    pixels = np.asarray(image.convert("RGB"), dtype=np.uint8)
    if pixels.ndim != 3 or min(pixels.shape[:2]) < 1:
        raise NotAnImage("the image has no pixels")
    bits, quality = pdqhash.compute(np.ascontiguousarray(pixels))
    return PDQHash(np.packbits(bits.astype(np.uint8)).tobytes().hex(), int(quality))


def _decode(file: BinaryIO) -> Image.Image:
    try:
        image = Image.open(file)
        image.load()
    except UnidentifiedImageError as error:
        raise NotAnImage("not an image that Pillow can decode") from error
    except Image.DecompressionBombError as error:
        raise NotAnImage("an image too large to decode safely") from error
    except (OSError, SyntaxError, ValueError) as error:  # truncated or corrupt image data
        raise NotAnImage(f"a damaged image: {error}") from error
    return image


def parse_hash(value: str, kind: HashKind = "pdq") -> bytes:
    """The bytes of a hash written in hexadecimal (either case, spaces around it ignored)."""
    return bytes.fromhex(normalize_hash(value, kind))


def normalize_hash(value: str, kind: HashKind = "pdq") -> str:
    """A hash in the one spelling Turntide stores: lower-case hexadecimal, checked for length."""
    digits = value.strip().lower()
    expected = 2 * HASH_SIZES[kind]
    if len(digits) != expected:
        raise InvalidHash(f"a {kind} hash is {expected} hexadecimal digits, not {len(digits)}")
    if not _HEX_DIGITS.issuperset(digits):
        raise InvalidHash(f"a {kind} hash holds only the digits 0-9 and a-f")
    return digits


def degenerate_reason(kind: str, value: str) -> str | None:
    """Why a hash must never be listed, or None: a value that matches every empty file or
    every blank image rather than one picture.  Every way onto the hash list asks this.

    >>> degenerate_reason("sha1", "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709")
    'the sha1 of an empty file: listed, it would flag every empty file'
    >>> degenerate_reason("pdq", "f" * 63 + "e") is None   # one bit off is left alone
    True
    """
    return _DEGENERATE.get(kind, {}).get(value.strip().lower())


def hamming(a: str | bytes, b: str | bytes) -> int:
    """The number of bits in which two PDQ hashes (hexadecimal or 32 bytes) differ.

    >>> hamming("f" * 64, "f" * 63 + "0")
    4
    """
    first, second = (pdq_bytes(h) for h in (a, b))
    return (int.from_bytes(first) ^ int.from_bytes(second)).bit_count()


def pdq_bytes(value: str | bytes) -> bytes:
    """The 32 bytes of a PDQ hash given in hexadecimal or already as bytes."""
    if isinstance(value, str):
        return parse_hash(value)
    if isinstance(value, bytes) and len(value) == HASH_SIZES["pdq"]:
        return value
    raise InvalidHash("a pdq hash is 64 hexadecimal digits or 32 bytes")
