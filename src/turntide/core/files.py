"""Writing members' local list files so that a crash never leaves half a file behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

__all__ = ["write_atomically"]


def write_atomically(path: str | os.PathLike[str], parts: Iterable[bytes]) -> None:
    """Write `parts` to `path` through a synced temporary file beside it and a rename, so a
    reader sees the old file or the new one, never a mixture.

    >>> import pathlib, tempfile
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "list"
    >>> write_atomically(target, [b"new ", b"content"])
    >>> target.read_bytes()
    b'new content'
    """
    target = Path(path)
    with tempfile.NamedTemporaryFile(
        "wb", dir=target.parent, prefix=f".{target.name}.", delete=False
    ) as temporary:
        try:
            for part in parts:
                temporary.write(part)
            temporary.flush()
            os.fsync(temporary.fileno())
        except BaseException:
            temporary.close()
            os.unlink(temporary.name)
            raise
    os.replace(temporary.name, target)
