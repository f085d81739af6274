"""`turntide hashes`: the member-side hash-list client, and the hotline's partner-set import.

`sync`, `check` and `export-hma` need no Django: members run them with only this package.
`check` takes image (or any) files, or hash lines on standard input: `TYPE VALUE`, a bare
hexadecimal hash (its length says its type), or the lines `turntide hash` prints.  It prints
`match`, `clear` or `invalid` per input and exits 1 if anything matched (else 2 if an input
could not be read or understood).  `import` and `withdraw` change
the hotline's list and run where its database is.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Unpack

from turntide.commands import CommandError, Subparsers, django_setup
from turntide.commands.listsync import add_sync_action, sync_list

if TYPE_CHECKING:
    from turntide.core.hashlist import HashList, ListedHash, Match
    from turntide.hashes.models import HashSource
    from turntide.importing import ImportOptions

TRUST_LEVELS = ("hotline", "verified", "partner")
WITHDRAWAL_REASONS = {
    "false-positive": "false_positive",
    "source-retracted": "source_retracted",
    "case-not-criminal": "case_not_criminal",
}
HMA_FORMATS = ("file", "api")
HMA_PDQ_THRESHOLD = 31  # the distance at which threatexchange and HMA match PDQ


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("hashes", help="hash list: member client, partner imports")
    actions = parser.add_subparsers(dest="hashes_command", required=True, metavar="ACTION")

    add_sync_action(actions, "hash list", run_sync)

    check = actions.add_parser("check", help="check files, or hash lines on stdin ('-')")
    check.add_argument("--list", required=True, type=Path, dest="list_file")
    check.add_argument("inputs", nargs="*", metavar="FILE", help="files; '-' or none: stdin")
    check.set_defaults(handler=run_check)

    imports = actions.add_parser("import", help="import a partner's hash set (CSV or JSON)")
    imports.add_argument("file", type=Path)
    imports.add_argument("--source", required=True, help="the partner's name, shown to members")
    imports.add_argument("--trust", choices=TRUST_LEVELS, help="for a new source (default partner)")
    imports.add_argument("--licence", help="for a new source: the terms it is shared under")
    imports.add_argument("--threshold", type=int, help="the source's PDQ distance (default 31)")
    imports.add_argument("--category", default="", help="A, B or C for rows without one")
    imports.add_argument(
        "--skip-invalid", action="store_true", help="import the valid rows, report the rest"
    )
    imports.set_defaults(handler=run_import)

    withdraw = actions.add_parser("withdraw", help="withdraw a listed hash (audited)")
    withdraw.add_argument("type", choices=("md5", "sha1", "pdq", "photodna"))
    withdraw.add_argument("value")
    withdraw.add_argument("--reason", required=True, choices=sorted(WITHDRAWAL_REASONS))
    withdraw.add_argument("--note", default="", help="why, for the audit trail")
    withdraw.add_argument("--by", required=True, help="who decided: an administrator's username")
    withdraw.set_defaults(handler=run_withdraw)

    export = actions.add_parser(
        "export-hma", help="write a synced list's PDQ hashes as a hasher-matcher-actioner bank"
    )
    export.add_argument("--list", required=True, type=Path, dest="list_file")
    export.add_argument("--out", required=True, type=Path)
    export.add_argument(
        "--format",
        choices=HMA_FORMATS,
        default="file",
        help="file: 'pdq HASH' lines (threatexchange's and HMA's file exchange); "
        "api: JSON lines for HMA's POST /c/bank/NAME/signal",
    )
    export.set_defaults(handler=run_export_hma)


def _load(path: Path) -> HashList:
    from turntide.core.hashlist import HashList, HashListError

    try:
        return HashList.load(path)
    except (OSError, HashListError) as error:
        raise CommandError(f"cannot read {path}: {error}") from None


def run_sync(args: argparse.Namespace) -> int:
    from turntide.core.hashlist import HashList

    _hash_list, summary = sync_list(args, "hashes", HashList, HashList.load)
    print(summary)
    return 0


def hash_queries(line: str) -> list[tuple[str, str]]:
    """The hashes one input line names; `InvalidHash` if it names none that can be read."""
    from turntide.core.hashlist import guess_type

    fields = line.split("\t")
    if len(fields) == 5:  # md5 sha1 pdq_hex pdq_quality path, as `turntide hash` prints
        return [("md5", fields[0]), ("sha1", fields[1]), ("pdq", fields[2])]
    words = line.split()
    if len(words) == 2:
        return [(words[0].lower(), words[1])]
    return [(guess_type(line), line.strip())]


def _describe(matches: list[Match]) -> str:
    return " ".join(
        f"{m.entry.type}:distance={m.distance}:category={m.entry.category or '-'}"
        f":source={m.entry.source.replace(' ', '_')}"
        for m in matches
    )


def _check_lines(hash_list: HashList, lines: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(verdict, line) for each non-empty line; verdict `match ...`, `clear` or `invalid`."""
    from turntide.core.hashing import InvalidHash

    for raw in lines:
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        try:
            results = hash_list.check_many(hash_queries(line))
        except InvalidHash as error:
            yield f"invalid ({error})", line
            continue
        matches = sorted((m for found in results for m in found), key=lambda m: m.distance)
        yield (f"match {_describe(matches)}" if matches else "clear"), line


def run_check(args: argparse.Namespace) -> int:
    hash_list = _load(args.list_file)
    files = [name for name in args.inputs if name != "-"]
    matched = unreadable = False
    out = sys.stdout
    for name in files:
        try:
            matches = hash_list.check_file(name)
        except OSError as error:
            print(f"turntide hashes check: cannot read {name}: {error}", file=sys.stderr)
            unreadable = True
            continue
        matched = matched or bool(matches)
        out.write(f"{'match ' + _describe(matches) if matches else 'clear'}\t{name}\n")
    if not files or "-" in args.inputs:
        for verdict, line in _check_lines(hash_list, sys.stdin):
            matched = matched or verdict.startswith("match")
            unreadable = unreadable or verdict.startswith("invalid")
            out.write(f"{verdict}\t{line}\n")
    if matched:
        return 1
    return 2 if unreadable else 0


def run_export_hma(args: argparse.Namespace) -> int:
    hash_list = _load(args.list_file)
    pdq = [entry for entry in hash_list if entry.type == "pdq"]
    if args.format == "api":
        lines = [json.dumps({"pdq": entry.value}) for entry in pdq]
    else:
        lines = [f"pdq {entry.value}" for entry in pdq]
    try:
        args.out.write_text("".join(f"{line}\n" for line in lines))
    except OSError as error:
        raise CommandError(str(error)) from None
    print(f"{len(pdq)} PDQ hashes of list version {hash_list.version} written to {args.out}")
    _warn_of_thresholds(pdq)
    return 0


def _warn_of_thresholds(pdq: list[ListedHash]) -> None:
    """A bank has no per-hash threshold: say which sources asked for another than HMA's."""
    other: dict[tuple[str, int], int] = {}
    for entry in pdq:
        if entry.threshold != HMA_PDQ_THRESHOLD:
            other[entry.source, entry.threshold] = other.get((entry.source, entry.threshold), 0) + 1
    for (source, threshold), count in sorted(other.items()):
        print(
            f"warning: {count} PDQ hashes from {source} match within distance {threshold}, "
            f"but the bank matches them at {HMA_PDQ_THRESHOLD}",
            file=sys.stderr,
        )


def run_import(args: argparse.Namespace) -> int:
    django_setup()
    from turntide.commands.imports import import_command
    from turntide.hashes.importing import HashesImported, import_hashes

    def run(actor: str, path: Path, **options: Unpack[ImportOptions]) -> HashesImported:
        source = _import_source(args)
        return import_hashes(actor, path, source, default_category=args.category, **options)

    return import_command(args, run)


def _import_source(args: argparse.Namespace) -> HashSource:
    """The source named by --source, made with --trust, --licence and --threshold if new."""
    from django.core.exceptions import ValidationError

    from turntide.hashes.actions import do_create_source, do_set_source_threshold
    from turntide.hashes.models import HashSource

    source = HashSource.objects.filter(name=args.source).first()
    if source is None:
        try:
            source = do_create_source(
                "cli",
                args.source,
                trust=args.trust or HashSource.Trust.PARTNER,
                licence=args.licence or "",
                pdq_threshold=args.threshold,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        print(
            f"new source {source.name!r} (trust {source.trust}, PDQ threshold "
            f"{source.pdq_threshold})"
        )
        return source
    if (args.trust and args.trust != source.trust) or (
        args.licence is not None and args.licence != source.licence
    ):
        raise CommandError(
            f"source {source.name!r} exists with trust {source.trust} and licence "
            f"{source.licence!r}; change those in /admin/, not on import"
        )
    if args.threshold is not None and args.threshold != source.pdq_threshold:
        if not 0 <= args.threshold <= 256:
            raise CommandError("--threshold is a distance from 0 to 256 bits")
        do_set_source_threshold("cli", source, args.threshold)
        print(f"source {source.name!r}: PDQ threshold now {args.threshold}")
    return source


def run_withdraw(args: argparse.Namespace) -> int:
    django_setup()
    from django.contrib.auth import get_user_model

    from turntide.core.hashing import InvalidHash
    from turntide.core.hashlist import canonical_hash
    from turntide.hashes.actions import do_withdraw_hashes
    from turntide.hashes.models import HashEntry

    try:
        value = canonical_hash(args.type, args.value)
    except InvalidHash as error:
        raise CommandError(str(error)) from None
    staff = get_user_model().objects.filter(username=args.by, is_active=True).first()
    if staff is None or not staff.has_perm("hashes.change_hashentry"):
        raise CommandError(
            f"--by must name an active account allowed to withdraw entries "
            f"(the administrator role); {args.by!r} is not one"
        )
    entries = HashEntry.objects.filter(type=args.type, value=value)
    count = do_withdraw_hashes(staff, entries, WITHDRAWAL_REASONS[args.reason], args.note)
    if not count:
        raise CommandError(f"{args.type} {value} is not on the list")
    print(f"withdrawn: {args.type} {value}; it leaves members' lists with their next sync")
    return 0
