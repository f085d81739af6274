"""Writing members' local list files so that a crash never leaves half a file behind."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

__all__ = ["FileChangedDuringImport", "sha256_of_file", "write_atomically"]


class FileChangedDuringImport(RuntimeError):
    """The file read differently when written than when checked; the message says what to do."""


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


def sha256_of_file(path: str | os.PathLike[str]) -> str:
    """Hex SHA-256 of a file, read in blocks (imports name their file by it).

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "rows.csv"
    >>> _ = path.write_bytes(b"abc")
    >>> sha256_of_file(path)[:16]
    'ba7816bf8f01cfea'
    """
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()
