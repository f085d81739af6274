"""A synthetic partner set for the demo: hashes of noise images made at seed time.

No image is stored: each picture exists in memory only while it is hashed.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from turntide.core.hashing import hash_bytes
from turntide.hashes.actions import checked_hash, do_add_hashes, do_create_source
from turntide.hashes.models import HashSource

DEMO_SOURCE = "Demo Partner Hotline"
DEMO_IMAGES = 12


def _noise_png(seed: int) -> bytes:
    pixels = np.random.default_rng(seed).integers(0, 256, (24, 32, 3), dtype=np.uint8)
    picture = Image.fromarray(pixels).resize((640, 480), Image.Resampling.BICUBIC)
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def seed_demo_hashes() -> int:
    """List the demo partner set once; return the number of entries added (0 when present)."""
    if HashSource.objects.filter(name=DEMO_SOURCE).exists():
        return 0
    source = do_create_source(
        "demo", DEMO_SOURCE, licence="synthetic demo data: hashes of generated noise"
    )
    hashes = []
    for seed in range(DEMO_IMAGES):
        found = hash_bytes(_noise_png(seed))
        category = "ABC"[seed % 3]
        hashes += [
            checked_hash("md5", found.md5, category=category),
            checked_hash("sha1", found.sha1, category=category),
            checked_hash("pdq", found.pdq_hex, category=category, quality=found.pdq_quality),
        ]
    return do_add_hashes("demo", source, hashes).added
