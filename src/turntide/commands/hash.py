"""`turntide hash FILE...` (contract): MD5, SHA-1 and PDQ of image files, without Django.

Analysts hash on their own secured workstations and members in their own pipelines, so this
is a thin wrapper over `turntide.core.hashing`; the platform receives hashes, never images.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from turntide.commands import Subparsers
from turntide.core.hashing import NotAnImage, degenerate_reason, hash_file

EXIT_UNHASHABLE = 2


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "hash",
        help="print `md5 sha1 pdq_hex pdq_quality path`, tab-separated, for each image file",
    )
    parser.add_argument(
        "paths", nargs="+", metavar="FILE", help="image files; a folder stands for every file in it"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    status = 0
    for path in _files(args.paths):
        try:
            hashes = hash_file(path)
        except NotAnImage as error:
            _complain(path, str(error))
            status = EXIT_UNHASHABLE
        except OSError as error:
            _complain(path, error.strerror or str(error))
            status = EXIT_UNHASHABLE
        else:
            fields = (hashes.md5, hashes.sha1, hashes.pdq_hex, str(hashes.pdq_quality), str(path))
            print("\t".join(fields), flush=True)
            if reason := degenerate_reason("pdq", hashes.pdq_hex):  # warn before an import
                _complain(path, f"{reason}; the hash list refuses it")
    return status


def _files(arguments: list[str]) -> Iterator[Path]:
    """The files named, with each folder replaced by the files under it, in name order."""
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file())
        else:
            yield path


def _complain(path: Path, reason: str) -> None:
    print(f"turntide hash: {str(path)!r}: {reason}", file=sys.stderr)
